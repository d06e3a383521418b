"""Signing in, the token file, refreshing and signing out, against a real alertd."""

from __future__ import annotations

import concurrent.futures
import stat
import time
from pathlib import Path

import pytest

from alertd.tokens import LEEWAY_SECONDS
from tests.clients.conftest import (
    ACCESS_TOKEN_TTL_SECONDS,
    Alertctl,
    Server,
    free_port,
    signed_in,
)

# Starts real processes (alertd, alertctl): `pytest -m 'not smoke'` leaves them out.
pytestmark = pytest.mark.smoke

EXIT_REFUSED, EXIT_USAGE, EXIT_NOT_SIGNED_IN, EXIT_UNAVAILABLE = 1, 2, 3, 4


def test_login_keeps_tokens_private_and_whoami_answers(alertctl: Alertctl) -> None:
    result = alertctl.login("editor")
    assert result.exit_code == 0, result.stderr
    assert "Signed in" in result.stdout and "editor" in result.stdout

    token_file = alertctl.token_file
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(token_file.parent.stat().st_mode) == 0o700
    host, port = alertctl.server.url.removeprefix("http://").split(":")
    assert [p.name for p in token_file.parent.glob("*.json")] == [f"{host}-{port}.json"]
    stored = alertctl.stored()
    assert stored["access_token"] not in result.stdout + result.stderr

    me = alertctl("--json", "whoami")
    assert me.exit_code == 0, me.stderr
    assert me.json()["username"] == "editor"
    assert me.json()["agency"] == "NCCT"
    assert me.json()["roles"] == ["watchlist_editor"]
    shown = alertctl("whoami")
    assert shown.exit_code == 0
    assert "username:" in shown.stdout and "NCCT" in shown.stdout


def test_wrong_password_is_not_signed_in(alertctl: Alertctl) -> None:
    result = alertctl("login", "-u", "editor", "--password-stdin", stdin="wrong password\n")
    assert result.exit_code == EXIT_NOT_SIGNED_IN
    assert result.stderr.startswith("error:")
    assert not (alertctl.home / "alertctl").exists() or not list(
        (alertctl.home / "alertctl").glob("*.json")
    )


def test_an_approver_needs_a_one_time_code(alertctl: Alertctl) -> None:
    result = alertctl.login("approver")
    assert result.exit_code == EXIT_NOT_SIGNED_IN
    assert "--totp" in result.stderr


def test_commands_need_a_session(alertctl: Alertctl) -> None:
    result = alertctl("whoami")
    assert result.exit_code == EXIT_NOT_SIGNED_IN
    assert "alertctl login" in result.stderr


def test_usage_errors_exit_2(alertctl: Alertctl) -> None:
    assert alertctl("watchlist", "show", "not-a-number").exit_code == EXIT_USAGE
    assert alertctl("--url", "ftp://example.org", "whoami").exit_code == EXIT_USAGE
    assert alertctl("no-such-command").exit_code == EXIT_USAGE


def test_an_unreachable_server_exits_4(alertctl: Alertctl) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    result = alertctl("--url", closed, "login", "-u", "editor", "--password-stdin", stdin="x\n")
    assert result.exit_code == EXIT_UNAVAILABLE
    assert "cannot reach" in result.stderr


def test_near_expiry_the_pair_is_rotated_and_the_old_refresh_token_dies(
    server: Server, tmp_path: Path
) -> None:
    client = signed_in(server, tmp_path, "police")
    before = client.stored()
    client.store(before | {"access_expires_at": time.time() + 1})  # within the margin

    result = client("--json", "whoami")
    assert result.exit_code == 0, result.stderr
    after = client.stored()
    assert after["refresh_token"] != before["refresh_token"]
    assert after["access_token"] != before["access_token"]
    assert after["access_expires_at"] > time.time() + ACCESS_TOKEN_TTL_SECONDS / 2
    assert stat.S_IMODE(client.token_file.stat().st_mode) == 0o600
    status, _ = server.post("/api/v1/auth/refresh", {"refresh_token": before["refresh_token"]})
    assert status == 401


def test_a_refused_access_token_is_refreshed_and_the_request_retried(
    server: Server, tmp_path: Path
) -> None:
    client = signed_in(server, tmp_path, "police")
    before = client.stored()
    client.store(before | {"access_token": before["access_token"][:-4] + "AAAA"})

    result = client("--json", "whoami")
    assert result.exit_code == 0, result.stderr
    assert result.json()["username"] == "police"
    assert client.stored()["refresh_token"] != before["refresh_token"]


def test_a_spent_refresh_token_ends_the_session(server: Server, tmp_path: Path) -> None:
    client = signed_in(server, tmp_path, "social")
    spent = client.stored()
    assert client("refresh").exit_code == 0
    # As if an old copy of the file came back: its refresh token was used already, and
    # reusing it makes the server revoke the whole session.
    client.store(spent | {"access_expires_at": 0})

    result = client("whoami")
    assert result.exit_code == EXIT_NOT_SIGNED_IN
    assert "alertctl login" in result.stderr
    assert not list((client.home / "alertctl").glob("*.json"))  # forgotten: it is dead


def test_concurrent_refreshes_share_one_rotation(server: Server, tmp_path: Path) -> None:
    client = signed_in(server, tmp_path, "officer")
    with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda _: client("refresh"), range(3)))
    assert [r.exit_code for r in results] == [0, 0, 0], [r.stderr for r in results]
    # Without the lock two of them would refresh with the same token, and the server
    # would revoke the session; with it, the session still works.
    me = client("--json", "whoami")
    assert me.exit_code == 0, me.stderr


def test_logout_ends_the_session_everywhere(server: Server, tmp_path: Path) -> None:
    client = signed_in(server, tmp_path, "editor")
    tokens = client.stored()
    result = client("logout")
    assert result.exit_code == 0
    assert not list((client.home / "alertctl").glob("*.json"))
    status, _ = server.get("/api/v1/me", tokens["access_token"])
    assert status == 401
    assert client("whoami").exit_code == EXIT_NOT_SIGNED_IN
    assert client("logout").exit_code == 0  # already signed out: nothing to do


def test_an_access_token_the_server_expired_is_renewed(server: Server, early: Alertctl) -> None:
    """The server's own expiry, not a simulated one: waits for a 30 s token to lapse.

    `early` signed in when the first test of the package started, so the wait is what
    remains of its 30 s after the other tests.
    """
    stored = early.stored()
    # The server accepts a token LEEWAY_SECONDS past its expiry (clock skew between nodes).
    time.sleep(max(0.0, stored["access_expires_at"] + LEEWAY_SECONDS + 1 - time.time()))
    status, problem = server.get("/api/v1/me", stored["access_token"])
    assert status == 401 and "expired" in problem["detail"]
    # Make the client believe its token is still good, so only the server's 401 tells it.
    early.store(stored | {"access_expires_at": time.time() + 3600})

    result = early("--json", "whoami")
    assert result.exit_code == 0, result.stderr
    assert early.stored()["refresh_token"] != stored["refresh_token"]
