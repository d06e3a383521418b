"""The watchlist register: entries, versions and the four-eyes workflow.

    draft ──submit──▶ pending ──approve──▶ published ──edit──▶ new version, pending
      ▲                  │                     │
      └──────reject──────┘                     └──withdraw──▶ pending withdrawal
                                                                 └──approve──▶ withdrawn

Every decision is taken by a second person (``policy.may_decide``). A published version
keeps matching until its successor is approved; withdrawal and expiry are states, and
no version is ever deleted. Each function writes its audit event and history in the
caller's transaction and returns the ``EntryChange``s the matching index must apply
once that transaction has committed.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from alertd import audit, policy
from alertd.audit import Actor, AuditEvent
from alertd.entries import EntryBody
from alertd.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from alertd.policy import Permission
from alertd.principal import Principal
from alertd.tables import (
    agencies,
    entry_releases,
    watchlist_entries,
    watchlist_events,
    watchlist_versions,
)

ChangeKind = Literal["publish", "remove"]
# Entries marked expired per sweep (see ``expire_due``).
EXPIRE_PER_SWEEP = 1000


@dataclass(frozen=True)
class EntryChange:
    """What the matching index must do once the transaction has committed."""

    kind: ChangeKind
    entry_id: int
    version: int
    content: dict[str, Any] | None = None


class ChangeFeed(Protocol):
    """Where committed watchlist changes go: the matching index (on every node)."""

    def apply(self, changes: Sequence[EntryChange]) -> None: ...


class FeedFanout:
    """One ChangeFeed that passes every change to several (the index, retro-screening)."""

    def __init__(self, *feeds: ChangeFeed) -> None:
        self._feeds = feeds

    def apply(self, changes: Sequence[EntryChange]) -> None:
        for feed in self._feeds:
            feed.apply(changes)


@dataclass(frozen=True)
class Outcome:
    entry_id: int
    version: int
    status: str
    changes: tuple[EntryChange, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.entry_id, "version": self.version, "status": self.status}


@dataclass(frozen=True)
class Rules:
    max_expiry_days: int


@dataclass(frozen=True)
class _Entry:
    id: int
    owner_agency_id: int
    status: str
    latest_version: int
    published_version: int | None


@dataclass(frozen=True)
class _Version:
    version: int
    kind: str
    status: str
    content: dict[str, Any]
    author: str
    last_editor: str
    submitted_by: str | None
    import_id: int | None


def fold_names(body_names: Sequence[dict[str, Any]]) -> str:
    """Names folded for the list filter: case- and accent-insensitive substring search."""
    folded = []
    for name in body_names:
        text = name["full"].casefold()
        if not text.isascii():  # ASCII has no marks to strip: the common case, kept cheap
            decomposed = unicodedata.normalize("NFKD", text)
            text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        folded.append(text)
    return " | ".join(folded)


async def create(
    conn: AsyncConnection,
    who: Principal,
    actor: Actor,
    now: datetime,
    body: EntryBody,
    rules: Rules,
) -> Outcome:
    policy.require(who, Permission.EDIT_WATCHLIST)
    content = await checked_content(conn, body, now, rules)
    entry_id = await _insert_entry(conn, who, now, body, content)
    await _insert_version(conn, entry_id, 1, "content", "draft", content, who.username, now)
    await _history(conn, entry_id, 1, "create", actor, now)
    await _audit(conn, actor, now, "watchlist.create", entry_id, {"version": 1})
    return Outcome(entry_id, 1, "draft")


async def edit(
    conn: AsyncConnection,
    who: Principal,
    actor: Actor,
    now: datetime,
    entry_id: int,
    body: EntryBody,
    rules: Rules,
) -> Outcome:
    """Change an entry: a draft is edited in place; a published entry gets a new pending version."""
    policy.require(who, Permission.EDIT_WATCHLIST)
    entry = await _owned_entry(conn, who, entry_id)
    if entry.status == "withdrawn":
        # De-listing is final; an expired entry, by contrast, may be renewed by an edit.
        raise Conflict(f"entry {entry_id} is withdrawn; it cannot be edited")
    content = await checked_content(conn, body, now, rules)
    latest = await _version(conn, entry_id, entry.latest_version)
    _refuse_import_version(latest)
    if latest.kind == "withdrawal" and latest.status == "pending":
        raise Conflict("a withdrawal of this entry is pending review; it cannot be edited now")
    if latest.status in ("draft", "pending"):
        version, status = latest.version, "draft"
        await conn.execute(
            update(watchlist_versions)
            .where(_version_key(entry_id, version))
            .values(
                content=json.dumps(content),
                status="draft",
                last_editor=who.username,
                last_edited_at=now,
                submitted_by=None,
                submitted_at=None,
            )
        )
    elif entry.published_version is None:
        # Never published and its last version decided (a rejected import): a new draft,
        # since a decided version is never rewritten.
        version, status = entry.latest_version + 1, "draft"
        await _insert_version(
            conn, entry_id, version, "content", "draft", content, who.username, now
        )
    else:  # published: the change is a new version, pending review at once
        version, status = entry.latest_version + 1, "pending"
        await _insert_version(
            conn,
            entry_id,
            version,
            "content",
            "pending",
            content,
            who.username,
            now,
            submitted=True,
        )
    await _touch_entry(conn, entry, version, body, now)
    await _history(conn, entry_id, version, "edit", actor, now)
    await _audit(conn, actor, now, "watchlist.edit", entry_id, {"version": version})
    return Outcome(entry_id, version, status)


async def submit(
    conn: AsyncConnection, who: Principal, actor: Actor, now: datetime, entry_id: int
) -> Outcome:
    policy.require(who, Permission.EDIT_WATCHLIST)
    entry = await _owned_entry(conn, who, entry_id)
    latest = await _version(conn, entry_id, entry.latest_version)
    if latest.status != "draft":
        raise Conflict(f"version {latest.version} is {latest.status}, not a draft")
    await conn.execute(
        update(watchlist_versions)
        .where(_version_key(entry_id, latest.version))
        .values(status="pending", submitted_by=who.username, submitted_at=now)
    )
    if entry.published_version is None:
        await _set_entry(conn, entry_id, now, status="pending")
    await _history(conn, entry_id, latest.version, "submit", actor, now)
    await _audit(conn, actor, now, "watchlist.submit", entry_id, {"version": latest.version})
    return Outcome(entry_id, latest.version, "pending")


async def approve(
    conn: AsyncConnection, who: Principal, actor: Actor, now: datetime, entry_id: int
) -> Outcome:
    policy.require(who, Permission.APPROVE_WATCHLIST)
    entry, latest = await _pending_change(conn, who, entry_id)
    _check_decider(who, entry, latest)
    decided = {"decided_by": who.username, "decided_at": now}
    if latest.kind == "withdrawal":
        outcome = await _withdraw_now(conn, entry, latest, now, decided)
        action = "watchlist.withdraw"
    else:
        outcome = await _publish(conn, entry, latest, now, decided)
        action = "watchlist.approve"
    await _history(conn, entry_id, latest.version, action.split(".")[1], actor, now)
    await _audit(conn, actor, now, action, entry_id, {"version": latest.version})
    return outcome


async def reject(
    conn: AsyncConnection, who: Principal, actor: Actor, now: datetime, entry_id: int, reason: str
) -> Outcome:
    policy.require(who, Permission.APPROVE_WATCHLIST)
    entry, latest = await _pending_change(conn, who, entry_id)
    _check_decider(who, entry, latest)
    # A rejected content change goes back to its author as a draft; a rejected
    # withdrawal is closed, and the entry stays published.
    new_status = "rejected" if latest.kind == "withdrawal" else "draft"
    await conn.execute(
        update(watchlist_versions)
        .where(_version_key(entry_id, latest.version))
        .values(status=new_status, decided_by=who.username, decided_at=now, decision_note=reason)
    )
    if entry.published_version is None:
        await _set_entry(conn, entry_id, now, status="draft")
    await _history(conn, entry_id, latest.version, "reject", actor, now, reason)
    await _audit(
        conn,
        actor,
        now,
        "watchlist.reject",
        entry_id,
        {"version": latest.version, "reason": reason},
    )
    status = "published" if entry.published_version is not None else "draft"
    return Outcome(entry_id, latest.version, status)


async def request_withdrawal(
    conn: AsyncConnection, who: Principal, actor: Actor, now: datetime, entry_id: int, reason: str
) -> Outcome:
    if not (
        policy.allows(who, Permission.EDIT_WATCHLIST)
        or policy.allows(who, Permission.APPROVE_WATCHLIST)
    ):
        raise PermissionDenied("only watchlist editors and approvers may withdraw entries")
    entry = await _entry(conn, who, entry_id)
    if who.agency_id != entry.owner_agency_id:
        raise PermissionDenied("only the owning agency may withdraw its entries")
    if entry.status != "published" or entry.published_version is None:
        raise Conflict(
            f"entry {entry_id} is {entry.status}; only published entries can be withdrawn"
        )
    latest = await _version(conn, entry_id, entry.latest_version)
    if latest.status in ("draft", "pending"):
        raise Conflict("another change to this entry is in draft or pending; settle it first")
    published = await _version(conn, entry_id, entry.published_version)
    version = entry.latest_version + 1
    await _insert_version(
        conn,
        entry_id,
        version,
        "withdrawal",
        "pending",
        published.content,
        who.username,
        now,
        submitted=True,
        note=reason,
    )
    await _set_entry(conn, entry_id, now, latest_version=version)
    await _history(conn, entry_id, version, "withdraw_request", actor, now, reason)
    await _audit(
        conn,
        actor,
        now,
        "watchlist.withdraw_request",
        entry_id,
        {"version": version, "reason": reason},
    )
    return Outcome(entry_id, version, "pending_withdrawal")


async def expire_due(conn: AsyncConnection, now: datetime) -> list[EntryChange]:
    """Mark published entries whose expiry has passed as expired (matching has already
    stopped at the instant itself: the index checks expiry on every query).

    At most ``EXPIRE_PER_SWEEP`` entries a call: a list imported at once expires at
    once, and one transaction for all of it would hold the write lock for minutes.
    The next sweep takes the rest. Each entry still gets its own audit event.
    """
    due = (
        await conn.execute(
            select(watchlist_entries.c.id, watchlist_entries.c.published_version)
            .where(watchlist_entries.c.status == "published", watchlist_entries.c.expires_at <= now)
            .order_by(watchlist_entries.c.id)
            .limit(EXPIRE_PER_SWEEP)
        )
    ).all()
    if not due:
        return []
    await conn.execute(
        update(watchlist_entries)
        .where(watchlist_entries.c.id.in_([row.id for row in due]))
        .values(status="expired", updated_at=now)
    )
    await conn.execute(
        insert(watchlist_events),
        [_history_row(row.id, row.published_version, "expire", audit.SYSTEM, now) for row in due],
    )
    for row in due:
        await _audit(
            conn, audit.SYSTEM, now, "watchlist.expire", row.id, {"version": row.published_version}
        )
    return [EntryChange("remove", row.id, row.published_version) for row in due]


async def checked_content(
    conn: AsyncConnection, body: EntryBody, now: datetime, rules: Rules
) -> dict[str, Any]:
    """The version content, after the checks a schema cannot make alone."""
    errors = []
    problem = expiry_problem(body, now, rules)
    if problem:
        errors.append(FieldError("expires_at", problem))
    known = set(
        (
            await conn.execute(select(agencies.c.code).where(agencies.c.code.in_(body.release_to)))
        ).scalars()
    )
    for index, code in enumerate(body.release_to):
        if code not in known:
            errors.append(FieldError(f"release_to.{index}", f"agency {code!r} does not exist"))
    if errors:
        raise ValidationFailed(errors)
    return body.content()


def expiry_problem(body: EntryBody, now: datetime, rules: Rules) -> str | None:
    """Why an entry's expiry is refused, or None. A bare date counts through its last day."""
    expiry = body.expiry_instant()
    if expiry <= now:
        return "must be in the future"
    if expiry > now + timedelta(days=rules.max_expiry_days + 1):
        return f"must be at most {rules.max_expiry_days} days ahead; review it then"
    return None


# --- the steps the workflow is made of -------------------------------------------------


async def _publish(
    conn: AsyncConnection, entry: _Entry, latest: _Version, now: datetime, decided: dict[str, Any]
) -> Outcome:
    if entry.published_version is not None:
        await conn.execute(
            update(watchlist_versions)
            .where(_version_key(entry.id, entry.published_version))
            .values(status="superseded")
        )
    await conn.execute(
        update(watchlist_versions)
        .where(_version_key(entry.id, latest.version))
        .values(status="published", **decided)
    )
    expires_at = datetime.fromisoformat(latest.content["expires_at"])
    await _set_entry(
        conn,
        entry.id,
        now,
        status="published",
        published_version=latest.version,
        expires_at=expires_at,
        category=latest.content["category"],
        names_text=fold_names(latest.content["names"]),
    )
    await _set_releases(conn, entry.id, latest.content.get("release_to", []))
    change = EntryChange("publish", entry.id, latest.version, latest.content)
    return Outcome(entry.id, latest.version, "published", (change,))


async def _withdraw_now(
    conn: AsyncConnection, entry: _Entry, latest: _Version, now: datetime, decided: dict[str, Any]
) -> Outcome:
    await conn.execute(
        update(watchlist_versions)
        .where(_version_key(entry.id, latest.version))
        .values(status="withdrawn", **decided)
    )
    await _set_entry(conn, entry.id, now, status="withdrawn")
    change = EntryChange("remove", entry.id, latest.version)
    return Outcome(entry.id, latest.version, "withdrawn", (change,))


def _check_decider(who: Principal, entry: _Entry, latest: _Version) -> None:
    refusal = policy.may_decide(
        who,
        entry.owner_agency_id,
        author=latest.author,
        last_editor=latest.last_editor,
        submitted_by=latest.submitted_by,
    )
    if refusal:
        raise PermissionDenied(refusal)


async def _pending_change(
    conn: AsyncConnection, who: Principal, entry_id: int
) -> tuple[_Entry, _Version]:
    entry = await _entry(conn, who, entry_id)
    latest = await _version(conn, entry_id, entry.latest_version)
    if latest.status != "pending":
        raise Conflict(f"entry {entry_id} has no change pending review")
    _refuse_import_version(latest)
    return entry, latest


def _refuse_import_version(latest: _Version) -> None:
    """A pending version from an import is decided with its batch, never alone, so a
    batch is published or discarded whole."""
    if latest.status == "pending" and latest.import_id is not None:
        raise Conflict(
            f"version {latest.version} is part of import {latest.import_id}, pending review; "
            "approve or reject the import"
        )


async def _entry(conn: AsyncConnection, who: Principal, entry_id: int) -> _Entry:
    """The entry if the caller may see it; 404 otherwise, whether absent or not released."""
    # FOR UPDATE: two approvers deciding at once are serialised on PostgreSQL (SQLite's
    # BEGIN IMMEDIATE serialises every writer already).
    row = (
        await conn.execute(
            select(watchlist_entries).where(watchlist_entries.c.id == entry_id).with_for_update()
        )
    ).first()
    if row is not None:
        released = await released_to(conn, entry_id)
        if policy.can_see_entry(who, row.owner_agency_id, released, row.status):
            return _Entry(
                row.id, row.owner_agency_id, row.status, row.latest_version, row.published_version
            )
    raise NotFound(f"watchlist entry {entry_id} does not exist")


async def _owned_entry(conn: AsyncConnection, who: Principal, entry_id: int) -> _Entry:
    entry = await _entry(conn, who, entry_id)
    if who.agency_id != entry.owner_agency_id:
        raise PermissionDenied("only the owning agency may change its entries")
    return entry


async def released_to(conn: AsyncConnection, entry_id: int) -> set[int]:
    rows = await conn.execute(
        select(entry_releases.c.agency_id).where(entry_releases.c.entry_id == entry_id)
    )
    return set(rows.scalars())


async def _version(conn: AsyncConnection, entry_id: int, version: int) -> _Version:
    row = (
        await conn.execute(select(watchlist_versions).where(_version_key(entry_id, version)))
    ).one()
    return _Version(
        row.version,
        row.kind,
        row.status,
        json.loads(row.content),
        row.author,
        row.last_editor,
        row.submitted_by,
        row.import_id,
    )


def _version_key(entry_id: int, version: int) -> Any:
    return (watchlist_versions.c.entry_id == entry_id) & (watchlist_versions.c.version == version)


async def _insert_entry(
    conn: AsyncConnection, who: Principal, now: datetime, body: EntryBody, content: dict[str, Any]
) -> int:
    row = {
        "owner_agency_id": who.agency_id,
        "external_ref": body.external_ref,
        "category": body.category.value,
        "status": "draft",
        "latest_version": 1,
        "names_text": fold_names(content["names"]),
        "created_by": who.username,
        "created_at": now,
        "updated_at": now,
    }
    try:
        async with conn.begin_nested():
            result = await conn.execute(insert(watchlist_entries).values(**row))
    except IntegrityError:
        raise Conflict(
            f"your agency already has an entry with external_ref {body.external_ref!r}"
        ) from None
    key = result.inserted_primary_key
    assert key is not None
    entry_id = int(key[0])
    await _set_releases(conn, entry_id, content.get("release_to", []))
    return entry_id


async def _insert_version(
    conn: AsyncConnection,
    entry_id: int,
    version: int,
    kind: str,
    status: str,
    content: dict[str, Any],
    username: str,
    now: datetime,
    *,
    submitted: bool = False,
    note: str | None = None,
) -> None:
    await conn.execute(
        insert(watchlist_versions).values(
            entry_id=entry_id,
            version=version,
            kind=kind,
            status=status,
            content=json.dumps(content),
            author=username,
            created_at=now,
            last_editor=username,
            last_edited_at=now,
            submitted_by=username if submitted else None,
            submitted_at=now if submitted else None,
            decision_note=note,
        )
    )


async def _touch_entry(
    conn: AsyncConnection, entry: _Entry, version: int, body: EntryBody, now: datetime
) -> None:
    values: dict[str, Any] = {"latest_version": version}
    if entry.published_version is None:
        # Unpublished: the newest draft decides the names searched, the category and who
        # it will be released to. Once published, these follow the published version
        # (set when a change is approved), so released agencies never find an entry
        # by a name that is still under review.
        values |= {
            "category": body.category.value,
            "status": "draft",
            "names_text": fold_names([n.model_dump() for n in body.names]),
        }
        await _set_releases(conn, entry.id, body.release_to)
    await _set_entry(conn, entry.id, now, **values)


async def _set_entry(conn: AsyncConnection, entry_id: int, now: datetime, **values: Any) -> None:
    await conn.execute(
        update(watchlist_entries)
        .where(watchlist_entries.c.id == entry_id)
        .values(updated_at=now, **values)
    )


async def _set_releases(conn: AsyncConnection, entry_id: int, codes: Sequence[str]) -> None:
    await conn.execute(delete(entry_releases).where(entry_releases.c.entry_id == entry_id))
    if codes:
        ids = (
            (await conn.execute(select(agencies.c.id).where(agencies.c.code.in_(codes))))
            .scalars()
            .all()
        )
        await conn.execute(
            insert(entry_releases), [{"entry_id": entry_id, "agency_id": a} for a in ids]
        )


async def _history(
    conn: AsyncConnection,
    entry_id: int,
    version: int,
    action: str,
    actor: Actor,
    now: datetime,
    note: str | None = None,
) -> None:
    await conn.execute(
        insert(watchlist_events).values(**_history_row(entry_id, version, action, actor, now, note))
    )


def _history_row(
    entry_id: int,
    version: int,
    action: str,
    actor: Actor,
    now: datetime,
    note: str | None = None,
) -> dict[str, Any]:
    return {
        "entry_id": entry_id,
        "version": version,
        "action": action,
        "actor": actor.username or "system",
        "agency": actor.agency,
        "occurred_at": now,
        "note": note,
    }


async def _audit(
    conn: AsyncConnection,
    actor: Actor,
    now: datetime,
    action: str,
    entry_id: int,
    details: dict[str, Any],
) -> None:
    await audit.record(
        conn, actor, AuditEvent(action, f"entry:{entry_id}", "success", details), now
    )


async def count_published(conn: AsyncConnection) -> int:
    found = await conn.execute(
        select(func.count())
        .select_from(watchlist_entries)
        .where(watchlist_entries.c.status == "published")
    )
    return int(found.scalar_one())
