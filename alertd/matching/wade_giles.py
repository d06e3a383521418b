"""Chinese names written in Latin letters by Wade-Giles, read as pinyin.

Taiwanese passports and older lists spell Chinese names by Wade-Giles ("HSU Chih-ming",
"CHIANG Ching-kuo"); mainland passports and most lists by pinyin ("Xu Zhiming"). A name
written in Han characters is read both ways already (transliterate.py); one written in
Latin letters was compared only as written, and "Hsu Chih-ming" met nothing of "Xu
Zhiming": hsu/xu, chih/zhi share no letter that counts.

A Latin name whose every word is a Wade-Giles syllable or two written together, one of
them a syllable pinyin does not have (hsu, chih, tsai: so that "Li Ming" is left alone),
is also read as pinyin: each word spelled as the pinyin syllables it may stand for
(without the aspiration apostrophe, which passports drop, "chih" is zhi or chi), then as
written. The syllable table comes from pypinyin's dictionary and Wade-Giles style
(``build_table``; packaged as data/wade_giles.tsv). Only standard Wade-Giles is read:
Taiwan's own forms ("Ing" for Ying in "TSAI Ing-wen") are not.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Mapping
from importlib import resources
from typing import Final

Slot = tuple[str, ...]

TABLE_FILE: Final = "wade_giles.tsv"

# The longest Wade-Giles syllable ("chuang", "hsiung"): a word is one syllable or two
# written together (a given name without its hyphen), else the name is not read.
LONGEST_SYLLABLE: Final = 6
# Letters Wade-Giles does not write (pinyin's b, d, q, x are p, t, ch, hs there; v is
# never written): a word holding one is no Wade-Giles syllable.
NOT_WADE_GILES: Final = frozenset("bdqvx")
# A name needs this many syllables to be read: a lone word is too often something else.
MIN_SYLLABLES: Final = 2


# pypinyin 0.55's Wade-Giles slips, checked against the standard table: a syllable
# spelled alike in both systems falls through to its finals table (海 hai as "hei", 火
# huo as "ho"), and 铁 tie is given as "t'oeh".
PYPINYIN_SLIPS: Final = {
    "ai": "ai", "hai": "hai", "lai": "lai", "mai": "mai", "nai": "nai", "sai": "sai",
    "shai": "shai", "wai": "wai", "yai": "yai", "huo": "huo", "shuo": "shuo", "tie": "tieh",
}  # fmt: skip


def wade_giles_syllable(pinyin: str) -> str:
    """A toneless pinyin syllable ("xu", "lv" or "lü") in Wade-Giles as names print it:
    no aspiration apostrophe, ü written u ("hsu", "chih", "tsai")."""
    from pypinyin.style.wadegiles import to_wade_glides  # loaded with pypinyin

    plain = pinyin.replace("ü", "v")
    spelled = PYPINYIN_SLIPS.get(plain) or to_wade_glides(plain)
    return spelled.replace("'", "").replace("`", "").replace("v", "u").replace("ü", "u")


@functools.cache
def pinyin_of() -> Mapping[str, tuple[str, ...]]:
    """Wade-Giles syllable -> the pinyin syllables it spells, from the packaged table
    (data/wade_giles.tsv, written by ``build_table``: pypinyin's dictionaries, which it
    reads from, take 80 MB and most of a second to load)."""
    text = (resources.files("alertd.matching") / "data" / TABLE_FILE).read_text("utf-8")
    return parse_table(text)


def parse_table(text: str) -> dict[str, tuple[str, ...]]:
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {wade_giles: tuple(pinyins.split()) for wade_giles, pinyins in rows}


def build_table() -> dict[str, tuple[str, ...]]:
    """The table from pypinyin: every toneless syllable its dictionary holds, by the
    Wade-Giles spelling ``wade_giles_syllable`` gives it (ü written u, as passports do)."""
    from pypinyin.contrib.tone_convert import to_normal
    from pypinyin.pinyin_dict import pinyin_dict

    readings = {p for values in pinyin_dict.values() for p in values.split(",")}
    table: dict[str, set[str]] = {}
    for syllable in sorted({to_normal(r).replace("ü", "v") for r in readings}):
        if syllable.isascii() and syllable.isalpha():
            table.setdefault(wade_giles_syllable(syllable), set()).add(syllable.replace("v", "u"))
    return {wg: tuple(sorted(pinyins)) for wg, pinyins in sorted(table.items())}


def format_table(table: Mapping[str, tuple[str, ...]]) -> str:
    lines = [f"{wade_giles}\t{' '.join(pinyins)}" for wade_giles, pinyins in table.items()]
    return (
        "# Wade-Giles syllable<TAB>pinyin syllables; from pypinyin (MIT)\n"
        + "\n".join(lines)
        + "\n"
    )


@functools.cache
def pinyin_syllables() -> frozenset[str]:
    """Every toneless pinyin syllable (ü written u)."""
    return frozenset(p for pinyins in pinyin_of().values() for p in pinyins)


def pinyin_reading(slots: tuple[Slot, ...]) -> tuple[Slot, ...] | None:
    """The name read as pinyin, if it is written by Wade-Giles (see the module doc)."""
    words = [slot[0] for slot in slots]
    if len(words) < MIN_SYLLABLES or not NOT_WADE_GILES.isdisjoint("".join(words)):
        return None  # most names: a letter Wade-Giles never writes, told in one step
    table = pinyin_of()
    split: list[tuple[str, ...]] = []
    for word in words:
        parts = syllables_of(word, table)
        if parts is None:
            return None
        split.append(parts)
    pinyin = pinyin_syllables()
    if all(_as_pinyin(word, parts, pinyin) for word, parts in zip(words, split, strict=True)):
        return None  # as good pinyin as Wade-Giles ("Li Ming", "Chen Ming"): as written
    return tuple(
        tuple(dict.fromkeys((*_spelled(parts, table), word)))
        for word, parts in zip(words, split, strict=True)
    )


def syllables_of(word: str, syllables: Collection[str]) -> tuple[str, ...] | None:
    """The syllables of a word: itself, or two written together (a given name printed
    without its hyphen, "Chihming"), each with a vowel (not the interjection "ng");
    None if it is neither."""
    if word in syllables:
        return (word,)
    for cut in range(min(len(word) - 1, LONGEST_SYLLABLE), 0, -1):  # longer first part first
        first, second = word[:cut], word[cut:]
        if first in syllables and second in syllables and _VOWELS & set(second):
            return first, second
    return None


_VOWELS: Final = frozenset("aeiou")


def _as_pinyin(word: str, parts: tuple[str, ...], pinyin: Collection[str]) -> bool:
    """Whether a word read as these Wade-Giles syllables reads as pinyin as well: a
    syllable as a syllable ("chiang" is not one, though "chi" + "ang" are two)."""
    return word in pinyin if len(parts) == 1 else syllables_of(word, pinyin) is not None


def _spelled(parts: tuple[str, ...], table: Mapping[str, tuple[str, ...]]) -> list[str]:
    """The pinyin spellings of a word's syllables, written together as they were."""
    spellings = [""]
    for part in parts:
        spellings = [s + pinyin for s in spellings for pinyin in table[part]]
    return spellings
