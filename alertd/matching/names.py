"""Names prepared once for comparison: each word a *slot* of alternative spellings.

A ``PreparedName`` is a tuple of slots, one per name word, each holding the alternative
folded ASCII spellings of that word (passport and plain folds, OCR readings,
transliteration variants). Titles are dropped (or split off where glued to a name),
particles and the commonest name words are flagged, and a name may have other readings
(``prepare_readings``). Two words are compared by ``token_similarity.py``, two names
aligned and scored by ``alignment.py``.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from alertd.matching import (
    abbreviations,
    german_cyrillic,
    indonesian_spelling,
    korean_latin,
    latin_arabic,
    wade_giles,
)
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
from alertd.matching.phonetic import phonetic_key, read_digits_as_letters, vowel_key
from alertd.matching.tables import NameTables
from alertd.matching.transliterate import dominant_script, foreign_reading, romanise

if TYPE_CHECKING:  # model.py imports explanation.py, which imports alignment.py, then this
    from alertd.matching.model import NameInput

Slot = tuple[str, ...]

# A title glued to a name is split off only when this many letters are left ("Syedali",
# "Hajiabd"); with two, names that begin like a title would be cut ("Hajjaj", "Hajiri").
GLUED_TITLE_REST = 3
# How much a particle (al, bin, van, de...) weighs against a full name word.
PARTICLE_WEIGHT = 0.2


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


# One search tells nearly every Latin name that no convention of german_cyrillic.py or
# indonesian_spelling.py reads it otherwise (each checked alone, they cost most names 4 us
# more to prepare, a third more than before them).
_CONVENTION_MARKS = re.compile(f"{german_cyrillic.MARK}|{indonesian_spelling.MARK}")
# A word of this many hyphenated parts or more is also read as one word (_hyphens_joined).
HYPHENATED_PARTS = 3
_HYPHENATED = re.compile(rf"\w+(?:-\w+){{{HYPHENATED_PARTS - 1},}}")
# The words of a name that are compared: its first MOST_WORDS. The longest real names of
# the OFAC and UN lists have 11 (Arabic chains of "bin"); longer ones are remarks typed
# into the name ("..., born 1 Jan. 1953 (Oman passport no. ...)") or junk. Comparing two
# words at a time costs the square of the count: a traveller of ten names of 66 short
# words each took 13 s to search at 100,000 entries (one request stalling a worker).
MOST_WORDS = 12
_KEPT = (1 << MOST_WORDS) - 1  # the particle and common-word bits of the words kept
# European particles that documents also glue to the word after them ("Van der Berg" and
# "VanderBerg", "de los Santos" and "Delossantos") (_particles_joined).
GLUED_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "la", "los", "las", "del", "della", "da", "das", "dos"}
    | {"di", "du", "le", "ter", "ten", "zu", "zum"}
)


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


def prepare_name(
    name: NameInput, tables: NameTables, share: Callable[[Slot], Slot] | None = None
) -> PreparedName | None:
    """Fold, romanise and tokenise one name; None when nothing name-like is left.

    ``share`` returns one canonical object for equal slots (the index passes one so a
    million entries hold each distinct word once).
    """
    text = _text(name)
    if text.isascii():  # the common case, kept fast: one folded form, nothing to romanise
        slots, particles, common = _latin_folded(text)
        script = "latin"
    else:
        if (native := romanise(text, tables)) is None:
            slots, particles, common = _latin_folded(text)
            script = "latin"
        else:
            slots = _native_slots(native) or _original_slots(text)
            script = _script_name(text)
            particles, common = _slot_flags(slots)
    if not slots:
        return None
    if len(slots) > MOST_WORDS:
        slots, particles, common = slots[:MOST_WORDS], particles & _KEPT, common & _KEPT
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
        joined = _hyphens_joined(text, share) if "-" in text else ()
        # ("los" and "las" weigh as words: a name with them has "de" too.)
        glued = _particles_joined(prepared, share) if prepared.particles else ()
        return (*readings, *_latin_readings(prepared, share), *joined, *glued)
    foreign = None if text.isascii() else foreign_reading(text, tables)
    slots = _native_slots(foreign) if foreign else ()
    if not slots or (prepared is not None and slots == prepared.slots):
        return readings  # no foreign reading, or the same as the rules' (a Hangul word)
    return (*readings, _another_reading(text, slots, _script_name(text), share))


def _another_reading(
    text: str, slots: tuple[Slot, ...], script: str, share: Callable[[Slot], Slot] | None
) -> PreparedName:
    slots = slots[:MOST_WORDS]
    if share is not None:
        slots = tuple(map(share, slots))
    return PreparedName(text, slots, script, *_slot_flags(slots))


def _latin_readings(
    prepared: PreparedName, share: Callable[[Slot], Slot] | None
) -> tuple[PreparedName, ...]:
    """A Latin name's other readings: with "Abd al-X" as one word (latin_arabic.py), a
    Chinese name written by Wade-Giles as pinyin (wade_giles.py), a Russian name
    written the German way as English-style lists write it (german_cyrillic.py), an
    Indonesian name in the old spelling in today's (indonesian_spelling.py), and a
    Korean name's syllables in one spelling whatever romanised them (korean_latin.py)."""
    slots = prepared.slots
    english = modern = None
    if _CONVENTION_MARKS.search(" ".join([slot[0] for slot in slots])):
        english = german_cyrillic.english_reading(slots)
        modern = indonesian_spelling.modern_reading(slots)
    readings = (
        ("latin", latin_arabic.joined_compounds(slots)),
        ("wade-giles", wade_giles.pinyin_reading(slots)),
        ("german-transliteration", english),
        ("old-indonesian", modern),
        ("korean-romanisations", korean_latin.korean_reading(slots)),
    )
    return tuple(
        _another_reading(prepared.original, tuple(map(_slot, read)), script, share)
        for script, read in readings
        if read is not None
    )


def _hyphens_joined(text: str, share: Callable[[Slot], Slot] | None) -> tuple[PreparedName, ...]:
    """A Latin name with a word of three hyphenated parts or more read with the parts as
    one word: "Prayut CHAN-O-CHA" is จันทร์โอชา, Chanocha, and the word comparison joins
    two words, not three. (Two parts, "Jong-un", it joins already.)"""
    if text.count("-") < HYPHENATED_PARTS - 1:  # most names
        return ()
    joined_text = _HYPHENATED.sub(lambda word: word.group(0).replace("-", ""), text)
    slots = _latin_folded(joined_text)[0] if joined_text != text else ()
    return (_another_reading(text, slots, "latin", share),) if slots else ()


def _particles_joined(
    prepared: PreparedName, share: Callable[[Slot], Slot] | None
) -> tuple[PreparedName, ...]:
    """A Latin name with two particles or more before a word read with them glued to it
    ("van der Berg" as "vanderberg"): the word comparison joins two words, not three, and
    "Pieter VanderBerg" met nothing of "VAN DER BERG Pieter"."""
    slots = prepared.slots
    out: list[Slot] = []
    run: list[str] = []  # glueable particles waiting for their word
    for slot in slots:
        if slot[0] in GLUED_PARTICLES:
            run.append(slot[0])
            continue
        if len(run) >= 2:
            out.append(("".join(run) + slot[0],))
        else:
            out.extend((word,) for word in run)
            out.append(slot)
        run = []
    out.extend((word,) for word in run)
    if len(out) == len(slots):
        return ()
    return (_another_reading(prepared.original, tuple(out), "latin", share),)


def _latin_folded(text: str) -> _Folded:
    """A name in Latin letters as slots, abbreviated given names spelled out too."""
    return _spelled_out(text, *(_ascii_name(text) if text.isascii() else _latin_name(text)))


def _spelled_out(text: str, slots: tuple[Slot, ...], particles: int, common: int) -> _Folded:
    """A Latin name with abbreviated given names spelled out too: Muhammad's
    (latin_arabic.py), those written with a stop, "Ma." for Maria, and Myanmar's "Mg"
    for Maung (abbreviations.py)."""
    spelled = abbreviations.spell_out_undotted(latin_arabic.spell_out_abbreviations(slots))
    if "." in text or "ª" in text:
        spelled = abbreviations.spell_out(spelled, abbreviations.dotted_abbreviations(text))
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
def total_weight(count: int, particles: int) -> float:
    """The sum of the slot weights (what the alignment's coverage is a share of)."""
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
