"""The learned transcription: how native signs are written in Latin letters, from pairs."""

from __future__ import annotations

import math
import random

import pytest

from alertd.matching.transcription import (
    FIRST,
    INSIDE,
    LAST,
    TranscriptionModel,
    format_model,
    parse_model,
    place,
)
from alertd.matching.transcription_training import ALPHABETIC, SYLLABIC, learn

# A made-up script whose signs are written with one to three Latin letters, one silent.
TOY = {"а": "a", "б": "b", "ш": "sh", "щ": "shch", "к": "k", "о": "o", "ь": "", "л": "l"}


def _toy_pairs(count: int, seed: int = 1) -> list[tuple[str, str, int]]:
    rng = random.Random(seed)
    signs = sorted(TOY)
    pairs = []
    for _ in range(count):
        word = "".join(rng.choice(signs) for _ in range(rng.randrange(2, 7)))
        pairs.append((word, "".join(TOY[s] for s in word), rng.randrange(1, 4)))
    return pairs


@pytest.fixture(scope="module")
def toy_model() -> TranscriptionModel:
    return parse_model(format_model(learn(_toy_pairs(600), ALPHABETIC)))


def test_the_place_of_a_sign_in_its_word() -> None:
    assert [place(i, 4) for i in range(4)] == [FIRST, INSIDE, INSIDE, LAST]
    assert place(0, 1) == FIRST


def test_signs_are_learned_from_pairs_that_never_say_which_letters_are_whose(
    toy_model: TranscriptionModel,
) -> None:
    # Unseen words: "щаб", "шкоьла" were not among the pairs (checked below).
    seen = {native for native, _, _ in _toy_pairs(600)}
    for word, spelling in (("щаблош", "shchablosh"), ("бьшкола", "bshkola")):
        assert word not in seen
        assert toy_model.read(word)[0] == spelling


def test_a_silent_sign_survives_the_model_file(toy_model: TranscriptionModel) -> None:
    chunks = dict(toy_model.chunks[("ь", INSIDE)])
    assert max(chunks, key=lambda chunk: chunks[chunk]) == ""


def test_a_word_with_a_sign_the_model_lacks_is_not_read(toy_model: TranscriptionModel) -> None:
    assert toy_model.read("бxа") == ()
    assert TranscriptionModel().read("ша") == ()


def test_readings_are_the_likeliest_first_and_distinct() -> None:
    probabilities = {
        ("к", FIRST): {"k": 0.6, "c": 0.4},
        ("о", LAST): {"o": 0.7, "": 0.1, "au": 0.2},
    }
    model = parse_model(format_model(probabilities))
    assert model.read("ко", readings=3) == ("ko", "co", "kau")
    assert math.isclose(dict(model.chunks[("о", LAST)])[""], math.log(0.1), rel_tol=1e-3)


def test_syllables_give_at_least_one_letter_each() -> None:
    # One syllable sign, spellings of two and four letters: never a silent syllable.
    probabilities = learn([("크", "kr", 3), ("크라", "kra", 2), ("라", "ra", 1)], SYLLABIC)
    assert all(chunk for chunks in probabilities.values() for chunk in chunks)
