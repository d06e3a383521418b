"""The server-side command line: ``alertd serve | db | agency | checkpoint | desk | user |
audit | demo``. Settings are built here, once, and passed down."""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import json
import multiprocessing
import multiprocessing.connection
import multiprocessing.process
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click
import uvloop
from aiohttp import web
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection

from alertd import audit, dealing, identity
from alertd.api.admin import AgencyBody, CheckpointBody, DeskBody, UserBody
from alertd.api.bodies import parse_json
from alertd.app import SchemaNotCurrent, create_app
from alertd.audit import Actor
from alertd.clock import SystemClock
from alertd.config import ConfigError, Settings, load_settings
from alertd.db import alembic_config, create_engine, create_read_engine, schema_state
from alertd.errors import AlertdError
from alertd.heap import freeze_after_start_up
from alertd.logs import configure_logging
from alertd.passwords import Passwords, password_problem
from alertd.roles import Role

T = TypeVar("T")


def _settings(ctx: click.Context) -> Settings:
    settings = ctx.obj
    assert isinstance(settings, Settings)
    return settings


def _cli_actor() -> Actor:
    return Actor(username=f"cli:{getpass.getuser()}")


def _run(coro: Coroutine[Any, Any, T]) -> T:
    try:
        return asyncio.run(coro)
    except AlertdError as exc:
        raise click.ClickException(exc.detail) from None


async def _in_transaction(
    settings: Settings, work: Callable[[AsyncConnection], Awaitable[T]], *, read_only: bool = False
) -> T:
    """Run ``work`` in one transaction on a migrated database.

    ``read_only`` work runs on the read engine: on SQLite a deferred transaction (a WAL
    snapshot), so a long read such as ``audit verify`` never holds the write lock that a
    running server needs for every sign-in and screening.
    """
    engine = create_engine(settings.database_url_value)
    reader = create_read_engine(settings.database_url_value, engine) if read_only else engine
    try:
        state = await schema_state(engine)
        if not state.up_to_date:
            raise click.ClickException("the database is not migrated: run `alertd db upgrade`")
        async with reader.begin() as conn:
            return await work(conn)
    finally:
        if reader is not engine:
            await reader.dispose()
        await engine.dispose()


def _validated(model: Any, **fields: Any) -> Any:
    try:
        return parse_json(model, json.dumps(fields))
    except AlertdError as exc:
        raise click.UsageError(exc.detail) from None


@click.group()
@click.option(
    "--config",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="TOML settings file (default: $ALERTD_CONFIG).",
)
@click.pass_context
def main(ctx: click.Context, config: Path | None) -> None:
    """alertd: inter-agency alert and watchlist service."""
    try:
        ctx.obj = load_settings(config_file=config)
    except ConfigError as exc:
        raise click.ClickException(f"configuration: {exc}") from None


@main.command()
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Server processes sharing the port (default: the 'workers' setting). "
    "More than one needs PostgreSQL.",
)
@click.pass_context
def serve(ctx: click.Context, workers: int | None) -> None:
    """Serve the HTTP and WebSocket API until SIGTERM or Ctrl-C."""
    settings = _settings(ctx)
    configure_logging(settings.log_level)
    count = workers or settings.workers
    if count == 1:
        _serve_one(settings)
        return
    problem = workers_problem(settings)
    if problem:
        raise click.ClickException(problem)
    sys.exit(_serve_workers(settings, count))


def _serve_one(settings: Settings, channel: socket.socket | None = None) -> None:
    """Serve on the configured port, or (a worker) the connections dealt on ``channel``."""
    app = create_app(settings)
    app.on_startup.append(_freeze_startup_heap)  # after the app's own start-up: the index
    # uvloop: the same asyncio API on libuv; measured about 10% less server CPU per
    # crossing (bench/screening.py), and asyncpg is built to run on it.
    loop = uvloop.new_event_loop()
    try:
        if channel is not None:
            dealing.run_handed_over(app, channel, loop, settings.shutdown_timeout_seconds)
            return
        web.run_app(
            app,
            loop=loop,
            host=settings.host,
            port=settings.port,
            shutdown_timeout=settings.shutdown_timeout_seconds,
            access_log=None,
            print=lambda text: click.echo(text, err=True),
        )
    except SchemaNotCurrent as exc:
        raise click.ClickException(str(exc)) from None


async def _freeze_startup_heap(_app: web.Application) -> None:
    """Move everything alive after start-up (above all the matching index: millions of
    small objects at 100,000 entries) out of the garbage collector's sight.

    They live as long as the process, yet every full collection walked them all: pauses
    of half a second and more in the middle of answering officers and pushing alerts.
    """
    freeze_after_start_up()


def workers_problem(settings: Settings) -> str | None:
    """Why these settings cannot run several workers, or None if they can.

    Each worker is a full node with its own matching index and WebSocket connections;
    nodes learn of each other's alerts and watchlist changes only through the
    PostgreSQL broker. With SQLite (or the in-process broker) a worker would not match
    entries published through another, nor push the alerts another raises.
    """
    url = make_url(settings.database_url_value)
    if url.get_backend_name() != "postgresql":
        return "several workers need PostgreSQL: SQLite has no broker between processes"
    if settings.broker == "inprocess":
        return "several workers need the PostgreSQL broker (broker = 'auto' or 'postgresql')"
    return None


def _serve_workers(settings: Settings, count: int) -> int:
    """Run ``count`` workers behind one port: this process accepts the connections and
    deals them to the workers in turn (``alertd.dealing``).

    Each worker is a node of its own, exactly as several machines sharing the database
    would be. SIGTERM or Ctrl-C stops them all gracefully; if one exits by itself, the
    others are stopped too and the exit code says so (a supervisor restarts the set).
    """
    listener = dealing.listen(settings.host, settings.port)
    ends = dealing.channels(count)
    spawn = multiprocessing.get_context("spawn")  # nothing inherited but the settings
    processes = [
        spawn.Process(
            target=_worker_main, args=(settings, os.getpid(), theirs), name=f"alertd-worker-{n}"
        )
        for n, (_, theirs) in enumerate(ends)
    ]
    stopping = False

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        _stop_dealing(listener)
        _terminate(processes)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for process, (_, theirs) in zip(processes, ends, strict=True):
        process.start()
        theirs.close()  # the worker has its own copy
    threading.Thread(
        target=dealing.deal, args=(listener, [ours for ours, _ in ends]), daemon=True
    ).start()
    click.echo(f"alertd: {count} workers on http://{settings.host}:{settings.port}", err=True)
    if stopping:  # told to stop while they were starting
        _terminate(processes)
    multiprocessing.connection.wait([p.sentinel for p in processes])
    if not stopping:
        click.echo("alertd: a worker exited; stopping the others", err=True)
        _stop_dealing(listener)
        _terminate(processes)
    for process in processes:
        process.join()
    listener.close()
    return 0 if stopping else 1


def _stop_dealing(listener: socket.socket) -> None:
    """No more connections: the dealing thread's accept returns with an error."""
    with contextlib.suppress(OSError):  # shut down already (a second signal)
        listener.shutdown(socket.SHUT_RDWR)


def _terminate(processes: Sequence[multiprocessing.process.BaseProcess]) -> None:
    for process in processes:
        if process.is_alive():
            process.terminate()  # SIGTERM: the worker shuts down gracefully


def _worker_main(settings: Settings, parent: int, channel: socket.socket) -> None:
    configure_logging(settings.log_level)
    # The parent forwards SIGTERM; a terminal's Ctrl-C reaches the whole group.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_stop_with_parent, args=(parent,), daemon=True).start()
    _serve_one(settings, channel)


# How often a worker checks that its parent is still alive.
PARENT_CHECK_SECONDS = 1.0


def _stop_with_parent(parent: int) -> None:
    """Stop this worker gracefully if its parent dies without stopping it (SIGKILL, a
    crash): an orphaned worker would keep the port and its database connections."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os.kill(os.getpid(), signal.SIGTERM)


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@click.pass_context
def db_upgrade(ctx: click.Context, revision: str) -> None:
    """Migrate the database to the schema this code needs."""
    from alembic import command

    command.upgrade(alembic_config(_settings(ctx).database_url_value), revision)
    click.echo(f"database migrated to {revision}")


@db.command("current")
@click.pass_context
def db_current(ctx: click.Context) -> None:
    """Show the schema revision of the database and the one this code needs."""

    async def show() -> None:
        engine = create_engine(_settings(ctx).database_url_value)
        try:
            state = await schema_state(engine)
        finally:
            await engine.dispose()
        click.echo(f"database: {state.current or 'empty'}; code needs: {state.head}")

    _run(show())


@main.group()
def agency() -> None:
    """Agencies."""


@agency.command("add")
@click.argument("code")
@click.argument("name")
@click.pass_context
def agency_add(ctx: click.Context, code: str, name: str) -> None:
    """Add an agency, e.g. `alertd agency add GDI "General Department of Immigration"`."""
    body = _validated(AgencyBody, code=code, name=name)
    now = SystemClock().now()
    made = _run(
        _in_transaction(
            _settings(ctx),
            lambda c: identity.add_agency(c, _cli_actor(), now, body.code, body.name),
        )
    )
    click.echo(f"agency {made.code} added (id {made.id})")


@main.group()
def checkpoint() -> None:
    """Checkpoints."""


@checkpoint.command("add")
@click.argument("code")
@click.argument("name")
@click.pass_context
def checkpoint_add(ctx: click.Context, code: str, name: str) -> None:
    """Add a checkpoint, e.g. `alertd checkpoint add POI "Poipet"`."""
    body = _validated(CheckpointBody, code=code, name=name)
    now = SystemClock().now()
    made = _run(
        _in_transaction(
            _settings(ctx),
            lambda c: identity.add_checkpoint(c, _cli_actor(), now, body.code, body.name),
        )
    )
    click.echo(f"checkpoint {made.code} added (id {made.id})")


@main.group()
def desk() -> None:
    """Desks."""


@desk.command("add")
@click.option("--agency", "agency_code", required=True)
@click.option("--name", required=True)
@click.option("--checkpoint", "checkpoint_code", default=None)
@click.option("--headquarters", is_flag=True, help="The agency's headquarters desk.")
@click.option(
    "--handles", type=click.Choice(["all", "suspects", "victims"]), default="all", show_default=True
)
@click.pass_context
def desk_add(
    ctx: click.Context,
    agency_code: str,
    name: str,
    checkpoint_code: str | None,
    headquarters: bool,
    handles: str,
) -> None:
    """Add a desk of an agency, optionally at a checkpoint."""
    body = _validated(
        DeskBody,
        agency=agency_code,
        name=name,
        checkpoint=checkpoint_code,
        is_headquarters=headquarters,
        handles=handles,
    )
    now = SystemClock().now()
    made = _run(
        _in_transaction(
            _settings(ctx),
            lambda c: identity.add_desk(
                c,
                _cli_actor(),
                now,
                agency=body.agency,
                name=body.name,
                checkpoint=body.checkpoint,
                is_headquarters=body.is_headquarters,
                handles=body.handles,
            ),
        )
    )
    click.echo(f"desk {made.id} added: {made.name} ({made.agency})")


@main.group()
def user() -> None:
    """User accounts."""


@user.command("add")
@click.option("--username", required=True)
@click.option("--agency", "agency_code", required=True)
@click.option(
    "--role", "roles", multiple=True, required=True, type=click.Choice([r.value for r in Role])
)
@click.option("--desk", "desk_id", type=int, default=None)
@click.option(
    "--checkpoint",
    "checkpoint_codes",
    multiple=True,
    help="A checkpoint the user works at (repeatable).",
)
@click.option(
    "--password-stdin", is_flag=True, required=True, help="Read the password from standard input."
)
@click.pass_context
def user_add(
    ctx: click.Context,
    username: str,
    agency_code: str,
    roles: tuple[str, ...],
    desk_id: int | None,
    checkpoint_codes: tuple[str, ...],
    password_stdin: bool,
) -> None:
    """Add a user. For roles that need TOTP, prints the otpauth:// provisioning URI."""
    settings = _settings(ctx)
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else ""
    problem = password_problem(password)
    if problem:
        raise click.UsageError(f"password {problem}")
    body = _validated(
        UserBody,
        username=username,
        agency=agency_code,
        roles=list(roles),
        password=password,
        desk=desk_id,
        checkpoints=list(checkpoint_codes),
    )
    new = identity.NewUser(
        body.username,
        body.agency,
        tuple(body.roles),
        Passwords(settings).hash(body.password),
        body.desk,
        tuple(body.checkpoints),
    )
    needs_totp = not set(settings.totp_required_roles).isdisjoint(body.roles)
    now = SystemClock().now()
    made = _run(
        _in_transaction(
            settings, lambda c: identity.add_user(c, _cli_actor(), now, new, with_totp=needs_totp)
        )
    )
    uri = made.provisioning_uri(settings.totp_issuer)
    if uri:
        click.echo(uri)
    click.echo(f"user {made.user.username} added (id {made.user.id})", err=True)


@user.command("disable")
@click.argument("username")
@click.pass_context
def user_disable(ctx: click.Context, username: str) -> None:
    """Disable a user: every token they hold stops working at once."""
    now = SystemClock().now()
    _run(
        _in_transaction(
            _settings(ctx), lambda c: identity.disable_user(c, _cli_actor(), now, username)
        )
    )
    click.echo(f"user {username} disabled; their sessions are revoked")


@main.group("audit")
def audit_group() -> None:
    """The audit log."""


@audit_group.command("verify")
@click.pass_context
def audit_verify(ctx: click.Context) -> None:
    """Recompute the hash chain; exit 1 naming the first broken sequence number."""

    async def check(conn: AsyncConnection) -> audit.VerifyReport:
        return await audit.verify(conn)

    report = _run(_in_transaction(_settings(ctx), check, read_only=True))
    if report.ok:
        click.echo(f"audit chain intact: {report.events} events, head {report.head}")
        return
    click.echo(
        f"audit chain BROKEN at sequence {report.first_broken_seq}: {report.problem} "
        f"({report.events} events verified before it)",
        err=True,
    )
    sys.exit(1)


@main.command("demo")
@click.option("--serve/--no-serve", "and_serve", default=True, show_default=True)
@click.pass_context
def demo(ctx: click.Context, and_serve: bool) -> None:
    """Migrate, seed demo agencies, places, desks and users (once), then serve."""
    from alembic import command

    from alertd.demo import seed_demo

    settings = _settings(ctx)
    command.upgrade(alembic_config(settings.database_url_value), "head")
    click.echo(_run(seed_demo(settings)))
    if and_serve:
        ctx.invoke(serve)
