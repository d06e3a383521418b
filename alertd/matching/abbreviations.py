"""Given names that documents abbreviate with a full stop or a superscript letter.

Philippine documents write María as "Ma." ("Ma. Cristina SANTOS", "Ma. Theresa"): one
of the commonest women's names there, and Filipino domestic and migrant workers are
among the people the border must protect. Spanish writes it "Mª" and abbreviates
Francisco "Fco.", Fernando "Fdo.", Guillermo "Gmo.". Folded, the abbreviation is a short
word ("ma") that met nothing of "Maria"; it now gets the full name as another spelling.

The full stop (or the superscript "ª") is what tells the abbreviation: "Ma" alone is the
Chinese family name 马 ("MA Ying-jeou"), and gets nothing.

A few abbreviations are written without a stop and stand for nothing else: Myanmar's
documents write Maung, the commonest word of Burmese men's names, "Mg" ("Mg Mg Thein"
for Maung Maung Thein). Muhammad's ("MOHD", "MD") are latin_arabic.py's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Set
from typing import Final

Slot = tuple[str, ...]

# Abbreviation (folded, without its stop) -> the given name it stands for.
DOTTED_GIVEN_NAMES: Final[Mapping[str, str]] = {
    "ma": "maria",
    "fco": "francisco",
    "fdo": "fernando",
    "gmo": "guillermo",
}
# Abbreviation (folded) written without a stop -> the given name it stands for.
UNDOTTED_GIVEN_NAMES: Final[Mapping[str, str]] = {"mg": "maung"}
# An abbreviation with its full stop before another word (or the end of the text), or
# "M" with the ordinal sign ª (NFKC folds ª to "a": "Mª" becomes "ma").
_DOTTED: Final = re.compile(
    r"\b(" + "|".join(DOTTED_GIVEN_NAMES) + r")\.(?=\s|\w|$)|\b(m)ª", re.IGNORECASE
)


def dotted_abbreviations(text: str) -> frozenset[str]:
    """The abbreviations (folded, as ``DOTTED_GIVEN_NAMES`` keys) written in ``text``."""
    return frozenset(
        "ma" if match.group(2) else match.group(1).lower() for match in _DOTTED.finditer(text)
    )


def spell_out(slots: tuple[Slot, ...], found: frozenset[str]) -> tuple[Slot, ...]:
    """The slots with each abbreviation in ``found`` given its full name as another
    spelling (the same object when ``found`` is empty: most names)."""
    if not found:
        return slots
    return _spelled(slots, found, DOTTED_GIVEN_NAMES)


def spell_out_undotted(slots: tuple[Slot, ...]) -> tuple[Slot, ...]:
    """The slots with each of ``UNDOTTED_GIVEN_NAMES`` given its full name as another
    spelling (the same object when there is none: most names)."""
    found = UNDOTTED_GIVEN_NAMES.keys() & {slot[0] for slot in slots}
    return _spelled(slots, found, UNDOTTED_GIVEN_NAMES) if found else slots


def _spelled(slots: tuple[Slot, ...], found: Set[str], full: Mapping[str, str]) -> tuple[Slot, ...]:
    return tuple((*slot, full[slot[0]]) if slot[0] in found else slot for slot in slots)
