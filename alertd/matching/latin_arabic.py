"""Arabic names as Latin passports and lists write them: what letter-by-letter comparison
of words cannot see.

- **"Abd al-X"** ("servant of the X"): one name, written as one word ("Abdulrahman",
  "Abdelrahman", "Abdurrahman"), two ("Abdul Rahman", and in Malaysia "Abd Rahman") or
  three ("Abd al-Rahman", "Abd el Kader"). The word comparison joins two adjacent words,
  not three, so "Abd al-Rahman ibn Khalid al-Tamimi" and "Abdulrahman Khalid Al Tamimi"
  shared only Khalid and Tamimi; and two words it joins as written ("abdulrahman"), which
  the index's keys did not bring near "Abdurrahman". A name holding the three words, or
  "Abd" (or "Abd" with the article glued on) and a stem, is also read with them as one
  word, spelled the ways the one word is written: the article as "al", "ul", "el", or
  assimilated to a first "sun" letter ("ar-Rahman": "Abdurrahman"), as arabic.py reads
  عبد الرحمن.
- **Abbreviations of Muhammad** that Malaysian, Singaporean, Bruneian and Bangladeshi
  passports print ("MOHD", "MUHD", "MD"): the slot gets Muhammad as another spelling.

Pure functions of a name's slots (each a tuple of spellings, the first as written).
"""

from __future__ import annotations

from typing import Final

from alertd.matching.normalise import is_particle
from alertd.matching.phonetic import phonetic_key, vowel_key

Slot = tuple[str, ...]

ABD: Final = "abd"
# The article as romanised, plain ("al", "el", "ul", "il") or assimilated to the next
# word ("ar-Rahman", "as-Salam", "ad-Din", "an-Nur", "ash-Shakur", "at-Tawab", "az-Zahir";
# "ur", "us", "ud" after "Abd": "Abd ur-Rahman").
ARTICLES: Final = frozenset(
    {"al", "el", "ul", "il", "ar", "as", "ad", "an", "ash", "at", "az", "ur", "us", "ud"}
)
# Latin first letters of the Arabic "sun" letters, which the article assimilates to:
# t th d dh r z s sh ṣ ḍ ṭ ẓ n (and l, written "al-l..." either way).
SUN_LETTERS: Final = frozenset("tdrzsnl")
# The ways "Abd" and the article are written as one word before a stem.
ABD_ARTICLE_FORMS: Final = ("abdul", "abdel", "abdal")
# "Abd" with the article glued on, as a word of its own before the stem ("Abdul Rahman",
# "Abdur Rahim", Persian "Abdol Hossein", West African "Abdoul Karim") -> that article.
GLUED_ABD: Final = {
    "abdul": "ul",
    "abdel": "el",
    "abdal": "al",
    "abdol": "ol",
    "abdoul": "oul",
    "abdur": "ur",
    "abdus": "us",
}
# What follows "Abd al-" in a name: the names of God, and a few more that names hold
# (al-Nabi, al-Rasul, al-Masih, al-Muttalib, Manaf, Shams; Shia names: Abdolhossein,
# Abdolreza, Abd al-Zahra, Abd al-Amir, Abd al-Mahdi). Only these make a compound of
# two words: "Abdul Muhammad Khan" is Abdul and Muhammad, and read as one word it met
# "Khan Ahmad Muhammad" by the letters "ahmadmuhammad" shares with "abdalmuhammad".
_DIVINE_NAMES: Final = """
allah ilah rahman rahim malik quddus salam mumin muhaymin aziz jabbar mutakabbir khaliq
bari musawwir ghaffar qahhar wahhab razzaq fattah alim qabid basit khafid rafi muizz sami
basir hakam adl latif khabir halim azim ghafur shakur ali kabir hafiz muqit hasib jalil
karim raqib mujib wasi hakim wadud majid shahid haqq wakil qawi matin wali hamid muhsi
mubdi muid muhyi hayy qayyum wajid wahid ahad samad qadir muqtadir awwal akhir zahir
batin barr tawwab muntaqim afuw rauf muqsit jami ghani mughni mani nafi nur hadi badi
baqi warith rashid sabur jalal mannan sattar munim nabi rasul masih muttalib manaf shams
haque husain reza zahra amir mahdi imam
"""
# Compared by sound with the vowels folded ("Kader", "Qadir", "Gadir"; "Raheem").
DIVINE_NAME_KEYS: Final = frozenset(vowel_key(phonetic_key(name)) for name in _DIVINE_NAMES.split())
# Stems shorter than this are not a name after "Abd al-" (a lone initial, "Abd al A").
MIN_STEM: Final = 3

MUHAMMAD: Final = "muhammad"
MUHAMMAD_ABBREVIATIONS: Final = frozenset({"mohd", "muhd", "mhd", "md", "mohamd"})


def spell_out_abbreviations(slots: tuple[Slot, ...]) -> tuple[Slot, ...]:
    """The slots with Muhammad added as another spelling of its abbreviations (the same
    object when there is none: most names)."""
    if MUHAMMAD_ABBREVIATIONS.isdisjoint([slot[0] for slot in slots]):
        return slots
    return tuple(
        (*slot, MUHAMMAD) if slot[0] in MUHAMMAD_ABBREVIATIONS and MUHAMMAD not in slot else slot
        for slot in slots
    )


def joined_compounds(slots: tuple[Slot, ...]) -> tuple[Slot, ...] | None:
    """The slots with each "Abd" + article + stem, or "Abd" (alone or with its article
    glued on) + stem, made one word; None when the name holds none. Another reading of
    the name, not a replacement: a list's order or an MRZ may part the words ("QADIR ...
    'ABD AL"), and then they align one by one."""
    for slot in slots:  # a loop, not any(): this runs for every Latin name
        if ABD in slot or slot[0] in GLUED_ABD:
            break
    else:
        return None
    out: list[Slot] = []
    i = 0
    while i < len(slots):
        if _starts_compound(slots, i):
            out.append(abd_compound(slots[i + 1][0], slots[i + 2][0]))
            i += 3
        elif (article := _compound_article(slots, i)) is not None:
            out.append(_two_word_compound(article, slots[i + 1][0]))
            i += 2
        else:
            out.append(slots[i])
            i += 1
    return tuple(out) if len(out) < len(slots) else None


def _starts_compound(slots: tuple[Slot, ...], i: int) -> bool:
    return (
        ABD in slots[i]  # as written, or split from a glued title ("Haji'abd")
        and i + 2 < len(slots)
        and slots[i + 1][0] in ARTICLES
        and _is_stem(slots[i + 2][0])
    )


def _compound_article(slots: tuple[Slot, ...], i: int) -> str | None:
    """The article of the "Abd" starting a two-word compound at ``i`` ("al" when it is
    unwritten: "Abd Rahman"); None when none starts there (the next word no name of God)."""
    if i + 1 >= len(slots) or not _is_stem(slots[i + 1][0]):
        return None
    if not _is_divine_name(slots[i + 1][0]):
        return None
    if ABD in slots[i]:
        return "al"
    return GLUED_ABD.get(slots[i][0])


def _is_stem(word: str) -> bool:
    """A word that can follow "Abd al-" (not an initial, an article or a particle such as
    "bin": "Abdul bin Hassan" is Abdul, son of Hassan)."""
    return len(word) >= MIN_STEM and word not in ARTICLES and not is_particle(word)


def _is_divine_name(word: str) -> bool:
    """One of the names that follow "Abd al-" (``DIVINE_NAME_KEYS``), written with its
    article glued on or not ("Allah", "Alrahman")."""
    return any(
        vowel_key(phonetic_key(form)) in DIVINE_NAME_KEYS
        for form in (word, _without_glued_article(word))
    )


def _two_word_compound(article: str, stem: str) -> Slot:
    """One word from "Abd" + ``article`` and ``stem``, which may hold the article itself:
    "Abd Allah" is Abdallah (Abdullah), not Abd-al-allah."""
    bare = _without_glued_article(stem)
    return abd_compound("al", bare) if bare != stem else abd_compound(article, stem)


def _without_glued_article(word: str) -> str:
    """``word`` without an article glued to its front ("Alrahman", "Allah" as al-Lah), or
    as written (a short word beginning "al": "Ali", "Alim")."""
    return word[2:] if word.startswith("al") and len(word) > MIN_STEM + 1 else word


def abd_compound(article: str, stem: str) -> Slot:
    """The one-word spellings of "Abd" + ``article`` + ``stem``: as written first, then
    with each usual article, then assimilated when the stem starts with a sun letter."""
    spellings = [ABD + article + stem, *(form + stem for form in ABD_ARTICLE_FORMS)]
    if stem[0] in SUN_LETTERS:
        spellings.append("abdu" + stem[0] + stem)  # Abdurrahman, Abdussalam, Abdunnur
    return tuple(dict.fromkeys(spellings))
