"""Retention: crossings that raised no alert are purged after a configured number of
days, by a background job that records what it purged in the audit log. Alerts and
their crossings stay.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from alertd import audit
from alertd.audit import AuditEvent
from alertd.tables import crossing_matches, crossings


async def purge_crossings(conn: AsyncConnection, now: datetime, days: int) -> int:
    cutoff = now - timedelta(days=days)
    stale = crossings.c.has_alert.is_(False) & (crossings.c.recorded_at < cutoff)
    span = (
        await conn.execute(
            select(func.count(), func.min(crossings.c.id), func.max(crossings.c.id)).where(stale)
        )
    ).one()
    count = int(span[0])
    if count == 0:
        return 0
    stale_ids = select(crossings.c.id).where(stale)
    await conn.execute(
        delete(crossing_matches).where(crossing_matches.c.crossing_id.in_(stale_ids))
    )
    await conn.execute(delete(crossings).where(stale))
    details = {
        "count": count,
        "first_id": span[1],
        "last_id": span[2],
        "recorded_before": cutoff.isoformat(),
    }
    await audit.record(
        conn, audit.SYSTEM, AuditEvent("crossing.purge", None, "success", details), now
    )
    return count
