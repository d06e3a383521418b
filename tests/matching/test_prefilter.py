"""The vectorised prefilter and postings: what they drop the scorer could never return."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alertd.matching import postings
from alertd.matching.dates import PartialDate, compare_dates
from alertd.matching.postings import Postings
from alertd.matching.prefilter import _year_effects
from alertd.matching.score import DOB_AGREEMENT, DOB_DISAGREEMENT, DOB_FULL_DOUBT


def _effect(similarity: float) -> float:
    doubt = min(1.0, (1.0 - similarity) / DOB_FULL_DOUBT)
    return DOB_AGREEMENT * similarity - DOB_DISAGREEMENT * doubt


_dates = st.builds(
    lambda y, m, d, precision: PartialDate(
        y, m if precision > 0 else None, min(d, 28) if precision > 1 else None
    ),
    st.integers(1900, 2030) | st.sampled_from([1958, 1985, 1895, 2985]),
    st.integers(1, 12),
    st.integers(1, 31),
    st.integers(0, 2),
)


@settings(max_examples=1500)
@given(_dates, _dates)
def test_year_table_bounds_the_date_effect(query: PartialDate, listed: PartialDate) -> None:
    dob = compare_dates(query, [listed])
    assert _effect(dob.similarity) <= _year_effects(query.year)[listed.year] + 1e-12


def test_near_dates_are_all_kept_far_ones_ruled_out() -> None:
    table = _year_effects(1985)
    assert table[1985] > 0 and table[1986] > -0.05  # same year, off by one
    assert table[1995] > -0.3 and table[1958] > -0.3  # digit slip, swapped digits: "close"
    assert table[1970] == _effect(0.0)  # nothing in common
    assert table[0] == 0.0  # no listed year


def test_postings_lookup_equals_a_dict_of_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(3)
    monkeypatch.setattr(postings, "MIN_DELTA", 40)  # merge often, lookups span both parts
    index, expected = Postings(), dict[int, list[int]]()
    for ident in range(3000):
        key = rng.randrange(200) << 32 | rng.randrange(3)
        index.add((key,), ident)
        expected.setdefault(key, []).append(ident)
        if ident % 250 == 0:
            keys = [rng.choice(list(expected)) for _ in range(5)] + [7, -1]
            got = sorted(index.lookup(np.array(keys, np.int64)).tolist())
            assert got == sorted(i for k in keys for i in expected.get(k, []))
    index.merge()
    everything = np.array(list(expected), np.int64)
    assert sorted(index.lookup(everything).tolist()) == list(range(3000))
    assert index.get(12345).tolist() == []
