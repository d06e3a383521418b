"""A bulk load (MatchIndex.extend: keys filed in arrays, one sort per postings list)
gives the index that ``add`` one entry at a time gives: same postings, same searches."""

from __future__ import annotations

import gc
import random
from collections.abc import Iterator

import numpy as np
import pytest

from alertd.matching import DocumentInput, EntryInput, MatchIndex, NameInput, Traveller
from alertd.matching.postings import Postings
from alertd.matching.tables import NameTables, load_name_tables
from tests.matching.helpers import NOW, entry, typo

GIVEN = ("Mohammed", "Muhammad", "Ali", "Ahmad", "Sok", "Chan", "Dara", "Abdul", "Kim", "bin")
FAMILY = ("Hassan", "Hasan", "Heng", "Sophal", "Khan", "Jongun", "Al Rashid", "Mu1lah Omar")
NATIVE = ("محمد علي", "Иван Петров", "ហ៊ុន សែន", "김정은")
DATES = ("1970-01-01", "1970-03-02", "1971", "1985-07-14")


@pytest.fixture(scope="module")
def tables() -> NameTables:
    return load_name_tables()


def _listed(number: int, rng: random.Random) -> EntryInput:
    words = [rng.choice(GIVEN), rng.choice(GIVEN), rng.choice(FAMILY)]
    if rng.random() < 0.2:
        words[-1] = typo(words[-1], rng)
    names = [" ".join(words[rng.randrange(3) :]), f"{words[0]} {rng.choice(FAMILY)}"]
    if rng.random() < 0.1:
        names.append(rng.choice(NATIVE))
    documents: tuple[DocumentInput, ...] = ()
    if rng.random() < 0.3:
        documents = (DocumentInput("passport", f"N{rng.randrange(10**6):06d}", "KHM"),)
    return entry(
        *names,
        entry_id=f"E{number}",
        category=rng.choice(("wanted_person", "missing_person", "lost_stolen_document")),
        dob=(rng.choice(DATES),) if rng.random() < 0.7 else (),
        nationalities=(rng.choice(("KHM", "IRQ")),) if rng.random() < 0.7 else (),
        sex=rng.choice(("M", "F", None)),
        documents=documents,
    )


def _queries(listed: list[EntryInput], rng: random.Random) -> list[Traveller]:
    queries = []
    for _ in range(40):
        words = [rng.choice(GIVEN), rng.choice(FAMILY)]
        if rng.random() < 0.3:
            words[-1] = typo(words[-1], rng)
        if rng.random() < 0.3:
            words.reverse()
        source = rng.choice(listed)
        queries.append(
            Traveller(
                names=(NameInput(" ".join(words)),),
                date_of_birth=rng.choice((*DATES, None)),
                nationality=rng.choice(("KHM", "IRQ", None)),
                documents=source.documents if rng.random() < 0.3 else (),
            )
        )
    queries += [Traveller(names=(NameInput(name),)) for name in NATIVE]
    return queries


def _one_by_one(tables: NameTables, entries: list[EntryInput]) -> MatchIndex:
    index = MatchIndex(tables=tables)
    for item in entries:
        index.add(item)
    index.settle()
    return index


def _same_searches(a: MatchIndex, b: MatchIndex, queries: list[Traveller]) -> int:
    found = 0
    for query in queries:
        expected = a.search(query, now=NOW, limit=10**6)
        assert b.search(query, now=NOW, limit=10**6) == expected, query.names[0].full
        found += len(expected)
    return found


def _same_postings(a: MatchIndex, b: MatchIndex) -> None:
    for name in ("_tokens", "_pairs", "_one_word", "_documents"):
        for part in ("_keys", "_starts", "_ids"):
            np.testing.assert_array_equal(
                getattr(getattr(a, name), part), getattr(getattr(b, name), part)
            )


def test_a_bulk_load_equals_adding_one_by_one(tables: NameTables) -> None:
    rng = random.Random(11)
    listed = [_listed(i, rng) for i in range(400)]
    listed += [_listed(i, rng) for i in range(0, 400, 7)]  # new versions of some entries
    by_add = _one_by_one(tables, listed)
    in_bulk = MatchIndex(tables=tables)
    in_bulk.extend(listed[:150])
    in_bulk.extend(listed[150:])  # onto a base already sorted
    assert len(in_bulk) == len(by_add) == 400
    _same_postings(by_add, in_bulk)
    assert _same_searches(by_add, in_bulk, _queries(listed, rng)) > 100  # namesakes met


def test_add_and_remove_after_a_bulk_load(tables: NameTables) -> None:
    rng = random.Random(12)
    listed = [_listed(i, rng) for i in range(300)]
    index = MatchIndex(tables=tables)
    index.extend(listed)
    gone, changed = listed[5], _listed(6, rng)
    newcomer = entry("Bopha Sreymom", entry_id="new", dob=("1980",))
    index.remove(gone.entry_id)
    index.add(changed)
    index.add(newcomer)
    expected = [e for e in listed if e.entry_id not in {gone.entry_id, changed.entry_id}]
    reference = _one_by_one(tables, [*expected, changed, newcomer])
    _same_searches(reference, index, _queries(listed, rng))
    found = index.search(Traveller(names=(NameInput("Bopha Sreymom"),)), now=NOW)
    assert [m.entry_id for m in found] == ["new"]


def test_a_bulk_load_replacing_most_entries_compacts_on_the_way(tables: NameTables) -> None:
    """Replacing entries leaves tombstones; compacting in the middle of a bulk load files
    what was loaded so far, and the rest is filed at its end."""
    rng = random.Random(13)
    first = [_listed(i, rng) for i in range(2400)]
    second = [_listed(i, rng) for i in range(2400)]  # every entry again, new versions
    index = MatchIndex(tables=tables)
    index.extend(first)
    index.extend(second)
    assert len(index) == 2400
    assert len(index._entries) < 4800  # compacted: tombstones dropped
    _same_searches(_one_by_one(tables, second), index, _queries(second, rng)[:15])


def test_a_failing_bulk_load_keeps_what_it_took_and_restores_the_collector(
    tables: NameTables,
) -> None:
    def entries() -> Iterator[EntryInput]:
        yield entry("Sok Chan", entry_id="A")
        raise ValueError("an unreadable entry")

    index = MatchIndex(tables=tables)
    enabled = gc.isenabled()
    with pytest.raises(ValueError, match="unreadable"):
        index.extend(entries())
    assert gc.isenabled() == enabled
    found = index.search(Traveller(names=(NameInput("Sok Chan"),)), now=NOW)
    assert [m.entry_id for m in found] == ["A"]


def test_postings_extend_files_each_pair_once_after_earlier_ids() -> None:
    by_add, in_bulk = Postings(), Postings()
    for postings in (by_add, in_bulk):
        postings.add([5, 9], 1)
        postings.merge()
    by_add.add([9, 7], 2)
    by_add.add([5], 3)
    by_add.merge()
    in_bulk.extend(np.array([5, 9, 7, 5, 9], np.int64), np.array([3, 2, 2, 3, 2], np.int32))
    for part in ("_keys", "_starts", "_ids"):
        np.testing.assert_array_equal(getattr(by_add, part), getattr(in_bulk, part))
    assert sorted(in_bulk.get(9).tolist()) == [1, 2]


@pytest.fixture
def heap_frozen() -> Iterator[None]:
    """A process that keeps its long-lived objects frozen, as the service does."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()  # hand the test process's objects back to the collector


def test_a_bulk_load_leaves_nothing_for_the_collector_to_walk(
    tables: NameTables, heap_frozen: None
) -> None:
    """In a process that froze its heap, a bulk load's objects are frozen with it: left
    in the youngest generation, the first collection after the load walked them all
    (0.8 s in a service worker at 100,000 entries)."""
    before = gc.get_freeze_count()
    index = MatchIndex(tables=tables)
    index.extend(_listed(number, random.Random(number)) for number in range(500))
    assert gc.get_freeze_count() - before > 2_000  # the entries, names, postings...
    assert gc.get_count()[0] < 1_000
    assert len(index) == 500


def test_a_bulk_load_leaves_an_unfrozen_heap_unfrozen(tables: NameTables) -> None:
    gc.unfreeze()  # whatever an earlier test in this process froze
    MatchIndex(tables=tables).extend(_listed(number, random.Random(number)) for number in range(50))
    assert gc.get_freeze_count() == 0
