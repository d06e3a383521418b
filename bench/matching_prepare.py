"""Per-entry preparation and per-candidate scoring cost, in CPU time (one core).

    .venv/bin/python bench/matching_prepare.py                  # 100,000 entries
    .venv/bin/python bench/matching_prepare.py --entries 20000 --profile prepare

The index build is mostly ``score.prepare_entry`` per entry, and every candidate a query
keeps is scored by ``score.score_prepared``; these two figures bound what the index can
do in its time budget. Entries are the speed benchmark's synthetic list (same pools as
bench/matching.py --speed). Candidates of a query are the entries sharing a listed word
with it (what any key-based index scores, capped per query), scored with one token
comparer per query as ``MatchIndex.search`` does. CPU time (time.process_time), so the
figures hold on a shared machine better than wall-clock ones.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).parent))

from matching import DATA, _speed_query
from matching_synthetic import synthetic_entries
from matching_variations import build_pools
from matching_watchlists import load_ofac

from alertd.matching import EntryInput, Traveller
from alertd.matching.names import Slot
from alertd.matching.score import PreparedEntry, prepare_entry, prepare_query, score_prepared
from alertd.matching.tables import NameTables, load_name_tables
from alertd.matching.thresholds import DEFAULT_THRESHOLDS
from alertd.matching.token_similarity import TokenComparer, TokenKeys, token_keys

# Candidates scored per query at most (the index scores up to a couple of thousand).
CANDIDATES_PER_QUERY = 1000

T = TypeVar("T")


def synthetic(size: int, seed: int, tables: NameTables) -> list[EntryInput]:
    """The speed benchmark's list (bench/matching.py speed())."""
    pools = build_pools(load_ofac(DATA / "watchlists/ofac_sdn_2021-07"), tables)
    given = tuple(sorted(set(pools.given) | {v for vs in tables.translit.values() for v in vs}))
    family = tuple(sorted(set(pools.family) | set(pools.given[::3])))
    return list(synthetic_entries(size, given, family, seed))


def prepare_all(entries: Sequence[EntryInput], tables: NameTables) -> list[PreparedEntry]:
    shared: dict[Slot, Slot] = {}

    def share(slot: Slot) -> Slot:  # as MatchIndex does: one tuple per distinct word
        return shared.setdefault(slot, slot)

    return [prepare_entry(entry, tables, share) for entry in entries]


def candidate_sets(
    prepared: Sequence[PreparedEntry], queries: Sequence[Traveller], tables: NameTables
) -> list[list[PreparedEntry]]:
    """Entries sharing a word (first spelling) with each query, at most CANDIDATES_PER_QUERY."""
    postings: dict[str, list[int]] = defaultdict(list)
    for number, entry in enumerate(prepared):
        for word in {slot[0] for name in entry.names for slot in name.slots}:
            postings[word].append(number)
    sets: list[list[PreparedEntry]] = []
    for traveller in queries:
        words = {s[0] for n in prepare_query(traveller, tables).names for s in n.slots}
        met = sorted({i for word in words for i in postings.get(word, ())})
        rng = random.Random(len(sets))
        chosen = rng.sample(met, min(len(met), CANDIDATES_PER_QUERY))
        sets.append([prepared[i] for i in chosen])
    return sets


def listed_keys(prepared: Sequence[PreparedEntry]) -> dict[str, TokenKeys]:
    """The comparison keys of every listed token (the index's vocabulary holds them)."""
    tokens = {t for e in prepared for n in e.names for slot in n.slots for t in slot}
    return {token: token_keys(token) for token in tokens}


def score_all(
    queries: Sequence[Traveller],
    candidates: Sequence[Sequence[PreparedEntry]],
    tables: NameTables,
    keys: dict[str, TokenKeys],
) -> int:
    kept = 0
    for traveller, entries in zip(queries, candidates, strict=True):
        query = prepare_query(traveller, tables)
        comparer = TokenComparer(tables, keys)
        for entry in entries:
            kept += score_prepared(query, entry, DEFAULT_THRESHOLDS, comparer) is not None
    return kept


def timed(label: str, profile: str | None, work: Callable[[], T]) -> tuple[T, float]:
    """CPU seconds of work(); profiled (sorted by ``profile``: tottime, cumulative) if set."""
    gc.collect()
    profiler = cProfile.Profile() if profile else None
    start = time.process_time()
    if profiler is not None:
        profiler.enable()
    result = work()
    if profiler is not None:
        profiler.disable()
    spent = time.process_time() - start
    if profiler is not None and profile:
        print(f"\nprofile of {label}:")
        pstats.Stats(profiler).sort_stats(profile).print_stats(40)
    return result, spent


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", choices=("prepare", "score"), default=None)
    parser.add_argument("--sort", choices=("tottime", "cumulative"), default="tottime")
    args = parser.parse_args()
    tables = load_name_tables()
    entries = synthetic(args.entries, args.seed, tables)
    prepared, prepare_s = timed(
        "prepare",
        args.sort if args.profile == "prepare" else None,
        lambda: prepare_all(entries, tables),
    )
    rng = random.Random(args.seed + 1)
    queries = [_speed_query(rng.choice(entries), rng) for _ in range(args.queries)]
    candidates = candidate_sets(prepared, queries, tables)
    pairs = sum(len(c) for c in candidates)
    keys = listed_keys(prepared)
    kept, score_s = timed(
        "score",
        args.sort if args.profile == "score" else None,
        lambda: score_all(queries, candidates, tables, keys),
    )
    print(f"prepare_entry: {len(entries):,} entries, {prepare_s:.2f} s CPU, "
          f"{1e6 * prepare_s / len(entries):.1f} us/entry")  # fmt: skip
    print(f"score_prepared: {pairs:,} candidate pairs ({len(queries)} queries, {kept} kept), "
          f"{score_s:.2f} s CPU, {1e6 * score_s / max(1, pairs):.1f} us/candidate")  # fmt: skip


if __name__ == "__main__":
    main()
