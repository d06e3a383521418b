"""What the importers produce: watchlist entries in the shape the service accepts, and a report.

An importer turns one published list (OFAC SDN, UN consolidated) into `ImportedEntry`
values; `ImportedEntry.to_dict()` gives the JSON line the service's bulk import takes,
without `category`, `release_to` and `expires_at`, which the caller adds.
Everything the importer could not use is counted in an `ImportReport` with a reason,
so nothing is dropped silently and nothing broken is emitted.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Final, Literal

DocumentType = Literal["passport", "travel_document", "national_id"]

# Only the documents a traveller shows at a border: a passport (diplomatic and service
# passports included), another travel document (laissez-passer, refugee or alien's
# travel document) or a national identity card/number. Tax numbers, ration cards,
# driving licences and the like are left out (and counted): matching a traveller's
# passport number against them only produces noise.
DOCUMENT_TYPES: Final[tuple[DocumentType, ...]] = ("passport", "travel_document", "national_id")

# The service refuses an entry beyond these (EntryBody in alertd/entries.py), and one
# refused line fails a whole import batch: the builder keeps the first ones and counts
# the rest instead.
MAX_NAMES: Final = 50
MAX_NAME_LENGTH: Final = 200
MAX_DATES_OF_BIRTH: Final = 20
MAX_NATIONALITIES: Final = 20
MAX_DOCUMENTS: Final = 20
MAX_REASON_LENGTH: Final = 4000

Sex = Literal["M", "F"]

# How many example texts the report keeps per reason: enough to show a person what went
# wrong, few enough that a broken 100,000-line file cannot fill the memory with them.
EXAMPLES_PER_REASON: Final = 3


@dataclass(frozen=True, slots=True)
class Name:
    """One name of the subject, in its original script; family/given only when known."""

    full: str
    family: str | None = None
    given: str | None = None

    def to_dict(self) -> dict[str, str]:
        out = {"full": self.full}
        if self.family:
            out["family"] = self.family
        if self.given:
            out["given"] = self.given
        return out


@dataclass(frozen=True, slots=True)
class Document:
    """A travel or identity document; `country` is ISO 3166-1 alpha-3 or None if unknown."""

    type: DocumentType
    number: str
    country: str | None

    def to_dict(self) -> dict[str, str | None]:
        return {"type": self.type, "number": self.number, "country": self.country}


@dataclass(frozen=True, slots=True)
class ImportedEntry:
    """A validated watchlist entry from a public list: the first name is the primary."""

    external_ref: str
    names: tuple[Name, ...]
    dates_of_birth: tuple[str, ...]
    nationalities: tuple[str, ...]
    documents: tuple[Document, ...]
    reason: str
    sex: Sex | None = None

    def to_dict(self) -> dict[str, Any]:
        """The entry as the service's JSON (no category, release_to, expires_at)."""
        out: dict[str, Any] = {
            "external_ref": self.external_ref,
            "names": [name.to_dict() for name in self.names],
            "dates_of_birth": list(self.dates_of_birth),
            "nationalities": list(self.nationalities),
            "documents": [document.to_dict() for document in self.documents],
            "reason": self.reason,
        }
        if self.sex is not None:
            out["sex"] = self.sex
        return out


@dataclass
class ImportReport:
    """Counts of what one conversion read, emitted, skipped and dropped, and why.

    `skipped` counts whole records not emitted (an entity, a vessel, a person without a
    usable name); `dropped` counts parts left out of emitted entries (an unparseable date,
    an unknown country, a low-quality alias). A reason is a short stable text such as
    "record: entity" or "date of birth: unparseable".
    """

    source: str
    records_read: int = 0
    entries_emitted: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    dropped: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def skip(self, reason: str, example: str | None = None) -> None:
        self.skipped[reason] += 1
        self._remember(reason, example)

    def drop(self, reason: str, example: str | None = None) -> None:
        self.dropped[reason] += 1
        self._remember(reason, example)

    def _remember(self, reason: str, example: str | None) -> None:
        if example is None:
            return
        kept = self.examples.setdefault(reason, [])
        if len(kept) < EXAMPLES_PER_REASON and example not in kept:
            kept.append(example)

    def summary_lines(self) -> list[str]:
        """Human-readable lines for the CLI: totals first, then reasons by frequency."""
        lines = [
            f"{self.source}: read {self.records_read} records, "
            f"emitted {self.entries_emitted} entries",
        ]
        for title, counts in (("skipped", self.skipped), ("dropped", self.dropped)):
            for reason, count in counts.most_common():
                examples = self.examples.get(reason)
                shown = f"  e.g. {'; '.join(repr(e) for e in examples)}" if examples else ""
                lines.append(f"  {title:7} {count:6}  {reason}{shown}")
        return lines
