"""Names: prepared once, compared token by token in any order.

A ``PreparedName`` is a tuple of *slots*, one per name word, each holding the alternative
folded ASCII spellings of that word (passport and plain folds, transliteration variants).
Comparing two names aligns slots greedily on the best token similarities, in any order
(family name first or last), lets one word match two joined ones ("Abdulrahman" ~
"Abdul Rahman"), and scores the coverage of both names so that a missing middle name
costs little while a missing family name costs a lot.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz.distance import Levenshtein

from alertd.matching.normalise import (
    ascii_forms,
    drop_titles,
    fold_unicode,
    is_particle,
    tokenise,
)
from alertd.matching.phonetic import (
    is_abjad,
    phonetic_key,
    read_digits_as_letters,
    skeleton,
    vowel_key,
)
from alertd.matching.tables import NameTables
from alertd.matching.transliterate import dominant_script, romanise

if TYPE_CHECKING:  # model.py imports explanation.py, which imports this module
    from alertd.matching.model import NameInput

Slot = tuple[str, ...]

# --- Token similarity grades -----------------------------------------------------------
# Nicknames are the same person by convention (Bill ~ William), but not by spelling.
NICKNAME = 0.92
# Same phonetic key: a romanisation variant (Sok/Sokh, Chhay/Chhai, Sergej/Sergey).
PHONETIC = 0.93
# Same key once vowel runs are folded (Mohammed/Muhammad, Jeongeun/Jongun); short words
# collide more (Sok/Sak), so they get less.
VOWEL_VARIANT_LONG = 0.9
VOWEL_VARIANT_SHORT = 0.8
# A spelled-out name against its initial ("J" ~ "John"): compatible, far from proof.
INITIAL = 0.8
# One side written without vowels (abjad romanisation: "mhmd") and the same consonant
# skeleton as the other ("Mohammed"); four consonants or more are rarely a coincidence.
SKELETON_LONG = 0.88
SKELETON_SHORT = 0.8
# Spelling distance on phonetic keys is discounted a little against the raw spelling.
PHONETIC_DISTANCE_FACTOR = 0.97
# Pairs below this similarity are not aligned at all: they are different words.
ALIGN_MIN = 0.6

# --- Name score ------------------------------------------------------------------------
# How much a particle (al, bin, van, de...) weighs against a full name word.
PARTICLE_WEIGHT = 0.2
# The better-covered name counts most: a missing middle name costs little...
BETTER_COVERAGE_WEIGHT = 0.75
# ...unless one side is a single word and the other is not ("Ali" vs "Ali Hassan").
SINGLE_WORD_FACTOR = 0.85


@dataclass(frozen=True, slots=True)
class PreparedName:
    original: str
    slots: tuple[Slot, ...]
    script: str  # "latin" or the script it was romanised from

    @property
    def weights(self) -> tuple[float, ...]:
        return tuple(PARTICLE_WEIGHT if is_particle(slot[0]) else 1.0 for slot in self.slots)


@dataclass(frozen=True, slots=True)
class TokenMatch:
    query: str
    entry: str
    similarity: float
    reason: str  # exact, nickname, phonetic, initial, skeleton, spelling, joined


@dataclass(frozen=True, slots=True)
class NameComparison:
    query_name: str
    entry_name: str
    score: float
    matches: tuple[TokenMatch, ...]
    unmatched_query: tuple[str, ...]
    unmatched_entry: tuple[str, ...]
    transliterated: tuple[str, ...]  # scripts romanised to compare ("khmer", ...)


def prepare_name(name: NameInput, tables: NameTables) -> PreparedName | None:
    """Fold, romanise and tokenise one name; None when nothing name-like is left."""
    text = name.full.strip() or " ".join(p for p in (name.given, name.family) if p)
    native = romanise(text, tables)
    if native is None:
        slots = _latin_slots(text)
        script = "latin"
    else:
        slots = _native_slots(native)
        script = _script_name(text)
    return PreparedName(text, slots, script) if slots else None


def _script_name(text: str) -> str:
    return dominant_script(fold_unicode(text))


def _latin_slots(text: str) -> tuple[Slot, ...]:
    forms = [tokenise(read_digits_as_letters(f)) for f in ascii_forms(fold_unicode(text))]
    first = drop_titles(forms[0])
    if len(forms) == 1 or len(forms[1]) != len(forms[0]) or len(first) != len(forms[0]):
        return tuple((_intern(t),) for t in first)
    return tuple(_slot((a, b)) for a, b in zip(forms[0], forms[1], strict=True))


def _native_slots(native: tuple[Slot, ...]) -> tuple[Slot, ...]:
    slots: list[Slot] = []
    for alternatives in native:
        spellings = []
        for alternative in alternatives:
            for form in ascii_forms(fold_unicode(alternative)):
                spellings.append("".join(tokenise(form)))
        slot = _slot(tuple(s for s in spellings if s))
        if slot:
            slots.append(slot)
    kept = drop_titles(tuple(s[0] for s in slots))
    return tuple(slots) if len(kept) == len(slots) else tuple(s for s in slots if s[0] in kept)


def _slot(spellings: tuple[str, ...]) -> Slot:
    return tuple(_intern(s) for s in dict.fromkeys(spellings))


def _intern(token: str) -> str:
    return sys.intern(token)


class TokenComparer:
    """Token similarity with a memo: one per search (never shared between threads)."""

    def __init__(self, tables: NameTables) -> None:
        self._tables = tables
        self._memo: dict[tuple[str, str], tuple[float, str]] = {}

    def compare(self, a: str, b: str) -> tuple[float, str]:
        key = (a, b)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = token_similarity(a, b, self._tables)
        return found

    def slots(self, a: Slot, b: Slot) -> tuple[float, str, str, str]:
        best = (0.0, "", a[0], b[0])
        for x in a:
            for y in b:
                score, reason = self.compare(x, y)
                if score > best[0]:
                    best = (score, reason, x, y)
                    if score == 1.0:
                        return best
        return best


def token_similarity(a: str, b: str, tables: NameTables) -> tuple[float, str]:
    """How alike two folded tokens are, and why (the grade names above)."""
    if a == b:
        return 1.0, "exact"
    if len(a) == 1 or len(b) == 1:
        return (INITIAL, "initial") if a[0] == b[0] else (0.0, "different")
    if tables.are_nicknames(a, b):
        return NICKNAME, "nickname"
    key_a, key_b = phonetic_key(a), phonetic_key(b)
    if key_a == key_b:
        return PHONETIC, "phonetic"
    vowels_a = vowel_key(key_a)
    if vowels_a == vowel_key(key_b):
        return (VOWEL_VARIANT_LONG if len(vowels_a) >= 4 else VOWEL_VARIANT_SHORT), "vowels"
    spelling = Levenshtein.normalized_similarity(a, b)
    sounding = PHONETIC_DISTANCE_FACTOR * Levenshtein.normalized_similarity(key_a, key_b)
    best, reason = (spelling, "spelling") if spelling >= sounding else (sounding, "phonetic")
    skel_a = skeleton(key_a)
    if (is_abjad(a) or is_abjad(b)) and skel_a == skeleton(key_b):
        grade = SKELETON_LONG if len(skel_a) >= 4 else SKELETON_SHORT
        if grade > best:
            return grade, "skeleton"
    return best, reason


def compare_names(
    query: PreparedName, entry: PreparedName, comparer: TokenComparer
) -> NameComparison:
    """Align the words of two names in any order and score how much of each is covered."""
    pairs = _candidate_pairs(query.slots, entry.slots, comparer)
    used_q: set[int] = set()
    used_e: set[int] = set()
    matches: list[TokenMatch] = []
    covered_q = covered_e = 0.0
    weights_q, weights_e = query.weights, entry.weights
    for score, q_idx, e_idx, match in pairs:
        if used_q.intersection(q_idx) or used_e.intersection(e_idx):
            continue
        used_q.update(q_idx)
        used_e.update(e_idx)
        matches.append(match)
        covered_q += score * sum(weights_q[i] for i in q_idx)
        covered_e += score * sum(weights_e[i] for i in e_idx)
    coverage_q = covered_q / sum(weights_q)
    coverage_e = covered_e / sum(weights_e)
    score = _name_score(coverage_q, coverage_e, query, entry)
    return NameComparison(
        query_name=query.original,
        entry_name=entry.original,
        score=score,
        matches=tuple(matches),
        unmatched_query=tuple(s[0] for i, s in enumerate(query.slots) if i not in used_q),
        unmatched_entry=tuple(s[0] for i, s in enumerate(entry.slots) if i not in used_e),
        transliterated=tuple(sorted({query.script, entry.script} - {"latin"})),
    )


def _name_score(
    coverage_q: float, coverage_e: float, query: PreparedName, entry: PreparedName
) -> float:
    high, low = max(coverage_q, coverage_e), min(coverage_q, coverage_e)
    score = BETTER_COVERAGE_WEIGHT * high + (1.0 - BETTER_COVERAGE_WEIGHT) * low
    if (_word_count(query) == 1 and _word_count(entry) > 1) or (
        _word_count(entry) == 1 and _word_count(query) > 1
    ):
        score *= SINGLE_WORD_FACTOR
    return min(1.0, score)


def _word_count(name: PreparedName) -> int:
    return sum(1 for w in name.weights if w == 1.0) or 1


_Pair = tuple[float, tuple[int, ...], tuple[int, ...], TokenMatch]


def _candidate_pairs(
    q: tuple[Slot, ...], e: tuple[Slot, ...], comparer: TokenComparer
) -> list[_Pair]:
    pairs: list[_Pair] = []
    for i, qs in enumerate(q):
        for j, es in enumerate(e):
            score, reason, x, y = comparer.slots(qs, es)
            if score >= ALIGN_MIN:
                pairs.append((score, (i,), (j,), TokenMatch(x, y, score, reason)))
    if len(q) != len(e) or len(pairs) < min(len(q), len(e)):
        pairs.extend(_joined_pairs(q, e, comparer, query_joined=False))
        pairs.extend(_joined_pairs(e, q, comparer, query_joined=True))
    pairs.sort(key=lambda p: (-p[0], len(p[1]) + len(p[2])))
    return pairs


def _joined_pairs(
    single: tuple[Slot, ...],
    split: tuple[Slot, ...],
    comparer: TokenComparer,
    *,
    query_joined: bool,
) -> list[_Pair]:
    """One word of ``single`` against two adjacent words of ``split`` written together."""
    found: list[_Pair] = []
    for j in range(len(split) - 1):
        joined = tuple(_intern(x + y) for x in split[j] for y in split[j + 1])
        for i, word in enumerate(single):
            score, _reason, x, y = comparer.slots(word, joined)
            if score < ALIGN_MIN:
                continue
            if query_joined:
                match = TokenMatch(y, x, score, "joined")
                found.append((score, (j, j + 1), (i,), match))
            else:
                found.append((score, (i,), (j, j + 1), TokenMatch(x, y, score, "joined")))
    return found
