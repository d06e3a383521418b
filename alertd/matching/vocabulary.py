"""The index's vocabulary: every distinct name token once, with fuzzy lookup keys.

Fuzzy lookup works on the vocabulary (tens of thousands of distinct tokens), not on the
entries (millions of names): a query token finds the listed tokens that share its
phonetic key, its vowel-folded key or (for abjad spellings) its consonant skeleton, or
that are one edit away from its phonetic key or its spelling, or two edits from a
spelling of seven letters or more (symmetric deletion neighbourhoods, as in SymSpell).
Entries are then reached through each token's postings.

Adding a token is the costly step of indexing a new word (a dozen keys), so each key is
derived once from one phonetic key; a token already known costs one dict lookup.

The keys cast a wide net (hundreds of listed tokens for a word in a dense vocabulary);
``aligning`` grades them all at once (token_grades: rapidfuzz's C code and numpy) and
keeps those the token comparison aligns: compared one by one in Python, they were most of
a search's CPU.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from operator import itemgetter

import numpy as np
import numpy.typing as npt

from alertd.matching.alignment import JOINED_MAX_LENGTH_GAP
from alertd.matching.phonetic import is_abjad, phonetic_key, skeleton, vowel_key
from alertd.matching.postings import KeyArray, Postings
from alertd.matching.token_grades import (
    REASONS,
    SPELLING_AT_LEAST,
    can_grade,
    grade,
    osa,
    start_code,
    starting_alike,
)
from alertd.matching.token_similarity import ALIGN_MIN, TokenKeys
from alertd.matching.token_similarity import token_keys as comparison_keys

# Phonetic keys shorter than this get no deletion neighbourhood: one edit on a 3-letter
# key reaches a large part of the vocabulary.
MIN_KEY_FOR_EDITS = 4
# Spellings get one from three letters: a 3-letter word one edit from another aligns
# (1 - 1/3 with the same first letter), and the syllables of Korean, Chinese and Khmer
# names are such words ("Man-poy" ~ "Man-pok", "Je-Sno" ~ "Je-Son", "Lnu-Chi" ~ "Lu-Chi":
# the four typos in 1,500 on the OFAC/UN evaluation that the scorer found and the index
# did not).
MIN_SPELLING_FOR_EDITS = 3
# Vowel-folded keys shorter than this get no deletion neighbourhood ("aman" less one
# letter meets a large part of the vocabulary).
MIN_VOWEL_KEY_FOR_EDITS = 5
_VOWEL_DELETION = "~"
# Spellings of this many letters or more are looked up two edits wide ("Abdelkarim" ~
# "Abdelhakim": 1 - 2/10 >= ALIGN_MIN), which one-edit keys do not reach. Listed ones are
# filed under every form with up to two letters deleted, hashed (symmetric deletion
# neighbourhoods of radius two, as in SymSpell); a shorter listed word two edits from
# such a query word is found as one of its forms, or as one less a letter.
# Six-letter words align two edits apart too (0.67), but barely, and in a vocabulary of
# syllable names (Khmer, Vietnamese) each has hundreds of such neighbours: on
# bench/screening.py's list, looking them up cost 22% more search CPU where seven letters
# cost 7-9%, for one match more in 5,000 crossings; on bench/matching.py's list of
# 100,000 entries both gave the same candidate recall (92.8% -> 95.2%). A known limit,
# but for a listed word shorter than a six-letter query word: found as one of its forms
# ("Abisov" ~ "Aiso"), or less one letter ("Adamec" ~ "Adams").
TWO_EDITS_FROM = 7
# Spellings of this many letters or more are looked up three edits wide ("Abdelhadi" ~
# "Abdelrazik": 1 - 3/10 = 0.70), listed ones filed under their forms with up to three
# letters deleted: a quarter of the matches the index missed at 1,000,000 entries.
THREE_EDITS_FROM = 9
# Phonetic keys of this many letters or more are filed under their forms with up to two
# letters deleted (prefixed KEY_FORM), and looked up so from a query word whose key is
# two letters shorter or more: words alike in sound but not in spelling ("Abbakar" ~
# "Aboubacar", keys abakar/abubakar: 0.97 x (1 - 2/8) = 0.73), another third of those
# misses. Two keys of six letters or fewer two edits apart do not align (0.97 x 2/3).
KEY_TWO_EDITS_FROM = 7
# Phonetic keys of this many letters or more are filed and looked up with up to three
# letters deleted: keys three edits apart still align from ten letters (0.97 x 7/10 =
# 0.68: "Abdelkader" ~ "Abdelouadoud", keys abdelkader/abdeluadud), and at 100,000
# synthetic entries that was one of the three matches the index missed. Long keys are
# few (long words), so the forms cost little.
KEY_THREE_EDITS_FROM = 10
_KEY_FORM = "#"
# Words (and phonetic keys) longer than this get no two- or three-edit forms, filed or
# looked up: a word of n letters has about n^3 / 6 forms with three deleted, and a name of
# 37 Han characters without a space (one romanised word of 150 letters) took 14 s to
# search and would have taken as long to file. The longest word of the OFAC and UN
# lists has 18 letters; longer ones are names written together, which the joined and
# split comparisons handle.
LONGEST_EDITED = 24
# Listed words of TWO_EDITS_FROM - 1 letters are not looked up two edits wide from a
# shorter query word (see above), yet a query word of UNSEEN_FROM to six letters two edits
# away still aligns with one at 1 - 2/6 with the same first sound ("Matti" ~ "Martin").
# Such a word meets no name (two other words must), but a name met through other words
# must be bounded with it: on the OFAC/UN evaluation "matti MELGOZA TORRES", born the
# same day as the listed "Martin MELGOZA TORRES" (0.99), was bounded out. So listed
# six-letter words are also filed under their forms with up to two letters deleted
# (prefixed _SIX_FORM), and ``unseen`` finds them for the bound only, not graded.
UNSEEN_SIMILARITY = 1 - 2 / (TWO_EDITS_FROM - 1)
UNSEEN_FROM = 4
_SIX_FORM = "%"
_LONGEST = 1 << 14  # token lengths are kept as 16-bit integers


class Vocabulary:
    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.tokens: list[str] = []
        self._by_key: dict[str, list[int]] = {}  # phonetic, vowel and skeleton keys
        self._by_deletion: dict[str, list[int]] = {}  # one deletion of a phonetic key
        # hashes of long spellings with up to two (three) letters deleted, and of long
        # phonetic keys with up to two (prefixed KEY_FORM) -> token ids
        self._by_deletions = Postings()
        self.keys: dict[str, TokenKeys] = {}  # comparison keys of every listed token
        self._phonetic: list[str] = []  # token id -> its phonetic key
        self._vowel_numbers: dict[str, int] = {}  # vowel-folded key -> its number
        self._vowels = array("i")  # token id -> the number of its vowel-folded key
        self._starts = bytearray()  # token id -> token_grades.start_code of its phonetic key
        self._lengths = array("h")  # token id -> its length
        # token id -> 1 for the tokens token_grades does not grade (initials, abjad)
        self._compared_exactly = bytearray()

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
        self._vowels.append(self._vowel_numbers.setdefault(vowels, len(self._vowel_numbers)))
        self._starts.append(start_code(key))
        self._lengths.append(min(len(token), _LONGEST))
        self._compared_exactly.append(len(token) == 1 or not can_grade(keys))
        by_key, by_deletion = self._by_key, self._by_deletion
        for filed in _filed_keys(key, vowels, skel, abjad):
            by_key.setdefault(filed, []).append(tid)
        for deletion in _deletion_keys(token, key):
            by_deletion.setdefault(deletion, []).append(tid)
        for deletion in _vowel_deletions(vowels):
            by_deletion.setdefault(deletion, []).append(tid)
        forms = {hash(form) for form in _spelling_forms(token)}
        forms.update(hash(_KEY_FORM + form) for form in _key_forms(key))
        if len(token) == TWO_EDITS_FROM - 1 and can_grade(keys):
            forms.update(hash(_SIX_FORM + form) for form in _within(token, 2))
        if forms:
            self._by_deletions.add(forms, tid)
        return tid

    def settle(self) -> None:
        """Fold tokens added since into the sorted arrays (after a bulk load)."""
        self._by_deletions.merge()

    def unsettled(self) -> int:
        """Forms filed since the last ``settle``."""
        return self._by_deletions.recent

    def near(self, token: str, *, two_edits: bool = True) -> set[int]:
        """Ids of listed tokens that may be the same word as ``token`` (a superset);
        ``two_edits=False``: without those only found through ``_edits_apart``."""
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
        # a listed word one letter shorter ("haq", "haqq")
        for deletion in _deletions(token, MIN_SPELLING_FOR_EDITS):
            shorter = self.ids.get(deletion)
            if shorter is not None:
                found.add(shorter)
        # A word of TWO_EDITS_FROM letters or more looked up two edits wide skips the
        # vowel neighbourhood: on bench/screening.py's names that was 60% of its
        # candidates, and of OFAC/UN words one or two typos from a listed one, none of 7
        # to 9 letters found an aligning word there that _edits_apart did not (1% of
        # those of ten or more lost one, 0.67-0.73: another name's spelling). About 3%
        # less search CPU (screening travellers and bench/matching.py's at 100,000).
        if not two_edits or len(token) < TWO_EDITS_FROM:
            found.update(self._vowel_neighbours(vowel_key(key)))
        if two_edits:
            found.update(self._edits_apart(token, key))
        return found

    def _vowel_neighbours(self, vowels: str) -> set[int]:
        """Listed tokens whose vowel-folded key is one deletion (a side) from ``vowels``:
        words that differ in their vowels and in one consonant more."""
        found: set[int] = set(self._by_deletion.get(_VOWEL_DELETION + vowels, ()))
        for deletion in _vowel_deletions(vowels):
            found.update(self._by_deletion.get(deletion, ()))
            found.update(self._by_key.get("v" + deletion[1:], ()))
        return found

    def _edits_apart(self, token: str, key: str) -> list[int]:
        """Listed tokens two spelling edits from ``token`` (TWO_EDITS_FROM letters or
        more), three (THREE_EDITS_FROM or more), or whose phonetic key is two edits from
        ``key`` (three from KEY_THREE_EDITS_FROM letters): they share a form with letters
        deleted from each (OSA: a transposition is one deletion a side). A listed word
        too short to be filed so is found as such a form itself, or less one letter (the
        "=" keys; for keys, the one-deletion keys); a query word too short to be looked
        up so, as a listed word's form.
        Not initials and abjad spellings: they align by their skeleton (its own keys), and
        each would be compared in Python."""
        forms = _spelling_forms(token)
        if len(token) == TWO_EDITS_FROM - 1:  # a shorter listed word two edits away
            forms = _within(token, 2)  # ("Abisov" ~ "Aiso", "Adamec" ~ "Adams": 0.67)
        elif not forms and len(token) >= TWO_EDITS_FROM - 2:
            forms = {token}  # a longer listed word with two or three letters more
        sounds = _query_key_forms(key)
        if not forms and not sounds:
            return []
        hashes = {hash(form) for form in forms}
        hashes.update(hash(_KEY_FORM + form) for form in sounds)
        found: list[int] = self._by_deletions.lookup(
            np.fromiter(hashes, np.int64, len(hashes))
        ).tolist()
        ids, by_deletion, by_key = self.ids, self._by_deletion, self._by_key
        for form in forms:
            shorter = ids.get(form)
            if shorter is not None:
                found.append(shorter)
            found.extend(by_deletion.get("=" + form, ()))
        if len(key) >= KEY_TWO_EDITS_FROM:  # listed keys too short to be filed
            for form in sounds:
                found.extend(by_deletion.get(form, ()))
                found.extend(by_key.get("p" + form, ()))
        exactly = self._compared_exactly
        return [tid for tid in found if not exactly[tid]]

    def unseen(self, token: str) -> list[int]:
        """Ids of listed words of TWO_EDITS_FROM - 1 letters that may be two edits from
        ``token`` (UNSEEN_FROM to TWO_EDITS_FROM - 1 letters) with the same first sound:
        ``near`` does not look for them, and they align at UNSEEN_SIMILARITY at most (a
        superset, not graded; some may also be ``near``)."""
        keys = comparison_keys(token)
        if not UNSEEN_FROM <= len(token) < TWO_EDITS_FROM or not can_grade(keys):
            return []
        forms = _within(token, 2)
        hashes = np.fromiter((hash(_SIX_FORM + form) for form in forms), np.int64, len(forms))
        found = self._by_deletions.lookup(hashes)
        starts = np.frombuffer(self._starts, np.uint8)[found]
        alike: list[int] = found[starting_alike(start_code(keys[0]), starts)].tolist()
        return alike

    def alike_joined(
        self, spellings: Sequence[str], firsts: KeyArray, seconds: KeyArray
    ) -> npt.NDArray[np.bool_]:
        """Which pairs of listed words, written together, may be one of ``spellings``
        with a slip or two ("nelsalbeiro" ~ "Nelson Albeiro"): of a length the scorer
        compares (alignment.JOINED_MAX_LENGTH_GAP), and as alike as ALIGN_MIN by spelling
        or phonetic key, or (an abjad spelling) by consonant skeleton. The joined keys are
        the words' keys put together: a superset of what the scorer aligns, not graded."""
        lengths = np.frombuffer(self._lengths, np.int16)
        gaps = np.abs(lengths[firsts].astype(np.int64) + lengths[seconds] - len(spellings[0]))
        alike: npt.NDArray[np.bool_] = gaps <= JOINED_MAX_LENGTH_GAP
        close = np.flatnonzero(alike)
        if not len(close):
            return alike
        tokens, phonetic = self.tokens, self._phonetic
        pairs = list(zip(firsts[close].tolist(), seconds[close].tolist(), strict=True))
        joined = [tokens[a] + tokens[b] for a, b in pairs]
        sounds = [phonetic[a] + phonetic[b] for a, b in pairs]
        skeletons: list[str] = []  # made for the first abjad spelling
        best = np.zeros(len(close))
        for spelling in spellings:
            key, _, skel, abjad = comparison_keys(spelling)
            np.maximum(best, osa(spelling, joined, SPELLING_AT_LEAST), out=best)
            np.maximum(best, osa(key, sounds, SPELLING_AT_LEAST), out=best)
            if abjad:
                skeletons = skeletons or self._joined_skeletons(pairs)
                np.maximum(best, osa(skel, skeletons, SPELLING_AT_LEAST), out=best)
        alike[close] = best >= ALIGN_MIN
        return alike

    def _joined_skeletons(self, pairs: list[tuple[int, int]]) -> list[str]:
        """The consonant skeletons of pairs of listed words, put together."""
        tokens, keys = self.tokens, self.keys
        return [keys[tokens[a]][2] + keys[tokens[b]][2] for a, b in pairs]

    def aligning(
        self, token: str, *, two_edits: bool = True
    ) -> tuple[list[int], list[float], list[str], list[int]]:
        """The listed tokens ``near`` finds that align with ``token`` by spelling, sound
        or vowels, with the token comparison's similarity and reason (token_grades, for
        all of them at once); and the ids the caller must compare itself: initials and abjad
        spellings, or every one when ``token`` is such a word. Nicknames and
        transliterations of ``token`` are graded as spellings: the caller takes their
        similarity from its tables."""
        near = self.near(token, two_edits=two_edits)
        keys = comparison_keys(token)
        if len(near) < 2 or len(token) < 2 or not can_grade(keys):
            return [], [], [], list(near)
        found = np.fromiter(near, np.int64, len(near))
        exactly = np.frombuffer(self._compared_exactly, np.uint8)[found].astype(bool)
        graded = found[~exactly]
        if len(graded) < 2:  # itemgetter gives a tuple from two ids on
            return [], [], [], list(near)
        # From a list: unpacking the array made a numpy scalar of every id, and indexing
        # the lists with those cost more than the grading itself (116 us a call, to 89).
        gather = itemgetter(*graded.tolist())
        grades, reasons = grade(
            token,
            keys,
            gather(self.tokens),
            gather(self._phonetic),
            np.frombuffer(self._starts, np.uint8)[graded],
            np.frombuffer(self._vowels, np.int32)[graded] == self._vowel_numbers.get(keys[1], -1),
        )
        aligned = grades > 0.0
        why = [REASONS[code] for code in reasons[aligned].tolist()]
        return graded[aligned].tolist(), grades[aligned].tolist(), why, found[exactly].tolist()


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
    spelled = tuple("=" + d for d in _deletions(token, MIN_SPELLING_FOR_EDITS))
    return (*_deletions(key), *spelled)


def _vowel_deletions(vowels: str) -> tuple[str, ...]:
    """One-deletion forms of a vowel-folded key (prefixed "~"): words that differ in their
    vowels and in one consonant more ("Hashem" ~ "Hishan", "Imein" ~ "Imani") are two or
    three spelling edits apart but one here. Short keys get none (too unspecific)."""
    if len(vowels) < MIN_VOWEL_KEY_FOR_EDITS:
        return ()
    return tuple(_VOWEL_DELETION + d for d in _deletions(vowels))


def _spelling_forms(word: str) -> set[str]:
    """The forms a spelling is filed and looked up under: up to two letters deleted from
    TWO_EDITS_FROM letters on, three from THREE_EDITS_FROM (none beyond LONGEST_EDITED)."""
    if len(word) > LONGEST_EDITED:
        return set()
    if len(word) >= THREE_EDITS_FROM:
        return _within(word, 3)
    if len(word) >= TWO_EDITS_FROM:
        return _within(word, 2)
    return set()


def _query_key_forms(key: str) -> set[str]:
    """The forms a query's phonetic key is looked up under: a listed key's own, and for a
    key of five or six letters, up to two deleted (a longer listed key two edits away)."""
    if len(key) > LONGEST_EDITED:
        return set()
    return _key_forms(key) or (_within(key, 2) if len(key) >= KEY_TWO_EDITS_FROM - 2 else set())


def _key_forms(key: str) -> set[str]:
    """The forms a listed phonetic key is filed under (KEY_TWO_EDITS_FROM letters on): up
    to two letters deleted, three from KEY_THREE_EDITS_FROM (none beyond LONGEST_EDITED)."""
    if len(key) > LONGEST_EDITED:
        return set()
    if len(key) >= KEY_THREE_EDITS_FROM:
        return _within(key, 3)
    return _within(key, 2) if len(key) >= KEY_TWO_EDITS_FROM else set()


def _within(word: str, deleted: int) -> set[str]:
    """``word`` and its forms with up to ``deleted`` letters deleted."""
    forms = frontier = {word}
    for _ in range(deleted):
        frontier = {form[:i] + form[i + 1 :] for form in frontier for i in range(len(form))}
        forms = forms | frontier
    return forms


def _deletions(key: str, shortest: int = MIN_KEY_FOR_EDITS) -> tuple[str, ...]:
    if len(key) < shortest:
        return ()
    return tuple(dict.fromkeys(key[:i] + key[i + 1 :] for i in range(len(key))))
