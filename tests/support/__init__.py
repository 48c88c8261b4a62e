"""Helpers shared by more than one test folder (import as `tests.support.<module>`)."""
