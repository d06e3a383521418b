"""Thai names to Latin by the Royal Thai General System (RTGS) that Thai passports start
from: ทักษิณ -> thaksin, สมชาย -> somchai, ประยุทธ์ -> prayut, ชวน -> chuan.

Character-by-character tools (anyascii) give "smchay" and "prayuthth": they keep the
order of writing (เ written before its consonant), spell silent letters (the karan ์),
and leave out the vowels Thai does not write. This module reads a word syllable by
syllable: a vowel written before the consonant is said after it; a consonant under the
karan is silent; a consonant closing a syllable takes its final sound (ร, ล, ญ, ณ as n;
ด, ต, ท, ส, ศ, ษ, จ, ช as t; ย as i); a syllable without a written vowel takes "o" when
closed and "a" when open; ว between two consonants is "ua"; รร is "an".

Passports often write other letters than RTGS (v for ว, p for พ, rn for a closing ร:
Thavisin, Somporn): ``PASSPORT_LETTERS`` gives a second spelling with them.

The rules are an approximation (Thai spelling keeps Sanskrit and Pali letters that are
not said; passports often spell those: Shinawatra for ชินวัตร), so the name comparison
downstream stays fuzzy and phonetic on purpose, and anyascii's letters are kept too.
"""

from __future__ import annotations

# Consonant: (sound at the start of a syllable, sound closing one).
Consonants = dict[str, tuple[str, str]]
_CONSONANTS: Consonants = {
    "ก": ("k", "k"), "ข": ("kh", "k"), "ฃ": ("kh", "k"), "ค": ("kh", "k"), "ฅ": ("kh", "k"),
    "ฆ": ("kh", "k"), "ง": ("ng", "ng"), "จ": ("ch", "t"), "ฉ": ("ch", "t"), "ช": ("ch", "t"),
    "ซ": ("s", "t"), "ฌ": ("ch", "t"), "ญ": ("y", "n"), "ฎ": ("d", "t"), "ฏ": ("t", "t"),
    "ฐ": ("th", "t"), "ฑ": ("th", "t"), "ฒ": ("th", "t"), "ณ": ("n", "n"), "ด": ("d", "t"),
    "ต": ("t", "t"), "ถ": ("th", "t"), "ท": ("th", "t"), "ธ": ("th", "t"), "น": ("n", "n"),
    "บ": ("b", "p"), "ป": ("p", "p"), "ผ": ("ph", "p"), "ฝ": ("f", "p"), "พ": ("ph", "p"),
    "ฟ": ("f", "p"), "ภ": ("ph", "p"), "ม": ("m", "m"), "ย": ("y", "i"), "ร": ("r", "n"),
    "ล": ("l", "n"), "ว": ("w", "o"), "ศ": ("s", "t"), "ษ": ("s", "t"), "ส": ("s", "t"),
    "ห": ("h", ""), "ฬ": ("l", "n"), "อ": ("", ""), "ฮ": ("h", ""),
    "ร+": ("", ""),  # ร after ศ, ส or ซ: not said (below)
}  # fmt: skip

# The letters Thai passports and lists often write instead of RTGS's (people choose
# their passport spelling, and these are its common conventions): ว as v (Thavisin,
# Vejjajiva), พ and ภ as p (Pornthip, Pumipol), a closing ร as rn (Somporn, Thaworn,
# Sakorn) and a closing ล as l (Kamol, Wimol).
PASSPORT_LETTERS: Consonants = {
    **_CONSONANTS, "ว": ("v", "o"), "พ": ("p", "p"), "ภ": ("p", "p"), "ร": ("r", "rn"),
    "ล": ("l", "l"), "ร+": ("r", ""),
}  # fmt: skip
# ร after ศ, ส or ซ starting a syllable is not said (ศรี si, สร้าง sang, เศรษฐา settha)
# but passports write it (Sri, Srettha): the key "ร+" (no Thai letter) holds how.
_SILENT_R_FIRSTS = frozenset("ศสซ")

_LEADING_VOWELS = frozenset("เแโใไ")
_TONE_MARKS = frozenset("\u0e48\u0e49\u0e4a\u0e4b\u0e47\u0e4c\u0e46\u0e4d")
_KARAN = "\u0e4c"  # the letter it sits on (and its vowel) is not said
_SARA_AM = "\u0e33"
# Vowel signs written after or above/below the consonant.
_FOLLOWING_VOWELS = {
    "\u0e30": "a", "\u0e31": "a", "\u0e32": "a", _SARA_AM: "am", "\u0e34": "i",
    "\u0e35": "i", "\u0e36": "ue", "\u0e37": "ue", "\u0e38": "u", "\u0e39": "u",
}  # fmt: skip
# Second consonants of the initial clusters Thai writes (ปร pr, กล kl, กว kw).
_CLUSTER_SECONDS = {"ร": "กขคตปพผท", "ล": "กขคปพผ", "ว": "กขค"}
# A silent ห before a sonorant only carries the tone (หลีก lik).
_SONORANTS = frozenset("งญนมยรลว")
# อ carries the tone only before ย (อยู่ yu); elsewhere it carries a vowel (อนุทิน anuthin).
_TONE_CARRIED = {"ห": _SONORANTS, "อ": frozenset("ย")}
# Vowels ending in a glide close their syllable themselves (เสาวลักษณ์ sao-wa-lak).
_GLIDING_VOWELS = frozenset({"ao", "ai", "am"})


def romanise_thai_word(word: str, letters_as: Consonants = _CONSONANTS) -> str:
    """One Thai word (a name) in RTGS letters, or with ``letters_as`` (PASSPORT_LETTERS);
    "" when nothing Thai is left."""
    letters = _without_silent(word)
    out: list[str] = []
    i = 0
    while i < len(letters):
        syllable, after = _syllable(letters, i, letters_as)
        if after == i:  # not a letter a syllable can start with (a digit, a stray mark)
            after += 1
            syllable = ""
        out.append(syllable)
        i = after
    return "".join(out)


def _without_silent(word: str) -> str:
    """Tone marks dropped; a letter under the karan dropped with its vowel sign."""
    kept: list[str] = []
    for ch in word:
        if ch == _KARAN:
            while kept and kept[-1] not in _CONSONANTS:
                kept.pop()  # a vowel sign on the silent letter (สิทธิ์)
            if kept:
                kept.pop()
        elif ch not in _TONE_MARKS or ch == _SARA_AM:
            kept.append(ch)
    return "".join(kept)


def _syllable(letters: str, i: int, letters_as: Consonants) -> tuple[str, int]:
    """The syllable starting at ``i`` and where the next one starts."""
    leading = ""
    if letters[i] in _LEADING_VOWELS:
        leading = letters[i]
        i += 1
    onset, i = _onset(letters, i, letters_as, bool(leading))
    vowel, i = _vowel(letters, i, leading)
    closed = vowel in _GLIDING_VOWELS
    final, i = ("", i) if closed else _final(letters, i, bool(vowel), letters_as)
    if not vowel:
        vowel = "o" if final else "a"  # the vowel Thai leaves unwritten
    return onset + vowel + final, i


def _onset(letters: str, i: int, letters_as: Consonants, led: bool) -> tuple[str, int]:
    """The consonant (or cluster) starting a syllable. ``led``: a vowel is written before
    it (เ, แ, โ ...), and then a ศร, สร or ซร is the onset whatever follows (เศรษฐา)."""
    if i >= len(letters) or letters[i] not in _CONSONANTS:
        return "", i
    first = letters[i]
    second = letters[i + 1] if i + 1 < len(letters) else ""
    if first in _SILENT_R_FIRSTS and second == "ร" and (led or _has_vowel_after(letters, i + 2)):
        return letters_as[first][0] + letters_as["ร+"][0], i + 2
    if second in _TONE_CARRIED.get(first, ()) and _has_vowel_after(letters, i + 2):
        return letters_as[second][0], i + 2
    if first in _CLUSTER_SECONDS.get(second, "") and _has_vowel_after(letters, i + 2):
        return letters_as[first][0] + letters_as[second][0], i + 2
    return letters_as[first][0], i + 1


def _has_vowel_after(letters: str, i: int) -> bool:
    """Is the consonant before ``i`` followed by a written vowel (so it starts a syllable
    with the one before it, as a cluster)?"""
    return i < len(letters) and letters[i] in _FOLLOWING_VOWELS


def _vowel(letters: str, i: int, leading: str) -> tuple[str, int]:
    """The syllable's vowel, with the leading vowel sign's combinations (เ-า ao, เ-ีย ia,
    เ-ือ uea, เ-อ oe, -ัว ua, รร an)."""
    nxt = letters[i] if i < len(letters) else ""
    after = letters[i + 1] if i + 1 < len(letters) else ""
    if leading == "เ":
        if nxt == "\u0e32":
            return "ao", i + 1
        if nxt == "\u0e35" and after == "ย":
            return "ia", i + 2
        if nxt == "\u0e37" and after == "อ":
            return "uea", i + 2
        if nxt in ("อ", "\u0e34"):
            return "oe", i + 1
    if leading:
        return {"เ": "e", "แ": "ae", "โ": "o"}.get(leading, "ai"), i + (nxt == "\u0e30")
    if nxt == "\u0e31" and after == "ว":
        return "ua", i + 2
    if nxt in _FOLLOWING_VOWELS:
        return _FOLLOWING_VOWELS[nxt], i + 1
    if nxt == "ร" and after == "ร":  # รร: "an", or "a" before a final (วรรณ wan)
        return ("a" if _closes(letters, i + 2) else "an"), i + 2
    if nxt in ("ว", "อ") and _closes(letters, i + 1):
        return ("ua" if nxt == "ว" else "o"), i + 1  # ชวน chuan, ก่อน kon
    return "", i


def _final(letters: str, i: int, written_vowel: bool, letters_as: Consonants) -> tuple[str, int]:
    """A consonant closing the syllable: one not starting the next. Before a vowel
    written in front of the next consonant it closes a syllable without a written vowel
    (สมเด็จ som-det) and opens one after a written vowel (สุรเชษฐ์ su-ra-chet)."""
    before_leading = i + 1 < len(letters) and letters[i + 1] in _LEADING_VOWELS
    if not _closes(letters, i) or (written_vowel and before_leading):
        return "", i
    if _opens_last_syllable(letters, i, written_vowel):
        return "", i
    final = letters_as[letters[i]][1]
    i += 1
    if i == len(letters) - 1 and letters[i] in _CONSONANTS:
        i += 1  # a last letter after a closing one is not said (ชินวัตร chinwat, ลักษณ์ lak)
    return final, i


def _opens_last_syllable(letters: str, i: int, written_vowel: bool) -> bool:
    """A consonant before a last ร or ล starts a syllable of its own with the unwritten
    o (กมล ka-mon, ภูมิพล phu-mi-phon, ถาวร tha-won) after a syllable without a written
    vowel or with one that may end it: any for ล; for ร only า, since the Sanskrit
    endings -tr, -kr are written after ิ, ุ, ั or a vowel written in front, and there the
    consonant closes the syllable and the ร is not said (ประวิตร prawit, บุตร but,
    ชินวัตร chinwat, เพชร phet)."""
    if i != len(letters) - 2 or letters[i + 1] not in _OPEN_BEFORE:
        return False
    return not written_vowel or letters[i - 1] in _OPEN_BEFORE[letters[i + 1]]


# A last ร or ล -> the vowels after which the consonant before it opens a syllable.
_OPEN_BEFORE = {
    "ล": frozenset("\u0e32\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39"),  # า ิ ี ึ ื ุ ู
    "ร": frozenset("\u0e32"),  # า
}


def _closes(letters: str, i: int) -> bool:
    """Does the consonant at ``i`` close the syllable before it?"""
    if i >= len(letters) or letters[i] not in _CONSONANTS:
        return False
    after = letters[i + 1] if i + 1 < len(letters) else ""
    if after in _FOLLOWING_VOWELS or (
        after == "ร" and i + 2 < len(letters) and letters[i + 2] == "ร"
    ):
        return False  # it starts the next syllable (its vowel follows)
    # ชวน: ช is the onset of "chuan", not a final
    return not (after in ("ว", "อ") and i + 2 < len(letters) and letters[i + 2] in _CONSONANTS)
