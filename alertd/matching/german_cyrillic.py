"""Russian, Ukrainian and Belarusian names as German documents write them, read as
English-style lists and passports do.

German transliteration (Duden) writes х as "ch", ш and ж as "sch", ч as "tsch", щ as
"schtsch", в as "w", ц as "z", й and the iotated vowels with "j" (я "ja", е "je", ю "ju"),
and doubles с between vowels ("ss") so that a single "s" there is з. German passports,
older German and Austrian lists and press write "Chruschtschow", "Jelzin", "Gorbatschow",
where English-style lists write Khrushchev, Yeltsin, Gorbachev. Most of these align
already by sound (phonetic.py folds "sch" and "w"), but not all: "Chruschtschow" ~
"Khrushchev" (German "ch" read as English "ch") and "Jelzin" ~ "Yeltsin" met nothing.

A Latin name with a word that shows the convention (``is_german_spelling``: "sch", or a
Russian name's German ending "-ow", "-ew", "-owa", "-ewa", "-owna", "-ewna") is also read
with every word spelled back the English way, "sch" both as sh and as zh (ш and ж are
one spelling in German). Another reading of the name, searched and filed as Wade-Giles
names are (wade_giles.py): a German name that merely has "sch" ("Schmidt") gets a
reading that matches nothing it did not match before.

Pure functions of a name's slots (each a tuple of spellings, the first as written).
"""

from __future__ import annotations

import re
from typing import Final

from alertd.matching.letter_groups import respellings

Slot = tuple[str, ...]

# Russian surnames and patronymics as German writes their endings (-ов, -ев, -ова, -ева,
# -овна, -евна); -ович and -евич, written -owitsch and -ewitsch, hold "sch".
GERMAN_ENDINGS: Final = ("ow", "ew", "owa", "ewa", "owna", "ewna")
# German letter groups and the English-style spellings they stand for, longest first
# (the first spelling is the usual one; "sch" is ш or ж).
GERMAN_TO_ENGLISH: Final = (
    ("schtsch", ("shch",)),
    ("tsch", ("ch",)),
    ("sch", ("sh", "zh")),
    ("ch", ("kh",)),
    ("ss", ("s",)),
    ("w", ("v",)),
    ("z", ("ts",)),
    ("j", ("y",)),
)
_VOWELS: Final = frozenset("aeiouy")
# A single "s" between vowels is з in German transliteration (с is doubled there).
VOICED_S: Final = "z"
# Spellings kept per word (each "sch" doubles them: "Schtschukin" has one, fine;
# "Schischkow" two, four spellings).
MOST_SPELLINGS: Final = 4


# What shows the convention in a word, as a pattern (names.py searches it with others').
MARK: Final = rf"sch|(?:{'|'.join(GERMAN_ENDINGS)})\b"
_GERMAN_MARK: Final = re.compile(MARK)


def is_german_spelling(word: str) -> bool:
    """Whether a word (or any of several, spaced) shows the German transliteration of a
    Cyrillic name."""
    return _GERMAN_MARK.search(word) is not None


def english_reading(slots: tuple[Slot, ...]) -> tuple[Slot, ...] | None:
    """The name with each word spelled the English way, as written last; None unless a
    word shows the German convention (most names). Such a word always reads otherwise
    ("sch", "w"), so the reading is never the name itself."""
    if not is_german_spelling(" ".join(slot[0] for slot in slots)):  # one search: every name
        return None
    return tuple(_english_slot(slot[0]) for slot in slots)


def _english_slot(word: str) -> Slot:
    spellings = english_spellings(word)
    return tuple(dict.fromkeys((*spellings[:MOST_SPELLINGS], word)))


def english_spellings(word: str) -> list[str]:
    """The English-style spellings of a German-transliterated word, the usual one first."""
    return respellings(word, GERMAN_TO_ENGLISH, _letter)


def _letter(word: str, i: int) -> tuple[str, ...]:
    """A letter that starts no group: itself, but a single "s" between vowels is з."""
    if word[i] == "s" and 0 < i < len(word) - 1 and {word[i - 1], word[i + 1]} <= _VOWELS:
        return (VOICED_S,)
    return (word[i],)
