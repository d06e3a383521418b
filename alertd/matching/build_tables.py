"""Generate the package data tables from the shared data (run by hand, not at import).

    python -m alertd.matching.build_tables /work/shared/data alertd/matching/data

* translit.tsv: from the Wikidata transliteration pairs (CC0): for each native token, the
  Latin spellings seen at least ``MIN_COUNT`` times and at least ``MIN_SHARE`` of the
  commonest one, up to ``MAX_SPELLINGS``. Noisy one-off alignments are dropped that way.
* transcription.tsv: from the same pairs, how each native sign is written in Latin
  letters (transcription_training.py), for tokens the table lacks.
* nicknames.tsv: from carltonnorthern/nicknames (Apache-2.0), name<TAB>nickname.
* wade_giles.tsv and cantonese.tsv: from pypinyin and from cantonese-romanisation with
  OpenCC (wade_giles.py, cantonese.py).
"""

from __future__ import annotations

import csv
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from alertd.matching import cantonese, wade_giles
from alertd.matching.phonetic import phonetic_key, skeleton
from alertd.matching.tables import TRANSCRIPTION_FILE, fold_native
from alertd.matching.transcription import format_model
from alertd.matching.transcription_training import (
    ALPHABETIC,
    SYLLABIC,
    ChunkSizes,
    Pair,
    Probabilities,
    learn,
)
from alertd.matching.transliterate import rule_romanisation

MIN_COUNT = 2  # rows seen once are mostly alignment noise (README of the data)
MIN_SHARE = 0.08  # keep variants that are at least 8% as common as the usual spelling
MAX_SPELLINGS = 4
# Consonant skeletons of the table spelling and of a rule romanisation must be this alike.
MIN_SKELETON_SIMILARITY = 0.5
SOURCES = ("wd_arabic_80.tsv", "wd_russian_80.tsv", "wd_chinese_80.tsv", "wd_korean_80.tsv")
# How many Latin letters one sign of each source's script may give.
SIGN_SIZES: dict[str, ChunkSizes] = {
    "wd_arabic_80.tsv": ALPHABETIC,
    "wd_russian_80.tsv": ALPHABETIC,
    "wd_chinese_80.tsv": SYLLABIC,
    "wd_korean_80.tsv": SYLLABIC,
}


def _latin_ok(latin: str) -> bool:
    plain = unicodedata.normalize("NFKD", latin)
    letters = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return letters.isascii() and letters.replace("-", "").isalpha()


def build_translit(source_dir: Path) -> dict[str, list[str]]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for name in SOURCES:
        with (source_dir / name).open(encoding="utf-8") as handle:
            for line in handle:
                parts = line.rstrip("\n").split("\t")
                if len(parts) != 3 or not _latin_ok(parts[0]):
                    continue
                native = fold_native(parts[1].replace(" ", ""))
                counts[native][parts[0].lower()] += int(parts[2])
    table: dict[str, list[str]] = {}
    for native, spellings in counts.items():
        ranked = sorted(spellings.items(), key=lambda item: (-item[1], item[0]))
        top = ranked[0][1]
        kept = [
            s for s, c in ranked
            if c >= MIN_COUNT and c >= MIN_SHARE * top and plausible(native, s)
        ]  # fmt: skip
        if kept:
            table[native] = kept[:MAX_SPELLINGS]
    return table


def read_pairs(source: Path) -> list[Pair]:
    """(native token folded, Latin spelling in plain lower-case letters, times seen)."""
    pairs: list[Pair] = []
    with source.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            native = fold_native(parts[1].replace(" ", "")) if len(parts) == 3 else ""
            if native.isalpha() and _latin_ok(parts[0]):
                pairs.append((native, _ascii(parts[0]), int(parts[2])))
    return pairs


def build_transcription(source_dir: Path) -> Probabilities:
    """Each source's signs learned from its pairs (the scripts share no sign)."""
    probabilities: Probabilities = {}
    for name, sizes in SIGN_SIZES.items():
        probabilities.update(learn(read_pairs(source_dir / name), sizes))
    return probabilities


def plausible(native: str, latin: str) -> bool:
    """Drop misaligned pairs (الله -> "granada"): for Arabic and Cyrillic tokens the Latin
    spelling must sound roughly like a rule romanisation of the native token."""
    rule = rule_romanisation(native)
    if rule is None:
        return True  # Han, Hangul: no rule to check against
    theirs = skeleton(phonetic_key(_ascii(latin)))
    rules = (rule, rule[2:]) if rule.startswith("al") and len(rule) > 4 else (rule,)
    return any(
        Levenshtein.normalized_similarity(skeleton(phonetic_key(r)), theirs)
        >= MIN_SKELETON_SIMILARITY
        for r in rules
    )


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in plain if ch.isascii() and ch.isalpha()).lower()


def build_nicknames(source: Path) -> list[tuple[str, str]]:
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return sorted({(r["name1"], r["name2"]) for r in rows if r["relationship"] == "has_nickname"})


def main(argv: list[str]) -> None:
    data, out = Path(argv[0]), Path(argv[1])
    translit = build_translit(data / "translit")
    with (out / "translit.tsv").open("w", encoding="utf-8") as handle:
        handle.write("# native token<TAB>Latin spellings; from Wikidata pairs (CC0)\n")
        for native in sorted(translit):
            handle.write(f"{native}\t{' '.join(translit[native])}\n")
    with (out / TRANSCRIPTION_FILE).open("w", encoding="utf-8") as handle:
        handle.write("# sign<TAB>place (B first, M inside, E last)<TAB>Latin chunk and its ")
        handle.write("probability, ...; learned from Wikidata pairs (CC0)\n")
        handle.write(format_model(build_transcription(data / "translit")))
    (out / wade_giles.TABLE_FILE).write_text(
        wade_giles.format_table(wade_giles.build_table()), encoding="utf-8"
    )
    (out / cantonese.TABLE_FILE).write_text(
        cantonese.format_table(cantonese.build_table()), encoding="utf-8"
    )
    with (out / "nicknames.tsv").open("w", encoding="utf-8") as handle:
        handle.write("# name<TAB>nickname; carltonnorthern/nicknames (Apache-2.0)\n")
        for name, nickname in build_nicknames(data / "names" / "nicknames.csv"):
            handle.write(f"{name}\t{nickname}\n")


if __name__ == "__main__":
    main(sys.argv[1:])
