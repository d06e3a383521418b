"""A real alertd process for the alertctl tests, and a runner for the real alertctl.

One server serves every test in this package: migrated and seeded by `alertd demo
--no-serve` on a database of the test run (SQLite file or PostgreSQL), then
`alertd serve` on a free port with 30-second access tokens (the shortest the settings
allow), so refreshing is exercised for real. alertctl runs as `python -m clients.alertctl`
with its own XDG_CONFIG_HOME per test user.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyotp
import pytest

from alertd.config import ENV_PREFIX
from alertd.demo import DEMO_PASSWORD
from tests.databases import TestDatabase

REPOSITORY = Path(__file__).resolve().parents[2]
ALERTD = Path(sys.executable).with_name("alertd")
ACCESS_TOKEN_TTL_SECONDS = 30  # the minimum Settings allows
STARTUP_TIMEOUT_SECONDS = 90  # a loaded 2-core machine can take a while
COMMAND_TIMEOUT_SECONDS = 60
# "  approver   NCCT    watchlist_approver   BASE32SECRET (now 123456)"
LISTED_REF = "T-SCREEN-1"
LISTED_REASON = "court warrant 2026/117 (owner only)"
DEMO_TOTP_LINE = re.compile(r"^\s+(\w+)\s+\S+\s+\S+\s+([A-Z2-7]{16,})\s+\(now \d+\)$", re.M)


@dataclass(frozen=True)
class Server:
    url: str
    totp_secrets: dict[str, str]
    early_home: Path  # the config directory of a session started with the server

    def get(self, path: str, token: str) -> tuple[int, dict[str, Any]]:
        """A direct request, to check what the server thinks of a token."""
        request = urllib.request.Request(  # noqa: S310 (our own http:// test server)
            self.url + path, headers={"Authorization": f"Bearer {token}"}
        )
        return _send(request)

    def post(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        request = urllib.request.Request(  # noqa: S310 (our own http:// test server)
            self.url + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        return _send(request)


def _send(request: urllib.request.Request) -> tuple[int, dict[str, Any]]:
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def server_environment(db_url: str, data_dir: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(ENV_PREFIX)}
    return env | {
        "ALERTD_DATABASE_URL": db_url,
        "ALERTD_DATA_DIR": str(data_dir),
        "ALERTD_HOST": "127.0.0.1",
        "ALERTD_PORT": str(port),
        "ALERTD_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "ALERTD_LOG_LEVEL": "WARNING",
        "ALERTD_ACCESS_TOKEN_TTL_SECONDS": str(ACCESS_TOKEN_TTL_SECONDS),
    }


def wait_until_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"alertd serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1):  # noqa: S310
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("alertd serve did not become healthy in time")


@pytest.fixture(scope="package")
def server(
    test_database: TestDatabase, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    workdir = tmp_path_factory.mktemp("alertd-server")
    port = free_port()
    env = server_environment(test_database.fresh_url(workdir), workdir / "data", port)
    seeded = subprocess.run(
        [str(ALERTD), "demo", "--no-serve"],
        env=env,
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_SECONDS,
        check=True,
    )
    secrets = dict(DEMO_TOTP_LINE.findall(seeded.stdout))
    assert "approver" in secrets, seeded.stdout
    log = (workdir / "serve.log").open("wb")
    process = subprocess.Popen(
        [str(ALERTD), "serve"], env=env, cwd=REPOSITORY, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process)
        started = Server(url, secrets, workdir / "early")
        signed_in(started, started.early_home, "social")
        yield started
    finally:
        process.terminate()
        process.wait(timeout=15)
        log.close()


@dataclass(frozen=True)
class Result:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)

    def error(self) -> Any:
        """The --json error document on stderr."""
        return json.loads(self.stderr)


@dataclass(frozen=True)
class Alertctl:
    """The real alertctl, signed in (or not) with its own config directory."""

    server: Server
    home: Path
    env: dict[str, str] = field(default_factory=dict)

    def __call__(self, *args: str, stdin: str = "", url: str | None = None) -> Result:
        env = {k: v for k, v in os.environ.items() if not k.startswith(ENV_PREFIX)}
        env |= {
            "XDG_CONFIG_HOME": str(self.home),
            "ALERTD_URL": url or self.server.url,
            "NO_COLOR": "1",
        } | self.env
        done = subprocess.run(
            [sys.executable, "-m", "clients.alertctl", *args],
            input=stdin,
            env=env,
            cwd=REPOSITORY,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT_SECONDS,
            check=False,
        )
        return Result(done.returncode, done.stdout, done.stderr)

    def login(self, username: str, *extra: str) -> Result:
        return self(
            "login", "--username", username, "--password-stdin", *extra, stdin=DEMO_PASSWORD + "\n"
        )

    def login_with_totp(self, username: str) -> Result:
        code = pyotp.TOTP(self.server.totp_secrets[username]).now()
        return self.login(username, "--totp", code)

    @property
    def token_file(self) -> Path:
        host_port = self.server.url.removeprefix("http://").replace(":", "-")
        return self.home / "alertctl" / f"{host_port}.json"

    def stored(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.token_file.read_text())
        return data

    def store(self, data: dict[str, Any]) -> None:
        self.token_file.write_text(json.dumps(data))


@pytest.fixture
def alertctl(server: Server, tmp_path: Path) -> Alertctl:
    """Not signed in yet."""
    return Alertctl(server, tmp_path / "config")


def signed_in(server: Server, home: Path, username: str) -> Alertctl:
    client = Alertctl(server, home)
    result = client.login(username)
    assert result.exit_code == 0, result.stderr
    return client


@pytest.fixture(scope="package")
def editor(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Alertctl:
    return signed_in(server, tmp_path_factory.mktemp("editor"), "editor")


@pytest.fixture(scope="package")
def approver(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Alertctl:
    """Signed in once: a one-time code can be used only once."""
    client = Alertctl(server, tmp_path_factory.mktemp("approver"))
    result = client.login_with_totp("approver")
    assert result.exit_code == 0, result.stderr
    return client


@pytest.fixture
def early(server: Server) -> Alertctl:
    """Signed in as `social` when the server started, for the test that waits for expiry."""
    return Alertctl(server, server.early_home)


@pytest.fixture(scope="package")
def listed(editor: Alertctl, approver: Alertctl, tmp_path_factory: pytest.TempPathFactory) -> None:
    """KEO Dara, wanted, published and released to immigration (GDI) and police.

    (Not a demo watchlist person: the demo seed publishes its own entries too.)
    """
    entry = {
        "external_ref": LISTED_REF,
        "category": "wanted_person",
        "names": [{"full": "KEO Dara", "family": "KEO", "given": "Dara"}],
        "dates_of_birth": ["1979-11-20"],
        "nationalities": ["KHM"],
        "sex": "M",
        "documents": [{"type": "passport", "number": "N07654321", "country": "KHM"}],
        "reason": LISTED_REASON,
        "release_to": ["GDI", "GCNP"],
        "expires_at": (datetime.now(UTC) + timedelta(days=30)).date().isoformat(),
    }
    path = tmp_path_factory.mktemp("screen") / "entry.jsonl"
    path.write_text(json.dumps(entry) + "\n")
    imported = editor("--json", "watchlist", "import", str(path))
    assert imported.exit_code == 0, imported.stderr
    approved = approver("watchlist", "approve-import", str(imported.json()["id"]))
    assert approved.exit_code == 0, approved.stderr


@pytest.fixture(scope="package")
def officer(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Alertctl:
    """The demo checkpoint officer: GDI, posted at Poipet (POI)."""
    return signed_in(server, tmp_path_factory.mktemp("officer"), "officer")
