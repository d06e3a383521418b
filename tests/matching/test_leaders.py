"""A limited search stops scoring once no candidate left could enter its result."""

from __future__ import annotations

import random

from alertd.matching import MatchIndex
from alertd.matching.leaders import Leaders, in_result_order, rounded_bound
from alertd.matching.score import PreparedEntry, prepare_entry
from alertd.matching.tables import packaged_name_tables
from tests.matching.helpers import NOW, entry, traveller


def _prepared(entry_id: str) -> PreparedEntry:
    return prepare_entry(entry("Sok Chan", entry_id=entry_id), packaged_name_tables())


def test_candidates_come_by_rounded_bound_then_entry_id() -> None:
    entries = [_prepared(i) for i in ("E9", "E10", "E2", "E1")] + [None]
    # 0.95004 and 0.95 round alike: tied, so entry ids decide (as in the result).
    ranked = [(4, 2.0), (0, 0.95004), (1, 0.95), (2, 0.95), (3, 0.9)]
    order = [p.entry.entry_id for p in in_result_order(ranked, entries, Leaders(10))]
    assert order == ["E10", "E2", "E9", "E1"]


def test_candidates_stop_when_none_left_could_enter() -> None:
    entries = [_prepared(i) for i in ("E9", "E10", "E2", "E1")]
    ranked = [(0, 0.95), (1, 0.95), (2, 0.95), (3, 0.9)]
    leaders = Leaders(2)
    taken = []
    for prepared in in_result_order(ranked, entries, leaders):
        taken.append(prepared.entry.entry_id)
        leaders.add(0.95, prepared.entry.entry_id)  # each scores its bound
    assert taken == ["E10", "E2"]  # E9 ties but comes after both; E1 is below


def test_a_bound_a_hair_below_its_score_still_rounds_to_it() -> None:
    """Float sums in another order can put a score a hair above its bound, across a
    rounding step: the rounded bound must still be the score's."""
    score = 0.85555000000001
    bound = score - 2e-12
    assert round(bound, 4) < round(score, 4) == rounded_bound(bound)


def test_leaders_keep_the_best_places_in_result_order() -> None:
    leaders = Leaders(2)
    assert leaders.may_enter(0.8, "E5")
    leaders.add(0.9, "E7")
    leaders.add(0.9, "E3")
    leaders.add(0.8, "E1")  # below both: not kept
    assert leaders.may_enter(0.9, "E5")  # a tie with a smaller id than E7
    assert not leaders.may_enter(0.9, "E8")
    assert not leaders.may_enter(0.85, "E0")
    assert not Leaders(0).may_enter(1.0, "E0")


def test_tied_namesakes_give_the_head_of_the_full_result() -> None:
    """Sixty namesakes score alike: the ``limit`` returned are those with the smallest
    entry ids, whatever order they were listed in."""
    index = MatchIndex(tables=packaged_name_tables())
    ids = [f"N{number}" for number in range(60)]
    random.Random(4).shuffle(ids)
    for entry_id in ids:
        index.add(entry("Sok Chan", entry_id=entry_id, dob=("1980",)))
    index.add(entry("Sok Chan", entry_id="Z-exact", dob=("1980-03-02",)))
    query = traveller("Sok Chan", dob="1980-03-02")
    full = index.search(query, now=NOW, limit=10**6)
    assert len(full) == 61 and full[0].entry_id == "Z-exact"
    for limit in (1, 5, 20):
        assert index.search(query, now=NOW, limit=limit) == full[:limit]
    assert [m.entry_id for m in full[1:4]] == ["N0", "N1", "N10"]
