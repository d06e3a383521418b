"""The values the matching library takes and returns (the contract in notes/matching-api.md).

Everything here is a frozen dataclass: the service builds entries and travellers from the
database and the wire, the index answers with ``Match`` values. Nothing here does work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from alertd.matching.explanation import Explanation

Band = Literal["hit", "possible"]


@dataclass(frozen=True)
class NameInput:
    """One name of a person as written (any script); ``family``/``given`` when known."""

    full: str
    family: str | None = None
    given: str | None = None


@dataclass(frozen=True)
class DocumentInput:
    type: str  # "passport", "national_id", "visa", "travel_document", ...
    number: str
    country: str | None  # ISO 3166-1 alpha-3 or None


@dataclass(frozen=True)
class EntryInput:
    """One published watchlist entry version, as the index takes it."""

    entry_id: str
    version: int
    category: str
    names: tuple[NameInput, ...]  # first is primary; original scripts kept
    dates_of_birth: tuple[str, ...]  # "1985-03-02" | "1985-03" | "1985"
    nationalities: tuple[str, ...]  # alpha-3
    sex: str | None  # "M" | "F" | "X" | None
    documents: tuple[DocumentInput, ...]
    expires_at: datetime | None  # timezone-aware UTC; stops matching AT this instant


@dataclass(frozen=True)
class Traveller:
    """The query: what the officer typed or the MRZ gave."""

    names: tuple[NameInput, ...] = ()
    date_of_birth: str | None = None
    nationality: str | None = None
    sex: str | None = None
    documents: tuple[DocumentInput, ...] = ()
    mrz_warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class BandThresholds:
    possible: float  # score >= possible -> band "possible"
    hit: float  # score >= hit -> band "hit"

    def __post_init__(self) -> None:
        if not 0.0 <= self.possible <= self.hit <= 1.0:
            raise ValueError(
                f"thresholds must satisfy 0 <= possible <= hit <= 1, "
                f"got possible={self.possible} hit={self.hit}"
            )

    def band(self, score: float) -> Band | None:
        if score >= self.hit:
            return "hit"
        if score >= self.possible:
            return "possible"
        return None


@dataclass(frozen=True)
class Match:
    entry_id: str
    version: int
    category: str
    score: float  # in [0, 1]
    band: Band
    explanation: Explanation
