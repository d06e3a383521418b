"""The US OFAC SDN list (legacy CSV files) → watchlist entries for the individuals on it.

Files (no header row; `-0-` is an empty cell; CRLF line ends; often a trailing 0x1A):
- sdn.csv: ent_num, name, type, program, title, call_sign, vess_type, tonnage, GRT,
  vess_flag, vess_owner, remarks. `type` is "individual" for people and empty for
  entities; vessels and aircraft are skipped too (counted).
- alt.csv: ent_num, alt_num, alt_type (aka, fka, nka), alt_name, remarks: the aliases.
  An alias whose ent_num is not in sdn.csv (partial extracts have them) is counted.
- sdn_comments.csv: ent_num, text: the remarks of an entry continued where sdn.csv cut
  them off, mid-word, so the two are joined without a separator.

Names are written "SURNAME, Given Names[, Jr.]": the entry gets full "Given Names
SURNAME Jr." with family and given kept apart; a name without a comma is kept whole.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final, TextIO

from alertd.importers.builder import EntryBuilder
from alertd.importers.countries import CountryResolver
from alertd.importers.model import ImportedEntry, ImportReport, Name
from alertd.importers.remarks import parse_remarks

SDN_FILE: Final = "sdn.csv"
ALT_FILE: Final = "alt.csv"
COMMENTS_FILE: Final = "sdn_comments.csv"

EMPTY_CELL: Final = "-0-"
END_OF_FILE_MARK: Final = "\x1a"  # DOS end-of-file byte that OFAC's files still carry
SDN_COLUMNS: Final = 12
ALT_COLUMNS: Final = 5
INDIVIDUAL: Final = "individual"

# Name parts after a comma that are generational suffixes, not given names.
_NAME_SUFFIXES: Final = frozenset({"JR", "JR.", "SR", "SR.", "II", "III", "IV"})


@dataclass(frozen=True, slots=True)
class SdnRecord:
    ent_num: str
    name: str
    sdn_type: str
    programs: tuple[str, ...]
    remarks: str


@dataclass(frozen=True, slots=True)
class OfacFiles:
    sdn: Path
    alt: Path
    comments: Path | None


def locate_files(path: Path) -> OfacFiles:
    """The SDN files from a folder holding them, or from sdn.csv with its siblings."""
    folder = path if path.is_dir() else path.parent
    sdn = folder / SDN_FILE if path.is_dir() else path
    alt = folder / ALT_FILE
    if not sdn.is_file():
        raise FileNotFoundError(f"OFAC import: {sdn} not found")
    if not alt.is_file():
        # Without alt.csv every alias would be missing, silently: refuse instead.
        raise FileNotFoundError(f"OFAC import: {alt} (the aliases) not found next to {sdn}")
    comments = folder / COMMENTS_FILE
    return OfacFiles(sdn=sdn, alt=alt, comments=comments if comments.is_file() else None)


def _decode(data: bytes) -> str:
    """OFAC publishes UTF-8 today; older files were Windows-1252, which never fails."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _text_lines(source: Path | TextIO) -> Iterable[str]:
    if isinstance(source, Path):
        # A few MB at most; reading it whole lets the encoding be chosen for the file.
        return _decode(source.read_bytes()).splitlines(keepends=True)
    return source


def _raw_rows(source: Path | TextIO) -> Iterator[list[str]]:
    """CSV rows, cells untouched (a remarks cell must keep its last space for continuing)."""
    for row in csv.reader(_text_lines(source)):
        if not row or (len(row) == 1 and row[0].strip(END_OF_FILE_MARK + " ") == ""):
            continue  # the end-of-file mark on a line of its own
        yield row


def read_rows(source: Path | TextIO) -> Iterator[list[str]]:
    """CSV rows with cells trimmed and `-0-` as ""."""
    for row in _raw_rows(source):
        yield [_cell(value) for value in row]


def _cell(value: str) -> str:
    value = value.strip()
    return "" if value == EMPTY_CELL else value


def _raw_cell(value: str) -> str:
    """A remarks cell untrimmed: sdn_comments.csv continues it mid-word, or at a space."""
    return "" if value.strip() == EMPTY_CELL else value


def split_programs(program_cell: str) -> tuple[str, ...]:
    """Programs as the CSV joins them, "SDGT] [IFSR" → ("SDGT", "IFSR")."""
    return tuple(p.strip(" []") for p in program_cell.split("] [") if p.strip(" []"))


def split_name(name: str) -> Name:
    """Name from "SURNAME, Given Names[, Jr.]": full "Given Names SURNAME Jr.", parts kept."""
    parts = [part.strip() for part in name.split(",") if part.strip()]
    if len(parts) < 2:
        return Name(full=name.strip())
    family, rest = parts[0], parts[1:]
    family_words = family.split()
    if len(family_words) > 1 and family_words[-1].upper() in _NAME_SUFFIXES:
        family, rest = " ".join(family_words[:-1]), [*rest, family_words[-1]]  # "MORENO JR."
    suffixes = [part for part in rest if part.upper() in _NAME_SUFFIXES]
    given = " ".join(part for part in rest if part.upper() not in _NAME_SUFFIXES)
    if not given:
        return Name(full=" ".join([family, *suffixes]))
    return Name(full=" ".join([given, family, *suffixes]), family=family, given=given)


def read_sdn(source: Path | TextIO, report: ImportReport) -> Iterator[SdnRecord]:
    for line_number, row in enumerate(_raw_rows(source), start=1):
        report.records_read += 1
        if len(row) != SDN_COLUMNS or not row[0].strip():
            report.skip("record: malformed sdn.csv row", f"row {line_number}")
            continue
        yield SdnRecord(
            ent_num=_cell(row[0]),
            name=_cell(row[1]),
            sdn_type=_cell(row[2]).lower(),
            programs=split_programs(_cell(row[3])),
            remarks=_raw_cell(row[11]),
        )


def read_aliases(source: Path | TextIO, report: ImportReport) -> dict[str, list[str]]:
    """ent_num → alias names in file order (aka, fka and nka alike: all are names used)."""
    aliases: dict[str, list[str]] = defaultdict(list)
    for row in read_rows(source):
        if len(row) != ALT_COLUMNS or not row[0] or not row[3]:
            report.drop("alias: malformed alt.csv row", ",".join(row))
            continue
        aliases[row[0]].append(row[3])
    return dict(aliases)


def read_comments(source: Path | TextIO | None) -> dict[str, str]:
    """ent_num → the continuation of its remarks."""
    if source is None:
        return {}
    continued: dict[str, str] = defaultdict(str)
    for row in _raw_rows(source):
        if len(row) >= 2 and _cell(row[0]):
            continued[_cell(row[0])] += _raw_cell(row[1])
    return dict(continued)


def _record_kind(sdn_type: str) -> str:
    return sdn_type or "entity"


def iter_ofac_entries(
    sdn_csv: Path | TextIO,
    alt_csv: Path | TextIO,
    comments_csv: Path | TextIO | None = None,
    *,
    report: ImportReport | None = None,
) -> Iterator[ImportedEntry]:
    """One entry per individual in sdn.csv, with aliases, remarks and continuations.

    Pass a `report` to learn what was skipped or dropped and why.
    """
    report = report if report is not None else ImportReport(source="OFAC SDN")
    countries = CountryResolver()
    aliases = read_aliases(alt_csv, report)
    continuations = read_comments(comments_csv)
    seen: set[str] = set()
    for record in read_sdn(sdn_csv, report):
        seen.add(record.ent_num)
        if record.sdn_type != INDIVIDUAL:
            report.skip(f"record: {_record_kind(record.sdn_type)}")
            continue
        entry = _build_entry(record, aliases, continuations, countries, report)
        if entry is not None:
            report.entries_emitted += 1
            yield entry
    for ent_num, names in aliases.items():
        if ent_num not in seen:
            for name in names:
                report.drop("alias: its ent_num is not in sdn.csv", f"{ent_num} {name}")


def _build_entry(
    record: SdnRecord,
    aliases: dict[str, list[str]],
    continuations: dict[str, str],
    countries: CountryResolver,
    report: ImportReport,
) -> ImportedEntry | None:
    builder = EntryBuilder(f"OFAC-{record.ent_num}", report, countries)
    for name in [record.name, *aliases.get(record.ent_num, [])]:
        split = split_name(name)
        builder.add_name(split.full, split.family, split.given)
    remarks = parse_remarks(record.remarks + continuations.get(record.ent_num, ""))
    for partial_date in remarks.dates_of_birth:
        builder.add_date_of_birth(partial_date)
    for country in remarks.nationalities:
        builder.add_nationality(country)
    for sex in remarks.sexes:
        builder.add_sex(sex)
    for document in remarks.documents:
        builder.add_document(document.type, document.number, document.country)
    for weak_alias in remarks.weak_aliases:
        report.drop("alias: weak a.k.a. in remarks (not imported)", weak_alias)
    for problem in remarks.problems:
        report.drop(problem.reason, problem.text)
    programs = ", ".join(record.programs) or "no program given"
    return builder.build(reason=f"OFAC SDN {programs}")
