"""Synthetic watchlists for the speed benchmark: N entries of about three names each.

Name words come from the real lists and the Wikidata transliteration table (tens of
thousands of distinct words), drawn with a Zipf-like skew so common names are common
("Mohammed", "Ali", "Sok" appear in thousands of entries at 1,000,000), as in real lists.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta

from alertd.matching import DocumentInput, EntryInput, NameInput

CATEGORIES = (
    "wanted_person", "trafficking_suspect", "smuggling_suspect", "potential_victim",
    "missing_person", "lost_stolen_document", "entry_ban", "customs_interest", "discreet_check",
)  # fmt: skip
COUNTRIES = ("KHM", "THA", "VNM", "LAO", "CHN", "MMR", "IDN", "IRQ", "SYR", "RUS", "USA", "PAK")


def zipf_weights(size: int, exponent: float = 1.0) -> list[float]:
    return [1.0 / (rank + 10) ** exponent for rank in range(size)]


def synthetic_entries(
    count: int, given: Sequence[str], family: Sequence[str], seed: int = 7
) -> Iterator[EntryInput]:
    rng = random.Random(seed)
    given_w = zipf_weights(len(given))
    family_w = zipf_weights(len(family))
    batch = 4096
    expiry = datetime(2030, 1, 1, tzinfo=UTC)
    made = 0
    while made < count:
        n = min(batch, count - made)
        givens = rng.choices(given, given_w, k=n * 4)
        families = rng.choices(family, family_w, k=n * 2)
        for i in range(n):
            yield _entry(
                made + i, givens[4 * i : 4 * i + 4], families[2 * i : 2 * i + 2], rng, expiry
            )
        made += n


def _entry(
    number: int, givens: list[str], families: list[str], rng: random.Random, expiry: datetime
) -> EntryInput:
    primary = f"{givens[0].title()} {givens[1].title()} {families[0].upper()}"
    if rng.random() < 0.4:
        primary = f"{givens[0].title()} {families[0].upper()}"
    alias_one = f"{givens[0].title()} {families[1].upper()}"
    alias_two = f"{givens[2].title()} {givens[3].title()} {families[0].upper()}"
    dates: tuple[str, ...] = ()
    if rng.random() < 0.8:
        day = datetime(1940, 1, 1) + timedelta(days=rng.randrange(65 * 365))
        dates = (day.date().isoformat(),)
    documents: tuple[DocumentInput, ...] = ()
    if rng.random() < 0.3:
        number_text = rng.choice("ABCDEFGHNKP") + str(rng.randrange(10**7, 10**8))
        documents = (DocumentInput("passport", number_text, rng.choice(COUNTRIES)),)
    return EntryInput(
        entry_id=f"S{number}",
        version=1,
        category=CATEGORIES[number % len(CATEGORIES)],
        names=(NameInput(primary), NameInput(alias_one), NameInput(alias_two)),
        dates_of_birth=dates,
        nationalities=(rng.choice(COUNTRIES),),
        sex=rng.choice(("M", "F")),
        documents=documents,
        expires_at=expiry if number % 10 else None,
    )
