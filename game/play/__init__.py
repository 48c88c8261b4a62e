"""The game itself: round rules, scoring, calibration (pure) and the pygame scenes."""
