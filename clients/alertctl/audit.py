"""`alertctl audit ...`: the access log for auditors: search it, export it, verify it.

`search` shows one page of `GET /api/v1/audit` (the server's own paging: `--after-seq`
and `--limit`) rather than following every page: each search is itself an audit event,
appended to the log being read, so a search by the auditor's own name would chase its
own tail. `export` is for everything: `GET /api/v1/audit/export` streamed as JSON Lines
into a file (written aside and renamed into place when complete, mode 0600, since the
log names people) or to stdout. `verify` asks the server to recompute the hash chain and
exits 5 (EXIT_CHAIN_BROKEN) when it does not hold.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final, TypeVar

import click

from clients.alertctl.context import Globals, fail, pass_globals, run
from clients.alertctl.errors import EXIT_CHAIN_BROKEN, CannotWrite, Unavailable
from clients.alertctl.output import Column, Output
from clients.alertctl.session import FILE_MODE
from clients.alertctl.wire import as_object, rows

if TYPE_CHECKING:
    from clients.alertctl.http import ApiClient

AUDIT: Final = "/api/v1/audit"
EXPORT: Final = "/api/v1/audit/export"
VERIFY: Final = "/api/v1/audit/verify"
NDJSON: Final = "application/x-ndjson"
MAX_PAGE: Final = 500  # the server's largest search page
DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
Command = TypeVar("Command", bound=Callable[..., Any])

EVENT_COLUMNS: Final = (
    Column("seq", "seq"),
    Column("at", "occurred_at", instant=True),
    Column("actor", "actor", max_width=24),
    Column("agency", "agency"),
    Column("action", "action", max_width=30),
    Column("subject", "subject", max_width=30),
    Column("outcome", "outcome", toned=True),
    Column("details", "details_text", max_width=60),
)


def _instant(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A date alone means its midnight, UTC; a time is sent as given (RFC 3339)."""
    if value is not None and DATE_ONLY.match(value):
        return f"{value}T00:00:00Z"
    return value


def filter_options(command: Command) -> Command:
    """--actor, --action, --subject, --since, --until: what search and export share."""
    options = (
        click.option("--actor", help="A user name, exactly."),
        click.option("--action", help="An action, exactly, e.g. alert.ack."),
        click.option("--subject", help="A subject, exactly, e.g. alert:12."),
        click.option(
            "--since",
            callback=_instant,
            metavar="TIME",
            help="From this time on: RFC 3339 (2026-11-25T08:00:00Z) or a UTC date.",
        ),
        click.option("--until", callback=_instant, metavar="TIME", help="Before this time."),
    )
    for option in reversed(options):
        command = option(command)
    return command


def filters(**given: str | int | None) -> dict[str, str]:
    """The query parameters that were given."""
    return {name: str(value) for name, value in given.items() if value is not None}


@click.group()
def audit() -> None:
    """The audit log (auditors): search it, export it, verify its hash chain."""


@audit.command()
@filter_options
@click.option("--after-seq", type=click.IntRange(min=0), help="Events after this seq.")
@click.option("--limit", type=click.IntRange(1, MAX_PAGE), default=100, show_default=True)
@pass_globals
def search(
    g: Globals,
    actor: str | None,
    action: str | None,
    subject: str | None,
    since: str | None,
    until: str | None,
    after_seq: int | None,
    limit: int,
) -> None:
    """Events that match every filter given, oldest first (the search is audited too)."""
    params = filters(
        actor=actor,
        action=action,
        subject=subject,
        since=since,
        until=until,
        after_seq=after_seq,
        limit=limit,
    )

    async def ask(api: ApiClient) -> dict[str, Any]:
        return as_object(await api.get(AUDIT, params), "the search")

    page = run(g, ask)
    events = rows(page, "events")
    g.output.emit(page, lambda: show_events(g.output, events, limit, page.get("last_seq")))


def show_events(output: Output, events: list[dict[str, Any]], limit: int, last: Any) -> None:
    if not events:
        output.note("No events.")
        return
    shown = [event | {"details_text": compact(event.get("details"))} for event in events]
    output.table(shown, EVENT_COLUMNS)
    if len(events) == limit:
        output.note(f"More events may follow: add --after-seq {last}")


def compact(details: Any) -> str | None:
    """An event's details on one line: `key=value` pairs, values as JSON."""
    if not isinstance(details, Mapping) or not details:
        return None
    return " ".join(
        f"{key}={json.dumps(value, ensure_ascii=False)}" for key, value in details.items()
    )


@audit.command()
@filter_options
@click.option(
    "--output",
    "-o",
    "target",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write to this file (default: standard output).",
)
@pass_globals
def export(
    g: Globals,
    actor: str | None,
    action: str | None,
    subject: str | None,
    since: str | None,
    until: str | None,
    target: Path | None,
) -> None:
    """The log as JSON Lines, one event a line, oldest first (the export is audited).

    To standard output it is the JSON Lines whatever --json says; to a file, the
    summary (events, bytes) is the result.
    """
    params = filters(actor=actor, action=action, subject=subject, since=since, until=until)
    if target is None:
        # A bar drawn among the lines on the same terminal would garble both.
        drawn = g.output.show_progress and not sys.stdout.isatty()
        quiet = dataclasses.replace(g.output, show_progress=drawn)
        count = _export(g, params, sys.stdout.buffer, quiet)
        g.output.note(f"Exported {count.events} events ({count.bytes} bytes).")
        return
    with _file_aside(g, target) as stream:
        count = _export(g, params, stream, g.output)
    summary = {"output": str(target), "events": count.events, "bytes": count.bytes}
    g.output.emit(
        summary,
        lambda: g.output.echo(f"Exported {count.events} events ({count.bytes} bytes) to {target}"),
    )


@dataclass
class Count:
    events: int = 0
    bytes: int = 0


def _export(g: Globals, params: Mapping[str, str], stream: IO[bytes], output: Output) -> Count:
    count = Count()
    with output.progress("Exporting audit events") as bar:

        def write(chunk: bytes) -> None:
            try:
                stream.write(chunk)
            except OSError as exc:
                raise CannotWrite(f"cannot write the export: {exc.strerror or exc}") from None
            lines = chunk.count(b"\n")
            count.events += lines
            count.bytes += len(chunk)
            bar.update(lines)

        run(g, lambda api: api.download(EXPORT, write, params))
    _flush(g, stream)
    return count


def _flush(g: Globals, stream: IO[bytes]) -> None:
    try:
        stream.flush()
    except OSError as exc:
        fail(g, CannotWrite(f"cannot write the export: {exc.strerror or exc}"))


@contextmanager
def _file_aside(g: Globals, target: Path) -> Iterator[IO[bytes]]:
    """A temporary file next to `target`, renamed over it when the export is complete,
    removed when it is not: a half export never looks like a whole one."""
    aside = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    except OSError as exc:
        fail(g, CannotWrite(f"cannot write {target}: {exc.strerror or exc}"))
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
            _flush(g, stream)
            os.fsync(stream.fileno())  # the export is whole on disk before it has the name
        os.replace(aside, target)
    except OSError as exc:  # closing, syncing or renaming: the disk or the folder
        fail(g, CannotWrite(f"cannot write {target}: {exc.strerror or exc}"))
    finally:
        aside.unlink(missing_ok=True)


@audit.command()
@pass_globals
def verify(g: Globals) -> None:
    """Have the server recompute the hash chain: exit 0 if it holds, 5 if broken."""

    async def ask(api: ApiClient) -> dict[str, Any]:
        report = as_object(await api.get(VERIFY), "the verification")
        if not isinstance(report.get("ok"), bool):
            raise Unavailable("unexpected answer from the server: 'ok' is not true or false")
        return report

    report = run(g, ask)
    intact: bool = report["ok"]
    g.output.emit(report, lambda: show_verification(g.output, report, intact))
    if not intact:
        raise click.exceptions.Exit(EXIT_CHAIN_BROKEN)


def show_verification(output: Output, report: Mapping[str, Any], intact: bool) -> None:
    if intact:
        output.echo(
            f"{output.paint('OK', 'good')}: the audit chain holds "
            f"({report.get('events')} events, head {report.get('head')})"
        )
        return
    output.echo(
        f"{output.paint('BROKEN', 'alarm')} at seq {report.get('first_broken_seq')}: "
        f"{report.get('problem')} ({report.get('events')} events verified before it)"
    )
