"""The server-side CLI: identity commands, their validation, and their exit codes.

These run the real click commands in-process (CliRunner, in a thread so that the
command's own event loop does not meet the test's); the subprocess smoke tests for
`serve`, `audit verify` and `user disable` live with the features they check.
"""

from __future__ import annotations

import asyncio

import pyotp
from click.testing import CliRunner, Result
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from alertd.cli import main
from alertd.clock import FrozenClock
from alertd.config import Settings
from alertd.tables import audit_events
from tests.conftest import Client, TestUser, login, run_alertd

SPACED_PASSWORD = "  a passphrase with spaces  "


async def invoke(settings: Settings, *args: str, stdin: str | None = None) -> Result:
    env = {
        "ALERTD_DATABASE_URL": settings.database_url_value,
        "ALERTD_DATA_DIR": str(settings.data_dir),
        "ALERTD_CONFIG": "",
    }
    runner = CliRunner()
    return await asyncio.to_thread(runner.invoke, main, list(args), input=stdin, env=env)


async def test_identity_commands_build_a_working_account(
    settings: Settings, client: Client, clock: FrozenClock, engine: AsyncEngine
) -> None:
    steps = [
        ("agency", "add", "GDI", "General Department of Immigration"),
        ("checkpoint", "add", "POI", "Poipet"),
        ("desk", "add", "--agency", "GDI", "--name", "GDI Poipet", "--checkpoint", "POI"),
    ]
    for step in steps:
        result = await invoke(settings, *step)
        assert result.exit_code == 0, result.output
    assert "desk 1 added" in result.output

    result = await invoke(
        settings,
        *("user", "add", "--username", "boss", "--agency", "GDI"),
        *("--role", "admin", "--role", "desk_officer", "--desk", "1", "--password-stdin"),
        stdin=SPACED_PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    uri = result.stdout.strip()
    assert uri.startswith("otpauth://totp/"), "the provisioning URI goes to standard output"
    assert "added" in result.stderr

    boss = TestUser("boss", SPACED_PASSWORD, pyotp.parse_uri(uri).secret, "GDI")
    tokens = await login(client, boss, clock)
    assert tokens["user"] == {
        "username": "boss",
        "agency": "GDI",
        "desk": 1,
        "roles": ["admin", "desk_officer"],
    }

    async with engine.connect() as conn:
        query = select(audit_events.c.action).order_by(audit_events.c.seq)
        actions = (await conn.execute(query)).scalars().all()
        actors = set((await conn.execute(select(audit_events.c.actor))).scalars())
    assert actions[:4] == ["agency.create", "checkpoint.create", "desk.create", "user.create"]
    assert any(actor and actor.startswith("cli:") for actor in actors)


async def test_a_user_without_a_second_factor_role_prints_no_uri(
    settings: Settings, make_user: object
) -> None:
    result = await invoke(
        settings,
        *("user", "add", "--username", "officer7", "--agency", "GDI"),
        *("--role", "checkpoint_officer", "--password-stdin"),
        stdin="long enough password\n",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


async def test_bad_input_is_a_usage_error_naming_the_problem(
    settings: Settings, make_user: object
) -> None:
    base = ("user", "add", "--username", "x1", "--agency", "GDI", "--password-stdin")
    cases = [
        ((*base, "--role", "pope"), "long enough password\n", "pope"),
        ((*base, "--role", "auditor"), "short\n", "password must be at least 12"),
        (("agency", "add", "gdi", "lower case"), None, "code"),
        (("desk", "add", "--agency", "GDI", "--name", "x", "--handles", "some"), None, "some"),
    ]
    for args, stdin, needle in cases:
        result = await invoke(settings, *args, stdin=stdin)
        assert result.exit_code == 2, (args, result.output)
        assert needle in result.output, (args, result.output)


async def test_conflicts_and_missing_things_exit_1_with_a_message(
    settings: Settings, make_user: object
) -> None:
    cases = [
        (("agency", "add", "GDI", "again"), "agency GDI already exists"),
        (("desk", "add", "--agency", "NOPE", "--name", "x"), "agency 'NOPE' does not exist"),
        (("user", "disable", "nobody"), "user 'nobody' does not exist"),
    ]
    for args, needle in cases:
        result = await invoke(settings, *args)
        assert result.exit_code == 1, (args, result.output)
        assert needle in result.output
        assert "Traceback" not in result.output


async def test_a_configuration_error_names_the_key(settings: Settings) -> None:
    result = await run_alertd(settings, "db", "current", env={"ALERTD_PORT": "abc"})
    assert result.exit_code == 1
    assert "setting 'port'" in result.stderr
    assert "ALERTD_PORT" in result.stderr
    assert "Traceback" not in result.stderr
