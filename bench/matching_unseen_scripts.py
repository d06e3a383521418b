"""Recall for listed people written in another script in words no table or model has seen.

    .venv/bin/python bench/matching_unseen_scripts.py [--per-script 300] [--seed 1]
        [--tables DIR] [--misses]

bench/matching.py's native_script queries are the UN list's own original-script names.
These are the other kind a checkpoint meets: a listed person's name written in Arabic,
Cyrillic, Chinese or Korean letters, as a visa or a foreign document spells it. The
Wikidata pairs are split by native token (a fifth held out by hash, as
matching_translit.py --held-out); the table and the transcription model are built
again (build_tables, minutes) from the other four fifths. A query is a listed person
(OFAC SDN + UN) with each word of a name replaced by the commonest held-out native token
that spells it (the other words by the commonest token of the four fifths, known to the
table), and the person's first date of birth. Recall is given with the rules alone (the
table of the four fifths, no model) and with the learned model too.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import tempfile
import zlib
from collections import defaultdict
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from matching_watchlists import ListedPerson, load_ofac, load_un

from alertd.matching import MatchIndex, NameInput, Traveller
from alertd.matching.build_tables import SOURCES
from alertd.matching.build_tables import main as build_tables
from alertd.matching.tables import load_name_tables

DATA = Path("/work/shared/data")
NOW = datetime(2026, 1, 1, tzinfo=UTC)
SEPARATOR = {"arabic": " ", "russian": " ", "chinese": "·", "korean": " "}


def held_out(native: str) -> bool:
    return zlib.crc32(native.encode()) % 5 == 0


Spellings = dict[str, str]  # Latin word -> the commonest native token spelling it


def split_data(into: Path) -> dict[str, tuple[Spellings, Spellings]]:
    """Copy the shared data to ``into`` without the held-out rows; return, per script,
    the spellings by held-out native tokens and by the others."""
    (into / "translit").mkdir(parents=True)
    shutil.copytree(DATA / "names", into / "names")
    spelled: dict[str, tuple[Spellings, Spellings]] = {}
    for source in SOURCES:
        counts: tuple[dict[str, dict[str, int]], ...] = (defaultdict(dict), defaultdict(dict))
        with (
            (DATA / "translit" / source).open(encoding="utf-8") as rows,
            (into / "translit" / source).open("w", encoding="utf-8") as kept,
        ):
            for row in rows:
                parts = row.rstrip("\n").split("\t")
                if len(parts) != 3:
                    continue
                native = parts[1].replace(" ", "")
                unseen = held_out(native)
                natives = counts[0 if unseen else 1][parts[0].lower()]
                natives[native] = natives.get(native, 0) + int(parts[2])
                if not unseen:
                    kept.write(row)
        unseen_words, seen_words = (
            {latin: max(n, key=lambda k: n[k]) for latin, n in part.items()} for part in counts
        )
        spelled[source.split("_")[1]] = (unseen_words, seen_words)
    return spelled


def queries(
    people: list[ListedPerson],
    spelled: tuple[Spellings, Spellings],
    separator: str,
    count: int,
    seed: int,
) -> list[tuple[Traveller, str]]:
    """Names with a word spelled by a held-out token, the rest by any token: as a list
    of unseen native names would share the common words with the pairs learned from."""
    unseen, seen = spelled
    rng = random.Random(seed)
    found = []
    for person in rng.sample(people, len(people)):
        name = person.entry.names[0].full
        words = [w for w in re.split(r"[^a-z]+", name.lower()) if w]
        if not any(w in unseen for w in words) or any(w not in unseen | seen for w in words):
            continue
        dob = person.entry.dates_of_birth[0] if person.entry.dates_of_birth else None
        native = separator.join(unseen.get(w) or seen[w] for w in words)
        traveller = Traveller(names=(NameInput(native),), date_of_birth=dob)
        found.append((traveller, person.entry.entry_id))
        if len(found) >= count:
            break
    return found


def recall(index: MatchIndex, asked: list[tuple[Traveller, str]]) -> str:
    possible = hit = 0
    for traveller, target in asked:
        bands = {m.entry_id: m.band for m in index.search(traveller, now=NOW, limit=50)}
        possible += target in bands
        hit += bands.get(target) == "hit"
    n = max(1, len(asked))
    return f"{100 * possible / n:.1f}% / {100 * hit / n:.1f}%"


def missed(index: MatchIndex, asked: list[tuple[Traveller, str]]) -> list[tuple[Traveller, str]]:
    return [
        (traveller, target)
        for traveller, target in asked
        if target not in {m.entry_id for m in index.search(traveller, now=NOW, limit=50)}
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-script", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--tables", type=Path, help="keep the tables built here, and reuse them if there"
    )
    parser.add_argument("--misses", action="store_true", help="print the listed people missed")
    args = parser.parse_args()
    people = load_ofac(DATA / "watchlists/ofac_sdn_2021-07") + load_un(
        DATA / "watchlists/un_consolidated_2026-02-27/UN_consolidated.xml"
    )
    with tempfile.TemporaryDirectory() as work:
        data = Path(work) / "data"
        spelled = split_data(data)
        out = args.tables or Path(work) / "tables"
        if not (out / "transcription.tsv").exists():
            out.mkdir(parents=True, exist_ok=True)
            build_tables([str(data), str(out)])
        learned = load_name_tables(out)
    rules = replace(learned, transcription=type(learned.transcription)())
    indexes = {}
    for label, tables in (("rules", rules), ("rules + learned", learned)):
        indexes[label] = MatchIndex(tables=tables)
        indexes[label].extend(person.entry for person in people)
    print("| script (unseen words) | n | rules: possible+ / hit | and learned: possible+ / hit |")
    print("|---|---:|---|---|")
    for script, separator in SEPARATOR.items():
        asked = queries(people, spelled[script], separator, args.per_script, args.seed)
        cells = [recall(index, asked) for index in indexes.values()]
        print(f"| {script} | {len(asked)} | {cells[0]} | {cells[1]} |", flush=True)
        if args.misses:
            for traveller, target in missed(indexes["rules + learned"], asked):
                print(f"  missed: {traveller.names[0].full} -> {target}", file=sys.stderr)


if __name__ == "__main__":
    main()
