"""token_grades gives the token comparison's own similarity and reason, many at once.

Candidate lookup takes these grades instead of comparing each listed word in Python, and
the scorer reuses them: any difference would change which entries are found, or how a
match is explained. So every graded pair is checked against
``token_similarity._similarity``.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alertd.matching.tables import NameTables, load_name_tables
from alertd.matching.token_grades import REASONS, can_grade, grade, start_code
from alertd.matching.token_similarity import ALIGN_MIN, TokenKeys, token_keys, token_similarity

# Letters of romanised names, digraphs included, so phonetic keys, vowel keys and
# first-letter rules all come into play.
PIECES = ("a", "e", "i", "o", "u", "y", "k", "kh", "s", "sh", "ch", "c", "j", "g", "d",
          "z", "t", "th", "p", "ph", "f", "m", "n", "ng", "r", "l", "h", "v", "w", "q")  # fmt: skip
pieces = st.lists(st.sampled_from(PIECES), min_size=2, max_size=6)
words = pieces.map("".join)


@st.composite
def word_and_others(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A word, and others: unrelated words and the word with a piece or two changed
    (most of those align, by one grade or another)."""
    parts = draw(pieces)
    others = draw(st.lists(words, max_size=10))
    for _ in range(draw(st.integers(1, 20))):
        changed = list(parts)
        for _ in range(draw(st.integers(1, 2))):
            at = draw(st.integers(0, len(changed)))
            piece = draw(st.sampled_from(PIECES))
            edit = draw(st.sampled_from(("replace", "insert", "delete")))
            if edit == "insert" or at == len(changed):
                changed.insert(at, piece)
            elif edit == "replace":
                changed[at] = piece
            elif len(changed) > 1:
                del changed[at]
        others.append("".join(changed))
    return "".join(parts), others


@pytest.fixture(scope="module")
def tables() -> NameTables:
    return load_name_tables()


def _graded(spelling: str, others: list[str]) -> tuple[list[float], list[str]]:
    keys = token_keys(spelling)
    other_keys = [token_keys(o) for o in others]
    grades, reasons = grade(
        spelling,
        keys,
        others,
        [k[0] for k in other_keys],
        np.array([start_code(k[0]) for k in other_keys], np.uint8),
        np.array([k[1] == keys[1] for k in other_keys]),
    )
    return grades.tolist(), [REASONS[r] for r in reasons.tolist()]


def _gradable(spelling: str, keys: TokenKeys, other: str, tables: NameTables) -> bool:
    return (
        len(other) > 1
        and can_grade(keys)
        and not tables.are_nicknames(spelling, other)
        and not tables.are_transliterations(spelling, other)
    )


@settings(max_examples=500, deadline=None)
@given(drawn=word_and_others())
def test_grades_are_the_comparisons_own(drawn: tuple[str, list[str]], tables: NameTables) -> None:
    spelling, others = drawn
    if not can_grade(token_keys(spelling)):
        return
    others = [o for o in others if _gradable(spelling, token_keys(o), o, tables)]
    if not others:
        return
    grades, reasons = _graded(spelling, others)
    for other, graded, reason in zip(others, grades, reasons, strict=True):
        similarity, why = token_similarity(spelling, other, tables)
        if similarity >= ALIGN_MIN:
            assert (graded, reason) == (similarity, why), other
        else:
            assert graded == 0.0, other


@pytest.mark.parametrize(
    ("spelling", "other", "reason"),
    [
        ("sokha", "sokha", "exact"),
        ("chhay", "chhai", "phonetic"),  # the same phonetic key
        ("mohammed", "muhammad", "vowels"),
        ("kimleng", "kimheng", "spelling"),
        ("phalla", "falka", "phonetic"),  # closer by sound than by spelling
    ],
)
def test_each_grade_is_named(spelling: str, other: str, reason: str, tables: NameTables) -> None:
    grades, reasons = _graded(spelling, [other, "zzzz"])
    assert reasons[0] == reason
    assert grades[0] == token_similarity(spelling, other, tables)[0] >= ALIGN_MIN
    assert grades[1] == 0.0  # too far to align
