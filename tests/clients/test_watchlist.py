"""`alertctl watchlist`: imports and the four-eyes workflow against a real alertd."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.clients.conftest import Alertctl

# Starts real processes (alertd, alertctl): `pytest -m 'not smoke'` leaves them out.
pytestmark = pytest.mark.smoke

OFAC_TINY = Path("/work/shared/data/watchlists/ofac_sdn_tiny_2025")
# The four individuals of the tiny extract (sdn.csv: 17 records, 13 not people).
OFAC_TINY_REFS = {"OFAC-10278", "OFAC-15102", "OFAC-29702", "OFAC-48603"}
EXIT_REFUSED = 1


def listed_refs(client: Alertctl, *filters: str) -> set[str]:
    result = client("--json", "watchlist", "list", "--limit", "200", *filters)
    assert result.exit_code == 0, result.stderr
    return {entry["external_ref"] for entry in result.json()["entries"]}


def entry(**fields: Any) -> dict[str, Any]:
    expires = (datetime.now(UTC) + timedelta(days=30)).date().isoformat()
    return {
        "category": "potential_victim",
        "names": [{"full": "CHHAY Sreyneang"}],
        "dates_of_birth": ["2004-02"],
        "nationalities": ["KHM"],
        "reason": "reported by her family to NCCT",
        "release_to": ["MOSVY"],
        "expires_at": expires,
    } | fields


def write_lines(path: Path, *lines: str) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_ofac_import_approved_by_a_second_person(editor: Alertctl, approver: Alertctl) -> None:
    imported = editor(
        "--json",
        "watchlist",
        "import",
        str(OFAC_TINY),
        "--format",
        "ofac",
        "--category",
        "wanted_person",
        "--release-to",
        "GCNP,GDI",
    )
    assert imported.exit_code == 0, imported.stderr
    batch = imported.json()
    assert batch["count"] == 4 and batch["status"] == "pending"
    assert "emitted 4 entries" in imported.stderr  # the converter's report
    assert listed_refs(editor, "--status", "pending") >= OFAC_TINY_REFS

    refused = editor("watchlist", "approve-import", str(batch["id"]))
    assert refused.exit_code == EXIT_REFUSED  # four eyes: the importer cannot publish

    approved = approver("--json", "watchlist", "approve-import", str(batch["id"]))
    assert approved.exit_code == 0, approved.stderr
    assert approved.json()["status"] == "published"
    assert approved.json()["count"] == 4
    assert listed_refs(approver, "--status", "published") >= OFAC_TINY_REFS

    table = editor("watchlist", "list", "--q", "OFAC-10278")
    assert table.exit_code == 0
    heading, row = table.stdout.splitlines()
    assert heading.split()[:4] == ["ID", "REF", "CATEGORY", "STATUS"]
    assert row.split()[1:4] == ["OFAC-10278", "wanted_person", "published"]


def test_imported_entries_get_the_category_instructions(editor: Alertctl, tmp_path: Path) -> None:
    lines = write_lines(
        tmp_path / "victims.jsonl",
        json.dumps({k: v for k, v in entry(external_ref="T-VICTIM-1").items() if k != "category"}),
    )
    imported = editor("--json", "watchlist", "import", str(lines), "--category", "potential_victim")
    assert imported.exit_code == 0, imported.stderr
    found = editor("--json", "watchlist", "list", "--q", "T-VICTIM-1").json()["entries"]
    shown = editor("--json", "watchlist", "show", str(found[0]["id"])).json()
    assert shown["category"] == "potential_victim"
    assert "not as a suspect" in shown["entry"]["instructions"]


def test_a_bad_jsonl_file_names_each_bad_line_and_stores_nothing(
    editor: Alertctl, tmp_path: Path
) -> None:
    bad = write_lines(
        tmp_path / "bad.jsonl",
        json.dumps(entry(external_ref="T-BAD-1")),
        "",
        json.dumps(entry(external_ref="T-BAD-3", names=[], nationalities=["ZZZ"])),
        json.dumps(entry(external_ref="T-BAD-4", category="suspicious")),
    )
    result = editor("watchlist", "import", str(bad))
    assert result.exit_code == EXIT_REFUSED
    assert "nothing was stored" in result.stderr
    assert "line 3 (T-BAD-3): names" in result.stderr
    assert "line 3 (T-BAD-3): nationalities.0" in result.stderr
    assert "line 4 (T-BAD-4): category" in result.stderr
    assert "line 1 " not in result.stderr

    as_json = editor("--json", "watchlist", "import", str(bad))
    assert as_json.exit_code == EXIT_REFUSED and as_json.stdout == ""
    fields = {e["field"] for e in as_json.error()["problem"]["errors"]}
    assert {"line 3 (T-BAD-3): names", "line 4 (T-BAD-4): category"} <= fields
    assert not {"T-BAD-1", "T-BAD-3"} & listed_refs(editor)


def test_a_file_that_is_not_json_lines_is_refused_before_sending(
    editor: Alertctl, tmp_path: Path
) -> None:
    bad = write_lines(tmp_path / "broken.jsonl", json.dumps(entry()), "{not json", "[1, 2]")
    result = editor("watchlist", "import", str(bad))
    assert result.exit_code == EXIT_REFUSED
    assert "line 2: invalid JSON" in result.stderr
    assert "line 3: expected a JSON object" in result.stderr
    assert "nothing was sent" in result.stderr


def test_ofac_and_un_imports_need_a_category_and_releasability(editor: Alertctl) -> None:
    result = editor("watchlist", "import", str(OFAC_TINY), "--format", "ofac")
    assert result.exit_code == 2
    assert "--category" in result.stderr


def test_entry_workflow(editor: Alertctl, approver: Alertctl, tmp_path: Path) -> None:
    draft_file = tmp_path / "entry.json"
    draft_file.write_text(json.dumps(entry(external_ref="T-FLOW-1")))
    created = editor("--json", "watchlist", "create", str(draft_file))
    assert created.exit_code == 0, created.stderr
    entry_id = str(created.json()["id"])
    assert created.json()["status"] == "draft"

    submitted = editor("watchlist", "submit", entry_id)
    assert submitted.exit_code == 0 and "pending" in submitted.stdout
    rejected = approver("watchlist", "reject", entry_id, "--reason", "add her passport")
    assert rejected.exit_code == 0 and "draft" in rejected.stdout
    assert editor("watchlist", "submit", entry_id).exit_code == 0
    assert editor("watchlist", "approve", entry_id).exit_code == EXIT_REFUSED
    approved = approver("--json", "watchlist", "approve", entry_id)
    assert approved.exit_code == 0 and approved.json()["status"] == "published"

    shown = approver("watchlist", "show", entry_id)
    assert "CHHAY Sreyneang" in shown.stdout and "published" in shown.stdout
    history = editor("--json", "watchlist", "history", entry_id).json()
    actions = [event["action"] for event in history["events"]]
    assert actions[:1] == ["create"] and "reject" in actions and actions[-1] == "approve"
    table = editor("watchlist", "history", entry_id)
    assert "add her passport" in table.stdout

    draft_file.write_text(json.dumps(entry(external_ref="T-FLOW-1", sex="F")))
    edited = editor("watchlist", "edit", entry_id, str(draft_file))
    assert edited.exit_code == 0, edited.stderr
    assert f"Entry {entry_id} version 2: pending" in edited.stdout
    assert approver("watchlist", "approve", entry_id).exit_code == 0

    withdrawn = editor("watchlist", "withdraw", entry_id, "--reason", "found safe")
    assert withdrawn.exit_code == 0, withdrawn.stderr
    assert approver("watchlist", "approve", entry_id).exit_code == 0
    assert "T-FLOW-1" in listed_refs(editor, "--status", "withdrawn")


def test_problems_are_printed_with_their_fields(editor: Alertctl, tmp_path: Path) -> None:
    bad = tmp_path / "entry.json"
    bad.write_text(json.dumps(entry(sex="male")))
    result = editor("watchlist", "create", str(bad))
    assert result.exit_code == EXIT_REFUSED
    assert result.stderr.startswith("error: ")
    assert "  sex: " in result.stderr
    assert editor("watchlist", "show", "999999").exit_code == EXIT_REFUSED
    not_json = tmp_path / "entry.txt"
    not_json.write_text("names: x")
    assert editor("watchlist", "create", str(not_json)).exit_code == EXIT_REFUSED
