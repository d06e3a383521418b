"""Query generator for the matching evaluation: variations of listed people (positives)
and hard negatives. Deterministic for a given random.Random.

Variations are what happens between a watchlist and a checkpoint: typing and OCR slips,
family name first, a middle name left out, another romanisation, a nickname, a date of
birth written differently, an OCR-misread document number, the name in its own script.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from importlib import resources

from matching_watchlists import ListedPerson

from alertd.matching import DocumentInput, NameInput, Traveller
from alertd.matching.letter_groups import respelling
from alertd.matching.normalise import is_particle, is_title_word
from alertd.matching.tables import NICKNAMES_FILE, NameTables, parse_nicknames
from alertd.matching.wade_giles import pinyin_syllables, syllables_of, wade_giles_syllable


@dataclass(frozen=True)
class Query:
    kind: str
    traveller: Traveller
    target: str | None  # entry_id that should be found; None for negatives


@dataclass(frozen=True)
class Pools:
    given: tuple[str, ...]
    family: tuple[str, ...]
    spellings: dict[str, tuple[str, ...]]  # latin token -> other latin spellings
    nicknames: dict[str, tuple[str, ...]]


def build_pools(people: Sequence[ListedPerson], tables: NameTables) -> Pools:
    given, family = set(), set()
    for person in people:
        for name in person.entry.names:
            if name.given:
                given.update(name.given.lower().split())
            if name.family:
                family.update(name.family.lower().split())
    spellings: dict[str, set[str]] = {}
    for variants in tables.translit.values():
        if len(variants) > 1:
            for v in variants:
                spellings.setdefault(v, set()).update(w for w in variants if w != v)
    return Pools(
        tuple(sorted(g for g in given if len(g) > 2 and g.isalpha())),
        tuple(sorted(f for f in family if len(f) > 2 and f.isalpha())),
        {k: tuple(sorted(v)) for k, v in spellings.items()},
        {k: tuple(sorted(v)) for k, v in _shared_nicknames().items()},
    )


def _shared_nicknames() -> dict[str, frozenset[str]]:
    """The nickname pairs of ../shared/data (as packaged), not the matcher's own additions
    (diminutives.py): the evaluation's nickname variation keeps the same queries."""
    packaged = resources.files("alertd.matching") / "data" / NICKNAMES_FILE
    return parse_nicknames(packaged.read_text(encoding="utf-8"))


def _folded(token: str) -> str:
    return "".join(c for c in token.lower() if c.isalpha())


def _is_title(token: str) -> bool:
    return is_title_word(_folded(token))


def _is_particle(token: str) -> bool:
    return is_particle(_folded(token))


# --- name variations: str -> str | None (None when not applicable) ---------------------

OCR = {"o": "0", "i": "1", "l": "1", "s": "5", "b": "8", "z": "2", "g": "6", "m": "rn", "d": "cl"}
SPELLING_RULES = (
    ("ou", "u"), ("u", "ou"), ("y", "i"), ("i", "y"), ("ee", "i"), ("kh", "k"), ("k", "kh"),
    ("ph", "f"), ("f", "ph"), ("j", "dj"), ("c", "k"), ("mm", "m"), ("m", "mm"), ("ss", "s"),
    ("s", "ss"), ("ch", "sh"), ("e", "a"), ("a", "e"), ("o", "u"), ("sh", "ch"), ("q", "k"),
    ("dh", "d"), ("th", "t"), ("w", "v"), ("v", "w"), ("ie", "y"), ("tt", "t"),
)  # fmt: skip


def _tokens(name: str) -> list[str]:
    return name.split()


def _pick_long(tokens: list[str], rng: random.Random, min_len: int = 4) -> int | None:
    choices = [i for i, t in enumerate(tokens) if len(t) >= min_len]
    return rng.choice(choices) if choices else None


def typo(name: str, rng: random.Random, _p: Pools) -> str | None:
    tokens = _tokens(name)
    i = _pick_long(tokens, rng)
    if i is None:
        return None
    t = tokens[i]
    pos = rng.randrange(1, len(t))
    op = rng.choice(("sub", "del", "ins", "swap"))
    letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
    if op == "sub":
        t = t[:pos] + letter + t[pos + 1 :]
    elif op == "del":
        t = t[:pos] + t[pos + 1 :]
    elif op == "ins":
        t = t[:pos] + letter + t[pos:]
    elif pos < len(t) - 1:
        t = t[:pos] + t[pos + 1] + t[pos] + t[pos + 2 :]
    tokens[i] = t
    return " ".join(tokens)


def ocr(name: str, rng: random.Random, _p: Pools) -> str | None:
    tokens = _tokens(name)
    spots = [(i, j) for i, t in enumerate(tokens) for j, c in enumerate(t) if c.lower() in OCR]
    if not spots:
        return None
    i, j = rng.choice(spots)
    t = tokens[i]
    tokens[i] = t[:j] + OCR[t[j].lower()] + t[j + 1 :]
    return " ".join(tokens)


def order_swap(name: str, rng: random.Random, _p: Pools) -> str | None:
    tokens = _tokens(name)
    if len(tokens) < 2:
        return None
    return " ".join(tokens[-1:] + tokens[:-1])  # family name first (MRZ, Khmer, Chinese)


def drop_middle(name: str, rng: random.Random, _p: Pools) -> str | None:
    tokens = _tokens(name)
    if len(tokens) < 3 or _is_title(tokens[0]):
        return None  # "Hajj Fawaz AL-RAWI" -> "Hajj AL-RAWI" is a title and a surname
    del tokens[rng.randrange(1, len(tokens) - 1)]
    return " ".join(tokens)


def spelling(name: str, rng: random.Random, _p: Pools) -> str | None:
    """A romanisation-style respelling by a generic rule (not from our tables)."""
    tokens = _tokens(name)
    order = list(range(len(tokens)))
    rng.shuffle(order)
    rules = list(SPELLING_RULES)
    rng.shuffle(rules)
    for i in order:
        low = tokens[i].lower()
        for src, dst in rules:
            if src in low and len(low) >= 4:
                at = low.index(src)
                tokens[i] = low[:at] + dst + low[at + len(src) :]
                return " ".join(tokens)
    return None


def translit_pair(name: str, rng: random.Random, pools: Pools) -> str | None:
    """Another Latin spelling of the same native name word (Wikidata pairs)."""
    tokens = _tokens(name)
    spots = [i for i, t in enumerate(tokens) if t.lower() in pools.spellings]
    if not spots:
        return None
    i = rng.choice(spots)
    tokens[i] = rng.choice(pools.spellings[tokens[i].lower()])
    return " ".join(tokens)


def nickname(
    name: str, rng: random.Random, pools: Pools, given: frozenset[str] | None = None
) -> str | None:
    """A given name swapped for a nickname or formal form. Only given names: the table
    would make the Korean family name KIM "Kimberley" and the Arabic Ali "Alison"."""
    tokens = _tokens(name)
    spots = [
        i
        for i, t in enumerate(tokens)
        if t.lower() in pools.nicknames and (given is None or t.lower() in given)
    ]
    if not spots:
        return None
    i = rng.choice(spots)
    tokens[i] = rng.choice(pools.nicknames[tokens[i].lower()])
    return " ".join(tokens)


def mrz_form(name: str, rng: random.Random, _p: Pools) -> str | None:
    """Upper-case ASCII, family name first, diacritics folded as a passport does."""
    folded = unicodedata.normalize("NFKD", name.replace("ß", "ss"))
    plain = "".join(c for c in folded if not unicodedata.combining(c)).upper()
    tokens = plain.replace("-", " ").split()
    if len(tokens) < 2:
        return None
    return " ".join(tokens[-1:] + tokens[:-1])


def initial(name: str, rng: random.Random, _p: Pools) -> str | None:
    tokens = _tokens(name)
    if len(tokens) < 3:
        return None
    i = rng.randrange(0, len(tokens) - 1)
    tokens[i] = tokens[i][0]
    return " ".join(tokens)


def joined(name: str, rng: random.Random, _p: Pools) -> str | None:
    tokens = _tokens(name)
    if len(tokens) < 3:
        return None
    i = rng.randrange(0, len(tokens) - 1)
    return " ".join([*tokens[:i], tokens[i] + tokens[i + 1].lower(), *tokens[i + 2 :]])


# "Abd" + article + stem in three words ("Abd al-Rahman", "'Abd el Kader"), and in one
# ("Abdulrahman", "Abdurrahman": the article assimilated, its letter doubled).
_ABD_THREE = re.compile(
    r"'?\bAbd[\s-]+(al|el|ul|ar|as|ad|an|ash|at|az|ur|us|ud)[\s-]+'?(\w{3,})", re.IGNORECASE
)
_ABD_ONE = re.compile(r"\bAbd(?:ul|el|al|u(?=([tdrzsnl])\1))(\w{3,})\b", re.IGNORECASE)
_MUHAMMAD = re.compile(r"\b(muhammad|mohammed|mohamed|mohammad|muhammed|mohamad)\b", re.I)
_SUN = frozenset("tdrzsnl")
_ALLAH = frozenset({"la", "lla", "lah", "llah"})  # Abdullah is Abd Allah: no article


def arabic_convention(name: str, rng: random.Random, _p: Pools) -> str | None:
    """The name as other documents write an Arabic name: "Abd al-Rahman" as one word or
    two (Abdulrahman, Abdel Rahman, Abdurrahman) or one word as three, or Muhammad as
    Malaysian, Bruneian and Bangladeshi passports abbreviate it (Mohd, Muhd, Md)."""
    one_word = [m for m in _ABD_ONE.finditer(name) if m.group(2).lower() not in _ALLAH]
    spots = [*_ABD_THREE.finditer(name), *one_word, *_MUHAMMAD.finditer(name)]
    if not spots:
        return None
    spot = rng.choice(spots)
    if spot.re is _MUHAMMAD:
        written = rng.choice(("Mohd", "Muhd", "Md"))
    elif spot.re is _ABD_THREE:
        stem = spot.group(2).lower()
        forms = ["Abdul" + stem, "Abdel" + stem, "Abdul " + stem.title(), "Abdel " + stem.title()]
        if stem[0] in _SUN:
            forms.append("Abdu" + stem[0] + stem)
        written = rng.choice(forms)
    else:
        stem = spot.group(2).lower()
        if stem[:1] == stem[1:2] and stem[0] in _SUN:
            stem = stem[1:]  # Abdurrahman: the article's letter was the stem's, doubled
        written = f"Abd {rng.choice(('al', 'el'))}-{stem.title()}"
    return name[: spot.start()] + written + name[spot.end() :]


NAME_VARIATIONS: dict[str, Callable[[str, random.Random, Pools], str | None]] = {
    "typo": typo,
    "ocr_name": ocr,
    "order_swap": order_swap,
    "drop_middle": drop_middle,
    "spelling_variant": spelling,
    "translit_pair": translit_pair,
    "nickname": nickname,
    "mrz_form": mrz_form,
    "initial": initial,
    "joined": joined,
}


def wade_giles(name: str, rng: random.Random, _p: Pools) -> str | None:
    """A Chinese name written in pinyin ("XU Zhiming") as a Taiwanese passport writes it
    by Wade-Giles ("HSU Chih-ming"): pypinyin's syllables, with alertd's corrections of
    its slips (wade_giles.PYPINYIN_SLIPS: "hei" for hai is no passport's spelling), a
    joined given name hyphenated. Only names whose every word is pinyin, one syllable or
    two, and that Wade-Giles spells differently."""
    words = []
    for token in _tokens(name):
        parts = _pinyin_parts(token.lower())
        if parts is None:
            return None
        spelled = "-".join(wade_giles_syllable(p) for p in parts)
        words.append(spelled.upper() if token.isupper() else spelled.capitalize())
    varied = " ".join(words)
    return varied if varied.lower() != name.lower() else None


def _pinyin_parts(word: str) -> tuple[str, ...] | None:
    """The pinyin syllables of a word (one, or two written together); an initial is none."""
    return syllables_of(word, pinyin_syllables()) if len(word) > 1 else None


# Endings of Russian, Ukrainian and Belarusian family names and patronymics as English-style
# lists write them: a name with such a word is taken for one romanised from Cyrillic.
_CYRILLIC_ENDINGS = (
    "ov", "ev", "ova", "eva", "ovich", "evich", "ovna", "evna", "sky", "skiy", "skaya",
    "enko", "chuk", "yuk",
)  # fmt: skip
# English-style letter groups as German transliteration writes them, longest first (the
# inverse of german_cyrillic.GERMAN_TO_ENGLISH, written separately so that the bench does
# not test the reading against itself).
_ENGLISH_TO_GERMAN = tuple((english, (german,)) for english, german in (
    ("shch", "schtsch"), ("zh", "sch"), ("sh", "sch"), ("kh", "ch"), ("ch", "tsch"),
    ("ts", "z"), ("v", "w"), ("z", "s"), ("ya", "ja"), ("ye", "je"), ("yo", "jo"),
    ("yu", "ju"), ("iy", "ij"), ("yy", "yj"),
))  # fmt: skip
_LATIN_VOWELS = frozenset("aeiou")


def german_cyrillic(name: str, _rng: random.Random, _p: Pools) -> str | None:
    """A Russian name as an English-style list writes it ("Nikita KHRUSHCHEV") as a German
    document writes it (Duden: "Nikita CHRUSCHTSCHOW"): kh as ch, ch as tsch, sh and zh
    as sch, v as w, ts as z, y before a vowel as j and last as i, a single s between
    vowels doubled.
    Only names with a word ending as Russian family names and patronymics do."""
    tokens = _tokens(name)
    if not any(t.lower().endswith(_CYRILLIC_ENDINGS) for t in tokens):
        return None
    words = []
    for token in tokens:
        german = _german_word(token.lower())
        words.append(german.upper() if token.isupper() else german.capitalize())
    varied = " ".join(words)
    return varied if varied.lower() != name.lower() else None


def _german_word(word: str) -> str:
    return respelling(word, _ENGLISH_TO_GERMAN, _german_letter)


def _german_letter(word: str, i: int) -> tuple[str, ...]:
    letter = word[i]
    if letter == "y" and i == len(word) - 1:
        return ("i",)  # Georgy, Vasily: Georgi, Wassili (ы between consonants stays y)
    between = 0 < i < len(word) - 1 and {word[i - 1], word[i + 1]} <= _LATIN_VOWELS
    return ("ss",) if letter == "s" and between else (letter,)


# Today's Indonesian letter groups as the spelling before 1972 (and "u" before 1947) wrote
# them, longest first.
_MODERN_TO_OLD = tuple((modern, (old,)) for modern, old in (
    ("ch", "ch"), ("sy", "sj"), ("ny", "nj"), ("kh", "ch"), ("u", "oe"), ("c", "tj"), ("j", "dj"),
    ("y", "j"),
))  # fmt: skip


def indonesian_spelling(name: str, _rng: random.Random, _p: Pools) -> str | None:
    """An Indonesian name in today's spelling ("Abu Bakar BA'ASYIR", "Yusuf") as the
    spelling before 1972 wrote it, which many keep ("Ba'asjir", "Joesoef"): every word.
    Asked only of listed Indonesians (CONVENTION_NATIONALITIES)."""
    words = []
    for token in _tokens(name):
        old = respelling(token.lower(), _MODERN_TO_OLD)
        words.append(old.upper() if token.isupper() else old.capitalize())
    varied = " ".join(words)
    return varied if varied.lower() != name.lower() else None


# A North Korean name as the UN list and McCune-Reischauer write it, against Revised
# Romanisation (South Korean documents): family names by custom, and in given names the
# plain consonants MR writes unvoiced at a word's start voiced (k g, t d, p b, ch j), ㅓ
# (MR o) as eo and ㅡ (MR u) as eu. MR's o and u may be ㅗ and ㅜ too, and its k ㅋ, so
# each is rewritten only at the odds below. Written apart from alertd's korean_latin.py,
# so that the bench does not test the reading against itself.
_MR_TO_RR_FAMILY = {
    "ri": "lee", "pak": "park", "choe": "choi", "o": "oh", "jon": "jeon", "chon": "jeon",
    "jong": "jeong", "chong": "jeong", "hyon": "hyeon", "rim": "im", "ro": "no", "ryu": "yu",
    "paek": "baek", "mun": "moon", "yun": "yoon", "chang": "jang", "cho": "jo", "ko": "go",
    "so": "seo", "sin": "shin", "pae": "bae", "ju": "joo", "ra": "na", "kim": "kim",
    "hwang": "hwang", "han": "han", "kang": "kang", "song": "song", "yang": "yang",
    "hong": "hong", "ryang": "yang", "kye": "gye", "thae": "tae", "pyon": "byeon",
}  # fmt: skip
_MR_SYLLABLE = re.compile(
    r"(ch|th|kh|ph|[kgtdpbjsmnrlh]?)(yo|wo|wa|ae|oe|ui|[aeiou])(ng|[kntlmp]?)"
)
_VOICED = {"k": "g", "t": "d", "p": "b", "ch": "j", "th": "t", "kh": "k", "ph": "p"}
_RR_VOWELS = {"o": "eo", "yo": "yeo", "u": "eu"}
_RR_ODDS = {"g": 0.8, "d": 0.8, "b": 0.8, "j": 0.7, "eo": 0.5, "yeo": 0.5, "eu": 0.3}


def korean_romanisation(name: str, rng: random.Random, _p: Pools) -> str | None:
    """A North Korean name as listed ("KIM Yong-chol", "RI Pyong Chol") as a South Korean
    document writes it by the Revised Romanisation ("Kim Yeong-cheol", "Lee Byeong-cheol"):
    the family name by custom (_MR_TO_RR_FAMILY), each given-name syllable rewritten at
    the odds of _RR_ODDS, joined with a hyphen. Only names of a known family name first
    and one to three syllables more. Asked only of listed Koreans
    (CONVENTION_NATIONALITIES)."""
    words = [w.lower() for w in _tokens(name.replace("-", " ").replace("'", ""))]
    if not 2 <= len(words) <= 4 or words[0] not in _MR_TO_RR_FAMILY:
        return None
    syllables = []
    for word in words[1:]:
        parts = _MR_SYLLABLE.fullmatch(word)
        if parts is None:
            return None
        initial, vowel, final = parts.groups()
        syllables.append(_rr(initial, _VOICED, rng) + _rr(vowel, _RR_VOWELS, rng) + final)
    varied = f"{_MR_TO_RR_FAMILY[words[0]].capitalize()} {'-'.join(syllables).capitalize()}"
    return varied if varied.lower() != name.lower() else None


def _rr(letters: str, rewritten: dict[str, str], rng: random.Random) -> str:
    """``letters`` as RR may write them: rewritten at its odds (always, without any)."""
    new = rewritten.get(letters)
    return new if new is not None and rng.random() < _RR_ODDS.get(new, 1.0) else letters


# Variations measured in a table of their own (bench/matching.py, "(a4)"), with their own
# random stream: the tables above keep their queries.
CONVENTION_VARIATIONS: dict[str, Callable[[str, random.Random, Pools], str | None]] = {
    "arabic_convention": arabic_convention,
    "wade_giles": wade_giles,
    "german_cyrillic": german_cyrillic,
    "indonesian_spelling": indonesian_spelling,
    "korean_romanisation": korean_romanisation,
}
# Conventions of one country's names: asked only of people listed with its nationality.
CONVENTION_NATIONALITIES: dict[str, frozenset[str]] = {
    "indonesian_spelling": frozenset({"IDN"}),
    "korean_romanisation": frozenset({"PRK", "KOR"}),
}

# --- the other features -------------------------------------------------------------------


def vary_date(dob: str, rng: random.Random) -> str | None:
    parts = dob.split("-")
    year = int(parts[0])
    choice = rng.choice(("year_off", "swap", "year_only", "jan1"))
    if choice == "year_off":
        return "-".join([str(year + rng.choice((-1, 1))), *parts[1:]])
    if choice == "swap" and len(parts) == 3 and int(parts[2]) <= 12 and parts[1] != parts[2]:
        return f"{parts[0]}-{parts[2]}-{parts[1]}"
    if choice == "year_only" and len(parts) > 1:
        return parts[0]
    if len(parts) == 1:
        return f"{year}-01-01"
    return "-".join([str(year + 1), *parts[1:]])


def vary_document(number: str, rng: random.Random) -> str:
    swaps = {"0": "O", "O": "0", "1": "I", "I": "1", "5": "S", "S": "5", "8": "B", "B": "8"}
    spots = [i for i, c in enumerate(number) if c in swaps]
    if spots and rng.random() < 0.7:
        i = rng.choice(spots)
        return number[:i] + swaps[number[i]] + number[i + 1 :]
    i = rng.randrange(len(number))
    return number[:i] + rng.choice("0123456789") + number[i + 1 :]


def base_traveller(person: ListedPerson, rng: random.Random) -> tuple[Traveller, str]:
    """What the counter would have for this person, before any variation."""
    entry = person.entry
    name = rng.choice(entry.names).full
    return (
        Traveller(
            names=(NameInput(name),),
            date_of_birth=entry.dates_of_birth[0] if entry.dates_of_birth else None,
            nationality=entry.nationalities[0] if entry.nationalities else None,
            sex=entry.sex,
        ),
        name,
    )


def _given_words(person: ListedPerson, full: str) -> frozenset[str]:
    """The given-name words of the listed name ``full`` (none when the list does not say)."""
    for name in person.entry.names:
        if name.full == full and name.given:
            return frozenset(name.given.lower().split())
    return frozenset()


def positive(
    person: ListedPerson, kinds: Sequence[str], rng: random.Random, pools: Pools
) -> Query | None:
    traveller, name = base_traveller(person, rng)
    given = _given_words(person, name)
    for kind in kinds:
        nationalities = CONVENTION_NATIONALITIES.get(kind)
        if nationalities is not None and nationalities.isdisjoint(person.entry.nationalities):
            return None
        if kind == "nickname":
            varied = nickname(name, rng, pools, given)
            if varied is None or varied == name:
                return None
            name = varied
        elif kind in NAME_VARIATIONS or kind in CONVENTION_VARIATIONS:
            varied = {**NAME_VARIATIONS, **CONVENTION_VARIATIONS}[kind](name, rng, pools)
            if varied is None or varied == name:
                return None
            name = varied
        elif kind == "date":
            if not traveller.date_of_birth:
                return None
            traveller = replace(traveller, date_of_birth=vary_date(traveller.date_of_birth, rng))
        elif kind == "document_ocr":
            if not person.entry.documents:
                return None
            doc = person.entry.documents[0]
            varied_doc = DocumentInput(doc.type, vary_document(doc.number, rng), doc.country)
            traveller = replace(traveller, documents=(varied_doc,))
        elif kind == "native_script":
            if not person.native_names:
                return None
            name = person.native_names[0]
    traveller = replace(traveller, names=(NameInput(name),))
    return Query("+".join(kinds), traveller, person.entry.entry_id)


# --- hard negatives -----------------------------------------------------------------------


def _far_date(dates: Sequence[str], rng: random.Random) -> str:
    years = [int(d[:4]) for d in dates]
    while True:
        year = rng.randrange(1940, 2005)
        if all(abs(year - y) >= 5 for y in years):
            return f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"


def negative(person: ListedPerson, kind: str, rng: random.Random, pools: Pools) -> Query | None:
    entry = person.entry
    traveller, name = base_traveller(person, rng)
    if kind == "same_name_distant_dob":
        if not entry.dates_of_birth:
            return None
        traveller = replace(traveller, date_of_birth=_far_date(entry.dates_of_birth, rng))
    elif kind == "same_dob_different_name":
        if not entry.dates_of_birth:
            return None
        other = f"{rng.choice(pools.given).title()} {rng.choice(pools.family).upper()}"
        traveller = replace(traveller, names=(NameInput(other),))
    elif kind == "near_name":
        tokens = name.split()
        words = [i for i, t in enumerate(tokens) if not _is_particle(t)]
        if len(tokens) < 2 or not words:
            return None
        i = rng.choice(words)  # a name word: "de" -> "Demetrio" adds a middle name
        pool = pools.family if i == len(tokens) - 1 else pools.given
        tokens[i] = rng.choice(pool).title()
        traveller = replace(
            traveller,
            names=(NameInput(" ".join(tokens)),),
            date_of_birth=_far_date(entry.dates_of_birth, rng) if entry.dates_of_birth else None,
        )
    elif kind == "common_name":
        common = rng.choice(COMMON_NAMES)
        traveller = Traveller(
            names=(NameInput(common),),
            date_of_birth=f"{rng.randrange(1950, 2005)}-{rng.randrange(1, 13):02d}-"
            f"{rng.randrange(1, 29):02d}",
            nationality=rng.choice(("KHM", "THA", "VNM", "LAO", "CHN", "MMR", "IDN")),
            sex=rng.choice(("M", "F")),
        )
    return Query(kind, traveller, None)


# Frequent names in the region the product serves and in the lists (invented people).
COMMON_NAMES = (
    "Sok Chan", "Chan Dara", "Sophea Kim", "Nguyen Van Anh", "Tran Thi Mai", "Le Van Hung",
    "Somchai Saetang", "Malee Srisuk", "Mohammed Ali", "Ahmed Hassan", "Ali Khan",
    "Maria Garcia", "John Smith", "Wang Wei", "Li Na", "Zhang Wei", "Kim Min-jun",
    "Somsak Phommachanh", "Aung Kyaw", "Siti Nurhaliza", "Muhammad Abdullah", "Omar Ahmed",
    "Seng Heng", "Chea Sophal", "Heng Sreymom", "Ly Vanna", "Pham Minh Tuan", "Hoang Thu Ha",
)  # fmt: skip

NEGATIVE_KINDS = ("same_name_distant_dob", "same_dob_different_name", "near_name", "common_name")
