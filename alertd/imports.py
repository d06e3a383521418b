"""Bulk imports: a JSON Lines file becomes one batch of pending entries, all or nothing.

Every line is validated before anything is written, and every bad line is reported by
number and field. A line whose ``external_ref`` the agency already uses becomes a new
pending version of that entry, so re-importing a list updates instead of duplicating.
Approving the batch (a second person again) publishes it in one transaction.

Batches run to 100,000 lines and more, so the work is done in set-based statements and
chunks: a line keeps only what is stored (its JSON text and a few columns), history
rows are copied by ``INSERT ... SELECT``, and after approval the matching index is fed
a chunk at a time from the database (``published_changes``) rather than from one
in-memory list of every entry.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    String,
    and_,
    bindparam,
    delete,
    exists,
    func,
    insert,
    literal,
    null,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from alertd import audit, policy
from alertd.audit import Actor, AuditEvent
from alertd.entries import EntryBody
from alertd.errors import (
    BadRequest,
    Conflict,
    FieldError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from alertd.live_index import published_contents
from alertd.policy import Permission
from alertd.principal import Principal
from alertd.tables import (
    agencies,
    entry_releases,
    watchlist_entries,
    watchlist_events,
    watchlist_imports,
    watchlist_versions,
)
from alertd.watchlist import EntryChange, Rules, expiry_problem, fold_names
from alertd.wire import parse_json

# Report at most this many bad lines: enough to fix a file, bounded for a huge one.
MAX_REPORTED_ERRORS = 1000
# Rows per statement: well under SQLite's and asyncpg's bound-parameter limits.
CHUNK = 2000
# Entries handed to the matching index at a time after approval; between chunks the
# event loop serves other requests (indexing costs about half a millisecond an entry).
FEED_CHUNK = 1000
# Batches from this size on refresh the planner's statistics (``refresh_statistics``).
STATISTICS_AFTER = 1000
STATISTICS_TABLES = ("watchlist_entries", "entry_releases", "watchlist_versions")


@dataclass(frozen=True)
class ImportOutcome:
    id: int
    count: int
    status: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "count": self.count, "status": self.status}


@dataclass(frozen=True)
class ImportLine:
    """What one valid line stores: the version's JSON and the entry's columns."""

    number: int
    external_ref: str | None
    category: str
    release_to: tuple[str, ...]
    names_text: str
    expires_at: datetime
    content: str


class LineParser:
    """Validates lines as they arrive, collecting every problem; keeps only what is stored."""

    def __init__(self, now: datetime, rules: Rules, agencies: Collection[str]) -> None:
        self._now = now
        self._rules = rules
        self._agencies = frozenset(agencies)
        self._seen_refs: dict[str, int] = {}
        self.lines: list[ImportLine] = []
        self.errors: list[FieldError] = []

    def feed(self, number: int, raw: bytes) -> None:
        if not raw.strip():
            return
        prefix = f"line {number}: "
        try:
            body = parse_json(EntryBody, raw, prefix=prefix)
        except ValidationFailed as exc:
            self.errors.extend(exc.errors)
            return
        except BadRequest as exc:
            self.errors.append(FieldError(f"line {number}", exc.detail))
            return
        problems = self._problems(number, body)
        if problems:
            self.errors.extend(problems)
            return
        content = body.content()
        self.lines.append(
            ImportLine(
                number,
                body.external_ref,
                body.category.value,
                tuple(dict.fromkeys(body.release_to)),
                fold_names(content["names"]),
                body.expiry_instant(),
                json.dumps(content, ensure_ascii=False),
            )
        )

    def finish(self) -> list[ImportLine]:
        """The valid lines; raises one ValidationFailed listing every bad one."""
        if self.errors:
            raise ValidationFailed(
                self.errors[:MAX_REPORTED_ERRORS],
                detail=f"{len(self.errors)} problem(s) in the import; nothing was stored",
            )
        if not self.lines:
            raise ValidationFailed([FieldError("body", "the import holds no entries")])
        return self.lines

    def _problems(self, number: int, body: EntryBody) -> list[FieldError]:
        problems = []
        expiry = expiry_problem(body, self._now, self._rules)
        if expiry:
            problems.append(FieldError(f"line {number}: expires_at", expiry))
        for index, code in enumerate(body.release_to):
            if code not in self._agencies:
                problems.append(
                    FieldError(
                        f"line {number}: release_to.{index}", f"agency {code!r} does not exist"
                    )
                )
        if body.external_ref is not None:
            first = self._seen_refs.setdefault(body.external_ref, number)
            if first != number:
                problems.append(
                    FieldError(
                        f"line {number}: external_ref",
                        f"repeats line {first}'s {body.external_ref!r}",
                    )
                )
        return problems


def parse_lines(
    lines: Iterable[tuple[int, bytes]], now: datetime, rules: Rules, agencies: Collection[str]
) -> list[ImportLine]:
    """Validate every line; raise one ValidationFailed listing every bad one."""
    parser = LineParser(now, rules, agencies)
    for number, raw in lines:
        parser.feed(number, raw)
    return parser.finish()


async def agency_codes(conn: AsyncConnection) -> set[str]:
    return set((await conn.execute(select(agencies.c.code))).scalars())


# --- creating a batch ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Existing:
    """An entry of the importing agency that a line's external_ref names."""

    id: int
    status: str
    latest_version: int
    published_version: int | None
    latest_status: str


async def create_batch(
    conn: AsyncConnection, who: Principal, actor: Actor, now: datetime, lines: Sequence[ImportLine]
) -> ImportOutcome:
    policy.require(who, Permission.EDIT_WATCHLIST)
    existing = await _existing_refs(conn, who.agency_id, lines)
    updates = [
        (line, existing[line.external_ref]) for line in lines if line.external_ref in existing
    ]
    _refuse_unsettled(updates)
    fresh = [line for line in lines if line.external_ref not in existing]
    batch_id = await _insert_batch(conn, who, now, len(lines))
    await _new_entries(conn, who, now, batch_id, fresh)
    await _new_versions(conn, who, now, batch_id, updates)
    await _history_from_versions(conn, batch_id, "pending", "import", actor, now)
    details = {"import": batch_id, "count": len(lines), "new": len(fresh), "updated": len(updates)}
    event = AuditEvent("watchlist.import", f"import:{batch_id}", "success", details)
    await audit.record(conn, actor, event, now)
    return ImportOutcome(batch_id, len(lines), "pending")


def _refuse_unsettled(updates: Sequence[tuple[ImportLine, _Existing]]) -> None:
    """A line may update an entry whose last change is decided; not a withdrawn entry
    (de-listing is final) nor one with a change in draft or under review."""
    conflicts = []
    for line, entry in updates:
        if entry.status == "withdrawn":
            problem = f"entry {entry.id} is withdrawn; an import does not re-list it"
        elif entry.latest_status in ("draft", "pending"):
            problem = f"entry {entry.id} has a change in {entry.latest_status}; settle it first"
        else:
            continue
        conflicts.append(FieldError(f"line {line.number}: external_ref", problem))
    if conflicts:
        raise ValidationFailed(
            conflicts[:MAX_REPORTED_ERRORS],
            detail=f"{len(conflicts)} line(s) update entries that are not settled; "
            "nothing was stored",
        )


async def _insert_batch(conn: AsyncConnection, who: Principal, now: datetime, count: int) -> int:
    result = await conn.execute(
        insert(watchlist_imports).values(
            owner_agency_id=who.agency_id,
            status="pending",
            count=count,
            created_by=who.username,
            created_at=now,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


async def _existing_refs(
    conn: AsyncConnection, agency_id: int, lines: Sequence[ImportLine]
) -> dict[str, _Existing]:
    refs = [line.external_ref for line in lines if line.external_ref]
    latest = watchlist_versions
    found: dict[str, _Existing] = {}
    for chunk in _chunks(refs):
        rows = await conn.execute(
            select(
                watchlist_entries.c.id,
                watchlist_entries.c.external_ref,
                watchlist_entries.c.status,
                watchlist_entries.c.latest_version,
                watchlist_entries.c.published_version,
                latest.c.status.label("latest_status"),
            )
            .join(
                latest,
                and_(
                    latest.c.entry_id == watchlist_entries.c.id,
                    latest.c.version == watchlist_entries.c.latest_version,
                ),
            )
            .where(
                watchlist_entries.c.owner_agency_id == agency_id,
                watchlist_entries.c.external_ref.in_(chunk),
            )
        )
        found |= {
            row.external_ref: _Existing(
                row.id, row.status, row.latest_version, row.published_version, row.latest_status
            )
            for row in rows
        }
    return found


async def _new_entries(
    conn: AsyncConnection,
    who: Principal,
    now: datetime,
    batch_id: int,
    lines: Sequence[ImportLine],
) -> None:
    ids = await _reserve_entry_ids(conn, len(lines))
    for chunk in _chunks(list(zip(ids, lines, strict=True))):
        await conn.execute(
            insert(watchlist_entries), [_entry_row(i, line, who, now) for i, line in chunk]
        )
        await conn.execute(
            insert(watchlist_versions),
            [_version_row(i, 1, line, who, now, batch_id) for i, line in chunk],
        )
        await _insert_releases(conn, [(i, line.release_to) for i, line in chunk])


async def _reserve_entry_ids(conn: AsyncConnection, count: int) -> list[int]:
    """Ids for ``count`` new entries, taken before inserting them.

    Inserting with ``RETURNING`` in parameter order would give them back too, but on
    SQLite SQLAlchemy can only do that one row per statement (20,000 rows: 7 s instead
    of a fraction of one). PostgreSQL hands out the ids from the column's own sequence,
    so concurrent inserts never collide; SQLite's ``BEGIN IMMEDIATE`` already holds
    the database's only write lock, so the ids above the current maximum are ours.
    """
    if not count:
        return []
    if conn.dialect.name == "postgresql":
        found = await conn.execute(
            text(
                "SELECT nextval(pg_get_serial_sequence('watchlist_entries', 'id')) "
                "FROM generate_series(1, :count)"
            ),
            {"count": count},
        )
        return sorted(int(value) for value in found.scalars())
    highest = (await conn.execute(select(func.max(watchlist_entries.c.id)))).scalar_one()
    first = int(highest or 0) + 1
    return list(range(first, first + count))


def _entry_row(entry_id: int, line: ImportLine, who: Principal, now: datetime) -> dict[str, Any]:
    return {
        "id": entry_id,
        "owner_agency_id": who.agency_id,
        "external_ref": line.external_ref,
        "category": line.category,
        "status": "pending",
        "latest_version": 1,
        "names_text": line.names_text,
        # Pending, so nothing matches on it yet; approval then only flips the status.
        "expires_at": line.expires_at,
        "created_by": who.username,
        "created_at": now,
        "updated_at": now,
    }


async def _new_versions(
    conn: AsyncConnection,
    who: Principal,
    now: datetime,
    batch_id: int,
    updates: Sequence[tuple[ImportLine, _Existing]],
) -> None:
    """Lines that update existing entries: each becomes the next, pending version."""
    for chunk in _chunks(updates):
        await conn.execute(
            insert(watchlist_versions),
            [
                _version_row(entry.id, entry.latest_version + 1, line, who, now, batch_id)
                for line, entry in chunk
            ],
        )
    # A published (or expired) entry keeps its published columns until the batch is
    # approved; one that was never published (its import was rejected) takes the new
    # version's, as a draft would.
    published = [(line, e) for line, e in updates if e.published_version is not None]
    unpublished = [(line, e) for line, e in updates if e.published_version is None]
    await _bump_latest(conn, now, published)
    if unpublished:
        await conn.execute(
            update(watchlist_entries)
            .where(watchlist_entries.c.id == bindparam("b_id"))
            .values(
                latest_version=bindparam("b_version"),
                status="pending",
                category=bindparam("b_category"),
                names_text=bindparam("b_names"),
                expires_at=bindparam("b_expires"),
                updated_at=now,
            ),
            [
                {
                    "b_id": e.id,
                    "b_version": e.latest_version + 1,
                    "b_category": line.category,
                    "b_names": line.names_text,
                    "b_expires": line.expires_at,
                }
                for line, e in unpublished
            ],
        )
        await _replace_releases(conn, [(e.id, line.release_to) for line, e in unpublished])


async def _bump_latest(
    conn: AsyncConnection, now: datetime, updates: Sequence[tuple[ImportLine, _Existing]]
) -> None:
    if updates:
        await conn.execute(
            update(watchlist_entries)
            .where(watchlist_entries.c.id == bindparam("b_id"))
            .values(latest_version=bindparam("b_version"), updated_at=now),
            [{"b_id": e.id, "b_version": e.latest_version + 1} for _, e in updates],
        )


def _version_row(
    entry_id: int, version: int, line: ImportLine, who: Principal, now: datetime, batch_id: int
) -> dict[str, Any]:
    return {
        "entry_id": entry_id,
        "version": version,
        "kind": "content",
        "status": "pending",
        "content": line.content,
        "author": who.username,
        "created_at": now,
        "last_editor": who.username,
        "last_edited_at": now,
        "submitted_by": who.username,
        "submitted_at": now,
        "import_id": batch_id,
    }


# --- deciding on a batch -------------------------------------------------------------------


async def approve_batch(
    conn: AsyncConnection, who: Principal, actor: Actor, now: datetime, batch_id: int
) -> ImportOutcome:
    """Publish the batch. The index learns of it afterwards, from ``published_changes``."""
    batch = await _pending_batch(conn, who, batch_id)
    pending = _batch_versions(batch_id, "pending")
    await conn.execute(
        update(watchlist_versions)
        .where(
            watchlist_versions.c.status == "published",
            watchlist_versions.c.entry_id.in_(select(pending.c.entry_id)),
        )
        .values(status="superseded")
    )
    await _history_from_versions(conn, batch_id, "pending", "approve", actor, now)
    await _publish_entries(conn, now, batch_id)
    await conn.execute(
        update(watchlist_versions)
        .where(watchlist_versions.c.import_id == batch_id, watchlist_versions.c.status == "pending")
        .values(status="published", decided_by=who.username, decided_at=now)
    )
    await conn.execute(
        update(watchlist_imports)
        .where(watchlist_imports.c.id == batch_id)
        .values(status="published", decided_by=who.username, decided_at=now)
    )
    event = AuditEvent(
        "watchlist.import_approve", f"import:{batch_id}", "success", {"count": batch.count}
    )
    await audit.record(conn, actor, event, now)
    return ImportOutcome(batch_id, batch.count, "published")


async def reject_batch(
    conn: AsyncConnection,
    who: Principal,
    actor: Actor,
    now: datetime,
    batch_id: int,
    reason: str,
) -> ImportOutcome:
    batch = await _pending_batch(conn, who, batch_id)
    await _history_from_versions(conn, batch_id, "pending", "reject", actor, now, reason)
    # Entries whose newest version is this batch's and that were never published are
    # closed as rejected; a re-import (or an edit) can bring them back.
    newest = watchlist_versions.alias("newest")
    await conn.execute(
        update(watchlist_entries)
        .where(
            watchlist_entries.c.published_version.is_(None),
            exists().where(
                newest.c.entry_id == watchlist_entries.c.id,
                newest.c.version == watchlist_entries.c.latest_version,
                newest.c.import_id == batch_id,
                newest.c.status == "pending",
            ),
        )
        .values(status="rejected", updated_at=now)
    )
    decided = {"decided_by": who.username, "decided_at": now, "decision_note": reason}
    await conn.execute(
        update(watchlist_versions)
        .where(watchlist_versions.c.import_id == batch_id, watchlist_versions.c.status == "pending")
        .values(status="rejected", **decided)
    )
    await conn.execute(
        update(watchlist_imports)
        .where(watchlist_imports.c.id == batch_id)
        .values(status="rejected", **decided)
    )
    event = AuditEvent(
        "watchlist.import_reject",
        f"import:{batch_id}",
        "success",
        {"count": batch.count, "reason": reason},
    )
    await audit.record(conn, actor, event, now)
    return ImportOutcome(batch_id, batch.count, "rejected")


async def _pending_batch(conn: AsyncConnection, who: Principal, batch_id: int) -> Any:
    policy.require(who, Permission.APPROVE_WATCHLIST)
    batch = (
        await conn.execute(
            select(watchlist_imports).where(watchlist_imports.c.id == batch_id).with_for_update()
        )
    ).first()
    if batch is None or not policy.sees_all_versions(who, batch.owner_agency_id):
        raise NotFound(f"import {batch_id} does not exist")
    refusal = policy.may_decide(
        who,
        batch.owner_agency_id,
        author=batch.created_by,
        last_editor=batch.created_by,
        submitted_by=batch.created_by,
    )
    if refusal:
        raise PermissionDenied(refusal)
    if batch.status != "pending":
        raise Conflict(f"import {batch_id} is already {batch.status}")
    return batch


def _batch_versions(batch_id: int, status: str) -> Any:
    """The batch's versions in one state, as an aliased table for subqueries."""
    versions = watchlist_versions.alias("batch_versions")
    return (
        select(versions.c.entry_id, versions.c.version)
        .where(versions.c.import_id == batch_id, versions.c.status == status)
        .subquery()
    )


async def _publish_entries(conn: AsyncConnection, now: datetime, batch_id: int) -> None:
    """Point each entry at its new published version.

    An entry never published before already holds this version's columns (names,
    category, releases, expiry: the import wrote them), so one statement publishes all
    of those. An entry whose published version the batch replaces still shows the old
    one's and takes the new one's, a chunk at a time. The replaced go first: once the
    new are published, the two could no longer be told apart.
    """
    await _republish_entries(conn, now, await _replaced_entry_ids(conn, batch_id))
    in_batch = select(watchlist_versions.c.entry_id).where(
        watchlist_versions.c.import_id == batch_id, watchlist_versions.c.status == "pending"
    )
    await conn.execute(
        update(watchlist_entries)
        .where(
            watchlist_entries.c.published_version.is_(None),
            watchlist_entries.c.id.in_(in_batch),
        )
        .values(
            status="published",
            published_version=watchlist_entries.c.latest_version,
            updated_at=now,
        )
    )


async def _replaced_entry_ids(conn: AsyncConnection, batch_id: int) -> list[int]:
    """The batch's entries that have a published (or expired) version it replaces."""
    found = await conn.execute(
        select(watchlist_versions.c.entry_id)
        .join(watchlist_entries, watchlist_entries.c.id == watchlist_versions.c.entry_id)
        .where(
            watchlist_versions.c.import_id == batch_id,
            watchlist_versions.c.status == "pending",
            watchlist_entries.c.published_version.is_not(None),
        )
    )
    return sorted(found.scalars())


async def _republish_entries(conn: AsyncConnection, now: datetime, entry_ids: list[int]) -> None:
    for chunk in _chunks(entry_ids):
        rows = await conn.execute(
            select(
                watchlist_versions.c.entry_id,
                watchlist_versions.c.version,
                watchlist_versions.c.content,
            )
            .join(
                watchlist_entries,
                and_(
                    watchlist_entries.c.id == watchlist_versions.c.entry_id,
                    watchlist_entries.c.latest_version == watchlist_versions.c.version,
                ),
            )
            .where(watchlist_entries.c.id.in_(chunk))
        )
        contents = [(row.entry_id, row.version, json.loads(row.content)) for row in rows]
        await conn.execute(
            update(watchlist_entries)
            .where(watchlist_entries.c.id == bindparam("b_id"))
            .values(
                status="published",
                published_version=bindparam("b_version"),
                expires_at=bindparam("b_expires"),
                category=bindparam("b_category"),
                names_text=bindparam("b_names"),
                updated_at=now,
            ),
            [
                {
                    "b_id": e,
                    "b_version": v,
                    "b_expires": datetime.fromisoformat(c["expires_at"]),
                    "b_category": c["category"],
                    "b_names": fold_names(c["names"]),
                }
                for e, v, c in contents
            ],
        )
        await _replace_releases(conn, [(e, c.get("release_to", ())) for e, _, c in contents])


async def _batch_entry_ids(conn: AsyncConnection, batch_id: int, status: str) -> list[int]:
    """The entries a batch holds versions of, in order. Chunks then select by primary
    key: paging with ``entry_id > last ORDER BY entry_id LIMIT n`` would have the
    database sort the whole batch once for every chunk."""
    found = await conn.execute(
        select(watchlist_versions.c.entry_id).where(
            watchlist_versions.c.import_id == batch_id, watchlist_versions.c.status == status
        )
    )
    return sorted(found.scalars())


async def published_changes(
    engine: AsyncEngine, batch_id: int, chunk: int = FEED_CHUNK
) -> AsyncIterator[list[EntryChange]]:
    """What the matching index must learn from an approved batch, a chunk at a time.

    Read after the commit: each entry's version published when read, and only entries
    still published then, so an entry withdrawn (or changed again) meanwhile is indexed
    as it now stands. Each chunk is found by primary keys alone (the entries, then
    their published versions): filtering on the batch as well let PostgreSQL pick a
    plan that took half a second a chunk.
    """
    async with engine.connect() as conn:
        entry_ids = await _batch_entry_ids(conn, batch_id, "published")
    for start in range(0, len(entry_ids), chunk):
        async with engine.connect() as conn:
            changes = await published_contents(conn, entry_ids[start : start + chunk])
        if changes:
            yield changes


async def refresh_statistics(engine: AsyncEngine, count: int) -> None:
    """After a large batch, let the query planner see the tables' new sizes.

    Without statistics SQLite answers the list's visibility condition (owner OR released)
    by merging two indexes and sorting every visible row, a second at 100,000 entries,
    instead of walking the ids backwards for one page. PostgreSQL's autovacuum would get
    there too, but only a while later.
    """
    if count < STATISTICS_AFTER:
        return
    async with engine.begin() as conn:  # ANALYZE may run in a transaction on both
        if conn.dialect.name == "sqlite":
            # A full ANALYZE takes a fifth of a second at 100,000 entries; sampled ones
            # (analysis_limit) misjudge the owner index and bring the slow plan back.
            for table in STATISTICS_TABLES:
                await conn.exec_driver_sql(f"ANALYZE {table}")
        else:
            await conn.exec_driver_sql(f"ANALYZE {', '.join(STATISTICS_TABLES)}")
    if engine.dialect.name == "postgresql":
        await _vacuum_releases(engine)


async def _vacuum_releases(engine: AsyncEngine) -> None:
    """PostgreSQL lists a page for a released agency by hashing the entries released to
    it; once vacuumed, it reads them from the index alone (100,000 entries: a page in
    23 ms instead of 35). Autovacuum gets there too, a while later. VACUUM cannot run
    inside a transaction."""
    async with engine.connect() as conn:
        autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.exec_driver_sql("VACUUM entry_releases")


# --- shared steps ---------------------------------------------------------------------------


async def _replace_releases(
    conn: AsyncConnection, releases: Sequence[tuple[int, Sequence[str]]]
) -> None:
    for chunk in _chunks(releases):
        await conn.execute(
            delete(entry_releases).where(entry_releases.c.entry_id.in_([e for e, _ in chunk]))
        )
    await _insert_releases(conn, releases)


async def _insert_releases(
    conn: AsyncConnection, releases: Sequence[tuple[int, Sequence[str]]]
) -> None:
    codes = {code for _, wanted in releases for code in wanted}
    if not codes:
        return
    found = await conn.execute(
        select(agencies.c.code, agencies.c.id).where(agencies.c.code.in_(codes))
    )
    ids = {row.code: row.id for row in found}
    rows = [{"entry_id": e, "agency_id": ids[c]} for e, wanted in releases for c in set(wanted)]
    for chunk in _chunks(rows):
        await conn.execute(insert(entry_releases), chunk)


async def _history_from_versions(
    conn: AsyncConnection,
    batch_id: int,
    status: str,
    action: str,
    actor: Actor,
    now: datetime,
    note: str | None = None,
) -> None:
    """One history row per version of the batch, copied by the database itself."""
    columns = watchlist_events.c
    rows = select(
        watchlist_versions.c.entry_id,
        watchlist_versions.c.version,
        literal(action, String),
        literal(actor.username or "system", String),
        literal(actor.agency, String) if actor.agency else null(),
        literal(now, columns.occurred_at.type),
        literal(note, String) if note is not None else null(),
    ).where(watchlist_versions.c.import_id == batch_id, watchlist_versions.c.status == status)
    await conn.execute(
        insert(watchlist_events).from_select(
            [
                columns.entry_id,
                columns.version,
                columns.action,
                columns.actor,
                columns.agency,
                columns.occurred_at,
                columns.note,
            ],
            rows,
        )
    )


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


async def batch_status(conn: AsyncConnection, who: Principal, batch_id: int) -> dict[str, Any]:
    batch = (
        await conn.execute(select(watchlist_imports).where(watchlist_imports.c.id == batch_id))
    ).first()
    if batch is None or not policy.sees_all_versions(who, batch.owner_agency_id):
        raise NotFound(f"import {batch_id} does not exist")
    versions = (
        await conn.execute(
            select(func.count())
            .select_from(watchlist_versions)
            .where(watchlist_versions.c.import_id == batch_id)
        )
    ).scalar_one()
    return {
        "id": batch.id,
        "status": batch.status,
        "count": batch.count,
        "versions": int(versions),
        "created_by": batch.created_by,
        "decided_by": batch.decided_by,
    }
