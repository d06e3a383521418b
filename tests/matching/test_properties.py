"""Properties: normalisation never crashes and is idempotent; an entry's own data is a hit."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from alertd.matching import DocumentInput, EntryInput, MatchIndex, NameInput, Traveller
from alertd.matching.names import _latin_slots, _slot_flags, prepare_name, prepare_readings
from alertd.matching.normalise import latin_name_forms
from alertd.matching.tables import NameTables, load_name_tables
from alertd.matching.token_similarity import ALIGN_MIN, TokenComparer, token_similarity
from tests.matching.helpers import NOW

# Letters from the scripts the border meets, plus marks, digits and punctuation.
SCRIPTS = (
    string.ascii_letters + "ÀÉÎÕÜàéîõüßøæđĐ" + "ẠẢẤẦẨẪẬắằẳẵặ" + "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
    + "ابتثجحخدذرزسشصضطظعغفقكلمنهويىةءأإآ" + "កខគឃងចឆជឈញដឋឌឍណតថទធនបផពភមយរលវសហឡអ"
    + "ាិីឹឺុូួើឿៀេែៃោៅំះ៊៉់្" + "กขคงจฉชซญดตถทธนบปผพฟภมยรลวศษสหอฮะัาำิีึืุูเแโใไ่้"
    + "ກຂຄງຈສຊຍດຕຖທນບປຜຝພຟມຢຣລວຫອຮະັາິີ" + "习近平王李张刘陈杨黄赵欧阳" + "김이박최정강조윤장임한오"
    + "陳張劉吳周強大文" + "0123456789 -'.,·ª\u200b\u0301"
)  # fmt: skip

names = st.text(alphabet=SCRIPTS, max_size=40)


# Loaded once for the module (not a fixture: hypothesis would print it with every example).
TABLES: NameTables = load_name_tables()


@settings(max_examples=200, deadline=None)
@given(text=names)
def test_preparing_a_name_never_crashes(text: str) -> None:
    for prepared in prepare_readings(NameInput(text), TABLES):  # every reading of it
        assert prepared.slots
        assert all(spelling.isascii() and spelling for slot in prepared.slots for spelling in slot)


@settings(max_examples=200, deadline=None)
@given(text=names)
def test_normalisation_is_idempotent(text: str) -> None:
    prepared = prepare_name(NameInput(text), TABLES)
    if prepared is None:
        return
    again = prepare_name(NameInput(" ".join(slot[0] for slot in prepared.slots)), TABLES)
    assert again is not None
    assert [slot[0] for slot in again.slots] == [slot[0] for slot in prepared.slots]


@given(text=st.text(alphabet=string.printable + "ÄÖÜäöüßØøÅåÉé", max_size=40))
def test_latin_forms_are_idempotent(text: str) -> None:
    for form in latin_name_forms(text):
        assert latin_name_forms(" ".join(form))[0] == form


documents = st.builds(
    DocumentInput,
    type=st.sampled_from(["passport", "national_id"]),
    number=st.text(alphabet=string.ascii_uppercase + string.digits, min_size=6, max_size=9),
    country=st.sampled_from(["KHM", "THA", None]),
)
dates = st.dates().map(lambda d: d.isoformat()) | st.integers(1900, 2020).map(str)
entries = st.builds(
    EntryInput,
    entry_id=st.just("E"),
    version=st.just(1),
    category=st.sampled_from(
        ["wanted_person", "potential_victim", "lost_stolen_document", "discreet_check"]
    ),
    names=st.lists(names.filter(lambda t: any(c.isalpha() for c in t)), min_size=1, max_size=3)
    .map(lambda ns: tuple(NameInput(n) for n in ns)),
    dates_of_birth=st.lists(dates, max_size=2).map(tuple),
    nationalities=st.lists(st.sampled_from(["KHM", "THA", "VNM"]), max_size=2).map(tuple),
    sex=st.sampled_from(["M", "F", None]),
    documents=st.lists(documents, max_size=2).map(tuple),
    expires_at=st.none(),
)  # fmt: skip


@settings(max_examples=80, deadline=None)
@given(listed=entries)
def test_a_traveller_built_from_an_entry_is_a_hit(listed: EntryInput) -> None:
    if all(prepare_name(n, TABLES) is None for n in listed.names) and not listed.documents:
        return  # nothing name-like and no document: nothing to match on
    if listed.category == "lost_stolen_document" and not listed.documents:
        return  # a lost/stolen-document entry is about its document
    index = MatchIndex(tables=TABLES)
    index.add(listed)
    query = Traveller(
        names=listed.names,
        date_of_birth=listed.dates_of_birth[0] if listed.dates_of_birth else None,
        nationality=listed.nationalities[0] if listed.nationalities else None,
        sex=listed.sex,
        documents=listed.documents,
    )
    matches = index.search(query, now=NOW)
    assert [m.band for m in matches] == ["hit"]


# Latin name words that exercise every rule of preparation: titles (alone, in two words,
# glued), particles and glued articles, accents with passport and plain folds, OCR slips,
# apostrophes and hyphens, common words.
LATIN_WORDS = (
    "haji", "Hajibasir", "sheikh", "lok", "chumteav", "mr", "Jr", "al-Qadhafi", "bin", "van",
    "Jürgen", "Bussières", "Øster", "d'Arcy", "Mo’alim", "rnohammed", "Mu1lah", "A1i", "Sok",
    "Chan", "Nguyen", "muhammad", "Abdul-Rahman", "ÅSA", "ß", "-", "Łukasz", "Mañana",
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(LATIN_WORDS), min_size=1, max_size=5))
def test_names_prepared_word_by_word_equal_the_whole_name(words: list[str]) -> None:
    """Names are assembled from memoised words; the result is the whole name's folding."""
    text = " ".join(words)
    prepared = prepare_name(NameInput(text), TABLES)
    whole = _latin_slots(text)
    if not whole:
        assert prepared is None
        return
    assert prepared is not None
    assert prepared.slots == whole
    assert (prepared.particles, prepared.common) == _slot_flags(whole)


tokens = st.text(alphabet="abcdehikmnorsuy", min_size=1, max_size=9)


@settings(max_examples=500, deadline=None)
@given(a=tokens, b=tokens, compared_first=st.booleans())
def test_aligned_is_the_token_similarity_where_words_align(
    a: str, b: str, compared_first: bool
) -> None:
    exact = token_similarity(a, b, TABLES)
    expected = exact if exact[0] >= ALIGN_MIN else (0.0, "different")
    comparer = TokenComparer(TABLES)
    if compared_first:  # the exact memo (the index fills it) must give the same answer
        assert comparer.compare(a, b) == exact
    assert comparer.aligned(a, b) == expected
    assert comparer.aligned(a, b) == expected  # and the floored memo
