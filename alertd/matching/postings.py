"""Postings: integer keys to the integer ids filed under them, looked up many keys at once.

The candidate index files every listed name under keys (a token id, a pair of token ids)
and a query looks up hundreds of keys at a time; at a million entries a common key holds
tens of thousands of ids. Python sets of that size cost milliseconds to build and join,
so the ids live in numpy arrays and a lookup gathers them in a few vectorised steps.

Two parts: a sorted *base* (distinct keys, where each key's ids start, the ids) and a
small mutable *delta* (key -> array of ids) that ``add`` appends to in O(1). When the
delta grows past a share of the base it is merged in, in linear time (the base is
already sorted), so building a list of N ids costs O(N) amortised and one ``add`` stays
a dict lookup and an append. Ids are never removed here: the index skips dead ones.

A lookup finds which of its keys the delta holds with one vectorised search of the
delta's keys, sorted once after each change: a query names thousands of keys, and asking
the dict for each in Python made the searches of the node that indexed an approved batch
of 100,000 entries (in chunks, so into the delta) take 0.93-1.41 ms instead of 0.68-0.82
(bench/screening.py's travellers, CPU; 0.59-0.87 with the delta merged).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

IdArray = npt.NDArray[np.int32]
KeyArray = npt.NDArray[np.int64]

# The delta is merged into the base when it holds more ids than this share of the base
# (amortised: each id is copied a bounded number of times), and never below MIN_DELTA
# ids (small lists would otherwise merge on every few adds).
DELTA_SHARE = 0.25
MIN_DELTA = 1 << 16
_ID_TYPE = "i"  # array typecode of a C int: 32 bits, as np.int32


class Postings:
    def __init__(self) -> None:
        self._keys: KeyArray = np.empty(0, np.int64)  # sorted distinct keys of the base
        self._starts = np.zeros(1, np.int64)  # ids of _keys[k]: _ids[_starts[k]:_starts[k+1]]
        self._ids: IdArray = np.empty(0, np.int32)
        # key -> its one id, or an array of its ids (most keys of a big list hold one id
        # while in the delta: an int costs far less than an array).
        self._delta: dict[int, int | array[int]] = {}
        self._delta_size = 0
        self._delta_keys: KeyArray | None = None  # the delta's keys sorted, once asked for

    def __len__(self) -> int:
        return len(self._ids) + self._delta_size

    @property
    def recent(self) -> int:
        """How many ids the delta holds (filed since the last merge)."""
        return self._delta_size

    def add(self, keys: Iterable[int], ident: int) -> None:
        """File ``ident`` under each of ``keys`` (distinct)."""
        delta = self._delta
        added = 0
        for key in keys:
            found = delta.get(key)
            if found is None:
                delta[key] = ident
                self._delta_keys = None
            elif isinstance(found, int):
                delta[key] = array(_ID_TYPE, (found, ident))
            else:
                found.append(ident)
            added += 1
        self._delta_size += added
        if self._delta_size > max(MIN_DELTA, DELTA_SHARE * len(self._ids)):
            self.merge()

    def lookup(self, keys: KeyArray) -> IdArray:
        """The ids filed under any of ``keys``, in no order (an id filed under two of the
        keys comes twice)."""
        parts: list[IdArray] = []
        keys = np.sort(keys)
        if len(self._keys) and len(keys):
            parts.append(self._base_lookup(keys))
        if self._delta and len(keys):
            parts += self._delta_lookup(keys)
        if not parts:
            return np.empty(0, np.int32)
        # No copy: the base's part is gathered (a new array), and the delta's parts end
        # with a new array of its single ids, so its views are always concatenated.
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def count(self, keys: KeyArray) -> int:
        """How many ids ``lookup(keys)`` would give, without gathering them (a caller
        that only wants a short list asks first: a common key holds tens of thousands)."""
        keys = np.sort(keys)
        total = 0
        if len(self._keys) and len(keys):
            at = _present(self._keys, keys)
            total += int((self._starts[at + 1] - self._starts[at]).sum())
        for key in keys.tolist() if self._delta else ():
            found = self._delta.get(key)
            total += 0 if found is None else 1 if isinstance(found, int) else len(found)
        return total

    def get(self, key: int) -> IdArray:
        return self.lookup(np.array([key], np.int64))

    def _base_lookup(self, sorted_keys: KeyArray) -> IdArray:
        at = _present(self._keys, sorted_keys)
        starts, ends = self._starts[at], self._starts[at + 1]
        return self._ids[_ranges(starts, ends)]

    def _delta_lookup(self, sorted_keys: KeyArray) -> list[IdArray]:
        delta = self._delta
        if self._delta_keys is None:
            self._delta_keys = np.sort(np.fromiter(delta, np.int64, len(delta)))
        held = self._delta_keys[_present(self._delta_keys, sorted_keys)]
        parts: list[IdArray] = []
        singles: list[int] = []
        for key in held.tolist():
            found = delta[key]
            if isinstance(found, int):
                singles.append(found)
            else:
                parts.append(np.frombuffer(found, np.int32))
        parts.append(np.array(singles, np.int32))
        return parts

    def extend(self, keys: KeyArray, ids: IdArray) -> None:
        """File each of ``ids`` under the key beside it, all at once: a bulk load sorts
        the pairs once instead of a dict append per key (a pair given twice is filed
        once). Ids land after those already filed under the same key, as with ``add``."""
        self.merge()
        order = np.lexsort((ids, keys))
        keys, ids = keys[order], ids[order]
        fresh = np.ones(len(keys), np.bool_)
        fresh[1:] = (keys[1:] != keys[:-1]) | (ids[1:] != ids[:-1])
        self._fold(keys[fresh], ids[fresh])

    def merge(self) -> None:
        """Fold the delta into the sorted base (linear in the base's size)."""
        if not self._delta:
            return
        counts: list[int] = []
        flat = array(_ID_TYPE)
        for ids in self._delta.values():
            if isinstance(ids, int):
                flat.append(ids)
                counts.append(1)
            else:
                flat.extend(ids)
                counts.append(len(ids))
        delta_keys = np.repeat(np.fromiter(self._delta, np.int64, len(self._delta)), counts)
        delta_ids = np.frombuffer(flat, np.int32).copy()
        order = np.argsort(delta_keys, kind="stable")
        self._fold(delta_keys[order], delta_ids[order])
        self._delta = {}
        self._delta_size = 0
        self._delta_keys = None

    def _fold(self, keys: KeyArray, ids: IdArray) -> None:
        """Insert (key, id) pairs sorted by key into the base, each after the ids the
        base already holds under its key."""
        if not len(keys):
            return
        base_keys = np.repeat(self._keys, np.diff(self._starts))
        at = np.searchsorted(base_keys, keys, side="right")
        all_keys = np.insert(base_keys, at, keys)
        self._ids = np.insert(self._ids, at, ids.astype(np.int32, copy=False))
        first = np.flatnonzero(all_keys[1:] != all_keys[:-1]) + 1
        self._starts = np.concatenate(([0], first, [len(all_keys)])).astype(np.int64)
        self._keys = all_keys[self._starts[:-1]]


def distinct(ids: IdArray) -> IdArray:
    """The distinct ids, in increasing order. np.unique does the same, but numpy 2.4's
    hashes integers and took 53 ms for 169,000 name ids where a sort and a mask take 4
    (a one-word name at 1,000,000 entries meets that many names)."""
    ordered = np.sort(ids)
    first = np.ones(len(ordered), np.bool_)
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    kept: IdArray = ordered[first]
    return kept


def _present(sorted_keys: KeyArray, keys: KeyArray) -> npt.NDArray[np.intp]:
    """Positions in ``sorted_keys`` (not empty) of those ``keys`` (sorted too: numpy's
    binary searches of sorted keys start where the last one ended) it holds."""
    at = sorted_keys.searchsorted(keys)
    np.minimum(at, len(sorted_keys) - 1, out=at)  # past the end: compared with the last
    found: npt.NDArray[np.intp] = at[sorted_keys[at] == keys]
    return found


def _ranges(starts: KeyArray, ends: KeyArray) -> npt.NDArray[np.int64]:
    """The concatenation of ``range(s, e)`` for each pair (none empty: every key in the
    base holds an id), without a Python loop."""
    lengths = ends - starts
    total = int(lengths.sum())
    if total == len(starts):  # one id each (most keys of a query meet few names): or none
        return starts
    offsets = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    positions: npt.NDArray[np.int64] = np.arange(total, dtype=np.int64) + offsets
    return positions
