"""Han characters as Hong Kong and Macau passports spell them: Cantonese.

A Chinese name written in Han characters is read as pinyin and Wade-Giles
(transliterate.py), which is how mainland and Taiwanese passports print it. Hong Kong
identity cards and passports, Macau's, and many Cantonese-speaking families abroad
(Chinese Malaysians among them) print the Cantonese sound by the Hong Kong Government
romanisation, or close to it: 陳大文 is "CHAN Tai Man" (pinyin Chen Dawen), 周強 "CHOW
Keung" (Zhou Qiang), 張 Cheung, 黃 Wong, 劉 Lau, 吳 Ng. None of those meets its pinyin by
spelling or by sound, so a listed 陳大文 never met the traveller whose Hong Kong passport
says CHAN TAI MAN.

Each Han character's Cantonese spellings come from the ``cantonese-romanisation``
package's Hong Kong Government table (MIT), which holds traditional characters; each
simplified character gets the spellings of the traditional ones OpenCC
(``opencc-python-reimplemented``, Apache-2.0) simplifies to it (陈 from 陳). Both are
read once, by ``build_table``, into the packaged data/cantonese.tsv; neither is needed
at run time.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Mapping
from importlib import resources
from typing import Final

TABLE_FILE: Final = "cantonese.tsv"
# Spellings kept per character: the table's first is the usual one (陳 chan, then chun);
# the rest are rarer readings of the character or other spellings of its sound (李 lee,
# lei, li).
MOST_PER_CHARACTER: Final = 2
# Spellings kept per name word (a given name of two characters has up to four).
MOST_PER_WORD: Final = 4


@functools.cache
def spellings_of() -> Mapping[str, tuple[str, ...]]:
    """Han character -> its Cantonese spellings, the usual first (the packaged table)."""
    text = (resources.files("alertd.matching") / "data" / TABLE_FILE).read_text("utf-8")
    return parse_table(text)


def word_spellings(word: str) -> tuple[str, ...]:
    """A name word of Han characters as Hong Kong passports may spell it, its syllables
    written together as the pinyin reading is ("taiman"); none when a character is not
    in the table."""
    table = spellings_of()
    per_character = [table.get(ch, ())[:MOST_PER_CHARACTER] for ch in word]
    if not per_character or not all(per_character):
        return ()
    joined = ("".join(parts) for parts in itertools.product(*per_character))
    return tuple(itertools.islice(joined, MOST_PER_WORD))


def parse_table(text: str) -> dict[str, tuple[str, ...]]:
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {character: tuple(spellings.split()) for character, spellings in rows}


def format_table(table: Mapping[str, tuple[str, ...]]) -> str:
    lines = [f"{character}\t{' '.join(spellings)}" for character, spellings in table.items()]
    return (
        "# Han character<TAB>Hong Kong Government Cantonese spellings; from "
        "cantonese-romanisation (MIT), simplified forms by OpenCC (Apache-2.0)\n"
        + "\n".join(lines)
        + "\n"
    )


def build_table() -> dict[str, tuple[str, ...]]:
    """The table from the two packages (installed with the dev extras): every character
    of the Hong Kong Government table, and the simplified form of each."""
    from cantoroman import Cantonese  # type: ignore[import-untyped]
    from opencc import OpenCC  # type: ignore[import-untyped]

    listed: dict[str, list[str]] = Cantonese().charToRoman
    spelled = {
        character: sorted((s for s in spellings if s.isascii() and s.isalpha()), key=_jyutping)
        for character, spellings in sorted(listed.items())
    }
    table = {character: dict.fromkeys(s) for character, s in spelled.items() if s}
    # A character's own spellings first, then those of the traditional characters that
    # simplify to it (乾 and 幹 both to 干).
    simplify = OpenCC("t2s").convert
    for character, spellings in spelled.items():
        simplified = simplify(character)
        if len(simplified) == 1 and simplified != character and spellings:
            table.setdefault(simplified, {}).update(dict.fromkeys(spellings))
    return {character: tuple(spellings) for character, spellings in sorted(table.items())}


# The package's table mixes the Hong Kong Government spellings with Jyutping-like ones (大
# as daai, dai, tai; 郭 as gwok, kwok): the Government's never begin with b, d, g, j or z
# (its stops are written p, t, k, ch) nor write "aa". They go first: passports use them.
_JYUTPING_INITIALS: Final = frozenset("bdgjz")


def _jyutping(spelling: str) -> bool:
    """Whether a spelling is not the Hong Kong Government's (sorts it after those that are)."""
    return spelling[0] in _JYUTPING_INITIALS or "aa" in spelling
