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
* Arabic, Cyrillic: the Wikidata table first (fixes "mhmd" for محمد), else a rule table
  (ICAO 9303 / BGN for Cyrillic; consonantal for Arabic, matched by skeleton downstream).
* Thai: thai.py (RTGS by syllable rules), pythainlp's royin romanisation (optional
  dependency) and anyascii.
* Devanagari, Bengali, Gurmukhi and the other South Asian scripts: their consonants by
  Unicode name, with the vowel they leave unwritten read (and dropped where Hindi does
  not say it): नरेन्द्र -> narendra, रहमान -> rahman.
* Lao and every other script: anyascii. Vietnamese is Latin: diacritics fold later.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from anyascii import anyascii

from alertd.matching.hangul import is_hangul_syllable, romanise_korean_name
from alertd.matching.khmer import romanise_khmer_word
from alertd.matching.tables import NameTables, fold_native
from alertd.matching.thai import romanise_thai_word

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

_ARABIC = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ٱ": "a", "ب": "b", "ت": "t", "ث": "th",
    "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z", "س": "s",
    "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "", "غ": "gh", "ف": "f",
    "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "ة": "a", "و": "w",
    "ي": "y", "ى": "a", "ئ": "", "ؤ": "", "ء": "", "پ": "p", "چ": "ch", "ژ": "zh",
    "گ": "g", "ک": "k", "ی": "y", "ۀ": "a", "ے": "e", "ٹ": "t", "ڈ": "d", "ڑ": "r",
}  # fmt: skip

_ARABIC_LONG_VOWELS = frozenset("اويىۍېےءئؤع")
_ARABIC.update({"ټ": "t", "ډ": "d", "ړ": "r", "ښ": "sh", "ږ": "zh", "ځ": "dz", "څ": "ts", "ڼ": "n",
                "ګ": "g", "ۍ": "y", "ې": "e", "ڤ": "v", "ڨ": "g", "ڭ": "g"})  # fmt: skip
# Urdu and Pashto write heh and teh marbuta with their own letters (اللہ for الله).
_URDU_HEH = str.maketrans({"ہ": "ه", "ھ": "ه", "ۃ": "ه"})
# Letters Persian, Urdu, Pashto (and Arabic dialects) read differently from Classical
# Arabic, as lists then spell them: ث as s (Saqib, Wasiq), ذ ض ظ as z (Fazal, Zia,
# Nazir), Pashto ځ as z (Zadran). A word holding one gets a third spelling read so.
_PERSIAN_READING_LETTERS = {"ث": "س", "ذ": "ز", "ض": "ز", "ظ": "ز", "ځ": "ز"}

# The commonest Arabic name words with the spellings lists use (the Wikidata pairs are
# sparse and noisy for exactly these). Keys are folded as tables.fold_native does.
_ARABIC_NAMES: dict[str, tuple[str, ...]] = {
    "الله": ("allah", "ullah"), "عبد": ("abd", "abdul", "abdel"), "احمد": ("ahmad", "ahmed"),
    "محمد": ("mohammed", "muhammad", "mohamed", "mohammad"), "محمود": ("mahmoud", "mahmud"),
    "علي": ("ali",), "حسن": ("hassan", "hasan"), "حسين": ("hussein", "husain", "hussain"),
    "عمر": ("omar", "umar"), "عثمان": ("othman", "osman", "usman"), "يوسف": ("yusuf", "youssef"),
    "ابراهيم": ("ibrahim",), "اسماعيل": ("ismail",), "خالد": ("khaled", "khalid"),
    "سالم": ("salem", "salim"), "سعيد": ("said", "saeed"), "صالح": ("saleh", "salih"),
    "عبدالله": ("abdullah", "abdallah"), "عبدالرحمن": ("abdulrahman", "abdelrahman"),
    "مصطفى": ("mustafa", "moustafa"), "مصطفي": ("mustafa", "moustafa"), "جمال": ("jamal", "gamal"),
    "كريم": ("karim", "kareem"), "رحمت": ("rahmat",), "نور": ("nur", "noor"),
    "فاطمه": ("fatima", "fatma"), "عايشه": ("aisha", "aicha"), "مريم": ("maryam", "mariam"),
    "زينب": ("zainab", "zeinab"), "حمدان": ("hamdan",), "حامد": ("hamid", "hamed"),
    "رشيد": ("rashid", "rachid"), "سليمان": ("sulaiman", "suleiman"), "عيسى": ("isa", "issa"),
    "عيسي": ("isa", "issa"), "موسى": ("musa", "moussa"), "موسي": ("musa", "moussa"),
    "طارق": ("tariq", "tarek"), "ناصر": ("nasser", "nasir"), "منصور": ("mansour", "mansur"),
    "شاه": ("shah",), "خان": ("khan",), "بن": ("bin", "ben"), "ابو": ("abu", "abou"),
    "ابن": ("ibn",), "بنت": ("bint",), "ولد": ("ould", "walad"),
    # The second half of Nasir al-Din and the like, which South and Central Asian names
    # write "-uddin" and North African ones "-eddine"; the first two spellings are the
    # ones tried when the two words are written together (Nasiruddin, Salaheddine).
    "الدين": ("uddin", "eddine", "eddin", "aldin", "eldin", "addin"),
}  # fmt: skip

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
    parts = [p for p in _split_on(text, _HAN_NAME_SEPARATORS + " ") if p]
    if len(parts) > 1 or (parts and parts[0] in tables.translit):
        return [tables.translit.get(p) or (_pinyin(p),) for p in parts]  # foreign names
    return _han_family_and_given(parts[0]) if parts else []


def _han_family_and_given(name: str) -> list[Slot]:
    if len(name) < 2 or len(name) > 4:
        return [_pinyin_and_wade_giles(_syllables(name))]
    size = 2 if name[:2] in _HAN_COMPOUND_FAMILY else 1
    family = [_HAN_FAMILY_READINGS.get(ch) or _syllables(ch)[0] for ch in name[:size]]
    return [_pinyin_and_wade_giles(family), _pinyin_and_wade_giles(_syllables(name[size:]))]


def _pinyin_and_wade_giles(syllables: list[str]) -> Slot:
    """Pinyin as mainland passports print it, then Wade-Giles as Taiwanese passports and
    older lists do (Cai / Tsai, Zhou / Chou, Xue / Hsueh; apostrophes and umlauts left
    out, as names write them)."""
    from pypinyin.style.wadegiles import to_wade_glides  # loaded with pypinyin below

    wade_giles = "".join(to_wade_glides(s) for s in syllables)
    wade_giles = wade_giles.replace("'", "").replace("v", "u")
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
        slots.append(tuple(dict.fromkeys((*tables.translit.get(word, ()), *rules))))
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
        return _consonantal(fold_native(word))[0] if word else ""
    if script == "cyrillic":
        return "".join(_CYRILLIC_ICAO.get(ch, ch) for ch in fold_native(word))
    return None


def _romanise_arabic(text: str, tables: NameTables) -> list[Slot]:
    slots: list[Slot] = []
    words = _words(fold_native(text).translate(_URDU_HEH))
    parts = [part for written in words for part in _unjoined(written, tables)]
    for word in _abd_joined(parts):
        if word in _ARABIC_NAMES:
            slots.append(_ARABIC_NAMES[word])
        elif word.endswith("الله") and len(word) > 4:
            slots.extend(_arabic_word(word[:-4], tables))  # Rahmatullah, Hamdullah
            slots.append(_ARABIC_NAMES["الله"])
        elif word in tables.translit:  # the rule forms too: the table can be wrong
            slots.append((*tables.translit[word], *_arabic_by_rules(word)))
        elif word.startswith(_ABD_AL) and len(word) > len(_ABD_AL) + 1:
            slots.append(_abd_al(word[len(_ABD_AL)]))  # Abdul Rahman, Abdur Rahman
            slots.extend(_arabic_word(word[len(_ABD_AL) :], tables))
        else:
            slots.extend(_arabic_word(word, tables))
    return slots


# Letters that never join the next one: after them a missing space is invisible, so two
# names often reach a list written as one word (محمدعبد for محمد عبد).
_NON_JOINING = frozenset("ادذرزوژ")
_MIN_PART = 3  # letters in each of two words found written together
# The table holds short noisy tokens (one Wikidata alignment's fragment): a part known
# only from the table must be this long.
_MIN_TABLE_PART = 4


def _unjoined(word: str, tables: NameTables) -> list[str]:
    """An unknown word split after a non-joining letter into two known name words
    (known: a common name word, or a longer word in the table; the second may carry the
    article). A word with the article is one name (الدوري is not الدو + ري)."""
    if word in tables.translit or word in _ARABIC_NAMES or word.startswith("ال"):
        return [word]
    for cut in range(_MIN_PART, len(word) - _MIN_PART + 1):
        first, second = word[:cut], word[cut:]
        if word[cut - 1] in _NON_JOINING and _known(first, tables) and _known(second, tables):
            return [first, second]
    return [word]


def _known(word: str, tables: NameTables) -> bool:
    bare = word[2:] if word.startswith("ال") and len(word) > 3 else word
    return any(
        w in _ARABIC_NAMES or (len(w) >= _MIN_TABLE_PART and w in tables.translit)
        for w in (word, bare)
    )


_ABD = "عبد"
_ABD_AL = "عبدال"


def _abd_joined(words: list[str]) -> list[str]:
    """ "Abd" and the article of the next word written as one, as names carry them (Abdul
    Basir for عبد البصير, Abd al-Basir): the article belongs to "Abd", and a lone "al"
    would be a word the listed name lacks."""
    joined: list[str] = []
    for word in words:
        if joined and joined[-1] == _ABD and word.startswith("ال") and len(word) > 3:
            joined[-1] += word
        else:
            joined.append(word)
    return joined


def _abd_al(next_letter: str) -> Slot:
    """ "Abd al-" as lists write it; before a sun letter also as said (Abdur Rahman)."""
    spellings = ("abdul", "abdel", "abd", "abdal")
    if next_letter in _SUN_LETTERS:
        return (*spellings, "abdu" + _ARABIC[next_letter][:1])
    return spellings


def _article(next_letter: str) -> Slot:
    """ "al" (North Africa: "el"), and before a sun letter the article as said and often
    written: الصبار is "as-Sabbar", listed "Essabar" (so "as" written together with the
    word meets it)."""
    if next_letter in _SUN_LETTERS:
        sound = _ARABIC[next_letter][:1]
        return ("al", "el", "a" + sound, "e" + sound)
    return ("al", "el")


_SUN_LETTERS = frozenset("تثدذرزسشصضطظن")


def _arabic_word(word: str, tables: NameTables) -> list[Slot]:
    if word in _ARABIC_NAMES:
        return [_ARABIC_NAMES[word]]
    known = tables.translit.get(word, ())
    if word.startswith("ال") and len(word) > 3 and not known:
        return [_article(word[2]), *_arabic_word(word[2:], tables)]
    return [tuple(dict.fromkeys((*known, *_arabic_by_rules(word))))]


def _arabic_by_rules(word: str) -> tuple[str, ...]:
    """A vowelled reading first (see ``_vowelled``), then consonantal spellings, matched
    downstream by consonant skeleton since short vowels are not written: one with و/ي
    read as vowels (dropped), one with them as w/y; the other vowelled reading between
    them (the first two are the ones tried for two words written together, and a wrong
    vowel guess there would hide the skeleton's match); a word holding a letter Persian
    reads otherwise also gets that reading, vowelled and consonantal."""
    if not word:
        return ()
    consonantal = _consonantal(word)
    spellings: tuple[str, ...] = (
        _vowelled(word),
        consonantal[0],
        _vowelled(word, closed=False),
        consonantal[1],
    )
    if any(ch in _PERSIAN_READING_LETTERS for ch in word):
        persian = _read_as_persian(word)
        spellings += (
            _consonantal(persian)[0],
            _vowelled(persian),
            _vowelled(persian, closed=False),
        )
    return tuple(dict.fromkeys(s for s in spellings if s)) or (anyascii(word).lower(),)


def _consonantal(word: str) -> tuple[str, str]:
    first = "a" if word[0] in "اع" else _ARABIC.get(word[0], "")
    rest = word[1:]
    as_vowels = "".join(_ARABIC.get(ch, "") for ch in rest if ch not in _ARABIC_LONG_VOWELS)
    as_consonants = "".join(_ARABIC.get(ch, "") for ch in rest if ch not in "اىءئؤع")
    return first + as_vowels, first + as_consonants


# Letters that carry no sound of their own in a romanisation but take a vowel like a
# consonant (ع, hamza): "Ali" for علي, "Said" for سعيد, "Mati" for مطيع.
_SILENT_CONSONANTS = frozenset("عءئؤ")
# The letters that write long vowels (matres lectionis), and how a vowel is read there.
_MATRES = {"ا": "a", "و": "u", "ي": "i", "ی": "i", "ى": "i"}
_GLIDES = {"و": "w", "ي": "y", "ی": "y", "ى": "y"}
# Short vowels are not written; names mostly carry "a" there (Nazar, Rahmat, Basir).
_SHORT_VOWEL = "a"


def _vowelled(word: str, *, closed: bool = True) -> str:
    """The word read with the vowels Arabic script leaves out, by the syllable pattern
    names mostly follow: a consonant between two consonants closes a syllable after a
    short vowel (Fazl, Rahmat, Ahmad) and opens one after a long vowel or at the start
    (Zahed, Basir); و and ي are vowels after a consonant (Nur, Basir) and glides at the
    start, after a vowel or before alef (Walid, Tawwab); final ه after a consonant is the
    vowel "a" (Fatima). With ``closed=False`` every consonant opens a syllable (Nazar,
    Omar, where the first reading gives Nazr, Amr) and و/ي between consonants are
    diphthongs (Tawfiq, Husayn, Khawla: the first reading gives Tufiq, Husin). Lists
    spell these names so or with other vowels (Zahid, Fazal), which the vowel-folded key
    still meets; a wrong guess costs nothing, the consonantal spellings stay."""
    out: list[str] = []
    vowel_before = ""  # "", "short" or "long": what the previous letter ended with
    for i, ch in enumerate(word):
        after = word[i + 1] if i + 1 < len(word) else ""
        if ch in _MATRES and not _is_glide(ch, i, vowel_before, after):
            diphthong = not closed and ch in _GLIDES and i > 0 and _is_consonant(word, i + 1)
            out.append(_SHORT_VOWEL + _GLIDES[ch] if diphthong else _MATRES[ch])
            vowel_before = "short" if i == 0 else "long"  # initial alef: a short vowel
        elif _is_final_vowel(word, i):
            out.append(_SHORT_VOWEL)  # ta marbuta written as heh, or a final -ah
        else:
            out.append("" if ch in _SILENT_CONSONANTS else _GLIDES.get(ch) or _ARABIC.get(ch, ""))
            opens = _is_consonant(word, i + 1) and not (closed and vowel_before == "short")
            out.append(_SHORT_VOWEL if opens else "")
            vowel_before = "short" if opens else ""
    return "".join(out)


def _is_final_vowel(word: str, i: int) -> bool:
    """A final ه after a consonant (Fatima, Talha), not after alef (Shah)."""
    return i == len(word) - 1 and i > 1 and word[i] == "ه" and word[i - 1] not in _MATRES


def _is_glide(ch: str, i: int, vowel_before: str, after: str) -> bool:
    """و/ي read as w/y: at the start, after a vowel, or before alef (Tawwab, Ziyad)."""
    return ch in _GLIDES and (i == 0 or vowel_before != "" or after == "ا")


def _is_consonant(word: str, i: int) -> bool:
    """Will the letter at ``i`` be read as a consonant (not a vowel letter, not a word's
    end)?"""
    if i >= len(word) or word[i] == "ا" or _is_final_vowel(word, i):
        return False
    if word[i] in _GLIDES:
        return i + 1 < len(word) and word[i + 1] == "ا"
    return True


def _read_as_persian(word: str) -> str:
    """The word with its letters swapped for the ones Persian reads them as (ث -> س)."""
    return "".join(_PERSIAN_READING_LETTERS.get(ch, ch) for ch in word)


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
        spellings = (romanise_thai_word(word), royin, anyascii(word).lower())
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
    "arabic": _romanise_arabic,
    "thai": _romanise_thai,
}
