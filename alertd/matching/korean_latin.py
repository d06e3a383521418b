"""Korean names in Latin letters, whichever romanisation wrote them, read in one spelling.

One Korean name has several Latin spellings, by who wrote it:
- South Korea's Revised Romanisation (2000) and its passports: 박근혜 "Park Geun-hye",
  김경식 "Kim Gyeong-sik", 현송월 "Hyeon Song-wol";
- McCune-Reischauer without its marks, as North Korea, the UN list and older documents
  write: "Pak Kun Hye", "Kim Kyong Sik", "Hyon Song Wol";
- the personal spellings of South Korean passports before 2000: "Sun-hee", "Jung",
  "Hyun", "Moo".

They differ in ways a letter-by-letter comparison of such short words cannot forgive:
"Geun" and "Kun" share one letter in four. A Latin name that looks Korean (a Korean family
name first or last, and every other word a Korean syllable, or two written together) is
also read with each syllable in one spelling of its sound (``syllable_key``): the plain
and voiced consonants folded (g/k, d/t, b/p, j/ch), and the vowels the two systems write
differently (RR eo and eu, MR o and u; yeo/yo; ee/ui/i). Both sides are read so, listed
and traveller, and meet in that spelling. Another reading of the name, searched and filed
as Wade-Giles readings are (wade_giles.py); the family name keeps its spellings
(Park/Pak/Bak are one name in the token tables, hangul.surname_spellings).

ㅓ written "u" in personal spellings (정 Jung, 현 Hyun, 선 Sun) is not folded into o: a
Korean syllable is a short word, and with o and u one, keys of distinct syllables came a
letter apart, which the word comparison aligns ("Kim Yong Chol" met "Kim Yong Chun", "Pak
Pong Ju" met "Pak Pong Chol"). Such a spelling is a letter from the key and still aligns.

Pure functions of a name's slots (each a tuple of spellings, the first as written).
"""

from __future__ import annotations

import functools
import re
from typing import Final

from alertd.matching.hangul import surname_latin_spellings

Slot = tuple[str, ...]

# Initial consonants as the systems write them -> one spelling each (longest first in
# the pattern below). MR's aspirates lose their apostrophe when folded ("k'" is "k"),
# and North Korea writes ㅌ "th" ("Thaek").
INITIALS: Final = {
    "kk": "k", "gg": "k", "kh": "k", "g": "k", "k": "k",
    "tt": "t", "th": "t", "d": "t", "t": "t",
    "pp": "p", "ph": "p", "b": "p", "p": "p",
    "ss": "s", "sh": "s", "s": "s",
    "jj": "ch", "tch": "ch", "ch": "ch", "j": "ch",
    "h": "h", "m": "m", "n": "n", "r": "r", "l": "r", "": "",
}  # fmt: skip
# Vowels -> one spelling each: ㅓ is RR "eo", MR "o" (ŏ); ㅡ is "eu"/"u" (ŭ); ㅜ "u"/"oo";
# ㅕ "yeo"/"yo"; ㅢ "ui"/"i"/"ee" (희 Hui/Hee); 애 and 에 alike.
VOWELS: Final = {
    "yeo": "yo", "yae": "ye", "weo": "wo", "wae": "we", "eui": "i",
    "eo": "o", "eu": "u", "oo": "u", "ou": "u", "ae": "e", "ai": "e", "ya": "ya", "ye": "ye",
    "yo": "yo", "yu": "yu", "wa": "wa", "wo": "wo", "we": "we", "wi": "wi", "oe": "we",
    "oi": "we", "ui": "i", "ee": "i",
    "a": "a", "e": "e", "o": "o", "u": "u", "i": "i",
}  # fmt: skip
# Final consonants -> one spelling each.
FINALS: Final = {
    "ng": "ng", "k": "k", "g": "k", "n": "n", "t": "t", "d": "t", "l": "l", "r": "l",
    "m": "m", "p": "p", "b": "p", "": "",
}  # fmt: skip


def _alternation(forms: dict[str, str]) -> str:
    return "|".join(sorted(forms, key=len, reverse=True))


_SYLLABLE: Final = re.compile(
    f"({_alternation(INITIALS)})({_alternation(VOWELS)})({_alternation(FINALS)})"
)
# Given names are one to three syllables; a word is at most two written together.
MOST_WORDS: Final = 4
# Ways of cutting a word written as two syllables that are kept ("jongun": jon-gun and
# jong-un).
MOST_CUTS: Final = 2
# Distinct syllable spellings remembered (a few hundred are Korean; the rest are the
# pieces of other names tried and refused).
SYLLABLE_MEMO: Final = 1 << 12


@functools.lru_cache(maxsize=SYLLABLE_MEMO)
def syllable_key(syllable: str) -> str | None:
    """The one spelling of a Latin Korean syllable; None when it is not one."""
    parts = _SYLLABLE.fullmatch(syllable)
    if parts is None:
        return None
    initial, vowel, final = parts.groups()
    return INITIALS[initial] + VOWELS[vowel] + FINALS[final]


def _word_keys(word: str) -> tuple[str, ...]:
    """A word's spellings in syllable keys: one syllable, or two written together (each
    way of cutting it into two, up to MOST_CUTS); () when it is neither."""
    single = syllable_key(word)
    if single is not None:
        return (single,)
    keys: list[str] = []
    for cut in range(1, len(word)):
        head, tail = syllable_key(word[:cut]), syllable_key(word[cut:])
        if head is not None and tail is not None:
            keys.append(head + tail)
    return tuple(dict.fromkeys(keys))[:MOST_CUTS]


def korean_reading(slots: tuple[Slot, ...]) -> tuple[Slot, ...] | None:
    """The name with each given-name syllable in its one spelling, the family name as
    written; None unless the name looks Korean (most names)."""
    if not 2 <= len(slots) <= MOST_WORDS:
        return None
    words = [slot[0] for slot in slots]
    surnames = surname_latin_spellings()
    if words[0] in surnames:
        family = 0
    elif words[-1] in surnames:
        family = len(words) - 1
    else:
        return None
    read: list[Slot] = []
    for i, word in enumerate(words):
        if i == family:
            read.append(slots[i])
            continue
        keys = _word_keys(word)
        if not keys:
            return None
        read.append(keys)
    reading = tuple(read)
    return reading if reading != slots else None
