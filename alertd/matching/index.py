"""The in-memory candidate index: which entries could be this traveller?

Retrieval is kept apart from scoring (as in yente): the index finds candidates through
keys, and every candidate it keeps is scored by the same pure function
(score.score_prepared) that ``MatchIndex.score`` applies to any entry, so candidate recall
can be measured against an exhaustive scan.

Keys: name tokens (every spelling of every word) reached fuzzily through the vocabulary
(vocabulary.py), pairs of tokens of two words of one name, and document-number keys
(documents.document_keys: confusable-folded numbers and their one-deletion forms).
Postings are kept per *name* (one entry has several) in numpy arrays (postings.py).

Three steps per query name:

1. Meet. Each query word looks up the listed tokens near it (vocabulary keys, nicknames,
   other spellings of the same native word in the transliteration table, a listed
   initial) and how similar each is (the scorer's own token comparison). A name score
   able to reach "possible" needs two aligned words unless one of the two names is a
   single word (alignment.SINGLE_WORD_FACTOR and the coverage rule), and the scorer aligns
   each listed word once: so the candidates are the names filed under a *pair* of tokens
   near two different query words (particles too: far shorter lists than either word's),
   plus one-word names near any query word. A one-word query (or one holding an initial,
   which meets words by their first letter) takes every name holding a token near its
   words. Adjacent query words written together meet one-word names, names for which
   that one word is enough (``_joined_alone_from``), and names holding a second word near
   another query word; one query word written as two listed words is a pair key again.
   This rests on "possible" being above what one aligned word can give a name of two
   words or more with the rest of the evidence agreeing (0.5 + 0.15: every default
   threshold is 0.76 or more).
2. Bound, in arrays. Entries the sure evidence against rules out (a birth year too far,
   a different sex or nationality: prefilter.py) are dropped first; then each name's
   upper bound of its name score from those similarities (listed_names.py, the same as
   bounds.QueryName.bound, no alignment), plus the most the rest of the evidence can add,
   less what surely takes away, must reach its category's "possible": otherwise the
   scorer could not return the entry. Entries met through a document key are always kept.
   Names holding a query word split in two (both halves listed, or one listed and the
   other near the rest: ``_fuzzy_split_keys``, or two adjacent words alike to it written
   together: ``_split_across``) are bounded by the highest name score.
3. Score, highest score bound first, at most MAX_SCORED entries (a ceiling on the time
   one query can take, reached only by names common in the list and loose in spelling);
   equal bounds in entry id order, as the result is, so that once a candidate could not
   displace the last of ``limit`` matches the rest are not scored (leaders.py).

Known limits (the bench's candidate recall counts them): the vocabulary returns listed
words one edit from a query word, two when the query word has seven letters or more or
when they differ in vowels and one consonant, three from nine letters, and words whose
phonetic keys are two edits apart (three from ten letters), but not every word the
scorer still aligns (two edits from a word of six letters or fewer, unless the listed
word is shorter; sounds alike through keys of three letters one edit apart, which align
only as spellings); words written together are looked up one edit wide (by sound two
edits wide too they met "Abboud Akkar" ~ "Abubakary", 0.75, one match in 124 at
100,000 entries, for 17% more search CPU); one
query word close to (not equal to) two listed words written together is looked for only
when it aligns with no listed word well (FUZZY_SPLIT_BELOW): as its longest listed head
(or tail) with a word one edit or a vowel away from the rest, or, with a slip in both
halves, among the names the other query words meet when they are few
(SPLIT_ACROSS_MOST_NAMES).

Memory: entries are held once; postings are int32 name ids in arrays; tokens are interned
strings shared by every entry that uses them. ``remove`` leaves a tombstone that searches
skip; the postings are compacted when tombstones pile up. ``settle`` folds what was added
since into the sorted arrays. ``extend`` is the bulk load (start-up rebuild, retro probe):
the names' keys come from ListedNames' arrays and each postings list is sorted once.
"""

from __future__ import annotations

import gc
from array import array
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from itertools import combinations, pairwise

import numpy as np
import numpy.typing as npt

from alertd.matching.alignment import JOINED_MAX_LENGTH_GAP
from alertd.matching.bounds import (
    BOUND_SLACK,
    MOST_SUPPORT,
    QueryName,
    Similarities,
    name_score_bound,
)
from alertd.matching.documents import document_keys
from alertd.matching.leaders import Leaders, in_result_order
from alertd.matching.listed_names import (
    PAIR_SHIFT,
    ListedNames,
    Nearby,
    nearby,
    pair_key_array,
)
from alertd.matching.model import BandThresholds, EntryInput, Match, Traveller
from alertd.matching.names import PreparedName, Slot
from alertd.matching.postings import IdArray, KeyArray, Postings, distinct
from alertd.matching.prefilter import (
    WHOLE_DATES_FROM,
    EntryFacts,
    FloatArray,
    QueryFacts,
    SlotArray,
)
from alertd.matching.score import (
    PreparedEntry,
    PreparedQuery,
    prepare_entry,
    prepare_query,
    score_prepared,
)
from alertd.matching.tables import NameTables, packaged_name_tables
from alertd.matching.thresholds import CATEGORY_THRESHOLDS, DEFAULT_THRESHOLDS, check_possible
from alertd.matching.token_similarity import ALIGN_MIN, INITIAL, TokenComparer
from alertd.matching.vocabulary import UNSEEN_SIMILARITY, Vocabulary

# At most this many entries are scored per query, the highest bounds first. Scoring one
# costs ~30-60 us, so this caps a query near 0.1 s; the bench counts the queries that
# reach it (names common in the list and loose in spelling, at 1,000,000 entries).
MAX_SCORED = 2000
# Entries met through a document key are always scored, first (the document rules).
FORCED = 2.0
# Names holding a query word split in two listed words ("Kimjong" ~ "Kim Jong") get the
# highest name score as their bound (the date, sex and nationality can still rule them out).
SPLIT_BOUND = 1.0
# Entry slots with a bound each (arrays of the same length).
BoundParts = tuple[SlotArray, FloatArray]
# A joined word is split into listed words of at least this many letters.
MIN_SPLIT_PART = 2
# A query word that aligns with no listed word this well may be two words written together
# with one of them spelled otherwise ("Weebang" ~ "Wee Beng", "Teresacifuantes" ~ "Teresa
# Cifuentes"): its longest listed head and its longest listed tail of at least
# MIN_FUZZY_SPLIT_PART letters are tried with the listed words near the rest. Two letters:
# the syllables of Korean and Chinese names ("Suyung" ~ "Su Yong"; at three, that miss of
# the OFAC/UN evaluation stayed; no measurable search CPU on bench/screening.py's names).
FUZZY_SPLIT_BELOW = 0.9
MIN_FUZZY_SPLIT_PART = 2
# ...and the names a head (or a tail) so meets are dropped when more than this many are
# left for the traveller (each is scored first, bounded by SPLIT_BOUND): a cut through
# common words ("abd" and near "eabba", at 1,000,000 entries) met 2,476 names and took one
# query from 4.5 to 52 ms. The head's and the tail's are counted apart: a head "al" meets
# many, and the tail's few ("ALcQASIR" ~ "AL-QASIR") were dropped with them.
FUZZY_SPLIT_MOST_NAMES = 64
# A query word of this many letters or more that aligns with no listed word well
# (SPLIT_ACROSS_BELOW) may stand for two adjacent listed words written together with a slip
# in it ("nelsalbeiro PALACIO MONTOYA" ~ "Nelson Albeiro PALACIO MONTOYA", 1.0; "حسن
# ظاهرعويس" ~ "Hassan Dahir AWEYS", 0.93): no listed head is left whole, so
# ``_fuzzy_split_keys`` cannot cut it, and the name met through the other words is bounded
# without it. Such names are compared with the word (``Vocabulary.alike_joined``): the
# names met through two other query words, or for a name of two words, those holding a
# word near the other one, unless they are more than SPLIT_ACROSS_MOST_NAMES (a common
# word: the comparison is per adjacent pair of listed words; counted as filed, before the
# date and the rest rule any out: ruling out cost more than comparing). On
# bench/screening.py's travellers, whose made-up words often align with nothing well,
# this is 0.05 ms of a 1.5 ms search (3%).
SPLIT_ACROSS_FROM = 5
# Tried below this best alignment: a vowel variant or another reading of a listed word
# (0.9) is no sign that the word is one word ("Shih Misun" ~ "Shih Mei SUN": "misun" is
# a vowel variant of "mishan"); a phonetic match or a nickname (0.93, 0.92) is.
SPLIT_ACROSS_BELOW = 0.92
SPLIT_ACROSS_MOST_NAMES = 1024
# A name of fewer words than this meets no listed name through two words besides one
# that aligns unseen (vocabulary.UNSEEN_SIMILARITY): its bound does not look them up.
UNSEEN_NAME_WORDS = 3
# Compact postings when this share of the entry slots are tombstones (and at least
# COMPACT_MIN_DEAD of them: compacting re-files every live entry).
COMPACT_AT_DEAD_SHARE = 0.3
COMPACT_MIN_DEAD = 1000
# Query spellings whose nearby listed tokens are remembered across searches (names recur:
# a few thousand common words make most queries); the memo is emptied when full.
SIMILAR_MEMO = 1 << 15


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
        for category, band in (*self._thresholds.items(), ("default", default_thresholds)):
            check_possible(category, band)
        # The lowest "possible" of any category (what a name must be able to reach to be met).
        self._lowest_possible = min(t.possible for t in (*self._thresholds.values(), self._default))
        self._vocabulary = Vocabulary()
        self._shared_slots: dict[Slot, Slot] = {}
        self._word_ids: dict[Slot, tuple[int, ...]] = {}  # a word's spellings -> token ids
        self._similar_memo: dict[Slot, Nearby] = {}
        self._joined_memo: dict[Slot, Nearby] = {}  # the same for words written together
        self._unseen_memo: dict[Slot, Nearby] = {}  # _similar's with unseen words (bounds)
        self._memo_words = 0  # the vocabulary's size when the memo was filled
        self._reset()

    def _reset(self) -> None:
        self._entries: list[PreparedEntry | None] = []
        self._slot_of: dict[str, int] = {}
        self._live = array("b")  # entry slot -> 1 while the entry is indexed
        self._facts = EntryFacts()  # entry slot -> what may rule it out (prefilter.py)
        self._names: list[PreparedName] = []  # name id -> the prepared name
        self._name_entry = array("i")  # name id -> entry slot
        self._name_slots = array("b")  # name id -> its number of words (slots)
        self._listed = ListedNames()  # name id -> its words' token ids (for bounds)
        self._tokens = Postings()  # token id -> ids of the names holding it
        self._pairs = Postings()  # pair of token ids in two words of a name -> name ids
        self._one_word = Postings()  # token id -> ids of one-word names holding it
        # Document key (its string hash: a collision only adds an entry to score) -> slots.
        self._documents = Postings()
        self._dead = 0
        # A bulk load (extend) files names from this id on, and these documents, at its end.
        self._unfiled = 0
        self._unfiled_documents = (array("q"), array("i"))  # document key hashes, slots

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

    def extend(self, entries: Iterable[EntryInput]) -> None:
        """``add`` each entry, then ``settle``; for bulk loads (the start-up rebuild, the
        retro-screening probe): the names' keys are gathered in arrays and filed with one
        sort per postings list, not a dict append per key (the same postings result)."""
        with _collector_paused():
            try:
                for entry in entries:
                    self.remove(entry.entry_id)
                    self._append(prepare_entry(entry, self._tables, self._share), bulk=True)
            finally:  # what was appended is filed even if an entry failed to prepare
                self._file_unfiled()
                self.settle()

    def remove(self, entry_id: str) -> None:
        slot = self._slot_of.pop(entry_id, None)
        if slot is None:
            return
        self._entries[slot] = None
        self._live[slot] = 0
        self._dead += 1
        if self._dead > COMPACT_MIN_DEAD and self._dead > COMPACT_AT_DEAD_SHARE * len(
            self._entries
        ):
            self._compact()

    def _append(self, prepared: PreparedEntry, bulk: bool = False) -> None:
        """Take the entry into the next slot; file it now, or (``bulk``) leave its names
        and documents for ``_file_unfiled``."""
        slot = len(self._entries)
        self._entries.append(prepared)
        self._slot_of[prepared.entry.entry_id] = slot
        self._live.append(1)
        self._facts.append(prepared, self.thresholds_for(prepared.entry.category).possible)
        for name in prepared.names:
            nid = len(self._names)
            self._names.append(name)
            self._name_entry.append(slot)
            self._name_slots.append(min(len(name.slots), 127))
            words = self._words(name)
            self._listed.append(name, words)
            if not bulk:
                self._file_name(nid, name, words)
        if not bulk:
            self._unfiled = len(self._names)
        documents = prepared.entry.documents
        if documents:
            keys = {hash(key) for document in documents for key in document_keys(document.number)}
            if bulk:
                self._unfiled_documents[0].extend(keys)
                self._unfiled_documents[1].extend([slot] * len(keys))
            else:
                self._documents.add(keys, slot)

    def _words(self, name: PreparedName) -> list[tuple[int, ...]]:
        """Each word of the name as the token ids of its spellings."""
        word_ids, ids_of = self._word_ids, self._ids_of
        return [word_ids.get(spellings) or ids_of(spellings) for spellings in name.slots]

    def _file_name(self, nid: int, name: PreparedName, words: list[tuple[int, ...]]) -> None:
        """File a name under each of its tokens and each pair of tokens of two of its words
        (a token twice in one name, or a pair met twice, is filed once)."""
        tokens = {tid for word in words for tid in word}
        self._tokens.add(tokens, nid)
        if name.word_count == 1:
            self._one_word.add(tokens, nid)
        pairs = {
            _pair_key(a, b)
            for first, second in combinations(words, 2)
            for a in first
            for b in second
        }
        self._pairs.add(pairs, nid)

    def _file_unfiled(self) -> None:
        """File what bulk appends left (ListedNames.filed gives every key in arrays)."""
        tokens, pairs, one_word = self._listed.filed(self._unfiled)
        self._tokens.extend(*tokens)
        self._pairs.extend(*pairs)
        self._one_word.extend(*one_word)
        keys, slots = self._unfiled_documents
        self._documents.extend(np.frombuffer(keys, np.int64), np.frombuffer(slots, np.int32))
        self._unfiled = len(self._names)
        self._unfiled_documents = (array("q"), array("i"))

    def _ids_of(self, spellings: Slot) -> tuple[int, ...]:
        """The distinct token ids of one word's spellings (remembered per shared word)."""
        id_of = self._vocabulary.id_of
        found = self._word_ids[spellings] = tuple(sorted({id_of(s) for s in spellings}))
        return found

    def _compact(self) -> None:
        live = [e for e in self._entries if e is not None]
        self._reset()
        with _collector_paused():
            for prepared in live:
                self._append(prepared, bulk=True)
            self._file_unfiled()
            self.settle()

    def settle(self) -> None:
        """Fold recent additions into the sorted postings (after a bulk load: queries then
        gather every id with array operations)."""
        for postings in self._postings():
            postings.merge()
        self._vocabulary.settle()

    def unsettled(self) -> int:
        """Ids filed in the postings since the last ``settle`` (0: every lookup is array
        operations)."""
        return sum(postings.recent for postings in self._postings()) + self._vocabulary.unsettled()

    def _postings(self) -> tuple[Postings, ...]:
        return (self._tokens, self._pairs, self._one_word, self._documents)

    # --- queries -------------------------------------------------------------------------

    def search(self, traveller: Traveller, *, now: datetime, limit: int = 20) -> list[Match]:
        """Scored, explained matches at "possible" or better, best first (score down,
        then entry id up).

        Candidates are scored in the order of their best possible place (leaders.py);
        once one could not displace the last of ``limit`` matches, none left could, and
        the rest are not scored."""
        query = prepare_query(traveller, self._tables)
        comparer = self.comparer()
        matches: list[Match] = []
        leaders = Leaders(limit)
        for prepared in in_result_order(self._ranked(query, comparer), self._entries, leaders):
            entry = prepared.entry
            if _expired(entry, now):
                continue
            match = score_prepared(query, prepared, self.thresholds_for(entry.category), comparer)
            if match is not None:
                matches.append(match)
                leaders.add(match.score, match.entry_id)
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
        """Entry slots worth scoring, highest score bound first (see the module doc)."""
        return [slot for slot, _ in self._ranked(query, comparer)]

    def _ranked(self, query: PreparedQuery, comparer: TokenComparer) -> list[tuple[int, float]]:
        """Entry slots worth scoring with the most each can score, highest first, at most
        MAX_SCORED (entries met through a document key first, bounded by FORCED)."""
        facts = self._facts.judge(query)
        slots, name_bounds = _best_per_slot(
            [part for name in query.names for part in self._bound_name(name, comparer, facts)]
        )
        most = facts.most_scores(slots, name_bounds, whole_dates=len(slots) >= WHOLE_DATES_FROM)
        keep = most >= facts.floors(slots)
        # Stable: equal bounds stay in slot order (which of them MAX_SCORED keeps is fixed).
        order = np.argsort(-most[keep], kind="stable")
        bounds = dict(zip(slots[keep][order].tolist(), most[keep][order].tolist(), strict=True))
        documents = distinct(self._document_slots(query)).tolist()  # one per key it shares
        forced = [slot for slot in documents if self._entries[slot] is not None]
        for slot in forced:
            bounds.pop(slot, None)
        ranked = [(slot, FORCED) for slot in forced] + list(bounds.items())
        del ranked[MAX_SCORED:]
        return ranked

    def _document_slots(self, query: PreparedQuery) -> IdArray:
        """Entries listing a document whose key equals one of the traveller's."""
        documents = query.traveller.documents
        keys = {hash(key) for document in documents for key in document_keys(document.number)}
        return self._documents.lookup(np.fromiter(keys, np.int64, len(keys)))

    def _bound_name(
        self, name: PreparedName, comparer: TokenComparer, facts: QueryFacts
    ) -> list[BoundParts]:
        """The entries of the names this query name meets (whose entry the sure evidence
        against does not rule out), each with a bound of this name's score against it."""
        similar = [self._similar(slot, comparer) for slot in name.slots]
        joined = [self._joined_similar(a, b, comparer) for a, b in pairwise(name.slots)]
        met = self._kept(self._met_names(name, similar, joined), facts)
        # Bounded with the listed words each query word may align with unseen (vocabulary.
        # UNSEEN_SIMILARITY): they meet no name, but may lift one met through two other
        # query words. Looked up only for names of three words or more, and when a name
        # was met: on bench/screening.py's travellers (most of two words) every search
        # looking them up cost 12% more CPU.
        bounding = similar
        if len(met) and len(name.slots) >= UNSEEN_NAME_WORDS:
            bounding = [
                self._with_unseen(slot, near)
                for slot, near in zip(name.slots, similar, strict=True)
            ]
        if _has_initial(name):  # an initial meets words no similarity lists: in Python
            query = QueryName(name, [n.similar for n in bounding], [n.similar for n in joined])
            names = self._names
            name_bounds = np.array([query.bound(names[nid]) for nid in met.tolist()], np.float64)
        else:
            name_bounds = self._listed.bounds(met, bounding, joined, name.weights)
        split = [self._split_word(spelling) for slots in name.slots for spelling in slots]
        halves = self._kept(np.concatenate(split), facts)
        guessed = self._guessed_halves(name, similar, facts)
        across = self._split_across(name, similar, met, facts)
        return [
            (self._owners(met), name_bounds),
            (self._owners(halves), np.full(len(halves), SPLIT_BOUND)),
            (self._owners(guessed), np.full(len(guessed), SPLIT_BOUND)),
            (self._owners(across), np.full(len(across), SPLIT_BOUND)),
        ]

    def _split_across(
        self, name: PreparedName, similar: list[Nearby], met: IdArray, facts: QueryFacts
    ) -> IdArray:
        """Names in which a query word that aligns with no listed word well
        (SPLIT_ACROSS_BELOW) may be two adjacent words written together with a slip (see
        SPLIT_ACROSS_FROM), met through the other query words."""
        parts = [np.empty(0, np.int32)]
        for k, (slot, near) in enumerate(zip(name.slots, similar, strict=True)):
            short = len(slot[0]) < SPLIT_ACROSS_FROM
            if short or len(name.slots) < 2 or _best_alignment(near) >= SPLIT_ACROSS_BELOW:
                continue
            names = met if len(name.slots) > 2 else self._holding(similar[1 - k])
            if not 0 < len(names) <= SPLIT_ACROSS_MOST_NAMES:
                continue
            nids, firsts, seconds = self._listed.adjacent_words(names)
            # The spellings before the date and the rest: far fewer pass, and ruling out
            # costs more (bench/screening.py's travellers).
            alike = nids[self._vocabulary.alike_joined(slot, firsts, seconds)]
            if len(alike):
                parts.append(alike[self._may_match(alike, facts)])
        return np.concatenate(parts)

    def _holding(self, near: Nearby) -> IdArray:
        """The names holding a listed word ``near`` holds well, if SPLIT_ACROSS_MOST_NAMES
        or fewer hold one (counted before they are gathered), dead ones included."""
        words = near.ids[near.scores >= FUZZY_SPLIT_BELOW]
        if not len(words) or self._tokens.count(words) > SPLIT_ACROSS_MOST_NAMES:
            return np.empty(0, np.int32)
        return distinct(self._tokens.lookup(words))

    def _guessed_halves(
        self, name: PreparedName, similar: list[Nearby], facts: QueryFacts
    ) -> IdArray:
        """Names holding a listed head or tail of a query word that aligns with no listed
        word well, and a word near the rest of it (``_fuzzy_split_keys``); a head's (or
        tail's) names are left out when they are more than FUZZY_SPLIT_MOST_NAMES (the
        cut went through common words), not the others'."""
        groups = [
            keys
            for slots, near in zip(name.slots, similar, strict=True)
            if _best_alignment(near) < FUZZY_SPLIT_BELOW
            for spelling in slots[:2]
            for keys in self._fuzzy_split_keys(spelling)
        ]
        parts = [np.empty(0, np.int32)]
        for keys in groups:
            guessed = self._kept(self._pairs.lookup(np.array(keys, np.int64)), facts)
            if len(guessed) <= FUZZY_SPLIT_MOST_NAMES:
                parts.append(guessed)
        return np.concatenate(parts)

    def _owners(self, nids: IdArray) -> SlotArray:
        """The entry slot of each name."""
        return np.frombuffer(self._name_entry, np.int32)[nids].astype(np.int64)

    def _kept(self, nids: IdArray, facts: QueryFacts) -> IdArray:
        """The distinct names among ``nids`` whose entry is live and not ruled out."""
        if not len(nids):
            return nids
        nids = distinct(nids)
        return nids[self._may_match(nids, facts)]

    def _may_match(self, nids: IdArray, facts: QueryFacts) -> npt.NDArray[np.bool_]:
        """Which of the names ``nids`` (not empty) belong to a live entry not ruled out."""
        slots = self._owners(nids)
        live: npt.NDArray[np.bool_] = np.frombuffer(self._live, np.int8)[slots] == 1
        live[live] = facts.may_match(slots[live])
        return live

    def _met_names(
        self, name: PreparedName, similar: list[Nearby], joined: list[Nearby]
    ) -> IdArray:
        """Name ids (with repeats) that could align with two query words, or with one when
        either name is a single word, or with two query words written together."""
        # A word that meets no listed word at all (badly garbled) does not count: the name
        # is then judged on the words that do meet something.
        met = [near.ids for near in similar if len(near.ids)]
        words = [near.ids for near in _solo_words(name, similar) if len(near.ids)]
        parts = [np.empty(0, np.int32)]
        if name.word_count == 1 or _has_initial(name):
            # One word: every name holding a listed word near it (one word against more
            # can still reach "possible"). An initial aligns with any word it begins, which
            # no key finds: the other words are met on their own.
            parts.append(self._tokens.lookup(np.concatenate([np.empty(0, np.int64), *words])))
        else:
            # Two query words must align with two different words of a name (one aligned
            # word covers at most half of each name), unless the listed name is one word.
            # A particle can be the second ("Al" aligned with "Ali": "Abdulrahman Al
            # Rashid" ~ "Abdulrahman Ali", 0.77, "possible" for a potential victim).
            for first, second in combinations(met, 2):
                parts.append(self._pairs.lookup(_pair_keys(first, second)))
            parts.append(self._one_word.lookup(np.concatenate([np.empty(0, np.int64), *words])))
        parts.append(self._joined_met(name, similar, joined))
        return np.concatenate(parts)

    def _joined_met(
        self, name: PreparedName, similar: list[Nearby], joined: list[Nearby]
    ) -> IdArray:
        """Names holding a listed word near two adjacent query words written together.

        One-word names always. A name of two words or more only when that word alone can
        lift it to "possible" ("Abdul Rahman" ~ "Abdulrahman Hassan": the joined word
        covers the whole query), or when it holds a second word near another query word
        (a pair key, as in ``_met_names``): a common word joined to a neighbour is near the
        neighbour itself ("Aa Abbes" written together is near "Abbes"), whose namesakes
        are many (60,000 names at 1,000,000 entries) and far from "possible"."""
        parts = [np.empty(0, np.int32)]
        for k, near in enumerate(joined):
            if not len(near.ids):
                continue
            parts.append(self._one_word.lookup(near.ids))
            if _has_initial(name):  # a second word may align as an initial: no key finds it
                parts.append(self._tokens.lookup(near.ids))
                continue
            alone = near.scores >= self._joined_alone_from(name.weights, k)
            parts.append(self._tokens.lookup(near.ids[alone]))
            others = [s.ids for j, s in enumerate(similar) if j not in (k, k + 1)]
            others += [s.ids for j, s in enumerate(joined) if abs(j - k) > 1]
            for other in others:
                if len(other):
                    parts.append(self._pairs.lookup(_pair_keys(near.ids[~alone], other)))
        return np.concatenate(parts)

    def _joined_alone_from(self, weights: tuple[float, ...], k: int) -> float:
        """The least similarity with query words k and k + 1 written together that lets
        one listed word alone lift a name of two words or more to any category's
        "possible". That word covers at most those two query words and half of the
        listed name (every other listed word weighs as much or, a particle, less), and
        the name score is then at most its similarity times ``name_score_bound`` of those
        coverages; the rest can add MOST_SUPPORT (a document match is scored whatever its
        name)."""
        query = (weights[k] + weights[k + 1]) / sum(weights)
        return (self._lowest_possible - BOUND_SLACK - MOST_SUPPORT) / name_score_bound(query, 0.5)

    def _joined_similar(self, first: Slot, second: Slot, comparer: TokenComparer) -> Nearby:
        """Listed tokens that align with two adjacent query words written together
        ("Abdul Rahman" ~ "Abdulrahman"): the scorer compares a joined word only with
        words of a close length (from ALIGN_MIN: a listed name may be romanised)."""
        spellings = tuple(a + b for a in first[:2] for b in second[:2])
        self._forget_if_stale()
        found = self._joined_memo.get(spellings)
        if found is None:
            size = len(spellings[0])
            # Not two edits wide: a joined word is long (a hundred forms with two letters
            # deleted) and its lookup is remembered here, not in _similar's memo.
            similar = self._look_up(spellings, comparer, two_edits=False)
            gap = JOINED_MAX_LENGTH_GAP
            close = {t: s for t, s in similar.items() if abs(len(t) - size) <= gap}
            found = self._joined_memo[spellings] = nearby(close, self._vocabulary.ids)
        return found

    def _similar(self, spellings: Slot, comparer: TokenComparer) -> Nearby:
        """Listed tokens that align with one of these spellings, with their similarity
        (remembered across searches while the vocabulary stays the same: a new listed
        word may be near a remembered spelling). The result is shared: not to be changed."""
        self._forget_if_stale()
        found = self._similar_memo.get(spellings)
        if found is None:
            similar = self._look_up(spellings, comparer, two_edits=True)
            found = self._similar_memo[spellings] = nearby(similar, self._vocabulary.ids)
        return found

    def _with_unseen(self, spellings: Slot, near: Nearby) -> Nearby:
        """``near`` and, at UNSEEN_SIMILARITY, the listed words the vocabulary's ``unseen``
        gives for these spellings that ``near`` lacks (its own similarities are exact);
        remembered as ``_similar`` is."""
        found = self._unseen_memo.get(spellings)
        if found is None:
            vocabulary = self._vocabulary
            listed = set(near.ids.tolist())
            fresh = {tid for spelling in spellings for tid in vocabulary.unseen(spelling)}
            fresh -= listed
            found = near
            if fresh:
                tokens = vocabulary.tokens
                found = Nearby(
                    near.similar | {tokens[tid]: UNSEEN_SIMILARITY for tid in fresh},
                    np.concatenate((near.ids, np.fromiter(fresh, np.int64, len(fresh)))),
                    np.concatenate((near.scores, np.full(len(fresh), UNSEEN_SIMILARITY))),
                )
            self._unseen_memo[spellings] = found
        return found

    def _forget_if_stale(self) -> None:
        """Empty the lookup memos when the vocabulary grew (a new listed word may be near
        a remembered spelling) or when they are full."""
        if self._memo_words != len(self._vocabulary) or len(self._similar_memo) >= SIMILAR_MEMO:
            self._similar_memo.clear()
            self._joined_memo.clear()
            self._unseen_memo.clear()
            self._memo_words = len(self._vocabulary)

    def _look_up(
        self, spellings: Slot, comparer: TokenComparer, *, two_edits: bool
    ) -> Similarities:
        tokens, vocabulary = self._vocabulary.tokens, self._vocabulary
        similar: Similarities = {}
        for spelling in spellings:
            nicknames = self._tables.nicknames.get(spelling, frozenset())
            transliterations = self._tables.transliterations_of(spelling)
            ids, grades, reasons, compared = vocabulary.aligning(spelling, two_edits=two_edits)
            for tid, score, reason in zip(ids, grades, reasons, strict=True):
                token = tokens[tid]
                if token in nicknames or token in transliterations:
                    continue  # graded below, from the tables
                comparer.remember(spelling, token, score, reason)  # the scorer asks again
                if score > similar.get(token, 0.0):
                    similar[token] = score
            for tid in compared:
                token = tokens[tid]
                score = comparer.aligned(spelling, token)[0]
                if score >= ALIGN_MIN and score > similar.get(token, 0.0):
                    similar[token] = score
            if len(spelling) > 1 and spelling[0] in vocabulary.ids:
                similar[spelling[0]] = max(similar.get(spelling[0], 0.0), INITIAL)  # "J"
            for nickname in nicknames:
                if nickname in vocabulary.ids:
                    similar[nickname] = 1.0  # the scorer gives less: still a bound
            self._transliterations(spelling, transliterations, comparer, similar)
        return similar

    def _transliterations(
        self,
        spelling: str,
        transliterations: frozenset[str],
        comparer: TokenComparer,
        similar: Similarities,
    ) -> None:
        """Listed spellings of the same native word (Mehmet ~ Muhammad, Volodymyr ~
        Vladimir: the Wikidata table), with the scorer's similarity
        (token_similarity.TRANSLITERATION, or more when another rule gives more): they may
        share no key with ``spelling``."""
        ids = self._vocabulary.ids
        for other in transliterations:
            if other in ids:
                score = comparer.compare(spelling, other)[0]
                if score > similar.get(other, 0.0):
                    similar[other] = score

    def _split_word(self, word: str) -> IdArray:
        """Names holding both halves of ``word`` as listed words, at any split point."""
        ids = self._vocabulary.ids
        keys = []
        for cut in range(MIN_SPLIT_PART, len(word) - MIN_SPLIT_PART + 1):
            head, tail = ids.get(word[:cut]), ids.get(word[cut:])
            if head is not None and tail is not None:
                keys.append(_pair_key(head, tail))
        if not keys:
            return np.empty(0, np.int32)
        return self._pairs.lookup(np.array(keys, np.int64))

    def _fuzzy_split_keys(self, word: str) -> list[list[int]]:
        """Pair keys of ``word``'s longest listed head with the listed words near the rest,
        and apart, of its longest listed tail with those near the rest before it. Near by
        the vocabulary's one-edit keys, not graded: the names met are scored anyway."""
        ids, vocabulary = self._vocabulary.ids, self._vocabulary
        cuts = range(MIN_FUZZY_SPLIT_PART, len(word) - MIN_FUZZY_SPLIT_PART + 1)
        groups: list[list[int]] = []
        head = next((cut for cut in reversed(cuts) if word[:cut] in ids), None)
        if head is not None:
            listed = ids[word[:head]]
            near = vocabulary.near(word[head:], two_edits=False)
            groups.append([_pair_key(listed, tid) for tid in near])
        tail = next((cut for cut in cuts if word[cut:] in ids), None)
        if tail is not None:
            listed = ids[word[tail:]]
            near = vocabulary.near(word[:tail], two_edits=False)
            groups.append([_pair_key(listed, tid) for tid in near])
        return [keys for keys in groups if keys]


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection during a bulk load: it makes millions of objects
    that live as long as the index and no cycles, and the collections its allocations
    trigger would walk all of them again and again (the collector runs again after).

    Then every tracked object is moved to the oldest generation without a walk (freeze,
    then unfreeze): left in the youngest, the load's objects would all be walked by the
    first young collection after it (over a second at 1,000,000 entries; 0.8 s in a
    service worker at 100,000). A process that keeps its long-lived objects frozen
    already (the service does after start-up) gets the load's frozen with them:
    unfreezing would hand its own back to the collector."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        frozen_already = gc.get_freeze_count() > 0
        gc.freeze()
        if not frozen_already:
            gc.unfreeze()
        if enabled:
            gc.enable()


def _best_per_slot(parts: list[BoundParts]) -> BoundParts:
    """The distinct entry slots among the parts, each with its highest bound (slot order).
    One sort by slot and a maximum per run: sorting by slot and bound at once (np.lexsort)
    took 6.9 ms for 40,000 bounds, this 3.2 (a common name pair at 1,000,000 entries)."""
    slots = np.concatenate([np.empty(0, np.int64), *(p[0] for p in parts)])
    bounds = np.concatenate([np.empty(0, np.float64), *(p[1] for p in parts)])
    if not len(slots):
        return slots, bounds
    order = np.argsort(slots, kind="stable")
    slots = slots[order]
    first = np.ones(len(slots), np.bool_)
    np.not_equal(slots[1:], slots[:-1], out=first[1:])
    runs = np.flatnonzero(first)
    best: FloatArray = np.maximum.reduceat(bounds[order], runs)
    return slots[runs], best


def _solo_words(name: PreparedName, similar: list[Nearby]) -> list[Nearby]:
    """The query words whose nearby listed words meet names on their own (a one-word
    name, a name holding an initial): those that are not particles, or every word when
    they are all particles or initials ("S Ould Cheikh": "ould" and "cheikh" weigh as
    particles, and the initial meets "Saleck" through no key)."""
    weighty = [k for k, weight in enumerate(name.weights) if weight == 1.0]
    if all(_is_initial(name.slots[k]) for k in weighty):
        return similar
    return [similar[k] for k in weighty]


def _best_alignment(near: Nearby) -> float:
    """How well a query word aligns with the listed word nearest it (0: none near)."""
    return float(near.scores.max()) if near.scores.size else 0.0


def _is_initial(slot: Slot) -> bool:
    return any(len(spelling) == 1 for spelling in slot)


def _has_initial(name: PreparedName) -> bool:
    return any(_is_initial(slot) for slot in name.slots)


def _pair_key(a: int, b: int) -> int:
    return (a << PAIR_SHIFT | b) if a <= b else (b << PAIR_SHIFT | a)


def _pair_keys(first: KeyArray, second: KeyArray) -> KeyArray:
    """The pair keys of every token in ``first`` with every token in ``second`` (a key
    can come twice: a lookup then gives its names twice, which ``_kept`` folds)."""
    return pair_key_array(np.repeat(first, len(second)), np.tile(second, len(first)))


def _expired(entry: EntryInput, now: datetime) -> bool:
    return entry.expires_at is not None and entry.expires_at <= now
