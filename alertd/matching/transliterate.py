"""Names in other scripts to the Latin spellings that passports and watchlists use.

A name becomes a sequence of *slots*, one per word, each a tuple of alternative Latin
spellings (commonest first): محمد -> ("mohammed", "muhammad", "mohammad", "mehmet").
Choices, measured by bench/matching_translit.py (see the README of this package):

* Han: pypinyin, with the family name split off (one character, or two for compound
  family names) and heteronym family names read as names ("单" Shan, "曾" Zeng); the
  given name joined as passports print it: 习近平 -> xi jinping; Wade-Giles too
  (Taiwanese passports, older lists: 蔡 Tsai, 毛泽东 Mao Tsetung). A whole token found in
  the Wikidata table (foreign names: 普京 -> putin) uses the table.
* Hangul: hangul.py (family-name table + Revised Romanisation, with a North variant).
* Khmer: khmer.py (name table + rules); no library romanises Khmer usefully.
* Arabic script: arabic.py (common-name table, the Wikidata table, vowelled and
  consonantal readings). Cyrillic: the Wikidata table first, else a rule table
  (ICAO 9303 / BGN).
* Thai: thai.py (RTGS by syllable rules), pythainlp's royin romanisation (optional
  dependency) and anyascii.
* Devanagari, Bengali, Gurmukhi and the other South Asian scripts: their consonants by
  Unicode name, with the vowel they leave unwritten read (and dropped where Hindi does
  not say it): नरेन्द्र -> narendra, रहमान -> rahman.
* Lao: lao.py (the Lao government's French-influenced spellings by syllable rules:
  Sisoulith, Sonexay, Phongsavanh; with plainer forms), and anyascii.
* Every other script: anyascii. Vietnamese is Latin: diacritics fold later.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from anyascii import anyascii

from alertd.matching import cantonese
from alertd.matching.arabic import consonantal_spelling, romanise_arabic
from alertd.matching.hangul import (
    is_hangul_syllable,
    romanise_korean_name,
    romanise_syllables,
    with_north_variant,
)
from alertd.matching.khmer import romanise_khmer_word
from alertd.matching.lao import romanise_lao_word
from alertd.matching.tables import NameTables, fold_native
from alertd.matching.thai import PASSPORT_LETTERS, romanise_thai_word
from alertd.matching.wade_giles import wade_giles_syllable

Slot = tuple[str, ...]

_CYRILLIC_PLAIN = (
    "а a б b в v г g д d е e з z и i й i к k л l м m н n о o п p р r с s т t у u ф f ы y э e"
)
_CYRILLIC_ICAO = dict(zip(*[iter(_CYRILLIC_PLAIN.split())] * 2, strict=True))
_CYRILLIC_ICAO.update(
    {"ё": "e", "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
     "ъ": "ie", "ь": "", "ю": "iu", "я": "ia", "і": "i", "ї": "i", "є": "ie", "ґ": "g",
     "ў": "u", "ђ": "dj", "ћ": "c", "џ": "dz", "љ": "lj", "њ": "nj", "ј": "j", "ѕ": "dz"}
)  # fmt: skip
# Letters of the Cyrillic alphabets of Kazakh, Kyrgyz, Tajik, Uzbek, Bashkir and Tatar,
# as those countries' passports spell them (Тоқаев TOKAYEV, Раҳмон RAHMON, Ғайрат GAIRAT).
_CYRILLIC_ICAO.update(
    {"ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h",
     "ҳ": "h", "ҷ": "j", "ӯ": "u", "ӣ": "i", "ҡ": "k", "ҙ": "z", "ҫ": "s", "ӑ": "a",
     "ӗ": "e", "ӧ": "o", "ӱ": "u", "ӓ": "a"}
)  # fmt: skip
# BGN/PCGN differs from ICAO where lists most often differ from passports.
_CYRILLIC_BGN = dict(_CYRILLIC_ICAO)
_CYRILLIC_BGN.update({"й": "y", "ю": "yu", "я": "ya", "ъ": "", "ё": "yo", "є": "ye",
                      "ғ": "gh", "қ": "q", "ҳ": "kh", "ө": "ö", "ү": "ü"})  # fmt: skip
# ...and writes е as "ye" where it is said so: first in a word and after a vowel or a
# hard or soft sign (Yelena, Sergeyev, Tokayev, Aliyev).
_CYRILLIC_YE_AFTER = frozenset("аеёиоуыэюяіїєъьәөұүӯ")

# Family names read differently from the character's everyday reading.
_HAN_FAMILY_READINGS = {
    "单": "shan", "單": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "区": "ou", "區": "ou",
    "查": "zha", "朴": "piao", "盖": "ge", "蓋": "ge", "缪": "miao", "繆": "miao", "翟": "zhai",
    "乐": "yue", "樂": "yue", "覃": "qin", "任": "ren", "华": "hua", "華": "hua", "曲": "qu",
    "种": "chong", "秘": "bi", "燕": "yan", "纪": "ji", "紀": "ji", "沈": "shen", "石": "shi",
    "薄": "bo", "召": "shao", "过": "guo", "過": "guo", "黑": "he", "祭": "zhai", "隗": "wei",
    "尉": "yu", "长": "chang", "長": "chang", "重": "chong", "藏": "zang", "员": "yun",
}  # fmt: skip
_HAN_COMPOUND_TEXT = """
欧阳 歐陽 司马 司馬 诸葛 諸葛 上官 司徒 东方 東方 独孤 獨孤 慕容 皇甫 夏侯 公孙 公孫 令狐
宇文 长孙 長孫 尉迟 尉遲 端木 澹台 轩辕 軒轅 西门 西門 南宫 南宮
"""
_HAN_COMPOUND_FAMILY = frozenset(_HAN_COMPOUND_TEXT.split())
_HAN_NAME_SEPARATORS = "·•‧・.．"

# Khmer honorifics, dropped before romanising (Latin ones are dropped in normalise.py).
_KHMER_TITLES = (
    "អ្នកឧកញ៉ា", "ឧកញ៉ា", "លោកជំទាវ", "សម្តេចតេជោ", "សម្ដេចតេជោ", "សម្តេច", "សម្ដេច",
    "ឯកឧត្តម", "លោកស្រី", "អ្នកស្រី", "លោក", "កញ្ញា", "ព្រះករុណា",
)  # fmt: skip


def script_of(ch: str) -> str:
    """A coarse script name for one character; "latin" for Latin and everything neutral."""
    code = ord(ch)
    for low, high, script in _SCRIPT_RANGES:
        if low <= code <= high:
            return script
    return "latin" if code < 0x0250 or 0x1E00 <= code <= 0x1EFF else "other"


_SCRIPT_RANGES = (
    (0x0400, 0x052F, "cyrillic"), (0x0600, 0x06FF, "arabic"), (0x0750, 0x077F, "arabic"),
    (0x08A0, 0x08FF, "arabic"), (0xFB50, 0xFDFF, "arabic"), (0xFE70, 0xFEFF, "arabic"),
    (0x0E00, 0x0E7F, "thai"), (0x0E80, 0x0EFF, "lao"), (0x1780, 0x17FF, "khmer"),
    (0x19E0, 0x19FF, "khmer"), (0x1100, 0x11FF, "hangul"), (0x3130, 0x318F, "hangul"),
    (0xAC00, 0xD7AF, "hangul"), (0x3400, 0x4DBF, "han"), (0x4E00, 0x9FFF, "han"),
    (0xF900, 0xFAFF, "han"), (0x20000, 0x2FA1F, "han"),
)  # fmt: skip


# Every code point below this one is Latin or neutral for script_of.
_FIRST_NON_LATIN = "\u0250"


def dominant_script(text: str) -> str:
    counts: dict[str, int] = {}
    for ch in text:
        if ch.isalpha():
            script = script_of(ch)
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return "latin"
    return max(counts.items(), key=lambda item: item[1])[0]


def romanise(text: str, tables: NameTables) -> tuple[Slot, ...] | None:
    """Latin slots for a non-Latin name, or None when the name is already Latin."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if not folded or max(folded) < _FIRST_NON_LATIN:
        return None  # every character is Latin or neutral (script_of): the common case
    script = dominant_script(folded)
    if script == "latin":
        return None
    romaniser = _ROMANISERS.get(script, _romanise_other)
    return tuple(slot for slot in romaniser(folded, tables) if slot)


def _words(text: str) -> list[str]:
    return [w for w in "".join(c if c.isalnum() or _is_mark(c) else " " for c in text).split()]


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M") or ch == "\u200c"


def _romanise_han(text: str, tables: NameTables) -> list[Slot]:
    parts = _han_parts(text)
    if len(parts) > 1 or (parts and parts[0] in tables.translit):
        return [_foreign_word(p, tables, _pinyin(p)) for p in parts]  # foreign names
    return _han_family_and_given(parts[0]) if parts else []


def _han_parts(text: str) -> list[str]:
    return [p for p in _split_on(text, _HAN_NAME_SEPARATORS + " ") if p]


def _foreign_word(word: str, tables: NameTables, *rules: str) -> Slot:
    """A word of a foreign name written in the script's signs: the table's spellings when
    it knows the word, else the learned transcription's (transcription.py), then the
    rules' reading."""
    known = tables.translit.get(word)
    if known:
        return known
    return tuple(dict.fromkeys((*tables.transcription.read(fold_native(word)), *rules)))


def _syllable_readings(word: str) -> tuple[str, ...]:
    return with_north_variant(romanise_syllables(word))


def foreign_reading(text: str, tables: NameTables) -> tuple[Slot, ...] | None:
    """A Han or Hangul name read as a foreign name, word by word, when ``romanise`` reads
    it as a Chinese or Korean one: a word is then split into family and given names
    (克劳斯 as Ke Laosi, 클라우스 as Keul Lauseu), and Krause, Claus... are not found.
    None for other scripts and for a Han name ``romanise`` already reads word by word."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    script = dominant_script(folded) if folded and max(folded) >= _FIRST_NON_LATIN else "latin"
    if script == "han":
        parts = _han_parts(folded)
        if len(parts) != 1 or parts[0] in tables.translit:
            return None  # already read word by word
        slots = [_foreign_word(parts[0], tables, _pinyin(parts[0]))]
    elif script == "hangul":
        words = [w for w in _words(folded) if all(is_hangul_syllable(ch) for ch in w)]
        slots = [_foreign_word(w, tables, *_syllable_readings(w)) for w in words]
    else:
        return None
    return tuple(slot for slot in slots if slot) or None


def _han_family_and_given(name: str) -> list[Slot]:
    if len(name) < 2 or len(name) > 4:
        return [_chinese_spellings(name, _syllables(name))]
    size = 2 if name[:2] in _HAN_COMPOUND_FAMILY else 1
    family = [_HAN_FAMILY_READINGS.get(ch) or _syllables(ch)[0] for ch in name[:size]]
    return [
        _chinese_spellings(name[:size], family),
        _chinese_spellings(name[size:], _syllables(name[size:])),
    ]


def _chinese_spellings(word: str, syllables: list[str]) -> Slot:
    """A word of a Chinese name as passports spell it: pinyin and Wade-Giles, then
    Cantonese as Hong Kong and Macau passports do (cantonese.py: 陳大文 Chan Tai Man)."""
    spellings = (*_pinyin_and_wade_giles(syllables), *cantonese.word_spellings(word))
    return tuple(dict.fromkeys(spellings))


def _pinyin_and_wade_giles(syllables: list[str]) -> Slot:
    """Pinyin as mainland passports print it, then Wade-Giles as Taiwanese passports and
    older lists do (Cai / Tsai, Zhou / Chou, Xue / Hsueh; apostrophes and umlauts left
    out, as names write them)."""
    wade_giles = "".join(wade_giles_syllable(s) for s in syllables)
    pinyin = "".join(syllables)
    if len(wade_giles) < _MIN_WADE_GILES:
        return (pinyin,)
    return tuple(dict.fromkeys((pinyin, wade_giles)))


# A one-letter Wade-Giles name (毅 "I") would read as an initial and meet every name
# starting with that letter: pinyin alone then ("Yi").
_MIN_WADE_GILES = 2


def _syllables(text: str) -> list[str]:
    from pypinyin import lazy_pinyin  # heavy dictionaries: load on first Chinese name only

    return list(lazy_pinyin(text))


def _pinyin(text: str) -> str:
    return "".join(_syllables(text))


def _split_on(text: str, separators: str) -> list[str]:
    for sep in separators:
        text = text.replace(sep, " ")
    return text.split()


def _romanise_hangul(text: str, tables: NameTables) -> list[Slot]:
    words = _words(text)
    if len(words) == 1 and words[0] not in tables.translit:
        return list(romanise_korean_name(words[0]))
    slots: list[Slot] = []
    for word in words:
        known = tables.translit.get(word)
        if known:
            slots.append(known)
        elif all(is_hangul_syllable(ch) for ch in word):
            slots.extend(romanise_korean_name(word))
    return slots


def _romanise_khmer(text: str, _tables: NameTables) -> list[Slot]:
    words = [w for w in text.replace("\u200b", " ").split() if w not in _KHMER_TITLES]
    slots: list[Slot] = []
    for word in words:
        for title in _KHMER_TITLES:  # titles written glued to the name
            if word.startswith(title) and len(word) > len(title):
                word = word[len(title) :]
                break
        slots.append(romanise_khmer_word(word))
    return slots


def _romanise_cyrillic(text: str, tables: NameTables) -> list[Slot]:
    slots: list[Slot] = []
    for word in _words(text):
        icao = "".join(_CYRILLIC_ICAO.get(ch, ch) for ch in word)
        # х is "h" in names from Arabic and Persian (Ilham, Rahmon, Hasan): Central Asia
        # and the Caucasus spell it so where ICAO says "kh".
        rules = (icao, _bgn(word), *((icao.replace("kh", "h"),) if "х" in word else ()))
        known = tables.translit.get(word, ())
        # A word the table lacks: the rules' spellings first (ICAO and BGN are what most
        # passports and lists print), then the learned transcription's.
        learned = () if known else tables.transcription.read(fold_native(word))
        slots.append(tuple(dict.fromkeys((*known, *rules, *learned))))
    return slots


def _bgn(word: str) -> str:
    return "".join(
        "ye"
        if ch == "е" and (i == 0 or word[i - 1] in _CYRILLIC_YE_AFTER)
        else _CYRILLIC_BGN.get(ch, ch)
        for i, ch in enumerate(word)
    )


def rule_romanisation(word: str) -> str | None:
    """A table-free romanisation of one Arabic or Cyrillic word (None for other scripts)."""
    script = dominant_script(word)
    if script == "arabic":
        return consonantal_spelling(word)
    if script == "cyrillic":
        return "".join(_CYRILLIC_ICAO.get(ch, ch) for ch in fold_native(word))
    return None


def _romanise_thai(text: str, _tables: NameTables) -> list[Slot]:
    """RTGS by thai.py's syllable rules, then pythainlp's Royal Institute romanisation
    when installed, then anyascii's letters (each caught names the others missed)."""
    try:
        from pythainlp.transliterate import romanize  # 67 MB, slow first import: optional
    except ImportError:
        romanize = None
    slots: list[Slot] = []
    for word in _words(text):
        royin = str(romanize(word)).lower() if romanize is not None else ""
        rtgs, passport = romanise_thai_word(word), romanise_thai_word(word, PASSPORT_LETTERS)
        spellings = (rtgs, passport, royin, anyascii(word).lower())
        slots.append(tuple(dict.fromkeys(s for s in spellings if s)))
    return slots


def _romanise_lao(text: str, _tables: NameTables) -> list[Slot]:
    """lao.py's spellings, then anyascii's letters (a word the rules misread)."""
    slots: list[Slot] = []
    for word in _words(text):
        spellings = (*romanise_lao_word(word), anyascii(word).lower())
        slots.append(tuple(dict.fromkeys(s for s in spellings if s)))
    return slots


def _romanise_other(text: str, _tables: NameTables) -> list[Slot]:
    return [_brahmic(word) or (anyascii(word).lower(),) for word in _words(text)]


# Scripts of South Asia that write a consonant's vowel "a" by not writing any: anyascii
# spells नरेन्द्र "nrendr" and रहमान "rhman"; read with the vowel, Narendra and Rahman.
_BRAHMIC_SCRIPTS = frozenset(
    {"DEVANAGARI", "BENGALI", "GURMUKHI", "GUJARATI", "ORIYA", "TAMIL", "TELUGU",
     "KANNADA", "MALAYALAM", "SINHALA"}
)  # fmt: skip
# Marks that replace or silence the unwritten vowel (a vowel sign, the virama).
_VOWEL_KILLERS = ("VOWEL SIGN", "VIRAMA", "AL-LAKUNA")
_INDEPENDENT_VOWELS = frozenset({"A", "AA"})  # letter names ending in A that are vowels


def _brahmic(word: str) -> Slot:
    """A South Asian name word read with its unwritten vowels: with the vowels Hindi and
    Bengali leave unsaid dropped (Rahman, Manmohan, Amit: the last one, and one between a
    vowel-consonant and a consonant-vowel), then with only the last one dropped (Kamala),
    then with all (Narendra). () for a word in another script."""
    if unicodedata.name(word[0], "").split(" ")[0] not in _BRAHMIC_SCRIPTS:
        return ()
    pieces: list[str] = []  # one per letter, in Latin letters
    consonants: set[int] = set()  # indexes in ``pieces`` of consonants
    inherent: list[int] = []  # ...of consonants read with the unwritten vowel
    i = 0
    while i < len(word):
        consonant = _brahmic_consonant(word, i)
        if consonant is None:
            pieces.append(_brahmic_sign(word, i))
            i += 1
            continue
        letters, i = consonant
        consonants.add(len(pieces))
        pieces.append(letters)
        if not _vowel_follows(word, i):
            inherent.append(len(pieces) - 1)
    full = [p + "a" if n in inherent else p for n, p in enumerate(pieces)]
    no_last = [*full[:-1], pieces[-1]] if inherent[-1:] == [len(pieces) - 1] else full
    said = list(no_last)
    for n in inherent:
        if 0 < n < len(pieces) - 1 and said[n - 1][-1:] in _LATIN_VOWELS:
            after = "".join(no_last[n + 1 : n + 3])
            if n + 1 in consonants and after[len(pieces[n + 1]) :][:1] in _LATIN_VOWELS:
                said[n] = pieces[n]  # a vowel between VC and CV is not said (Rahman)
    spellings = tuple(dict.fromkeys("".join(x) for x in (said, no_last, full)))
    # a one-letter spelling ("k" for क) would read as an initial
    return tuple(s for s in spellings if len(s) > 1) or spellings


_LATIN_VOWELS = frozenset("aeiou")
# Consonants by their Unicode names (KA, CHA, SHA...), as South Asian names spell them;
# anyascii writes श and ष as "s" and च as "c".
_BRAHMIC_CONSONANT_SPELLINGS = {
    "c": "ch", "ch": "chh", "tt": "t", "tth": "th", "dd": "d", "ddh": "dh", "nn": "n",
    "nnn": "n", "ss": "sh", "ll": "l", "lll": "l", "rr": "r", "ttt": "t",
}  # fmt: skip
# A consonant with a nukta is a Persian or Arabic sound (ज़ z, क़ q, फ़ f, ड़ r).
_NUKTA_SPELLINGS = {"j": "z", "k": "q", "g": "gh", "ph": "f", "d": "r", "dh": "rh"}


def _brahmic_sign(word: str, i: int) -> str:
    """A vowel letter or sign in Latin letters; a nasal sign (anusvara) as the nasal of
    the consonant after it: Sanjay, Gandhi, Singh, but Sambhal."""
    name = unicodedata.name(word[i], "")
    if name.endswith(_NASAL_SIGNS):
        after = _brahmic_consonant(word, i + 1) if i + 1 < len(word) else None
        return "m" if after is not None and after[0][:1] in ("p", "b", "m") else "n"
    return str(anyascii(word[i])).lower().replace("'", "")


_NASAL_SIGNS = ("ANUSVARA", "TIPPI", "BINDI", "CANDRABINDU")


def _brahmic_consonant(word: str, i: int) -> tuple[str, int] | None:
    """The consonant at ``i`` in Latin letters and the index after it (and its nukta)."""
    ch = word[i]
    if not _is_brahmic_consonant(ch):
        return None
    sound = unicodedata.name(ch).rsplit(" ", 1)[-1][:-1].lower()
    letters = _BRAHMIC_CONSONANT_SPELLINGS.get(sound, sound)
    if i + 1 < len(word) and unicodedata.name(word[i + 1], "").endswith("NUKTA"):
        return _NUKTA_SPELLINGS.get(letters, letters), i + 2
    return letters, i + 1


def _is_brahmic_consonant(ch: str) -> bool:
    name = unicodedata.name(ch, "")
    last = name.rsplit(" ", 1)[-1]
    return (
        " LETTER " in name
        and "VOCALIC" not in name
        and last.endswith("A")
        and (last not in _INDEPENDENT_VOWELS)
    )


def _vowel_follows(word: str, i: int) -> bool:
    """Is the consonant before ``i`` followed by a vowel sign or a virama (past a nukta)?"""
    while i < len(word) and unicodedata.name(word[i], "").endswith("NUKTA"):
        i += 1
    name = unicodedata.name(word[i], "") if i < len(word) else ""
    return any(mark in name for mark in _VOWEL_KILLERS)


_ROMANISERS: dict[str, Callable[[str, NameTables], list[Slot]]] = {
    "han": _romanise_han,
    "hangul": _romanise_hangul,
    "khmer": _romanise_khmer,
    "cyrillic": _romanise_cyrillic,
    "arabic": romanise_arabic,
    "thai": _romanise_thai,
    "lao": _romanise_lao,
}
