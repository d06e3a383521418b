"""Assembles one `ImportedEntry` from the raw parts an importer found, validating each.

Every part goes through here, so both importers apply the same rules: a name must have
a letter, a date must be a plausible partial date, a country must resolve to alpha-3,
a document must have a number. A part that fails is left out and counted in the report
with its reason; an entry left without any usable name is not emitted at all.
Duplicates (the same alias twice, "nationality Iraq; citizen Iraq") are kept once.
"""

from __future__ import annotations

import unicodedata
from typing import TypeVar

from alertd.importers.countries import CountryResolver
from alertd.importers.documents import clean_document_number
from alertd.importers.model import (
    MAX_DATES_OF_BIRTH,
    MAX_DOCUMENTS,
    MAX_NAME_LENGTH,
    MAX_NAMES,
    MAX_NATIONALITIES,
    MAX_REASON_LENGTH,
    Document,
    DocumentType,
    ImportedEntry,
    ImportReport,
    Name,
    Sex,
)
from alertd.importers.partial_dates import is_valid_partial_date

_T = TypeVar("_T")


def normalize_spaces(text: str) -> str:
    """NFC and single spaces: the lists wrap long values over lines and double spaces."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _has_letter(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


class EntryBuilder:
    """Collects validated parts of one entry; `build` returns it or None if unusable."""

    def __init__(self, external_ref: str, report: ImportReport, countries: CountryResolver):
        self.external_ref = external_ref
        self._report = report
        self._countries = countries
        self._names: dict[str, Name] = {}
        self._dates: dict[str, None] = {}
        self._nationalities: dict[str, None] = {}
        self._documents: dict[tuple[str, str], Document] = {}
        self._sexes: dict[Sex, None] = {}

    def add_name(self, full: str, family: str | None = None, given: str | None = None) -> None:
        full = normalize_spaces(full)
        if not _has_letter(full):
            self._report.drop("name: no letters", full or "(empty)")
            return
        if len(full) > MAX_NAME_LENGTH:
            self._report.drop(f"name: longer than {MAX_NAME_LENGTH} characters", full[:60])
            return
        key = full.casefold()
        if key in self._names:
            return
        self._names[key] = Name(
            full=full,
            family=normalize_spaces(family) if family and _has_letter(family) else None,
            given=normalize_spaces(given) if given and _has_letter(given) else None,
        )

    def add_date_of_birth(self, partial_date: str) -> None:
        if not is_valid_partial_date(partial_date):
            self._report.drop("date of birth: not a plausible date", partial_date)
            return
        self._dates[partial_date] = None

    def add_nationality(self, country_name: str) -> None:
        code = self._country(country_name, "nationality")
        if code is not None:
            self._nationalities[code] = None

    def add_document(
        self, document_type: DocumentType, raw_number: str, country_name: str | None
    ) -> None:
        number = clean_document_number(raw_number)
        if number is None:
            shown = normalize_spaces(raw_number) or "(no number given)"
            self._report.drop(f"{document_type}: no usable number", shown)
            return
        country = self._country(country_name, f"{document_type} country") if country_name else None
        key = (document_type, "".join(ch for ch in number if ch.isalnum()).upper())
        if key not in self._documents or self._documents[key].country is None:
            self._documents[key] = Document(type=document_type, number=number, country=country)

    def add_sex(self, sex: Sex) -> None:
        self._sexes[sex] = None

    def _within_limit(self, values: list[_T], limit: int, what: str) -> tuple[_T, ...]:
        if len(values) > limit:
            self._report.drop(f"{what}: over the service's limit of {limit}", self.external_ref)
        return tuple(values[:limit])

    def _country(self, country_name: str, what: str) -> str | None:
        code = self._countries.alpha3(country_name)
        if code is None:
            self._report.drop(f"{what}: unknown country", normalize_spaces(country_name))
        return code

    def build(self, reason: str) -> ImportedEntry | None:
        """The entry, or None (counted as skipped) when it has no usable name."""
        if not self._names:
            self._report.skip("record: no usable name", self.external_ref)
            return None
        sex: Sex | None = None
        if len(self._sexes) == 1:
            sex = next(iter(self._sexes))
        elif self._sexes:
            # The source contradicts itself: saying nothing is safer than picking one.
            self._report.drop("sex: contradictory values", self.external_ref)
        reason = normalize_spaces(reason)
        if len(reason) > MAX_REASON_LENGTH:
            reason = reason[: MAX_REASON_LENGTH - 1].rstrip() + "…"
        return ImportedEntry(
            external_ref=self.external_ref,
            names=self._within_limit(list(self._names.values()), MAX_NAMES, "names"),
            dates_of_birth=self._within_limit(
                list(self._dates), MAX_DATES_OF_BIRTH, "dates of birth"
            ),
            nationalities=self._within_limit(
                list(self._nationalities), MAX_NATIONALITIES, "nationalities"
            ),
            documents=self._within_limit(
                list(self._documents.values()), MAX_DOCUMENTS, "documents"
            ),
            reason=reason,
            sex=sex,
        )
