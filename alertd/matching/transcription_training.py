"""Learning transcription.py's model from native/Latin name pairs (build time only).

Each pair says a native token (克劳斯) is written in Latin letters (krause), not which
sign gave which letters. Expectation-maximisation over every way to cut the Latin
spelling into one chunk per sign, in order (a monotone alignment: kr|au|se, k|rau|se,
...), learns how likely each chunk is for each sign in each place: each round weighs every
cut by the chunk probabilities of the last round (forward-backward), and the weighted
counts give the next round's probabilities. Pairs seen often weigh more, up to
MOST_WEIGHT (the commonest names would otherwise drown the rest).

A sign's probabilities in one place are smoothed towards its probabilities anywhere
(PLACE_SMOOTHING pseudo-counts): a sign seldom seen last still reads as it does inside.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from alertd.matching.transcription import FIRST, INSIDE, LAST, Sign, place

ITERATIONS = 4
MOST_WEIGHT = 5
PLACE_SMOOTHING = 5.0
# Before the first round every chunk is equally likely; after it, a chunk never counted
# gets this (an alignment must stay possible for every pair).
UNSEEN = 1e-4
# Chunks less likely than this are dropped from the model.
LEAST_KEPT = 1e-3


@dataclass(frozen=True)
class ChunkSizes:
    """How many Latin letters one sign may give: a Han character or Hangul syllable is a
    syllable (1 to 5: "s", "shch", "schmi"); an Arabic letter may give none (a long
    vowel read into its neighbour) or up to 4 ("tsch"), a Cyrillic one ("ь") too."""

    shortest: int
    longest: int


SYLLABIC = ChunkSizes(1, 5)
ALPHABETIC = ChunkSizes(0, 4)

Pair = tuple[str, str, int]  # native token (folded), Latin spelling, times seen
Probabilities = dict[Sign, dict[str, float]]
Counts = defaultdict[Sign, defaultdict[str, float]]


def learn(pairs: Iterable[Pair], sizes: ChunkSizes, iterations: int = ITERATIONS) -> Probabilities:
    """Chunk probabilities per sign and place, learned from ``pairs`` of one script."""
    usable = [p for p in pairs if _can_align(p[0], p[1], sizes)]
    probabilities: Probabilities | None = None
    for _ in range(iterations):
        counts: Counts = defaultdict(lambda: defaultdict(float))
        for native, latin, seen in usable:
            _count(native, latin, min(seen, MOST_WEIGHT), sizes, probabilities, counts)
        probabilities = _normalised(counts)
    return probabilities or {}


def _can_align(native: str, latin: str, sizes: ChunkSizes) -> bool:
    return bool(native) and sizes.shortest * len(native) <= len(latin) <= sizes.longest * len(
        native
    )


def _count(
    native: str,
    latin: str,
    weight: float,
    sizes: ChunkSizes,
    probabilities: Probabilities | None,
    counts: Counts,
) -> None:
    """Add each (sign, chunk)'s expected count over every cut of ``latin``."""
    signs = [(sign, place(i, len(native))) for i, sign in enumerate(native)]

    def chance(sign: Sign, chunk: str) -> float:
        if probabilities is None:
            return 1.0
        return probabilities.get(sign, {}).get(chunk, UNSEEN)

    steps = range(sizes.shortest, sizes.longest + 1)
    n, m = len(signs), len(latin)
    forward = [[0.0] * (m + 1) for _ in range(n + 1)]
    forward[0][0] = 1.0
    for i, sign in enumerate(signs):
        for j in range(m + 1):
            if forward[i][j]:
                for k in steps:
                    if j + k <= m:
                        forward[i + 1][j + k] += forward[i][j] * chance(sign, latin[j : j + k])
    total = forward[n][m]
    if total <= 0.0:
        return
    backward = [[0.0] * (m + 1) for _ in range(n + 1)]
    backward[n][m] = 1.0
    for i in range(n - 1, -1, -1):
        for j in range(m + 1):
            backward[i][j] = sum(
                chance(signs[i], latin[j : j + k]) * backward[i + 1][j + k]
                for k in steps
                if j + k <= m and backward[i + 1][j + k]
            )
    scale = weight / total
    for i, sign in enumerate(signs):
        for j in range(m + 1):
            if forward[i][j]:
                for k in steps:
                    if j + k <= m and backward[i + 1][j + k]:
                        chunk = latin[j : j + k]
                        share = forward[i][j] * chance(sign, chunk) * backward[i + 1][j + k]
                        counts[sign][chunk] += share * scale


def _normalised(counts: Counts) -> Probabilities:
    """Counts to probabilities per sign and place, smoothed towards the sign anywhere."""
    anywhere: defaultdict[str, defaultdict[str, float]] = defaultdict(lambda: defaultdict(float))
    for (sign, _), chunks in counts.items():
        for chunk, count in chunks.items():
            anywhere[sign][chunk] += count
    probabilities: Probabilities = {}
    for sign, chunks in anywhere.items():
        total = sum(chunks.values())
        prior = {chunk: count / total for chunk, count in chunks.items()}
        for where in (FIRST, INSIDE, LAST):
            here: Mapping[str, float] = counts.get((sign, where), {})
            seen = sum(here.values())
            mixed = {
                chunk: (here.get(chunk, 0.0) + PLACE_SMOOTHING * p) / (seen + PLACE_SMOOTHING)
                for chunk, p in prior.items()
            }
            probabilities[(sign, where)] = {c: p for c, p in mixed.items() if p >= LEAST_KEPT}
    return probabilities
