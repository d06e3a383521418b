"""Latin-side name normalisation: folding, passport conventions, titles, particles.

A name reaches this module already romanised (see ``transliterate``). We produce one or two
*folded forms* per name, each a tuple of lower-case ASCII tokens:

* the passport form, using the ICAO 9303 / German-Nordic conventions (ü→ue, ö→oe, ä→ae,
  ø→oe, å→aa, æ→ae, ß→ss, þ→th) that passports print in the MRZ, and
* the plain form, with diacritics simply dropped (ü→u).

Comparing both forms on both sides makes "Jürgen" ~ "Juergen" ~ "Jurgen" without making
"u" and "ue" equal everywhere. Honorifics and titles are dropped (never leaving a name
empty); particles (al-, bin, van, de ...) are kept as tokens but marked so the name
comparison can give them little weight.
"""

from __future__ import annotations

import re
import unicodedata

# Letters NFKD does not decompose, or that passports spell with two letters.
_PASSPORT_LETTERS = {
    "ä": "ae", "ö": "oe", "ü": "ue", "ø": "oe", "å": "aa", "æ": "ae", "œ": "oe",
    "ß": "ss", "þ": "th", "ð": "d", "đ": "d", "ħ": "h", "ł": "l", "ı": "i", "ŀ": "l",
    "ĳ": "ij", "ŉ": "n", "ſ": "s", "ŧ": "t",
}  # fmt: skip
_PLAIN_LETTERS = {
    "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "þ": "th", "ð": "d", "đ": "d", "ħ": "h",
    "ł": "l", "ı": "i", "ŀ": "l", "ĳ": "ij", "ŉ": "n", "ſ": "s", "ŧ": "t",
}  # fmt: skip

# Titles and honorifics, as folded token sequences. Longest first so "lok chumteav" wins
# over "lok". Khmer: Samdech (highest), Oknha (tycoon title), Lok Chumteav (Madam, wife of
# an official), Excellency; Arabic/Islamic: Sheikh, Haji (Hadji, El Hadj and Alhaji in
# French, Balkan and West African spellings), Sayyid, Mullah...; Thai: Khun,
# Nai, Nang; Malay: Tan Sri, Datuk, Dato'; plus the usual western and military ones.
# Single tokens that are also common surnames (Tan, Lok, Khun, Seri) appear only inside
# multi-token titles; risky ones (He, Ong, Ba, Amir, Imam, Don) are not titles here.
_TITLE_TEXT = """
samdech akka moha sena padei techo | samdech akka moha thamma pothisal | samdech techo |
samdech | oknha | okhna | neak oknha | lok chumteav | lok chumtiev | lok srey | lok oknha |
chumteav | excellency | his excellency | her excellency | ek oudom | ekkak oudom |
neak srey | preah | sheikh | shaikh | shaykh | sheik | cheikh | haji | hajji | hajj |
haj | hj | hjh | hajjah | hajah | al haj | al hajj | alhaj | alhajj | hadji | hadj |
el hadj | el hadji | alhaji | alhadji | sayyid | sayed | sayyed | mullah | mulla | maulana |
maulvi | mawlawi | moulvi | molvi | mawlana | syed | seyed | seyyed | sayid | prince |
princess | tan sri | puan sri |
datuk seri | dato seri | datuk | dato | datin | khun ying | nang sao | mr | mrs | ms |
miss | mister | madam | madame | mme | mlle | dr | doctor | prof | professor | sir | dame |
lord | lady | rev | reverend | jr | general | gen | lt | lieutenant | colonel | col |
major | maj | captain | capt | cpt | brigadier | admiral | sergeant | sgt | commander |
cmdr | herr | frau | senor | senora | sra | monsieur | gospodin
"""
_TITLES: tuple[tuple[str, ...], ...] = tuple(
    sorted((tuple(t.split()) for t in _TITLE_TEXT.split("|")), key=len, reverse=True)
)
_TITLE_FIRST_TOKENS = frozenset(title[0] for title in _TITLES)
# Titles written after the name: dropped even as its last word.
_SUFFIXES = frozenset({("jr",)})

# Name particles: kept (they are part of the name) but weighed lightly when comparing.
_PARTICLE_TEXT = """
al el ul ol ad ar as ash at az bin ibn bint binti binte bte ben ould walad van von der den
ter de del della dela di da das dos do du la le lo y e zu zum af av mac mc st
"""
PARTICLES = frozenset(_PARTICLE_TEXT.split())

# "al-", "el-", "ul-" glued to the next word in Arabic romanisations ("Al-Qadhafi",
# "Abd-al-Rahman"): split them so the stem can align on its own.
_GLUED_ARTICLE = re.compile(r"\b(al|el|ul|ad|ar|as|ash|at|az|ud|ur|us)-(?=\w)")
_SEPARATORS = re.compile(r"[^a-z0-9]+")
# Apostrophes (ASCII and typographic, ayn/hamza marks) join: "Mo’alim" is "Moalim".
_APOSTROPHES = str.maketrans(dict.fromkeys("'`’‘ʼʻʾʿ´"))


def fold_unicode(text: str) -> str:
    """NFKC then case-fold: the script-independent first step for every name."""
    return unicodedata.normalize("NFKC", text).casefold()


def _strip_marks(text: str, letters: dict[str, str]) -> str:
    mapped = "".join(letters.get(ch, ch) for ch in text)
    decomposed = unicodedata.normalize("NFKD", mapped)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def ascii_forms(latin_text: str) -> tuple[str, ...]:
    """The passport and plain ASCII spellings of an already-Latin, folded text (deduped)."""
    passport = _strip_marks(latin_text, _PASSPORT_LETTERS)
    plain = _strip_marks(latin_text, _PLAIN_LETTERS)
    return (passport,) if passport == plain else (passport, plain)


def tokenise(ascii_text: str) -> tuple[str, ...]:
    """Split an ASCII name on anything that is not a letter or digit; apostrophes join."""
    text = ascii_text.translate(_APOSTROPHES)
    text = _GLUED_ARTICLE.sub(r"\1 ", text)
    return tuple(t for t in _SEPARATORS.split(text) if t)


def drop_titles(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Remove honorifics and titles that stand before a name word, never emptying it.

    A title comes before the name it honours; the same word as the last word of a name
    is a family name ("Muhammad Fawzi HAJJI", "Ibrahim Amin SAYYED"), so it is kept.
    Suffixes (Jr) go wherever they are.
    """
    dropped = title_positions(tokens)
    kept = tuple(t for i, t in enumerate(tokens) if i not in dropped)
    return kept if kept else tokens


def title_positions(tokens: tuple[str, ...]) -> frozenset[int]:
    """The positions drop_titles leaves out (it may still keep them all: never empty)."""
    dropped: set[int] = set()
    i = 0
    while i < len(tokens):
        title = _title_at(tokens, i)
        if title and (i + title < len(tokens) or tokens[i : i + title] in _SUFFIXES):
            dropped.update(range(i, i + title))
            i += title
        else:
            i += 1
    return frozenset(dropped)


def _title_at(tokens: tuple[str, ...], i: int) -> int:
    if tokens[i] not in _TITLE_FIRST_TOKENS:  # the common case, kept cheap
        return 0
    for title in _TITLES:
        if tuple(tokens[i : i + len(title)]) == title:
            return len(title)
    return 0


def is_particle(token: str) -> bool:
    return token in PARTICLES


def may_start_title(token: str) -> bool:
    """Could a title start with this word? (The cheap test before title_positions.)"""
    return token in _TITLE_FIRST_TOKENS


def no_title_starts(tokens: list[str]) -> bool:
    """None of these words could start a title."""
    return _TITLE_FIRST_TOKENS.isdisjoint(tokens)


def is_title_word(token: str) -> bool:
    """A one-word title (kept by drop_titles only as a name's last word: "Bando HAJI")."""
    return token in _ONE_WORD_TITLES


_ONE_WORD_TITLES = frozenset(title[0] for title in _TITLES if len(title) == 1)


def latin_name_forms(latin_text: str) -> tuple[tuple[str, ...], ...]:
    """All folded token tuples of a Latin-script name (passport form first)."""
    forms: list[tuple[str, ...]] = []
    for text in ascii_forms(fold_unicode(latin_text)):
        tokens = drop_titles(tokenise(text))
        if tokens and tokens not in forms:
            forms.append(tokens)
    return tuple(forms)
