"""What counts for and against an entry, judged for thousands of candidates at once.

A common name at a million entries meets thousands of listed people; most of them are
namesakes the scorer will rule out on the date of birth (a different date costs 0.30:
score.py), or on sex and nationality. Those facts are kept per entry in flat arrays so a
query bounds every candidate's score with a few vectorised operations, before any
per-candidate Python work (scoring).

The bound is sound: the scorer gives ``min(1, support) - against`` (score.combine), and
``most_scores`` counts as support only the evidence that can agree (given the entry's name
bound) and as against only what surely differs. An entry whose bound stays below its
category's "possible" cannot be returned. The date of birth:

* from the years alone, the best grade dates.py can give a listed year against the
  traveller's (the same year: anything; one apart: "year off by one" at best; two apart,
  or one digit slipped or two swapped: "close" at best; otherwise "different"), at the
  scorer's date effect of that grade;
* when both dates are full dates (and the entry lists one), ``whole_dates=True`` grades
  them exactly as dates.py does, in arrays. The index asks for it when enough entries are
  left to pay for it: without it, a common name at the counter kept every namesake born
  within two years of the traveller (about a hundred at 100,000 entries for "X Le").

Nationality and sex: agreeing when known on both sides and the same, surely against when
known on both sides and different. An entry with more listed dates or nationalities
than the arrays hold is not judged on them (the most they could add, nothing against),
which is never wrong, only slower.
"""

from __future__ import annotations

import functools
from array import array
from datetime import date

import numpy as np
import numpy.typing as npt

from alertd.matching.dates import (
    CLOSE,
    CLOSE_DAYS,
    CLOSE_YEARS,
    DAY_MONTH_SWAPPED,
    DIFFERENT,
    PLACEHOLDER,
    PLACEHOLDER_DAYS,
    SAME_DAY,
    YEAR_OFF_BY_ONE,
    YEAR_OFF_BY_ONE_PARTIAL,
    PartialDate,
)
from alertd.matching.score import (
    DOB_AGREEMENT,
    DOB_DISAGREEMENT,
    DOB_FULL_DOUBT,
    NATIONALITY_AGREES,
    NATIONALITY_DIFFERS,
    SEX_AGREES,
    SEX_DIFFERS,
    PreparedEntry,
    PreparedQuery,
)

# Listed birth years and nationalities kept per entry; an entry with more is kept open.
YEARS_KEPT = 2
NATIONALITIES_KEPT = 2
_NO_YEAR = 0  # the year column of an entry without (that many) dates
_OPEN = -1  # the first column of an entry with more values than kept: not judged
_NO_NATIONALITY = 0
_NO_DAY = 0  # the full-date columns of an entry without exactly one full date
_SEX_CODES = {"M": 1, "F": 2}
# The years a date can hold (dates.py: 1000-9999), as indexes of the per-query table.
_YEARS = 10_000
# From this many entries, their full dates of birth are worth grading exactly in arrays
# (``whole_dates``: a dozen array operations, not worth it for a few entries).
WHOLE_DATES_FROM = 8
# Float sums in another order differ in the last bits: keep what is this close.
_SLACK = 1e-9

SlotArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
Mask = npt.NDArray[np.bool_]


class EntryFacts:
    """Per entry slot: listed birth years, sex, nationalities and "possible" threshold."""

    def __init__(self) -> None:
        self._years = [array("h") for _ in range(YEARS_KEPT)]
        self._full_dates = array("i")  # an entry's one full date as yyyymmdd, or _NO_DAY
        self._ordinals = array("i")  # and as a day number (date.toordinal)
        self._nationalities = [array("h") for _ in range(NATIONALITIES_KEPT)]
        self._sex = array("b")
        self._floor = array("d")
        self._codes: dict[str, int] = {}  # nationality -> a small code (1, 2, ...)

    def append(self, prepared: PreparedEntry, possible: float) -> None:
        """The facts of the entry in the next slot."""
        years = sorted({d.year for d in prepared.dates_of_birth})
        _put(self._years, years if len(years) <= YEARS_KEPT else None, _NO_YEAR)
        dates = prepared.dates_of_birth
        full = len(dates) == 1 and dates[0].precision == "day"
        self._full_dates.append(_number(dates[0]) if full else _NO_DAY)
        self._ordinals.append(_ordinal(dates[0]) if full else _NO_DAY)
        listed = prepared.entry.nationalities
        codes = sorted({self._code(n) for n in listed})
        _put(
            self._nationalities,
            codes if len(codes) <= NATIONALITIES_KEPT else None,
            _NO_NATIONALITY,
        )
        self._sex.append(_SEX_CODES.get((prepared.entry.sex or "").strip().upper(), 0))
        self._floor.append(possible)

    def _code(self, nationality: str) -> int:
        key = nationality.strip().upper()
        code = self._codes.get(key)
        if code is None:
            code = self._codes[key] = len(self._codes) + 1
        return code

    def judge(self, query: PreparedQuery) -> QueryFacts:
        return QueryFacts(self, query)


class QueryFacts:
    """One query's view of the facts: how high the scorer could put each entry."""

    def __init__(self, facts: EntryFacts, query: PreparedQuery) -> None:
        self._facts = facts
        traveller = query.traveller
        born = query.date_of_birth
        self._year = born.year if born else None
        self._born = born if born is not None and born.precision == "day" else None
        wanted = (traveller.nationality or "").strip().upper()
        self._nationality = facts._codes.get(wanted, _NO_NATIONALITY) if wanted else None
        self._sex = _SEX_CODES.get((traveller.sex or "").strip().upper(), 0)

    def may_match(self, slots: SlotArray) -> Mask:
        """Whether each entry could reach "possible" with the highest name score: judged on
        the years first, then (when enough are left and the traveller's date is full) on
        the full dates of those left. A one-word name ("Aage", or a word and a title) meets
        every namesake in the list: at 1,000,000 entries, 100,000 names."""
        ones = np.ones(len(slots))
        kept = self.most_scores(slots, ones) >= self.floors(slots)
        if self._born is not None and np.count_nonzero(kept) >= WHOLE_DATES_FROM:
            left = np.flatnonzero(kept)
            whole = self.most_scores(slots[left], ones[left], whole_dates=True)
            kept[left] = whole >= self.floors(slots[left])
        return kept

    def floors(self, slots: SlotArray) -> FloatArray:
        """Each entry's category's "possible", less a hair: float sums in another order
        differ in the last bits, and what is that close is kept."""
        floors: FloatArray = np.frombuffer(self._facts._floor, np.float64)[slots] - _SLACK
        return floors

    def most_scores(
        self, slots: SlotArray, name_bounds: FloatArray, *, whole_dates: bool = False
    ) -> FloatArray:
        """At least the score the scorer gives each entry with a name score of at most its
        ``name_bounds``: ``min(1, name + support) - against`` (score.combine), where the
        support counts only the evidence that can agree with this traveller and the
        against only what surely differs; no document evidence (see bounds.py).
        ``whole_dates``: grade full dates of birth exactly (a dozen more array operations;
        otherwise the years)."""
        facts = self._facts
        support = np.array(name_bounds, np.float64)
        against = np.zeros(len(slots))
        if self._year is not None:
            effect = _date_effect(facts._years, slots, self._year)
            if whole_dates and self._born is not None:
                effect = np.minimum(effect, _full_date_effect(facts, slots, self._born))
            support += np.maximum(0.0, effect)
            against += np.maximum(0.0, -effect)
        if self._nationality is not None:
            agrees, differs = _nationality_verdicts(facts._nationalities, slots, self._nationality)
            support += np.where(agrees, NATIONALITY_AGREES, 0.0)
            against += np.where(differs, -NATIONALITY_DIFFERS, 0.0)
        if self._sex:
            sexes = np.frombuffer(facts._sex, np.int8)[slots]
            support += np.where(sexes == self._sex, SEX_AGREES, 0.0)
            against += np.where((sexes != 0) & (sexes != self._sex), -SEX_DIFFERS, 0.0)
        most: FloatArray = np.minimum(1.0, support) - against
        return most


def _put(columns: list[array[int]], values: list[int] | None, empty: int) -> None:
    """One entry's values across the columns (``None``: too many to keep, not judged)."""
    if values is None:
        values = [_OPEN]
    for i, column in enumerate(columns):
        column.append(values[i] if i < len(values) else empty)


def _date_effect(columns: list[array[int]], slots: SlotArray, year: int) -> npt.NDArray[np.float64]:
    """The best date effect each entry could get: 0 when it lists no date (neutral), the
    most any date can give when it lists too many to keep (not judged)."""
    table = _year_effects(year)
    first = np.frombuffer(columns[0], np.int16)[slots].astype(np.int64)
    best = np.where(first > 0, table[np.maximum(first, 0)], 0.0)
    best[first == _OPEN] = table[year]
    for column in columns[1:]:
        years = np.frombuffer(column, np.int16)[slots].astype(np.int64)
        best = np.where(years > 0, np.maximum(best, table[years]), best)
    return best


def _number(born: PartialDate) -> int:
    """A full date as the number yyyymmdd."""
    return born.year * 10_000 + (born.month or 0) * 100 + (born.day or 0)


def _ordinal(born: PartialDate) -> int:
    return date(born.year, born.month or 1, born.day or 1).toordinal()


_PLACEHOLDER_DAYS = [month * 100 + day for month, day in PLACEHOLDER_DAYS]
_DIGIT_PLACES = 10 ** np.arange(7, -1, -1, dtype=np.int64)  # yyyymmdd, digit by digit


def _full_date_effect(facts: EntryFacts, slots: SlotArray, born: PartialDate) -> FloatArray:
    """The scorer's date effect for entries listing one full date, against ``born`` (a
    full date): dates.compare_date_pair's grades, tried strongest first as there; inf
    (no bound) for other entries."""
    numbers = np.frombuffer(facts._full_dates, np.int32)[slots].astype(np.int64)
    ordinals = np.frombuffer(facts._ordinals, np.int32)[slots]
    years, days = numbers // 10_000, numbers % 10_000
    same_year, next_year = years == born.year, np.abs(years - born.year) == 1
    same_day = days == _number(born) % 10_000
    placeholder = born.is_placeholder | _any_equal(days, _PLACEHOLDER_DAYS)
    swapped = days == (born.day or 0) * 100 + (born.month or 0)
    close = (np.abs(ordinals - _ordinal(born)) <= CLOSE_DAYS) | _one_slip_apart(
        numbers, _number(born)
    )
    grades = np.select(
        [same_year & same_day, same_year & placeholder, same_year & swapped,
         next_year & same_day, next_year & placeholder, close],
        [SAME_DAY, PLACEHOLDER, DAY_MONTH_SWAPPED,
         YEAR_OFF_BY_ONE, YEAR_OFF_BY_ONE_PARTIAL, CLOSE],
        DIFFERENT,
    )  # fmt: skip
    return np.where(numbers != _NO_DAY, _effect_of(grades), np.inf)


def _any_equal(values: SlotArray, wanted: list[int]) -> Mask:
    """``np.isin(values, wanted)`` for a few wanted values: np.isin sorts, and took 412 us
    for 30,000 values where comparing with each took 23."""
    found = np.zeros(len(values), np.bool_)
    for value in wanted:
        found |= values == value
    return found


def _one_slip_apart(numbers: SlotArray, number: int) -> Mask:
    """Whether each yyyymmdd in ``numbers`` is ``number`` with at most one digit changed
    or two adjacent digits swapped (an OSA distance of at most 1, as dates._close asks)."""
    listed = numbers[:, None] // _DIGIT_PLACES % 10
    wanted = number // _DIGIT_PLACES % 10
    differs = listed != wanted
    count = differs.sum(axis=1)
    swap = (
        differs[:, :-1]
        & differs[:, 1:]
        & (listed[:, :-1] == wanted[1:])
        & (listed[:, 1:] == wanted[:-1])
    )
    result: Mask = (count <= 1) | ((count == 2) & swap.any(axis=1))
    return result


def _nationality_verdicts(
    columns: list[array[int]], slots: SlotArray, wanted: int
) -> tuple[Mask, Mask]:
    """Whether each entry's nationalities may agree with ``wanted`` (a listed one is it,
    or too many are listed to tell), and whether they surely differ (listed, none is it)."""
    first = np.frombuffer(columns[0], np.int16)[slots]
    known = first > 0  # listed nationalities, not too many to judge
    agrees = np.zeros(len(slots), np.bool_)
    if wanted != _NO_NATIONALITY:  # a nationality no entry lists agrees with none
        for column in columns:
            agrees |= np.frombuffer(column, np.int16)[slots] == wanted
    return agrees | (first == _OPEN), known & ~agrees


@functools.lru_cache(maxsize=256)
def _year_effects(year: int) -> npt.NDArray[np.float64]:
    """For every listed year, the most the scorer's date effect can be against ``year``
    (read-only; one table per traveller year, cached)."""
    similarity = np.full(_YEARS, DIFFERENT)
    close = [*_one_slip(year), *range(year - CLOSE_YEARS, year + CLOSE_YEARS + 1)]
    similarity[[y for y in close if 0 < y < _YEARS]] = CLOSE
    similarity[[y for y in (year - 1, year + 1) if 0 < y < _YEARS]] = YEAR_OFF_BY_ONE
    similarity[year] = SAME_DAY
    effect = _effect_of(similarity)
    effect[0] = 0.0  # not a year: an empty column
    effect.setflags(write=False)
    return effect


def _effect_of(similarity: FloatArray) -> FloatArray:
    """The scorer's date effect of each date similarity (score.py's formula)."""
    doubt = np.minimum(1.0, (1.0 - similarity) / DOB_FULL_DOUBT)
    effect: FloatArray = DOB_AGREEMENT * similarity - DOB_DISAGREEMENT * doubt
    return effect


def _one_slip(year: int) -> list[int]:
    """The years whose four digits are ``year``'s with one digit changed or two adjacent
    digits swapped (the "close" slips of dates.py, at most one edit apart)."""
    digits = f"{year:04d}"
    slips = [digits[:i] + d + digits[i + 1 :] for i in range(4) for d in "0123456789"]
    slips += [digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :] for i in range(3)]
    return [int(slip) for slip in slips]
