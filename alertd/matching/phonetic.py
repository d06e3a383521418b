"""Phonetic keys tuned to romanisation variants, not to English spelling.

Soundex and Metaphone were built for English surnames; the variants that matter at a
Cambodian or Thai border are romanisation choices for the same sound: Sok/Sokh,
Chhay/Chhai, Mohammed/Muhammad/Mohamad, Sergej/Sergey/Sergei, Dzhamal/Djamal/Jamal,
Juergen/Jurgen. Two keys:

* ``phonetic_key``: digraphs folded to one letter (kh→k, ph→f, sh/sch→S, ch/tch→C, q→k,
  ...), y→i, doubled letters collapsed, a trailing h dropped. Keeps vowels.
* ``vowel_key``: the phonetic key with each vowel run written "a" (Mohammed ~ Muhammad).
* ``skeleton``: the phonetic key without vowels (the first letter kept): the abjad view, so
  "mhmd" (a character-by-character romanisation of محمد) meets "Mohammed".
"""

from __future__ import annotations

import functools
import re
from itertools import groupby

# Distinct tokens whose phonetic key is remembered (a bounded, pure memo: ~10 MB at most).
PHONETIC_KEY_MEMO = 1 << 16

# Ordered: longer patterns first. Upper-case letters are internal placeholders for sounds
# that several romanisations spell differently (S = sh, C = ch, J = dj/zh).
_DIGRAPHS: tuple[tuple[str, str], ...] = (
    ("dzh", "J"), ("dsch", "J"), ("tsch", "C"), ("sch", "S"), ("shch", "S"), ("tch", "C"),
    ("chh", "C"), ("dj", "J"), ("zh", "J"), ("sh", "S"), ("ch", "C"), ("kh", "k"),
    ("gh", "g"), ("ph", "f"), ("th", "t"), ("dh", "d"), ("bh", "b"), ("ck", "k"),
    ("ou", "u"), ("oo", "u"), ("ee", "i"), ("ue", "u"), ("oe", "o"), ("ae", "a"),
    ("q", "k"), ("w", "v"), ("y", "i"), ("x", "ks"),
)  # fmt: skip
_DIGRAPH_PATTERN = re.compile("|".join(re.escape(src) for src, _ in _DIGRAPHS))
_DIGRAPH_MAP = dict(_DIGRAPHS)
# In a vowel-less (abjad) spelling "sh", "zh", "kh", "th" may be two letters (س+ه, ز+ه),
# so only the single letters and "ch" (always چ there) are folded; the skeleton drops the
# "h" of a real digraph anyway.
_ABJAD_PATTERN = re.compile("ch|q|w|y|x")
_SOFT_C = re.compile(r"c(?=[eij])")
_VOWELS = frozenset("aeiou")
# Digits inside a name are OCR or keyboard slips: read them as the letters they resemble.
_DIGIT_LETTERS = str.maketrans("0123456789", "oizeasgtbg")


def read_digits_as_letters(token: str) -> str:
    return token.translate(_DIGIT_LETTERS)


@functools.lru_cache(maxsize=PHONETIC_KEY_MEMO)
def phonetic_key(token: str) -> str:
    """The romanisation-insensitive key of one folded ASCII token (memoised: the index,
    the scorer and the name preparation ask for the keys of the same words again)."""
    pattern = _ABJAD_PATTERN if is_abjad(token) else _DIGRAPH_PATTERN
    key = pattern.sub(lambda m: _DIGRAPH_MAP[m.group(0)], token)
    key = _SOFT_C.sub("s", key).replace("c", "k")
    if key.endswith("j") and len(key) > 2 and key[-2] in _VOWELS:
        key = key[:-1] + "i"  # Sergej -> sergei
    key = collapse_doubles(key)
    if len(key) > 2 and key.endswith("h"):
        key = key[:-1]  # Shah / Sha, Allah / Alla
    return key.lower()


_VOWEL_RUN = re.compile(r"[aeiou]+")


def vowel_key(key: str) -> str:
    """A phonetic key with every vowel run written "a": vowels are what romanisations of
    Arabic, Persian and Korean disagree on most (Mohammed/Muhammad, Jeong/Jong)."""
    return _VOWEL_RUN.sub("a", key)


def skeleton(key: str) -> str:
    """Consonant skeleton of a phonetic key, for comparing abjad (vowel-less) spellings:
    the first letter (any vowel written "a"), then the consonants, in classes that one
    Arabic letter is romanised into (q/k/g, d/z/dh, sh/ch), without "h".

    "h" is left out because digraph folding cannot tell a romanised letter pair from a
    digraph ("thr" for طاهر is t+h+r, read as "tr"); the class merges are the letters
    ق (q, k, g: Qadir, Ghedeir), ض ذ ظ (d, dh, z: Fadl, Fazal; Zahir, Dahir), ش
    written the French way (ch: Akkacha), and ب and ف, which Arabic writes for p and v
    too (لوبيز Lopez, فالنسيا Valencia; Persian's پ is read p, so Parviz ~ Barviz).
    """
    if not key:
        return key
    first = "a" if key[0] in _VOWELS else key[0].translate(_SKELETON_CLASSES)
    rest = "".join(ch for ch in key[1:] if ch not in _VOWELS).translate(_SKELETON_CLASSES)
    folded = collapse_doubles(first + rest)
    return folded[0] + folded[1:].replace("h", "")


_SKELETON_CLASSES = str.maketrans("gqzcpv", "kkdsbf")


def collapse_doubles(text: str) -> str:
    """ "mohammed" -> "mohamed" (a regex with a back-reference is several times slower)."""
    return "".join(ch for ch, _ in groupby(text))


def is_abjad(token: str) -> bool:
    """No vowel letter after the first: a consonantal romanisation (Arabic, Persian)."""
    return len(token) >= 2 and not any(ch in "aeiou" for ch in token[1:])
