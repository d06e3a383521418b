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


def test_without_a_stem_nothing_is_joined() -> None:
    for slots in (
        word_slots("abd", "al"),  # no stem
        word_slots("abd", "al", "a"),  # an initial is no stem
        word_slots("abd", "al", "al", "rahman"),  # an article is no stem
        word_slots("abdul", "bin", "hassan"),  # a particle is no stem: Abdul, son of Hassan
    ):
        assert joined_compounds(slots) is None


def test_abd_and_a_stem_become_one_word_with_the_unwritten_article() -> None:
    # Malaysian identity cards write "Abd Rahman"; the one word is Abdulrahman,
    # Abdurrahman...
    assert joined_compounds(word_slots("abd", "rahman", "yaacob")) == (
        ("abdalrahman", "abdulrahman", "abdelrahman", "abdurrahman"),
        ("yaacob",),
    )


def test_abd_with_its_article_glued_on_and_a_stem_become_one_word() -> None:
    assert joined_compounds(word_slots("abdul", "rahman", "yasin")) == (
        ("abdulrahman", "abdelrahman", "abdalrahman", "abdurrahman"),
        ("yasin",),
    )
    rahim = joined_compounds(word_slots("abdur", "rahim"))
    hossein = joined_compounds(word_slots("abdol", "hossein"))  # Persian
    assert rahim is not None and rahim[0][0] == "abdurrahim"
    assert hossein is not None and "abdulhossein" in hossein[0]


def test_two_words_are_joined_only_before_a_name_of_god() -> None:
    # "Abdul Muhammad Khan" is Abdul and Muhammad: read as one word, it met "Khan Ahmad
    # Muhammad" ("ahmadmuhammad" against "abdalmuhammad").
    assert joined_compounds(word_slots("abdul", "muhammad", "khan")) is None
    kader = joined_compounds(word_slots("abdul", "kader"))  # al-Qadir, as spelled
    assert kader is not None and kader[0][0] == "abdulkader"


def test_a_stem_holding_the_article_is_not_given_another() -> None:
    # Abd Allah is Abdallah or Abdullah, not Abd-al-allah.
    assert joined_compounds(word_slots("abd", "allah", "omar")) == (
        ("abdallah", "abdullah", "abdellah"),
        ("omar",),
    )


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


_WORDS = st.sampled_from(
    ["abd", "abdul", "al", "el", "ar", "rahman", "mohd", "a", "omar", "allah", "bin"]
)


@given(st.lists(_WORDS, max_size=7).map(lambda words: word_slots(*words)))
def test_applying_twice_changes_nothing_more(slots: tuple[tuple[str, ...], ...]) -> None:
    joined = joined_compounds(slots) or slots
    assert joined_compounds(joined) is None
    spelled = spell_out_abbreviations(slots)
    assert spell_out_abbreviations(spelled) == spelled
