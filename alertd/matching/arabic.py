"""Arabic-script names (Arabic, Persian, Urdu, Pashto) to the Latin spellings lists use.

Arabic script leaves short vowels unwritten, so a name word gets several spellings: the
common name words from a table (محمد -> mohammed, muhammad...), the Wikidata table's
spellings, a reading with the vowels names mostly carry (by syllable pattern: Basir,
Rahmat, Walid), and consonantal spellings matched downstream by consonant skeleton.
Around them: the article (al/el, and assimilated before sun letters), "Abd" taking the
next word's article (Abdul Basir), -ullah and -uddin endings, Persian readings of
Arabic letters (ض as z: Fazal), and two names written together after a non-joining
letter split.
"""

from __future__ import annotations

import unicodedata

from anyascii import anyascii

from alertd.matching.tables import NameTables, fold_native

Slot = tuple[str, ...]

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


def romanise_arabic(text: str, tables: NameTables) -> list[Slot]:
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
    # A word the table lacks: the rules' readings, then the learned transcription's
    # (transcription.py: foreign names in Arabic letters, كيمبتون Kempton).
    learned = () if known else tables.transcription.read(word)
    return [tuple(dict.fromkeys((*known, *_arabic_by_rules(word), *learned)))]


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


def _words(text: str) -> list[str]:
    """The words of a name (letters and their marks; ZWNJ kept inside Persian words)."""
    return "".join(c if c.isalnum() or _is_mark(c) else " " for c in text).split()


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M") or ch == "\u200c"


def consonantal_spelling(word: str) -> str:
    """A table-free consonantal romanisation of one Arabic-script word."""
    return _consonantal(fold_native(word))[0] if word else ""
