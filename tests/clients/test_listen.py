"""`alertctl listen` against a real alertd: live alerts, resume after a gap, --ack."""

from __future__ import annotations

import json
import os
import queue
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pytest

from alertd.config import ENV_PREFIX
from tests.clients.conftest import (
    LISTED_REF,
    REPOSITORY,
    Alertctl,
    Server,
    signed_in,
)

# Starts real processes (alertd, alertctl): `pytest -m 'not smoke'` leaves them out.
pytestmark = pytest.mark.smoke

EXIT_REFUSED, EXIT_NOT_SIGNED_IN = 1, 3
LINE_TIMEOUT_SECONDS = 30


@dataclass
class Running:
    """alertctl in the background; its stderr lines arrive on a queue as they are written."""

    process: subprocess.Popen[str]
    lines: queue.Queue[str]

    def wait_for_line(self, containing: str) -> str:
        seen: list[str] = []
        deadline = time.monotonic() + LINE_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            if containing in line:
                return line
            seen.append(line)
        raise AssertionError(f"no {containing!r} on stderr; saw {seen}")

    def finish(self) -> tuple[int, str]:
        out, _ = self.process.communicate(timeout=LINE_TIMEOUT_SECONDS)
        return self.process.returncode, out


@pytest.fixture
def police(server: Server, tmp_path: Path) -> Alertctl:
    """The demo desk officer of the police (GCNP) at Poipet, where the officer screens."""
    return signed_in(server, tmp_path / "police", "police")


@pytest.fixture
def background(police: Alertctl) -> Iterator[list[Running]]:
    started: list[Running] = []
    yield started
    for running in started:
        if running.process.poll() is None:
            running.process.kill()
            running.process.wait()


def start(police: Alertctl, started: list[Running], *args: str) -> Running:
    env = {k: v for k, v in os.environ.items() if not k.startswith(ENV_PREFIX)}
    env |= {"XDG_CONFIG_HOME": str(police.home), "ALERTD_URL": police.server.url, "NO_COLOR": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "clients.alertctl", *args],
        env=env,
        cwd=REPOSITORY,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    assert process.stderr is not None
    threading.Thread(target=_pump, args=(process.stderr, lines), daemon=True).start()
    running = Running(process, lines)
    started.append(running)
    return running


def _pump(stream: IO[str], lines: queue.Queue[str]) -> None:
    for line in stream:
        lines.put(line)


def cross(officer: Alertctl) -> dict[str, Any]:
    result = officer("--json", "screen", "--checkpoint", "POI", "--name", "KEO Dara")
    assert result.exit_code == 0, result.stderr
    answer: dict[str, Any] = result.json()
    return answer


def messages(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def test_a_hit_reaches_the_desk_live_then_a_missed_one_on_resume(
    listed: None, officer: Alertctl, police: Alertctl, background: list[Running]
) -> None:
    running = start(police, background, "--json", "listen", "--count", "1")
    running.wait_for_line("Listening for alerts")
    crossing = cross(officer)

    code, out = running.finish()
    assert code == 0
    [message] = messages(out)
    assert message["type"] == "alert"
    alert = message["alert"]
    assert alert["entry"]["external_ref"] == LISTED_REF
    assert alert["crossing"]["id"] == crossing["crossing_id"]
    assert alert["status"] == "new" and alert["checkpoint"] == "POI"
    seq_file = police.token_file.with_suffix(".seq.json")
    assert json.loads(seq_file.read_text()) == {"username": "police", "last_seq": message["seq"]}
    assert stat.S_IMODE(seq_file.stat().st_mode) == 0o600

    missed = cross(officer)  # while nobody listens
    resumed = police("--json", "listen", "--count", "1")
    assert resumed.exit_code == 0, resumed.stderr
    [replayed] = messages(resumed.stdout)
    assert replayed["seq"] > message["seq"]
    assert replayed["alert"]["crossing"]["id"] == missed["crossing_id"]
    assert "caught up" in resumed.stderr or "Listening" in resumed.stderr


def test_ack_acknowledges_for_the_desks_agency_only(
    listed: None, officer: Alertctl, police: Alertctl, server: Server
) -> None:
    alert_id = cross(officer)["matches"][0]["alert_id"]
    before = _alert(server, police, alert_id)
    result = police("listen", "--ack", "--count", "1", "--from-seq", str(before["seq"] - 1))
    assert result.exit_code == 0, result.stderr
    assert f"#{before['seq']}" in result.stdout and "HIGH" in result.stdout
    assert f"alert {alert_id}: acknowledged" in result.stderr

    after = _alert(server, police, alert_id)
    assert after["status"] == "acknowledged"
    statuses = {route["agency"]: route["status"] for route in after["agencies"]}
    assert statuses == {"GCNP": "acknowledged", "GDI": "new"}  # immigration still must act


def _alert(server: Server, desk: Alertctl, alert_id: int) -> dict[str, Any]:
    status, page = server.get("/api/v1/alerts?limit=200", desk.stored()["access_token"])
    assert status == 200, page
    found: list[dict[str, Any]] = [a for a in page["alerts"] if a["id"] == alert_id]
    assert len(found) == 1
    return found[0]


def test_the_token_is_renewed_on_the_open_channel(
    listed: None, officer: Alertctl, police: Alertctl, background: list[Running]
) -> None:
    # As if the token were about to lapse: the listener renews it after about 8 s instead
    # of 24 s (30 s tokens, renewed 6 s early), and the server confirms the new one.
    # (Sooner would race the start of alertctl on a loaded machine: a token already due
    # at connection time is refreshed before the socket opens, not on it.)
    police.store(police.stored() | {"access_expires_at": time.time() + 14})
    before = police.stored()["refresh_token"]
    running = start(police, background, "--json", "listen", "--count", "1")
    running.wait_for_line("Listening for alerts")
    running.wait_for_line("token renewed on the channel")
    assert police.stored()["refresh_token"] != before
    cross(officer)

    code, out = running.finish()
    assert code == 0
    assert messages(out)[0]["alert"]["entry"]["external_ref"] == LISTED_REF


def test_only_desk_officers_may_listen(editor: Alertctl, alertctl: Alertctl) -> None:
    refused = editor("listen", "--count", "1")
    assert refused.exit_code == EXIT_REFUSED
    assert "refused the alert channel" in refused.stderr
    assert alertctl("listen").exit_code == EXIT_NOT_SIGNED_IN
