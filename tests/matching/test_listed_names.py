"""Name-score bounds for many names at once equal bounds.QueryName.bound, name by name."""

from __future__ import annotations

import random
from itertools import pairwise

import numpy as np
import pytest

from alertd.matching import MatchIndex
from alertd.matching.bounds import QueryName
from alertd.matching.score import prepare_query
from alertd.matching.tables import NameTables, load_name_tables
from tests.matching.helpers import entry, traveller

WORDS = (
    "Mohammed", "Muhammad", "Ali", "Alli", "al", "Abdul", "Rahman", "Abdulrahman", "Sok",
    "Sokh", "Chan", "bin", "Hassan", "Hasan", "Kim", "Jong", "Kimjong", "Un", "Wali", "Jan",
)  # fmt: skip


@pytest.fixture(scope="module")
def tables() -> NameTables:
    return load_name_tables()


def test_array_bounds_equal_the_python_bound(tables: NameTables) -> None:
    rng = random.Random(5)
    index = MatchIndex(tables=tables)
    for i in range(400):
        names = [" ".join(rng.sample(WORDS, rng.randint(1, 4))) for _ in range(2)]
        index.add(entry(*names, entry_id=f"E{i}"))
    everyone = np.arange(len(index._names), dtype=np.int32)
    compared = 0
    for _ in range(40):
        query = prepare_query(traveller(" ".join(rng.sample(WORDS, rng.randint(1, 4)))), tables)
        comparer = index.comparer()
        for name in query.names:
            similar = [index._similar(slot, comparer) for slot in name.slots]
            joined = [index._joined_similar(a, b, comparer) for a, b in pairwise(name.slots)]
            python = QueryName(name, [n.similar for n in similar], [n.similar for n in joined])
            arrays = index._listed.bounds(everyone, similar, joined, name.weights)
            for nid, bound in enumerate(arrays.tolist()):
                assert bound == pytest.approx(python.bound(index._names[nid]), abs=1e-9)
                compared += bound > 0
    assert compared > 1000  # most pairs share a word: the bounds are not all zero


def test_adjacent_words_are_each_names_consecutive_words(tables: NameTables) -> None:
    """Each name's words two by two, as the token ids of their first spellings."""
    index = MatchIndex(tables=tables)
    names = ("Nguyen Van Thanh", "Sok", "Ahmed Rahman al Rashid", "Chan Sokh")
    for number, text in enumerate(names):
        index.add(entry(text, entry_id=f"E{number}"))
    nids = np.array([2, 0, 1, 3], np.int32)  # any order, a one-word name among them
    ids = index._vocabulary.ids
    expected = [
        (nid, ids[a[0]], ids[b[0]])
        for nid in nids.tolist()
        for a, b in pairwise(index._names[nid].slots)
    ]
    owners, firsts, seconds = index._listed.adjacent_words(nids)
    assert list(zip(owners.tolist(), firsts.tolist(), seconds.tolist(), strict=True)) == expected
    assert len(expected) == 2 + 3 + 0 + 1
