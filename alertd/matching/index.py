"""The in-memory candidate index: which entries could be this traveller?

Retrieval is kept apart from scoring (as in yente): the index finds candidates through
keys, and every candidate it keeps is scored by the same pure function
(score.score_prepared) that ``MatchIndex.score`` applies to any entry, so candidate recall
can be measured against an exhaustive scan.

Keys: name tokens (every spelling of every word) reached fuzzily through the vocabulary
(vocabulary.py), and document-number keys (documents.document_keys: confusable-folded
numbers and their one-deletion forms). Postings are kept per *name* (one entry has
several), so that two query words met must be two words of the same listed name.

Three steps per query name:

1. Meet. Each query word looks up the listed tokens near it (vocabulary keys, nicknames,
   other spellings of the same native word in the transliteration table) and how similar
   each is (the scorer's own token comparison); their postings are the names the word
   meets. A name score able to reach "possible" needs two aligned words unless one of the
   two names is a single word (names.SINGLE_WORD_FACTOR and the coverage rule), so the
   candidates are the names met by at least two query words, plus one-word names met by
   any. Adjacent query words written together, or one written as two listed words, meet
   names too.
2. Bound. Each candidate name gets an upper bound of its name score from those
   similarities (bounds.py, no alignment); an entry whose best bound plus the most the
   rest of the evidence can add (less what it surely takes away: a different date of
   birth or sex) is below its category's "possible" is dropped: the scorer could not
   return it. Entries met through a document key are always kept.
   Names holding a query word split in two are bounded by the highest name score.
3. Score, best bound first, at most MAX_SCORED entries (a ceiling on the time one query
   can take, reached only by names common in the list and loose in spelling).

Known limits (the bench's candidate recall counts them): a listed word two or more edits
from a query word may not be returned by the vocabulary, and one query word close to (not
equal to) two listed words written together is not looked for.

Memory: entries are held once; postings are lists of small integer name ids; tokens are
interned strings shared by every entry that uses them. ``remove`` leaves a tombstone that
searches skip; the postings are compacted when tombstones pile up.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping
from datetime import datetime
from itertools import pairwise

from alertd.matching.bounds import (
    BOUND_SLACK,
    QueryName,
    Similarities,
    most_support,
    score_bound,
)
from alertd.matching.documents import document_keys
from alertd.matching.model import BandThresholds, EntryInput, Match, Traveller
from alertd.matching.names import (
    ALIGN_MIN,
    JOINED_MAX_LENGTH_GAP,
    PreparedName,
    Slot,
    TokenComparer,
)
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

# At most this many entries are scored per query, the highest bounds first. Scoring one
# costs ~30-60 us, so this caps a query near 0.1 s; the bench counts the queries that
# reach it (names common in the list and loose in spelling, at 1,000,000 entries).
MAX_SCORED = 2000
# Entries met through a document key are always scored, first (the document rules).
FORCED = 2.0
# Names holding a query word split in two listed words ("Kimjong" ~ "Kim Jong") get the
# highest name score as their bound (the date, sex and nationality can still rule them out).
SPLIT_BOUND = 1.0
# A joined word is split into listed words of at least this many letters.
MIN_SPLIT_PART = 2
# Compact postings when this share of the entry slots are tombstones (and at least
# COMPACT_MIN_DEAD of them: compacting re-files every live entry).
COMPACT_AT_DEAD_SHARE = 0.3
COMPACT_MIN_DEAD = 1000

_Met = set[int]  # name ids met through one query word


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
        self._names: list[PreparedName] = []  # name id -> the prepared name
        self._name_entry = array("l")  # name id -> entry slot
        self._postings: list[list[int]] = []  # token id -> name ids
        self._documents: dict[str, list[int]] = {}  # document key -> entry slots
        self._one_word: set[int] = set()  # name ids of one-word names
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
        self._append(prepare_entry(entry, self._tables, self._share))

    def remove(self, entry_id: str) -> None:
        slot = self._slot_of.pop(entry_id, None)
        if slot is None:
            return
        self._entries[slot] = None
        self._dead += 1
        if self._dead > COMPACT_MIN_DEAD and self._dead > COMPACT_AT_DEAD_SHARE * len(
            self._entries
        ):
            self._compact()

    def _append(self, prepared: PreparedEntry) -> None:
        slot = len(self._entries)
        self._entries.append(prepared)
        self._slot_of[prepared.entry.entry_id] = slot
        self._file(slot, prepared)

    def _file(self, slot: int, prepared: PreparedEntry) -> None:
        vocabulary = self._vocabulary
        ids, postings, names, owner = vocabulary.ids, self._postings, self._names, self._name_entry
        for name in prepared.names:
            nid = len(names)
            names.append(name)
            owner.append(slot)
            filed: set[int] = set()  # a token twice in one name is filed once
            for spellings in name.slots:
                for token in spellings:
                    tid = ids.get(token)
                    if tid is None:
                        tid = vocabulary.id_of(token)
                        postings.append([])
                    if tid not in filed:
                        filed.add(tid)
                        postings[tid].append(nid)
            if len(name.slots) - name.particles.bit_count() <= 1:  # name.word_count == 1
                self._one_word.add(nid)
        for document in prepared.entry.documents:
            for key in document_keys(document.number):
                self._documents.setdefault(key, []).append(slot)

    def _compact(self) -> None:
        live = [e for e in self._entries if e is not None]
        self._entries, self._slot_of, self._dead = [], {}, 0
        self._names, self._name_entry, self._one_word = [], array("l"), set()
        self._postings = [[] for _ in self._postings]
        self._documents = {}
        for prepared in live:
            self._append(prepared)

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
        """Entry slots worth scoring, highest name-score bound first (see the module doc)."""
        bounds: dict[int, float] = {}
        for name in query.names:
            self._bound_name(name, comparer, bounds)
        for document in query.traveller.documents:
            for key in document_keys(document.number):
                for slot in self._documents.get(key, ()):
                    bounds[slot] = FORCED
        kept = [slot for slot, bound in bounds.items() if self._may_match(query, slot, bound)]
        kept.sort(key=bounds.__getitem__, reverse=True)
        del kept[MAX_SCORED:]
        return kept

    def _may_match(self, query: PreparedQuery, slot: int, bound: float) -> bool:
        """Whether the scorer could return this entry, given a bound of its name score."""
        prepared = self._entries[slot]
        if prepared is None:
            return False
        if bound >= FORCED:
            return True
        entry = prepared.entry
        floor = self.thresholds_for(entry.category).possible - BOUND_SLACK
        # The cheap test first: name bound plus the most the rest could add.
        if bound + most_support(bool(query.traveller.documents), bool(entry.documents)) < floor:
            return False
        return score_bound(bound, query, prepared) >= floor

    def _bound_name(
        self, name: PreparedName, comparer: TokenComparer, bounds: dict[int, float]
    ) -> None:
        """Raise ``bounds[entry slot]`` to this query name's bound for each name it meets."""
        similar = [self._similar(slot, comparer) for slot in name.slots]
        joined = [self._joined_similar(a, b, comparer) for a, b in pairwise(name.slots)]
        query = QueryName(name, similar, joined)
        found = self._met_names(name, similar)
        names, owner = self._names, self._name_entry
        # The scorer joins query words only against a name of fewer words.
        joined_met: _Met = set().union(*(self._met(sims) for sims in joined))
        if len(name.slots) == 2:
            joined_met &= self._one_word
        found.update(n for n in joined_met - found if len(names[n].slots) < len(name.slots))
        for nid in found:
            bound = query.bound(names[nid])
            slot = owner[nid]
            if bound > bounds.get(slot, -1.0):
                bounds[slot] = bound
        for slot_spellings in name.slots:
            for spelling in slot_spellings[:2]:
                for nid in self._split_word(spelling):
                    bounds[owner[nid]] = max(bounds.get(owner[nid], SPLIT_BOUND), SPLIT_BOUND)

    def _met_names(self, name: PreparedName, similar: list[Similarities]) -> _Met:
        """Names met by two query words (or one, for one-word names)."""
        full = [sims for sims, w in zip(similar, name.weights, strict=True) if w == 1.0]
        met = [m for m in (self._met(sims) for sims in full or similar) if m]
        # A word that meets no listed word at all (badly garbled) does not count: the name
        # is then judged on the words that do meet something.
        found: _Met = set()
        if name.word_count == 1 or len(met) == 1:
            return found.union(*met)
        for i, first in enumerate(met):
            for second in met[i + 1 :]:
                found |= first & second if len(first) <= len(second) else second & first
            found |= first & self._one_word
        return found

    def _joined_similar(self, first: Slot, second: Slot, comparer: TokenComparer) -> Similarities:
        """Listed tokens that align with two adjacent query words written together
        ("Abdul Rahman" ~ "Abdulrahman"): the scorer compares a joined word only with
        words of a close length."""
        spellings = tuple(a + b for a in first[:2] for b in second[:2])
        size = len(spellings[0])
        similar = self._similar(spellings, comparer)
        return {t: s for t, s in similar.items() if abs(len(t) - size) <= JOINED_MAX_LENGTH_GAP}

    def _similar(self, spellings: Slot, comparer: TokenComparer) -> Similarities:
        """Listed tokens that align with one of these spellings, with their similarity."""
        tokens, vocabulary = self._vocabulary.tokens, self._vocabulary
        similar: Similarities = {}
        for spelling in spellings:
            for tid in vocabulary.near(spelling):
                token = tokens[tid]
                score = comparer.compare(spelling, token)[0]
                if score >= ALIGN_MIN and score > similar.get(token, 0.0):
                    similar[token] = score
            for nickname in self._tables.nicknames.get(spelling, ()):
                if nickname in vocabulary.ids:
                    similar[nickname] = 1.0  # the scorer gives less: still a bound
            self._transliterations(spelling, comparer, similar)
        return similar

    def _transliterations(
        self, spelling: str, comparer: TokenComparer, similar: Similarities
    ) -> None:
        """Listed spellings of the same native word (Mehmet ~ Muhammad, Volodymyr ~
        Vladimir: the Wikidata table) that share no key with ``spelling``, with the
        scorer's similarity (names.TRANSLITERATION, or more when another rule gives more)."""
        ids = self._vocabulary.ids
        for other in self._tables.transliterations_of(spelling):
            if other in ids:
                score = comparer.compare(spelling, other)[0]
                if score > similar.get(other, 0.0):
                    similar[other] = score

    def _met(self, similar: Similarities) -> _Met:
        ids, postings = self._vocabulary.ids, self._postings
        return set().union(*(postings[ids[token]] for token in similar))

    def _split_word(self, word: str) -> _Met:
        """Names holding both halves of ``word`` as listed words, at any split point."""
        ids, postings = self._vocabulary.ids, self._postings
        found: _Met = set()
        for cut in range(MIN_SPLIT_PART, len(word) - MIN_SPLIT_PART + 1):
            head, tail = ids.get(word[:cut]), ids.get(word[cut:])
            if head is not None and tail is not None:
                found.update(set(postings[head]).intersection(postings[tail]))
        return found


def _expired(entry: EntryInput, now: datetime) -> bool:
    return entry.expires_at is not None and entry.expires_at <= now
