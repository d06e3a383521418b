"""The index's vocabulary: every distinct name token once, with fuzzy lookup keys.

Fuzzy lookup works on the vocabulary (tens of thousands of distinct tokens), not on the
entries (millions of names): a query token finds the listed tokens that share its
phonetic key, its vowel-folded key or (for abjad spellings) its consonant skeleton, or
that are one edit away from its phonetic key (symmetric deletion neighbourhoods, as in
SymSpell). Entries are then reached through each token's postings.

Adding a token is the costly step of indexing a new word (a dozen keys), so each key is
derived once from one phonetic key; a token already known costs one dict lookup.

The keys cast a wide net (hundreds of listed tokens for a word in a dense vocabulary);
``near_aligning`` narrows it, in rapidfuzz's C code for all of them at once, to those the
token comparison could align: most of the rest would cost an exact comparison each only
to be dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import OSA, Indel
from rapidfuzz.process import cdist

from alertd.matching.names import ALIGN_MIN, PHONETIC_DISTANCE_FACTOR, TokenKeys
from alertd.matching.names import token_keys as comparison_keys
from alertd.matching.phonetic import is_abjad, phonetic_key, skeleton, vowel_key

# Keys shorter than this get no deletion neighbourhood: one edit on a 3-letter key
# reaches a large part of the vocabulary and such tokens are compared exactly anyway.
MIN_KEY_FOR_EDITS = 4
# Vowel-folded keys shorter than this get no deletion neighbourhood ("aman" less one
# letter meets a large part of the vocabulary).
MIN_VOWEL_KEY_FOR_EDITS = 5
_VOWEL_DELETION = "~"
# The token comparison (names._similarity) aligns two words at ALIGN_MIN or more only
# through one of its grades. The spelling grade is the OSA similarity of the spellings
# times a factor of at most 1, the sound grade that of the phonetic keys times at most
# PHONETIC_DISTANCE_FACTOR (a same phonetic key is a similarity of 1), and the vowel grade
# needs equal vowel-folded keys: so a word that passes none of these three tests cannot
# align by them. A hair of slack keeps float rounding from losing one. The other grades
# are not looked at here: same token, nickname and transliteration come from the caller's
# table lookups; abjad spellings (skeleton grade) and initials are always kept.
_SPELLING_AT_LEAST = ALIGN_MIN - 1e-6
_SOUND_AT_LEAST = ALIGN_MIN / PHONETIC_DISTANCE_FACTOR - 1e-6


class Vocabulary:
    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.tokens: list[str] = []
        self._by_key: dict[str, list[int]] = {}  # phonetic, vowel and skeleton keys
        self._by_deletion: dict[str, list[int]] = {}  # one deletion of a phonetic key
        self.keys: dict[str, TokenKeys] = {}  # comparison keys of every listed token
        self._phonetic: list[str] = []  # token id -> its phonetic key
        self._vowels: list[str] = []  # token id -> its vowel-folded key
        self._always_compared = bytearray()  # token id -> 1 for abjad tokens and initials

    def __len__(self) -> int:
        return len(self.tokens)

    def id_of(self, token: str) -> int:
        """The id of ``token``, adding it (and its keys) on first sight."""
        found = self.ids.get(token)
        if found is not None:
            return found
        return self._new(token)

    def _new(self, token: str) -> int:
        tid = len(self.tokens)
        self.ids[token] = tid
        self.tokens.append(token)
        # The scorer's keys (phonetic, vowel-folded, skeleton, abjad) are the lookup keys.
        keys = self.keys[token] = comparison_keys(token)
        key, vowels, skel, abjad = keys
        self._phonetic.append(key)
        self._vowels.append(vowels)
        self._always_compared.append(abjad or len(token) == 1)
        by_key, by_deletion = self._by_key, self._by_deletion
        for filed in _filed_keys(key, vowels, skel, abjad):
            by_key.setdefault(filed, []).append(tid)
        for deletion in _deletion_keys(token, key):
            by_deletion.setdefault(deletion, []).append(tid)
        for deletion in _vowel_deletions(vowels):
            by_deletion.setdefault(deletion, []).append(tid)
        return tid

    def near(self, token: str) -> set[int]:
        """Ids of listed tokens that may be the same word as ``token`` (a superset)."""
        found: set[int] = set()
        exact = self.ids.get(token)
        if exact is not None:
            found.add(exact)
        if len(token) < 2:
            return found
        for key in query_keys(token):
            found.update(self._by_key.get(key, ()))
        key = phonetic_key(token)
        found.update(self._by_deletion.get(key, ()))
        found.update(self._by_deletion.get("=" + token, ()))
        for deletion in _deletion_keys(token, key):
            found.update(self._by_deletion.get(deletion, ()))
        for deletion in _deletions(key):
            found.update(self._by_key.get("p" + deletion, ()))
        for deletion in _deletions(token):  # a listed word one letter shorter ("haq", "haqq")
            shorter = self.ids.get(deletion)
            if shorter is not None:
                found.add(shorter)
        vowels = vowel_key(key)
        found.update(self._by_deletion.get(_VOWEL_DELETION + vowels, ()))
        for deletion in _vowel_deletions(vowels):
            found.update(self._by_deletion.get(deletion, ()))
            found.update(self._by_key.get("v" + deletion[1:], ()))
        return found

    def near_aligning(self, token: str) -> list[int]:
        """Ids of the listed tokens ``near`` finds that the token comparison may align
        with ``token`` by spelling, sound, vowels, skeleton or initial (a superset: the
        caller compares each exactly)."""
        near = self.near(token)
        keys = comparison_keys(token)
        if len(near) < 2 or len(token) < 2 or keys[3]:  # initials, abjad: compare all
            return list(near)
        found = np.fromiter(near, np.int64, len(near))
        gather = itemgetter(*near)
        spelled = _at_least(
            token, gather(self.tokens), OSA.normalized_similarity, _SPELLING_AT_LEAST
        )
        sounded = _at_least(
            keys[0], gather(self._phonetic), OSA.normalized_similarity, _SOUND_AT_LEAST
        )
        same_vowels = _at_least(keys[1], gather(self._vowels), Indel.normalized_similarity, 1.0)
        always = np.frombuffer(self._always_compared, np.uint8)[found].astype(bool)
        keep = spelled | sounded | same_vowels | always
        return found[keep].tolist()  # type: ignore[no-any-return]


def _at_least(
    word: str, others: tuple[str, ...], similarity: Callable[..., float], cutoff: float
) -> npt.NDArray[np.bool_]:
    """Which of ``others`` have a normalised ``similarity`` to ``word`` of ``cutoff`` or
    more (one call into rapidfuzz for all of them)."""
    scores = cdist([word], others, scorer=similarity, score_cutoff=cutoff)
    kept: npt.NDArray[np.bool_] = scores[0] > 0.0
    return kept


def token_keys(token: str) -> tuple[str, ...]:
    """The keys a listed token is filed under, prefixed so kinds never collide: p phonetic,
    v vowel-folded, s skeleton, and a skeleton again for abjad (vowel-less) tokens."""
    key = phonetic_key(token)
    return _filed_keys(key, vowel_key(key), skeleton(key), is_abjad(token))


def _filed_keys(key: str, vowels: str, skel: str, abjad: bool) -> tuple[str, ...]:
    keys = ("p" + key, "v" + vowels, "s" + skel)
    return (*keys, "a" + skel) if abjad else keys


def query_keys(token: str) -> tuple[str, ...]:
    """The keys a query token looks up: an abjad query meets any token by skeleton; any
    other query meets only abjad tokens by skeleton (vowels it has must count)."""
    key = phonetic_key(token)
    skel = skeleton(key)
    return ("p" + key, "v" + vowel_key(key), ("s" if is_abjad(token) else "a") + skel)


def _deletion_keys(token: str, key: str) -> tuple[str, ...]:
    """One-deletion forms of the phonetic key ``key`` and (prefixed "=") of the spelling
    itself: digraph folding can hide a transposition (mlaeki -> mlaki vs maleki)."""
    spelled = tuple("=" + d for d in _deletions(token))
    return (*_deletions(key), *spelled)


def _vowel_deletions(vowels: str) -> tuple[str, ...]:
    """One-deletion forms of a vowel-folded key (prefixed "~"): words that differ in their
    vowels and in one consonant more ("Hashem" ~ "Hishan", "Imein" ~ "Imani") are two or
    three spelling edits apart but one here. Short keys get none (too unspecific)."""
    if len(vowels) < MIN_VOWEL_KEY_FOR_EDITS:
        return ()
    return tuple(_VOWEL_DELETION + d for d in _deletions(vowels))


def _deletions(key: str) -> tuple[str, ...]:
    if len(key) < MIN_KEY_FOR_EDITS:
        return ()
    return tuple(dict.fromkeys(key[:i] + key[i + 1 :] for i in range(len(key))))
