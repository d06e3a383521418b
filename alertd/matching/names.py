"""Names: prepared once, compared token by token in any order.

A ``PreparedName`` is a tuple of *slots*, one per name word, each holding the alternative
folded ASCII spellings of that word (passport and plain folds, transliteration variants).
Comparing two names aligns slots greedily on the best token similarities, in any order
(family name first or last), lets one word match two joined ones ("Abdulrahman" ~
"Abdul Rahman"), and scores the coverage of both names so that a missing middle name
costs little while a missing family name costs a lot.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from rapidfuzz.distance import OSA

from alertd.matching import latin_arabic, wade_giles
from alertd.matching.normalise import (
    ascii_forms,
    fold_unicode,
    is_particle,
    is_title_word,
    may_start_title,
    no_title_starts,
    title_positions,
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
from alertd.matching.transliterate import dominant_script, foreign_reading, romanise

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
# A title glued to a name is split off only when this many letters are left ("Syedali",
# "Hajiabd"); with two, names that begin like a title would be cut ("Hajjaj", "Hajiri").
GLUED_TITLE_REST = 3
# A word is split into two listed words (in any order) only into parts this long.
SPLIT_MIN_PART = 3
# Two spellings of the same native-script word in the Wikidata pairs (Mehmet ~ Muhammad).
TRANSLITERATION = 0.9

# --- Name score ------------------------------------------------------------------------
# How much a particle (al, bin, van, de...) weighs against a full name word.
PARTICLE_WEIGHT = 0.2
# The better-covered name counts most: a missing middle name costs little...
BETTER_COVERAGE_WEIGHT = 0.65
# ...unless one side is a single word and the other is not ("Ali" vs "Ali Hassan").
SINGLE_WORD_FACTOR = 0.85


# --- Common name words ------------------------------------------------------------------
# The commonest given and family names of the regions the lists and the border meet
# (Arabic and Muslim given names, Chinese, Korean, Vietnamese, Khmer, Burmese, South Asian,
# Hispanic and English ones). A name that agrees only on such words is weak evidence:
# millions of people are called "Mohammed Ali" or "Nguyen Van Anh".
_COMMON_WORDS = """
muhammad mohammed ahmad ahmed ali hassan hussein abdullah abdul abd abdel abu omar osman
mahmoud mustafa ibrahim ismail yusuf khalid said salem saleh hamid karim rahman rahim
aziz amin jamal nasser noor fatima aisha mariam khan shah malik bin ibn
wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin wei
kim lee park choi jung kang cho yoon
nguyen tran le pham hoang huynh phan vu dang bui do ngo duong ly van thi
sok chan heng seng chea meas sam sar sophea dara srey
aung kyaw win myint maung htun zaw
singh kumar devi siti
john james david maria jose juan carlos luis smith garcia rodriguez martinez lopez
gonzalez hernandez
"""
_COMMON_KEYS = frozenset(vowel_key(phonetic_key(word)) for word in _COMMON_WORDS.split())
# Distinct words whose commonness is remembered (a bounded, pure memo: ~10 MB at most).
COMMON_WORD_MEMO = 1 << 16
# Distinct blank-free pieces of ASCII names whose slots are remembered (a bounded, pure
# memo like the one above: a list of a million names repeats a few hundred thousand words,
# most of them rare; ~30 MB at most; a miss only costs folding the word again).
ASCII_WORD_MEMO = 1 << 17
# ...and of the pieces with letters beyond ASCII (Jürgen, Bussières), rarer.
LATIN_WORD_MEMO = 1 << 14
# Name shapes (word count, particle bits) whose slot weights are remembered.
WEIGHTS_MEMO = 1 << 10
# Pairs of adjacent words whose joined spellings are remembered (bounded and pure).
JOINED_SLOT_MEMO = 1 << 16
# Distinct tokens whose comparison keys are remembered (bounded and pure, ~15 MB at most).
TOKEN_KEYS_MEMO = 1 << 16
# When every aligned word is common and a rarer first or last word of either name is left
# unmatched (a family name "Mohammed Ali" does not have), the name score takes this
# factor: sharing common given names is what namesakes do.
COMMON_ONLY_FACTOR = 0.9


@dataclass(frozen=True, slots=True)
class PreparedName:
    original: str
    slots: tuple[Slot, ...]
    script: str  # "latin" or the script it was romanised from
    particles: int  # bit i set: slot i is a particle (a small int: no memory per name)
    common: int = 0  # bit i set: slot i is one of the commonest name words

    @property
    def weights(self) -> tuple[float, ...]:
        return _slot_weights(len(self.slots), self.particles)

    @property
    def word_count(self) -> int:
        """Words that are not particles (at least one)."""
        return max(1, len(self.slots) - self.particles.bit_count())


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


def prepare_name(
    name: NameInput, tables: NameTables, share: Callable[[Slot], Slot] | None = None
) -> PreparedName | None:
    """Fold, romanise and tokenise one name; None when nothing name-like is left.

    ``share`` returns one canonical object for equal slots (the index passes one so a
    million entries hold each distinct word once).
    """
    text = _text(name)
    if text.isascii():  # the common case, kept fast: one folded form, nothing to romanise
        slots, particles, common = _spelled_out(*_ascii_name(text))
        script = "latin"
    else:
        if (native := romanise(text, tables)) is None:
            slots, particles, common = _spelled_out(*_latin_name(text))
            script = "latin"
        else:
            slots = _native_slots(native) or _original_slots(text)
            script = _script_name(text)
            particles, common = _slot_flags(slots)
    if not slots:
        return None
    if share is not None:
        slots = tuple(map(share, slots))
    return PreparedName(text, slots, script, particles, common)


def prepare_readings(
    name: NameInput, tables: NameTables, share: Callable[[Slot], Slot] | None = None
) -> tuple[PreparedName, ...]:
    """A name as ``prepare_name`` reads it and, for a Han or Hangul name, also as a
    foreign name written word by word (transliterate.foreign_reading): 克劳斯 is Ke Laosi
    to the rules and Krause to the learned transcription, and both are compared (a
    traveller's readings are all searched, a listed name's all filed). A Latin name may
    have other readings too (``_latin_readings``)."""
    prepared = prepare_name(name, tables, share)
    readings = (prepared,) if prepared is not None else ()
    text = _text(name)
    if prepared is not None and prepared.script == "latin":
        return (*readings, *_latin_readings(prepared, share))
    foreign = None if text.isascii() else foreign_reading(text, tables)
    slots = _native_slots(foreign) if foreign else ()
    if not slots or (prepared is not None and slots == prepared.slots):
        return readings  # no foreign reading, or the same as the rules' (a Hangul word)
    return (*readings, _another_reading(text, slots, _script_name(text), share))


def _another_reading(
    text: str, slots: tuple[Slot, ...], script: str, share: Callable[[Slot], Slot] | None
) -> PreparedName:
    if share is not None:
        slots = tuple(map(share, slots))
    return PreparedName(text, slots, script, *_slot_flags(slots))


def _latin_readings(
    prepared: PreparedName, share: Callable[[Slot], Slot] | None
) -> tuple[PreparedName, ...]:
    """A Latin name's other readings: with "Abd al-X" as one word (latin_arabic.py), and
    a Chinese name written by Wade-Giles as pinyin (wade_giles.py)."""
    compounds = latin_arabic.joined_compounds(prepared.slots)
    pinyin = wade_giles.pinyin_reading(prepared.slots)
    if compounds is None and pinyin is None:
        return ()  # most names
    return tuple(
        _another_reading(prepared.original, tuple(map(_slot, slots)), script, share)
        for script, slots in (("latin", compounds), ("wade-giles", pinyin))
        if slots is not None
    )


def _spelled_out(slots: tuple[Slot, ...], particles: int, common: int) -> _Folded:
    """A Latin name with Muhammad's abbreviations spelled out too (latin_arabic.py)."""
    spelled = latin_arabic.spell_out_abbreviations(slots)
    if spelled is slots:
        return slots, particles, common
    return (tuple(map(_slot, spelled)), particles, common)


def _text(name: NameInput) -> str:
    return name.full.strip() or " ".join(p for p in (name.given, name.family) if p)


def _slot_flags(slots: Sequence[Slot]) -> tuple[int, int]:
    """Bits of the particle-weighted slots and of the common-word slots (by first spelling)."""
    particles = common = 0
    for i, slot in enumerate(slots):
        if _is_light(slot[0]):
            particles |= 1 << i
        if is_common_word(slot[0]):
            common |= 1 << i
    return particles, common


@functools.lru_cache(maxsize=WEIGHTS_MEMO)
def _slot_weights(count: int, particles: int) -> tuple[float, ...]:
    """The weight of each of ``count`` slots (particles light); few distinct shapes."""
    return tuple(PARTICLE_WEIGHT if particles >> i & 1 else 1.0 for i in range(count))


@functools.lru_cache(maxsize=WEIGHTS_MEMO)
def _total_weight(count: int, particles: int) -> float:
    return sum(_slot_weights(count, particles))


def _is_light(token: str) -> bool:
    """Weighed as a particle: particles, and a title kept as the last word of a name
    (a family name, or the title written after the name: "BANDO HAJI" for "Haji Bando")."""
    return is_particle(token) or is_title_word(token)


@functools.lru_cache(maxsize=COMMON_WORD_MEMO)
def is_common_word(token: str) -> bool:
    """One of the commonest name words in the world (any spelling: same vowel-folded key).
    Memoised: a list of a million names repeats a few hundred thousand words."""
    return vowel_key(phonetic_key(token)) in _COMMON_KEYS


def _original_slots(text: str) -> tuple[Slot, ...]:
    """The words as written, for a name no romaniser gives letters for (a lone Cyrillic
    soft sign): spelled by code point (spellings stay ASCII), the same writing still
    meets itself."""
    words = (w for w in fold_unicode(text).split() if any(c.isalnum() for c in w))
    return tuple((_intern("".join(_code_point_letters(c) for c in w)),) for w in words)


def _code_point_letters(ch: str) -> str:
    """A character as "x" and its code point in hex written with letters (a-p): ASCII,
    and normalising it again changes nothing (digits would be read as letters)."""
    return "x" + f"{ord(ch):x}".translate(_HEX_AS_LETTERS)


_HEX_AS_LETTERS = str.maketrans("0123456789abcdef", "abcdefghijklmnop")


def _script_name(text: str) -> str:
    return dominant_script(fold_unicode(text))


# Slots of a name with the bits of its particle-weighted and its common-word slots.
_Folded = tuple[tuple[Slot, ...], int, int]
# One blank-free piece of a name: its slots (a glued title split off as another spelling)
# with their bits, and whether a title may start in it (then the whole name goes through
# title dropping). Tokenising never joins across blanks, so piece by piece gives the
# slots of the whole name; pieces are memoised (most words of a big list recur).
_Piece = tuple[_Folded, bool]


def _ascii_name(text: str) -> _Folded:
    """The slots of an ASCII name (the common case: one folded form, nothing to romanise)."""
    words = text.lower().split()
    folded = _assembled([_ascii_piece(word) for word in words])
    if folded is None:  # a title may start somewhere
        slots = _without_titles(tuple(slot for word in words for slot in _ascii_word_slots(word)))
        return (slots, *_slot_flags(slots))
    return folded


def _latin_name(text: str) -> _Folded:
    """The slots of a Latin-script name that is not all ASCII (passport and plain folds)."""
    pieces = [_ascii_piece(w.lower()) if w.isascii() else _latin_piece(w) for w in text.split()]
    folded = None if None in pieces else _assembled(cast(list[_Piece], pieces))
    if folded is None:  # a title may start somewhere, or the folds split words differently
        slots = _latin_slots(text)
        return (slots, *_slot_flags(slots))
    return folded


def _assembled(pieces: list[_Piece]) -> _Folded | None:
    """The name made of these pieces; None when a title may start in one of them."""
    if len(pieces) == 1:
        folded, may_hold_title = pieces[0]
        return None if may_hold_title else folded
    slots: tuple[Slot, ...] = ()
    particles = common = 0
    for (piece_slots, piece_particles, piece_common), may_hold_title in pieces:
        if may_hold_title:
            return None
        if piece_particles or piece_common:
            particles |= piece_particles << len(slots)
            common |= piece_common << len(slots)
        slots += piece_slots
    return slots, particles, common


@functools.lru_cache(maxsize=ASCII_WORD_MEMO)
def _ascii_piece(word: str) -> _Piece:
    """A lower-case ASCII piece (memoised: this is most of what indexing a name costs)."""
    return _piece(_ascii_word_slots(word))


@functools.lru_cache(maxsize=LATIN_WORD_MEMO)
def _latin_piece(word: str) -> _Piece | None:
    """A piece with letters beyond ASCII, as _latin_slots folds it; None when its passport
    and plain folds have different numbers of words (then the whole name keeps only the
    passport fold: _latin_slots decides)."""
    forms = [tokenise(f) for f in ascii_forms(fold_unicode(word))]
    if len(forms) == 1:
        return _piece(tuple(_slot(_ocr_spellings(t)) for t in forms[0]))
    if len(forms[1]) != len(forms[0]):
        return None
    return _piece(tuple(_two_folds(a, b) for a, b in zip(*forms, strict=True)))


def _piece(slots: tuple[Slot, ...]) -> _Piece:
    may_hold_title = not no_title_starts([spelling for slot in slots for spelling in slot])
    slots = tuple(map(_unglued, slots))
    return (slots, *_slot_flags(slots)), may_hold_title


def _ascii_word_slots(word: str) -> tuple[Slot, ...]:
    """The slots of one blank-free piece of a name, as spelled (titles still in)."""
    return tuple(_ocr_spellings(t) for t in tokenise(word))


def _without_titles(slots: tuple[Slot, ...]) -> tuple[Slot, ...]:
    """Titles dropped (a slot is a title if any spelling is: "Mu1lah", سيد), and a title
    written glued to the next word split off as another spelling ("Hajibasir")."""
    spellings = [spelling for slot in slots for spelling in slot]
    if no_title_starts(spellings):  # the common case, kept cheap
        if _GLUED_TITLE_STARTS.isdisjoint([spelling[:3] for spelling in spellings]):
            return slots
        return tuple(map(_unglued, slots))
    dropped = title_positions(tuple(_title_spelling(slot) for slot in slots))
    if len(dropped) == len(slots):
        dropped = frozenset()  # a name made only of titles is kept whole
    return tuple(_unglued(slot) for i, slot in enumerate(slots) if i not in dropped)


def _unglued(slot: Slot) -> Slot:
    word = slot[0]
    for title in _GLUED_TITLES:
        if word.startswith(title) and len(word) - len(title) >= GLUED_TITLE_REST:
            return (*slot, _intern(word[len(title) :]))
    return slot


# Honorifics that Afghan, Pakistani, Iranian and Arab names often write joined to the
# name ("Hajibasir", "Sayyedjaber", "Mullahomar", "Sheikahmed"); longest first, so that
# "sheikh" is cut before "sheik".
_GLUED_TITLES = tuple(sorted((
    "hajji", "sayyed", "seyyed", "sayyid", "sheikh", "shaikh", "shaykh", "sheik", "cheikh",
    "mullah", "maulvi", "mawlawi", "maulana", "mawlana", "sayed", "seyed", "mulla", "hajj",
    "haji", "hadji", "alhaji", "alhadji", "syed",
), key=len, reverse=True))  # fmt: skip
_GLUED_TITLE_STARTS = frozenset(title[:3] for title in _GLUED_TITLES)


# OCR misreads inside names: the letters a scanner takes for these (1 is I or l).
_OCR_LETTER_PAIRS = (("rn", "m"), ("cl", "d"), ("vv", "w"))
# No name word starts with "rn": at the start of a word it is always a misread "m", even
# in words too short for the rule above ("rnA" for "MA").
_OCR_ONLY_MISREAD_START = "rn"


def _ocr_spellings(token: str) -> Slot:
    """The token with digits read as letters, plus the usual OCR alternatives."""
    spellings = [read_digits_as_letters(token)]
    if "1" in token:
        spellings.append(read_digits_as_letters(token.replace("1", "l")))
    for seen, meant in _OCR_LETTER_PAIRS:
        if seen in spellings[0] and len(spellings[0]) > len(seen) + 1:
            spellings.append(spellings[0].replace(seen, meant))
    if spellings[0].startswith(_OCR_ONLY_MISREAD_START):
        spellings.append("m" + spellings[0][2:])  # "rnA" is "MA", "rn." is "M."
    return tuple(dict.fromkeys(spellings))


def _latin_slots(text: str) -> tuple[Slot, ...]:
    """Passport and plain folds of each word, then their OCR alternatives."""
    forms = [tokenise(f) for f in ascii_forms(fold_unicode(text))]
    if len(forms) == 1 or len(forms[1]) != len(forms[0]):
        return _without_titles(tuple(_slot(_ocr_spellings(t)) for t in forms[0]))
    return _without_titles(tuple(_two_folds(a, b) for a, b in zip(*forms, strict=True)))


def _two_folds(passport: str, plain: str) -> Slot:
    a, b = _ocr_spellings(passport), _ocr_spellings(plain)
    return _slot((a[0], b[0], *a[1:], *b[1:]))


def _native_slots(native: tuple[Slot, ...]) -> tuple[Slot, ...]:
    slots: list[Slot] = []
    for alternatives in native:
        spellings = []
        for alternative in alternatives:
            for form in ascii_forms(fold_unicode(alternative)):
                spellings.append("".join(tokenise(read_digits_as_letters(form))))
        slot = _slot(tuple(s for s in spellings if s))
        if slot:
            slots.append(slot)
    return _without_titles(tuple(slots))


def _title_spelling(slot: Slot) -> str:
    """The slot's spelling that may start a title, if one does (سيد: "sid", "syed"...)."""
    for spelling in slot:
        if may_start_title(spelling):
            return spelling
    return slot[0]


def _slot(spellings: tuple[str, ...]) -> Slot:
    return tuple(_intern(s) for s in dict.fromkeys(spellings))


def _intern(token: str) -> str:
    return sys.intern(token)


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
    coverage_q = covered_q / _total_weight(len(weights_q), query.particles)
    coverage_e = covered_e / _total_weight(len(weights_e), entry.particles)
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
    return tuple(_intern(a + b) for a in first[:spellings] for b in second[:spellings])
