"""The scenes, one per module; game.play.flow registers them by name and decides which follows
which. See base.py for what every scene has."""
