"""Arabic names as Latin passports and lists write them: what letter-by-letter comparison
of words cannot see.

- **"Abd al-X"** ("servant of the X"): one name, written as one word ("Abdulrahman",
  "Abdelrahman", "Abdurrahman"), two ("Abdul Rahman") or three ("Abd al-Rahman", "Abd
  el Kader"). The word comparison joins two adjacent words, not three, so "Abd
  al-Rahman ibn Khalid al-Tamimi" and "Abdulrahman Khalid Al Tamimi" shared only
  Khalid and Tamimi. A name holding the three words is also read with them as one word,
  spelled the ways the one word is written: the article as "al", "ul", "el", or
  assimilated to a first "sun" letter ("ar-Rahman": "Abdurrahman"), as arabic.py reads
  عبد الرحمن.
- **Abbreviations of Muhammad** that Malaysian, Singaporean, Bruneian and Bangladeshi
  passports print ("MOHD", "MUHD", "MD"): the slot gets Muhammad as another spelling.

Pure functions of a name's slots (each a tuple of spellings, the first as written).
"""

from __future__ import annotations

from typing import Final

Slot = tuple[str, ...]

ABD: Final = "abd"
# The article as romanised, plain ("al", "el", "ul", "il") or assimilated to the next
# word ("ar-Rahman", "as-Salam", "ad-Din", "an-Nur", "ash-Shakur", "at-Tawab", "az-Zahir";
# "ur", "us", "ud" after "Abd": "Abd ur-Rahman").
ARTICLES: Final = frozenset(
    {"al", "el", "ul", "il", "ar", "as", "ad", "an", "ash", "at", "az", "ur", "us", "ud"}
)
# Latin first letters of the Arabic "sun" letters, which the article assimilates to:
# t th d dh r z s sh ṣ ḍ ṭ ẓ n (and l, written "al-l..." either way).
SUN_LETTERS: Final = frozenset("tdrzsnl")
# The ways "Abd" and the article are written as one word before a stem.
ABD_ARTICLE_FORMS: Final = ("abdul", "abdel", "abdal")
# Stems shorter than this are not a name after "Abd al-" (a lone initial, "Abd al A").
MIN_STEM: Final = 3

MUHAMMAD: Final = "muhammad"
MUHAMMAD_ABBREVIATIONS: Final = frozenset({"mohd", "muhd", "mhd", "md", "mohamd"})


def spell_out_abbreviations(slots: tuple[Slot, ...]) -> tuple[Slot, ...]:
    """The slots with Muhammad added as another spelling of its abbreviations (the same
    object when there is none: most names)."""
    if MUHAMMAD_ABBREVIATIONS.isdisjoint([slot[0] for slot in slots]):
        return slots
    return tuple(
        (*slot, MUHAMMAD) if slot[0] in MUHAMMAD_ABBREVIATIONS and MUHAMMAD not in slot else slot
        for slot in slots
    )


def joined_compounds(slots: tuple[Slot, ...]) -> tuple[Slot, ...] | None:
    """The slots with each "Abd" + article + stem made one word; None when the name holds
    none. Another reading of the name, not a replacement: a list's order or an MRZ may
    part the three words ("QADIR ... 'ABD AL"), and then they align one by one."""
    for slot in slots:  # a loop, not any(): this runs for every Latin name
        if ABD in slot:
            break
    else:
        return None
    out: list[Slot] = []
    i = 0
    while i < len(slots):
        if _starts_compound(slots, i):
            out.append(abd_compound(slots[i + 1][0], slots[i + 2][0]))
            i += 3
        else:
            out.append(slots[i])
            i += 1
    return tuple(out) if len(out) < len(slots) else None


def _starts_compound(slots: tuple[Slot, ...], i: int) -> bool:
    return (
        ABD in slots[i]  # as written, or split from a glued title ("Haji'abd")
        and i + 2 < len(slots)
        and slots[i + 1][0] in ARTICLES
        and len(slots[i + 2][0]) >= MIN_STEM
        and slots[i + 2][0] not in ARTICLES
    )


def abd_compound(article: str, stem: str) -> Slot:
    """The one-word spellings of "Abd" + ``article`` + ``stem``: as written first, then
    with each usual article, then assimilated when the stem starts with a sun letter."""
    spellings = [ABD + article + stem, *(form + stem for form in ABD_ARTICLE_FORMS)]
    if stem[0] in SUN_LETTERS:
        spellings.append("abdu" + stem[0] + stem)  # Abdurrahman, Abdussalam, Abdunnur
    return tuple(dict.fromkeys(spellings))
