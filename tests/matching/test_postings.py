"""Postings: whatever mix of merged base and recent delta holds the ids, a lookup gives
every id filed under any of its keys, as often as it was filed under them."""

from __future__ import annotations

from collections import Counter

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from alertd.matching.postings import Postings, distinct

KEYS = st.integers(min_value=0, max_value=12)
Step = tuple[str, frozenset[int] | list[int]]
# Each step files an id under some keys, merges, or looks some keys up.
STEPS: st.SearchStrategy[list[Step]] = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.sets(KEYS, min_size=1, max_size=5)),
        st.tuples(st.just("merge"), st.just(frozenset())),
        st.tuples(st.just("lookup"), st.lists(KEYS, max_size=8)),
    ),
    max_size=40,
)


@settings(max_examples=500, deadline=None)
@given(STEPS)
def test_a_lookup_finds_every_id_filed_before_it(steps: list[Step]) -> None:
    postings = Postings()
    filed: dict[int, list[int]] = {}
    for ident, (action, keys) in enumerate(steps):
        if action == "add":
            postings.add(keys, ident)
            for key in keys:
                filed.setdefault(key, []).append(ident)
        elif action == "merge":
            postings.merge()
        else:
            expected = Counter(i for key in keys for i in filed.get(key, ()))
            got = Counter(postings.lookup(np.array(keys, np.int64)).tolist())
            assert got == expected
            assert postings.count(np.array(keys, np.int64)) == expected.total()


def test_a_key_filed_after_a_lookup_is_found_by_the_next() -> None:
    """The delta's sorted keys are made once for lookups in a row: a new key must not
    be missed because they were made before it."""
    postings = Postings()
    postings.add([1, 2], 10)
    postings.merge()
    postings.add([3], 11)
    assert postings.lookup(np.array([1, 3], np.int64)).tolist() == [10, 11]
    postings.add([4, 3], 12)
    assert sorted(postings.lookup(np.array([4, 3, 2], np.int64)).tolist()) == [10, 11, 12, 12]


@given(st.lists(st.integers(min_value=-(2**31), max_value=2**31 - 1), max_size=60))
def test_distinct_is_numpys_unique(ids: list[int]) -> None:
    values = np.array(ids, np.int32)
    assert distinct(values).tolist() == np.unique(values).tolist()
