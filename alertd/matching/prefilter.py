"""What surely counts against an entry, judged for thousands of candidates at once.

A common name at a million entries meets thousands of listed people; most of them are
namesakes the scorer will rule out on the date of birth (a different date costs 0.30:
score.py), or on sex and nationality. Those facts are kept per entry in flat arrays so a
query drops such candidates with a few vectorised operations, before any per-candidate
Python work (bounding, scoring).

The test is sound: the scorer gives at most ``min(1, support) - against`` (score.combine),
so an entry whose *sure* evidence against already takes 1.0 below its category's
"possible" cannot be returned, whatever its name. What is surely against:

* the date of birth: from the years alone, the best grade dates.py can give a listed year
  against the traveller's (the same year: anything; one apart: "year off by one" at best;
  two apart, or one digit slipped or two swapped: "close" at best; otherwise "different"),
  at the scorer's date effect of that grade;
* a known sex that differs; nationalities known on both sides that share none.

An entry with more listed dates or nationalities than the arrays hold is not judged on
them (kept), which is never wrong, only slower.
"""

from __future__ import annotations

import functools
from array import array

import numpy as np
import numpy.typing as npt

from alertd.matching.bounds import MOST_SUPPORT, MOST_SUPPORT_WITH_DOCUMENTS
from alertd.matching.dates import CLOSE, CLOSE_YEARS, DIFFERENT, SAME_DAY, YEAR_OFF_BY_ONE
from alertd.matching.score import (
    DOB_AGREEMENT,
    DOB_DISAGREEMENT,
    DOB_FULL_DOUBT,
    NATIONALITY_DIFFERS,
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
_SEX_CODES = {"M": 1, "F": 2}
# The years a date can hold (dates.py: 1000-9999), as indexes of the per-query table.
_YEARS = 10_000
# Float sums in another order differ in the last bits: keep what is this close.
_SLACK = 1e-9

SlotArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
Mask = npt.NDArray[np.bool_]


class EntryFacts:
    """Per entry slot: listed birth years, sex, nationalities and "possible" threshold."""

    def __init__(self) -> None:
        self._years = [array("h") for _ in range(YEARS_KEPT)]
        self._nationalities = [array("h") for _ in range(NATIONALITIES_KEPT)]
        self._sex = array("b")
        self._floor = array("d")
        self._documents = array("b")  # 1: the entry lists a document
        self._codes: dict[str, int] = {}  # nationality -> a small code (1, 2, ...)

    def append(self, prepared: PreparedEntry, possible: float) -> None:
        """The facts of the entry in the next slot."""
        years = sorted({d.year for d in prepared.dates_of_birth})
        _put(self._years, years if len(years) <= YEARS_KEPT else None, _NO_YEAR)
        listed = prepared.entry.nationalities
        codes = sorted({self._code(n) for n in listed})
        _put(
            self._nationalities,
            codes if len(codes) <= NATIONALITIES_KEPT else None,
            _NO_NATIONALITY,
        )
        self._sex.append(_SEX_CODES.get((prepared.entry.sex or "").strip().upper(), 0))
        self._floor.append(possible)
        self._documents.append(1 if prepared.entry.documents else 0)

    def _code(self, nationality: str) -> int:
        key = nationality.strip().upper()
        code = self._codes.get(key)
        if code is None:
            code = self._codes[key] = len(self._codes) + 1
        return code

    def judge(self, query: PreparedQuery) -> QueryFacts:
        return QueryFacts(self, query)


class QueryFacts:
    """One query's view of the facts: ``may_match(slots)`` keeps the entries the scorer
    could still put at "possible"."""

    def __init__(self, facts: EntryFacts, query: PreparedQuery) -> None:
        self._facts = facts
        traveller = query.traveller
        self._year = query.date_of_birth.year if query.date_of_birth else None
        wanted = (traveller.nationality or "").strip().upper()
        self._nationality = facts._codes.get(wanted, _NO_NATIONALITY) if wanted else None
        self._sex = _SEX_CODES.get((traveller.sex or "").strip().upper(), 0)
        self._documents = bool(traveller.documents)

    def may_match(self, slots: SlotArray, name_bounds: FloatArray | None = None) -> Mask:
        """Whether each entry could reach "possible" with a name score of at most its
        ``name_bounds`` (1 when not given): at most ``min(1, name + most support)`` less
        the sure evidence against."""
        facts = self._facts
        against = np.zeros(len(slots))
        if self._year is not None:
            against += np.maximum(0.0, -_date_effect(facts._years, slots, self._year))
        if self._nationality is not None:
            against += _nationality_differs(facts._nationalities, slots, self._nationality)
        if self._sex:
            sexes = np.frombuffer(facts._sex, np.int8)[slots]
            against += np.where((sexes != 0) & (sexes != self._sex), -SEX_DIFFERS, 0.0)
        need = np.frombuffer(facts._floor, np.float64)[slots] + against - _SLACK
        if name_bounds is None:
            kept: Mask = need <= 1.0
            return kept
        support = np.full(len(slots), MOST_SUPPORT)
        if self._documents:
            listed = np.frombuffer(facts._documents, np.int8)[slots] == 1
            support[listed] = MOST_SUPPORT_WITH_DOCUMENTS
        result: Mask = np.minimum(1.0, name_bounds + support) >= need
        return result


def _put(columns: list[array[int]], values: list[int] | None, empty: int) -> None:
    """One entry's values across the columns (``None``: too many to keep, not judged)."""
    if values is None:
        values = [_OPEN]
    for i, column in enumerate(columns):
        column.append(values[i] if i < len(values) else empty)


def _date_effect(columns: list[array[int]], slots: SlotArray, year: int) -> npt.NDArray[np.float64]:
    """The best date effect each entry could get (0 when it lists no date, or too many:
    the date is then neutral or not judged)."""
    table = _year_effects(year)
    first = np.frombuffer(columns[0], np.int16)[slots].astype(np.int64)
    best = np.where(first > 0, table[np.maximum(first, 0)], 0.0)
    for column in columns[1:]:
        years = np.frombuffer(column, np.int16)[slots].astype(np.int64)
        best = np.where(years > 0, np.maximum(best, table[years]), best)
    return best


def _nationality_differs(
    columns: list[array[int]], slots: SlotArray, wanted: int
) -> npt.NDArray[np.float64]:
    first = np.frombuffer(columns[0], np.int16)[slots]
    known = first > 0  # listed nationalities, not too many to judge
    agrees = first == wanted
    for column in columns[1:]:
        agrees |= np.frombuffer(column, np.int16)[slots] == wanted
    return np.where(known & ~agrees, -NATIONALITY_DIFFERS, 0.0)


@functools.lru_cache(maxsize=256)
def _year_effects(year: int) -> npt.NDArray[np.float64]:
    """For every listed year, the most the scorer's date effect can be against ``year``
    (read-only; one table per traveller year, cached)."""
    similarity = np.full(_YEARS, DIFFERENT)
    close = [*_one_slip(year), *range(year - CLOSE_YEARS, year + CLOSE_YEARS + 1)]
    similarity[[y for y in close if 0 < y < _YEARS]] = CLOSE
    similarity[[y for y in (year - 1, year + 1) if 0 < y < _YEARS]] = YEAR_OFF_BY_ONE
    similarity[year] = SAME_DAY
    doubt = np.minimum(1.0, (1.0 - similarity) / DOB_FULL_DOUBT)
    effect = DOB_AGREEMENT * similarity - DOB_DISAGREEMENT * doubt
    effect[0] = 0.0  # not a year: an empty column
    effect.setflags(write=False)
    return effect


def _one_slip(year: int) -> list[int]:
    """The years whose four digits are ``year``'s with one digit changed or two adjacent
    digits swapped (the "close" slips of dates.py, at most one edit apart)."""
    digits = f"{year:04d}"
    slips = [digits[:i] + d + digits[i + 1 :] for i in range(4) for d in "0123456789"]
    slips += [digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :] for i in range(3)]
    return [int(slip) for slip in slips]
