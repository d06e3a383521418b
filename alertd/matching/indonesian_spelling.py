"""Indonesian names in the spelling before 1972, read in today's.

Indonesian changed its spelling in 1947 ("oe" became "u") and in 1972 (EYD: "tj" became
"c", "dj" "j", "j" "y", "sj" "sy", "nj" "ny", "ch" "kh"), but a name keeps the spelling
its owner was registered with: passports and lists print "Soeharto", "Tjahjo Kumolo",
"Djoko Tjandra", "Joesoef" beside Suharto, Cahyo, Joko Candra, Yusuf. By sound some align
already (oe and u), most do not ("Tjahjo" ~ "Cahyo", "Joesoef" ~ "Yusuf" met nothing,
even with the date of birth).

A Latin name with a word in the old spelling (``is_old_spelling``: "oe", "tj", "dj" or
"sj") is also read with each such word in today's spelling. Another reading of
the name, searched and filed as Wade-Giles names are (wade_giles.py), so a listed name
in either spelling meets a traveller's in the other. A Dutch name with "oe" (the same
sound) or "dj" gets a reading that meets nothing it did not meet before.

Pure functions of a name's slots (each a tuple of spellings, the first as written).
"""

from __future__ import annotations

import re
from typing import Final

from alertd.matching.letter_groups import respelling

Slot = tuple[str, ...]

# Letter groups only the old spelling writes ("nj" is read within such a word but marks
# none: Benjamin, Sanjay and Ranjit would all be read again).
OLD_SPELLING_MARKS: Final = ("oe", "tj", "dj", "sj")
# Old letter groups and today's spelling, longest first ("dj" before "j": Djojo is Joyo).
OLD_TO_NEW: Final = (
    ("oe", ("u",)),
    ("tj", ("c",)),
    ("dj", ("j",)),
    ("sj", ("sy",)),
    ("nj", ("ny",)),
    ("ch", ("kh",)),
    ("j", ("y",)),
)


# The marks as a pattern (names.py searches it with others').
MARK: Final = "|".join(OLD_SPELLING_MARKS)
_OLD_MARK: Final = re.compile(MARK)


def is_old_spelling(word: str) -> bool:
    """Whether a word is written in the spelling before 1972 (or 1947)."""
    return _OLD_MARK.search(word) is not None


def modern_reading(slots: tuple[Slot, ...]) -> tuple[Slot, ...] | None:
    """The name with each word in the old spelling spelled today's way, then as
    written; None when no word is in the old spelling (most names)."""
    if not is_old_spelling(" ".join(slot[0] for slot in slots)):  # one search: every name
        return None
    return tuple(
        (modern_spelling(slot[0]), slot[0]) if is_old_spelling(slot[0]) else slot[:1]
        for slot in slots
    )


def modern_spelling(word: str) -> str:
    """A word in the old spelling, in today's ("tjahjo" -> "cahyo")."""
    return respelling(word, OLD_TO_NEW)
