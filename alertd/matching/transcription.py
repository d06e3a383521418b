"""Foreign names written in Han, Hangul, Arabic or Cyrillic letters, read back into Latin.

Chinese writes "Krause" 克劳斯, Korean 크라우제, Russian Краузе: the sounds of a foreign
name in the script's own signs. Pinyin or Revised Romanisation of those signs ("kelaosi")
is far from the name, and the Wikidata table (tables.py) knows only the tokens it was
built from. So build_tables learns from the same pairs how each sign is written in Latin
letters, by where it stands in a word (first, inside, last: Korean and Arabic signs read
differently at the ends), and this module reads a token the table lacks with it: a beam
search over each sign's likeliest Latin chunks, the few likeliest spellings kept.

On native tokens held out of the learning (bench/matching_translit.py --held-out), the
share read as a spelling our comparison aligns with the listed one went, rules alone ->
rules and model, from 15% to 70% for Chinese, 29% to 75% for Korean, 56% to 80% for
Arabic and 72% to 83% for Russian.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

Sign = tuple[str, str]  # a native letter or syllable and its place: FIRST, INSIDE or LAST
Chunks = tuple[tuple[str, float], ...]  # Latin chunks and their log probability, likeliest first

FIRST, INSIDE, LAST = "B", "M", "E"
# Spellings a token is read as; the beam keeps more partial readings than that. Five,
# not three: on bench/matching_unseen_scripts.py recall at "possible" rose 86.7 -> 91.3%
# (Arabic), 85.4 -> 89.8% (Korean), 89.7 -> 91.7% (Chinese): the likeliest chunk of a
# sign is often not the name's (ب is b far more often than p: لوبيز Lopez).
READINGS = 5
BEAM = 16
# The chunks of a sign the beam tries (the rest are rare and seldom change the best few).
CHUNKS_TRIED = 8


def place(index: int, length: int) -> str:
    """Where a sign stands in a word of ``length`` signs (a one-sign word is FIRST)."""
    if index == 0:
        return FIRST
    return LAST if index == length - 1 else INSIDE


@dataclass(frozen=True, repr=False)
class TranscriptionModel:
    chunks: Mapping[Sign, Chunks] = field(default_factory=lambda: MappingProxyType({}))

    def __repr__(self) -> str:  # large: never printed whole
        return f"TranscriptionModel({len(self.chunks)} signs)"

    def read(self, token: str, readings: int = READINGS) -> tuple[str, ...]:
        """The likeliest Latin spellings of a native ``token`` (folded: tables.fold_native),
        best first; none when the model lacks one of its signs (another script, a rare
        character)."""
        beam: list[tuple[str, float]] = [("", 0.0)]
        for index, sign in enumerate(token):
            chunks = self.chunks.get((sign, place(index, len(token))))
            if not chunks:
                return ()
            beam = _extended(beam, chunks)
        return tuple(spelling for spelling, _ in beam[:readings] if spelling)


def _extended(beam: list[tuple[str, float]], chunks: Chunks) -> list[tuple[str, float]]:
    """The BEAM likeliest readings one sign further (two ways to one spelling: the likelier)."""
    best: dict[str, float] = {}
    for spelling, score in beam:
        for chunk, log_probability in chunks[:CHUNKS_TRIED]:
            longer, total = spelling + chunk, score + log_probability
            if total > best.get(longer, -math.inf):
                best[longer] = total
    return sorted(best.items(), key=lambda item: (-item[1], item[0]))[:BEAM]


def parse_model(text: str) -> TranscriptionModel:
    """``sign<TAB>place<TAB>chunk probability<TAB>...`` lines (# starts a comment; the
    empty chunk, a silent sign, is written "-")."""
    chunks: dict[Sign, Chunks] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        sign, where, *pairs = line.split("\t")
        read = (pair.split(" ") for pair in pairs)
        chunks[(sign, where)] = tuple(
            ("" if chunk == "-" else chunk, math.log(float(p))) for chunk, p in read
        )
    return TranscriptionModel(MappingProxyType(chunks))


def format_model(probabilities: Mapping[Sign, Mapping[str, float]]) -> str:
    """The lines ``parse_model`` reads: the CHUNKS_TRIED likeliest chunks of each sign
    (``read`` tries no more), likeliest first."""
    lines = []
    for (sign, where), chunks in sorted(probabilities.items()):
        ranked = sorted(chunks.items(), key=lambda item: (-item[1], item[0]))[:CHUNKS_TRIED]
        pairs = (f"{chunk or '-'} {p:.4g}" for chunk, p in ranked)
        lines.append("\t".join((sign, where, *pairs)))
    return "\n".join(lines) + "\n"
