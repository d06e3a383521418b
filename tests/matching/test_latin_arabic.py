"""latin_arabic: "Abd al-X" made one word, Muhammad's abbreviations spelled out."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from alertd.matching.latin_arabic import abd_compound, joined_compounds, spell_out_abbreviations
from tests.matching.helpers import word_slots


def test_abd_article_and_stem_become_one_word_spelled_as_lists_write_it() -> None:
    assert joined_compounds(word_slots("abd", "al", "rahman", "khalid")) == (
        ("abdalrahman", "abdulrahman", "abdelrahman", "abdurrahman"),
        ("khalid",),
    )


def test_a_stem_opening_with_a_moon_letter_is_not_assimilated() -> None:
    assert abd_compound("el", "kader") == ("abdelkader", "abdulkader", "abdalkader")


def test_an_assimilated_article_keeps_its_spelling_first() -> None:
    assert abd_compound("as", "salam")[0] == "abdassalam"
    assert "abdussalam" in abd_compound("as", "salam")


def test_abd_split_from_a_glued_title_starts_a_compound() -> None:
    slots = (("hajiabd", "abd"), ("al",), ("basir",))
    assert joined_compounds(slots) == (abd_compound("al", "basir"),)


def test_without_a_stem_or_an_article_nothing_is_joined() -> None:
    for slots in (
        word_slots("abd", "al"),  # no stem
        word_slots("abd", "al", "a"),  # an initial is no stem
        word_slots("abd", "al", "al", "rahman"),  # an article is no stem
        word_slots("abd", "allah", "omar"),  # no article: two words, joined by the comparison
    ):
        assert joined_compounds(slots) is None


def test_muhammad_is_another_spelling_of_its_abbreviations() -> None:
    assert spell_out_abbreviations(word_slots("mohd", "yusuf")) == (
        ("mohd", "muhammad"),
        ("yusuf",),
    )
    assert spell_out_abbreviations(word_slots("md", "islam")) == (("md", "muhammad"), ("islam",))


def test_names_without_either_are_left_alone() -> None:
    slots = word_slots("john", "abdullah", "mohammed")
    assert joined_compounds(slots) is None
    assert spell_out_abbreviations(slots) is slots


_WORDS = st.sampled_from(["abd", "al", "el", "ar", "rahman", "mohd", "a", "omar", "allah"])


@given(st.lists(_WORDS, max_size=7).map(lambda words: word_slots(*words)))
def test_applying_twice_changes_nothing_more(slots: tuple[tuple[str, ...], ...]) -> None:
    joined = joined_compounds(slots) or slots
    assert joined_compounds(joined) is None
    spelled = spell_out_abbreviations(slots)
    assert spell_out_abbreviations(spelled) == spelled
