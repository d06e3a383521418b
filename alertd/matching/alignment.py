"""Two prepared names aligned word by word, in any order, into a name score.

Comparing two names aligns slots greedily on the best token similarities
(token_similarity.py), in any order (family name first or last), lets one word match two
joined ones ("Abdulrahman" ~ "Abdul Rahman"), and scores the coverage of both names so
that a missing middle name costs little while a missing family name costs a lot.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass

from alertd.matching.names import PreparedName, Slot, total_weight
from alertd.matching.token_similarity import ALIGN_MIN, TokenComparer

# --- Joined and split words ------------------------------------------------------------
# Two words written together are tried against one only if their lengths are this close.
JOINED_MAX_LENGTH_GAP = 3
# ...and, between two names written in Latin letters, aligned only this alike (a quarter
# of the letters, not ALIGN_MIN's third): a joined word is long, and three edits over ten
# letters meet unrelated names by chance ("Abrurrahim" ~ "Abiru Mahir", 0.68, was
# "possible" on bench/matching.py's synthetic list). Two slips stay above ("Abdullahaziz"
# ~ "Abdul Aziz", 0.79), and so does a lost first letter ("Liasarmando" ~ "Elias
# Armando", 0.78): at 0.8 the OFAC/UN evaluation lost both. A romanised name keeps
# ALIGN_MIN: its spelling is a reading, and compounds are listed in another one (ثناء الله
# read "Thanaullah" ~ "Sanaullah", 0.71; غیاث الدین "Ghayatheddine" ~ "Ghiassouddine").
JOINED_ALIGN_MIN = 0.75
# ...and only when some word of the shorter name aligns worse than this.
JOINED_NOT_NEEDED = 0.95
# Spellings of each word tried when two are written together (2 x 2 joined forms).
JOINED_SPELLINGS = 2
# A word is split into two listed words (in any order) only into parts this long.
SPLIT_MIN_PART = 3
# Pairs of adjacent words whose joined spellings are remembered (bounded and pure).
JOINED_SLOT_MEMO = 1 << 16

# --- Name score ------------------------------------------------------------------------
# The better-covered name counts most: a missing middle name costs little...
BETTER_COVERAGE_WEIGHT = 0.65
# ...unless one side is a single word and the other is not ("Ali" vs "Ali Hassan").
SINGLE_WORD_FACTOR = 0.85
# When every aligned word is common and a rarer first or last word of either name is left
# unmatched (a family name "Mohammed Ali" does not have), the name score takes this
# factor: sharing common given names is what namesakes do.
COMMON_ONLY_FACTOR = 0.9


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


def compare_names(
    query: PreparedName, entry: PreparedName, comparer: TokenComparer
) -> NameComparison:
    """Align the words of two names in any order and explain how much of each is covered."""
    score, chosen = align(query, entry, comparer)
    used_q = used_e = 0
    matches: list[TokenMatch] = []
    for similarity, mask_q, mask_e in chosen:
        used_q |= mask_q
        used_e |= mask_e
        q_slot, e_slot = _slot_of(query.slots, mask_q), _slot_of(entry.slots, mask_e)
        _, reason, x, y = comparer.slots(q_slot, e_slot)
        joined = mask_q.bit_count() + mask_e.bit_count() > 2
        matches.append(TokenMatch(x, y, similarity, "joined" if joined else reason))
    return NameComparison(
        query_name=query.original,
        entry_name=entry.original,
        score=score,
        matches=tuple(matches),
        unmatched_query=_unmatched(query.slots, used_q),
        unmatched_entry=_unmatched(entry.slots, used_e),
        transliterated=tuple(sorted({query.script, entry.script} - {"latin"})),
    )


_Pair = tuple[float, int, int]  # similarity, query slot mask, entry slot mask


def name_score(query: PreparedName, entry: PreparedName, comparer: TokenComparer) -> float:
    return align(query, entry, comparer)[0]


def align(
    query: PreparedName, entry: PreparedName, comparer: TokenComparer
) -> tuple[float, list[_Pair]]:
    """Greedy alignment on the best similarities; returns the name score and the pairs."""
    pairs: list[_Pair] = []
    for j, slot in enumerate(entry.slots):
        for i, similarity in enumerate(comparer.row(query, slot)):
            if similarity:
                pairs.append((similarity, 1 << i, 1 << j))
    best_first, joined_first = _orders(query, entry)
    score, chosen = _greedy(pairs, query, entry, best_first)
    if _may_be_joined(query, entry, chosen):
        joined = _joined_candidates(query, entry, chosen, comparer)
        if joined:
            # A single pair can block a joined one that would cover more ("Omarawadh Omar"
            # vs "Omar Awadh Omar": omar~omar takes the first Omar; "Hamad Allah Allah"
            # vs "Hamdullah Allah"): try joined pairs first too, keep the better.
            pairs.extend(joined)
            score, chosen = max(
                _greedy(pairs, query, entry, best_first),
                _greedy(pairs, query, entry, joined_first),
                key=lambda result: result[0],
            )
    return score, chosen


def _may_be_joined(query: PreparedName, entry: PreparedName, chosen: list[_Pair]) -> bool:
    """Joined words are looked for only when the shorter name is not already well matched
    (one word a pair: ``chosen`` holds single words). Names of as many words may need
    them too: one may hold two words written together and the other a word the first
    lacks ("Abdul Rahman HASSAN" ~ "Abdulrahman Ali HASSAN"; ``_joined_candidates``)."""
    well = sum(1 for pair in chosen if pair[0] >= JOINED_NOT_NEEDED)
    return well < min(len(query.slots), len(entry.slots))


def _greedy(
    pairs: list[_Pair],
    query: PreparedName,
    entry: PreparedName,
    order: _Order,
) -> tuple[float, list[_Pair]]:
    if not pairs:
        return 0.0, []
    pairs.sort(key=order)
    used_q = used_e = 0
    covered_q = covered_e = 0.0
    chosen: list[_Pair] = []
    weights_q, weights_e = query.weights, entry.weights
    for pair in pairs:
        similarity, mask_q, mask_e = pair
        if used_q & mask_q or used_e & mask_e:
            continue
        used_q |= mask_q
        used_e |= mask_e
        chosen.append(pair)
        # One word a side is the common case: its weight without a call (as _weight).
        if mask_q & (mask_q - 1):
            covered_q += similarity * _weight(weights_q, mask_q)
        else:
            covered_q += similarity * weights_q[mask_q.bit_length() - 1]
        if mask_e & (mask_e - 1):
            covered_e += similarity * _weight(weights_e, mask_e)
        else:
            covered_e += similarity * weights_e[mask_e.bit_length() - 1]
    coverage_q = covered_q / total_weight(len(weights_q), query.particles)
    coverage_e = covered_e / total_weight(len(weights_e), entry.particles)
    score = _name_score(coverage_q, coverage_e, _single_word_against_more(query, entry, chosen))
    if used_q & ~query.particles & ~query.common == 0:  # only common words (or particles) met
        score = _common_only(score, query, entry, used_q, used_e)
    return score, chosen


def _common_only(
    score: float, query: PreparedName, entry: PreparedName, used_q: int, used_e: int
) -> float:
    """The name score when the names agree only on common words (COMMON_ONLY_FACTOR)."""
    if _rare_left(query, used_q) or _rare_left(entry, used_e):
        return score * COMMON_ONLY_FACTOR
    return score


def _rare_left(name: PreparedName, used: int) -> bool:
    """A rare first or last word is unmatched (a given or family name, not a middle one:
    "John Smith" still meets "John Michael Smith")."""
    full = (1 << len(name.slots)) - 1 & ~name.particles
    if not full:
        return False
    edges = (full & -full) | 1 << (full.bit_length() - 1)  # first and last full words
    return bool(edges & ~(used | name.common))


def _slot_of(slots: tuple[Slot, ...], mask: int) -> Slot:
    """The slot a mask covers; two adjacent slots written together for a joined pair."""
    first = (mask & -mask).bit_length() - 1
    if mask.bit_count() == 1:
        return slots[first]
    second = mask.bit_length() - 1  # the next word, or a later one for a split pair
    return _joined_slot(slots[first], slots[second])


def _weight(weights: tuple[float, ...], mask: int) -> float:
    if not mask & (mask - 1):  # one word (the common case): its weight, as the sum gives
        return weights[mask.bit_length() - 1]
    return sum(w for i, w in enumerate(weights) if mask >> i & 1)


def _unmatched(slots: tuple[Slot, ...], used: int) -> tuple[str, ...]:
    return tuple(s[0] for i, s in enumerate(slots) if not used >> i & 1)


def _single_word_against_more(
    query: PreparedName, entry: PreparedName, chosen: list[_Pair]
) -> bool:
    """One name is a single word and the other has more ("Ali" vs "Ali Hassan"); not when
    the word covers them all written together ("Walijan" ~ "Wali Jan")."""
    if (query.word_count == 1) == (entry.word_count == 1):
        return False
    longer_is_entry = query.word_count == 1
    longer = entry if longer_is_entry else query
    masks = [pair[2] if longer_is_entry else pair[1] for pair in chosen]
    used = 0
    for mask in masks:
        used |= mask
    full = (1 << len(longer.slots)) - 1 & ~longer.particles
    joined = any(mask.bit_count() > 1 for mask in masks)
    return not (joined and full & ~used == 0)


def _name_score(coverage_q: float, coverage_e: float, single_word: bool) -> float:
    high, low = max(coverage_q, coverage_e), min(coverage_q, coverage_e)
    score = BETTER_COVERAGE_WEIGHT * high + (1.0 - BETTER_COVERAGE_WEIGHT) * low
    if single_word:
        score *= SINGLE_WORD_FACTOR
    return min(1.0, score)


_Order = Callable[[_Pair], tuple[bool, float, float]]


def _orders(query: PreparedName, entry: PreparedName) -> tuple[_Order, _Order]:
    """Two orders for the greedy alignment, both placing pairs with a particle side last
    (an "al" aligned first can take the "al" a joined "Al-Majid" needs): best similarity
    first (single words before joined ones at a tie), or joined words first."""
    light_q, light_e = query.particles, entry.particles

    def best_first(pair: _Pair) -> tuple[bool, float, float]:
        light = not pair[1] & ~light_q or not pair[2] & ~light_e
        return light, -pair[0], pair[1].bit_count() + pair[2].bit_count()

    def joined_first(pair: _Pair) -> tuple[bool, float, float]:
        light = not pair[1] & ~light_q or not pair[2] & ~light_e
        return light, -pair[1].bit_count() - pair[2].bit_count(), -pair[0]

    return best_first, joined_first


def _joined_candidates(
    query: PreparedName, entry: PreparedName, chosen: list[_Pair], comparer: TokenComparer
) -> list[_Pair]:
    """Joined and split pairs for the words not already matched well (cost: only those).

    Between names of as many words, a query word meets two listed words written together
    only spelled as they are: candidate generation meets those names through both halves
    (``MatchIndex._split_word``), but it cannot bound a query word close to two listed
    words when the word also aligns well with a listed word of its own."""
    well_q = well_e = 0
    for similarity, mask_q, mask_e in chosen:
        if similarity >= JOINED_NOT_NEEDED:
            well_q |= mask_q
            well_e |= mask_e
    listed_joined = _joined_pairs(query, entry, comparer, query_joined=False, skip=well_q)
    if len(query.slots) == len(entry.slots):
        listed_joined = [pair for pair in listed_joined if pair[0] == 1.0]
    return [
        *listed_joined,
        *_joined_pairs(entry, query, comparer, query_joined=True, skip=well_e),
        *_split_pairs(query.slots, entry.slots, query_joined=False, skip=well_q),
        *_split_pairs(entry.slots, query.slots, query_joined=True, skip=well_e),
    ]


def _joined_pairs(
    single_name: PreparedName,
    split_name: PreparedName,
    comparer: TokenComparer,
    *,
    query_joined: bool,
    skip: int,
) -> list[_Pair]:
    """One word of ``single`` against two adjacent words of ``split`` written together
    (words of ``single`` in ``skip`` are already matched well and not tried)."""
    single, split = single_name.slots, split_name.slots
    # A romanised name's second spelling is another reading (consonantal, ...); a Latin
    # name's is only another fold: one joined form is enough there.
    spellings = 1 if split_name.script == "latin" else JOINED_SPELLINGS
    both_latin = single_name.script == split_name.script == "latin"
    least = JOINED_ALIGN_MIN if both_latin else ALIGN_MIN
    found: list[_Pair] = []
    for j in range(len(split) - 1):
        joined = _joined_slot(split[j], split[j + 1], spellings)
        size = len(joined[0])
        for i, word in enumerate(single):
            if skip >> i & 1 or abs(len(word[0]) - size) > JOINED_MAX_LENGTH_GAP:
                continue
            pair = (joined, word) if query_joined else (word, joined)
            similarity = comparer.slots(*pair)[0]
            if similarity >= least:
                two, one = 3 << j, 1 << i
                found.append((similarity, two, one) if query_joined else (similarity, one, two))
    return found


def _split_pairs(
    single: tuple[Slot, ...], split: tuple[Slot, ...], *, query_joined: bool, skip: int
) -> list[_Pair]:
    """One word of ``single`` that is two words of ``split`` written together in another
    order ("HOYOScarlos" for "Carlos Ivan MUNOZ HOYOS", "Luiscuellar" for "Luis Eduardo
    CUELLAR"): both halves spelled exactly as listed (adjacent words: _joined_pairs)."""
    long_words = [
        (i, slot[0])
        for i, slot in enumerate(single)
        if not skip >> i & 1 and len(slot[0]) >= 2 * SPLIT_MIN_PART
    ]
    if not long_words:
        return []
    where: dict[str, int] = {}
    for j, slot in enumerate(split):
        for spelling in slot:
            where.setdefault(spelling, j)
    found: list[_Pair] = []
    for i, word in long_words:
        for cut in range(SPLIT_MIN_PART, len(word) - SPLIT_MIN_PART + 1):
            first, second = where.get(word[:cut]), where.get(word[cut:])
            if first is None or second is None or second - first in (0, 1):
                continue
            two, one = 1 << first | 1 << second, 1 << i
            found.append((1.0, two, one) if query_joined else (1.0, one, two))
    return found


@functools.lru_cache(maxsize=JOINED_SLOT_MEMO)
def _joined_slot(first: Slot, second: Slot, spellings: int = JOINED_SPELLINGS) -> Slot:
    """Two adjacent words written together, in their first spellings (for romanised
    names, the table spelling and the consonantal one: "Wali Jan" ~ "Walijan").
    Memoised: common names are joined for query after query, and the one tuple for a
    pair is also what the comparer's memo hashes."""
    return tuple(sys.intern(a + b) for a in first[:spellings] for b in second[:spellings])
