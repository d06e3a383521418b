"""Lao names to the Latin spellings Lao passports and lists use: ທອງລຸນ -> thongloun,
ສີສຸລິດ -> sisoulith, ສອນໄຊ -> sonexay, ພົງສະຫວັນ -> phongsavanh.

Lao passports follow the Lao government's French-influenced romanisation (close to
BGN/PCGN 1966): ຸ ູ as "ou", ຊ as "x", ຍ as "nh", ວ as "v", ໄ as "ay", and final
flourishes: ດ closing a word as "th" (Sisoulith), ນ closing a word after "a" as "nh"
(Phongsavanh), ນ after the vowel "o" as "ne" (Sonexay, Siphandone), a word-final "i" as
"y" (Pany). anyascii reads letter by letter ("thonglun", "sonsai"). This module reads a
word syllable by syllable (as thai.py does for Thai: Lao spelling is the same design
and more phonetic) and spells it in several conventions at once (``STYLES``), since
lists mix them: Thongloun / Thonglun, Sonexay / Sonxay / Sonsai, Vorachith / Vorachit.

Names of Pali origin keep an "r" that modern Lao writes ລ (ວໍລະຈິດ Vorachith), so one
style reads ລ inside a word as "r". The rules approximate; matching downstream is fuzzy.
"""

from __future__ import annotations

import unicodedata

# The conventions a word is spelled in, in this order (one Latin form each):
# 0 Lao official (French-influenced); 1 the same without the final flourishes and with
# ຊ as "s" (Sisoulit, Phongsavan, Sonsay, Sayason); 2 plain (u, s, ny, ai, ue: sources
# in English); 3 Lao official with ລ inside a word read "r" (Vorachith).
STYLES = 4
Spelling = tuple[str, str, str, str]
# The Lao official styles write a closing "p" before "ph" once (ບຸບຜາວັນ Bouphavanh).
_ONE_P_STYLES = (0, 3)


def _same(latin: str) -> Spelling:
    return (latin, latin, latin, latin)


def _lao_plain(lao: str, plain: str) -> Spelling:
    return (lao, lao, plain, lao)


# Consonant -> its sound starting a syllable, per style.
_ONSETS: dict[str, Spelling] = {
    "ກ": _same("k"), "ຂ": _same("kh"), "ຄ": _same("kh"), "ງ": _same("ng"),
    "ຈ": _same("ch"), "ສ": _same("s"), "ຊ": ("x", "s", "s", "x"), "ຍ": _lao_plain("nh", "ny"),
    "ດ": _same("d"), "ຕ": _same("t"), "ຖ": _same("th"), "ທ": _same("th"), "ນ": _same("n"),
    "ບ": _same("b"), "ປ": _same("p"), "ຜ": _same("ph"), "ຝ": _same("f"), "ພ": _same("ph"),
    "ຟ": _same("f"), "ມ": _same("m"), "ຢ": _same("y"), "ຣ": _same("r"), "ລ": _same("l"),
    "ວ": _same("v"), "ຫ": _same("h"), "ອ": _same(""), "ຮ": _same("h"),
    # Pali and Sanskrit letters (Unicode 12), as their sounds
    "ຆ": _same("kh"), "ຉ": _same("ch"), "ຌ": _same("ch"), "ຎ": _same("nh"), "ຏ": _same("t"),
    "ຐ": _same("th"), "ຑ": _same("th"), "ຒ": _same("th"), "ຓ": _same("n"), "ຘ": _same("th"),
    "ຠ": _same("ph"), "ຨ": _same("s"), "ຩ": _same("s"), "ຬ": _same("l"),
}  # fmt: skip
# ລ starting a syllable inside a word: "r" in the last style (Pali names: Vorachith).
_MEDIAL_LO: Spelling = ("l", "l", "l", "r")

# Consonant -> its sound closing a syllable (the letters modern Lao writes there).
_FINALS: dict[str, Spelling] = {
    "ກ": _same("k"), "ຂ": _same("k"), "ຄ": _same("k"), "ງ": _same("ng"), "ດ": _same("t"),
    "ຕ": _same("t"), "ທ": _same("t"), "ຖ": _same("t"), "ຈ": _same("t"), "ສ": _same("t"),
    "ຊ": _same("t"), "ນ": _same("n"), "ລ": _same("n"), "ຣ": _same("n"), "ບ": _same("p"),
    "ປ": _same("p"), "ພ": _same("p"), "ຟ": _same("p"), "ມ": _same("m"),
    "ຍ": ("y", "y", "i", "y"), "ວ": ("o", "o", "w", "o"),
}  # fmt: skip
# The flourishes the Lao official style writes on a closing consonant.
_WORD_FINAL_D: Spelling = ("th", "t", "t", "th")  # ສີສຸລິດ Sisoulith
_WORD_FINAL_AN: Spelling = ("nh", "n", "n", "nh")  # ພົງສະຫວັນ Phongsavanh
# ...after the vowel "o" (ສອນໄຊ Sonexay, ສີພັນດອນ Siphandone) and closing a word after
# a long "a" (ພົມວິຫານ Phomvihane; a short one takes "nh": Phongsavanh)
_N_AS_NE: Spelling = ("ne", "n", "n", "ne")
_FINAL_I: Spelling = ("y", "i", "i", "y")  # ປານີ Pany

_LEADING_VOWELS = frozenset("ເແໂໄໃ")
_TONE_MARKS = frozenset("\u0ec8\u0ec9\u0eca\u0ecb\u0ec6")  # and the repetition sign ໆ
_CANCEL = "\u0ecc"  # the letter under it (and its vowel) is not said
_SUBSCRIPT_LO = "\u0ebc"  # ຫຼ: the "l" of a cluster
_NIKHAHIT = "\u0ecd"  # ໍ: open "o"; with າ after it (ຳ under NFKC) "am"
_MAI_KON = "\u0ebb"  # ົ
_SEMIVOWEL_YO = "\u0ebd"  # ຽ: "ia"
_SHORT_A = "\u0eb0"  # ະ
_MAI_KAN = "\u0eb1"  # ັ
_AA = "\u0eb2"  # າ
_FOLLOWING_VOWELS: dict[str, Spelling] = {
    _SHORT_A: _same("a"), _MAI_KAN: _same("a"), _AA: _same("a"),
    "\u0eb4": _same("i"), "\u0eb5": _same("i"), "\u0eb6": _lao_plain("eu", "ue"),
    "\u0eb7": _lao_plain("eu", "ue"), "\u0eb8": _lao_plain("ou", "u"),
    "\u0eb9": _lao_plain("ou", "u"), _MAI_KON: _same("o"), _NIKHAHIT: _same("o"),
    _SEMIVOWEL_YO: ("ie", "ia", "ia", "ie"),
}  # fmt: skip
_I_VOWELS = frozenset("\u0eb4\u0eb5")
_UA: Spelling = ("oua", "ua", "ua", "oua")  # ບົວສອນ Bouasone
_IA: Spelling = ("ie", "ia", "ia", "ie")  # ວຽງ Vieng
_UEA: Spelling = ("ua", "eua", "uea", "ua")  # ເມືອງ Muang / Meuang
_OE: Spelling = ("eu", "eu", "oe", "eu")  # ເຫຼີມ Leum
_LEADING: dict[str, Spelling] = {
    "ເ": _same("e"), "ແ": _lao_plain("e", "ae"), "ໂ": _same("o"),
    "ໄ": _lao_plain("ay", "ai"), "ໃ": _lao_plain("ay", "ai"),
}  # fmt: skip
# A ຫ before these only carries the tone of the syllable (ຫວັນ van, ຫຼີມ lim, ໜູ nou).
_SONORANTS = frozenset("ງຍນມລວຣ")
# Vowels after which a syllable takes no closing consonant (the next letter starts one).
_OPEN_VOWELS = frozenset({_SHORT_A, _NIKHAHIT, "ua", "ao", "am", "ay"})


def romanise_lao_word(word: str) -> tuple[str, ...]:
    """One Lao word (a name) in each style's Latin letters, distinct, Lao official first;
    () when nothing Lao is in it."""
    letters = _without_silent(unicodedata.normalize("NFKC", word))
    pieces: list[Spelling] = []
    i = 0
    while i < len(letters):
        glide = bool(pieces) and pieces[-1] == _LEADING["ໄ"]
        syllable, after = _syllable(letters, i, first=not pieces, after_ay=glide)
        if after == i:  # not a letter a syllable starts with (a digit, a stray mark)
            after += 1
        pieces.extend(syllable)
        i = after
    spellings = ["".join(p[style] for p in pieces) for style in range(STYLES)]
    for style in _ONE_P_STYLES:
        spellings[style] = spellings[style].replace("pph", "ph")
    return tuple(dict.fromkeys(s for s in spellings if s))


def _without_silent(word: str) -> str:
    """Tone marks dropped; a letter under the cancellation mark dropped with its vowel."""
    kept: list[str] = []
    for ch in word:
        if ch == _CANCEL:
            while kept and kept[-1] not in _ONSETS:
                kept.pop()
            if kept:
                kept.pop()
        elif ch not in _TONE_MARKS:
            kept.append(ch)
    return "".join(kept)


def _syllable(letters: str, i: int, *, first: bool, after_ay: bool) -> tuple[list[Spelling], int]:
    """The pieces of the syllable starting at ``i`` and where the next one starts; after
    the vowel "ay" a ຍ is its glide "y" (ໄຊຍະສອນ Xayasone), not "nh"."""
    leading = ""
    if letters[i] in _LEADING_VOWELS:
        leading = letters[i]
        i += 1
    onset, i = _onset(letters, i, first=first)
    if after_ay and not leading and letters[i - 1 : i] == "ຍ":
        onset = ("", "", "y", "")  # written out only where "ai" ends the syllable before
    if onset is None:
        return ([_LEADING[leading]] if leading else []), i
    vowel, key, i = _vowel(letters, i, leading)
    final: list[Spelling] = []
    if key not in _OPEN_VOWELS:
        final, i = _final(letters, i, key)
    if vowel is None:
        vowel = _same("o" if final else "a")  # the vowel old spellings leave unwritten
    if not final and key in _I_VOWELS and i >= len(letters):
        vowel = _FINAL_I
    return [onset, vowel, *final], i


def _onset(letters: str, i: int, *, first: bool) -> tuple[Spelling | None, int]:
    if i >= len(letters) or letters[i] not in _ONSETS:
        return None, i
    head = letters[i]
    nxt = letters[i + 1] if i + 1 < len(letters) else ""
    if nxt == _SUBSCRIPT_LO:  # ຫຼ l, ກຼ kl
        return (_same("l") if head == "ຫ" else _same(_ONSETS[head][0] + "l")), i + 2
    if head == "ຫ" and nxt in _SONORANTS:
        head, i = nxt, i + 1
    if head == "ລ" and not first:
        return _MEDIAL_LO, i + 1
    return _ONSETS[head], i + 1


def _vowel(letters: str, i: int, leading: str) -> tuple[Spelling | None, str, int]:
    """The syllable's vowel (None: none written), a key naming it for the rules after it,
    and the index after it."""
    nxt = letters[i] if i < len(letters) else ""
    after = letters[i + 1] if i + 1 < len(letters) else ""
    if leading:
        return _leading_vowel(leading, nxt, after, i)
    if nxt == _NIKHAHIT and after == _AA:
        return _same("am"), "am", i + 2  # ຄຳ kham
    if nxt == _MAI_KON and after == "ວ":
        return _UA, "ua", i + 2  # ບົວ boua
    if nxt in _FOLLOWING_VOWELS:
        return _FOLLOWING_VOWELS[nxt], nxt, i + 1
    if nxt in ("ວ", "ອ") and _closes(letters, i + 1):
        return (_UA if nxt == "ວ" else _same("o")), "o" if nxt == "ອ" else "", i + 1
    if nxt == "ອ" and not _starts_syllable(letters, i):
        return _same("o"), "o", i + 1  # a word-final ອ (ກອ ko)
    return None, "", i


def _leading_vowel(leading: str, nxt: str, after: str, i: int) -> tuple[Spelling | None, str, int]:
    """ເ ແ ໂ ໄ ໃ with the signs written after the consonant (ເ-ົາ ao, ເ-ຍ ia, ເ-ືອ ua,
    ເ-ີ eu, ເ-ັ/ເ-ະ e)."""
    if leading == "ເ":
        if nxt == _AA or (nxt == _MAI_KON and after == _AA):
            return _same("ao"), "ao", i + (1 if nxt == _AA else 2)
        if nxt == "ຍ" or (nxt == _MAI_KAN and after == "ຍ"):
            return _IA, "ia", i + (1 if nxt == "ຍ" else 2)
        if nxt == "\u0eb7" and after == "ອ":
            return _UEA, "uea", i + 2
        if nxt in _I_VOWELS:
            return _OE, "oe", i + 1
    if leading in "ໄໃ":
        return _LEADING[leading], "ay", i
    if nxt in (_SHORT_A, _MAI_KAN):
        return _LEADING[leading], nxt, i + 1  # the short vowel written twice
    return _LEADING[leading], leading, i


def _final(letters: str, i: int, vowel_key: str) -> tuple[list[Spelling], int]:
    """A consonant closing the syllable, with the official style's flourishes."""
    if not _closes(letters, i):
        return [], i
    ch = letters[i]
    at_end = i + 1 >= len(letters)
    if ch == "ນ" and (vowel_key in ("o", "ໂ") or (at_end and vowel_key == _AA)):
        return [_N_AS_NE], i + 1
    if at_end and ch == "ດ":
        return [_WORD_FINAL_D], i + 1
    if at_end and ch == "ນ" and vowel_key == _MAI_KAN:
        return [_WORD_FINAL_AN], i + 1
    return [_FINALS.get(ch, _ONSETS[ch])], i + 1


def _closes(letters: str, i: int) -> bool:
    """Does the consonant at ``i`` close the syllable before it (not start the next)?"""
    if i >= len(letters) or letters[i] not in _ONSETS or letters[i] in "ຫອ":
        return False
    return not _starts_syllable(letters, i)


def _starts_syllable(letters: str, i: int) -> bool:
    """Is the letter at ``i`` the onset of a syllable: a consonant with its vowel after
    it (a vowel sign, the subscript lo, or ວ/ອ read as a vowel before a consonant)?"""
    after = letters[i + 1] if i + 1 < len(letters) else ""
    if after in _FOLLOWING_VOWELS or after == _SUBSCRIPT_LO:
        return True
    return after in ("ວ", "ອ") and i + 2 < len(letters) and letters[i + 2] in _ONSETS
