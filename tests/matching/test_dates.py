"""Dates of birth: partial dates and graded comparison."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alertd.matching import dates
from alertd.matching.dates import (
    DateComparison,
    PartialDate,
    Precision,
    compare_date_pair,
    compare_dates,
    parse_partial_date,
)

# --- parsing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1985", PartialDate(1985)),
        ("1985-03", PartialDate(1985, 3)),
        ("1985-03-02", PartialDate(1985, 3, 2)),
        (" 1985-03-02 ", PartialDate(1985, 3, 2)),
        ("1984-02-29", PartialDate(1984, 2, 29)),  # a leap day
        ("1985-00", PartialDate(1985)),  # 00 = unknown
        ("1985-00-00", PartialDate(1985)),
        ("1985-03-00", PartialDate(1985, 3)),
    ],
)
def test_parse_partial_date(text: str, expected: PartialDate) -> None:
    parsed = parse_partial_date(text)
    assert parsed == expected
    assert parse_partial_date(parsed.isoformat()) == parsed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "expected a date as YYYY, YYYY-MM or YYYY-MM-DD, not 'abc'"),
        ("", "expected a date as YYYY, YYYY-MM or YYYY-MM-DD, not ''"),
        ("85", "expected a date"),
        ("1985-3-2", "expected a date"),
        ("02/03/1985", "expected a date"),
        ("1985-03-02T00:00", "expected a date"),
        ("1985-13", "'1985-13' is not a valid date: month 13 is out of range 1-12"),
        (
            "1985-02-29",
            "'1985-02-29' is not a valid date: day 29 does not exist in February 1985"
            " (which has 28 days)",
        ),
        ("1985-04-31", "day 31 does not exist in April 1985"),
        ("1985-00-05", "'1985-00-05' gives a day but a 00 (unknown) month"),
        ("0999", "year 999 is out of range 1000-9999"),
    ],
)
def test_invalid_dates_name_the_problem(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_partial_date(text)


def test_partial_date_validates_on_construction() -> None:
    with pytest.raises(ValueError, match="a day \\(2\\) is given without a month"):
        PartialDate(1985, None, 2)
    with pytest.raises(ValueError, match="month 0 is out of range"):
        PartialDate(1985, 0)


def test_partial_date_precision_and_text() -> None:
    assert PartialDate(1985).precision == "year"
    assert PartialDate(1985, 3).precision == "month"
    assert PartialDate(1985, 3, 2).precision == "day"
    assert str(PartialDate(1985, 3, 2)) == "1985-03-02"
    assert PartialDate(1985, 3, 2).truncated("month") == PartialDate(1985, 3)
    assert PartialDate(1985, 1, 1).is_placeholder
    assert PartialDate(1985, 7, 1).is_placeholder
    assert not PartialDate(1985, 1).is_placeholder
    assert not PartialDate(1985, 1, 2).is_placeholder


# --- grades ----------------------------------------------------------------------------------


def pair(query: str, entry: str) -> DateComparison:
    return compare_date_pair(parse_partial_date(query), parse_partial_date(entry))


@pytest.mark.parametrize(
    ("query", "entry", "kind", "similarity"),
    [
        ("1985-03-02", "1985-03-02", "exact", dates.SAME_DAY),
        ("1985-03", "1985-03", "exact", dates.SAME_MONTH),
        ("1985", "1985", "exact", dates.SAME_YEAR),
        ("1985-03-02", "1985", "compatible_partial", dates.SAME_YEAR),
        ("1985", "1985-03-02", "compatible_partial", dates.SAME_YEAR),
        ("1985-03-02", "1985-03", "compatible_partial", dates.SAME_MONTH),
        ("1985-03-02", "1985-02-03", "day_month_swapped", dates.DAY_MONTH_SWAPPED),
        ("1985-12-11", "1985-11-12", "day_month_swapped", dates.DAY_MONTH_SWAPPED),
        ("1985-03-02", "1986-03-02", "year_off_by_one", dates.YEAR_OFF_BY_ONE),
        ("1985-03-02", "1984-03-02", "year_off_by_one", dates.YEAR_OFF_BY_ONE),
        ("1985", "1986", "year_off_by_one", dates.YEAR_OFF_BY_ONE_PARTIAL),
        ("1985-03-02", "1986", "year_off_by_one", dates.YEAR_OFF_BY_ONE_PARTIAL),
        ("1985-03", "1986-03-02", "year_off_by_one", dates.YEAR_OFF_BY_ONE_PARTIAL),
        ("1985-06-15", "1985-01-01", "placeholder_jan_1", dates.PLACEHOLDER),
        ("1985-01-01", "1985-06-15", "placeholder_jan_1", dates.PLACEHOLDER),
        ("1985-06-15", "1985-07-01", "placeholder_jan_1", dates.PLACEHOLDER),
        ("1985-06", "1985-01-01", "placeholder_jan_1", dates.PLACEHOLDER),
        ("1986-06-15", "1985-01-01", "year_off_by_one", dates.YEAR_OFF_BY_ONE_PARTIAL),
        ("1985-03-02", "1985-03-04", "close", dates.CLOSE),  # two days apart
        ("1985-12-30", "1986-01-02", "close", dates.CLOSE),  # three days, over New Year
        ("1985-03-02", "1985-03-12", "close", dates.CLOSE),  # one digit
        ("1985-03-02", "1985-08-02", "close", dates.CLOSE),  # one digit (month)
        ("1985-03-12", "1985-03-21", "close", dates.CLOSE),  # two digits swapped
        ("1985-03-02", "1995-03-02", "close", dates.CLOSE),  # one digit (decade)
        ("1985", "1958", "close", dates.CLOSE_PARTIAL),
        ("1985", "1995", "close", dates.CLOSE_PARTIAL),
        ("1985-03-02", "1971-11-23", "different", dates.DIFFERENT),
        ("1985-03-02", "1985-09-20", "different", dates.DIFFERENT),
        ("1985", "1987", "close", dates.CLOSE_PARTIAL),  # "circa"
        ("1985", "1988", "different", dates.DIFFERENT),  # a last-digit slip looks like any year
        ("1985-03-02", "1983", "close", dates.CLOSE_PARTIAL),
        ("1985-03", "1985-11", "different", dates.DIFFERENT),
    ],
)
def test_grades(query: str, entry: str, kind: str, similarity: float) -> None:
    comparison = pair(query, entry)
    assert (comparison.kind, comparison.similarity) == (kind, similarity)
    assert (comparison.query, comparison.entry) == (query, entry)


def test_similarity_constants_are_ordered_and_in_range() -> None:
    ordered = [
        dates.SAME_DAY,
        dates.SAME_MONTH,
        dates.SAME_YEAR,
        dates.PLACEHOLDER,
        dates.YEAR_OFF_BY_ONE,
        dates.YEAR_OFF_BY_ONE_PARTIAL,
        dates.CLOSE,
        dates.CLOSE_PARTIAL,
        dates.DIFFERENT,
    ]
    assert ordered == sorted(ordered, reverse=True)
    assert dates.SAME_DAY == 1.0
    assert dates.DIFFERENT == 0.0
    assert 0.0 < dates.UNKNOWN < 1.0


# --- several dates, unknown -------------------------------------------------------------------


def test_unknown_on_either_side_is_neutral() -> None:
    date_ = parse_partial_date("1985-03-02")
    for comparison in (compare_dates(None, [date_]), compare_dates(date_, [])):
        assert comparison.kind == "unknown"
        assert comparison.similarity == dates.UNKNOWN
    assert compare_dates(None, [date_]).entry == "1985-03-02"
    assert compare_dates(date_, []).query == "1985-03-02"


def test_best_over_several_listed_dates() -> None:
    listed = [parse_partial_date(text) for text in ("1970-05-05", "1986-03-02", "1985")]
    best = compare_dates(parse_partial_date("1985-03-02"), listed)
    assert (best.kind, best.entry) == ("compatible_partial", "1985")


def test_ties_go_to_the_more_precise_listed_date() -> None:
    listed = [parse_partial_date(text) for text in ("1985", "1985-03-02")]
    best = compare_dates(parse_partial_date("1985"), listed)
    assert best.similarity == dates.SAME_YEAR
    assert best.entry == "1985-03-02"


def test_a_year_range_on_the_list_covers_each_year() -> None:
    # The importer expands "1960 to 1962" into one date per year.
    listed = [PartialDate(year) for year in (1960, 1961, 1962)]
    assert compare_dates(PartialDate(1961, 4, 9), listed).kind == "compatible_partial"
    assert compare_dates(PartialDate(1963, 4, 9), listed).kind == "year_off_by_one"


# --- officer-readable ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "entry", "text"),
    [
        (
            "1985-03-02",
            "1985-03-02",
            "Date of birth matches: traveller 1985-03-02, listed 1985-03-02.",
        ),
        (
            "1985-03-02",
            "1985",
            "Date of birth compatible: traveller 1985-03-02, listed 1985;"
            " the listed date gives only the year.",
        ),
        (
            "1985-03",
            "1985-03-02",
            "Date of birth compatible: traveller 1985-03, listed 1985-03-02;"
            " the traveller date gives only the year and month.",
        ),
        (
            "1985-03-02",
            "1985-02-03",
            "Date of birth matches with day and month swapped:"
            " traveller 1985-03-02, listed 1985-02-03.",
        ),
        (
            "1985-03-02",
            "1986-03-02",
            "Date of birth matches except the year, off by one:"
            " traveller 1985-03-02, listed 1986-03-02.",
        ),
        (
            "1985-06-15",
            "1985-01-01",
            "Date of birth agrees on the year: traveller 1985-06-15, listed 1985-01-01;"
            " the listed 1985-01-01 is likely a placeholder for 'born in 1985'.",
        ),
        (
            "1985-03-02",
            "1985-03-03",
            "Date of birth is close: traveller 1985-03-02, listed 1985-03-03; 1 day apart.",
        ),
        (
            "1985-03-02",
            "1975-03-02",
            "Date of birth is close: traveller 1985-03-02, listed 1975-03-02;"
            " one digit differs, or two adjacent digits are swapped.",
        ),
        (
            "1985-03-02",
            "1971-11-23",
            "Date of birth differs: traveller 1985-03-02, listed 1971-11-23.",
        ),
    ],
)
def test_describe(query: str, entry: str, text: str) -> None:
    assert pair(query, entry).describe() == text


def test_describe_unknown() -> None:
    assert compare_dates(None, [PartialDate(1985)]).describe() == (
        "Date of birth: unknown for the traveller (not counted)."
    )
    assert compare_dates(PartialDate(1985), []).describe() == (
        "Date of birth: none listed for the entry (not counted)."
    )


# --- properties -------------------------------------------------------------------------------


PRECISIONS: tuple[Precision, ...] = ("year", "month", "day")


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    day = draw(st.dates(min_value=date(1900, 1, 1)))
    precision = draw(st.sampled_from(PRECISIONS))
    return PartialDate(day.year, day.month, day.day).truncated(precision)


@settings(max_examples=500, deadline=None)
@given(partial_dates(), partial_dates())
def test_grades_are_symmetric_and_in_range(first: PartialDate, second: PartialDate) -> None:
    forward, backward = compare_date_pair(first, second), compare_date_pair(second, first)
    assert forward.kind == backward.kind
    assert forward.similarity == backward.similarity
    assert 0.0 <= forward.similarity <= 1.0
    assert (forward.kind == "exact") == (first == second)
    forward.describe()


@settings(max_examples=300, deadline=None)
@given(partial_dates(), st.lists(partial_dates(), min_size=1, max_size=4))
def test_best_is_at_least_as_good_as_each_listed_date(
    query: PartialDate, listed: list[PartialDate]
) -> None:
    best = compare_dates(query, listed)
    assert best.entry in {str(date_) for date_ in listed}
    assert best.similarity == max(compare_date_pair(query, date_).similarity for date_ in listed)


@settings(max_examples=200, deadline=None)
@given(partial_dates())
def test_isoformat_round_trips(value: PartialDate) -> None:
    assert parse_partial_date(value.isoformat()) == value
