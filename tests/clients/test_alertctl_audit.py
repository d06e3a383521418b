"""`alertctl audit`: an auditor searches, exports and verifies the real server's log."""

from __future__ import annotations

import asyncio
import json
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from alertd.audit import GENESIS_HASH
from alertd.db import create_engine
from clients.alertctl.audit import compact
from tests.clients.conftest import Alertctl, Server
from tests.databases import TestDatabase

# Starts real processes (alertd, alertctl): `pytest -m 'not smoke'` leaves them out.
pytestmark = pytest.mark.smoke

EXIT_REFUSED, EXIT_NOT_SIGNED_IN, EXIT_CHAIN_BROKEN = 1, 3, 5
TAMPERED_SEQ = 3  # a demo seed event, long before anything these tests do


@pytest.fixture(scope="module")
def auditor(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Alertctl:
    """Signed in once: a one-time code can be used only once."""
    client = Alertctl(server, tmp_path_factory.mktemp("auditor"))
    result = client.login_with_totp("auditor")
    assert result.exit_code == 0, result.stderr
    return client


def searched(auditor: Alertctl, *options: str) -> list[dict[str, Any]]:
    result = auditor("--json", "audit", "search", *options)
    assert result.exit_code == 0, result.stderr
    events: list[dict[str, Any]] = result.json()["events"]
    return events


def test_search_filters_by_actor_action_and_time(auditor: Alertctl) -> None:
    logins = searched(auditor, "--actor", "auditor", "--action", "auth.login")
    assert logins and {(e["actor"], e["action"]) for e in logins} == {("auditor", "auth.login")}
    assert all(e["hash"] and e["prev_hash"] for e in logins)

    today = datetime.now(UTC).date().isoformat()  # a date alone: its midnight, UTC
    assert searched(auditor, "--actor", "auditor", "--since", today)
    assert searched(auditor, "--actor", "auditor", "--until", "2000-01-01T00:00:00Z") == []

    table = auditor("audit", "search", "--actor", "auditor", "--action", "auth.login")
    assert table.exit_code == 0, table.stderr
    heading, row, *_ = table.stdout.splitlines()
    assert heading.split() == [
        "SEQ", "AT", "ACTOR", "AGENCY", "ACTION", "SUBJECT", "OUTCOME", "DETAILS",
    ]  # fmt: skip
    assert row.split()[3:8] == ["auditor", "-", "auth.login", "user:auditor", "success"]


def test_search_pages_with_after_seq(auditor: Alertctl) -> None:
    first = auditor("--json", "audit", "search", "--limit", "1")
    assert first.exit_code == 0, first.stderr
    [event] = first.json()["events"]
    assert event["seq"] == first.json()["last_seq"] == 1

    table = auditor("audit", "search", "--limit", "1")
    assert "add --after-seq 1" in table.stderr
    [following] = searched(auditor, "--after-seq", "1", "--limit", "1")
    assert following["seq"] == 2


def test_a_bad_time_is_refused_with_the_field(auditor: Alertctl) -> None:
    refused = auditor("--json", "audit", "search", "--since", "yesterday")
    assert refused.exit_code == EXIT_REFUSED
    problem = refused.error()["problem"]
    assert problem["status"] == 422
    assert [e["field"] for e in problem["errors"]] == ["since"]


def test_export_to_a_file_is_the_whole_linked_chain(auditor: Alertctl, tmp_path: Path) -> None:
    target = tmp_path / "audit.jsonl"
    result = auditor("--json", "audit", "export", "--output", str(target))
    assert result.exit_code == 0, result.stderr
    events = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert result.json() == {
        "output": str(target),
        "events": len(events),
        "bytes": target.stat().st_size,
    }
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # the log names people
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    links = zip([GENESIS_HASH] + [e["hash"] for e in events], events, strict=False)
    assert all(event["prev_hash"] == previous for previous, event in links)
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left beside it


def test_export_to_stdout_with_filters(auditor: Alertctl) -> None:
    result = auditor("audit", "export", "--action", "auth.login", "--actor", "auditor")
    assert result.exit_code == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert events and {(e["actor"], e["action"]) for e in events} == {("auditor", "auth.login")}
    assert f"Exported {len(events)} events" in result.stderr


def test_a_failed_export_leaves_no_file(
    auditor: Alertctl, police: Alertctl, tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    refused = police("--json", "audit", "export", "--output", str(folder / "audit.jsonl"))
    assert refused.exit_code == EXIT_REFUSED
    assert refused.error()["problem"]["status"] == 403
    assert list(folder.iterdir()) == []  # not even a temporary file

    nowhere = auditor("audit", "export", "--output", str(folder / "missing" / "a.jsonl"))
    assert nowhere.exit_code == EXIT_REFUSED
    assert "cannot write" in nowhere.stderr


def test_verify_an_intact_chain(auditor: Alertctl) -> None:
    result = auditor("--json", "audit", "verify")
    assert result.exit_code == 0, result.stderr
    report = result.json()
    assert report["ok"] is True and report["events"] > 0 and len(report["head"]) == 64
    human = auditor("audit", "verify")
    assert human.exit_code == 0 and human.stdout.startswith("OK: the audit chain holds")


def test_verify_names_the_first_broken_seq(auditor: Alertctl, server_database: str) -> None:
    with tampered(server_database, TAMPERED_SEQ):
        broken = auditor("--json", "audit", "verify")
        human = auditor("audit", "verify")
    assert broken.exit_code == EXIT_CHAIN_BROKEN, broken.stderr
    report = broken.json()
    assert report["ok"] is False and report["first_broken_seq"] == TAMPERED_SEQ
    assert report["problem"] == "event content does not match its hash"
    assert human.exit_code == EXIT_CHAIN_BROKEN
    assert human.stdout.startswith(f"BROKEN at seq {TAMPERED_SEQ}:")
    assert auditor("audit", "verify").exit_code == 0  # restored


def test_only_auditors_read_the_log(police: Alertctl, alertctl: Alertctl) -> None:
    for command in (("search",), ("export",), ("verify",)):
        refused = police("--json", "audit", *command)
        assert refused.exit_code == EXIT_REFUSED, command
        assert refused.error()["problem"]["type"].endswith("/permission-denied")
    assert alertctl("audit", "verify").exit_code == EXIT_NOT_SIGNED_IN


def test_details_are_shown_on_one_line() -> None:
    assert compact({"resolution": "confirmed", "note": "held\nat the desk"}) == (
        'resolution="confirmed" note="held\\nat the desk"'
    )
    assert compact({}) is None and compact(None) is None


@pytest.fixture
def police(server: Server, tmp_path: Path) -> Alertctl:
    """A desk officer: no business with the audit log."""
    client = Alertctl(server, tmp_path / "police")
    assert client.login("police").exit_code == 0
    return client


@pytest.fixture
def server_database(server: Server, test_database: TestDatabase) -> str:
    """The URL of the database the package's server runs on (see conftest's `server`:
    PostgreSQL's run database itself, or the SQLite file in the server's work folder)."""
    if test_database.backend == "postgresql":
        return test_database.template
    path = server.early_home.parent / "alertd.db"
    assert path.is_file(), path
    return f"sqlite+aiosqlite:///{path}"


@contextmanager
def tampered(database_url: str, seq: int) -> Iterator[None]:
    """Rewrite one event's details behind the server's back, then put them back."""
    original = asyncio.run(_swap_details(database_url, seq, '{"rewritten": true}'))
    try:
        yield
    finally:
        asyncio.run(_swap_details(database_url, seq, original))


async def _swap_details(database_url: str, seq: int, details: str) -> str:
    engine = create_engine(database_url, pool_size=1)
    try:
        async with engine.begin() as conn:
            select = text("SELECT details FROM audit_events WHERE seq = :seq")
            before = str((await conn.execute(select, {"seq": seq})).scalar_one())
            update = text("UPDATE audit_events SET details = :details WHERE seq = :seq")
            await conn.execute(update, {"details": details, "seq": seq})
        return before
    finally:
        await engine.dispose()
