"""The matches a limited search returns, and the order that lets it stop scoring early.

A search returns its ``limit`` best matches in result order: score down (rounded to four
places, as ``Match.score`` is), then entry id up. Candidates come with an upper bound of
their score. Taken in the order of their best possible place (rounded bound down, entry
id up), the first candidate that could not displace the last of ``limit`` matches kept
is followed only by candidates that could not either: scoring stops there, and the
result is the head of the full one.

Ordering by entry id among equal bounds matters for names common in a list: at 1,000,000
entries a name with no date of birth met up to 160 candidates tied at the top, and by
bound alone every one of them had to be scored to find which ``limit`` came first.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Iterator, Sequence

from alertd.matching.bounds import BOUND_SLACK
from alertd.matching.score import SCORE_PLACES, PreparedEntry


def rounded_bound(bound: float) -> float:
    """The highest rounded score a candidate with this bound can have. The slack covers a
    score that float sums in another order put a hair above its bound."""
    return round(bound + BOUND_SLACK, SCORE_PLACES)


def in_result_order(
    ranked: Sequence[tuple[int, float]],
    entries: Sequence[PreparedEntry | None],
    leaders: Leaders,
) -> Iterator[PreparedEntry]:
    """Live candidates by rounded bound down, then entry id up, until none left could
    enter ``leaders`` (which the caller fills as it scores).

    ``ranked`` is in bound order, so equal rounded bounds are adjacent: a run of them is
    looked at, and sorted by entry id, only when the smallest id of that bound could
    still enter."""
    start = 0
    while start < len(ranked):
        bound = rounded_bound(ranked[start][1])
        if not leaders.may_enter(bound, ""):
            return
        end = start + 1
        while end < len(ranked) and rounded_bound(ranked[end][1]) == bound:
            end += 1
        tied = [entries[slot] for slot, _ in ranked[start:end]]
        for prepared in sorted((p for p in tied if p is not None), key=_entry_id):
            if not leaders.may_enter(bound, prepared.entry.entry_id):
                return
            yield prepared
        start = end


def _entry_id(prepared: PreparedEntry) -> str:
    return prepared.entry.entry_id


class Leaders:
    """The ``limit`` best (score, entry id) pairs seen so far, in result order."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._places: list[tuple[float, str]] = []  # (-score, entry id), best first

    def add(self, score: float, entry_id: str) -> None:
        insort(self._places, (-score, entry_id))
        del self._places[self._limit :]

    def may_enter(self, score: float, entry_id: str) -> bool:
        """Could a match with this score (or less) and id still be among the ``limit``?"""
        if len(self._places) < self._limit:
            return True
        return bool(self._places) and (-score, entry_id) < self._places[-1]
