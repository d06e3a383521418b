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
from alertd.matching.prefilter import EntryFacts, _full_date_effect, _year_effects
from alertd.matching.score import DOB_AGREEMENT, DOB_DISAGREEMENT, DOB_FULL_DOUBT, prepare_entry
from alertd.matching.tables import packaged_name_tables
from tests.matching.helpers import entry


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


_full_dates = st.builds(
    PartialDate,
    st.integers(1960, 1963) | st.sampled_from([1916, 1951, 1969, 1971]),  # near, or a slip
    st.integers(1, 12),
    st.integers(1, 28),
) | st.sampled_from([PartialDate(1961, 1, 1), PartialDate(1961, 7, 1), PartialDate(1962, 1, 7)])


def _full_date_effect_of(query: PartialDate, listed: PartialDate) -> float:
    facts = EntryFacts()
    listed_entry = entry("A B", dob=(listed.isoformat(),))
    facts.append(prepare_entry(listed_entry, packaged_name_tables()), 0.8)
    return float(_full_date_effect(facts, np.zeros(1, np.int64), query)[0])


@settings(max_examples=2000)
@given(_full_dates, _full_dates)
def test_full_dates_are_graded_as_the_scorer_does(query: PartialDate, listed: PartialDate) -> None:
    dob = compare_dates(query, [listed])
    assert _full_date_effect_of(query, listed) == pytest.approx(_effect(dob.similarity), abs=1e-12)


def test_full_dates_rule_out_namesakes_born_another_day() -> None:
    born = PartialDate(1961, 3, 5)
    assert _full_date_effect_of(born, PartialDate(1961, 3, 5)) == _effect(1.0)
    assert _full_date_effect_of(born, PartialDate(1961, 5, 3)) > 0.0  # swapped
    assert _full_date_effect_of(born, PartialDate(1961, 1, 1)) > 0.0  # 1 January
    assert _full_date_effect_of(born, PartialDate(1962, 3, 5)) > -0.05  # a year off
    assert _full_date_effect_of(born, PartialDate(1961, 3, 7)) == _effect(0.6)  # 2 days
    assert _full_date_effect_of(born, PartialDate(1961, 3, 15)) == _effect(0.6)  # a slip
    assert _full_date_effect_of(born, PartialDate(1916, 3, 5)) == _effect(0.6)  # a swap
    three_days = PartialDate(1961, 2, 28), PartialDate(1961, 3, 3)  # no digit slip
    assert _full_date_effect_of(*three_days) == _effect(0.6)
    # Another day of the same year: the year alone allowed the same day's effect.
    assert _full_date_effect_of(born, PartialDate(1961, 9, 20)) == _effect(0.0)
    assert _year_effects(1961)[1961] == _effect(1.0)


def test_entries_without_one_full_date_are_left_to_the_years() -> None:
    facts = EntryFacts()
    for dates in [("1961",), ("1961-03",), ("1961-03-05", "1962-01-02")]:
        facts.append(prepare_entry(entry("A B", dob=dates), packaged_name_tables()), 0.8)
    effects = _full_date_effect(facts, np.arange(3, dtype=np.int64), PartialDate(1961, 9, 9))
    assert effects.tolist() == [np.inf] * 3


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
