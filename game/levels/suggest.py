"""'Did you mean ...?' for names a teacher may mistype: keys, emotions, level ids, asset paths."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The choice most like `word` (case-insensitive), or None when nothing is close."""
    options = list(dict.fromkeys(choices))
    by_lower = {c.lower(): c for c in options}
    match = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=cutoff)
    return by_lower[match[0]] if match else None


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """'Did you mean "x"?' for the closest choice, or None."""
    guess = closest(word, choices, cutoff)
    return f'Did you mean "{guess}"?' if guess else None
