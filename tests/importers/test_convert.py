"""The CLI's entry point: one call per format, entries numbered as the uploaded lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from alertd.importers import FORMATS, Format, ImportReport, JsonLinesError, convert
from tests.importers.expected import TINY_2025_ENTRIES


def test_formats() -> None:
    assert FORMATS == ("jsonl", "ofac", "un")


@pytest.mark.parametrize("given", ["folder", "sdn.csv"])
def test_ofac_from_the_folder_or_sdn_csv(tiny_ofac: Path, given: str) -> None:
    path = tiny_ofac if given == "folder" else tiny_ofac / "sdn.csv"
    report = ImportReport(source=str(path))
    converted = list(convert("ofac", path, report=report))
    assert [line for line, _ in converted] == [1, 2, 3, 4]
    assert [entry for _, entry in converted] == TINY_2025_ENTRIES
    assert report.entries_emitted == 4
    assert report.summary_lines()[0] == f"{path}: read 17 records, emitted 4 entries"


def test_un(watchlists: Path) -> None:
    path = watchlists / "un_consolidated_2026-02-27" / "UN_consolidated.xml"
    converted = list(convert("un", path))
    assert len(converted) == 730
    assert converted[0].line == 1
    assert converted[-1].line == 730
    assert json.loads(json.dumps(converted[0].entry)) == converted[0].entry  # JSON-ready


def test_converted_lines_round_trip_as_jsonl(tiny_ofac: Path, tmp_path: Path) -> None:
    """What the CLI uploads for an OFAC list reads back identically as a JSON Lines file."""
    body = tmp_path / "body.jsonl"
    lines = [json.dumps(entry, ensure_ascii=False) for _, entry in convert("ofac", tiny_ofac)]
    body.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = ImportReport(source="body")
    assert [entry for _, entry in convert("jsonl", body, report=report)] == TINY_2025_ENTRIES
    assert report.records_read == report.entries_emitted == 4


def test_jsonl_errors_name_the_file(tmp_path: Path) -> None:
    body = tmp_path / "bad.jsonl"
    body.write_text('{"a": 1}\n{oops}\n', encoding="utf-8")
    with pytest.raises(JsonLinesError, match=r"bad\.jsonl: 1 invalid line\(s\): line 2: "):
        list(convert("jsonl", body))


def test_missing_files_and_unknown_formats_fail_at_once(tmp_path: Path) -> None:
    for fmt in FORMATS:
        with pytest.raises(FileNotFoundError):
            convert(fmt, tmp_path / "missing")
    with pytest.raises(ValueError, match="unknown import format 'csv'"):
        convert("csv", tmp_path)  # type: ignore[arg-type]


def test_the_service_accepts_every_converted_entry(watchlists: Path, tiny_ofac: Path) -> None:
    """Each line as the CLI would upload it passes the service's own entry schema."""
    from alertd.entries import EntryBody

    sources: list[tuple[Format, Path]] = [
        ("ofac", watchlists / "ofac_sdn_2021-07"),
        ("ofac", tiny_ofac),
        ("un", watchlists / "un_consolidated_2026-02-27" / "UN_consolidated.xml"),
    ]
    caller_fields = {"category": "wanted_person", "release_to": [], "expires_at": "2027-01-01"}
    checked = 0
    for fmt, path in sources:
        for _, entry in convert(fmt, path):
            EntryBody.model_validate_json(json.dumps({**entry, **caller_fields}))
            checked += 1
    assert checked == 4620 + 4 + 730
