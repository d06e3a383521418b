"""korean_latin: a Korean name in Latin letters also read in one spelling per syllable."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from alertd.matching.korean_latin import (
    FINALS,
    INITIALS,
    VOWELS,
    korean_reading,
    syllable_key,
)
from tests.matching.helpers import word_slots


def test_the_romanisations_of_one_syllable_have_one_key() -> None:
    assert syllable_key("geun") == syllable_key("kun") == "kun"  # 근: RR, MR
    assert syllable_key("jeong") == syllable_key("chong")  # 정
    assert syllable_key("hyeon") == syllable_key("hyon")  # 현
    assert syllable_key("hui") == syllable_key("hee")  # 희
    assert syllable_key("moo") == syllable_key("mu")  # 무
    assert syllable_key("thaek") == syllable_key("taek")  # 택, North Korea's th


def test_distinct_syllables_keep_distinct_keys() -> None:
    assert syllable_key("un") != syllable_key("nam")
    assert syllable_key("chol") != syllable_key("chan")
    assert syllable_key("sik") != syllable_key("sok")
    # o and u stay apart: else 철 chol and 춘 chun came a letter apart, and aligned.
    assert syllable_key("chun") == "chun"


def test_a_word_that_is_no_korean_syllable_has_no_key() -> None:
    for word in ("thein", "smith", "jennifer", "xi", "q"):
        assert syllable_key(word) is None


def test_a_korean_name_is_read_with_its_given_name_syllables_keyed() -> None:
    assert korean_reading(word_slots("park", "geun", "hye")) == (
        ("park",),
        ("kun",),
        ("hye",),
    )
    # Family name last, as some lists write it.
    assert korean_reading(word_slots("gyeok", "sik", "kim")) == (("kyok",), ("sik",), ("kim",))


def test_two_syllables_written_together_are_keyed_each_way_they_cut() -> None:
    reading = korean_reading(word_slots("kim", "jongun"))
    assert reading is not None
    assert reading[1] == ("chonkun", "chongun")  # jon-gun, jong-un


def test_names_that_do_not_look_korean_are_not_read() -> None:
    for words in (
        ("john", "smith"),  # no Korean family name
        ("kim", "jennifer"),  # a word that is no Korean syllable
        ("kim",),  # one word
        ("kim", "a", "b", "c", "d"),  # more words than a Korean name has
    ):
        assert korean_reading(word_slots(*words)) is None


def test_a_name_already_in_keys_gets_no_reading() -> None:
    assert korean_reading(word_slots("kim", "chol", "chon")) is None


_SYLLABLES = st.builds(
    lambda i, v, f: i + v + f,
    st.sampled_from(sorted(INITIALS)),
    st.sampled_from(sorted(VOWELS)),
    st.sampled_from(sorted(FINALS)),
)


@given(_SYLLABLES)
def test_a_key_is_its_own_key(syllable: str) -> None:
    key = syllable_key(syllable)
    assert key is not None
    assert syllable_key(key) == key
