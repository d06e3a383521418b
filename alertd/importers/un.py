"""The UN Security Council consolidated list (XML) → watchlist entries for its individuals.

The file is read with `iterparse` one INDIVIDUAL at a time, each element cleared after
use, so memory stays flat whatever the list's size. It is parsed through defusedxml
with DTDs forbidden: the real list has no DTD, and refusing one is the one defence
that covers entity-expansion bombs ("billion laughs", quadratic blow-up) and external
entities whatever the expat version underneath; a file someone hands the CLI is not
necessarily the one the UN published.

Choices:
- The name is FIRST_NAME to FOURTH_NAME joined in order. The UN does not say which part
  is the family name (it varies with the naming culture), so no family/given split.
- NAME_ORIGINAL_SCRIPT becomes an alias in its own script.
- Aliases of quality "Good" are kept (one ALIAS_NAME may hold several, `;`-separated);
  "Low" ones are not imported, but counted. The UN defines low-quality aliases as
  too vague to identify anyone ("Chairman", "Romeo", "Major", "Papa Six"): screened at
  a border they would stop innocent travellers, and they name nobody in particular.
- Dates: DATE as is; YEAR as the year (month too when NOTE names one); FROM_YEAR to
  TO_YEAR as each year in between (see partial_dates.MAX_RANGE_YEARS); a NOTE alone
  ("Nov. 1973") when it is a written date; other notes ("30-35 years old") are counted.
  APPROXIMATELY dates are recorded like exact ones: the entry format has no "about".
- Documents: passports, other travel documents and national identity numbers, the
  type refined by the prose the list adds ("Russian foreign travel passport number");
  ration cards, birth certificates, driving licences and other papers that
  the list files under "National Identification Number" are counted and left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Final
from xml.etree.ElementTree import Element

from defusedxml.ElementTree import iterparse

from alertd.importers.builder import EntryBuilder, normalize_spaces
from alertd.importers.countries import CountryResolver
from alertd.importers.model import DocumentType, ImportedEntry, ImportReport, Sex
from alertd.importers.partial_dates import parse_written_date, years_between

NAME_PARTS: Final = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
GOOD_ALIAS: Final = "Good"

# The reason keeps the list's comment for the owning agency, up to this length: enough
# for the narrative, not a whole dossier in every list response.
REASON_MAX_CHARS: Final = 1000

_SEXES: Final[dict[str, Sex]] = {"male": "M", "female": "F"}

_PASSPORT_WORDS: Final = ("passport", "passeport", "pasaporte")
_TRAVEL_DOCUMENT_WORDS: Final = ("travel document", "laissez-passer", "reiseausweis")
_IDENTITY_WORDS: Final = ("identi", "national number", "id card")
# Papers the UN files as "National Identification Number" that nobody shows at a border.
_OTHER_PAPER_WORDS: Final = (
    "ration",
    "birth certificate",
    "social security",
    "fiscal code",
    "driving",
    "driver",
    "licen",
    "alien registration",
    "military",
    "voter",
    "student",
    "residen",
    "certificate of",
    "serviceman",
    "fardc",
    "other id",
)

# One ALIAS_NAME holding several: "A; B", "A b) B", and trailing remarks in brackets.
_ALIAS_SEPARATOR = re.compile(r";|\s[a-z]\)\s")
_ALIAS_REMARK = re.compile(r"\([^()]*\)?|,\s*born\b.*$")


def classify_document(kind: str, detail: str, number: str) -> DocumentType | None:
    """The document type from TYPE_OF_DOCUMENT, TYPE_OF_DOCUMENT2 and NUMBER prose.

    The prose is more specific than the type ("Passport" / "Indonesia travel document
    number XD253038"), so it decides first; None for papers that are not imported.
    """
    described = f"{kind} {detail} {number}".casefold()
    if any(word in f"{detail} {number}".casefold() for word in _OTHER_PAPER_WORDS):
        return None
    if any(word in described for word in _TRAVEL_DOCUMENT_WORDS):
        return "travel_document"
    if any(word in described for word in _PASSPORT_WORDS):
        return "passport"
    if any(word in described for word in _IDENTITY_WORDS):
        return "national_id"
    return None


def split_alias(alias: str) -> list[str]:
    """Names in one ALIAS_NAME ("Qasim Soleimani; Qasem Sulaimani"), bracketed remarks cut."""
    names = []
    for part in _ALIAS_SEPARATOR.split(alias):
        name = normalize_spaces(_ALIAS_REMARK.sub(" ", part)).strip(" ,")
        if name:
            names.append(name)
    return names


def _text(element: Element, path: str) -> str:
    return normalize_spaces(element.findtext(path) or "")


def _add_names(individual: Element, builder: EntryBuilder, report: ImportReport) -> None:
    builder.add_name(" ".join(filter(None, (_text(individual, tag) for tag in NAME_PARTS))))
    original = _text(individual, "NAME_ORIGINAL_SCRIPT")
    if original:
        builder.add_name(original)
    for alias in individual.iterfind("INDIVIDUAL_ALIAS"):
        name = _text(alias, "ALIAS_NAME")
        quality = _text(alias, "QUALITY")
        if not name:
            continue
        if quality != GOOD_ALIAS:
            report.drop(f"alias: quality {quality or 'not given'!r} (not imported)", name)
            continue
        for part in split_alias(name):
            builder.add_name(part)


def dates_of_birth(date_element: Element) -> tuple[str, ...] | None:
    """The partial dates one INDIVIDUAL_DATE_OF_BIRTH gives; () if empty, None if unreadable."""
    exact, year, note = (_text(date_element, tag) for tag in ("DATE", "YEAR", "NOTE"))
    first, last = _text(date_element, "FROM_YEAR"), _text(date_element, "TO_YEAR")
    if exact:
        parsed = parse_written_date(exact)
        return (parsed,) if parsed else None
    if year:
        with_month = parse_written_date(f"{note} {year}") if note else None
        return (with_month or year,) if year.isdigit() else None
    if first and last:
        if not (first.isdigit() and last.isdigit()):
            return None
        return years_between(int(first), int(last))
    if note:
        parsed = parse_written_date(note)
        return (parsed,) if parsed else None
    return ()


def _add_dates(individual: Element, builder: EntryBuilder, report: ImportReport) -> None:
    for date_element in individual.iterfind("INDIVIDUAL_DATE_OF_BIRTH"):
        parsed = dates_of_birth(date_element)
        if parsed is None:
            described = " ".join(normalize_spaces(child.text or "") for child in date_element)
            report.drop("date of birth: unreadable", described.strip())
            continue
        for partial_date in parsed:
            builder.add_date_of_birth(partial_date)


def _add_documents(individual: Element, builder: EntryBuilder, report: ImportReport) -> None:
    for document in individual.iterfind("INDIVIDUAL_DOCUMENT"):
        kind, detail = _text(document, "TYPE_OF_DOCUMENT"), _text(document, "TYPE_OF_DOCUMENT2")
        number = _text(document, "NUMBER")
        if not (kind or detail or number):
            continue  # the empty placeholder element the list puts on everyone
        document_type = classify_document(kind, detail, number)
        if document_type is None:
            report.drop("document: not a passport or identity card", detail or kind or number)
            continue
        country = _text(document, "ISSUING_COUNTRY") or _text(document, "COUNTRY_OF_ISSUE")
        builder.add_document(document_type, number, country or None)


def _reason(individual: Element, reference: str) -> str:
    list_type = _text(individual, "UN_LIST_TYPE") or "UN"
    listed_on = _text(individual, "LISTED_ON")
    reason = f"UN Security Council sanctions list {list_type}, {reference}"
    if listed_on:
        reason += f", listed {listed_on}"
    comments = _text(individual, "COMMENTS1")
    if comments:
        reason += f". {comments}"
    if len(reason) > REASON_MAX_CHARS:
        reason = reason[: REASON_MAX_CHARS - 1].rstrip() + "…"
    return reason


def _build_entry(
    individual: Element, countries: CountryResolver, report: ImportReport
) -> ImportedEntry | None:
    reference = _text(individual, "REFERENCE_NUMBER")
    if not reference:
        report.skip("record: no REFERENCE_NUMBER", _text(individual, "FIRST_NAME"))
        return None
    builder = EntryBuilder(f"UN-{reference}", report, countries)
    _add_names(individual, builder, report)
    _add_dates(individual, builder, report)
    for nationality in individual.iterfind("NATIONALITY/VALUE"):
        if value := normalize_spaces(nationality.text or ""):
            builder.add_nationality(value)
    sex = _SEXES.get(_text(individual, "GENDER").casefold())
    if sex is not None:
        builder.add_sex(sex)
    _add_documents(individual, builder, report)
    return builder.build(reason=_reason(individual, reference))


def iter_un_entries(
    xml_source: Path | IO[bytes], *, report: ImportReport | None = None
) -> Iterator[ImportedEntry]:
    """One entry per INDIVIDUAL of the consolidated list; entities are counted, not emitted.

    Raises defusedxml.DefusedXmlException for a file with a DTD or entities, and
    xml.etree.ElementTree.ParseError for one that is not well-formed XML.
    """
    report = report if report is not None else ImportReport(source="UN consolidated list")
    countries = CountryResolver()
    seen: set[str] = set()
    source = str(xml_source) if isinstance(xml_source, Path) else xml_source
    for _event, element in iterparse(source, events=("end",), forbid_dtd=True):
        if element.tag == "ENTITY":
            report.records_read += 1
            report.skip("record: entity")
            element.clear()
        elif element.tag == "INDIVIDUAL":
            report.records_read += 1
            entry = _build_entry(element, countries, report)
            element.clear()
            if entry is None:
                continue
            if entry.external_ref in seen:
                report.skip("record: duplicate REFERENCE_NUMBER", entry.external_ref)
                continue
            seen.add(entry.external_ref)
            report.entries_emitted += 1
            yield entry
