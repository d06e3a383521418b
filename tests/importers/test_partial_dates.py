from __future__ import annotations

import datetime as dt

import pytest

from alertd.importers.partial_dates import (
    MAX_RANGE_YEARS,
    is_valid_partial_date,
    parse_written_date,
    years_between,
)

TODAY = dt.date(2026, 3, 1)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("12 Jan 1965", "1965-01-12"),
        ("03 May 1938", "1938-05-03"),
        ("5 September 1970", "1970-09-05"),
        ("Jan 1965", "1965-01"),
        ("Nov. 1973", "1973-11"),
        ("Sept 1958", "1958-09"),
        ("August 1961", "1961-08"),
        ("1965", "1965"),
        ("1965.", "1965"),
        ("1978-04-28", "1978-04-28"),
        ("1978-04", "1978-04"),
        ("1978-04-28T00:00:00", "1978-04-28"),
        ("  1971 ", "1971"),
    ],
)
def test_written_dates_become_partial_iso(written: str, expected: str) -> None:
    assert parse_written_date(written) == expected


@pytest.mark.parametrize(
    "written",
    [
        "",
        "circa 1970",
        "30-35 years old",
        "24/06/1402 (Hijri Calendar)",
        "12 1965",  # a day without a month
        "Mayor 1965",  # not a month, though it starts like one
        "Between Aug. and Sep. 1977",
        "1960 to 1962",  # a range is the remark parser's business
        "65",
    ],
)
def test_unreadable_dates_are_refused(written: str) -> None:
    assert parse_written_date(written) is None


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("1965", True),
        ("1965-02", True),
        ("1964-02-29", True),
        ("1965-02-29", False),  # not a leap year
        ("1965-13", False),
        ("1965-00", False),
        ("1965-04-31", False),
        ("1879", False),  # before any living or listed person
        ("1880", True),
        ("2026-03", True),
        ("2026-04", False),  # in the future
        ("2027", False),
        ("65-01-01", False),
        ("1965-1-1", False),
        ("1965/01/01", False),
    ],
)
def test_partial_date_validity(value: str, valid: bool) -> None:
    assert is_valid_partial_date(value, today=TODAY) is valid


def test_year_ranges_expand_to_each_year() -> None:
    assert years_between(1960, 1962) == ("1960", "1961", "1962")
    assert years_between(1970, 1970) == ("1970",)


def test_reversed_or_too_wide_ranges_are_refused() -> None:
    assert years_between(1962, 1960) is None
    assert years_between(1950, 1950 + MAX_RANGE_YEARS) is not None
    assert years_between(1950, 1950 + MAX_RANGE_YEARS + 1) is None
