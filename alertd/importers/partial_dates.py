"""Partial dates of birth as the service stores them: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.

Lists write dates as "12 Jan 1965", "Jan 1965", "Nov. 1973", "August 1961" or "1965";
`parse_written_date` turns those into the partial ISO form, and `years_between` expands
a range ("1960 to 1962") into one partial date per year, which is how the entry format
(a list of dates, no ranges) can say "born one of these years".
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

# Nobody alive, or listed, was born before this: an earlier year is a typo in the source.
# The same bound as the service's entry validation.
MIN_BIRTH_YEAR: Final = 1880

# A range wider than this says almost nothing and would put a dozen years on one entry;
# such ranges are dropped (and counted) rather than expanded.
MAX_RANGE_YEARS: Final = 10

_MONTH_NAMES: Final = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)

_PARTIAL_ISO = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?")

# "12 Jan 1965", "12 January 1965", "Jan. 1965", "1965" (a trailing "." is tolerated).
_WRITTEN = re.compile(
    r"(?:(?P<day>\d{1,2})\s+)?(?:(?P<month>[A-Za-z]{3,9})\.?\s+)?(?P<year>\d{4})\.?",
)


def _month_number(word: str) -> int | None:
    """1-12 for an English month name or abbreviation ("Sep", "Sept", "September")."""
    word = word.lower()
    if len(word) < 3:
        return None
    for number, name in enumerate(_MONTH_NAMES, start=1):
        # A prefix of the name ("Sep", "Sept", "September"), not "Mayor" or "Junk".
        if name.startswith(word):
            return number
    return None


def is_valid_partial_date(value: str, *, today: dt.date | None = None) -> bool:
    """True for `YYYY`, `YYYY-MM`, `YYYY-MM-DD` naming a real day, not in the future."""
    match = _PARTIAL_ISO.fullmatch(value)
    if match is None:
        return False
    year = int(match["year"])
    month = int(match["month"]) if match["month"] else None
    day = int(match["day"]) if match["day"] else None
    return _is_plausible(year, month, day, today or dt.date.today())


def _is_plausible(year: int, month: int | None, day: int | None, today: dt.date) -> bool:
    if year < MIN_BIRTH_YEAR or year > today.year:
        return False
    if month is None:
        return True
    if not 1 <= month <= 12:
        return False
    if day is None:
        return (year, month) <= (today.year, today.month)
    try:
        return dt.date(year, month, day) <= today
    except ValueError:
        return False


def format_partial(year: int, month: int | None = None, day: int | None = None) -> str:
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def parse_written_date(text: str) -> str | None:
    """Date as written → partial ISO: "12 Jan 1965" → "1965-01-12", "Jan 1965" → "1965-01".

    "1965" → "1965"; None for anything else.

    Also accepts an ISO date ("1965-01-12", or "1965-01-12T00:00:00" with a time part). The
    result is not checked for plausibility: use `is_valid_partial_date` for that.
    """
    text = text.strip()
    iso = _PARTIAL_ISO.match(text)
    if iso is not None and (iso.end() == len(text) or text[iso.end()] == "T"):
        return iso.group(0)
    match = _WRITTEN.fullmatch(text)
    if match is None:
        return None
    year = int(match["year"])
    month = _month_number(match["month"]) if match["month"] else None
    if match["month"] and month is None:
        return None
    if match["day"] and month is None:
        return None  # "12 1965": a day without a month means nothing
    day = int(match["day"]) if match["day"] else None
    return format_partial(year, month, day)


def years_between(first_year: int, last_year: int) -> tuple[str, ...] | None:
    """Each year from first to last inclusive, or None if the range is reversed or too wide."""
    if last_year < first_year or last_year - first_year > MAX_RANGE_YEARS:
        return None
    return tuple(format_partial(year) for year in range(first_year, last_year + 1))
