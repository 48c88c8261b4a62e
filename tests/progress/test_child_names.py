"""Finding a child by a typed name (issue 14, item 11): case and accents aside, or the closest."""

from __future__ import annotations

from game.progress.names import match_child, name_key

CLASS = ["Siti Aminah", "Siti", "André", "Budi Santoso", "Zoë", "Çağla", "Ana", "Ana"]


def test_case_accents_and_spacing_aside():
    assert name_key("  Sìti   NUR ") == "siti nur"
    assert match_child("siti", CLASS).name == "Siti"
    assert match_child("SITI", CLASS).name == "Siti"
    assert match_child("andre", CLASS).name == "André"
    assert match_child("ANDRÉ", CLASS).name == "André"
    assert match_child("zoe", CLASS).name == "Zoë"
    assert match_child("cagla", CLASS).name == "Çağla"
    assert match_child("  budi   santoso ", CLASS).name == "Budi Santoso"


def test_an_exact_name_wins_over_one_that_differs_only_in_case():
    names = ["siti", "Siti"]
    assert match_child("Siti", names).name == "Siti" and match_child("siti", names).name == "siti"
    ambiguous = match_child("SITI", names)
    assert ambiguous.name is None and ambiguous.ambiguous and set(ambiguous.suggestions) == set(names)


def test_two_children_with_one_name_are_that_name():
    assert match_child("ana", CLASS).name == "Ana"


def test_a_typo_or_part_of_a_name_suggests_the_closest():
    typo = match_child("sity", CLASS)
    assert typo.name is None and not typo.ambiguous and typo.suggestions[0] == "Siti"
    part = match_child("aminah", CLASS)
    assert part.name is None and part.suggestions[0] == "Siti Aminah"
    first = match_child("budi", CLASS)
    assert first.name is None and first.suggestions[0] == "Budi Santoso"
    assert match_child("andrea", CLASS).suggestions[0] == "André"


def test_nothing_close_suggests_nothing():
    assert match_child("Xavier", CLASS).suggestions == ()
    assert match_child("", CLASS).name is None
    assert match_child("siti", []).name is None and match_child("siti", []).suggestions == ()
