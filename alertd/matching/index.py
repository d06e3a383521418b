"""The in-memory candidate index: which entries could be this traveller?

Retrieval is kept apart from scoring (as in yente): the index finds candidates through
keys, and every candidate is scored by the same pure function (score.score_prepared)
that ``MatchIndex.score`` applies to any entry, so candidate recall can be measured
against an exhaustive scan.

Keys: name tokens (every spelling of every word, and adjacent words written together)
reached fuzzily through the vocabulary (vocabulary.py), and document-number keys
(documents.document_keys: confusable-folded numbers and their one-deletion forms).

Why a candidate needs two words: a name score able to reach "possible" needs at least two
aligned words unless one of the two names is a single word (names.SINGLE_WORD_FACTOR and
the coverage rule). So for a query of several words the candidates are the entries met
through at least two of its words, plus entries holding a one-word name met through any
word, plus every entry met through a document key.

Memory: entries are held once; postings are lists of small integer ids; tokens are
interned strings shared by every entry that uses them. ``remove`` leaves a tombstone that
searches skip; the postings are compacted when tombstones pile up.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from alertd.matching.documents import document_keys
from alertd.matching.model import BandThresholds, EntryInput, Match, Traveller
from alertd.matching.names import ALIGN_MIN, PreparedName, Slot, TokenComparer
from alertd.matching.score import (
    PreparedEntry,
    PreparedQuery,
    prepare_entry,
    prepare_query,
    score_prepared,
)
from alertd.matching.tables import NameTables, packaged_name_tables
from alertd.matching.thresholds import CATEGORY_THRESHOLDS, DEFAULT_THRESHOLDS
from alertd.matching.vocabulary import Vocabulary

# At most this many candidates are scored per query, the best ranked first (see _rank).
# Bench: most queries have a handful; common names at 1,000,000 entries reach the cap.
MAX_SCORED = 120
# A word met with at least this similarity counts double when ranking candidates.
CLOSE_WORD = 0.85
# Entries met through a document key are always scored.
DOCUMENT_RANK = 1000
# A joined word is split into listed words of at least this many letters.
MIN_SPLIT_PART = 2
# Compact postings when this share of the entry slots are tombstones.
COMPACT_AT_DEAD_SHARE = 0.3


class MatchIndex:
    def __init__(
        self,
        thresholds: Mapping[str, BandThresholds] | None = None,
        default_thresholds: BandThresholds = DEFAULT_THRESHOLDS,
        *,
        tables: NameTables | None = None,
    ) -> None:
        self._tables = tables if tables is not None else packaged_name_tables()
        self._thresholds = {**CATEGORY_THRESHOLDS, **(thresholds or {})}
        self._default = default_thresholds
        self._vocabulary = Vocabulary()
        self._entries: list[PreparedEntry | None] = []
        self._slot_of: dict[str, int] = {}
        self._postings: list[list[int]] = []  # token id -> entry slots
        self._documents: dict[str, list[int]] = {}  # document key -> entry slots
        self._one_word: set[int] = set()  # entry slots holding a one-word name
        self._dead = 0
        self._shared_slots: dict[Slot, Slot] = {}

    def _share(self, slot: Slot) -> Slot:
        """One tuple object per distinct name word across the index (memory)."""
        return self._shared_slots.setdefault(slot, slot)

    def __len__(self) -> int:
        return len(self._slot_of)

    def thresholds_for(self, category: str) -> BandThresholds:
        return self._thresholds.get(category, self._default)

    # --- changes -------------------------------------------------------------------------

    def add(self, entry: EntryInput) -> None:
        """Index an entry version, replacing any earlier one with the same entry_id."""
        self.remove(entry.entry_id)
        prepared = prepare_entry(entry, self._tables, self._share)
        slot = len(self._entries)
        self._entries.append(prepared)
        self._slot_of[entry.entry_id] = slot
        self._file(slot, prepared)

    def remove(self, entry_id: str) -> None:
        slot = self._slot_of.pop(entry_id, None)
        if slot is None:
            return
        self._entries[slot] = None
        self._one_word.discard(slot)
        self._dead += 1
        if self._dead > 1000 and self._dead > COMPACT_AT_DEAD_SHARE * len(self._entries):
            self._compact()

    def _file(self, slot: int, prepared: PreparedEntry) -> None:
        tids: set[int] = set()
        for name in prepared.names:
            tids.update(self._vocabulary.id_of(token) for token in _index_tokens(name))
            if _is_one_word(name):
                self._one_word.add(slot)
        postings = self._postings
        while len(postings) < len(self._vocabulary):
            postings.append([])
        for tid in tids:
            postings[tid].append(slot)
        for document in prepared.entry.documents:
            for key in document_keys(document.number):
                self._documents.setdefault(key, []).append(slot)

    def _compact(self) -> None:
        live = [e for e in self._entries if e is not None]
        self._entries, self._slot_of, self._one_word, self._dead = [], {}, set(), 0
        self._postings = [[] for _ in self._postings]
        self._documents = {}
        for prepared in live:
            slot = len(self._entries)
            self._entries.append(prepared)
            self._slot_of[prepared.entry.entry_id] = slot
            self._file(slot, prepared)

    # --- queries -------------------------------------------------------------------------

    def search(self, traveller: Traveller, *, now: datetime, limit: int = 20) -> list[Match]:
        """Scored, explained matches at "possible" or better, best first."""
        query = prepare_query(traveller, self._tables)
        comparer = self.comparer()
        matches: list[Match] = []
        for slot in self.candidates(query, comparer):
            prepared = self._entries[slot]
            if prepared is None or _expired(prepared.entry, now):
                continue
            match = score_prepared(
                query, prepared, self.thresholds_for(prepared.entry.category), comparer
            )
            if match is not None:
                matches.append(match)
        matches.sort(key=lambda m: (-m.score, m.entry_id))
        return matches[:limit]

    def comparer(self) -> TokenComparer:
        """A fresh per-search token comparer sharing the listed tokens' keys."""
        return TokenComparer(self._tables, self._vocabulary.keys)

    def score(self, traveller: Traveller, entry: EntryInput) -> Match | None:
        """The same scorer as ``search`` on one entry, without the index (exhaustive scan)."""
        query = prepare_query(traveller, self._tables)
        prepared = prepare_entry(entry, self._tables)
        return score_prepared(
            query, prepared, self.thresholds_for(entry.category), TokenComparer(self._tables)
        )

    def live_entries(self) -> Iterable[EntryInput]:
        return (p.entry for p in self._entries if p is not None)

    def prepared_entries(self) -> list[PreparedEntry]:
        """The live entries as the scorer sees them (for exhaustive-scan measurements)."""
        return [p for p in self._entries if p is not None]

    def candidates(self, query: PreparedQuery, comparer: TokenComparer) -> list[int]:
        """Entry slots worth scoring: those met through the most (and closest) words first."""
        ranks: dict[int, int] = {}
        for name in query.names:
            for slot, rank in self._name_candidates(name, comparer).items():
                if rank > ranks.get(slot, 0):
                    ranks[slot] = rank
        for document in query.traveller.documents:
            for key in document_keys(document.number):
                for slot in self._documents.get(key, ()):
                    ranks[slot] = ranks.get(slot, 0) + DOCUMENT_RANK  # always scored
        if len(ranks) <= MAX_SCORED:
            return list(ranks)
        return sorted(ranks, key=ranks.__getitem__, reverse=True)[:MAX_SCORED]

    def _name_candidates(self, name: PreparedName, comparer: TokenComparer) -> dict[int, int]:
        # Particles (al, bin, van) do not make a candidate, unless the name is only those.
        full_words = [s for s, w in zip(name.slots, name.weights, strict=True) if w == 1.0]
        words = [self._slots_near(slot, comparer) for slot in full_words or name.slots]
        words.extend(self._joined_sets(name, comparer))
        met = [near for near, _close in words if near]
        # A word that meets no listed word at all (badly garbled) does not count: the name
        # is then judged on the words that do meet something.
        if name.word_count == 1 or len(met) == 1:
            found = set().union(*met)
        else:
            found = set()
            for i, first in enumerate(met):
                for second in met[i + 1 :]:
                    found |= first & second if len(first) <= len(second) else second & first
                found |= first & self._one_word
        if len(found) <= MAX_SCORED:
            return dict.fromkeys(found, 1)
        return {slot: _rank(slot, words) for slot in found}

    def _slots_near(
        self, spellings: tuple[str, ...], comparer: TokenComparer
    ) -> tuple[set[int], set[int]]:
        """Entry slots holding a token that aligns with one of these spellings, and the
        subset holding a close one (similarity >= CLOSE_WORD)."""
        tokens = self._vocabulary.tokens
        similar: dict[int, float] = {}
        for spelling in spellings:
            for tid in self._vocabulary.near(spelling):
                score = comparer.compare(spelling, tokens[tid])[0]
                if score >= ALIGN_MIN and score > similar.get(tid, 0.0):
                    similar[tid] = score
            for nickname in self._tables.nicknames.get(spelling, ()):
                found = self._vocabulary.ids.get(nickname)
                if found is not None:
                    similar[found] = 1.0
        postings = self._postings
        met: set[int] = set().union(*(postings[tid] for tid in similar))
        close_ids = [tid for tid, score in similar.items() if score >= CLOSE_WORD]
        close = (
            met
            if len(close_ids) == len(similar)
            else set().union(*(postings[tid] for tid in close_ids))
        )
        return met, close

    def _joined_sets(self, name: PreparedName, comparer: TokenComparer) -> list[_Near]:
        """Two adjacent query words may be one listed word ("Abdul Rahman" ~ "Abdulrahman"),
        and one query word may be two listed words: both count as two words met."""
        joined: list[_Near] = []
        for first, second in zip(name.slots, name.slots[1:], strict=False):
            spellings = tuple(a + b for a in first[:2] for b in second[:2])
            met, close = self._slots_near(spellings, comparer)
            if met:
                joined.extend(((met, close), (met, close)))
        for slot in name.slots:
            found = set().union(*(self._split_word(spelling) for spelling in slot[:2]))
            if found:
                joined.extend(((found, found), (found, found)))
        return joined

    def _split_word(self, word: str) -> set[int]:
        """Entries holding both halves of ``word`` as listed words, at any split point."""
        ids, postings = self._vocabulary.ids, self._postings
        found: set[int] = set()
        for cut in range(MIN_SPLIT_PART, len(word) - MIN_SPLIT_PART + 1):
            head, tail = ids.get(word[:cut]), ids.get(word[cut:])
            if head is not None and tail is not None:
                found.update(set(postings[head]).intersection(postings[tail]))
        return found


def _index_tokens(name: PreparedName) -> Iterable[str]:
    """Every spelling of every word (joined words are found from the query side)."""
    for spellings in name.slots:
        yield from spellings


_Near = tuple[set[int], set[int]]  # entry slots met through a word, and met closely


def _rank(slot: int, words: list[_Near]) -> int:
    """Two points per query word met closely, one per word met loosely."""
    return sum(2 if slot in close else 1 for met, close in words if slot in met)


def _is_one_word(name: PreparedName) -> bool:
    return sum(1 for w in name.weights if w == 1.0) <= 1


def _expired(entry: EntryInput, now: datetime) -> bool:
    return entry.expires_at is not None and entry.expires_at <= now
