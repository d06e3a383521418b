"""Small local parsers for the development watchlists (OFAC SDN 2021-07, UN consolidated).

Only for the benchmark: the service's importer is written elsewhere. Individuals only.
Returns EntryInput values plus, for UN entries, the name in its original script (kept
apart so the benchmark can query with it against the Latin-only entry).
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pycountry

from alertd.matching import DocumentInput, EntryInput, NameInput

_MONTH_NAMES = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec"
MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES.split(), 1)}
_DOB = re.compile(r"DOB (?:circa )?(?:(\d{1,2}) )?(?:([A-Z][a-z]{2}) )?(\d{4})")
_PASSPORT = re.compile(r"Passport ([A-Z0-9][A-Z0-9/ -]{3,20}?)(?: \(([^)]+)\))?(?:;|$|\.)")
_NATIONALITY = re.compile(r"nationality ([A-Za-z ,'-]+?)(?:;|$|\.)")
_GENDER = re.compile(r"Gender (Male|Female)")


@dataclass(frozen=True)
class ListedPerson:
    entry: EntryInput
    native_names: tuple[str, ...]  # original-script names (UN), not in entry.names


@functools.cache
def alpha3(country: str) -> str | None:
    name = country.strip()
    if not name:
        return None
    try:
        return str(pycountry.countries.lookup(name).alpha_3)
    except LookupError:
        pass
    try:
        return str(pycountry.countries.search_fuzzy(name)[0].alpha_3)
    except LookupError:
        return None


def _rows(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="latin-1").replace("\x1a", "")
    return [row for row in csv.reader(text.splitlines()) if row]


def _clean(cell: str) -> str:
    return "" if cell.strip() == "-0-" else cell.strip()


def _ofac_name(raw: str) -> NameInput:
    family, _, given = raw.partition(",")
    family, given = family.strip(), given.strip()
    full = f"{given} {family}".strip() if given else family
    return NameInput(full, family or None, given or None)


def _ofac_dates(remarks: str) -> tuple[str, ...]:
    dates = []
    for day, month, year in _DOB.findall(remarks):
        if month and month in MONTHS and day:
            dates.append(f"{year}-{MONTHS[month]:02d}-{int(day):02d}")
        elif month and month in MONTHS:
            dates.append(f"{year}-{MONTHS[month]:02d}")
        else:
            dates.append(year)
    return tuple(dict.fromkeys(dates))


def load_ofac(folder: Path) -> list[ListedPerson]:
    aliases: dict[str, list[NameInput]] = {}
    for row in _rows(folder / "alt.csv"):
        if len(row) >= 4 and _clean(row[3]):
            aliases.setdefault(row[0], []).append(_ofac_name(_clean(row[3])))
    comments = {r[0]: r[1] for r in _rows(folder / "sdn_comments.csv") if len(r) >= 2}
    people = []
    for row in _rows(folder / "sdn.csv"):
        if len(row) < 12 or _clean(row[2]) != "individual":
            continue
        remarks = _clean(row[11]) + " " + comments.get(row[0], "")
        names = (_ofac_name(_clean(row[1])), *aliases.get(row[0], ()))
        documents = tuple(
            DocumentInput("passport", number.strip(), alpha3(country) if country else None)
            for number, country in _PASSPORT.findall(remarks)
        )
        nationalities = tuple(
            dict.fromkeys(c for c in (alpha3(n) for n in _NATIONALITY.findall(remarks)) if c)
        )
        gender = _GENDER.search(remarks)
        sex = {"Male": "M", "Female": "F"}[gender.group(1)] if gender else None
        entry = EntryInput(
            f"OFAC-{row[0]}", 1, "wanted_person", names, _ofac_dates(remarks),
            nationalities, sex, documents, None,
        )  # fmt: skip
        people.append(ListedPerson(entry, ()))
    return people


def _text(node: ElementTree.Element, tag: str) -> str:
    found = node.find(tag)
    return (found.text or "").strip() if found is not None else ""


def load_un(path: Path) -> list[ListedPerson]:
    root = ElementTree.parse(path).getroot()  # noqa: S314 (a trusted local file)
    people = []
    for ind in root.iter("INDIVIDUAL"):
        parts = [_text(ind, t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
        names = [NameInput(" ".join(p for p in parts if p))]
        names += [
            NameInput(alias.strip())
            for a in ind.iter("INDIVIDUAL_ALIAS")
            if _text(a, "QUALITY") != "Low"
            for alias in _text(a, "ALIAS_NAME").split(";")  # "Fazel Rahim; Fazil Rahim"
            if alias.strip()
        ]
        dates = []
        for dob in ind.iter("INDIVIDUAL_DATE_OF_BIRTH"):
            if _text(dob, "DATE"):
                dates.append(_text(dob, "DATE")[:10])
            elif _text(dob, "YEAR"):
                dates.append(_text(dob, "YEAR"))
        nationalities = tuple(
            c for c in (alpha3(_text(v, ".")) for v in ind.iter("NATIONALITY") for v in v) if c
        )
        documents = tuple(
            DocumentInput(
                "passport" if "passport" in _text(d, "TYPE_OF_DOCUMENT").lower() else "national_id",
                _text(d, "NUMBER"),
                alpha3(_text(d, "ISSUING_COUNTRY")) if _text(d, "ISSUING_COUNTRY") else None,
            )
            for d in ind.iter("INDIVIDUAL_DOCUMENT")
            if _text(d, "NUMBER")
        )
        gender = _text(ind, "GENDER")
        sex = {"Male": "M", "Female": "F"}.get(gender)
        native = _text(ind, "NAME_ORIGINAL_SCRIPT")
        entry = EntryInput(
            f"UN-{_text(ind, 'REFERENCE_NUMBER')}", 1, "wanted_person",
            tuple(n for n in names if n.full), tuple(dict.fromkeys(dates)),
            tuple(dict.fromkeys(nationalities)), sex, documents, None,
        )  # fmt: skip
        if entry.names:
            people.append(ListedPerson(entry, (native,) if native else ()))
    return people
