"""The index: add/remove/replace, expiry, limits, thresholds, explanations."""

from __future__ import annotations

import json
from datetime import timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from alertd.matching import (
    BandThresholds,
    DocumentInput,
    MatchIndex,
    load_name_tables,
    load_thresholds,
)
from alertd.matching.bounds import MOST_SUPPORT, name_score_bound
from alertd.matching.index import _best_per_slot
from alertd.matching.tables import NameTables
from alertd.matching.thresholds import LOWEST_POSSIBLE
from tests.matching.helpers import NOW, entry, traveller


@pytest.fixture(scope="module")
def tables() -> NameTables:
    return load_name_tables()


@pytest.fixture
def index(tables: NameTables) -> MatchIndex:
    return MatchIndex(tables=tables)


def test_add_search_remove(index: MatchIndex) -> None:
    index.add(entry("Sok Chan", entry_id="A"))
    index.add(entry("Chea Sophal", entry_id="B"))
    assert len(index) == 2
    assert [m.entry_id for m in index.search(traveller("Chan Sok"), now=NOW)] == ["A"]
    index.remove("A")
    index.remove("A")  # absent: no error
    assert len(index) == 1
    assert index.search(traveller("Chan Sok"), now=NOW) == []


def test_add_replaces_the_same_entry_id(index: MatchIndex) -> None:
    index.add(entry("Sok Chan", entry_id="A"))
    index.add(entry("Heng Dara", entry_id="A"))
    assert len(index) == 1
    assert index.search(traveller("Sok Chan"), now=NOW) == []
    assert [m.entry_id for m in index.search(traveller("Heng Dara"), now=NOW)] == ["A"]


def test_an_entry_stops_matching_at_its_expiry(index: MatchIndex) -> None:
    index.add(entry("Sok Chan", entry_id="A", expires_at=NOW + timedelta(seconds=1)))
    assert index.search(traveller("Sok Chan"), now=NOW)
    assert index.search(traveller("Sok Chan"), now=NOW + timedelta(seconds=1)) == []
    assert index.search(traveller("Sok Chan"), now=NOW + timedelta(days=1)) == []


def test_results_are_sorted_and_limited(index: MatchIndex) -> None:
    for i in range(30):
        index.add(entry("Chhorn Vibol", entry_id=f"E{i:02d}", dob=(f"{1960 + i}",)))
    index.add(entry("Chhorn Vibol", entry_id="no-date"))
    matches = index.search(traveller("Chhorn Vibol", dob="1975-05-05"), now=NOW, limit=3)
    assert [m.entry_id for m in matches] == ["E15", "no-date", "E14"]
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_many_removals_compact_the_postings(index: MatchIndex) -> None:
    def name(i: int) -> str:  # distinct made-up words: "Bcdfa Kalo"
        return "".join("bcdfghjklm"[int(d)] + "aeiou"[int(d) % 5] for d in f"{i:04d}")

    for i in range(3000):
        index.add(entry(f"{name(i)} {name(i * 7 + 1)}", entry_id=f"E{i}"))
    for i in range(2000):
        index.remove(f"E{i}")
    assert len(index) == 1000
    found = index.search(traveller(f"{name(2500)} {name(2500 * 7 + 1)}"), now=NOW)
    assert found[0].entry_id == "E2500"
    assert all(int(m.entry_id[1:]) >= 2000 for m in found)


def test_thresholds_per_category(tables: NameTables) -> None:
    strict = {"wanted_person": BandThresholds(possible=0.99, hit=1.0)}
    index = MatchIndex(strict, tables=tables)
    index.add(entry("John Smith", entry_id="A"))
    index.add(entry("John Smith", entry_id="B", category="missing_person"))
    found = {m.entry_id: m.band for m in index.search(traveller("Jon Smith"), now=NOW)}
    assert found == {"B": "hit"} or found == {"B": "possible"}


def test_load_thresholds_validates() -> None:
    loaded = load_thresholds({"potential_victim": {"possible": 0.7}})
    assert loaded["potential_victim"] == BandThresholds(possible=0.7, hit=0.92)
    with pytest.raises(ValueError, match="unknown keys"):
        load_thresholds({"wanted_person": {"posible": 0.7}})
    with pytest.raises(ValueError, match="possible <= hit"):
        load_thresholds({"wanted_person": {"possible": 0.95, "hit": 0.9}})
    with pytest.raises(ValueError, match=r"possible=0\.6 is below 0\.66"):
        load_thresholds({"potential_victim": {"possible": 0.6}})
    with pytest.raises(ValueError, match="'missing_person'"):
        MatchIndex({"missing_person": BandThresholds(possible=0.5, hit=0.9)})


def test_the_lowest_possible_is_above_what_one_aligned_word_can_give() -> None:
    """A name of two words or more with one aligned word has at most half of each name
    covered; with everything else agreeing it must stay below any allowed "possible"."""
    assert name_score_bound(0.5, 0.5) + MOST_SUPPORT < LOWEST_POSSIBLE


def test_explanation_is_json_ready_and_readable(index: MatchIndex) -> None:
    index.add(
        entry(
            "SOK Chan", "សុខ ចាន់", entry_id="A", dob=("1985-03-02",), nationalities=("KHM",),
            sex="M", documents=(DocumentInput("passport", "N01234567", "KHM"),),
        )
    )  # fmt: skip
    query = traveller(
        "ចាន់ សុខ", dob="1986-03-02", nationality="KHM", sex="M",
        documents=(DocumentInput("passport", "NO1234567", "KHM"),),
        mrz_warnings=("MRZ check digit for date of birth failed",),
    )  # fmt: skip
    [match] = index.search(query, now=NOW)
    data = match.explanation.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["name"]["aligned"]
    assert data["date_of_birth"]["kind"] == "year_off_by_one"
    assert data["document"]["kind"] == "confusable"
    assert data["nationality"]["verdict"] == "agrees"
    assert data["mrz_warnings"] == ["MRZ check digit for date of birth failed"]
    summary = match.explanation.summary()
    assert "khmer" in summary
    assert "MRZ warning" in summary
    assert match.band == "hit"


@pytest.mark.parametrize(
    ("query", "listed", "step"),
    [
        ("Hsu Chih-ming", "XU Zhiming", "reading Wade-Giles as pinyin"),
        ("Boris Nikolajewitsch Jelzin", "Boris Nikolayevich YELTSIN", "a German transliteration"),
        ("Joesoef Kalla", "Yusuf KALLA", "the old Indonesian spelling"),
        ("Pak Kun Hye", "PARK Geun-hye", "the Korean romanisations"),
        ("CHAN Tai Man", "陳大文", "romanising han"),
    ],
)
def test_the_explanation_says_how_a_name_was_read(query: str, listed: str, step: str) -> None:
    """An officer sees "yusuf~yusuf" for a passport saying JOESOEF: the summary says why."""
    index = MatchIndex()
    index.add(entry(listed))
    [match] = index.search(traveller(query), now=NOW)
    assert step in match.explanation.summary()


def test_unreadable_traveller_date_is_reported_not_fatal(index: MatchIndex) -> None:
    index.add(entry("Sok Chan", entry_id="A", dob=("1985",)))
    [match] = index.search(traveller("Sok Chan", dob="1985-13-40"), now=NOW)
    assert match.explanation.date_of_birth.kind == "unknown"
    assert any("unreadable" in w for w in match.explanation.mrz_warnings)


def test_score_is_the_scorer_search_uses(index: MatchIndex) -> None:
    listed = entry("Mohammed Yusuf ALI", entry_id="A", dob=("1970",))
    index.add(listed)
    query = traveller("Muhammad Ali", dob="1970")
    [found] = index.search(query, now=NOW)
    assert index.score(query, listed) == found


def test_a_word_listed_after_a_search_is_met_by_the_next(index: MatchIndex) -> None:
    """Near words are remembered across searches only while no new word is listed."""
    index.add(entry("Mohammed Hassan", entry_id="A"))
    assert [m.entry_id for m in index.search(traveller("Mohamed Hassan"), now=NOW)] == ["A"]
    index.add(entry("Mouhamed Hassan", entry_id="B"))
    found = {m.entry_id for m in index.search(traveller("Mohamed Hassan"), now=NOW)}
    assert found == {"A", "B"}


def test_an_entry_met_through_several_document_keys_is_returned_once(index: MatchIndex) -> None:
    passport = DocumentInput("passport", "N01234567", "KHM")
    index.add(entry("Sok Chan", entry_id="A", documents=(passport,)))
    # The confusable key and several one-deletion keys are shared.
    query = traveller("Sok Chan", documents=(DocumentInput("passport", "NO1234567", "KHM"),))
    assert [m.entry_id for m in index.search(query, now=NOW)] == ["A"]


@given(
    st.lists(st.lists(st.tuples(st.integers(0, 30), st.floats(0.0, 2.0)), max_size=12), max_size=4)
)
def test_best_per_slot_keeps_each_slots_highest_bound_in_slot_order(
    parts: list[list[tuple[int, float]]],
) -> None:
    expected: dict[int, float] = {}
    for slot, bound in (pair for part in parts for pair in part):
        expected[slot] = max(bound, expected.get(slot, bound))
    arrays = [
        (np.array([s for s, _ in part], np.int64), np.array([b for _, b in part], np.float64))
        for part in parts
    ]
    slots, bounds = _best_per_slot(arrays)
    assert list(zip(slots.tolist(), bounds.tolist(), strict=True)) == sorted(expected.items())
