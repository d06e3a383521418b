"""Upper bounds on the scorer's name score, cheap enough to sort thousands of candidates.

The index meets candidates through words; scoring one with the full scorer (alignment,
dates, documents, explanation) costs tens of microseconds, and a common name at a million
entries meets thousands. So each candidate name first gets an upper bound of its name
score from the similarities its words already had when the index looked them up (no
alignment, no new string comparison): a query word is covered at most by its best
similarity with any word of the name, a listed word at most by its best similarity with
any query word, and the scorer's coverage formula (alignment.py) is increasing in both.

A candidate whose bound plus what date, nationality and sex can add, minus what they
surely take away (prefilter.QueryFacts.most_scores, for all candidates at once), stays
below its category's "possible" cannot come out of the scorer: it is skipped without
loss. The others are scored, highest bound first. A document adds nothing to a bounded
entry: an entry met through a document key is scored whatever its bound, and one that
is not has no document matching the traveller's (documents.document_keys: numbers
graded exact, confusable or one edit apart always share a key).
tests/matching/test_index_speedpaths.py checks the index against an exhaustive scan so
that a change here cannot go unseen.

The bound assumes what candidate generation already assumes: a listed word the
vocabulary does not return as near a query word does not align with it. The one gap the
index knows it leaves there, six-letter listed words two edits from a shorter query word
("Matti" ~ "Martin", 0.67), is filled for the bound: the index adds them to the query
word's similarities at vocabulary.UNSEEN_SIMILARITY (MatchIndex._with_unseen). Words written
together on the query side are bounded through the listed spellings the joined word
meets; one query word split into two listed words is not (the index bounds those names
by the highest name score).
"""

from __future__ import annotations

import operator

from alertd.matching.alignment import BETTER_COVERAGE_WEIGHT
from alertd.matching.names import PARTICLE_WEIGHT, PreparedName, Slot
from alertd.matching.score import DOB_AGREEMENT, NATIONALITY_AGREES, SEX_AGREES
from alertd.matching.token_similarity import INITIAL

# The most date of birth, nationality and sex agreeing can add to a name score (score.py
# caps nothing below this).
MOST_SUPPORT = DOB_AGREEMENT + NATIONALITY_AGREES + SEX_AGREES
# Float sums of the same similarities in another order differ in the last bits: a bound
# this close below the floor is kept.
BOUND_SLACK = 1e-9

Similarities = dict[str, float]  # listed spelling -> its best similarity with one query word


class QueryName:
    """One prepared query name with, per word, the listed spellings it meets (and how well),
    and per pair of adjacent words written together, the listed spellings that one meets."""

    __slots__ = ("_initials", "_records", "_zeros", "joined", "name", "similar", "total", "weights")

    def __init__(
        self, name: PreparedName, similar: list[Similarities], joined: list[Similarities]
    ) -> None:
        self.name = name
        self.similar = similar
        self.joined = joined  # joined[k]: query words k and k + 1 written together
        self.weights = name.weights
        self.total = sum(self.weights)
        self._records: dict[Slot, _Record] = {}
        self._initials = any(len(s) == 1 for slot in name.slots for s in slot)
        self._zeros = (0.0,) * len(similar)

    def _record(self, slot: Slot) -> _Record:
        """What one listed word can cover: each query word's best similarity with it
        (alone or written together with its neighbour), the query coverage it can carry
        (twice a joined similarity: two query words), and its own best similarity."""
        singles = _best(slot, self.similar)
        if self._initials or min(len(s) for s in slot) == 1:
            singles = tuple(
                max(s, _initial(q, slot)) for s, q in zip(singles, self.name.slots, strict=True)
            )
        cover = list(singles)
        best_joined = 0.0
        for k, similarity in enumerate(_best(slot, self.joined)):
            if similarity:
                cover[k] = max(cover[k], similarity)
                cover[k + 1] = max(cover[k + 1], similarity)
                best_joined = max(best_joined, similarity)
        best = max(singles)
        record = (tuple(cover), max(best, 2.0 * best_joined), max(best, best_joined))
        self._records[slot] = record
        return record

    def bound(self, listed: PreparedName) -> float:
        """At least the name score ``alignment.name_score`` gives this name against
        ``listed``.

        Each aligned pair adds its similarity once to both names' coverage (twice on the
        query side for two query words written together), and uses its words at most
        once: so each coverage is at most both the weighted best similarities of its own
        words and the plain best similarities of the other name's words.
        """
        records = self._records
        cover = self._zeros
        listed_weighted = listed_plain = 0.0
        particles = listed.particles
        for j, slot in enumerate(listed.slots):
            record = records.get(slot) or self._record(slot)
            if not record[1]:
                continue
            listed_plain += record[1]
            listed_weighted += record[2] * PARTICLE_WEIGHT if particles >> j & 1 else record[2]
            cover = tuple(map(max, cover, record[0]))
        if not listed_plain:
            return 0.0
        query_weighted = sum(map(operator.mul, cover, self.weights))
        listed_total = len(listed.slots) - (1.0 - PARTICLE_WEIGHT) * particles.bit_count()
        return name_score_bound(
            min(query_weighted, listed_plain) / self.total,
            min(listed_weighted, sum(cover)) / listed_total,
        )


_Record = tuple[tuple[float, ...], float, float]


def _initial(query: Slot, listed: Slot) -> float:
    """An initial against a word it begins (the vocabulary does not look initials up)."""
    for x in query:
        for y in listed:
            if (len(x) == 1 or len(y) == 1) and x[0] == y[0]:
                return INITIAL
    return 0.0


def _best(slot: Slot, similar: list[Similarities]) -> tuple[float, ...]:
    if len(slot) == 1:
        spelling = slot[0]
        return tuple(sims.get(spelling, 0.0) for sims in similar)
    return tuple(max([sims.get(spelling, 0.0) for spelling in slot]) for sims in similar)


def name_score_bound(coverage_query: float, coverage_listed: float) -> float:
    """The scorer's name score for these coverages (increasing in both), before the
    factors below 1 it may apply (one word against several, only common words met)."""
    high, low = max(coverage_query, coverage_listed), min(coverage_query, coverage_listed)
    return min(1.0, BETTER_COVERAGE_WEIGHT * high + (1.0 - BETTER_COVERAGE_WEIGHT) * low)
