"""Lao names: the syllable reader's rules word by word, well-known Lao names written in Lao
against the spellings their passports and lists carry, and the reader on random Lao text.
"""

from __future__ import annotations

import itertools
import unicodedata

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from alertd.matching import MatchIndex
from alertd.matching.lao import romanise_lao_word
from alertd.matching.tables import NameTables
from alertd.matching.transliterate import romanise
from tests.matching.helpers import band, entry, name_case, traveller

_ids = itertools.count()


@pytest.mark.parametrize(
    ("word", "official", "also"),
    [
        ("ຄຸນ", "khoun", "khun"),  # ຸ as "ou" (French), and "u"
        ("ພູມີ", "phoumy", "phumi"),  # ູ "ou"; a word-final "i" as "y"
        ("ໄຊ", "xay", "sai"),  # ຊ as "x", ໄ as "ay"
        ("ສິດ", "sith", "sit"),  # ດ closing a word: "th"
        ("ຈັນ", "chanh", "chan"),  # ັນ closing a word: "nh"
        ("ຫານ", "hane", "han"),  # ານ closing a word: "ne"
        ("ສອນ", "sone", "son"),  # ອ between consonants is "o"; ນ after it "ne"
        ("ຍັງ", "nhang", "nyang"),  # ຍ starting a syllable
        ("ທຳ", "tham", "tham"),  # ຳ
        ("ເພັດ", "pheth", "phet"),  # a leading vowel is said after its consonant
        ("ບົວ", "boua", "bua"),  # ົວ
        ("ວຽງ", "vieng", "viang"),  # ຽ
        ("ເມືອງ", "muang", "mueang"),  # ເ-ືອ
        ("ແກ້ວ", "keo", "kaew"),  # tone mark dropped; final ວ
        ("ໜູ", "nou", "nu"),  # ໜ: ຫ carries the tone of ນ
        ("ເຫຼີມ", "leum", "loem"),  # ຫຼ is "l"; ເ-ີ
        ("ມະລີ", "maly", "mary"),  # ລ inside a word also "r" (Pali names)
        ("ຈັນທ໌", "chanh", "chan"),  # the cancellation mark silences its letter
        ("ບຸບຜາ", "boupha", "buppha"),  # official: a closing p before ph written once
    ],
)
def test_word_rules(word: str, official: str, also: str) -> None:
    spellings = romanise_lao_word(word)
    assert spellings[0] == official
    assert also in spellings


def test_precomposed_and_decomposed_letters_read_alike() -> None:
    """ຳ and ໜ are one code point or two (NFKC): the reading does not depend on it."""
    for word in ("ທຳມະ", "ໜູຮັກ"):
        decomposed = unicodedata.normalize("NFKC", word)
        assert decomposed != word
        assert romanise_lao_word(word) == romanise_lao_word(decomposed)


def test_after_ay_the_glide_is_not_nh() -> None:
    assert romanise_lao_word("ໄຊຍະສອນ")[0] == "xayasone"


# Well-known Lao people (presidents, prime ministers, ministers) and the spellings their
# passports and the UN, press and government lists carry.
GOLDEN = [
    name_case("ໄກສອນ ພົມວິຫານ", "Kaysone PHOMVIHANE", "hit"),
    name_case("ຈູມມະລີ ໄຊຍະສອນ", "Choummaly SAYASONE", "hit"),
    name_case("ບົວສອນ ບຸບຜາວັນ", "Bouasone BOUPHAVANH", "hit"),
    name_case("ສະເຫຼີມໄຊ ກົມມະສິດ", "Saleumxay KOMMASITH", "hit"),
    name_case("ປານີ ຢາທໍ່ຕູ້", "Pany YATHOTOU", "hit"),
    name_case("ໜູຮັກ ພູມສະຫວັນ", "Nouhak PHOUMSAVANH", "hit"),
    name_case("ທອງສິງ ທຳມະວົງ", "Thongsing THAMMAVONG", "hit"),
    name_case("ອາລຸນແກ້ວ ກິດຕິຄຸນ", "Alounkeo KITTIKHOUN", "hit"),
    name_case("ສຸພານຸວົງ", "SOUPHANOUVONG", "hit"),
    name_case("ພູມີ ວົງວິຈິດ", "Phoumi VONGVICHIT", "hit"),
    name_case("ສົມສະຫວາດ ເລັ່ງສະຫວັດ", "Somsavat LENGSAVAD", "hit"),
    # English-language spellings (u, s) meet the same Lao name
    name_case("ໄກສອນ ພົມວິຫານ", "Kaison PHOMVIHAN", "hit"),
    # Different people stay apart.
    name_case("ໄກສອນ ພົມວິຫານ", "Choummaly SAYASONE", None),
    name_case("ທອງສິງ ທຳມະວົງ", "Thongsing KITTIKHOUN", None),  # the given name alone
    name_case("ບົວສອນ ບຸບຜາວັນ", "Nouhak PHOUMSAVANH", None),
]


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    return MatchIndex()


@pytest.mark.parametrize(("query", "listed", "expected"), GOLDEN)
def test_lao_name_meets_its_passport_spelling(
    index: MatchIndex, query: str, listed: str, expected: str | None
) -> None:
    listed_entry = entry(listed, entry_id=f"L{next(_ids)}")
    assert band(index, traveller(query), listed_entry) == expected


_LAO_LETTERS = [chr(c) for c in range(0x0E80, 0x0F00) if unicodedata.category(chr(c)) != "Cn"]
_TONE_MARKS = "\u0ec8\u0ec9\u0eca\u0ecb"
lao_text = st.text(alphabet=st.sampled_from(_LAO_LETTERS), min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(word=lao_text)
def test_reader_never_crashes_and_spells_in_latin(word: str) -> None:
    for spelling in romanise_lao_word(word):
        assert spelling and spelling.isascii() and spelling == spelling.lower()


@settings(max_examples=200, deadline=None)
@given(word=lao_text, at=st.integers(min_value=0, max_value=12), mark=st.sampled_from(_TONE_MARKS))
def test_tone_marks_do_not_change_the_reading(word: str, at: int, mark: str) -> None:
    """Latin spellings carry no tones: a tone mark anywhere leaves the word's spellings."""
    assert romanise_lao_word(word[:at] + mark + word[at:]) == romanise_lao_word(word)


@settings(max_examples=100, deadline=None)
@given(words=st.lists(lao_text, min_size=1, max_size=3))
def test_lao_names_get_latin_slots(words: list[str]) -> None:
    text = " ".join(words)
    assume(any(ch.isalpha() for ch in text))  # marks alone are no name in any script
    slots = romanise(text, NameTables())
    assert slots is not None
    assert all(s.isascii() for slot in slots for s in slot)
