"""Fixtures shared by every tier: a real database per test, the real app, users."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyotp
import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from alertd import identity
from alertd.app import create_app
from alertd.audit import Actor
from alertd.clock import FrozenClock
from alertd.config import ENV_PREFIX, Settings, load_settings
from alertd.db import create_engine
from alertd.passwords import Passwords
from alertd.roles import Role
from tests.databases import (
    TEST_DATABASE_ENV,
    TestDatabase,
    configured_backend,
    create_test_database,
    drop_postgres_database,
)

PASSWORD = "correct horse battery"
CLI_TIMEOUT_SECONDS = 60
SETUP = Actor(username="test-setup")

Client = TestClient[Any, Any]


@pytest.fixture(scope="session")
def test_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestDatabase]:
    database, pg_name = create_test_database(tmp_path_factory.mktemp("db"))
    yield database
    if pg_name:
        drop_postgres_database(os.environ[TEST_DATABASE_ENV], pg_name)


@pytest.fixture
def backend() -> str:
    return configured_backend()


@pytest.fixture
def db_url(test_database: TestDatabase, tmp_path: Path) -> str:
    return test_database.fresh_url(tmp_path)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def settings_overrides() -> dict[str, str]:
    """Settings a test changes, as environment strings by field name.

    Override it with ``@pytest.mark.parametrize("settings_overrides", [{...}])``; the
    values go through the same validation as ``ALERTD_*`` variables.
    """
    return {}


@pytest.fixture
def settings(db_url: str, tmp_path: Path, settings_overrides: dict[str, str]) -> Settings:
    return load_settings(
        {
            "ALERTD_DATABASE_URL": db_url,
            "ALERTD_DATA_DIR": str(tmp_path / "data"),
            "ALERTD_LOG_LEVEL": "WARNING",
        }
        | {ENV_PREFIX + name.upper(): value for name, value in settings_overrides.items()}
    )


@pytest.fixture
async def engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(settings.database_url_value)
    yield engine
    await engine.dispose()


@dataclass(frozen=True)
class TestUser:
    __test__ = False  # a fixture value, not a test class

    username: str
    password: str
    totp_secret: str | None
    agency: str

    def totp(self, clock: FrozenClock, offset_steps: int = 0) -> str:
        assert self.totp_secret, f"{self.username} has no TOTP"
        return pyotp.TOTP(self.totp_secret).at(clock.now(), counter_offset=offset_steps)


MakeUser = Callable[..., Awaitable[TestUser]]


@pytest.fixture(scope="session")
def password_hashes() -> dict[tuple[int, int, int], str]:
    """PASSWORD hashed once per argon2 parameter set: a hash costs ~40 ms."""
    return {}


def password_hash_for(settings: Settings, cache: dict[tuple[int, int, int], str]) -> str:
    params = (
        settings.argon2_time_cost,
        settings.argon2_memory_cost_kib,
        settings.argon2_parallelism,
    )
    if params not in cache:
        cache[params] = Passwords(settings).hash(PASSWORD)
    return cache[params]


@pytest.fixture
async def world(engine: AsyncEngine, clock: FrozenClock) -> None:
    """Agencies, checkpoints and desks that most tests need."""
    now = clock.now()
    async with engine.begin() as conn:
        for code in ("GDI", "GCNP", "GDCE", "MOSVY", "NCCT", "IOM"):
            await identity.add_agency(conn, SETUP, now, code, f"{code} agency")
        for code in ("POI", "BAV", "PNH"):
            await identity.add_checkpoint(conn, SETUP, now, code, f"{code} checkpoint")
        for agency in ("GDI", "GCNP", "GDCE", "MOSVY", "NCCT", "IOM"):
            await identity.add_desk(
                conn, SETUP, now, agency=agency, name=f"{agency} HQ", is_headquarters=True
            )
        await identity.add_desk(conn, SETUP, now, agency="GDI", name="GDI Poipet", checkpoint="POI")
        await identity.add_desk(
            conn,
            SETUP,
            now,
            agency="GCNP",
            name="GCNP Poipet",
            checkpoint="POI",
            handles="suspects",
        )


@pytest.fixture
def make_user(
    world: None,
    engine: AsyncEngine,
    settings: Settings,
    clock: FrozenClock,
    password_hashes: dict[tuple[int, int, int], str],
) -> MakeUser:
    hashed = password_hash_for(settings, password_hashes)

    async def make(
        username: str,
        *roles: Role,
        agency: str = "GDI",
        desk: int | None = None,
        checkpoints: tuple[str, ...] = (),
    ) -> TestUser:
        new = identity.NewUser(username, agency, roles, hashed, desk, checkpoints)
        needs_totp = not set(settings.totp_required_roles).isdisjoint(roles)
        async with engine.begin() as conn:
            made = await identity.add_user(conn, SETUP, clock.now(), new, with_totp=needs_totp)
        return TestUser(username, PASSWORD, made.totp_secret, agency)

    return make


@pytest.fixture
async def client(
    aiohttp_client: Callable[..., Awaitable[Client]], settings: Settings, clock: FrozenClock
) -> Client:
    return await aiohttp_client(create_app(settings, clock))


async def login(client: Client, user: TestUser, clock: FrozenClock | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"username": user.username, "password": user.password}
    if user.totp_secret and clock is not None:
        body["totp"] = user.totp(clock)
    response = await client.post("/api/v1/auth/login", json=body)
    assert response.status == 200, await response.text()
    tokens: dict[str, Any] = await response.json()
    return tokens


def bearer(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


ALERTD_EXECUTABLE = Path(sys.executable).with_name("alertd")


@dataclass(frozen=True)
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


def cli_environment(settings: Settings) -> dict[str, str]:
    """The environment for a real ``alertd`` process on the test's database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(ENV_PREFIX)}
    return env | {
        "ALERTD_DATABASE_URL": settings.database_url_value,
        "ALERTD_DATA_DIR": str(settings.data_dir),
        "ALERTD_HOST": settings.host,
        "ALERTD_PORT": str(settings.port),
        "ALERTD_LOG_LEVEL": "WARNING",
    }


async def run_alertd(
    settings: Settings, *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> CliResult:
    """Run the real ``alertd`` console script as a subprocess and wait for it."""
    process = await asyncio.create_subprocess_exec(
        str(ALERTD_EXECUTABLE),
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=cli_environment(settings) | (env or {}),
    )
    out, err = await asyncio.wait_for(process.communicate(stdin.encode()), CLI_TIMEOUT_SECONDS)
    assert process.returncode is not None
    return CliResult(process.returncode, out.decode(), err.decode())
