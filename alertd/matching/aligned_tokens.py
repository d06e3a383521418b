"""Which listed tokens the token comparison aligns with each listed token, found once.

The vocabulary's keys (vocabulary.py) reach listed words one edit from a query word, and
two when they differ in vowels and one consonant. The scorer aligns more: any two words
whose spelling similarity is ALIGN_MIN or more, two or three edits apart in words of six
to eleven letters ("Abdelkarim" ~ "Abdelhakim" ~ "Abdelaziz"). At a million entries such a
word together with a matching family name is a namesake the scorer puts at "possible",
which a lookup one edit wide never meets (most of the candidate recall lost there).

Looking up every word two or three edits away costs a query hundreds of deletion forms
per word. So the neighbours are found once per *listed* token, when it enters the
vocabulary: symmetric deletion neighbourhoods (as in SymSpell) as wide as the scorer's
spelling grade can reach for the token's length, every pair sharing a deletion form
compared with rapidfuzz's OSA in C, and the pairs that pass kept with the token
comparison's exact similarity. A query word that is a listed token then takes its
neighbours as they are; a query word that is not (a typo) takes the neighbours of the
listed words it already meets that align with it too.

Only the spelling grade is widened: the vowel grade is a key the vocabulary looks up
already; nicknames and transliterations come from tables; the sound grade (similar
phonetic keys) is not (a known limit).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from itertools import repeat

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import OSA
from rapidfuzz.process import cdist, cpdist

from alertd.matching.bounds import Similarities
from alertd.matching.names import ALIGN_MIN, Slot, TokenComparer
from alertd.matching.tables import NameTables
from alertd.matching.vocabulary import Vocabulary

# Edits the spelling grade can bridge per letter of the longer word: OSA similarity is
# 1 - edits / length and must reach ALIGN_MIN (the first-letter factor only lowers it).
EDITS_PER_LETTER = 1.0 - ALIGN_MIN
# ...but at most this many deletions per token: the forms grow as length^edits, and
# words long enough to bridge four edits (twelve letters) are rare (at 100,000 entries
# four instead of three add 0.3% of the pairs for 20% more forms).
MAX_EDITS = 3
# Words of this length or less align by spelling only one edit apart, which the
# vocabulary's own keys find: pairs of such words are not compared here...
ONE_EDIT_LONGEST = 5
# ...nor pairs of words this many edits apart, whatever their length (most of the pairs
# sharing a deletion form: not keeping them saves most of the exact comparisons).
VOCABULARY_EDITS = 1
# New tokens filed one by one (a delta) up to this many at once; more (a bulk load) are
# filed with one sort of every deletion form.
ONE_BY_ONE_MOST = 256
# The deletion forms filed one by one are folded into the sorted arrays past this many.
DELTA_MOST = 1 << 16
# A hair under ALIGN_MIN for rapidfuzz's cutoff: float rounding must not lose a pair.
_SPELLING_AT_LEAST = ALIGN_MIN - 1e-6

IdArray = npt.NDArray[np.int64]
Neighbours = list[tuple[int, float]]  # token ids and their similarity
Edge = tuple[int, int, float]  # two token ids and their similarity


class AlignedTokens:
    def __init__(self, vocabulary: Vocabulary, tables: NameTables) -> None:
        self._vocabulary = vocabulary
        self._tables = tables
        self._filed = 0  # tokens of the vocabulary filed so far (ids below this)
        # Deletion forms (string hashes) sorted, with the token id beside each; and the
        # forms of tokens filed one by one since the last sort.
        self._forms: IdArray = np.empty(0, np.int64)
        self._form_ids: IdArray = np.empty(0, np.int64)
        self._delta_forms: dict[int, list[int]] = {}
        # Neighbours: token id -> [start, end) in the targets and similarities; and those
        # found one by one since the last bulk filing.
        self._starts: IdArray = np.zeros(1, np.int64)
        self._targets: IdArray = np.empty(0, np.int64)
        self._similarities: npt.NDArray[np.float64] = np.empty(0)
        self._delta: dict[int, Neighbours] = {}

    def __len__(self) -> int:
        """The number of aligned pairs (each counted once per side)."""
        return len(self._targets) + sum(len(found) for found in self._delta.values())

    # --- filing ----------------------------------------------------------------------------

    def catch_up(self) -> None:
        """File the tokens the vocabulary gained since the last call."""
        first, last = self._filed, len(self._vocabulary)
        if last - first > ONE_BY_ONE_MOST:
            self._file_bulk(first, last)
        else:
            for tid in range(first, last):
                self._file_one(tid)
        self._filed = last

    def _file_one(self, tid: int) -> None:
        tokens = self._vocabulary.tokens
        token = tokens[tid]
        forms = _hashes(_deletion_forms(token))
        met = {t for t in self._ids_under(forms).tolist() if t != tid}
        comparer = TokenComparer(self._tables, self._vocabulary.keys)
        others = [t for t in met if max(len(token), len(tokens[t])) > ONE_EDIT_LONGEST]
        for _, other, similarity in self._aligned(comparer, [tid] * len(others), others):
            self._delta.setdefault(tid, []).append((other, similarity))
            self._delta.setdefault(other, []).append((tid, similarity))
        for form in forms.tolist():
            self._delta_forms.setdefault(form, []).append(tid)
        if len(self._delta_forms) > DELTA_MOST:
            self._fold_forms(np.empty(0, np.int64), np.empty(0, np.int64))

    def _ids_under(self, forms: IdArray) -> IdArray:
        """Ids of the tokens filed under any of ``forms`` (with repeats)."""
        low = self._forms.searchsorted(forms, "left")
        high = self._forms.searchsorted(forms, "right")
        found = [self._form_ids[a:b] for a, b in zip(low.tolist(), high.tolist(), strict=True)]
        delta = self._delta_forms
        found += [np.array(delta[f], np.int64) for f in forms.tolist() if f in delta]
        return np.concatenate([np.empty(0, np.int64), *found])

    def _file_bulk(self, first: int, last: int) -> None:
        """File tokens ``first`` to ``last``: every pair sharing a deletion form (one of
        them new) compared at once."""
        tokens = self._vocabulary.tokens
        # Two growing arrays, not an array per token: tens of thousands of small blocks
        # freed at once leave the C heap in pieces, and the searches after ran ~15% slower.
        forms, ids = array("q"), array("q")
        for tid in range(first, last):
            token_forms = _deletion_forms(tokens[tid])
            forms.extend(map(hash, token_forms))
            ids.extend(repeat(tid, len(token_forms)))
        self._fold_forms(np.frombuffer(forms, np.int64), np.frombuffer(ids, np.int64))
        left, right = _sharing(self._forms, self._form_ids, first)
        lengths = np.fromiter(map(len, tokens), np.int64, len(tokens))
        wide = np.maximum(lengths[left], lengths[right]) > ONE_EDIT_LONGEST
        comparer = TokenComparer(self._tables, self._vocabulary.keys)
        self._rebuild(self._aligned(comparer, left[wide].tolist(), right[wide].tolist()))

    def _aligned(
        self, comparer: TokenComparer, firsts: list[int], seconds: list[int]
    ) -> list[Edge]:
        """The pairs the token comparison aligns, with their exact similarity (the higher
        of both orders where a nickname goes one way only); the spelling grade's test
        in rapidfuzz first, for all pairs at once."""
        if not firsts:
            return []
        tokens, tables = self._vocabulary.tokens, self._tables
        a = [tokens[t] for t in firsts]
        b = [tokens[t] for t in seconds]
        close = cpdist(a, b, scorer=OSA.normalized_similarity, score_cutoff=_SPELLING_AT_LEAST)
        apart = cpdist(a, b, scorer=OSA.distance) > VOCABULARY_EDITS
        found = []
        for k in np.flatnonzero((close > 0) & apart).tolist():
            x, y = a[k], b[k]
            similarity = comparer.aligned(x, y)[0]
            if tables.are_nicknames(x, y) != tables.are_nicknames(y, x):
                similarity = max(similarity, comparer.aligned(y, x)[0])
            if similarity >= ALIGN_MIN:
                found.append((firsts[k], seconds[k], similarity))
        return found

    def _rebuild(self, edges: Iterable[Edge]) -> None:
        """The neighbour arrays again: those filed, those found one by one, and
        ``edges`` (each pair once: both sides are filed)."""
        sources: list[int] = []
        targets: list[int] = []
        similarities: list[float] = []
        for a, b, similarity in edges:
            sources += (a, b)
            targets += (b, a)
            similarities += (similarity, similarity)
        for a, found in self._delta.items():
            for b, similarity in found:
                sources.append(a)
                targets.append(b)
                similarities.append(similarity)
        size = len(self._vocabulary)
        old = np.repeat(np.arange(len(self._starts) - 1), np.diff(self._starts))
        source = np.concatenate([old, np.array(sources, np.int64)])
        target = np.concatenate([self._targets, np.array(targets, np.int64)])
        alike = np.concatenate([self._similarities, np.array(similarities, np.float64)])
        order = np.argsort(source, kind="stable")
        self._targets, self._similarities = target[order], alike[order]
        self._starts = source[order].searchsorted(np.arange(size + 1))
        self._delta = {}

    def _fold_forms(self, forms: IdArray, ids: IdArray) -> None:
        """Sort ``forms`` and those filed one by one into the sorted forms."""
        delta = self._delta_forms
        delta_forms = np.repeat(
            np.fromiter(delta, np.int64, len(delta)), [len(ids) for ids in delta.values()]
        )
        delta_ids = np.array([t for ids in delta.values() for t in ids], np.int64)
        every = np.concatenate([self._forms, delta_forms, forms])
        order = np.argsort(every, kind="stable")
        self._forms = every[order]
        self._form_ids = np.concatenate([self._form_ids, delta_ids, ids])[order]
        self._delta_forms = {}

    # --- queries ---------------------------------------------------------------------------

    def neighbours(self, tid: int) -> Neighbours:
        """The listed tokens aligned with token ``tid`` and their similarity."""
        found: Neighbours = []
        if tid + 1 < len(self._starts):
            start, end = int(self._starts[tid]), int(self._starts[tid + 1])
            targets = self._targets[start:end].tolist()
            found = list(zip(targets, self._similarities[start:end].tolist(), strict=True))
        return found + self._delta.get(tid, [])

    def widen(
        self, spellings: Slot, similar: Similarities, comparer: TokenComparer
    ) -> Similarities:
        """``similar`` (the vocabulary lookup of one query word) with the listed tokens two
        or more edits away that the scorer aligns: a new dict if any were added."""
        ids, tokens = self._vocabulary.ids, self._vocabulary.tokens
        wider = dict(similar)
        for spelling in spellings:
            tid = ids.get(spelling)
            if tid is not None:
                found = self.neighbours(tid)
            else:
                found = self._unlisted_neighbours(spelling, similar, comparer)
            for other, similarity in found:
                token = tokens[other]
                if similarity > wider.get(token, 0.0):
                    wider[token] = similarity
        return wider if len(wider) > len(similar) else similar

    def _unlisted_neighbours(
        self, spelling: str, similar: Similarities, comparer: TokenComparer
    ) -> Neighbours:
        """For a spelling not listed (a typo): the neighbours of the listed tokens it
        meets (``similar``) that align with it too, compared exactly. Not every listed
        token the scorer aligns (looking up the spelling's own deletion forms would find
        those, at 100,000 entries for 14% more query time instead of 4%, and no more
        candidate recall in the bench)."""
        if len(spelling) <= ONE_EDIT_LONGEST:
            return []
        ids, tokens = self._vocabulary.ids, self._vocabulary.tokens
        met = {o for t in similar if len(t) > 1 for o, _ in self.neighbours(ids[t])}
        others = [o for o in met if tokens[o] not in similar]
        if not others:
            return []
        words = [tokens[o] for o in others]
        close = cdist(
            [spelling], words, scorer=OSA.normalized_similarity, score_cutoff=_SPELLING_AT_LEAST
        )
        found = []
        for k in np.flatnonzero(close[0]).tolist():
            similarity = comparer.aligned(spelling, words[k])[0]
            if similarity >= ALIGN_MIN:
                found.append((others[k], similarity))
        return found


def edits_within(length: int) -> int:
    """The most edits the spelling grade can bridge from a word of ``length`` letters."""
    return min(MAX_EDITS, int(length * EDITS_PER_LETTER + 1e-9))


def _deletion_forms(token: str) -> set[str]:
    """The token and every form of it with up to ``edits_within(len)`` letters deleted:
    two words at most that many edits apart (OSA) share one form."""
    level, forms = {token}, {token}
    for _ in range(edits_within(len(token))):
        level = {form[:i] + form[i + 1 :] for form in level for i in range(len(form))}
        forms |= level
    return forms


def _hashes(forms: set[str]) -> IdArray:
    return np.fromiter(map(hash, forms), np.int64, len(forms))


def _sharing(forms: IdArray, ids: IdArray, first: int) -> tuple[IdArray, IdArray]:
    """Every pair of different token ids filed under one form, one of them ``first`` or
    later, once (sorted ``forms``)."""
    starts = np.flatnonzero(np.concatenate(([True], forms[1:] != forms[:-1])))
    sizes = np.diff(np.append(starts, len(forms)))
    lefts, rights = [np.empty(0, np.int64)], [np.empty(0, np.int64)]
    for size in np.unique(sizes[sizes > 1]).tolist():
        group = ids[starts[sizes == size][:, None] + np.arange(size)]
        i, j = np.triu_indices(size, 1)
        lefts.append(group[:, i].ravel())
        rights.append(group[:, j].ravel())
    left, right = np.concatenate(lefts), np.concatenate(rights)
    low, high = np.minimum(left, right), np.maximum(left, right)
    keys = np.unique(low << 32 | high)
    low, high = keys >> 32, keys & 0xFFFFFFFF
    keep = (low != high) & (high >= first)
    return low[keep], high[keep]
