"""The listed names' words in flat arrays, and name-score bounds for thousands at once.

bounds.QueryName.bound is the bound of one listed name, in Python: tens of microseconds.
A common name pair without a date of birth at a million entries meets thousands of listed
names, most of them far from "possible", so the same bound is computed here for all of
them with array operations: each listed word (slot) takes, per query word, the best
similarity of its spellings (and of its spellings against two query words written
together), then each name sums and maxes those exactly as ``QueryName.bound`` does
(tests check the two agree). Names with a query initial keep the Python path (an initial
meets words by their first letter, which no similarity table lists).

Storage: per name, where its tokens start in one flat array and whether it is one word;
per token, its id, the index of its word in the name and whether that word is a particle.
The same arrays give a bulk load the keys to file each name under (``filed``).
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from alertd.matching.alignment import BETTER_COVERAGE_WEIGHT
from alertd.matching.bounds import Similarities
from alertd.matching.names import PARTICLE_WEIGHT, PreparedName
from alertd.matching.postings import IdArray, KeyArray

FloatArray = npt.NDArray[np.float64]
Positions = npt.NDArray[np.int64]
Filing = tuple[npt.NDArray[np.int64], IdArray]  # keys and the name ids filed under them
# A pair key holds two token ids, the smaller in the high half (MatchIndex's pair keys).
PAIR_SHIFT = 32


@dataclass(frozen=True, slots=True)
class Nearby:
    """The listed tokens near one query word (or two written together) with their
    similarity: by token (``similar``), and as arrays of token ids and similarities for
    the array bounds and the postings (made once: the index remembers these)."""

    similar: Similarities
    ids: KeyArray
    scores: FloatArray


def nearby(similar: Similarities, ids: Mapping[str, int]) -> Nearby:
    """``similar`` with its arrays (``ids``: the vocabulary's token ids)."""
    size = len(similar)
    token_ids = np.fromiter((ids[token] for token in similar), np.int64, size)
    return Nearby(similar, token_ids, np.fromiter(similar.values(), np.float64, size))


class ListedNames:
    def __init__(self) -> None:
        self._starts = array("q", (0,))  # name id -> where its tokens start (and end: +1)
        self._tokens = array("i")  # token ids, name by name, word by word
        self._slots = array("h")  # per token: the index of its word in the name
        self._particles = array("b")  # per token: 1 if its word is a particle
        self._one_word = array("b")  # name id -> 1 if it is one word (particles aside)

    def append(self, name: PreparedName, token_ids: Sequence[Sequence[int]]) -> None:
        """The next name id's words, each as the token ids of its spellings."""
        for index, spellings in enumerate(token_ids):
            particle = name.particles >> index & 1
            for tid in spellings:
                self._tokens.append(tid)
                self._slots.append(index)
                self._particles.append(particle)
        self._starts.append(len(self._tokens))
        self._one_word.append(name.word_count == 1)

    def __len__(self) -> int:
        return len(self._one_word)

    def filed(self, first: int) -> tuple[Filing, Filing, Filing]:
        """The (key, name id) pairs names ``first`` onward are filed under, in arrays (a
        bulk load: MatchIndex.extend): each token; each pair of tokens of two different
        words (pair_key); each token of a one-word name. A pair may come twice (a token
        in two words): Postings.extend files it once."""
        starts = np.frombuffer(self._starts, np.int64)[first:]
        tokens = np.frombuffer(self._tokens, np.int32)[starts[0] :].astype(np.int64)
        slots = np.frombuffer(self._slots, np.int16)[starts[0] :]
        lengths = np.diff(starts)
        name_ids = np.arange(first, first + len(lengths), dtype=np.int32)
        owners = np.repeat(name_ids, lengths)
        one_word = np.frombuffer(self._one_word, np.int8)[owners] == 1
        pair_keys: list[npt.NDArray[np.int64]] = [np.empty(0, np.int64)]
        pair_ids: list[IdArray] = [np.empty(0, np.int32)]
        # Names of k tokens at once, as a (names, k) matrix: every pair of columns.
        for k in np.unique(lengths[lengths > 1]).tolist():
            rows = np.flatnonzero(lengths == k)
            at = (starts[rows] - starts[0])[:, None] + np.arange(k)
            left, right = np.triu_indices(k, 1)
            token_rows, slot_rows = tokens[at], slots[at]
            apart = slot_rows[:, left] != slot_rows[:, right]
            a, b = token_rows[:, left][apart], token_rows[:, right][apart]
            pair_keys.append(pair_key_array(a, b))
            pair_ids.append(np.broadcast_to(name_ids[rows][:, None], apart.shape)[apart])
        return (
            (tokens, owners),
            (np.concatenate(pair_keys), np.concatenate(pair_ids)),
            (tokens[one_word], owners[one_word]),
        )

    def adjacent_words(self, nids: IdArray) -> tuple[IdArray, KeyArray, KeyArray]:
        """Every two adjacent words of the names ``nids``: the name id, and the token ids
        of the first spelling of each word (a name of n words gives n - 1 rows)."""
        starts_all = np.frombuffer(self._starts, np.int64)
        starts = starts_all[nids]
        lengths = starts_all[nids + 1] - starts
        at = _ranges(starts, lengths)
        slots = np.frombuffer(self._slots, np.int16)[at]
        row = np.repeat(np.arange(len(nids)), lengths)
        first = _starts_run((row[1:] != row[:-1]) | (slots[1:] != slots[:-1]))
        word_rows = row[first]
        words = np.frombuffer(self._tokens, np.int32)[at][first].astype(np.int64)
        same_name = word_rows[1:] == word_rows[:-1]
        return nids[word_rows[1:][same_name]], words[:-1][same_name], words[1:][same_name]

    def bounds(
        self,
        nids: IdArray,
        similar: Sequence[Nearby],
        joined: Sequence[Nearby],
        weights: Sequence[float],
    ) -> FloatArray:
        """``QueryName(name, similar, joined).bound(listed)`` for every name in ``nids``."""
        if not len(nids):
            return np.zeros(0)
        starts_all = np.frombuffer(self._starts, np.int64)
        starts, ends = starts_all[nids], starts_all[nids + 1]
        lengths = ends - starts
        at = _ranges(starts, lengths)
        tokens = np.frombuffer(self._tokens, np.int32)[at]
        slots = np.frombuffer(self._slots, np.int16)[at]
        row = np.repeat(np.arange(len(nids)), lengths)
        # One segment per listed word (its spellings are consecutive).
        changes = (row[1:] != row[:-1]) | (slots[1:] != slots[:-1])
        first: Positions = np.flatnonzero(_starts_run(changes))
        singles = _best(tokens, first, similar)  # (query words, listed words)
        cover = singles.copy()
        best_joined = np.zeros(len(first))
        if joined:
            joins = _best(tokens, first, joined)
            for k, joined_k in enumerate(joins):
                np.maximum(cover[k], joined_k, out=cover[k])
                np.maximum(cover[k + 1], joined_k, out=cover[k + 1])
            best_joined = joins.max(axis=0)
        best = singles.max(axis=0) if len(singles) else np.zeros(len(first))
        plain = np.maximum(best, 2.0 * best_joined)
        particle = np.frombuffer(self._particles, np.int8)[at][first] == 1
        weighted = np.maximum(best, best_joined) * np.where(particle, PARTICLE_WEIGHT, 1.0)
        name_rows = row[first]
        name_first: Positions = np.flatnonzero(_starts_run(name_rows[1:] != name_rows[:-1]))
        listed_plain = np.add.reduceat(plain, name_first)
        listed_weighted = np.add.reduceat(weighted, name_first)
        covered = np.maximum.reduceat(cover, name_first, axis=1)  # (query words, names)
        query_weighted = np.asarray(weights, np.float64) @ covered
        words = np.add.reduceat(np.where(particle, PARTICLE_WEIGHT, 1.0), name_first)
        bound = _name_score_bound(
            np.minimum(query_weighted, listed_plain) / sum(weights),
            np.minimum(listed_weighted, covered.sum(axis=0)) / words,
        )
        result: FloatArray = np.where(listed_plain > 0.0, bound, 0.0)
        return result


def _best(tokens: npt.NDArray[np.int32], first: Positions, rows: Sequence[Nearby]) -> FloatArray:
    """Per row of similarities and per listed word: the best similarity of its spellings."""
    sizes = [len(row.ids) for row in rows]
    if not sum(sizes):
        return np.zeros((len(rows), len(first)))
    token_of = np.concatenate([row.ids for row in rows])
    similarity = np.concatenate([row.scores for row in rows])
    row_of = np.repeat(np.arange(len(rows)), sizes)
    known, column = np.unique(token_of, return_inverse=True)
    table = np.zeros((len(rows), len(known)))
    table[row_of, column] = similarity  # a token is once per row: no clash
    where = known.searchsorted(tokens)
    hit = where < len(known)
    hit[hit] = known[where[hit]] == tokens[hit]
    per_token = np.where(hit, table[:, np.minimum(where, len(known) - 1)], 0.0)
    best: FloatArray = np.maximum.reduceat(per_token, first, axis=1)
    return best


def pair_key_array(a: KeyArray, b: KeyArray) -> KeyArray:
    """The pair key of each ``(a[i], b[i])``: the two token ids in either order, the
    smaller in the high half."""
    keys: KeyArray = np.minimum(a, b) << PAIR_SHIFT | np.maximum(a, b)
    return keys


def _starts_run(changes: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """Where runs start, given where each element differs from the one before."""
    return np.concatenate((np.ones(1, np.bool_), changes))


def _name_score_bound(query: FloatArray, listed: FloatArray) -> FloatArray:
    """bounds.name_score_bound for arrays of coverages."""
    high, low = np.maximum(query, listed), np.minimum(query, listed)
    result: FloatArray = np.minimum(
        1.0, BETTER_COVERAGE_WEIGHT * high + (1.0 - BETTER_COVERAGE_WEIGHT) * low
    )
    return result


def _ranges(starts: Positions, lengths: Positions) -> Positions:
    """The concatenation of ``range(s, s + n)``, without a Python loop."""
    total = int(lengths.sum())
    offsets = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    positions: Positions = np.arange(total, dtype=np.int64) + offsets
    return positions
