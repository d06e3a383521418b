"""The OFAC SDN remarks column → dates of birth, nationalities, sex and documents.

OFAC packs what it knows about a person into one free-text field of `;`-separated
statements, each optionally preceded by "alt." for an alternative value:

    DOB 12 Jan 1965; alt. DOB 1966; DOB circa 1970; DOB 1960 to 1962; POB Baghdad, Iraq;
    nationality Iraq; citizen Iraq; Gender Male; Passport A1234567 (Iraq) issued 2001;
    National ID No. 123 (Iraq); a.k.a. 'ABU X'; Linked To: SOME ENTITY.

`parse_remarks` is pure text processing: it returns the statements it understood as raw
values (country names unresolved, document numbers as written) and what it recognised
but could not read, for the importer to validate and count. Statements that carry no
field of a watchlist entry (place of birth, titles, e-mail, links) are ignored.

Choices, so the reader of an import report knows what a date means:
- "DOB circa 1970" is recorded as the year 1970 (the entry format has no "about").
- "DOB 1960 to 1962" and "DOB 01 Jan 1960 to 31 Dec 1962" become one year each,
  1960, 1961 and 1962; ranges over `MAX_RANGE_YEARS` are reported as unreadable.
- "a.k.a. 'ABU X'" inside the remarks is what OFAC calls a weak alias (a nickname or
  nom de guerre): OFAC itself says such names are not to be screened alone, and at a
  border they stop innocent travellers, so they are reported and not imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from alertd.importers.model import DocumentType, Sex
from alertd.importers.partial_dates import MAX_RANGE_YEARS, parse_written_date, years_between

# Statement labels whose value is a document number, longest first so that
# "Diplomatic Passport" is not read as "Passport". The national id labels are those of
# identity cards or the number printed on them (Colombia's cédula, Spain's D.N.I., Peru's
# L.E., China's citizen card); other numbers (tax, driving licence, electoral roll) are
# not documents a traveller shows, and are not imported.
DOCUMENT_LABELS: Final[tuple[tuple[str, DocumentType], ...]] = (
    ("British National Overseas Passport", "passport"),
    ("Stateless Person Passport", "passport"),
    ("Diplomatic Passport", "passport"),
    ("Travel Document Number", "travel_document"),
    ("Passport Booklet", "passport"),
    ("Passport", "passport"),
    ("Tazkira National ID Card", "national_id"),
    ("Turkish Identification Number", "national_id"),
    ("Moroccan Personal ID No.", "national_id"),
    ("Bosnian Personal ID No.", "national_id"),
    ("Citizen's Card Number", "national_id"),
    ("Numero de Identidad", "national_id"),
    ("Personal ID Card", "national_id"),
    ("National ID No.", "national_id"),
    ("Kenyan ID No.", "national_id"),
    ("Cedula No.", "national_id"),
    ("LE Number", "national_id"),
    ("D.N.I.", "national_id"),
)

_ALTERNATIVE = re.compile(r"^alt\.\s+", re.IGNORECASE)
_DOB = re.compile(r"^DOB:?\s+(?P<value>.+)$")
_CIRCA = re.compile(r"^(?:circa|approximately|approx\.)\s+", re.IGNORECASE)
_RANGE = re.compile(r"^(?P<first>.+?)(?:\s+to\s+|\s*-\s*)(?P<last>.+)$")
_NATIONALITY = re.compile(r"^(?:nationality|citizen)\s+(?P<country>.+)$")
_GENDER = re.compile(r"^Gender\s+(?P<sex>Male|Female)$")
_WEAK_ALIAS = re.compile(r"^[afn]\.k\.a\.\s+'(?P<name>[^']+)'", re.IGNORECASE)
# "<number> (<country>) issued 2001 expires 2010": the country is the first parenthesis
# after the number; a check digit in brackets right after it ("D489833(9)") is number.
_DOCUMENT_VALUE = re.compile(
    r"^:?\s*(?P<number>(?:[^()]|(?<=\w)\(\w{1,2}\))*?)\s*(?:\((?P<country>[^()]*)\))?\s*"
    r"(?:\b(?:issued|expires|expired|expiring)\b.*)?$",
)
_SEX_WORDS: Final[dict[str, Sex]] = {"Male": "M", "Female": "F"}


@dataclass(frozen=True, slots=True)
class RemarkDocument:
    """A document statement as written: number text and country name (or None)."""

    type: DocumentType
    number: str
    country: str | None


@dataclass(frozen=True, slots=True)
class RemarkProblem:
    """A statement recognised by its label but not readable: reported, not imported."""

    reason: str
    text: str


@dataclass(frozen=True, slots=True)
class ParsedRemarks:
    dates_of_birth: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    sexes: tuple[Sex, ...] = ()
    documents: tuple[RemarkDocument, ...] = ()
    weak_aliases: tuple[str, ...] = ()
    problems: tuple[RemarkProblem, ...] = ()


def split_statements(remarks: str) -> list[str]:
    """The `;`-separated statements, trimmed, without the final full stop."""
    statements = []
    for part in remarks.split(";"):
        statement = part.strip().removesuffix(".").strip()
        if statement:
            statements.append(statement)
    return statements


class UnreadableDate(ValueError):
    """A date of birth statement that cannot be turned into partial dates; says why."""


def parse_date_of_birth(value: str) -> tuple[str, ...]:
    """Partial dates of one DOB value: "12 Jan 1965" → ("1965-01-12",), "1960 to 1962" → 3.

    Raises UnreadableDate (with the reason as its message) for anything else.
    """
    value = _CIRCA.sub("", value.strip().removesuffix("."))
    single = parse_written_date(value)
    if single is not None:
        return (single,)
    match = _RANGE.match(value)
    if match is None:
        raise UnreadableDate("date of birth: unreadable")
    first = parse_written_date(_CIRCA.sub("", match["first"]))
    last = parse_written_date(_CIRCA.sub("", match["last"]))
    if first is None or last is None:
        raise UnreadableDate("date of birth: unreadable range")
    if first == last:
        return (first,)
    years = years_between(int(first[:4]), int(last[:4]))
    if years is None:
        raise UnreadableDate(f"date of birth: range reversed or over {MAX_RANGE_YEARS} years")
    return years


def parse_document(statement: str) -> RemarkDocument | RemarkProblem | None:
    """A document statement → its number and country; None if it is not one."""
    for label, document_type in DOCUMENT_LABELS:
        if statement.startswith(label) and (
            len(statement) == len(label) or not statement[len(label)].isalnum()
        ):
            match = _DOCUMENT_VALUE.match(statement[len(label) :])
            if match is None or not match["number"]:
                return RemarkProblem(f"{document_type}: no usable number", statement)
            country = match["country"].strip() if match["country"] else None
            return RemarkDocument(document_type, match["number"], country or None)
    return None


def parse_remarks(remarks: str) -> ParsedRemarks:
    """Everything in one remarks field that a watchlist entry can hold."""
    dates: list[str] = []
    nationalities: list[str] = []
    sexes: list[Sex] = []
    documents: list[RemarkDocument] = []
    weak_aliases: list[str] = []
    problems: list[RemarkProblem] = []
    for raw_statement in split_statements(remarks):
        statement = _ALTERNATIVE.sub("", raw_statement)
        if match := _DOB.match(statement):
            try:
                dates.extend(parse_date_of_birth(match["value"]))
            except UnreadableDate as error:
                problems.append(RemarkProblem(str(error), raw_statement))
        elif match := _NATIONALITY.match(statement):
            nationalities.append(match["country"])
        elif match := _GENDER.match(statement):
            sexes.append(_SEX_WORDS[match["sex"]])
        elif match := _WEAK_ALIAS.match(statement):
            weak_aliases.append(match["name"])
        elif (document := parse_document(statement)) is not None:
            if isinstance(document, RemarkProblem):
                problems.append(document)
            else:
                documents.append(document)
    return ParsedRemarks(
        dates_of_birth=tuple(dates),
        nationalities=tuple(nationalities),
        sexes=tuple(sexes),
        documents=tuple(documents),
        weak_aliases=tuple(weak_aliases),
        problems=tuple(problems),
    )
