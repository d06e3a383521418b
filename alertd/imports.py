"""Bulk imports: a JSON Lines file becomes one batch of pending entries, all or nothing.

Every line is validated before anything is written, and every bad line is reported by
number and field. A line whose ``external_ref`` the agency already uses becomes a new
pending version of that entry, so re-importing a list updates instead of duplicating.
Approving the batch (a second person again) publishes it in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

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
from alertd.watchlist import EntryChange, Rules, fold_names
from alertd.wire import parse_json

# Report at most this many bad lines: enough to fix a file, bounded for a huge one.
MAX_REPORTED_ERRORS = 1000
CHUNK = 2000


@dataclass(frozen=True)
class ImportOutcome:
    id: int
    count: int
    status: str
    changes: tuple[EntryChange, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "count": self.count, "status": self.status}


@dataclass(frozen=True)
class _Line:
    number: int
    body: EntryBody
    content: dict[str, Any]


def parse_lines(lines: Iterable[tuple[int, bytes]], now: datetime, rules: Rules) -> list[_Line]:
    """Validate every line; raise one ValidationFailed listing every bad one."""
    parsed: list[_Line] = []
    errors: list[FieldError] = []
    seen_refs: dict[str, int] = {}
    for number, raw in lines:
        if not raw.strip():
            continue
        try:
            body = parse_json(EntryBody, raw, prefix=f"line {number}: ")
        except ValidationFailed as exc:
            errors.extend(exc.errors)
            continue
        except BadRequest as exc:
            errors.append(FieldError(f"line {number}", exc.detail))
            continue
        errors.extend(_line_problems(number, body, now, rules, seen_refs))
        parsed.append(_Line(number, body, body.content()))
    if errors:
        raise ValidationFailed(
            errors[:MAX_REPORTED_ERRORS],
            detail=f"{len(errors)} problem(s) in the import; nothing was stored",
        )
    if not parsed:
        raise ValidationFailed([FieldError("body", "the import holds no entries")])
    return parsed


def _line_problems(
    number: int, body: EntryBody, now: datetime, rules: Rules, seen_refs: dict[str, int]
) -> list[FieldError]:
    problems = []
    expiry = body.expiry_instant()
    if expiry <= now:
        problems.append(FieldError(f"line {number}: expires_at", "must be in the future"))
    elif expiry > now + timedelta(days=rules.max_expiry_days + 1):
        problems.append(
            FieldError(
                f"line {number}: expires_at", f"must be at most {rules.max_expiry_days} days ahead"
            )
        )
    if body.external_ref is not None:
        first = seen_refs.setdefault(body.external_ref, number)
        if first != number:
            problems.append(
                FieldError(
                    f"line {number}: external_ref", f"repeats line {first}'s {body.external_ref!r}"
                )
            )
    return problems


async def create_batch(
    conn: AsyncConnection, who: Principal, actor: Actor, now: datetime, lines: Sequence[_Line]
) -> ImportOutcome:
    policy.require(who, Permission.EDIT_WATCHLIST)
    await _check_agencies(conn, lines)
    batch_id = await _insert_batch(conn, who, now, len(lines))
    existing = await _existing_refs(conn, who.agency_id, lines)
    updates = [
        (line, existing[line.body.external_ref])
        for line in lines
        if line.body.external_ref in existing
    ]
    fresh = [line for line in lines if line.body.external_ref not in existing]
    await _new_entries(conn, who, now, batch_id, fresh)
    await _new_versions(conn, who, now, batch_id, updates)
    details = {"import": batch_id, "count": len(lines), "new": len(fresh), "updated": len(updates)}
    event = AuditEvent("watchlist.import", f"import:{batch_id}", "success", details)
    await audit.record(conn, actor, event, now)
    return ImportOutcome(batch_id, len(lines), "pending")


async def approve_batch(
    conn: AsyncConnection, who: Principal, actor: Actor, now: datetime, batch_id: int
) -> ImportOutcome:
    batch = await _pending_batch(conn, who, batch_id)
    versions = (
        await conn.execute(
            select(
                watchlist_versions.c.entry_id,
                watchlist_versions.c.version,
                watchlist_versions.c.content,
            ).where(
                watchlist_versions.c.import_id == batch_id, watchlist_versions.c.status == "pending"
            )
        )
    ).all()
    entry_ids = [v.entry_id for v in versions]
    decided = {"decided_by": who.username, "decided_at": now}
    for chunk in _chunks(entry_ids):
        await conn.execute(
            update(watchlist_versions)
            .where(
                watchlist_versions.c.entry_id.in_(chunk), watchlist_versions.c.status == "published"
            )
            .values(status="superseded")
        )
    await conn.execute(
        update(watchlist_versions)
        .where(watchlist_versions.c.import_id == batch_id, watchlist_versions.c.status == "pending")
        .values(status="published", **decided)
    )
    contents = [(v.entry_id, v.version, json.loads(v.content)) for v in versions]
    await _publish_entries(conn, now, contents)
    await _history(conn, [(e, v) for e, v, _ in contents], "approve", actor, now)
    await conn.execute(
        update(watchlist_imports)
        .where(watchlist_imports.c.id == batch_id)
        .values(status="published", **decided)
    )
    event = AuditEvent(
        "watchlist.import_approve", f"import:{batch_id}", "success", {"count": len(contents)}
    )
    await audit.record(conn, actor, event, now)
    changes = tuple(EntryChange("publish", e, v, c) for e, v, c in contents)
    return ImportOutcome(batch_id, batch.count, "published", changes)


async def reject_batch(
    conn: AsyncConnection,
    who: Principal,
    actor: Actor,
    now: datetime,
    batch_id: int,
    reason: str,
) -> ImportOutcome:
    batch = await _pending_batch(conn, who, batch_id)
    versions = (
        await conn.execute(
            select(watchlist_versions.c.entry_id, watchlist_versions.c.version).where(
                watchlist_versions.c.import_id == batch_id
            )
        )
    ).all()
    await conn.execute(
        update(watchlist_versions)
        .where(watchlist_versions.c.import_id == batch_id)
        .values(status="rejected", decided_by=who.username, decided_at=now, decision_note=reason)
    )
    # Entries this batch created were never published: they are closed as rejected.
    for chunk in _chunks([v.entry_id for v in versions]):
        await conn.execute(
            update(watchlist_entries)
            .where(
                watchlist_entries.c.id.in_(chunk), watchlist_entries.c.published_version.is_(None)
            )
            .values(status="rejected", updated_at=now)
        )
    await _history(conn, [(v.entry_id, v.version) for v in versions], "reject", actor, now, reason)
    await conn.execute(
        update(watchlist_imports)
        .where(watchlist_imports.c.id == batch_id)
        .values(status="rejected", decided_by=who.username, decided_at=now, decision_note=reason)
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
    batch = (
        await conn.execute(select(watchlist_imports).where(watchlist_imports.c.id == batch_id))
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


async def _check_agencies(conn: AsyncConnection, lines: Sequence[_Line]) -> None:
    wanted = {code for line in lines for code in line.body.release_to}
    known = set(
        (await conn.execute(select(agencies.c.code).where(agencies.c.code.in_(wanted)))).scalars()
    )
    errors = [
        FieldError(f"line {line.number}: release_to.{i}", f"agency {code!r} does not exist")
        for line in lines
        for i, code in enumerate(line.body.release_to)
        if code not in known
    ]
    if errors:
        raise ValidationFailed(
            errors[:MAX_REPORTED_ERRORS],
            detail=f"{len(errors)} problem(s) in the import; nothing was stored",
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
    conn: AsyncConnection, agency_id: int, lines: Sequence[_Line]
) -> dict[str, Any]:
    refs = [line.body.external_ref for line in lines if line.body.external_ref]
    found: dict[str, Any] = {}
    for chunk in _chunks(refs):
        rows = await conn.execute(
            select(
                watchlist_entries.c.id,
                watchlist_entries.c.external_ref,
                watchlist_entries.c.latest_version,
                watchlist_entries.c.published_version,
                watchlist_entries.c.status,
            ).where(
                watchlist_entries.c.owner_agency_id == agency_id,
                watchlist_entries.c.external_ref.in_(chunk),
            )
        )
        found |= {row.external_ref: row for row in rows}
    return found


async def _new_entries(
    conn: AsyncConnection, who: Principal, now: datetime, batch_id: int, lines: Sequence[_Line]
) -> None:
    for chunk in _chunks(lines):
        rows = [
            {
                "owner_agency_id": who.agency_id,
                "external_ref": line.body.external_ref,
                "category": line.body.category.value,
                "status": "pending",
                "latest_version": 1,
                "names_text": fold_names(line.content["names"]),
                "created_by": who.username,
                "created_at": now,
                "updated_at": now,
            }
            for line in chunk
        ]
        result = await conn.execute(
            insert(watchlist_entries).returning(
                watchlist_entries.c.id, sort_by_parameter_order=True
            ),
            rows,
        )
        ids = list(result.scalars())
        await conn.execute(
            insert(watchlist_versions),
            [
                _version_row(entry_id, 1, line, who, now, batch_id)
                for entry_id, line in zip(ids, chunk, strict=True)
            ],
        )
        await _insert_releases(
            conn, [(i, line.body.release_to) for i, line in zip(ids, chunk, strict=True)]
        )
        await _history(conn, [(i, 1) for i in ids], "import", who.actor(None), now)


async def _new_versions(
    conn: AsyncConnection,
    who: Principal,
    now: datetime,
    batch_id: int,
    updates: Sequence[tuple[_Line, Any]],
) -> None:
    """Lines that update existing entries: each becomes the next, pending version."""
    conflicts = [
        FieldError(
            f"line {line.number}: external_ref",
            f"entry {entry.id} is {entry.status} with a change under review; settle it first",
        )
        for line, entry in updates
        if entry.status != "published" or entry.latest_version != entry.published_version
    ]
    if conflicts:
        raise ValidationFailed(
            conflicts[:MAX_REPORTED_ERRORS], detail="some lines update entries that are not settled"
        )
    rows = [
        _version_row(entry.id, entry.latest_version + 1, line, who, now, batch_id)
        for line, entry in updates
    ]
    for chunk in _chunks(rows):
        await conn.execute(insert(watchlist_versions), chunk)
    touched = [
        {
            "b_id": entry.id,
            "b_version": entry.latest_version + 1,
            "b_names": fold_names(line.content["names"]),
        }
        for line, entry in updates
    ]
    if touched:
        await conn.execute(
            update(watchlist_entries)
            .where(watchlist_entries.c.id == bindparam("b_id"))
            .values(
                latest_version=bindparam("b_version"),
                names_text=bindparam("b_names"),
                updated_at=now,
            ),
            touched,
        )
        await _history(
            conn, [(t["b_id"], t["b_version"]) for t in touched], "import", who.actor(None), now
        )


def _version_row(
    entry_id: int, version: int, line: _Line, who: Principal, now: datetime, batch_id: int
) -> dict[str, Any]:
    return {
        "entry_id": entry_id,
        "version": version,
        "kind": "content",
        "status": "pending",
        "content": json.dumps(line.content),
        "author": who.username,
        "created_at": now,
        "last_editor": who.username,
        "last_edited_at": now,
        "submitted_by": who.username,
        "submitted_at": now,
        "import_id": batch_id,
    }


async def _publish_entries(
    conn: AsyncConnection, now: datetime, contents: Sequence[tuple[int, int, dict[str, Any]]]
) -> None:
    if not contents:
        return
    await conn.execute(
        update(watchlist_entries)
        .where(watchlist_entries.c.id == bindparam("b_id"))
        .values(
            status="published",
            published_version=bindparam("b_version"),
            latest_version=bindparam("b_version"),
            expires_at=bindparam("b_expires"),
            category=bindparam("b_category"),
            updated_at=now,
        ),
        [
            {
                "b_id": e,
                "b_version": v,
                "b_expires": datetime.fromisoformat(c["expires_at"]),
                "b_category": c["category"],
            }
            for e, v, c in contents
        ],
    )
    for chunk in _chunks(list(contents)):
        await conn.execute(
            delete(entry_releases).where(entry_releases.c.entry_id.in_([e for e, _, _ in chunk]))
        )
    await _insert_releases(conn, [(e, c.get("release_to", [])) for e, _, c in contents])


async def _insert_releases(
    conn: AsyncConnection, releases: Sequence[tuple[int, Sequence[str]]]
) -> None:
    codes = {code for _, wanted in releases for code in wanted}
    if not codes:
        return
    ids = dict(
        (
            await conn.execute(
                select(agencies.c.code, agencies.c.id).where(agencies.c.code.in_(codes))
            )
        )
        .tuples()
        .all()
    )
    rows = [{"entry_id": e, "agency_id": ids[c]} for e, wanted in releases for c in set(wanted)]
    for chunk in _chunks(rows):
        await conn.execute(insert(entry_releases), chunk)


async def _history(
    conn: AsyncConnection,
    versions: Sequence[tuple[int, int]],
    action: str,
    actor: Actor,
    now: datetime,
    note: str | None = None,
) -> None:
    rows = [
        {
            "entry_id": e,
            "version": v,
            "action": action,
            "actor": actor.username or "system",
            "agency": actor.agency,
            "occurred_at": now,
            "note": note,
        }
        for e, v in versions
    ]
    for chunk in _chunks(rows):
        await conn.execute(insert(watchlist_events), chunk)


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


async def batch_status(conn: AsyncConnection, who: Principal, batch_id: int) -> dict[str, Any]:
    batch = (
        await conn.execute(select(watchlist_imports).where(watchlist_imports.c.id == batch_id))
    ).first()
    if batch is None or not policy.sees_all_versions(who, batch.owner_agency_id):
        raise NotFound(f"import {batch_id} does not exist")
    pending = (
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
        "versions": int(pending),
        "created_by": batch.created_by,
        "decided_by": batch.decided_by,
    }
