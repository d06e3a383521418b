"""Name comparison rules below the golden cases: token grades, titles, alignment."""

from __future__ import annotations

import pytest

from alertd.matching import NameInput
from alertd.matching.names import TokenComparer, name_score, prepare_name, token_similarity
from alertd.matching.normalise import drop_titles
from alertd.matching.phonetic import phonetic_key, skeleton
from alertd.matching.tables import NameTables, packaged_name_tables


@pytest.fixture(scope="module")
def tables() -> NameTables:
    return packaged_name_tables()


def _score(a: str, b: str, tables: NameTables) -> float:
    query, entry = prepare_name(NameInput(a), tables), prepare_name(NameInput(b), tables)
    assert query is not None and entry is not None
    return name_score(query, entry, TokenComparer(tables))


def test_adjacent_letters_swapped_are_one_edit(tables: NameTables) -> None:
    assert token_similarity("qardi", "qadri", tables) == (0.8, "spelling")
    assert token_similarity("qarid", "qadri", tables)[0] < 0.65


@pytest.mark.parametrize(
    ("tokens", "kept"),
    [
        (("dr", "haqqani"), ("haqqani",)),
        (("muhammad", "fawzi", "hajji"), ("muhammad", "fawzi", "hajji")),
        (("haji", "mullah", "sahib"), ("sahib",)),
        (("john", "smith", "jr"), ("john", "smith")),
        (("sheikh",), ("sheikh",)),
    ],
)
def test_titles_are_dropped_only_before_a_name(
    tokens: tuple[str, ...], kept: tuple[str, ...]
) -> None:
    assert drop_titles(tokens) == kept


@pytest.mark.parametrize(
    ("abjad", "listed"),
    [("bhj", "bahaji"), ("thr", "taher"), ("khlq", "khaliq"), ("qdr", "ghedeir"),
     ("fdl", "fazal"), ("akshh", "akkacha"), ("mhmd", "mohammed"), ("ashqz", "ishakzai")],
)  # fmt: skip
def test_abjad_skeleton_meets_list_spellings(abjad: str, listed: str) -> None:
    assert skeleton(phonetic_key(abjad)) == skeleton(phonetic_key(listed))


def test_skeleton_keeps_letters_that_tell_names_apart(tables: NameTables) -> None:
    assert skeleton(phonetic_key("mhmd")) != skeleton(phonetic_key("mahdi"))
    assert token_similarity("dy", "da", tables)[1] != "skeleton"  # one letter says little


def test_a_single_word_covering_joined_words_is_not_a_single_word_name(
    tables: NameTables,
) -> None:
    assert _score("Wali Jan", "Walijan", tables) == 1.0
    assert _score("Ali", "Ali Hassan", tables) < 0.8
    assert _score("Abdulrahman", "Abdul Rahman Khalid", tables) < 0.8
