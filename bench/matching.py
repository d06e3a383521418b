"""Matching benchmark: quality on the development evaluation, speed on synthetic lists.

    .venv/bin/python bench/matching.py                      # both, sizes 10k,100k,1M
    .venv/bin/python bench/matching.py --quality --per-kind 200
    .venv/bin/python bench/matching.py --speed --sizes 10000,100000

Quality: the OFAC SDN 2021-07 individuals and the UN consolidated list are the watchlist;
queries come from matching_variations.py. Speed: synthetic lists (matching_synthetic.py).
Candidate recall compares the index with an exhaustive scan using the same scorer, over
as many of the speed queries as RECALL_SCAN_BUDGET allows at each size (at least
RECALL_MIN_QUERIES; ``--recall-samples`` sets the number): the scan scores every entry,
~1 s a query at 10,000 entries and ~100 s at 1,000,000.
Speed is printed as wall clock and as the process's CPU time (on a shared machine the
wall clock counts other processes' turns too).
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from matching_synthetic import synthetic_entries
from matching_variations import (
    CONVENTION_VARIATIONS,
    NAME_VARIATIONS,
    NEGATIVE_KINDS,
    Pools,
    Query,
    build_pools,
    negative,
    positive,
)
from matching_watchlists import ListedPerson, load_ofac, load_un

from alertd.matching import EntryInput, MatchIndex, NameInput, Traveller
from alertd.matching.score import prepare_query, score_prepared
from alertd.matching.tables import NameTables, load_name_tables
from alertd.matching.token_similarity import TokenComparer

DATA = Path("/work/shared/data")
NOW = datetime(2026, 11, 1, tzinfo=UTC)
QUERIES = 300
# Entries the exhaustive scans of one size's candidate recall may score in all, and the
# fewest queries they cover (a figure over 20 queries moves by 3% with one miss).
RECALL_SCAN_BUDGET = 6_000_000
RECALL_MIN_QUERIES = 20
SINGLE_KINDS = (*NAME_VARIATIONS, "date", "document_ocr", "native_script")
PAIRABLE = (*NAME_VARIATIONS, "date")
CONVENTIONS_SEED = 4  # the conventions' queries come from a random stream of their own


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def table(title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    print(f"\n{title}")
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=True)) + " |")


def pct(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.1f}%" if whole else "-"


# --- quality ------------------------------------------------------------------------------


def quality(per_kind: int, seed: int, tables: NameTables) -> None:
    people = load_ofac(DATA / "watchlists/ofac_sdn_2021-07") + load_un(
        DATA / "watchlists/un_consolidated_2026-02-27/UN_consolidated.xml"
    )
    index = MatchIndex(tables=tables)
    index.extend(person.entry for person in people)
    pools = build_pools(people, tables)
    rng = random.Random(seed)
    print(f"watchlist: {len(index)} individuals (OFAC SDN 2021-07 + UN 2026-02-27)")
    _positives(index, people, pools, rng, per_kind)
    _negatives(index, people, pools, rng, per_kind)
    _conventions(index, people, pools, random.Random(seed + CONVENTIONS_SEED), per_kind)


def _conventions(
    index: MatchIndex, people: Sequence[ListedPerson], pools: Pools, rng: random.Random, n: int
) -> None:
    """Name-writing conventions of one region (matching_variations.CONVENTION_VARIATIONS),
    each alone and with a varied date of birth."""
    listed = {person.entry.entry_id: person.entry for person in people}
    rows, misses = [], []
    for kind in CONVENTION_VARIATIONS:
        for kinds in ((kind,), (kind, "date")):
            label = "+".join(kinds)
            queries = _make(people, n, lambda p, k=kinds: positive(p, k, rng, pools), rng)
            row, fails = _recall_row(index, label, queries, listed)
            rows.append(row[:-1])
            misses += [f"  {label}: {text}" for text in fails[:3]]
    table("(a4) recall, writing conventions", RECALL_HEADER, rows)
    print("\nexamples of misses (query name -> target):", *misses, sep="\n")


def _make(
    people: Sequence[ListedPerson],
    count: int,
    build: Callable[[ListedPerson], Query | None],
    rng: random.Random,
) -> list[Query]:
    queries: list[Query] = []
    for _attempt in range(count * 30):
        if len(queries) >= count:
            break
        query = build(rng.choice(people))
        if query is not None:
            queries.append(query)
    return queries


def _found(index: MatchIndex, query: Query) -> str | None:
    for match in index.search(query.traveller, now=NOW, limit=50):
        if match.entry_id == query.target:
            return match.band
    return None


# "scorer alone": the target scored directly (MatchIndex.score, no candidate index), so a
# miss there is the scorer's and the gap to recall@possible+ is the index's.
RECALL_HEADER = ("queries", "n", "recall@possible+", "recall@hit", "scorer alone@possible+")


def _scored(index: MatchIndex, query: Query, listed: Mapping[str, EntryInput]) -> bool:
    target = listed.get(query.target or "")
    return target is not None and index.score(query.traveller, target) is not None


def _positives(
    index: MatchIndex, people: Sequence[ListedPerson], pools: Pools, rng: random.Random, n: int
) -> None:
    listed = {person.entry.entry_id: person.entry for person in people}
    rows = []
    failures: dict[str, list[str]] = defaultdict(list)
    totals = [0, 0, 0, 0]
    for kind in SINGLE_KINDS:
        queries = _make(people, n, lambda p, k=kind: positive(p, (k,), rng, pools), rng)
        row, fails = _recall_row(index, kind, queries, listed)
        failures[kind] = fails
        rows.append(row)
        counts = row[-1]
        assert isinstance(counts, tuple)
        added = (t + c for t, c in zip(totals[1:], counts, strict=True))
        totals = [totals[0] + len(queries), *added]
    rows = [r[:-1] for r in rows]
    rows.append(["ALL single", totals[0], *(pct(t, totals[0]) for t in totals[1:])])
    table("(a1) recall, one variation at a time", RECALL_HEADER, rows)
    pair_queries: list[Query] = []
    for _ in range(n * 4):
        kinds = tuple(rng.sample(PAIRABLE, 2))
        query = _make(people, 1, lambda p, k=kinds: positive(p, k, rng, pools), rng)
        pair_queries.extend(query)
    native_pairs = _make(
        people, n // 2, lambda p: positive(p, ("native_script", "date"), rng, pools), rng
    )
    pair_rows = []
    for label, queries in (
        ("two name/date variations", pair_queries),
        ("native_script+date", native_pairs),
    ):
        row, fails = _recall_row(index, label, queries, listed)
        failures[label] = fails
        pair_rows.append(row[:-1])
    table("(a2) recall, two variations at once", RECALL_HEADER, pair_rows)
    print("\nexamples of misses (query name -> target):")
    for kind, fails in failures.items():
        for text in fails[:3]:
            print(f"  {kind}: {text}")


def _recall_row(
    index: MatchIndex, label: str, queries: Sequence[Query], listed: Mapping[str, EntryInput]
) -> tuple[list[object], list[str]]:
    possible = hit = scored = 0
    fails = []
    for query in queries:
        band = _found(index, query)
        possible += band is not None
        hit += band == "hit"
        scored += _scored(index, query, listed)
        if band is None:
            fails.append(
                f"{query.traveller.names[0].full!r} "
                f"dob={query.traveller.date_of_birth} -> {query.target}"
            )
    row: list[object] = [
        label,
        len(queries),
        pct(possible, len(queries)),
        pct(hit, len(queries)),
        pct(scored, len(queries)),
        (possible, hit, scored),
    ]
    return row, fails


def _negatives(
    index: MatchIndex, people: Sequence[ListedPerson], pools: Pools, rng: random.Random, n: int
) -> None:
    rows = []
    total = [0, 0, 0]
    examples = []
    dated = {p.entry.entry_id for p in people if p.entry.dates_of_birth}
    for kind in NEGATIVE_KINDS:
        queries = _make(people, n, lambda p, k=kind: negative(p, k, rng, pools), rng)
        false_possible = false_hit = 0
        for query in queries:
            matches = index.search(query.traveller, now=NOW)
            if kind == "same_name_distant_dob":
                # Only a listed date can rule a namesake out; an entry listing none (often
                # the same person on the other list) is a fair match for the name alone.
                matches = [m for m in matches if m.entry_id in dated]
            false_possible += bool(matches)
            false_hit += any(m.band == "hit" for m in matches)
            if matches and len(examples) < 12:
                examples.append(
                    f"{kind}: {query.traveller.names[0].full!r} -> "
                    f"{matches[0].explanation.summary()[:160]}"
                )
        rows.append(
            [kind, len(queries), pct(false_possible, len(queries)), pct(false_hit, len(queries))]
        )
        total = [total[0] + len(queries), total[1] + false_possible, total[2] + false_hit]
    rows.append(["ALL negatives", total[0], pct(total[1], total[0]), pct(total[2], total[0])])
    table(
        "(a3) hard negatives: any match returned",
        ["negative", "n", "false possible+", "false hit"],
        rows,
    )
    print("\nexamples of false matches:")
    for text in examples:
        print("  " + text)


# --- speed ----------------------------------------------------------------------------------


def speed(sizes: Sequence[int], seed: int, tables: NameTables, recall_samples: int | None) -> None:
    people = load_ofac(DATA / "watchlists/ofac_sdn_2021-07")
    pools = build_pools(people, tables)
    given = tuple(sorted(set(pools.given) | {v for vs in tables.translit.values() for v in vs}))
    family = tuple(sorted(set(pools.family) | set(pools.given[::3])))
    print(
        f"\nname pools: {len(given)} given-name words, "
        f"{len(family)} family-name words (Zipf-skewed)"
    )
    header = [
        *("entries", "build s", "build CPU s", "index RSS MB", "query p50 ms", "query p99 ms"),
        "query CPU p50/p99 ms",
        *("candidates p50/p99", "cand. recall (n)", "add p50/max ms", "remove p50/max ms"),
    ]
    for size in sizes:  # one table per size, printed as soon as it is measured
        row = _speed_one(size, seed, tables, given, family, recall_samples)
        table(f"(b) speed on one core, {size:,} entries", header, [row])
        gc.collect()


def _speed_one(
    size: int,
    seed: int,
    tables: NameTables,
    given: Sequence[str],
    family: Sequence[str],
    samples: int | None,
) -> list[object]:
    entries = list(synthetic_entries(size, given, family, seed))
    gc.collect()
    before = rss_mb()
    start, start_cpu = time.perf_counter(), time.process_time()
    index = MatchIndex(tables=tables)
    index.extend(entries)  # a bulk load, as the service's start-up rebuild does
    build, build_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    gc.collect()
    memory = rss_mb() - before
    rng = random.Random(seed + size)
    queries = [_speed_query(rng.choice(entries), rng) for _ in range(QUERIES)]
    latencies, cpu, candidates = [], [], []
    for traveller in queries:
        t0, c0 = time.perf_counter(), time.process_time()
        index.search(traveller, now=NOW)
        cpu.append((time.process_time() - c0) * 1000)
        latencies.append((time.perf_counter() - t0) * 1000)
        candidates.append(
            len(index.candidates(prepare_query(traveller, tables), TokenComparer(tables)))
        )
    if samples is None:
        samples = max(RECALL_MIN_QUERIES, RECALL_SCAN_BUDGET // size)
    recall = _candidate_recall(index, queries[: max(1, samples)], tables)
    add_ms, remove_ms = _churn(index, entries, rng)
    return [
        f"{size:,}", f"{build:.1f}", f"{build_cpu:.1f}", f"{memory:.0f}",
        _q(latencies, 50), _q(latencies, 99), f"{_q(cpu, 50)}/{_q(cpu, 99)}",
        f"{_q(candidates, 50)}/{_q(candidates, 99)}", recall,
        f"{_q(add_ms, 50)}/{max(add_ms):.2f}", f"{_q(remove_ms, 50)}/{max(remove_ms):.3f}",
    ]  # fmt: skip


def _q(values: Sequence[float], percentile: int) -> str:
    ordered = sorted(values)
    value = ordered[min(len(ordered) - 1, int(len(ordered) * percentile / 100))]
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def _speed_query(entry: EntryInput, rng: random.Random) -> Traveller:
    name = rng.choice(entry.names).full
    tokens = name.split()
    action = rng.random()
    if action < 0.3 and len(tokens[-1]) > 3:  # a typo
        t = tokens[-1]
        i = rng.randrange(1, len(t))
        tokens[-1] = t[:i] + rng.choice("aeiourstn") + t[i + 1 :]
    elif action < 0.6:
        tokens = tokens[-1:] + tokens[:-1]  # family name first
    return Traveller(
        names=(NameInput(" ".join(tokens)),),
        date_of_birth=entry.dates_of_birth[0]
        if entry.dates_of_birth and rng.random() < 0.8
        else None,
        nationality=entry.nationalities[0],
        documents=entry.documents if rng.random() < 0.2 else (),
    )


def _candidate_recall(index: MatchIndex, queries: Sequence[Traveller], tables: NameTables) -> str:
    """Matches an exhaustive scan (same scorer, every live entry) finds that search also finds."""
    prepared_entries = index.prepared_entries()
    expected = found = 0
    for traveller in queries:
        query = prepare_query(traveller, tables)
        comparer = index.comparer()
        full = set()
        for prepared in prepared_entries:
            if prepared.entry.expires_at is not None and prepared.entry.expires_at <= NOW:
                continue
            thresholds = index.thresholds_for(prepared.entry.category)
            if score_prepared(query, prepared, thresholds, comparer):
                full.add(prepared.entry.entry_id)
        got = {m.entry_id for m in index.search(traveller, now=NOW, limit=10**6)}
        expected += len(full)
        found += len(full & got)
    return f"{pct(found, expected)} ({len(queries)}q, {expected}m)"


def _churn(
    index: MatchIndex, entries: Sequence[EntryInput], rng: random.Random
) -> tuple[list[float], list[float]]:
    add_ms, remove_ms = [], []
    for i in range(300):
        template = rng.choice(entries)
        entry = replace(template, entry_id=f"new-{i}", expires_at=None)
        t0 = time.perf_counter()
        index.add(entry)
        add_ms.append((time.perf_counter() - t0) * 1000)
    for i in range(300):
        t0 = time.perf_counter()
        index.remove(f"new-{i}")
        remove_ms.append((time.perf_counter() - t0) * 1000)
    return add_ms, remove_ms


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quality", action="store_true")
    parser.add_argument("--speed", action="store_true")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--per-kind", type=int, default=300)
    parser.add_argument("--recall-samples", type=int, default=None)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    both = not args.quality and not args.speed
    tables = load_name_tables()
    if args.quality or both:
        quality(args.per_kind, args.seed, tables)
    if args.speed or both:
        speed([int(s) for s in args.sizes.split(",")], args.seed, tables, args.recall_samples)


if __name__ == "__main__":
    main()
