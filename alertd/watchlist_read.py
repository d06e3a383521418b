"""Reading the watchlist: lists, details and history, redacted by releasability.

Every read is an audit event in the same transaction as the read itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, Text, and_, column, or_, select, table, union
from sqlalchemy.ext.asyncio import AsyncConnection

from alertd import audit, policy
from alertd.audit import Actor, AuditEvent
from alertd.clock import isoformat
from alertd.errors import NotFound
from alertd.policy import Permission
from alertd.principal import Principal
from alertd.tables import (
    NAMES_SEARCH_TABLE,
    agencies,
    watchlist_entries,
    watchlist_events,
    watchlist_versions,
)
from alertd.watchlist import fold_names, released_to

MAX_PAGE = 200
# Trigram indexes find needles of at least this many characters.
TRIGRAM = 3
# SQLite's FTS5 trigram index of names_text (migration 0004; rowid = the entry's id).
NAMES_SEARCH = table(NAMES_SEARCH_TABLE, column("rowid", Integer), column("names_text", Text))


@dataclass(frozen=True)
class ListQuery:
    status: str | None = None
    category: str | None = None
    q: str | None = None
    after: int | None = None  # keyset pagination: entries with a smaller id come next
    limit: int = 50


async def list_entries(
    conn: AsyncConnection, who: Principal, actor: Actor, now: datetime, query: ListQuery
) -> dict[str, Any]:
    policy.require(who, Permission.READ_WATCHLIST)
    rows = (await conn.execute(list_statement(who, query, now, conn.dialect.name))).all()
    page = rows[: min(query.limit, MAX_PAGE)]
    items = [_summary(who, row, now) for row in page]
    details = {
        "status": query.status,
        "category": query.category,
        "q": query.q,
        "after": query.after,
        "returned": len(items),
    }
    await audit.record(conn, actor, AuditEvent("watchlist.list", None, "success", details), now)
    next_after = page[-1].id if len(rows) > len(page) else None
    return {"entries": items, "next_after": next_after}


def list_statement(who: Principal, query: ListQuery, now: datetime, dialect: str) -> Select[Any]:
    """One page of the entries ``who`` may see, newest first, and one more (to know
    whether a next page exists)."""
    return (
        select(watchlist_entries, agencies.c.code.label("owner"))
        .join(agencies, agencies.c.id == watchlist_entries.c.owner_agency_id)
        .where(policy.entry_visibility(who), *_filters(query, now, dialect))
        .order_by(watchlist_entries.c.id.desc())
        .limit(min(query.limit, MAX_PAGE) + 1)
    )


def _filters(query: ListQuery, now: datetime, dialect: str) -> list[Any]:
    filters: list[Any] = []
    if query.status == "expired":
        filters.append(
            or_(
                watchlist_entries.c.status == "expired",
                and_(
                    watchlist_entries.c.status == "published", watchlist_entries.c.expires_at <= now
                ),
            )
        )
    elif query.status == "published":
        filters.append(
            and_(watchlist_entries.c.status == "published", watchlist_entries.c.expires_at > now)
        )
    elif query.status:
        filters.append(watchlist_entries.c.status == query.status)
    if query.category:
        filters.append(watchlist_entries.c.category == query.category)
    if query.q:
        filters.append(_search(query.q, dialect))
    if query.after is not None:
        filters.append(watchlist_entries.c.id < query.after)
    return filters


def _search(q: str, dialect: str) -> ColumnElement[bool]:
    """``q=``: the folded names contain it, or it is the external reference.

    Both backends find names through a trigram index (migration 0004), which needs a
    needle of three characters or more; a shorter one is matched by scanning the
    entries newest first, which stops as soon as a page is full.
    """
    needle = fold_names([{"full": q}])
    matches = or_(
        watchlist_entries.c.names_text.contains(needle, autoescape=True),
        watchlist_entries.c.external_ref == q,
    )
    if dialect != "sqlite" or len(needle) < TRIGRAM:
        return matches  # PostgreSQL's planner takes the pg_trgm index for LIKE by itself
    # SQLite's planner cannot see through LIKE to the FTS5 table: the candidates are
    # named to it (the trigram phrase, or the reference), then checked as above.
    phrase = '"' + needle.replace('"', '""') + '"'
    by_names = select(NAMES_SEARCH.c.rowid).where(NAMES_SEARCH.c.names_text.match(phrase))
    by_ref = select(watchlist_entries.c.id).where(watchlist_entries.c.external_ref == q)
    candidates = union(by_names, by_ref)
    return and_(watchlist_entries.c.id.in_(candidates), matches)


def effective_status(status: str, expires_at: datetime | None, now: datetime) -> str:
    """Expiry takes effect at its instant, whether or not the expiry job has run."""
    if status == "published" and expires_at is not None and expires_at <= now:
        return "expired"
    return status


def _summary(who: Principal, row: Any, now: datetime) -> dict[str, Any]:
    owner_view = policy.sees_all_versions(who, row.owner_agency_id)
    return {
        "id": row.id,
        "owner": row.owner,
        "external_ref": row.external_ref,
        "category": row.category,
        "status": effective_status(row.status, row.expires_at, now),
        "published_version": row.published_version,
        "latest_version": row.latest_version if owner_view else row.published_version,
        "expires_at": isoformat(row.expires_at) if row.expires_at else None,
        "updated_at": isoformat(row.updated_at),
    }


async def entry_detail(
    conn: AsyncConnection, who: Principal, actor: Actor, now: datetime, entry_id: int
) -> dict[str, Any]:
    row = await _visible_row(conn, who, entry_id)
    owner_view = policy.sees_all_versions(who, row.owner_agency_id)
    shown = row.latest_version if owner_view else row.published_version
    version = (
        await conn.execute(
            select(watchlist_versions).where(
                watchlist_versions.c.entry_id == entry_id, watchlist_versions.c.version == shown
            )
        )
    ).one()
    content = policy.redact_content(who, row.owner_agency_id, json.loads(version.content))
    detail = _summary(who, row, now) | {
        "version": version.version,
        "version_status": version.status,
        "version_kind": version.kind,
        "entry": content,
    }
    await audit.record(
        conn,
        actor,
        AuditEvent("watchlist.read", f"entry:{entry_id}", "success", {"version": version.version}),
        now,
    )
    return detail


async def entry_history(
    conn: AsyncConnection, who: Principal, actor: Actor, now: datetime, entry_id: int
) -> dict[str, Any]:
    row = await _visible_row(conn, who, entry_id)
    owner_view = policy.sees_all_versions(who, row.owner_agency_id)
    versions_q = select(watchlist_versions).where(watchlist_versions.c.entry_id == entry_id)
    events_q = select(watchlist_events).where(watchlist_events.c.entry_id == entry_id)
    if not owner_view:  # released agencies see what was published, not the drafting
        versions_q = versions_q.where(
            watchlist_versions.c.status.in_(("published", "superseded", "withdrawn"))
        )
        events_q = events_q.where(watchlist_events.c.action.in_(("approve", "withdraw", "expire")))
    versions = [
        _version_view(who, row.owner_agency_id, v)
        for v in await conn.execute(versions_q.order_by(watchlist_versions.c.version))
    ]
    events = [
        {
            "version": e.version,
            "action": e.action,
            "actor": e.actor,
            "agency": e.agency,
            "at": isoformat(e.occurred_at),
            "note": e.note if owner_view else None,
        }
        for e in await conn.execute(events_q.order_by(watchlist_events.c.id))
    ]
    await audit.record(
        conn, actor, AuditEvent("watchlist.history", f"entry:{entry_id}", "success", {}), now
    )
    return {"id": entry_id, "versions": versions, "events": events}


def _version_view(who: Principal, owner_agency_id: int, v: Any) -> dict[str, Any]:
    return {
        "version": v.version,
        "kind": v.kind,
        "status": v.status,
        "author": v.author,
        "created_at": isoformat(v.created_at),
        "last_editor": v.last_editor,
        "submitted_by": v.submitted_by,
        "decided_by": v.decided_by,
        "decided_at": isoformat(v.decided_at) if v.decided_at else None,
        "entry": policy.redact_content(who, owner_agency_id, json.loads(v.content)),
    }


async def _visible_row(conn: AsyncConnection, who: Principal, entry_id: int) -> Any:
    policy.require(who, Permission.READ_WATCHLIST)
    row = (
        await conn.execute(
            select(watchlist_entries, agencies.c.code.label("owner"))
            .join(agencies, agencies.c.id == watchlist_entries.c.owner_agency_id)
            .where(watchlist_entries.c.id == entry_id)
        )
    ).first()
    if row is None or not policy.can_see_entry(
        who, row.owner_agency_id, await released_to(conn, entry_id), row.status
    ):
        raise NotFound(f"watchlist entry {entry_id} does not exist")
    return row


async def export_entries(
    conn: AsyncConnection, who: Principal, actor: Actor, now: datetime
) -> list[dict[str, Any]]:
    """The published content of every entry the caller may see, redacted."""
    policy.require(who, Permission.READ_WATCHLIST)
    rows = await conn.execute(
        select(
            watchlist_entries.c.id,
            watchlist_entries.c.owner_agency_id,
            watchlist_entries.c.expires_at,
            agencies.c.code.label("owner"),
            watchlist_versions.c.version,
            watchlist_versions.c.content,
        )
        .join(agencies, agencies.c.id == watchlist_entries.c.owner_agency_id)
        .join(
            watchlist_versions,
            and_(
                watchlist_versions.c.entry_id == watchlist_entries.c.id,
                watchlist_versions.c.version == watchlist_entries.c.published_version,
            ),
        )
        .where(
            policy.entry_visibility(who),
            watchlist_entries.c.status == "published",
            watchlist_entries.c.expires_at > now,
        )
        .order_by(watchlist_entries.c.id)
    )
    items = [
        {"id": r.id, "owner": r.owner, "version": r.version}
        | policy.redact_content(who, r.owner_agency_id, json.loads(r.content))
        for r in rows
    ]
    await audit.record(
        conn, actor, AuditEvent("watchlist.export", None, "success", {"count": len(items)}), now
    )
    return items
