"""`alertctl watchlist ...`: entries, the four-eyes workflow, history and bulk imports."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TextIO

import click

from clients.alertctl.context import Globals, fail, pass_globals, run
from clients.alertctl.errors import InvalidInput, Refused
from clients.alertctl.importing import (
    CATEGORIES,
    DEFAULT_EXPIRY_DAYS,
    FORMATS,
    NDJSON,
    EntryDefaults,
    Format,
    ImportBody,
    convert_file,
)
from clients.alertctl.output import Column, Output
from clients.alertctl.wire import Created, as_object, rows

if TYPE_CHECKING:
    from clients.alertctl.http import ApiClient

ENTRIES: Final = "/api/v1/watchlist/entries"
IMPORTS: Final = "/api/v1/watchlist/imports"
STATUSES: Final = ("draft", "pending", "published", "withdrawn", "expired", "rejected")
LINE_FIELD = re.compile(r"^line (\d+)(.*)$")
EntryId = click.IntRange(min=1)

LIST_COLUMNS: Final = (
    Column("id", "id"),
    Column("ref", "external_ref", max_width=24),
    Column("category", "category"),
    Column("status", "status", toned=True),
    Column("owner", "owner"),
    Column("published", "published_version"),
    Column("latest", "latest_version"),
    Column("expires", "expires_on"),
)
VERSION_COLUMNS: Final = (
    Column("version", "version"),
    Column("kind", "kind"),
    Column("status", "status", toned=True),
    Column("author", "author"),
    Column("created", "created_at", instant=True),
    Column("decided by", "decided_by"),
    Column("decided", "decided_at", instant=True),
)
EVENT_COLUMNS: Final = (
    Column("at", "at", instant=True),
    Column("version", "version"),
    Column("action", "action"),
    Column("actor", "actor"),
    Column("agency", "agency"),
    Column("note", "note", max_width=50),
)


@click.group()
def watchlist() -> None:
    """Watchlist entries, the four-eyes workflow and bulk imports."""


# bulk imports


@watchlist.command("import")
@click.argument("file", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True)
@click.option("--category", type=click.Choice(CATEGORIES), help="For entries that lack one.")
@click.option("--release-to", metavar="A,B", help="Agencies that may see the entries (codes).")
@click.option(
    "--expires-in-days",
    type=click.IntRange(min=1),
    default=DEFAULT_EXPIRY_DAYS,
    show_default=True,
    help="Review date, counted from today (UTC).",
)
@click.option("--instructions", help="For officers; default: the category's own.")
@pass_globals
def import_entries(
    g: Globals,
    file: Path,
    fmt: Format,
    category: str | None,
    release_to: str | None,
    expires_in_days: int,
    instructions: str | None,
) -> None:
    """Convert FILE (JSON Lines, an OFAC SDN folder or a UN XML list) and upload it.

    The entries become one pending batch, stored all or nothing; another person
    publishes it with `approve-import`. Options fill in what each entry lacks.
    """
    if fmt != "jsonl" and (category is None or not release_to):
        raise click.UsageError(f"--format {fmt} needs --category and --release-to")
    today = datetime.now(UTC).date()
    defaults = EntryDefaults.from_options(
        category, release_to, expires_in_days, instructions, today
    )
    body = _convert(g, fmt, file, defaults)
    try:
        answer = run(g, lambda api: _upload(api, g.output, body))
    finally:
        body.close()
    created = Created.from_json(answer)
    g.output.emit(
        answer,
        lambda: g.output.echo(
            f"Import {created.id}: {created.count} entries, {g.output.toned(created.status)}. "
            f"Another approver publishes it: alertctl watchlist approve-import {created.id}"
        ),
    )


def _convert(g: Globals, fmt: Format, file: Path, defaults: EntryDefaults) -> ImportBody:
    try:
        with g.output.progress(f"Converting {file.name}") as bar:
            body = convert_file(fmt, file, defaults, lambda: bar.update(1))
    except InvalidInput as exc:
        fail(g, exc)
    for line in body.summary:
        g.output.note(line)
    if body.count == 0:
        body.close()
        fail(g, InvalidInput(f"{file}: no entries to import"))
    return body


async def _upload(api: ApiClient, output: Output, body: ImportBody) -> dict[str, Any]:
    with output.progress("Uploading", length=body.size) as bar:
        try:
            answer = await api.post_stream(IMPORTS, body.chunks(bar.update), NDJSON)
        except Refused as exc:
            raise _naming_entries(exc, body) from None
    return as_object(answer, "the import")


def _naming_entries(error: Refused, body: ImportBody) -> Refused:
    """The server's "line 12: names" as "line 12 (OFAC-10278): names"."""
    problem = error.problem
    if problem is None or not problem.errors:
        return error
    named = tuple(dataclasses.replace(p, field=_name_line(p.field, body)) for p in problem.errors)
    return Refused(error.message, dataclasses.replace(problem, errors=named))


def _name_line(field: str, body: ImportBody) -> str:
    found = LINE_FIELD.match(field)
    if not found:
        return field
    return body.describe_line(int(found.group(1))) + found.group(2)


@watchlist.command("approve-import")
@click.argument("import_id", type=EntryId)
@pass_globals
def approve_import(g: Globals, import_id: int) -> None:
    """Publish a pending import batch (four eyes: not its importer)."""
    _act(g, lambda api: api.post(f"{IMPORTS}/{import_id}/approve"), "Import")


@watchlist.command("reject-import")
@click.argument("import_id", type=EntryId)
@click.option("--reason", required=True, help="Why; the importer sees it.")
@pass_globals
def reject_import(g: Globals, import_id: int, reason: str) -> None:
    """Discard a pending import batch."""
    _act(
        g,
        lambda api: api.post(f"{IMPORTS}/{import_id}/reject", {"reason": reason}),
        "Import",
    )


@watchlist.command("show-import")
@click.argument("import_id", type=EntryId)
@pass_globals
def show_import(g: Globals, import_id: int) -> None:
    """The state of an import batch."""

    async def ask(api: ApiClient) -> dict[str, Any]:
        return as_object(await api.get(f"{IMPORTS}/{import_id}"), "the import")

    state = run(g, ask)
    g.output.emit(state, lambda: g.output.fields(state.items()))


# entries


@watchlist.command("list")
@click.option("--status", type=click.Choice(STATUSES))
@click.option("--category", type=click.Choice(CATEGORIES))
@click.option("--q", "query", help="A name (any script) or an exact external reference.")
@click.option("--limit", type=click.IntRange(1, 200), default=50, show_default=True)
@click.option("--after", type=EntryId, help="Continue after this entry id (pages go down).")
@pass_globals
def list_entries(
    g: Globals,
    status: str | None,
    category: str | None,
    query: str | None,
    limit: int,
    after: int | None,
) -> None:
    """The entries you may see, newest first."""
    params = {"status": status, "category": category, "q": query, "after": after, "limit": limit}
    sent = {key: str(value) for key, value in params.items() if value is not None}

    async def ask(api: ApiClient) -> dict[str, Any]:
        return as_object(await api.get(ENTRIES, sent), "the list")

    page = run(g, ask)
    entries = rows(page, "entries")

    def show() -> None:
        if not entries:
            g.output.note("No entries.")
            return
        shown = [e | {"expires_on": str(e.get("expires_at") or "")[:10] or None} for e in entries]
        g.output.table(shown, LIST_COLUMNS)
        if page.get("next_after") is not None:
            g.output.note(f"More entries: add --after {page['next_after']}")

    g.output.emit(page, show)


@watchlist.command("show")
@click.argument("entry_id", type=EntryId)
@pass_globals
def show(g: Globals, entry_id: int) -> None:
    """One entry as released to your agency (the read is audited)."""

    async def ask(api: ApiClient) -> dict[str, Any]:
        return as_object(await api.get(f"{ENTRIES}/{entry_id}"), "the entry")

    detail = run(g, ask)
    g.output.emit(detail, lambda: g.output.fields(_detail_fields(detail)))


def _detail_fields(detail: dict[str, Any]) -> list[tuple[str, Any]]:
    entry = detail.get("entry") or {}
    names = [n.get("full") for n in entry.get("names") or () if isinstance(n, dict)]
    documents = [
        f"{d.get('type')} {d.get('number')}" + (f" ({d['country']})" if d.get("country") else "")
        for d in entry.get("documents") or ()
        if isinstance(d, dict)
    ]
    pairs: list[tuple[str, Any]] = [
        ("id", detail.get("id")),
        ("external ref", detail.get("external_ref")),
        ("owner", detail.get("owner")),
        ("category", detail.get("category")),
        ("status", detail.get("status")),
        ("version", f"{detail.get('version')} ({detail.get('version_status')})"),
        ("names", " / ".join(str(n) for n in names)),
        ("born", entry.get("dates_of_birth")),
        ("nationalities", entry.get("nationalities")),
        ("sex", entry.get("sex")),
        ("documents", documents),
        ("released to", entry.get("release_to")),
        ("expires", detail.get("expires_at")),
        ("instructions", entry.get("instructions")),
    ]
    if "reason" in entry:  # only the owning agency is shown it
        pairs.append(("reason", entry["reason"]))
    return pairs


@watchlist.command("history")
@click.argument("entry_id", type=EntryId)
@pass_globals
def history(g: Globals, entry_id: int) -> None:
    """Every version of an entry, and who did what when."""

    async def ask(api: ApiClient) -> dict[str, Any]:
        return as_object(await api.get(f"{ENTRIES}/{entry_id}/history"), "the history")

    found = run(g, ask)

    def show() -> None:
        g.output.table(rows(found, "versions"), VERSION_COLUMNS)
        g.output.echo()
        g.output.table(rows(found, "events"), EVENT_COLUMNS)

    g.output.emit(found, show)


@watchlist.command("create")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@pass_globals
def create(g: Globals, file: TextIO) -> None:
    """Draft a new entry from FILE (a JSON object; - for standard input)."""
    entry = _read_entry(g, file)
    _act(g, lambda api: api.post(ENTRIES, entry), "Entry")


def _read_entry(g: Globals, file: TextIO) -> dict[str, Any]:
    try:
        entry = json.loads(file.read())
    except ValueError as exc:
        fail(g, InvalidInput(f"{file.name}: not JSON ({exc})"))
    if not isinstance(entry, dict):
        fail(g, InvalidInput(f"{file.name}: expected one JSON object (an entry)"))
    return entry


@watchlist.command("edit")
@click.argument("entry_id", type=EntryId)
@click.argument("file", type=click.File("r", encoding="utf-8"))
@pass_globals
def edit(g: Globals, entry_id: int, file: TextIO) -> None:
    """Replace an entry's content with FILE: a draft in place, a published one as a new
    pending version (the published one keeps matching until that is approved)."""
    entry = _read_entry(g, file)
    _act(g, lambda api: api.put(f"{ENTRIES}/{entry_id}", entry), "Entry")


@watchlist.command("submit")
@click.argument("entry_id", type=EntryId)
@pass_globals
def submit(g: Globals, entry_id: int) -> None:
    """Submit a draft for another person's review."""
    _act(g, lambda api: api.post(f"{ENTRIES}/{entry_id}/submit"), "Entry")


@watchlist.command("approve")
@click.argument("entry_id", type=EntryId)
@pass_globals
def approve(g: Globals, entry_id: int) -> None:
    """Approve the pending change: publish it, or withdraw the entry."""
    _act(g, lambda api: api.post(f"{ENTRIES}/{entry_id}/approve"), "Entry")


@watchlist.command("reject")
@click.argument("entry_id", type=EntryId)
@click.option("--reason", required=True)
@pass_globals
def reject(g: Globals, entry_id: int, reason: str) -> None:
    """Send the pending change back to draft, saying why."""
    _act(g, lambda api: api.post(f"{ENTRIES}/{entry_id}/reject", {"reason": reason}), "Entry")


@watchlist.command("withdraw")
@click.argument("entry_id", type=EntryId)
@click.option("--reason", required=True)
@pass_globals
def withdraw(g: Globals, entry_id: int, reason: str) -> None:
    """Ask to de-list a published entry; another person approves."""
    _act(g, lambda api: api.post(f"{ENTRIES}/{entry_id}/withdraw", {"reason": reason}), "Entry")


def _act(g: Globals, call: Callable[[ApiClient], Awaitable[Any]], what: str) -> None:
    """A workflow step on an entry or an import batch (`what`): print its new state."""

    async def ask(api: ApiClient) -> Created:
        return Created.from_json(await call(api))

    done = run(g, ask)
    version = f" version {done.version}" if done.version is not None else ""
    count = f" ({done.count} entries)" if done.count is not None else ""
    g.output.emit(
        done.raw,
        lambda: g.output.echo(f"{what} {done.id}{version}{count}: {g.output.toned(done.status)}"),
    )
