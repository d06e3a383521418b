"""`alertctl alerts`: a desk officer lists, shows, acknowledges and resolves real alerts."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from yarl import URL

from clients.alertctl import alerts
from clients.alertctl.http import ApiClient
from clients.alertctl.output import Output
from clients.alertctl.session import TokenStore
from tests.clients.conftest import LISTED_REF, Alertctl, Server, signed_in

# Starts real processes (alertd, alertctl): `pytest -m 'not smoke'` leaves them out.
pytestmark = pytest.mark.smoke

EXIT_REFUSED, EXIT_NOT_SIGNED_IN = 1, 3


@pytest.fixture
def police(server: Server, tmp_path: Path) -> Alertctl:
    """The demo desk officer of the police (GCNP) at Poipet, where the officer screens."""
    return signed_in(server, tmp_path / "police", "police")


def raise_alert(officer: Alertctl) -> int:
    """KEO Dara crosses at Poipet: a hit on the listed entry, routed to GCNP and GDI."""
    result = officer("--json", "screen", "--checkpoint", "POI", "--name", "KEO Dara")
    assert result.exit_code == 0, result.stderr
    [match] = [m for m in result.json()["matches"] if m["external_ref"] == LISTED_REF]
    alert_id: int = match["alert_id"]
    return alert_id


def alert_page(desk: Alertctl, *options: str) -> dict[str, Any]:
    result = desk("--json", "alerts", "list", *options)
    assert result.exit_code == 0, result.stderr
    page: dict[str, Any] = result.json()
    return page


def test_a_desk_officer_lists_acknowledges_and_resolves_a_real_alert(
    listed: None, officer: Alertctl, police: Alertctl
) -> None:
    alert_id = raise_alert(officer)
    page = alert_page(police, "--status", "new")
    [alert] = [a for a in page["alerts"] if a["id"] == alert_id]
    assert alert["status"] == "new" and alert["checkpoint"] == "POI"
    assert page["last_seq"] >= alert["seq"]

    acked = police("--json", "alerts", "ack", str(alert_id))
    assert acked.exit_code == 0, acked.stderr
    statuses = {route["agency"]: route["status"] for route in acked.json()["agencies"]}
    assert statuses == {"GCNP": "acknowledged", "GDI": "new"}  # immigration still must act
    again = police("alerts", "ack", str(alert_id))  # idempotent: the same state, printed
    assert again.exit_code == 0, again.stderr
    assert f"Alert {alert_id} (seq {alert['seq']}): acknowledged" in again.stdout

    resolved = police(
        "alerts", "resolve", str(alert_id), "--resolution", "confirmed", "--note", "held"
    )
    assert resolved.exit_code == 0, resolved.stderr
    assert "resolved" in resolved.stdout.splitlines()[0]
    gcnp = next(line for line in resolved.stdout.splitlines() if line.startswith("GCNP"))
    assert gcnp.split() == ["GCNP", "resolved", "police", "police", "confirmed", "held"]

    shown = police("--json", "alerts", "show", str(alert_id))
    assert shown.exit_code == 0, shown.stderr
    assert shown.json()["status"] == "resolved"
    assert alert_id in {a["id"] for a in alert_page(police, "--status", "resolved")["alerts"]}
    assert alert_id not in {a["id"] for a in alert_page(police, "--status", "new")["alerts"]}


def test_resolving_again_differently_is_refused(
    listed: None, officer: Alertctl, police: Alertctl
) -> None:
    alert_id = raise_alert(officer)
    first = police("alerts", "resolve", str(alert_id), "--resolution", "false_positive")
    assert first.exit_code == 0, first.stderr
    same = police("alerts", "resolve", str(alert_id), "--resolution", "false_positive")
    assert same.exit_code == 0, same.stderr  # idempotent
    other = police("--json", "alerts", "resolve", str(alert_id), "--resolution", "confirmed")
    assert other.exit_code == EXIT_REFUSED
    assert other.error()["problem"]["status"] == 409
    assert "already resolved as false_positive" in other.error()["error"]


def test_the_table_shows_own_and_other_agencies_statuses(
    listed: None, officer: Alertctl, police: Alertctl
) -> None:
    alert_id = raise_alert(officer)
    table = police("alerts", "list", "--status", "new")
    assert table.exit_code == 0, table.stderr
    heading, *lines = table.stdout.splitlines()
    assert heading.split() == [
        "SEQ", "ID", "TIME", "SEVERITY", "CATEGORY", "CHECKPOINT", "BAND", "STATUS",
        "OTHER", "AGENCIES",
    ]  # fmt: skip
    [row] = [line for line in lines if line.split()[1] == str(alert_id)]
    cells = row.split()
    assert cells[4:] == ["high", "wanted_person", "POI", "hit", "new", "GDI", "new"]
    assert "\x1b[" not in table.stdout  # NO_COLOR, and not a terminal: no escapes
    assert "next time: --after-seq" in table.stderr


def test_after_seq_lists_only_what_came_since(
    listed: None, officer: Alertctl, police: Alertctl
) -> None:
    last_seq = alert_page(police)["last_seq"]
    assert alert_page(police, "--after-seq", str(last_seq)) == {"alerts": [], "last_seq": last_seq}
    alert_id = raise_alert(officer)
    since = alert_page(police, "--after-seq", str(last_seq))
    assert [a["id"] for a in since["alerts"]] == [alert_id]
    assert since["last_seq"] > last_seq


def test_show_prints_the_traveller_the_entry_and_why(
    listed: None, officer: Alertctl, police: Alertctl
) -> None:
    alert_id = raise_alert(officer)
    shown = police("alerts", "show", str(alert_id))
    assert shown.exit_code == 0, shown.stderr
    assert "Traveller: KEO Dara" in shown.stdout
    assert f"Listed: KEO Dara ({LISTED_REF})" in shown.stdout
    assert "Why it matched:" in shown.stdout and "Instructions:" in shown.stdout


def test_an_alert_not_routed_to_the_desk_is_not_shown(
    listed: None, officer: Alertctl, server: Server, tmp_path: Path
) -> None:
    alert_id = raise_alert(officer)  # a wanted person: police and immigration, not MOSVY
    social = signed_in(server, tmp_path / "social", "social")
    for command in (("show",), ("ack",), ("resolve", "--resolution", "no_action")):
        name, *options = command
        refused = social("--json", "alerts", name, str(alert_id), *options)
        assert refused.exit_code == EXIT_REFUSED, (command, refused.stderr)
        assert "does not exist" in refused.error()["error"]


def test_only_desk_officers_handle_alerts(editor: Alertctl, alertctl: Alertctl) -> None:
    refused = editor("--json", "alerts", "list")
    assert refused.exit_code == EXIT_REFUSED
    problem = refused.error()["problem"]
    assert problem["status"] == 403 and problem["type"].endswith("/permission-denied")
    assert editor("alerts", "ack", "1").exit_code == EXIT_REFUSED
    assert alertctl("alerts", "list").exit_code == EXIT_NOT_SIGNED_IN


def test_usage_errors_exit_2(police: Alertctl) -> None:
    assert police("alerts", "resolve", "1").exit_code == 2  # --resolution is required
    assert police("alerts", "resolve", "1", "--resolution", "maybe").exit_code == 2
    assert police("alerts", "list", "--status", "escalated").exit_code == 2
    assert police("alerts", "show", "0").exit_code == 2


def test_list_follows_the_pages(
    listed: None,
    officer: Alertctl,
    police: Alertctl,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With pages of one alert, the client must walk the server's pages to the end."""
    ids = [raise_alert(officer), raise_alert(officer)]
    monkeypatch.setattr(alerts, "PAGE_SIZE", 1)

    async def walk() -> tuple[list[dict[str, Any]], int]:
        url = URL(police.server.url)
        async with aiohttp.ClientSession() as http:
            api = ApiClient(url, TokenStore(police.home / "alertctl", url), http)
            return await alerts.all_pages(api, None, 0)

    found, last_seq = asyncio.run(walk())
    seqs = [alert["seq"] for alert in found]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert {alert["id"] for alert in found} >= set(ids)
    assert last_seq == seqs[-1]
    assert found == alert_page(police)["alerts"]  # one page of 200 in the real command


def test_severity_and_statuses_are_coloured_on_a_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    alert = {
        "seq": 7,
        "id": 3,
        "severity": "high",
        "band": "possible",
        "status": "new",
        "agencies": [{"agency": "GCNP", "status": "new"}, {"agency": "GDI", "status": "resolved"}],
    }
    terminal = Output(json_mode=False, colour=True, show_progress=False)
    terminal.table([alerts.row_of(alert, "GCNP")], alerts.LIST_COLUMNS)
    heading, row = capsys.readouterr().out.splitlines()
    assert heading.startswith("SEQ") and "\x1b[" not in heading
    assert "\x1b[31mhigh" in row  # red, as `high` is everywhere in alertctl
    assert "\x1b[33mpossible" in row and "\x1b[31mnew" in row
    assert row.rstrip().endswith("GDI resolved")  # the other agency, plain
