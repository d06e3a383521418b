"""indonesian_spelling: an Indonesian name in the old spelling also read in today's."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from alertd.matching.indonesian_spelling import is_old_spelling, modern_reading, modern_spelling
from tests.matching.helpers import word_slots


def test_old_letter_groups_read_in_todays_spelling() -> None:
    assert modern_spelling("soeharto") == "suharto"  # 1947: oe -> u
    assert modern_spelling("tjahjo") == "cahyo"  # 1972: tj -> c, j -> y
    assert modern_spelling("joesoef") == "yusuf"
    assert modern_spelling("djojohadikoesoemo") == "joyohadikusumo"  # dj is j, not y
    assert modern_spelling("sjahrir") == "syahrir"


def test_only_words_in_the_old_spelling_are_read_again() -> None:
    assert modern_reading(word_slots("djoko", "widodo")) == (("joko", "djoko"), ("widodo",))


def test_names_in_todays_spelling_are_not_read() -> None:
    for words in (("joko", "widodo"), ("benjamin", "sanjay"), ("john", "smith")):
        assert modern_reading(word_slots(*words)) is None


@given(st.text(alphabet="acdehjnostuy", max_size=12))
def test_todays_spelling_is_never_longer_and_leaves_other_letters_alone(word: str) -> None:
    modern = modern_spelling(word)
    assert len(modern) <= len(word)
    if not is_old_spelling(word) and "j" not in word and "ch" not in word:
        assert modern == word
