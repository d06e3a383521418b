"""How alike two words (tokens) of names are, and why: graded token similarity.

Two folded spellings are graded by how they may write one word: the same, an initial,
the same sound (phonetic, vowel-folded and consonant-skeleton keys: phonetic.py), a
nickname, a Wikidata transliteration pair, or by spelling distance; each grade comes
with its reason. ``TokenComparer`` remembers the comparisons of one search and compares
slots (the spellings of one word: names.py) for the alignment (alignment.py);
token_grades.py grades many tokens at once as ``_similarity`` grades one pair.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from rapidfuzz.distance import OSA

from alertd.matching.names import PreparedName, Slot
from alertd.matching.phonetic import is_abjad, phonetic_key, skeleton, vowel_key
from alertd.matching.tables import NameTables

# --- Token similarity grades -----------------------------------------------------------
# Nicknames are the same person by convention (Bill ~ William), but not by spelling.
NICKNAME = 0.92
# Same phonetic key: a romanisation variant (Sok/Sokh, Chhay/Chhai, Sergej/Sergey).
PHONETIC = 0.93
# Same key once vowel runs are folded (Mohammed/Muhammad, Jeongeun/Jongun); short words
# collide more (Sok/Sak), so they get less.
VOWEL_VARIANT_LONG = 0.9
VOWEL_VARIANT_SHORT = 0.8
VOWEL_VARIANT_LONG_FROM = 5  # letters of the vowel-folded key (Omar/Amar stay short)
# ...and one consonant is too little to call two words one name (Ali/Allah, Eli/Ola).
VOWEL_VARIANT_MIN_CONSONANTS = 2
# A spelled-out name against its initial ("J" ~ "John"): compatible, far from proof.
INITIAL = 0.8
# One side written without vowels (abjad romanisation: "mhmd") and the same consonant
# skeleton as the other ("Mohammed"); four consonants or more are rarely a coincidence.
SKELETON_LONG = 0.88
SKELETON_SHORT = 0.8
# A one-letter skeleton ("dy" for ضیا) says almost nothing: no skeleton grade below two.
SKELETON_MIN = 2
# Spelling similarity is 1 - edits / length, where swapping two adjacent letters is one
# edit (optimal string alignment): "Qadri" typed "Qardi" is one slip, not two.
# Spelling distance on phonetic keys is discounted a little against the raw spelling.
PHONETIC_DISTANCE_FACTOR = 0.97
# Spelling similarity when the words begin differently: people get the first letter of a
# name right far more often than the rest (the reason for Jaro-Winkler's prefix weight),
# and a short name with another first letter is another name (Ali, Mali, Wali).
FIRST_LETTER_DIFFERS_FACTOR = 0.85
# Pairs below this similarity are not aligned at all: they are different words.
ALIGN_MIN = 0.65
# Two spellings of the same native-script word in the Wikidata pairs (Mehmet ~ Muhammad).
TRANSLITERATION = 0.9
# Distinct tokens whose comparison keys are remembered (bounded and pure, ~15 MB at most).
TOKEN_KEYS_MEMO = 1 << 16


class TokenComparer:
    """Token similarity with a memo: one per search (never shared between threads).

    ``compare`` gives the exact similarity of two tokens. The alignment only uses
    similarities of ALIGN_MIN or more (``slots`` and ``row``), so it compares with that
    floor: a pair that cannot reach it is told apart early and remembered as different.
    """

    def __init__(
        self, tables: NameTables, known_keys: Mapping[str, TokenKeys] | None = None
    ) -> None:
        self._tables = tables
        self._memo: dict[tuple[str, str], tuple[float, str]] = {}  # exact similarities
        self._unaligned: set[tuple[str, str]] = set()  # pairs below ALIGN_MIN
        self._slot_memo: dict[tuple[Slot, Slot], SlotMatch] = {}
        self._known_keys = known_keys or {}  # keys of listed tokens, kept by the index
        self._rows: dict[int, dict[Slot, tuple[float, ...]]] = {}
        self._pinned: list[PreparedName] = []

    def keys(self, token: str) -> TokenKeys:
        found = self._known_keys.get(token)
        return token_keys(token) if found is None else found

    def compare(self, a: str, b: str) -> tuple[float, str]:
        pair = (a, b)
        found = self._memo.get(pair)
        if found is None:
            found = self._memo[pair] = _similarity(a, b, self.keys(a), self.keys(b), self._tables)
        return found

    def remember(self, a: str, b: str, similarity: float, reason: str) -> None:
        """Take ``compare(a, b)`` as known (from token_grades, which grades many at once)."""
        self._memo[(a, b)] = (similarity, reason)

    def aligned(self, a: str, b: str) -> tuple[float, str]:
        """``compare`` where it is ALIGN_MIN or more, (0, "different") below: cheaper for
        callers that only keep pairs able to align (the alignment, candidate lookups)."""
        pair = (a, b)
        found = self._memo.get(pair)
        if found is not None:
            return found if found[0] >= ALIGN_MIN else _DIFFERENT
        if pair in self._unaligned:
            return _DIFFERENT
        found = _similarity(a, b, self.keys(a), self.keys(b), self._tables, _ALIGN_FLOOR)
        if found[0] >= ALIGN_MIN:
            self._memo[pair] = found
            return found
        self._unaligned.add(pair)
        return _DIFFERENT

    def row(self, query: PreparedName, slot: Slot) -> tuple[float, ...]:
        """Similarity of one entry word with each word of ``query`` (0 below ALIGN_MIN)."""
        rows = self._rows.get(id(query))
        if rows is None:
            rows = self._rows[id(query)] = {}
            self._pinned.append(query)  # keeps id(query) unique while this memo lives
        found = rows.get(slot)
        if found is None:
            found = rows[slot] = tuple([self.slots(q, slot)[0] for q in query.slots])
        return found

    def slots(self, a: Slot, b: Slot) -> SlotMatch:
        """The best-aligned spellings of two slots; (0, "different", ...) below ALIGN_MIN."""
        pair = (a, b)
        found = self._slot_memo.get(pair)
        if found is None:
            found = self._slot_memo[pair] = self._best_spellings(a, b)
        return found

    def _best_spellings(self, a: Slot, b: Slot) -> SlotMatch:
        best = (0.0, "different", a[0], b[0])
        for x in a:
            for y in b:
                score, reason = self.aligned(x, y)
                if score > best[0]:
                    best = (score, reason, x, y)
                    if score == 1.0:
                        return best
        return best


_DIFFERENT = (0.0, "different")
# Comparing with a floor: spelling similarities below it are not computed exactly. A hair
# under ALIGN_MIN so that float rounding of factor x similarity cannot lose a pair.
_ALIGN_FLOOR = ALIGN_MIN - 1e-9

SlotMatch = tuple[float, str, str, str]  # similarity, reason, query spelling, entry spelling
TokenKeys = tuple[str, str, str, bool]  # phonetic key, vowel key, skeleton, abjad


@functools.lru_cache(maxsize=TOKEN_KEYS_MEMO)
def token_keys(token: str) -> TokenKeys:
    """The keys the token comparison uses (memoised: words written together, query words
    and listed words are keyed again and again, and keying costs tens of microseconds)."""
    key = phonetic_key(token)
    return key, vowel_key(key), skeleton(key), is_abjad(token)


def token_similarity(a: str, b: str, tables: NameTables) -> tuple[float, str]:
    """How alike two folded tokens are, and why (the grade names above)."""
    return _similarity(a, b, token_keys(a), token_keys(b), tables)


def _similarity(
    a: str, b: str, keys_a: TokenKeys, keys_b: TokenKeys, tables: NameTables, floor: float = 0.0
) -> tuple[float, str]:
    """The similarity and its reason; exact when it is ``floor`` or more (spelling
    similarities below ``floor`` are not computed: a result below it may be too low)."""
    if a == b:
        return 1.0, "exact"
    if len(a) == 1 or len(b) == 1:
        return (INITIAL, "initial") if a[0] == b[0] else (0.0, "different")
    if keys_a[0] == keys_b[0]:
        return PHONETIC, "phonetic"
    if tables.are_nicknames(a, b):
        return NICKNAME, "nickname"
    if tables.are_transliterations(a, b):
        return TRANSLITERATION, "transliteration"
    if keys_a[1] == keys_b[1] and consonants(keys_a[1]) >= VOWEL_VARIANT_MIN_CONSONANTS:
        long = len(keys_a[1]) >= VOWEL_VARIANT_LONG_FROM
        return (VOWEL_VARIANT_LONG if long else VOWEL_VARIANT_SHORT), "vowels"
    best, reason = 0.0, "different"
    if (keys_a[3] or keys_b[3]) and keys_a[2] == keys_b[2] and len(keys_a[2]) >= SKELETON_MIN:
        best, reason = (SKELETON_LONG if len(keys_a[2]) >= 4 else SKELETON_SHORT), "skeleton"
    factor = 1.0 if same_start(keys_a[0], keys_b[0]) else FIRST_LETTER_DIFFERS_FACTOR
    least = max(best, floor)
    spelling = factor * _spelling_similarity(a, b, least / factor)
    if spelling > best:
        best, reason = spelling, "spelling"
        least = max(best, floor)
    sound_factor = factor * PHONETIC_DISTANCE_FACTOR
    sounding = sound_factor * _spelling_similarity(keys_a[0], keys_b[0], least / sound_factor)
    if sounding > best:
        best, reason = sounding, "phonetic"
    return best, reason


def _spelling_similarity(a: str, b: str, cutoff: float) -> float:
    """OSA similarity, 0 below ``cutoff``; words whose lengths alone keep them below it
    are not compared (at least one edit per letter of difference)."""
    longer = max(len(a), len(b))
    if longer and 1.0 - abs(len(a) - len(b)) / longer < cutoff - _ROUNDING:
        return 0.0
    return OSA.normalized_similarity(a, b, score_cutoff=cutoff)


# Float slack for the length test above (it must never rule out what OSA would keep).
_ROUNDING = 1e-9


def consonants(key: str) -> int:
    return sum(1 for ch in key if ch not in _VOWEL_LETTERS)


def same_start(key_a: str, key_b: str) -> bool:
    """Do two phonetic keys begin with the same sound, as romanisations spell it? Initial
    vowels vary (Omar/Umar, Ibrahim/Ebrahim), and so do ch (Chaker/Shaker, Chaled/
    Khaled), g/k (Gamal), j/i (Jusuf/Yusuf, Jakov/Yakov), d/z (Dia/Zia); and the letters
    a script does not tell apart: l/r (Chinese, Japanese and Korean write them alike:
    Raul read back as Laul, Lee/Rhee), b/p and d/t (Korean: Bak/Pak, Dong/Tong), f/v
    (Arabic: Valencia as Falencia). bench/matching_unseen_scripts.py: 91.7 -> 93.7%
    (Chinese), 94.0 -> 94.3% (Arabic); the OFAC/UN evaluation's negatives unchanged.
    And ch/j (keys "c" and "j"): Korean ㅈ is "ch" in McCune-Reischauer, which North Korea
    and older lists use, and "j" in the South's Revised Romanization (Kim Chong-chol,
    Kim Jong-chol); Wade-Giles writes "ch" where pinyin writes "zh" or "j"."""
    a, b = key_a[:1], key_b[:1]
    return a == b or (a in _VOWEL_LETTERS and b in _VOWEL_LETTERS) or a + b in _SAME_STARTS


_VOWEL_LETTERS = frozenset("aeiou")
_SAME_STARTS = frozenset(
    ("cs", "sc", "ck", "kc", "gk", "kg", "ji", "ij", "dz", "zd", "lr", "rl", "bp", "pb", "fv",
     "vf", "dt", "td", "cj", "jc")
)  # fmt: skip
