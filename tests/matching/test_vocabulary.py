"""The vocabulary's grading loses no token the comparison would align.

``Vocabulary.aligning`` grades the tokens ``near`` finds all at once (token_grades) and
drops those the token comparison cannot align; the index adds nickname and
transliteration neighbours from its tables on its own. So every token ``near`` finds
that aligns by any other grade must come back, with the comparison's own similarity, for
any spelling.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from alertd.matching.alignment import JOINED_MAX_LENGTH_GAP
from alertd.matching.index import SPLIT_ACROSS_FROM
from alertd.matching.phonetic import is_abjad, phonetic_key, vowel_key
from alertd.matching.tables import NameTables, load_name_tables, packaged_name_tables
from alertd.matching.token_similarity import ALIGN_MIN, TokenComparer, token_similarity
from alertd.matching.vocabulary import (
    KEY_THREE_EDITS_FROM,
    KEY_TWO_EDITS_FROM,
    LONGEST_EDITED,
    THREE_EDITS_FROM,
    TWO_EDITS_FROM,
    UNSEEN_FROM,
    Vocabulary,
)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Listed words of several origins, with near spellings, initials and an abjad form.
LISTED = _words(
    "mohammed muhammad mohamad mhmd ali aly hassan hasan hussein husayn sok sokh sak chan "
    "chhay chhai chay dara dary sophal sophaly heng hong khan kahn jongun jeongeun kim "
    "kimjong abdul abdel abdullah abdulrahman rahman rehman qadhafi gaddafi kadafi "
    "sergey sergei serhiy vladimir volodymyr nguyen nguyn tran le pham wang zhang j m "
    "imein imani hashem hishan maleki mlaeki judith juda william bill"
)


@pytest.fixture(scope="module")
def tables() -> NameTables:
    return load_name_tables()


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    listed = Vocabulary()
    for word in LISTED:
        listed.id_of(word)
    return listed


def _edited(word: str, rng: random.Random) -> str:
    """One or two random edits: a letter dropped, added, replaced or two swapped."""
    letters = list(word)
    for _ in range(rng.choice((1, 2))):
        at = rng.randrange(len(letters) + 1)
        kind = rng.randrange(4)
        if kind == 0 and at < len(letters) and len(letters) > 1:
            del letters[at]
        elif kind == 1:
            letters.insert(at, rng.choice("aeiouhknrst"))
        elif kind == 2 and at < len(letters):
            letters[at] = rng.choice("aeiouhknrst")
        elif at + 1 < len(letters):
            letters[at], letters[at + 1] = letters[at + 1], letters[at]
    return "".join(letters)


def _aligning(
    spelling: str, ids: set[int] | list[int], vocabulary: Vocabulary, tables: NameTables
) -> set[str]:
    """The tokens among ``ids`` that align with ``spelling`` by a grade other than the
    tables' (nickname, transliteration: the index looks those up itself)."""
    comparer = TokenComparer(tables)
    found = set()
    for tid in ids:
        token = vocabulary.tokens[tid]
        if tables.are_nicknames(spelling, token) or tables.are_transliterations(spelling, token):
            continue
        if comparer.aligned(spelling, token)[0] >= ALIGN_MIN:
            found.add(token)
    return found


@settings(max_examples=300, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_grading_keeps_every_token_that_aligns(
    seed: int, vocabulary: Vocabulary, tables: NameTables
) -> None:
    rng = random.Random(seed)
    spelling = _edited(rng.choice(LISTED), rng)
    everything = _aligning(spelling, vocabulary.near(spelling), vocabulary, tables)
    ids, grades, reasons, compared = vocabulary.aligning(spelling)
    assert everything <= {vocabulary.tokens[tid] for tid in (*ids, *compared)}
    comparer = TokenComparer(tables)
    for tid, graded, reason in zip(ids, grades, reasons, strict=True):
        token = vocabulary.tokens[tid]
        if token in everything:
            assert comparer.compare(spelling, token) == (graded, reason)


def test_grading_drops_tokens_that_cannot_align(vocabulary: Vocabulary, tables: NameTables) -> None:
    near = vocabulary.near("hassan")
    ids, _, _, compared = vocabulary.aligning("hassan")
    assert len(ids) + len(compared) < len(near)
    assert _aligning("hassan", [*ids, *compared], vocabulary, tables) == _aligning(
        "hassan", near, vocabulary, tables
    )


_LETTERS = "abcdefghiklmnoprstuyz"


def _with_edits(word: str, edits: list[tuple[int, int, str]]) -> str:
    """``word`` with each (kind, position, letter) edit applied: 0 substitutes, 1 inserts,
    2 deletes, 3 swaps two adjacent letters."""
    for kind, position, letter in edits:
        at = position % max(1, len(word))
        if kind == 0:
            word = word[:at] + letter + word[at + 1 :]
        elif kind == 1:
            word = word[:at] + letter + word[at:]
        elif kind == 2 and len(word) > 1:
            word = word[:at] + word[at + 1 :]
        elif kind == 3 and at + 1 < len(word):
            word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    return word


def _found_among_listed(query: str, listed: str) -> bool:
    """Whether ``query`` finds ``listed`` in a vocabulary of LISTED and ``listed``."""
    vocabulary = Vocabulary()
    for word in LISTED:
        vocabulary.id_of(word)
    tid = vocabulary.id_of(listed)
    vocabulary.settle()
    return tid in vocabulary.near(query)


_edit = st.tuples(st.integers(0, 3), st.integers(0, 20), st.sampled_from(_LETTERS))


@settings(max_examples=400)
@given(
    st.text(_LETTERS, min_size=TWO_EDITS_FROM, max_size=12),
    st.lists(_edit, min_size=1, max_size=2),
)
def test_a_listed_word_two_edits_from_a_long_query_word_is_near(
    query: str, edits: list[tuple[int, int, str]]
) -> None:
    """Any listed spelling two edits (OSA) from a query word of TWO_EDITS_FROM letters or
    more is found, longer or shorter (the scorer can align them: 1 - 2/7 > ALIGN_MIN),
    unless it is an abjad spelling (compared by its skeleton, through its own keys)."""
    listed = _with_edits(query, edits)
    assume(not is_abjad(listed))
    assert _found_among_listed(query, listed)


@settings(max_examples=300)
@given(
    st.text(_LETTERS, min_size=THREE_EDITS_FROM, max_size=13),
    st.lists(_edit, min_size=3, max_size=3),
)
def test_a_listed_word_three_edits_from_a_longer_query_word_is_near(
    query: str, edits: list[tuple[int, int, str]]
) -> None:
    """Three edits from a query word of THREE_EDITS_FROM letters or more ("Abdelhadi" ~
    "Abdelrazik": 1 - 3/10 > ALIGN_MIN), longer or shorter, unless abjad."""
    listed = _with_edits(query, edits)
    assume(not is_abjad(listed) and len(listed) > 1)
    assert _found_among_listed(query, listed)


@settings(max_examples=300)
@given(
    st.text(_LETTERS, min_size=5, max_size=12),
    st.lists(_edit, min_size=1, max_size=4),
)
def test_a_listed_word_whose_sound_is_two_edits_away_is_near(
    query: str, edits: list[tuple[int, int, str]]
) -> None:
    """Phonetic keys two edits apart, the longer of KEY_TWO_EDITS_FROM letters or more and
    the shorter of five or more (below, two edits cannot align: 0.97 x 3/5), are found
    ("Abbakar" ~ "Aboubacar"), unless the listed word is abjad."""
    _assert_found_when_keys_apart(query, _with_edits(query, edits), 2, KEY_TWO_EDITS_FROM, 5)


@settings(max_examples=300)
@given(
    st.text(_LETTERS, min_size=KEY_THREE_EDITS_FROM, max_size=14),
    st.lists(_edit, min_size=3, max_size=5),
)
def test_a_listed_word_whose_long_sound_is_three_edits_away_is_near(
    query: str, edits: list[tuple[int, int, str]]
) -> None:
    """Phonetic keys three edits apart, the longer of KEY_THREE_EDITS_FROM letters or more
    (below, three edits cannot align: 0.97 x 6/9), are found, unless the listed word is
    abjad."""
    _assert_found_when_keys_apart(query, _with_edits(query, edits), 3, KEY_THREE_EDITS_FROM, 1)


def _assert_found_when_keys_apart(
    query: str, listed: str, edits: int, longer_from: int, shorter_from: int
) -> None:
    """``listed`` is near ``query`` if their phonetic keys are at most ``edits`` apart,
    the longer of ``longer_from`` letters or more and the shorter of ``shorter_from``."""
    query_key, listed_key = phonetic_key(query), phonetic_key(listed)
    assume(not is_abjad(listed) and len(listed) > 1)
    assume(OSA.distance(query_key, listed_key) <= edits)
    assume(max(len(query_key), len(listed_key)) >= longer_from)
    assume(min(len(query_key), len(listed_key)) >= shorter_from)
    assert _found_among_listed(query, listed)


@settings(max_examples=300)
@given(
    st.text(_LETTERS, min_size=TWO_EDITS_FROM - 1, max_size=TWO_EDITS_FROM - 1),
    st.lists(
        st.tuples(st.sampled_from((0, 2)), st.integers(1, 5), st.sampled_from(_LETTERS)),
        min_size=1,
        max_size=2,
    ),
)
def test_a_six_letter_word_aligning_with_a_shorter_query_word_is_near_or_unseen(
    listed: str, edits: list[tuple[int, int, str]]
) -> None:
    """What ``near`` misses of the six-letter words that align with a query word of
    UNSEEN_FROM to six letters (substitutions and deletions after the first letter),
    ``unseen`` gives: the bound counts them (bounds.py). Not abjad spellings."""
    query = _with_edits(listed, edits)
    assume(len(query) >= UNSEEN_FROM and not is_abjad(listed) and not is_abjad(query))
    assume(token_similarity(query, listed, packaged_name_tables())[0] >= ALIGN_MIN)
    vocabulary = Vocabulary()
    for word in LISTED:
        vocabulary.id_of(word)
    tid = vocabulary.id_of(listed)
    vocabulary.settle()
    assert tid in vocabulary.near(query) or tid in vocabulary.unseen(query)


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("abdelhadi", "abdelrazik"),
        ("audulahi", "abdulaziz"),
        ("abbakar", "aboubacar"),
        ("abisov", "aiso"),
        ("adamec", "adams"),
        ("abdelkader", "abdelouadoud"),
    ],
)
def test_words_the_one_and_two_edit_keys_missed_are_near(query: str, listed: str) -> None:
    """Misses of the index at 100,000 and 1,000,000 synthetic entries: three spelling
    edits, keys two (three) edits apart, a shorter word two edits from a word of six
    letters; the scorer aligns them (0.67-0.73)."""
    assert _found_among_listed(query, listed)
    assert token_similarity(query, listed, load_name_tables())[0] >= ALIGN_MIN


@pytest.mark.parametrize(
    ("query", "listed"),
    [("poy", "pok"), ("sno", "son"), ("lnu", "lu"), ("kmi", "kim")],
)
def test_a_three_letter_word_one_edit_away_is_near(query: str, listed: str) -> None:
    """Syllables of Korean, Chinese and Khmer names are words of three letters, and one
    typed edit away they still align (1 - 1/3 with the same first letter): "Man-poy
    CHO'NG" is "Man-pok CHO'NG", "Lnu-Chi SU" is "Lu-Chi SU"."""
    assert _found_among_listed(query, listed)
    assert token_similarity(query, listed, load_name_tables())[0] >= ALIGN_MIN


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(LISTED),
    st.sampled_from(LISTED),
    st.lists(
        st.tuples(st.sampled_from((0, 1, 2, 3)), st.integers(1, 12), st.sampled_from(_LETTERS)),
        max_size=2,
    ),
)
def test_two_listed_words_a_joined_query_word_aligns_with_are_alike_joined(
    first: str, second: str, edits: list[tuple[int, int, str]]
) -> None:
    """A query word (SPLIT_ACROSS_FROM letters or more) the token comparison aligns with
    two listed words written together (within alignment.JOINED_MAX_LENGTH_GAP letters) is
    ``alike_joined`` to that pair."""
    query = _with_edits(first + second, edits)
    assume(abs(len(query) - len(first + second)) <= JOINED_MAX_LENGTH_GAP)
    assume(len(query) >= SPLIT_ACROSS_FROM and not is_abjad(query))
    assume(token_similarity(query, first + second, packaged_name_tables())[0] >= ALIGN_MIN)
    vocabulary = Vocabulary()
    for word in LISTED:
        vocabulary.id_of(word)
    pair = (np.array([vocabulary.ids[first]]), np.array([vocabulary.ids[second]]))
    assert vocabulary.alike_joined((query,), *pair).tolist() == [True]


def test_a_pair_of_listed_words_of_another_length_is_not_alike_joined() -> None:
    vocabulary = Vocabulary()
    firsts = np.array([vocabulary.id_of("nelson"), vocabulary.id_of("al")])
    seconds = np.array([vocabulary.id_of("albeiro"), vocabulary.id_of("ba")])
    assert vocabulary.alike_joined(("nelsalbeiro",), firsts, seconds).tolist() == [True, False]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from([word for word in LISTED if len(word) >= TWO_EDITS_FROM - 1]),
    st.lists(
        st.tuples(st.sampled_from((0, 1, 2, 3)), st.integers(1, 12), st.sampled_from(_LETTERS)),
        min_size=1,
        max_size=2,
    ),
)
def test_a_long_query_word_needs_no_vowel_neighbourhood(
    listed: str, edits: list[tuple[int, int, str]]
) -> None:
    """A query word of TWO_EDITS_FROM letters or more does not look up the vowel-key
    deletion neighbourhood (most of its candidates, on the screening bench's names): what
    it holds that aligns, the spelling and sound forms two and three edits wide find (on
    these words; see vocabulary.near for the rare long word where they do not)."""
    query = _with_edits(listed, edits)
    assume(len(query) >= TWO_EDITS_FROM and not is_abjad(query))
    vocabulary = Vocabulary()
    for word in LISTED:
        vocabulary.id_of(word)
    vocabulary.settle()
    tables = packaged_name_tables()
    near = vocabulary.near(query)
    for tid in vocabulary._vowel_neighbours(vowel_key(phonetic_key(query))):
        word = vocabulary.tokens[tid]
        similarity, reason = token_similarity(query, word, tables)
        if similarity >= ALIGN_MIN and reason in ("spelling", "phonetic", "vowels"):
            assert tid in near, (query, word)


def test_a_word_longer_than_any_name_word_files_no_edit_forms() -> None:
    """A word of n letters has about n^3 / 6 forms with three deleted: a name of 37 Han
    characters written without a space (one word of 150 letters) took 14 s to search, and
    a 200-letter Latin word 8 s to add. Beyond LONGEST_EDITED letters none are filed."""
    vocabulary = Vocabulary()
    vocabulary.id_of("abdelkarimovich")  # 15 letters: filed with its forms
    assert vocabulary.unsettled() > 0
    vocabulary.settle()
    long_word = "liutianxuluowangcaopandenggaoguoxiaoxupengzhaozhu"
    assert len(long_word) > LONGEST_EDITED
    tid = vocabulary.id_of(long_word)
    assert vocabulary.unsettled() == 0
    assert tid in vocabulary.near(long_word)  # met as itself, and by its one-edit keys
    assert tid in vocabulary.near(long_word[:-1] + "x")
