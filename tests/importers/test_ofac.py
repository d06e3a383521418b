"""OFAC SDN import: the tiny 2025 extract end to end, the full 2021 list by counts."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from alertd.importers import ImportedEntry, ImportReport, iter_ofac_entries
from alertd.importers.model import Name
from alertd.importers.ofac import locate_files, split_name, split_programs
from tests.importers.expected import TINY_2025_ENTRIES


def convert_folder(folder: Path, report: ImportReport) -> list[ImportedEntry]:
    files = locate_files(folder)
    return list(iter_ofac_entries(files.sdn, files.alt, files.comments, report=report))


def test_tiny_2025_extract_end_to_end(tiny_ofac: Path) -> None:
    report = ImportReport(source="tiny")
    entries = convert_folder(tiny_ofac, report)
    assert [entry.to_dict() for entry in entries] == TINY_2025_ENTRIES
    assert report.records_read == 17
    assert report.entries_emitted == 4
    assert report.skipped == {"record: entity": 7, "record: vessel": 4, "record: aircraft": 2}
    # The extract's alt.csv keeps five aliases of entries it does not contain.
    assert report.dropped["alias: its ent_num is not in sdn.csv"] == 5
    assert report.dropped["alias: weak a.k.a. in remarks (not imported)"] == 2
    assert report.examples["alias: weak a.k.a. in remarks (not imported)"] == [
        "BURTON BURGESS",
        "LOCKBITSUPP",
    ]


def test_project_copies_are_the_shared_files(watchlists: Path, shared_lists: Path) -> None:
    copies = [p for p in watchlists.rglob("*") if p.is_file() and p.name != "PROVENANCE.md"]
    assert len(copies) == 7
    for copy in copies:
        assert copy.read_bytes() == (shared_lists / copy.relative_to(watchlists)).read_bytes()


# --- the full list of July 2021 -------------------------------------------------------

INDIVIDUAL_ROW = re.compile(r'^(\d+),"[^"]*","individual"')


@pytest.fixture(scope="module")
def full_2021(watchlists: Path) -> tuple[list[ImportedEntry], ImportReport]:
    report = ImportReport(source="ofac 2021")
    return convert_folder(watchlists / "ofac_sdn_2021-07", report), report


def raw_individual_remarks(folder: Path) -> dict[str, str]:
    """ent_num → the raw sdn.csv line plus its sdn_comments.csv line: a grep-level view."""
    continued = {
        line.split(",", 1)[0]: line
        for line in (folder / "sdn_comments.csv").read_text(encoding="utf-8").splitlines()
    }
    individuals = {}
    for line in (folder / "sdn.csv").read_text(encoding="utf-8").splitlines():
        if match := INDIVIDUAL_ROW.match(line):
            individuals[match[1]] = line + continued.get(match[1], "")
    return individuals


def refs_where(entries: list[ImportedEntry], has: str) -> set[str]:
    out = set()
    for entry in entries:
        if has == "dob" and entry.dates_of_birth:
            out.add(entry.external_ref.removeprefix("OFAC-"))
        if any(document.type == has for document in entry.documents):
            out.add(entry.external_ref.removeprefix("OFAC-"))
    return out


def test_full_2021_counts(full_2021: tuple[list[ImportedEntry], ImportReport]) -> None:
    entries, report = full_2021
    # grep -c '^[0-9]*,"[^"]*","individual"' sdn.csv → 4620 (the README says the same)
    assert len(entries) == report.entries_emitted == 4620
    assert report.records_read == 8976
    assert report.skipped == {
        "record: entity": 3673,
        "record: vessel": 406,
        "record: aircraft": 277,
    }
    assert len(refs_where(entries, "dob")) == 4428
    assert len(refs_where(entries, "passport")) == 1192
    assert len(refs_where(entries, "travel_document")) == 6
    assert len(refs_where(entries, "national_id")) == 1165
    assert sum(len(entry.names) for entry in entries) == 10883
    assert sum(len(entry.documents) for entry in entries) == 2804
    assert sum(bool(entry.nationalities) for entry in entries) == 2545
    assert sum(entry.sex is not None for entry in entries) == 1513
    assert report.dropped["alias: weak a.k.a. in remarks (not imported)"] == 1742
    assert report.dropped["nationality: unknown country"] == 1  # Kosovo


def test_full_2021_agrees_with_a_grep_of_the_raw_lines(
    watchlists: Path, full_2021: tuple[list[ImportedEntry], ImportReport]
) -> None:
    """The same individuals carry a DOB / passport whether parsed or grepped."""
    entries, _ = full_2021
    raw = raw_individual_remarks(watchlists / "ofac_sdn_2021-07")
    assert len(raw) == 4620
    # README: "4,428 a date of birth".
    assert refs_where(entries, "dob") == {ent for ent, line in raw.items() if "DOB " in line}
    # README: "1,191 individuals carry a passport in the remarks" of sdn.csv; one more
    # (29703) has its "Passport 4005504207 (Russia)" in the sdn_comments.csv continuation.
    assert refs_where(entries, "passport") == {
        ent for ent, line in raw.items() if "Passport" in line
    }
    assert refs_where(entries, "travel_document") == {
        ent for ent, line in raw.items() if "Travel Document Number" in line
    }


def test_remarks_continue_in_sdn_comments(
    full_2021: tuple[list[ImportedEntry], ImportReport],
) -> None:
    entries, _ = full_2021
    by_ref = {entry.external_ref: entry for entry in entries}
    # sdn.csv cuts 29703's remarks in "Digital Currency Addres"; the passport is after it.
    assert by_ref["OFAC-29703"].documents[-1].to_dict() == {
        "type": "passport",
        "number": "4005504207",
        "country": "RUS",
    }


def test_every_emitted_entry_is_valid(
    full_2021: tuple[list[ImportedEntry], ImportReport],
) -> None:
    from tests.importers.validity import assert_valid_entry

    for entry in full_2021[0]:
        assert_valid_entry(entry.to_dict())


# --- the CSV quirks, on small made-up files -------------------------------------------

SDN_QUIRKS = (
    '100,"DOE, John",individual,"SDGT] [IFSR",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    '"DOB 1960 to 1962; Passport A1234567 (Iraq); Digital Currency Addres"\r\n'
    '101,"ACME LTD.",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    '102,"SHIP",vessel,"IRAN",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    '103,"ROE, Jane",individual,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    '104,"broken row"\r\n'
    "\x1a"
)
ALT_QUIRKS = (
    '100,1,"aka","DOE, Johnny",-0- \r\n'
    '100,2,"fka","SMITH, John",-0- \r\n'
    '999,3,"aka","NOBODY, Known",-0- \r\n'
    "\x1a"
)
COMMENTS_QUIRKS = '100,"s - XBT 1abc; nationality Iraq; Gender Male."\r\n\x1a'


def quirky_entries(report: ImportReport) -> Iterator[ImportedEntry]:
    return iter_ofac_entries(
        io.StringIO(SDN_QUIRKS, newline=""),
        io.StringIO(ALT_QUIRKS, newline=""),
        io.StringIO(COMMENTS_QUIRKS, newline=""),
        report=report,
    )


def test_csv_quirks() -> None:
    report = ImportReport(source="quirks")
    entries = [entry.to_dict() for entry in quirky_entries(report)]
    assert entries == [
        {
            "external_ref": "OFAC-100",
            "names": [
                {"full": "John DOE", "family": "DOE", "given": "John"},
                {"full": "Johnny DOE", "family": "DOE", "given": "Johnny"},
                {"full": "John SMITH", "family": "SMITH", "given": "John"},
            ],
            "dates_of_birth": ["1960", "1961", "1962"],
            "nationalities": ["IRQ"],
            "documents": [{"type": "passport", "number": "A1234567", "country": "IRQ"}],
            "reason": "OFAC SDN SDGT, IFSR",
            "sex": "M",
        },
        {
            "external_ref": "OFAC-103",
            "names": [{"full": "Jane ROE", "family": "ROE", "given": "Jane"}],
            "dates_of_birth": [],
            "nationalities": [],
            "documents": [],
            "reason": "OFAC SDN no program given",
        },
    ]
    assert report.records_read == 5
    assert report.skipped == {
        "record: entity": 1,
        "record: vessel": 1,
        "record: malformed sdn.csv row": 1,
    }
    assert report.dropped == {"alias: its ent_num is not in sdn.csv": 1}


def test_windows_1252_files_are_read(tmp_path: Path) -> None:
    row = '200,"MU\xd1OZ, Jos\xe9",individual,"SDNTK"' + ",-0- " * 8 + "\r\n"
    (tmp_path / "sdn.csv").write_bytes(row.encode("cp1252"))
    (tmp_path / "alt.csv").write_bytes(b"")
    entries = list(iter_ofac_entries(tmp_path / "sdn.csv", tmp_path / "alt.csv"))
    assert entries[0].names[0].full == "José MUÑOZ"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("SOK, Chan", Name("Chan SOK", "SOK", "Chan")),
        (
            "DELOS REYES, Feliciano Semborio, Jr.",
            Name("Feliciano Semborio DELOS REYES Jr.", "DELOS REYES", "Feliciano Semborio"),
        ),
        ("KNOWLES, JR., Samuel", Name("Samuel KNOWLES JR.", "KNOWLES", "Samuel")),
        (
            "MORENO JR., Daniel Gonzalo",
            Name("Daniel Gonzalo MORENO JR.", "MORENO", "Daniel Gonzalo"),
        ),
        ("ABU ZUBAYDAH", Name("ABU ZUBAYDAH")),
        (
            "MARUF, Taha, Muhyi al-Din",
            Name("Taha Muhyi al-Din MARUF", "MARUF", "Taha Muhyi al-Din"),
        ),
    ],
)
def test_name_splitting(name: str, expected: Name) -> None:
    assert split_name(name) == expected


def test_programs() -> None:
    assert split_programs("SDGT] [IFSR") == ("SDGT", "IFSR")
    assert split_programs("CUBA") == ("CUBA",)
    assert split_programs("") == ()


def test_locate_files(tiny_ofac: Path, tmp_path: Path) -> None:
    from_folder = locate_files(tiny_ofac)
    assert from_folder == locate_files(tiny_ofac / "sdn.csv")
    assert from_folder.comments == tiny_ofac / "sdn_comments.csv"
    (tmp_path / "sdn.csv").write_bytes(b"")
    with pytest.raises(FileNotFoundError, match=r"alt\.csv"):
        locate_files(tmp_path)
    (tmp_path / "alt.csv").write_bytes(b"")
    assert locate_files(tmp_path).comments is None
