"""Document numbers: normalisation, confusable keys, graded comparison, index keys."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alertd.matching import documents
from alertd.matching.documents import (
    DocumentComparison,
    best_document_comparison,
    compare_document,
    confusable_key,
    document_keys,
    normalise_document_number,
)


@dataclass(frozen=True)
class Doc:
    """Shaped like model.DocumentInput (the Protocol documents.py accepts)."""

    number: str
    country: str | None = None
    type: str = "passport"


def compare(query: str, entry: str) -> DocumentComparison:
    return compare_document(Doc(query), Doc(entry))


# --- normalisation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("L898902C3", "L898902C3"),
        ("l 898-902.c3", "L898902C3"),
        ("  L898902C3<<<< ", "L898902C3"),
        ("AB/123_456", "AB123456"),
        ("Ｌ８９８９０２Ｃ３", "L898902C3"),  # full-width forms
        ("№ 4512 345678", "4512345678"),  # "№" is not "No"
        ("АВ 123456", "AB123456"),  # Cyrillic А and В
        ("ΑΒ123456", "AB123456"),  # Greek Alpha and Beta
        ("", ""),
        ("---", ""),
    ],
)
def test_normalise_document_number(raw: str, normalised: str) -> None:
    assert normalise_document_number(raw) == normalised


@pytest.mark.parametrize(
    ("letters", "digit"),
    [*zip("OQDILSBZG", "000115826", strict=True)],
)
def test_confusable_key_folds_each_letter_to_its_digit(letters: str, digit: str) -> None:
    assert confusable_key(f"X{letters}9") == f"X{digit}9"
    assert confusable_key(f"x{letters.lower()}9") == f"X{digit}9"


def test_confusable_key_leaves_other_letters() -> None:
    assert confusable_key("AETUVXY47") == "AETUVXY47"


# --- comparison grades -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "entry", "kind"),
    [
        ("L898902C3", "L898902C3", "exact"),
        ("l898 902 c3", "L898902C3", "exact"),
        ("L8989O2C3", "L898902C3", "confusable"),  # O for 0
        ("1898902C3", "L898902C3", "confusable"),  # 1 for L
        ("ASBOILZGQ", "A58011260", "confusable"),  # every folded letter at once
        ("L898902C4", "L898902C3", "one_edit"),  # substitution
        ("L898920C3", "L898902C3", "one_edit"),  # adjacent transposition
        ("L89890C3", "L898902C3", "one_edit"),  # deletion
        ("L8989022C3", "L898902C3", "one_edit"),  # insertion
        ("L8989O2C4", "L898902C3", "one_edit"),  # a confusable plus a typo
        ("L123456C3", "L898902C3", "different"),
        ("L898912C4", "L898902C3", "different"),  # two substitutions
        ("12345", "12346", "different"),  # too short for one edit
        ("123456", "123457", "one_edit"),  # long enough
        ("", "L898902C3", "not_comparable"),
        ("<<<", "L898902C3", "not_comparable"),
    ],
)
def test_grades(query: str, entry: str, kind: str) -> None:
    comparison = compare(query, entry)
    assert comparison.kind == kind
    expected = {
        "exact": documents.EXACT,
        "confusable": documents.CONFUSABLE,
        "one_edit": documents.ONE_EDIT,
        "different": documents.DIFFERENT,
        "not_comparable": documents.NOT_COMPARABLE,
    }[kind]
    assert comparison.similarity == expected


def test_similarities_are_ordered() -> None:
    assert 1.0 == documents.EXACT > documents.CONFUSABLE > documents.ONE_EDIT > 0.0
    assert documents.DIFFERENT == documents.NOT_COMPARABLE == 0.0


def test_comparison_reports_normalised_numbers() -> None:
    comparison = compare("l898-902-c3", "L898 902 C3")
    assert (comparison.query_number, comparison.entry_number) == ("L898902C3", "L898902C3")


@pytest.mark.parametrize(
    ("query_country", "entry_country", "agrees"),
    [
        ("FRA", "FRA", True),
        ("fra", "FRA", True),
        ("D", "DEU", True),  # the MRZ code for Germany
        ("GBD", "GBR", True),
        ("FRA", "DEU", False),
        (None, "DEU", None),
        ("FRA", None, None),
        ("", "DEU", None),
    ],
)
def test_country_agreement_is_reported_separately(
    query_country: str | None, entry_country: str | None, agrees: bool | None
) -> None:
    comparison = compare_document(Doc("L898902C3", query_country), Doc("L898902C3", entry_country))
    assert comparison.kind == "exact"  # the number grade is not changed by the country
    assert comparison.country_agrees is agrees


def test_matching_number_on_another_document_type_is_still_reported() -> None:
    comparison = compare_document(Doc("X1234567", type="passport"), Doc("X1234567", type="id"))
    assert comparison.kind == "exact"
    assert comparison.entry_type == "national_id"


@pytest.mark.parametrize(
    ("query", "entry", "kind"),
    [
        # Same kind and issuer (or unknown issuer): a differing number is evidence.
        (Doc("11111111", "FRA", "passport"), Doc("99999999", "FRA", "passport"), "different"),
        (Doc("11111111", None, "passport"), Doc("99999999", "FRA", "passport"), "different"),
        (
            Doc("11111111", "FRA", "passport"),
            Doc("99999999", "FRA", "travel_document"),
            "different",
        ),
        (Doc("11111111", "FRA", ""), Doc("99999999", "FRA", "national_id"), "different"),
        # Another kind of document, or another issuer: says nothing.
        (
            Doc("11111111", "FRA", "passport"),
            Doc("99999999", "FRA", "national_id"),
            "not_comparable",
        ),
        (Doc("11111111", "FRA", "passport"), Doc("99999999", "DEU", "passport"), "not_comparable"),
        (Doc("11111111", "FRA", "visa"), Doc("99999999", "FRA", "passport"), "not_comparable"),
    ],
)
def test_different_only_for_comparable_documents(query: Doc, entry: Doc, kind: str) -> None:
    assert compare_document(query, entry).kind == kind


# --- best over several documents ----------------------------------------------------------------


def test_best_is_none_without_documents() -> None:
    assert best_document_comparison([], [Doc("X1234567")]) is None
    assert best_document_comparison([Doc("X1234567")], []) is None


def test_best_prefers_the_strongest_grade() -> None:
    traveller = [Doc("L898902C3", "UTO"), Doc("ID5550001", "UTO", "national_id")]
    listed = [Doc("Z9999999", "UTO"), Doc("L8989O2C3", "UTO"), Doc("L898902C4", "UTO")]
    best = best_document_comparison(traveller, listed)
    assert best is not None
    assert best.kind == "confusable"
    assert best.entry_number == "L8989O2C3"


def test_best_prefers_different_over_not_comparable() -> None:
    traveller = [Doc("11111111", "FRA", "passport")]
    listed = [Doc("22222222", "FRA", "national_id"), Doc("33333333", "FRA", "passport")]
    best = best_document_comparison(traveller, listed)
    assert best is not None
    assert best.kind == "different"
    assert best.entry_number == "33333333"


def test_best_breaks_ties_by_country_agreement() -> None:
    traveller = [Doc("X1234567", "FRA")]
    listed = [Doc("X1234567", "DEU"), Doc("X1234567", None), Doc("X1234567", "FRA")]
    best = best_document_comparison(traveller, listed)
    assert best is not None
    assert (best.kind, best.country_agrees, best.entry_country) == ("exact", True, "FRA")


# --- officer-readable -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "entry", "expected"),
    [
        (
            Doc("L898902C3", "UTO"),
            Doc("L898902C3", "UTO"),
            "Document number matches exactly: L898902C3. Issued by the same country (UTO).",
        ),
        (
            Doc("L8989O2C3"),
            Doc("L898902C3"),
            "Document number matches if look-alike characters (O/0, I/1, S/5, B/8, Z/2, G/6)"
            " are read alike: traveller L8989O2C3, listed L898902C3.",
        ),
        (
            Doc("L898902C4"),
            Doc("L898902C3"),
            "Document number is one character away (character 9: '4' vs '3'):"
            " traveller L898902C4, listed L898902C3.",
        ),
        (
            Doc("L898920C3"),
            Doc("L898902C3"),
            "Document number is one character away (characters 6 and 7 swapped):"
            " traveller L898920C3, listed L898902C3.",
        ),
        (
            Doc("L89890C3"),
            Doc("L898902C3"),
            "Document number is one character away ('2' at character 7 missing on the"
            " traveller's document): traveller L89890C3, listed L898902C3.",
        ),
        (
            Doc("L8989022C3"),
            Doc("L898902C3"),
            "Document number is one character away (extra '2' at character 8 on the"
            " traveller's document): traveller L8989022C3, listed L898902C3.",
        ),
        (
            Doc("11111111", "FRA"),
            Doc("99999999", "DEU"),
            "Document numbers not comparable (issued by different countries):"
            " traveller 11111111, listed 99999999. Issuing countries differ:"
            " traveller FRA, listed DEU.",
        ),
        (
            Doc("11111111", type="visa"),
            Doc("99999999"),
            "Document numbers not comparable (traveller visa, listed passport):"
            " traveller 11111111, listed 99999999.",
        ),
    ],
)
def test_describe(query: Doc, entry: Doc, expected: str) -> None:
    assert compare_document(query, entry).describe() == expected


def test_describe_edit_positions_ignore_confusables_before_the_edit() -> None:
    # The O at character 6 folds to 0 and is not the edit; character 9 is.
    assert compare("L8989O2C4", "L898902C3").edit == "character 9: '4' vs '3'"


# --- index keys -----------------------------------------------------------------------------


def test_document_keys() -> None:
    keys = document_keys("L8989O2C3")
    assert keys[0] == confusable_key("L8989O2C3") == "1898902C3"
    assert "898902C3" in keys  # first character deleted
    assert "1898902C" in keys  # last character deleted
    assert len(keys) == len(set(keys)) <= 10
    assert document_keys("") == ()
    assert document_keys("<< -") == ()
    # Too short to be graded one_edit: the key alone.
    assert document_keys("12345") == ("12345",)


NUMBER_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CONFUSABLE_PAIRS = {"0": "ODQ", "1": "IL", "5": "S", "8": "B", "2": "Z", "6": "G"}


@st.composite
def edited_pairs(draw: st.DrawFn) -> tuple[str, str]:
    """A number and a copy with at most one edit and any confusable swaps."""
    number = draw(st.text(alphabet=NUMBER_ALPHABET, min_size=1, max_size=12))
    edit = draw(st.sampled_from(["none", "substitute", "insert", "delete", "transpose"]))
    at = draw(st.integers(min_value=0, max_value=len(number) - 1))
    other = draw(st.sampled_from(NUMBER_ALPHABET))
    if edit == "substitute":
        copy = number[:at] + other + number[at + 1 :]
    elif edit == "insert":
        copy = number[:at] + other + number[at:]
    elif edit == "delete":
        copy = number[:at] + number[at + 1 :]
    elif edit == "transpose" and at + 1 < len(number):
        copy = number[:at] + number[at + 1] + number[at] + number[at + 2 :]
    else:
        copy = number
    swaps = draw(st.lists(st.booleans(), min_size=len(copy), max_size=len(copy)))
    confused = "".join(
        draw(st.sampled_from(CONFUSABLE_PAIRS[ch])) if swap and ch in CONFUSABLE_PAIRS else ch
        for ch, swap in zip(copy, swaps, strict=True)
    )
    separators = draw(st.sampled_from(["", " ", "-"]))
    return number, separators.join(confused)


@settings(max_examples=500, deadline=None)
@given(edited_pairs())
def test_numbers_graded_as_matching_always_share_an_index_key(pair: tuple[str, str]) -> None:
    query, entry = pair
    comparison = compare(query, entry)
    if comparison.kind in ("exact", "confusable", "one_edit"):
        assert set(document_keys(query)) & set(document_keys(entry))


@settings(max_examples=300, deadline=None)
@given(edited_pairs())
def test_one_edit_pairs_of_long_numbers_are_graded_as_matching(pair: tuple[str, str]) -> None:
    query, entry = pair
    long_enough = min(len(confusable_key(query)), len(confusable_key(entry)))
    if long_enough >= documents.MIN_LENGTH_FOR_ONE_EDIT:
        assert compare(query, entry).kind in ("exact", "confusable", "one_edit")


@settings(max_examples=300, deadline=None)
@given(st.text(), st.text())
def test_comparison_never_crashes_and_is_symmetric_in_kind(query: str, entry: str) -> None:
    forward = compare(query, entry)
    backward = compare(entry, query)
    assert forward.kind == backward.kind
    assert 0.0 <= forward.similarity <= 1.0
    forward.describe()
