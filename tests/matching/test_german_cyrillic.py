"""german_cyrillic: a Russian name written the German way also read the English way."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from alertd.matching.german_cyrillic import (
    MOST_SPELLINGS,
    english_reading,
    english_spellings,
    is_german_spelling,
)
from tests.matching.helpers import word_slots


def test_letter_groups_are_read_longest_first() -> None:
    assert english_spellings("chruschtschow") == ["khrushchov"]  # х ч щ в
    assert english_spellings("jelzin") == ["yeltsin"]  # е ц
    assert english_spellings("sergejewitsch") == ["sergeyevich"]


def test_sch_is_both_sh_and_zh() -> None:
    assert english_spellings("schukow") == ["shukov", "zhukov"]


def test_a_single_s_between_vowels_is_z_and_a_double_one_s() -> None:
    assert english_spellings("kasan") == ["kazan"]
    assert english_spellings("borissowitsch") == ["borisovich"]


def test_every_word_is_read_once_a_word_shows_the_convention() -> None:
    assert english_reading(word_slots("boris", "nikolajewitsch", "jelzin")) == (
        ("boris",),
        ("nikolayevich", "nikolajewitsch"),
        ("yeltsin", "jelzin"),
    )


def test_names_without_the_convention_are_not_read() -> None:
    for words in (("boris", "jelzin"), ("john", "smith"), ("iwan",)):
        assert english_reading(word_slots(*words)) is None


@given(st.text(alphabet="abcdehijklnorstuwz", max_size=16))
def test_spellings_are_few_and_end_with_the_word_as_written(word: str) -> None:
    reading = english_reading(word_slots("petrow", word))
    assert reading is not None
    for slot, written in zip(reading, ("petrow", word), strict=True):
        assert slot[-1] == written
        assert len(slot) <= MOST_SPELLINGS + 1
        assert len(set(slot)) == len(slot)


def test_the_endings_that_show_the_convention() -> None:
    assert is_german_spelling("gorbatschow")
    assert is_german_spelling("iwanowa")
    assert is_german_spelling("sergejewna")
    assert not is_german_spelling("ivanov")
