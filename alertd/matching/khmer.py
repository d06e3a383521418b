"""Khmer names to the Latin spellings Cambodian passports and watchlists use.

There is no good Khmer romaniser to reuse: ICU has no Khmer-Latin transform and
character-by-character tools (anyascii, unidecode) give "hon saen" for ហ៊ុន សែន. Passports
follow a French-derived convention (UNGEGN-like): two consonant series (the first series
reads an "a" vowel, the second an "o"), "ch/chh/nh/ph/th/kh" digraphs, a silent final "r".
This module does that in two steps:

1. a table of common Khmer surnames and given names with their conventional spelling
   (Hun Sen, Sok, Chan, Sam Rainsy, Chea, Heng, Meas, Kim, Ly, Seng, Sao ...), and
2. for any other word, a syllable-by-syllable rule romaniser over consonants, series
   shifters, subscripts, vowels and final consonants.

The rules are an approximation: Khmer spelling-to-sound is irregular, so the name
comparison downstream is fuzzy and phonetic on purpose.
"""

from __future__ import annotations

# Common Khmer name words -> conventional Latin spellings (first is the usual one).
KHMER_NAMES: dict[str, tuple[str, ...]] = {
    "ហ៊ុន": ("hun",), "សែន": ("sen",), "សុខ": ("sok", "sokh"), "ចាន់": ("chan",),
    "សម": ("sam",), "រង្ស៊ី": ("rainsy", "rangsi"), "ជា": ("chea",), "ហេង": ("heng",),
    "មាស": ("meas",), "គីម": ("kim",), "លី": ("ly", "lee"), "សេង": ("seng",),
    "សៅ": ("sao",), "ស៊ីម": ("sim",), "ខៀវ": ("khieu",), "សំផន": ("samphan",),
    "នួន": ("nuon",), "ប៉ុល": ("pol",), "ពត": ("pot",), "អៀង": ("ieng",),
    "សារី": ("sary",), "ធីរិទ្ធ": ("thirith",), "ម៉ាណែត": ("manet",), "ម៉ានែត": ("manet",),
    "ឈឹម": ("chhim",), "ទេព": ("tep",), "ស៊ុន": ("sun",), "ញឹក": ("nhek",),
    "ប៊ុនឆាយ": ("bunchhay", "bun chhay"), "កឹម": ("kem",), "សុខា": ("sokha",),
    "ព្រំ": ("prum", "prom"), "ស្រី": ("srey",), "ចន្ទា": ("chantha",), "ដារ៉ា": ("dara",),
    "សុភា": ("sophea",), "សុផល": ("sophal",), "វណ្ណា": ("vanna",), "រតនា": ("ratana", "rattana"),
    "សុវណ្ណ": ("sovann",), "ពិសិដ្ឋ": ("piseth",), "សំណាង": ("samnang",), "ច័ន្ទ": ("chan",),
    "ឆាយ": ("chhay", "chhai"), "ហួត": ("huot",), "ប៊ុន": ("bun",), "ទូច": ("touch",),
    "ម៉ៅ": ("mao",), "ផល": ("phal",), "លឹម": ("lim",), "អ៊ុក": ("ouk",), "អ៊ុំ": ("um",),
    "ឃឹម": ("khim",), "ឡុង": ("long",), "សួន": ("suon",), "គង់": ("kong",),
    "ពេជ្រ": ("pich",), "ចំរើន": ("chamroeun",), "ចម្រើន": ("chamroeun",),
    "ធារ៉ា": ("theara",), "វិចិត្រ": ("vichet",), "សុជាតិ": ("socheat",), "កុសល": ("kosal",),
    "ម៉ម": ("mom",), "ចេង": ("cheng",), "ង៉ែត": ("ngeth",), "តាំង": ("taing",),
    "ប៊ុត": ("but",), "យឹម": ("yim",), "ហ៊ាន": ("hean",), "ម៉េង": ("meng",),
    "ឡាយ": ("lay",), "ណារិទ្ធ": ("narith",), "សុភាព": ("sopheap",), "សុខុម": ("sokhom",),
    "ឧត្តម": ("oudom",), "វាសនា": ("veasna",), "បុប្ផា": ("bopha",), "ស្រីមុំ": ("sreymom",),
    "ស្រីនិច": ("sreynich",), "ធីតា": ("thida",), "ច័ន្ទធី": ("chanthy",), "ពៅ": ("pov",),
    "តុលា": ("tola",), "សុគន្ធ": ("sokun",), "វិបុល": ("vibol",), "រិទ្ធី": ("rithy",),
    "ខេមរា": ("khemara",), "បូរ៉ា": ("bora",), "ស៊ីថា": ("sitha",), "ចិន្តា": ("chenda",),
    "អ៊ុយ": ("uy",), "គួច": ("kouch",), "ឈុន": ("chhun",), "ខាត់": ("khat",),
    "ទៀ": ("tea",), "បាញ់": ("banh",), "ស៊ាន": ("sean",), "ឃុន": ("khun",),
}  # fmt: skip

# Consonant -> (initial spelling, final spelling, series) ; series 1 reads "a", 2 reads "o".
_CONSONANTS: dict[str, tuple[str, str, int]] = {
    "ក": ("k", "k", 1), "ខ": ("kh", "k", 1), "គ": ("k", "k", 2), "ឃ": ("kh", "k", 2),
    "ង": ("ng", "ng", 2), "ច": ("ch", "ch", 1), "ឆ": ("chh", "ch", 1), "ជ": ("ch", "ch", 2),
    "ឈ": ("chh", "ch", 2), "ញ": ("nh", "nh", 2), "ដ": ("d", "t", 1), "ឋ": ("th", "t", 1),
    "ឌ": ("d", "t", 2), "ឍ": ("th", "t", 2), "ណ": ("n", "n", 1), "ត": ("t", "t", 1),
    "ថ": ("th", "t", 1), "ទ": ("t", "t", 2), "ធ": ("th", "t", 2), "ន": ("n", "n", 2),
    "ប": ("b", "p", 1), "ផ": ("ph", "p", 1), "ព": ("p", "p", 2), "ភ": ("ph", "p", 2),
    "ម": ("m", "m", 2), "យ": ("y", "y", 2), "រ": ("r", "", 2), "ល": ("l", "l", 2),
    "វ": ("v", "v", 2), "ឝ": ("s", "s", 1), "ឞ": ("s", "s", 1), "ស": ("s", "s", 1),
    "ហ": ("h", "h", 1), "ឡ": ("l", "l", 1), "អ": ("", "", 1),
}  # fmt: skip

# Dependent vowel signs (and sequences) -> (first-series, second-series) spellings.
_VOWELS: dict[str, tuple[str, str]] = {
    "ា": ("a", "ea"), "ិ": ("e", "i"), "ី": ("ei", "i"), "ឹ": ("oe", "ue"), "ឺ": ("eu", "ue"),
    "ុ": ("o", "u"), "ូ": ("ou", "u"), "ួ": ("uo", "uo"), "ើ": ("aeu", "eu"),
    "ឿ": ("oea", "oea"), "ៀ": ("ie", "ie"), "េ": ("e", "e"), "ែ": ("ae", "ae"),
    "ៃ": ("ai", "ey"), "ោ": ("ao", "o"), "ៅ": ("ao", "ov"), "ំ": ("am", "um"),
    "ាំ": ("am", "oam"), "ុំ": ("om", "um"), "ះ": ("ah", "eah"), "ុះ": ("oh", "uh"),
    "េះ": ("eh", "eh"), "ោះ": ("oh", "uoh"), "ិះ": ("eh", "ih"), "ាំង": ("aing", "eang"),
}  # fmt: skip

_INDEPENDENT_VOWELS: dict[str, str] = {
    "ឥ": "e", "ឦ": "ei", "ឧ": "o", "ឩ": "ou", "ឪ": "ov", "ឫ": "rue", "ឬ": "rue",
    "ឭ": "lue", "ឮ": "lue", "ឯ": "ae", "ឰ": "ai", "ឱ": "ao", "ឲ": "ao", "ឳ": "au",
}  # fmt: skip

_COENG = "\u17d2"  # the sign that puts the next consonant below (a cluster)
_TO_FIRST_SERIES = "\u17c9"  # musikatoan: ម៉ ន៉ ... read with the first series
_TO_SECOND_SERIES = "\u17ca"  # triisap: ហ៊ ស៊ ប៊ អ៊ read with the second series
_SILENT_SIGNS = frozenset("\u17cb\u17cc\u17cd\u17ce\u17cf\u17d0\u17d1\u17dd")  # bantoc etc.
_INHERENT = ("a", "o")  # closed syllable without a written vowel


def name_spellings() -> list[tuple[str, ...]]:
    """The Latin spellings of each name word of the table that has several (Rainsy and
    Rangsi are one name, រង្ស៊ី; Sok and Sokh): for comparing names written in Latin
    letters, as the Wikidata pairs' spellings of one native word are. One-word spellings
    only ("Bunchhay", not "Bun Chhay")."""
    groups: list[tuple[str, ...]] = []
    for spellings in KHMER_NAMES.values():
        words = tuple(s for s in spellings if " " not in s)
        if len(words) > 1:
            groups.append(words)
    return groups


# The vowel ោ ends a word as "ao" or "o" by the rules (first or second series), but
# passports write it with the silent final "r" as "or": ហោ ណាំហុង is HOR Namhong, ឆោ
# Chhor, គោ Kor.
_O_LAST = "ោ"
_O_RULES, _O_PASSPORT = ("ao", "o"), "or"


def romanise_khmer_word(word: str) -> tuple[str, ...]:
    """Latin spellings of one Khmer word (table first, rules otherwise)."""
    known = KHMER_NAMES.get(word)
    if known:
        return known
    spelling = _romanise_by_rules(word)
    if word.endswith(_O_LAST):
        for rules in _O_RULES:
            if spelling.endswith(rules):
                return spelling, spelling[: -len(rules)] + _O_PASSPORT
    return (spelling,)


def _romanise_by_rules(word: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(word):
        ch = word[i]
        if ch in _CONSONANTS:
            text, i = _syllable(word, i)
            out.append(text)
        elif ch in _INDEPENDENT_VOWELS:
            out.append(_INDEPENDENT_VOWELS[ch])
            i += 1
        else:
            i += 1  # punctuation, digits, signs out of place: nothing to say
    return "".join(out)


def _syllable(word: str, i: int) -> tuple[str, int]:
    """Romanise the syllable starting at consonant ``word[i]``; return text and next index."""
    onset, _final, series = _CONSONANTS[word[i]]
    i += 1
    while i + 1 < len(word) and word[i] == _COENG and word[i + 1] in _CONSONANTS:
        sub_onset, _, sub_series = _CONSONANTS[word[i + 1]]
        onset += sub_onset
        series = sub_series if word[i + 1] in "ងញនមយរលវ" and series == 1 else series
        i += 2
    while i < len(word) and word[i] in (_TO_FIRST_SERIES, _TO_SECOND_SERIES):
        series = 1 if word[i] == _TO_FIRST_SERIES else 2
        if onset == "b" and word[i] == _TO_FIRST_SERIES:
            onset = "p"  # ប៉ is the "p" of loanwords and names (Pol)
        i += 1
    vowel, i = _vowel(word, i, series)
    final, i = _final_consonant(word, i)
    if not vowel and final:
        vowel = _INHERENT[series - 1]
    elif not vowel and not final:
        vowel = "a" if series == 1 else "o"
    return onset + vowel + final, i


def _vowel(word: str, i: int, series: int) -> tuple[str, int]:
    for length in (3, 2, 1):
        sign = word[i : i + length]
        if len(sign) == length and sign in _VOWELS:
            return _VOWELS[sign][series - 1], i + length
    return "", i


def _final_consonant(word: str, i: int) -> tuple[str, int]:
    """A consonant closes this syllable unless a vowel or a subscript follows it."""
    if i >= len(word) or word[i] not in _CONSONANTS:
        return "", _skip_signs(word, i)
    nxt = word[i + 1] if i + 1 < len(word) else ""
    if nxt and (nxt in _VOWELS or nxt == _COENG or nxt in (_TO_FIRST_SERIES, _TO_SECOND_SERIES)):
        return "", i
    return _CONSONANTS[word[i]][1], _skip_signs(word, i + 1)


def _skip_signs(word: str, i: int) -> int:
    while i < len(word) and word[i] in _SILENT_SIGNS:
        i += 1
    return i
