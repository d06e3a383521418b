"""abbreviations: given names written with a stop ("Ma." for Maria), or without one
("Mg" for Maung), spelled out too."""

from __future__ import annotations

from alertd.matching.abbreviations import dotted_abbreviations, spell_out, spell_out_undotted
from alertd.matching.model import NameInput
from alertd.matching.names import prepare_name
from alertd.matching.tables import packaged_name_tables


def _slots(text: str) -> tuple[tuple[str, ...], ...]:
    prepared = prepare_name(NameInput(text), packaged_name_tables())
    assert prepared is not None
    return prepared.slots


def test_the_stop_or_the_ordinal_sign_tells_an_abbreviation() -> None:
    assert dotted_abbreviations("Ma. Cristina SANTOS") == {"ma"}
    assert dotted_abbreviations("MA.CRISTINA SANTOS") == {"ma"}
    assert dotted_abbreviations("Mª José GARCÍA") == {"ma"}
    assert dotted_abbreviations("Fco. Javier LOPEZ") == {"fco"}
    assert dotted_abbreviations("MA Ying-jeou") == set()  # the family name 马
    assert dotted_abbreviations("Mario Rossi") == set()


def test_the_abbreviation_keeps_its_own_spelling_first() -> None:
    assert _slots("Ma. Cristina Santos")[0] == ("ma", "maria")
    assert _slots("Mª José García")[0] == ("ma", "maria")
    assert _slots("Ma Ying")[0] == ("ma",)


def test_nothing_found_leaves_the_same_slots() -> None:
    slots = (("ma",), ("ying",))
    assert spell_out(slots, frozenset()) is slots


def test_maung_abbreviated_without_a_stop_is_spelled_out() -> None:
    assert _slots("Mg Mg Thein") == (("mg", "maung"), ("mg", "maung"), ("thein",))
    assert _slots("MG AUNG KYAW")[0] == ("mg", "maung")


def test_a_name_without_an_undotted_abbreviation_keeps_its_slots() -> None:
    slots = (("maung",), ("thein",))
    assert spell_out_undotted(slots) is slots
