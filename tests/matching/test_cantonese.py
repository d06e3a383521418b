"""cantonese: Han characters as Hong Kong and Macau passports spell them."""

from __future__ import annotations

from alertd.matching.cantonese import (
    MOST_PER_WORD,
    build_table,
    spellings_of,
    word_spellings,
)


def test_the_government_spelling_comes_before_jyutping_like_ones() -> None:
    table = spellings_of()
    assert table["大"][0] == "tai"  # the package lists daai, dai, tai
    assert table["郭"][0] == "kwok"
    assert table["張"][0] == "cheung"


def test_simplified_characters_have_their_traditional_forms_spellings() -> None:
    table = spellings_of()
    assert table["陈"] == table["陳"]
    assert table["张"] == table["張"]


def test_a_word_is_its_characters_spelled_together() -> None:
    assert word_spellings("大文") == ("taiman", "daaiman")
    assert word_spellings("陳") == ("chan", "chun")


def test_a_word_with_a_character_the_table_lacks_has_no_cantonese_spelling() -> None:
    assert word_spellings("陳x") == ()
    assert word_spellings("") == ()


def test_a_word_has_few_spellings() -> None:
    assert len(word_spellings("干干干")) <= MOST_PER_WORD


def test_the_packaged_table_is_what_the_packages_give_today() -> None:
    """data/cantonese.tsv is written by build_tables.py: regenerate, never edit."""
    assert spellings_of() == build_table()
