"""The romanisers one word at a time: the spellings a native-script name is compared by."""

from __future__ import annotations

import pytest
from anyascii import anyascii

from alertd.matching.tables import NameTables, packaged_name_tables
from alertd.matching.thai import romanise_thai_word
from alertd.matching.transliterate import romanise, rule_romanisation


@pytest.fixture(scope="module")
def tables() -> NameTables:
    return packaged_name_tables()


def _spellings(text: str, tables: NameTables) -> list[tuple[str, ...]]:
    slots = romanise(text, tables)
    assert slots is not None
    return list(slots)


@pytest.mark.parametrize(
    ("word", "reading"),
    [
        ("بصير", "basir"),  # ي between consonants is i; a short a after the first
        ("وليد", "walid"),  # initial و is w
        ("فضل", "fadl"),  # a consonant after a short vowel closes the syllable
        ("رحمت", "rahmat"),
        ("زاهد", "zahad"),  # after a long vowel it opens one
        ("سعيد", "said"),  # ع takes a vowel and is not written
        ("تواب", "tawab"),  # و before alef is w
        ("طلحه", "talha"),  # final heh after a consonant is the vowel a
        ("شاه", "shah"),  # ...not after alef
    ],
)
def test_arabic_words_get_a_vowelled_reading(word: str, reading: str) -> None:
    """Names not in the table are read with the vowels the script leaves out, so they meet
    their Latin spelling as a word, not only by consonant skeleton."""
    slots = _spellings(word, NameTables())
    assert len(slots) == 1
    assert reading in slots[0]


def test_open_syllable_reading_is_offered_too() -> None:
    slot = _spellings("نظر", NameTables())[0]
    assert "nazr" in slot and "nazar" in slot


def test_consonantal_spellings_stay(tables: NameTables) -> None:
    slot = _spellings("بصير", tables)[0]
    assert {"bsr", "bsyr"} <= set(slot)


def test_persian_reading_is_vowelled_too(tables: NameTables) -> None:
    assert "fazl" in _spellings("فضل", tables)[0]


@pytest.mark.parametrize("text", ["عبد البصیر", "عبدالبصیر"])
def test_abd_takes_the_article(text: str, tables: NameTables) -> None:
    """Abd al-Basir is listed "Abdul Basir": no lone "al" left over."""
    slots = _spellings(text, tables)
    assert len(slots) == 2
    assert "abdul" in slots[0] and "basir" in slots[1]


def test_abd_before_a_sun_letter_is_also_said_assimilated(tables: NameTables) -> None:
    assert "abdur" in _spellings("عبد الرشيد", tables)[0]


def test_two_known_words_written_together_are_split(tables: NameTables) -> None:
    """After a non-joining letter a missing space is invisible (محمدعلی)."""
    slots = _spellings("محمدعلی", tables)
    assert len(slots) == 2
    assert "mohammad" in slots[0] and "ali" in slots[1]


@pytest.mark.parametrize("word", ["ابراهيم", "محمد", "دلاور"])
def test_one_word_names_are_not_split(word: str, tables: NameTables) -> None:
    assert len(_spellings(word, tables)) == 1


def test_a_word_with_the_article_is_one_name(tables: NameTables) -> None:
    """الدوري is al-Duri, not two table fragments (الدو + ري) glued together."""
    slots = _spellings("الدوري", tables)
    assert slots[0][0] == "al"
    assert len(slots) == 2 and "duri" in slots[1]


def test_rule_romanisation_is_consonantal() -> None:
    """build_tables checks table pairs against this: it must not change with the vowels."""
    assert rule_romanisation("بصير") == "bsr"
    assert rule_romanisation("Сергей") == "sergei"
    assert rule_romanisation("习近平") is None


@pytest.mark.parametrize(
    ("name", "spelling"),
    [
        ("Тоқаев", "tokaev"),  # Kazakh қ, dropped before
        ("Раҳмон", "rahmon"),  # Tajik ҳ
        ("Ғайрат", "gairat"),  # Uzbek and Tajik ғ
        ("Әбішұлы", "abishuly"),  # Kazakh ә, ұ
        ("Алиев", "aliyev"),  # BGN: е after a vowel is "ye"
        ("Елена", "yelena"),  # ...and first in a word
        ("Ильхам", "ilham"),  # х as "h" in names from Arabic and Persian
    ],
)
def test_cyrillic_letters_of_every_alphabet_are_romanised(name: str, spelling: str) -> None:
    slots = _spellings(name, NameTables())
    assert spelling in slots[0]


def test_chinese_names_also_get_wade_giles(tables: NameTables) -> None:
    """Taiwanese passports and older lists: 蔡 Tsai, 张学良 Chang Hsueh-liang."""
    assert _spellings("蔡英文", tables)[0][:2] == ("cai", "tsai")
    family, given = _spellings("张学良", tables)
    assert (family[:2], given[:2]) == (("zhang", "chang"), ("xueliang", "hsuehliang"))


def test_chinese_names_also_get_cantonese_after_pinyin_and_wade_giles(
    tables: NameTables,
) -> None:
    """Hong Kong and Macau passports: 張學友 Cheung Hok Yau (cantonese.py)."""
    family, given = _spellings("張學友", tables)
    assert family == ("zhang", "chang", "cheung", "jeung")
    assert given[:2] == ("xueyou", "hsuehyu")
    assert "hokyau" in given


def test_a_one_letter_wade_giles_name_is_left_out(tables: NameTables) -> None:
    """毅 is "I" in Wade-Giles: as a spelling it would read as an initial."""
    given = _spellings("王毅", tables)[1]
    assert given[0] == "yi"
    assert "i" not in given


@pytest.mark.parametrize(
    ("name", "spelling"),
    [
        ("สมชาย", "somchai"),  # unwritten o in a closed syllable, final ย as i
        ("ทักษิณ", "thaksin"),
        ("ประยุทธ์", "prayut"),  # cluster ปร; the letter under the karan is silent
        ("ชวน", "chuan"),  # ว between consonants
        ("วงษ์สุวรรณ", "wongsuwan"),  # รร before a final
        ("เสาวลักษณ์", "saowalak"),  # vowel written before its consonant
        ("หลีก", "lik"),  # ห only carries the tone
        ("อนุทิน", "anuthin"),  # อ carries a vowel
        ("กมล", "kamon"),  # a last ร or ล is said, with the unwritten o before it...
        ("ถาวร", "thawon"),
        ("ภูมิพล", "phumiphon"),
        ("บุตร", "but"),  # ...but not after a syllable that needs a final
        ("ประวิตร", "prawit"),  # (a Sanskrit -tr)
        ("เพชร", "phet"),
        ("ศรี", "si"),  # ร after ศ, ส, ซ is not said...
        ("เศรษฐา", "settha"),  # ...even before a final, after a vowel written in front
        ("สร้าง", "sang"),
    ],
)
def test_thai_words_read_by_syllable(name: str, spelling: str) -> None:
    assert _spellings(name, NameTables())[0][0] == spelling


@pytest.mark.parametrize(
    ("name", "spelling"),
    [
        ("ทวีสิน", "thavisin"), ("สมพร", "somporn"), ("กมล", "kamol"), ("ภูมิพล", "pumipol"),
        ("ศรี", "sri"), ("เศรษฐา", "srettha"),  # passports write the unsaid ร
    ],
)  # fmt: skip
def test_thai_words_also_get_the_letters_passports_write(name: str, spelling: str) -> None:
    assert _spellings(name, NameTables())[0][1] == spelling


@pytest.mark.parametrize("text", ["ั", "๑๒", "ๆ", "เ", "ฯ", "สมชาย๑", "ำำ"])
def test_thai_romaniser_ends_on_any_text(text: str) -> None:
    """Stray marks and Thai digits are skipped, not looped on."""
    assert romanise_thai_word(text).isascii()


@pytest.mark.parametrize(
    ("name", "spelling"),
    [
        ("नरेन्द्र", "narendra"),  # the unwritten vowel read (anyascii: "nrendr")
        ("रहमान", "rahman"),  # ...and left out between VC and CV, as Hindi says it
        ("अमित", "amit"),  # ...and at the end of a word
        ("गांधी", "gandhi"),  # a nasal sign as the nasal of the next consonant
        ("ज़ाकिर", "zakir"),  # nukta: a Persian sound
        ("শেখ", "shekh"),  # Bengali; श/শ as "sh"
        ("ਸਿੰਘ", "singh"),  # Gurmukhi
    ],
)
def test_south_asian_words_get_their_unwritten_vowels(name: str, spelling: str) -> None:
    assert spelling in _spellings(name, NameTables())[0]


def test_a_one_consonant_word_is_not_an_initial() -> None:
    assert _spellings("क", NameTables())[0] == ("ka",)


def test_lao_is_read_by_syllable_then_letter_by_letter() -> None:
    """lao.py's official spelling first; anyascii's letters stay as a last spelling."""
    (slot,) = _spellings("ສອນໄຊ", NameTables())
    assert slot[0] == "sonexay"
    assert {"sonsay", "sonsai"} <= set(slot)
    assert slot[-1] == anyascii("ສອນໄຊ").lower()
