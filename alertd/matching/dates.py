"""Dates of birth: partial dates and graded comparison.

A date of birth is `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a "00" month or day is read as
"unknown", as some lists and documents write it). Comparing the traveller's date with an
entry's dates gives graded evidence rather than a yes/no cliff, because the ways dates go
wrong are well known: a day and month written the other way round, a year off by one
(an age converted to a year, a typo), 1 January standing in for "born in 1985", a digit
misread. The grades, best first:

    exact               the same date (to the precision both give)
    compatible_partial  agree as far as the less precise side goes (1985 ~ 1985-03-02)
    placeholder_jan_1   one side is 1 January (or 1 July) of the same year: a placeholder
    day_month_swapped   1985-03-02 ~ 1985-02-03
    year_off_by_one     1985-03-02 ~ 1986-03-02 (or 1985 ~ 1986)
    close               a few days apart, or one digit wrong or two adjacent digits swapped
                        (years only: two apart, or a slip in the decade or century)
    different           none of the above
    unknown             either side has no date: neutral, never evidence against

The similarity of each grade is a named constant below.
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Final, Literal

from rapidfuzz.distance import OSA

DateKind = Literal[
    "exact",
    "compatible_partial",
    "day_month_swapped",
    "year_off_by_one",
    "placeholder_jan_1",
    "close",
    "different",
    "unknown",
]
Precision = Literal["year", "month", "day"]

# --- Similarity of each grade (evidence in [0, 1]; 1 = the same date) -------------------

# The same full date: the strongest date evidence there is.
SAME_DAY: Final = 1.0
# Agreement to the month only (one side gives no day): a 1-in-~30 coincidence less rare.
SAME_MONTH: Final = 0.95
# Agreement on the year only: weak on its own (~1 in 60 adults share a birth year), but
# it must not count *against* the match.
SAME_YEAR: Final = 0.9
# 1 January / 1 July of the same year: these days are heavily over-represented in lists
# and in documents issued to people whose birthday is unknown, so the day and month
# usually mean "some time that year". Slightly below a plain year agreement because the
# placeholder might be a real birthday that disagrees.
PLACEHOLDER: Final = 0.85
# Day and month swapped (US vs. European order): a common transcription error.
DAY_MONTH_SWAPPED: Final = 0.85
# Same day and month, year off by one: ages converted to years, typos, alt. DOBs.
YEAR_OFF_BY_ONE: Final = 0.8
# Year off by one when one side gives only the year (or year and month): "circa".
YEAR_OFF_BY_ONE_PARTIAL: Final = 0.7
# A few days apart, or one digit wrong / two adjacent digits swapped, on full dates:
# rare by chance (~1 in 500 random dates), common as a clerical error.
CLOSE: Final = 0.6
# The same kind of slip on a partial date (1985 vs 1995), or years two apart: several
# years lie "close" to any given year, so it is weaker evidence.
CLOSE_PARTIAL: Final = 0.35
# Nothing in common.
DIFFERENT: Final = 0.0
# Either side unknown. The kind "unknown" is what callers should test (and leave the
# feature out of the score); the value is the neutral midpoint for callers that average.
UNKNOWN: Final = 0.5

# Full dates at most this many days apart are "close" (calendar conversions, e.g. from
# the Hijri or Solar Hijri calendar, are often a day or two out; typos a few more).
CLOSE_DAYS: Final = 3
# Years (when a side gives only the year) at most this far apart are "close": lists
# often give an approximate year ("circa 1985", "1984 or 1986").
CLOSE_YEARS: Final = 2

# Day-month pairs used as "day unknown" placeholders (1 July: mid-year, used by some
# registries for the same purpose as 1 January).
PLACEHOLDER_DAYS: Final = frozenset({(1, 1), (7, 1)})

_AGREEMENT: Final[dict[Precision, float]] = {
    "day": SAME_DAY,
    "month": SAME_MONTH,
    "year": SAME_YEAR,
}
_PRECISION_RANK: Final[dict[Precision, int]] = {"year": 1, "month": 2, "day": 3}

# Distinct date texts whose parse is remembered (a century of days is ~36,500).
PARSED_DATE_MEMO: Final = 1 << 16

_PARTIAL_ISO: Final = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True)
class PartialDate:
    """A date of birth known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        _validate(self.year, self.month, self.day)

    @property
    def precision(self) -> Precision:
        if self.month is None:
            return "year"
        return "month" if self.day is None else "day"

    def isoformat(self) -> str:
        return self._iso

    def __str__(self) -> str:
        return self._iso

    @cached_property
    def _iso(self) -> str:
        # Cached: the scorer prints the same listed dates into many comparisons.
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def truncated(self, precision: Precision) -> PartialDate:
        """This date with everything finer than `precision` dropped."""
        rank = _PRECISION_RANK[precision]
        return PartialDate(
            self.year,
            self.month if rank >= 2 else None,
            self.day if rank >= 3 else None,
        )

    @property
    def is_placeholder(self) -> bool:
        """A full date on 1 January or 1 July: probably means "some time that year"."""
        return self.day is not None and (self.month, self.day) in PLACEHOLDER_DAYS


def _validate(year: int, month: int | None, day: int | None) -> None:
    if not 1000 <= year <= 9999:
        raise ValueError(f"year {year} is out of range 1000-9999")
    if month is None:
        if day is not None:
            raise ValueError(f"a day ({day}) is given without a month")
        return
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is out of range 1-12")
    if day is None:
        return
    days_in_month = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days_in_month:
        raise ValueError(
            f"day {day} does not exist in {calendar.month_name[month]} {year} "
            f"(which has {days_in_month} days)"
        )


@functools.lru_cache(maxsize=PARSED_DATE_MEMO)
def parse_partial_date(text: str) -> PartialDate:
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD` ("00" month/day = unknown); ValueError otherwise.

    Memoised: a list of a million people holds a few tens of thousands of distinct dates,
    and the entries then share one (immutable) PartialDate per date.
    """
    match = _PARTIAL_ISO.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD, not {text!r}")
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None  # the pattern requires the year
    if day == 0:
        day = None
    if month == 0:
        if day is not None:
            raise ValueError(f"{text!r} gives a day but a 00 (unknown) month")
        month = None
    try:
        return PartialDate(year, month, day)
    except ValueError as error:
        raise ValueError(f"{text!r} is not a valid date: {error}") from None


@dataclass(frozen=True)
class DateComparison:
    """The best agreement between the traveller's date of birth and an entry's dates."""

    kind: DateKind
    similarity: float
    query: str | None
    entry: str | None
    detail: str = ""  # why this grade, e.g. "2 days apart"; empty when obvious

    def describe(self) -> str:
        """One sentence an officer can read."""
        if self.kind == "unknown":
            if self.query is None:
                return "Date of birth: unknown for the traveller (not counted)."
            return "Date of birth: none listed for the entry (not counted)."
        pair = f"traveller {self.query}, listed {self.entry}"
        headline = _HEADLINES[self.kind]
        detail = f"; {self.detail}" if self.detail else ""
        return f"Date of birth {headline}: {pair}{detail}."


_HEADLINES: Final[dict[DateKind, str]] = {
    "exact": "matches",
    "compatible_partial": "compatible",
    "day_month_swapped": "matches with day and month swapped",
    "year_off_by_one": "matches except the year, off by one",
    "placeholder_jan_1": "agrees on the year",
    "close": "is close",
    "different": "differs",
    "unknown": "unknown",
}


def compare_dates(query: PartialDate | None, entry_dates: Sequence[PartialDate]) -> DateComparison:
    """Compare with every date on the entry and keep the best; "unknown" if a side has none."""
    if query is None or not entry_dates:
        return DateComparison("unknown", UNKNOWN, _iso(query), _first_iso(entry_dates))
    best = compare_date_pair(query, entry_dates[0])
    for entry in entry_dates[1:]:
        candidate = compare_date_pair(query, entry)
        # Ties go to the listed date that agrees to the finer precision.
        if (candidate.similarity, _rank(entry)) > (best.similarity, _rank_of(best.entry)):
            best = candidate
    return best


def compare_date_pair(query: PartialDate, entry: PartialDate) -> DateComparison:
    """The grade of one traveller date against one listed date.

    The grades are tried strongest first, so the first that applies is the best.
    """
    return (
        _agreement(query, entry)
        or _placeholder(query, entry)
        or _day_month_swapped(query, entry)
        or _year_off_by_one(query, entry)
        or _close(query, entry)
        or DateComparison("different", DIFFERENT, str(query), str(entry))
    )


def _rank(value: PartialDate) -> int:
    return _PRECISION_RANK[value.precision]


def _rank_of(iso: str | None) -> int:
    return 1 + (iso or "").count("-")


def _shared_precision(first: PartialDate, second: PartialDate) -> Precision:
    first_precision, second_precision = first.precision, second.precision
    if _PRECISION_RANK[first_precision] <= _PRECISION_RANK[second_precision]:
        return first_precision
    return second_precision


def _parts(value: PartialDate, precision: Precision) -> tuple[int | None, ...]:
    """(year, month, day) with everything finer than `precision` blanked."""
    rank = _PRECISION_RANK[precision]
    return (value.year, value.month if rank >= 2 else None, value.day if rank >= 3 else None)


def _agreement(query: PartialDate, entry: PartialDate) -> DateComparison | None:
    shared = _shared_precision(query, entry)
    if _parts(query, shared) != _parts(entry, shared):
        return None
    similarity = _AGREEMENT[shared]
    if query == entry:
        return DateComparison("exact", similarity, str(query), str(entry))
    vaguer = "traveller" if query.precision == shared else "listed"
    detail = f"the {vaguer} date gives only the {shared if shared == 'year' else 'year and month'}"
    return DateComparison("compatible_partial", similarity, str(query), str(entry), detail)


def _placeholder(query: PartialDate, entry: PartialDate) -> DateComparison | None:
    if query.year != entry.year:
        return None
    for side, value in (("listed", entry), ("traveller", query)):
        if value.is_placeholder:
            detail = f"the {side} {value} is likely a placeholder for 'born in {value.year}'"
            return DateComparison("placeholder_jan_1", PLACEHOLDER, str(query), str(entry), detail)
    return None


def _day_month_swapped(query: PartialDate, entry: PartialDate) -> DateComparison | None:
    if query.day is None or entry.day is None:
        return None
    if (query.year, query.month, query.day) != (entry.year, entry.day, entry.month):
        return None
    return DateComparison("day_month_swapped", DAY_MONTH_SWAPPED, str(query), str(entry))


def _year_off_by_one(query: PartialDate, entry: PartialDate) -> DateComparison | None:
    if abs(query.year - entry.year) != 1:
        return None
    shared = _shared_precision(query, entry)
    if _parts(query, shared)[1:] == _parts(entry, shared)[1:]:
        similarity = YEAR_OFF_BY_ONE if shared == "day" else YEAR_OFF_BY_ONE_PARTIAL
        return DateComparison("year_off_by_one", similarity, str(query), str(entry))
    if query.is_placeholder or entry.is_placeholder:
        # A placeholder only says the year, so a year off by one is all that can disagree.
        detail = "the other day looks like a placeholder"
        return DateComparison(
            "year_off_by_one", YEAR_OFF_BY_ONE_PARTIAL, str(query), str(entry), detail
        )
    return None


def _close(query: PartialDate, entry: PartialDate) -> DateComparison | None:
    shared = _shared_precision(query, entry)
    similarity = CLOSE if shared == "day" else CLOSE_PARTIAL
    days_apart = _days_apart(query, entry)
    if days_apart is not None and days_apart <= CLOSE_DAYS:
        detail = f"{days_apart} day{'s' if days_apart > 1 else ''} apart"
        return DateComparison("close", similarity, str(query), str(entry), detail)
    if shared == "year":
        return _close_years(query, entry)
    if OSA.distance(_digits(query, shared), _digits(entry, shared), score_cutoff=1) <= 1:
        detail = "one digit differs, or two adjacent digits are swapped"
        return DateComparison("close", similarity, str(query), str(entry), detail)
    return None


def _close_years(query: PartialDate, entry: PartialDate) -> DateComparison | None:
    """Years only: "circa" two years apart, or a slip in any digit but the last.

    A slip in the last digit (1985 vs 1988) cannot be told from another year of the
    same decade, so it does not count; swapped last digits (1985 vs 1958) do.
    """
    apart = abs(query.year - entry.year)
    if apart <= CLOSE_YEARS:
        detail = f"{apart} years apart"
    else:
        query_digits, entry_digits = str(query.year), str(entry.year)
        same_last_digit = query_digits[-1] == entry_digits[-1]
        swapped_last = query_digits[-2:] == entry_digits[-2:][::-1]
        if OSA.distance(query_digits, entry_digits, score_cutoff=1) > 1:
            return None
        if not (same_last_digit or swapped_last):
            return None
        detail = "one digit differs, or two adjacent digits are swapped"
    return DateComparison("close", CLOSE_PARTIAL, str(query), str(entry), detail)


def _days_apart(first: PartialDate, second: PartialDate) -> int | None:
    if first.month is None or first.day is None or second.month is None or second.day is None:
        return None
    span = date(first.year, first.month, first.day) - date(second.year, second.month, second.day)
    return abs(span.days)


def _digits(value: PartialDate, precision: Precision) -> str:
    """The date's digits down to `precision`, e.g. "198503" for 1985-03-02 at "month"."""
    return "".join(f"{part:02d}" for part in _parts(value, precision) if part is not None)


def _iso(value: PartialDate | None) -> str | None:
    return None if value is None else str(value)


def _first_iso(values: Sequence[PartialDate]) -> str | None:
    return str(values[0]) if values else None
