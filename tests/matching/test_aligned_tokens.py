"""Listed tokens two or more edits apart that the scorer aligns (aligned_tokens.py)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alertd.matching import EntryInput, MatchIndex, NameInput, Traveller
from alertd.matching.aligned_tokens import ONE_BY_ONE_MOST, AlignedTokens
from alertd.matching.names import ALIGN_MIN, TokenComparer
from alertd.matching.tables import NameTables, load_name_tables
from alertd.matching.vocabulary import Vocabulary
from tests.matching.helpers import NOW, entry

# Loaded once for the module (not a fixture: hypothesis would print it with every example).
TABLES: NameTables = load_name_tables()

# Long given names two or three edits apart that the scorer still aligns by spelling
# (no two of them align only by sound: aligned_tokens.py does not widen that grade; and
# none longer than eleven letters: MAX_EDITS caps the edits bridged at three).
LONG_WORDS = (
    "abdelkarim", "abdelhakim", "abdelaziz", "abdelatif", "abdelkader", "abdelmajid",
    "abdelmalek", "abdurahim", "abdulrahim", "mustafayev", "mostafavi",
)  # fmt: skip
FAMILY = ("aayadh", "abboubi", "karimov", "hashimi")


def _filed(words: list[str], *, one_by_one: bool) -> tuple[Vocabulary, AlignedTokens]:
    vocabulary = Vocabulary()
    aligned = AlignedTokens(vocabulary, TABLES)
    for word in words:
        vocabulary.id_of(word)
        if one_by_one:
            aligned.catch_up()
    aligned.catch_up()
    return vocabulary, aligned


def _neighbours(vocabulary: Vocabulary, aligned: AlignedTokens, word: str) -> dict[str, float]:
    tokens = vocabulary.tokens
    return {tokens[t]: s for t, s in aligned.neighbours(vocabulary.ids[word])}


def test_words_three_edits_apart_are_neighbours_with_the_scorers_similarity() -> None:
    vocabulary, aligned = _filed([*LONG_WORDS, *FAMILY], one_by_one=True)
    near = _neighbours(vocabulary, aligned, "abdelkarim")
    comparer = TokenComparer(TABLES)
    for word in ("abdelhakim", "abdelaziz", "abdelatif"):  # 2, 3 and 3 edits
        assert near[word] == comparer.compare("abdelkarim", word)[0] >= ALIGN_MIN
        assert _neighbours(vocabulary, aligned, word)["abdelkarim"] == near[word]
    assert "aayadh" not in near


def test_filing_in_bulk_gives_the_same_neighbours_as_one_by_one() -> None:
    rng = random.Random(3)
    words = sorted({_mutated(rng.choice(LONG_WORDS), rng) for _ in range(ONE_BY_ONE_MOST * 2)})
    assert len(words) > ONE_BY_ONE_MOST  # the bulk path is taken
    bulk = _filed(words, one_by_one=False)
    single = _filed(words, one_by_one=True)
    for word in words:
        assert _neighbours(*bulk, word) == _neighbours(*single, word)


def _mutated(word: str, rng: random.Random) -> str:
    for _ in range(rng.randrange(3)):
        i = rng.randrange(1, len(word))
        word = word[:i] + rng.choice("aeiourlkmdh") + word[i + 1 :]
    return word


@pytest.mark.parametrize(
    ("query_name", "listed_name"),
    [
        ("Abdelkarim AAYADH", "Abdelaziz AAYADH"),  # three edits in a long word
        ("Abdelkarim AAYADH", "Abdelhakim AAYADH"),  # two consonants
        ("Abdelkarin AAYADH", "Abdelhakim AAYADH"),  # a typo, then two more edits
    ],
)
def test_a_namesake_two_or_three_edits_away_is_met(query_name: str, listed_name: str) -> None:
    """The vocabulary's keys do not reach the listed word (one edit, vowels): only the
    aligned tokens do; without them the namesake the scorer returns is missed."""
    listed = entry(listed_name, entry_id="A", nationalities=("SYR",))
    index = MatchIndex(tables=TABLES)
    index.add(entry("Abdelkarim HASHIMI", entry_id="B"))  # the query word is listed
    index.add(listed)
    query = Traveller(names=(NameInput(query_name),), nationality="SYR")
    given_name = query_name.split()[0].lower()
    listed_word = listed_name.split()[0].lower()
    vocabulary = index._vocabulary
    ids, _, _, compared = vocabulary.aligning(given_name)
    assert vocabulary.ids[listed_word] not in (*ids, *compared)
    assert index.score(query, listed) is not None
    assert "A" in [m.entry_id for m in index.search(query, now=NOW)]


def _list(rng: random.Random, size: int) -> list[EntryInput]:
    return [
        entry(
            f"{rng.choice(LONG_WORDS)} {rng.choice(FAMILY)}",
            f"{rng.choice(LONG_WORDS)} {rng.choice(LONG_WORDS)} {rng.choice(FAMILY)}",
            entry_id=f"E{i}",
            dob=(rng.choice(("1970-01-01", "1971-05-05")),) if rng.random() < 0.5 else (),
            nationalities=(rng.choice(("SYR", "IRQ")),),
        )
        for i in range(size)
    ]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10**6), size=st.integers(5, 40))
def test_search_finds_what_an_exhaustive_scan_finds_among_far_spellings(
    seed: int, size: int
) -> None:
    """Lists of long words, queried with listed ones: every listed word the scorer aligns
    with a query word is within the edits aligned_tokens files, so the index misses
    nothing an exhaustive scan finds (the one-edit-wide vocabulary alone misses many). A
    query word not listed takes the neighbours of the words it meets only: not this."""
    rng = random.Random(seed)
    listed = _list(rng, size)
    index = MatchIndex(tables=TABLES)
    index.extend(listed)
    listed_words = sorted(
        {word.lower() for e in listed for n in e.names for word in n.full.split()}
    )
    given_words = [word for word in listed_words if word in LONG_WORDS]
    for _ in range(5):
        words = [rng.choice(given_words), rng.choice(FAMILY)]
        rng.shuffle(words)
        query = Traveller(
            names=(NameInput(" ".join(words)),),
            date_of_birth=rng.choice(("1970-01-01", None)),
            nationality=rng.choice(("SYR", "IRQ")),
        )
        expected = {e.entry_id for e in listed if index.score(query, e) is not None}
        found = {m.entry_id for m in index.search(query, now=NOW, limit=10**6)}
        assert found == expected, query.names[0].full
