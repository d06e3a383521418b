"""wade_giles: a Chinese name written by Wade-Giles also read as pinyin."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from alertd.matching.wade_giles import (
    NOT_WADE_GILES,
    build_table,
    pinyin_of,
    pinyin_reading,
    wade_giles_syllable,
)
from tests.matching.helpers import word_slots


def test_the_table_holds_the_syllables_pinyin_writes_otherwise() -> None:
    table = pinyin_of()
    assert table["hsu"] == ("xu",)
    assert table["chih"] == ("chi", "zhi")  # ch' and ch: passports drop the apostrophe
    assert table["tsai"] == ("cai", "zai")
    assert table["jen"] == ("ren",)


def test_each_word_gets_its_pinyin_spellings_then_its_own() -> None:
    assert pinyin_reading(word_slots("hsu", "chih", "ming")) == (
        ("xu", "hsu"),
        ("chi", "zhi", "chih"),
        ("ming",),
    )


def test_a_given_name_written_without_its_hyphen_is_read_by_syllable() -> None:
    reading = pinyin_reading(word_slots("hsu", "chihming"))
    assert reading is not None
    assert reading[1] == ("chiming", "zhiming", "chihming")


def test_names_pinyin_spells_as_well_or_not_chinese_are_not_read() -> None:
    for words in (
        ("li", "ming"),  # pinyin as much as Wade-Giles
        ("xu", "zhiming"),  # pinyin
        ("john", "smith"),
        ("hsu",),  # one word
        ("hsu", "abdullah"),
    ):
        assert pinyin_reading(word_slots(*words)) is None


@given(
    st.lists(
        st.sampled_from(sorted({p for ps in pinyin_of().values() for p in ps})),
        min_size=2,
        max_size=4,
    )
)
def test_a_name_of_pinyin_syllables_is_never_read_again(words: list[str]) -> None:
    assert pinyin_reading(word_slots(*words)) is None


def test_the_packaged_table_is_what_pypinyin_gives_today() -> None:
    """data/wade_giles.tsv is written by build_tables.py: regenerate, never edit."""
    assert pinyin_of() == build_table()


def test_pypinyins_slips_are_corrected() -> None:
    assert wade_giles_syllable("hai") == "hai"  # pypinyin gives "hei"
    assert wade_giles_syllable("tie") == "tieh"  # and "t'oeh"
    assert wade_giles_syllable("xue") == "hsueh"
    assert wade_giles_syllable("lü") == wade_giles_syllable("lv") == "lu"


def test_the_letters_ruled_out_at_once_are_in_no_wade_giles_syllable() -> None:
    assert all(NOT_WADE_GILES.isdisjoint(syllable) for syllable in pinyin_of())
