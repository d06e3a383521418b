"""The token comparison of one word with hundreds of listed words at once.

A query word meets hundreds of listed words through the vocabulary's keys, and about one
in five of them aligns. Comparing each in Python (``token_similarity._similarity``) was
the largest part of a search's CPU. Here the grades that need no table are computed for
all of them together: one rapidfuzz ``cdist`` per distance (of the spellings, of the
phonetic keys), then numpy picks the grade ``token_similarity._similarity`` would pick,
in its order of precedence:

1. the same word: 1;
2. the same phonetic key: ``PHONETIC``;
3. the same vowel-folded key with enough consonants: a vowel variant;
4. otherwise the better of the spelling and sound grades, each times the first-letter
   factor.

Where that reaches ALIGN_MIN it is the exact similarity; below, 0 (callers only keep
what can align). ``tests/matching/test_token_grades.py`` checks this against
``token_similarity._similarity``. Pairs whose grade comes from elsewhere are not graded
here and the caller compares them itself: initials and abjad spellings (either side: the
skeleton grade), nicknames and transliterations (the tables come before the vowel grade).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import OSA
from rapidfuzz.process import cdist

from alertd.matching.token_similarity import (
    ALIGN_MIN,
    FIRST_LETTER_DIFFERS_FACTOR,
    PHONETIC,
    PHONETIC_DISTANCE_FACTOR,
    VOWEL_VARIANT_LONG,
    VOWEL_VARIANT_LONG_FROM,
    VOWEL_VARIANT_MIN_CONSONANTS,
    VOWEL_VARIANT_SHORT,
    TokenKeys,
    consonants,
    same_start,
)

Grades = npt.NDArray[np.float64]
Reasons = npt.NDArray[np.int8]

# The reasons token_similarity._similarity gives, numbered as ``grade`` returns them.
REASONS = ("spelling", "phonetic", "vowels", "exact")
_SPELLING, _PHONETIC, _VOWELS, _EXACT = range(len(REASONS))

# A distance below which a grade cannot reach ALIGN_MIN is not computed exactly (rapidfuzz
# returns 0 under its cutoff): the spelling grade is at most the OSA similarity, the
# sound grade at most PHONETIC_DISTANCE_FACTOR times it. A hair of slack keeps float
# rounding from losing a pair.
SPELLING_AT_LEAST = ALIGN_MIN - 1e-6
SOUND_AT_LEAST = ALIGN_MIN / PHONETIC_DISTANCE_FACTOR - 1e-6

# First letters of phonetic keys are ASCII; a word whose key starts otherwise (or is
# empty) is compared in Python by the caller.
NO_START = 0
_LETTERS = 128


def start_code(phonetic: str) -> int:
    """The first letter of a phonetic key as a small code, or NO_START."""
    return ord(phonetic[0]) if phonetic and 0 < ord(phonetic[0]) < _LETTERS else NO_START


def _start_table() -> npt.NDArray[np.bool_]:
    """same_start for every pair of ASCII first letters (a lookup instead of a loop)."""
    table = np.zeros((_LETTERS, _LETTERS), np.bool_)
    for a in range(1, _LETTERS):
        for b in range(1, _LETTERS):
            table[a, b] = same_start(chr(a), chr(b))
    return table


_SAME_START = _start_table()


def starting_alike(code: int, codes: npt.NDArray[np.uint8]) -> npt.NDArray[np.bool_]:
    """token_similarity.same_start of the key starting ``code`` with each key starting
    ``codes``."""
    alike: npt.NDArray[np.bool_] = _SAME_START[code, codes]
    return alike


def can_grade(keys: TokenKeys) -> bool:
    """Can a word with these keys be graded here (not abjad, its key starts with a letter)?"""
    return not keys[3] and start_code(keys[0]) != NO_START


def grade(
    spelling: str,
    keys: TokenKeys,
    spellings: Sequence[str],
    phonetic: Sequence[str],
    starts: npt.NDArray[np.uint8],
    same_vowels: npt.NDArray[np.bool_],
) -> tuple[Grades, Reasons]:
    """token_similarity._similarity of ``spelling`` (keys ``keys``, ``can_grade``) with
    each listed word (its spelling, phonetic key, start code, and whether its vowel-folded
    key is ``keys[1]``) where it is ALIGN_MIN or more, 0 elsewhere; and its reason
    (numbered as in REASONS). The listed words must be neither initials nor abjad, and not
    nicknames or transliterations of ``spelling``."""
    spelled = osa(spelling, spellings, SPELLING_AT_LEAST)
    sounded = osa(keys[0], phonetic, SOUND_AT_LEAST)
    factor = np.where(_SAME_START[start_code(keys[0]), starts], 1.0, FIRST_LETTER_DIFFERS_FACTOR)
    # The order of the products is token_similarity._similarity's: the floats are the same.
    by_spelling = factor * spelled
    by_sound = (factor * PHONETIC_DISTANCE_FACTOR) * sounded
    graded = np.maximum(by_spelling, by_sound)
    reasons = np.where(by_sound > by_spelling, _PHONETIC, _SPELLING).astype(np.int8)
    if consonants(keys[1]) >= VOWEL_VARIANT_MIN_CONSONANTS:
        long = len(keys[1]) >= VOWEL_VARIANT_LONG_FROM
        graded[same_vowels] = VOWEL_VARIANT_LONG if long else VOWEL_VARIANT_SHORT
        reasons[same_vowels] = _VOWELS
    same_key = sounded == 1.0  # a similarity of 1 is the same key
    graded[same_key], reasons[same_key] = PHONETIC, _PHONETIC
    same_word = spelled == 1.0
    graded[same_word], reasons[same_word] = 1.0, _EXACT
    graded[graded < ALIGN_MIN] = 0.0
    return graded, reasons


def osa(word: str, others: Sequence[str], cutoff: float) -> Grades:
    """The normalised OSA similarity of ``word`` to each of ``others``, 0 below ``cutoff``
    (one call into rapidfuzz for all; doubles, as the scalar function gives)."""
    scorer = OSA.normalized_similarity
    scores: Grades = cdist([word], others, scorer=scorer, score_cutoff=cutoff, dtype=np.float64)[0]
    return scores
