"""A watchlist entry's content: its wire schema, validation, and its shape for matching.

The same schema validates REST bodies and every line of a JSON Lines import, so an
entry is accepted or refused by the same rules whichever way it arrives.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Annotated, Any, Literal

import pycountry
from pydantic import AfterValidator, Field, field_validator

from alertd.wire import WireModel


class Category(StrEnum):
    WANTED_PERSON = "wanted_person"
    TRAFFICKING_SUSPECT = "trafficking_suspect"
    SMUGGLING_SUSPECT = "smuggling_suspect"
    POTENTIAL_VICTIM = "potential_victim"
    MISSING_PERSON = "missing_person"
    LOST_STOLEN_DOCUMENT = "lost_stolen_document"
    ENTRY_BAN = "entry_ban"
    CUSTOMS_INTEREST = "customs_interest"
    DISCREET_CHECK = "discreet_check"


# Codes ICAO 9303 allows on travel documents beside ISO 3166-1 alpha-3: stateless
# persons, refugees, UN and EU documents, British nationality variants, Kosovo.
ICAO_EXTRA_CODES = frozenset(
    {
        "XXA",
        "XXB",
        "XXC",
        "XXX",
        "UNO",
        "UNA",
        "UNK",
        "EUE",
        "XOM",
        "XPO",
        "XCC",
        "XES",
        "XIM",
        "XBA",
        "GBD",
        "GBN",
        "GBO",
        "GBP",
        "GBS",
        "RKS",
    }
)
PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
MIN_BIRTH_YEAR = 1880


def country_code(value: str) -> str:
    # pycountry looks codes up case-insensitively; the stored code must be the canonical
    # upper-case one, as documents and the matcher write it.
    if value.isupper() and (
        value in ICAO_EXTRA_CODES or pycountry.countries.get(alpha_3=value) is not None
    ):
        return value
    raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-3 country code")


def partial_date(value: str) -> str:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, each part a real one."""
    found = PARTIAL_DATE.match(value)
    if not found:
        raise ValueError(f"{value!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(part) if part else None for part in found.groups())
    assert year is not None
    if year < MIN_BIRTH_YEAR:
        raise ValueError(f"{value!r}: the year is before {MIN_BIRTH_YEAR}")
    try:
        date(year, month or 1, day or 1)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a real date: {exc}") from None
    return value


Country = Annotated[str, Field(min_length=1, max_length=3), AfterValidator(country_code)]
PartialDate = Annotated[str, Field(max_length=10), AfterValidator(partial_date)]
AgencyCode = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_-]{1,15}$")]
Text = Annotated[str, Field(max_length=4000)]
NamePart = Annotated[str, Field(min_length=1, max_length=200)]


class NameBody(WireModel):
    full: NamePart
    family: NamePart | None = None
    given: NamePart | None = None


class DocumentBody(WireModel):
    type: Literal[
        "passport",
        "national_id",
        "visa",
        "travel_document",
        "residence_permit",
        "driving_licence",
        "other",
    ]
    number: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[0-9A-Za-z <./-]+$")]
    country: Country | None = None


class EntryBody(WireModel):
    """An entry as clients send it (REST body or one import line)."""

    external_ref: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    category: Category
    names: Annotated[list[NameBody], Field(min_length=1, max_length=50)]
    dates_of_birth: Annotated[list[PartialDate], Field(max_length=20)] = []  # noqa: RUF012
    nationalities: Annotated[list[Country], Field(max_length=20)] = []  # noqa: RUF012
    sex: Literal["M", "F", "X"] | None = None
    documents: Annotated[list[DocumentBody], Field(max_length=20)] = []  # noqa: RUF012
    reason: Annotated[str, Field(min_length=1, max_length=4000)]
    instructions: Text = ""
    release_to: Annotated[list[AgencyCode], Field(max_length=50)] = []  # noqa: RUF012
    expires_at: date | datetime

    @field_validator("expires_at")
    @classmethod
    def _aware(cls, value: date | datetime) -> date | datetime:
        if isinstance(value, datetime) and value.tzinfo is None:
            raise ValueError("a date-time needs a time zone (use Z for UTC)")
        return value

    def expiry_instant(self) -> datetime:
        """A bare date means "valid through that day": it expires at the next midnight UTC."""
        if isinstance(self.expires_at, datetime):
            return self.expires_at.astimezone(UTC)
        return datetime.combine(self.expires_at + timedelta(days=1), time(0), UTC)

    def content(self) -> dict[str, Any]:
        """The JSON stored for a version (``expires_at`` normalised to an instant)."""
        data = self.model_dump(mode="json", exclude_none=True)
        data["expires_at"] = self.expiry_instant().isoformat().replace("+00:00", "Z")
        return data
