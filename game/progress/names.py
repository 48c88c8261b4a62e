"""Finding a child by the name a teacher typed: pure, no database.

`emotion-game report --child` and `emotion-game play --child` both call `match_child`, so
"siti", "SITI" and "Sìti" find the same child everywhere, and a typo gets the same
suggestions in both commands.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

#: How alike (difflib ratio, 0..1) a stored name must be to the typed one to be suggested.
SUGGEST_CUTOFF = 0.6
#: At most this many suggestions: a teacher reads them on one line.
MAX_SUGGESTIONS = 3


def name_key(name: str) -> str:
    """The name as it is compared: case, accents and spacing aside ("  Sìti  NUR " -> "siti nur").

    NFKD splits a letter from its accents (and widens ligatures and full-width letters), the
    combining marks are dropped, casefold handles ß and the like, and runs of white space
    count as one space.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


@dataclass(frozen=True)
class NameMatch:
    """What a typed name refers to.

    `name` is the one stored name meant (None when there is none, or more than one);
    `suggestions` are stored names to offer instead, closest first: the names that differ
    only in case or accents when the typed one is ambiguous, otherwise the most alike names.
    """

    query: str
    name: str | None
    suggestions: tuple[str, ...] = ()

    @property
    def ambiguous(self) -> bool:
        """Several stored names are the typed one, case and accents aside."""
        return self.name is None and bool(self.suggestions) and all(
            name_key(s) == name_key(self.query) for s in self.suggestions)


def match_child(query: str, names: Iterable[str]) -> NameMatch:
    """The stored name `query` means, or the closest names to suggest.

    An identical name (outer spaces aside) wins; otherwise a name equal case, accents and
    spacing aside, when only one is; otherwise nothing, with up to MAX_SUGGESTIONS names:
    first those that hold the typed name as whole words ("siti" -> "Siti Aminah"), then the
    most alike by difflib.
    """
    stored = list(dict.fromkeys(names))          # duplicates (two "Ana"s) are one name here
    typed = query.strip()
    if typed in stored:
        return NameMatch(query, typed)
    stripped = [n for n in stored if n.strip() == typed]
    if len(stripped) == 1:
        return NameMatch(query, stripped[0])
    key = name_key(query)
    if not key:
        return NameMatch(query, None)
    same = [n for n in stored if name_key(n) == key]
    if len(same) == 1:
        return NameMatch(query, same[0])
    if same:
        return NameMatch(query, None, tuple(same))
    return NameMatch(query, None, tuple(_close_names(key, stored)))


def _close_names(key: str, stored: list[str]) -> list[str]:
    by_key: dict[str, list[str]] = {}
    for name in stored:
        by_key.setdefault(name_key(name), []).append(name)
    words = key.split()
    containing = [k for k in by_key if _holds_words(k.split(), words)]
    alike = difflib.get_close_matches(key, list(by_key), n=MAX_SUGGESTIONS, cutoff=SUGGEST_CUTOFF)
    chosen = list(dict.fromkeys(containing + alike))[:MAX_SUGGESTIONS]
    return [name for k in chosen for name in by_key[k]][:MAX_SUGGESTIONS]


def _holds_words(name_words: list[str], wanted: list[str]) -> bool:
    """Whether `wanted` appears in `name_words` as consecutive whole words."""
    n = len(wanted)
    return any(name_words[i:i + n] == wanted for i in range(len(name_words) - n + 1))
