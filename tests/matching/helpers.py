"""Builders shared by the matching-core tests (plain functions, no mocks)."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from alertd.matching import DocumentInput, EntryInput, MatchIndex, NameInput, Traveller

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def entry(
    *names: str,
    entry_id: str = "E1",
    category: str = "wanted_person",
    dob: tuple[str, ...] = (),
    nationalities: tuple[str, ...] = (),
    sex: str | None = None,
    documents: tuple[DocumentInput, ...] = (),
    expires_at: datetime | None = None,
) -> EntryInput:
    return EntryInput(
        entry_id=entry_id,
        version=1,
        category=category,
        names=tuple(NameInput(n) for n in names),
        dates_of_birth=dob,
        nationalities=nationalities,
        sex=sex,
        documents=documents,
        expires_at=expires_at,
    )


def word_slots(*words: str) -> tuple[tuple[str, ...], ...]:
    """A name's slots with one spelling per word, as written (for the reading modules)."""
    return tuple((word,) for word in words)


def traveller(
    *names: str,
    dob: str | None = None,
    nationality: str | None = None,
    sex: str | None = None,
    documents: tuple[DocumentInput, ...] = (),
    mrz_warnings: tuple[str, ...] = (),
) -> Traveller:
    return Traveller(
        names=tuple(NameInput(n) for n in names),
        date_of_birth=dob,
        nationality=nationality,
        sex=sex,
        documents=documents,
        mrz_warnings=mrz_warnings,
    )


def band(index: MatchIndex, query: Traveller, listed: EntryInput) -> str | None:
    """The band of ``listed`` for ``query`` through the index (None: not returned)."""
    index.add(listed)
    for match in index.search(query, now=NOW):
        if match.entry_id == listed.entry_id:
            return match.band
    return None


def name_case(query: str, listed: str, expected: str | None) -> object:
    """A parametrised case: the traveller's name, the listed name, the expected band."""
    return pytest.param(query, listed, expected, id=f"{query}~{listed}")


def typo(word: str, rng: random.Random) -> str:
    """One letter replaced (not the first, never a space)."""
    i = rng.choice([i for i in range(1, len(word)) if word[i] != " "])
    return word[:i] + rng.choice("aeiourn") + word[i + 1 :]
