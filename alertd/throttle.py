"""Failed sign-in throttling per account and per client address, shared by all nodes.

Failures are counted in the database within a sliding window; reaching the limit locks
the key for a while. A locked key answers 429 with ``Retry-After`` before any password
is checked, so guessing gains nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from alertd.config import Settings
from alertd.tables import login_failures


@dataclass(frozen=True)
class ThrottleRules:
    window: timedelta
    lockout: timedelta
    max_per_account: int
    max_per_address: int

    @classmethod
    def from_settings(cls, settings: Settings) -> ThrottleRules:
        return cls(
            window=timedelta(seconds=settings.login_window_seconds),
            lockout=timedelta(seconds=settings.login_lockout_seconds),
            max_per_account=settings.login_max_failures_per_account,
            max_per_address=settings.login_max_failures_per_address,
        )


def account_key(username: str) -> str:
    return "account:" + username.casefold()


def address_key(address: str) -> str:
    return "address:" + address


async def locked_for(conn: AsyncConnection, keys: list[str], now: datetime) -> int:
    """Seconds until every one of ``keys`` is unlocked; 0 if none is locked."""
    rows = await conn.execute(
        select(login_failures.c.locked_until).where(
            login_failures.c.key.in_(keys), login_failures.c.locked_until > now
        )
    )
    latest: datetime | None = max((row.locked_until for row in rows), default=None)
    if latest is None:
        return 0
    return max(1, math.ceil((latest - now).total_seconds()))


async def record_failure(
    conn: AsyncConnection, key: str, limit: int, rules: ThrottleRules, now: datetime
) -> None:
    failures = await _count_failure(conn, key, rules, now)
    if failures >= limit:
        await conn.execute(
            login_failures.update()
            .where(login_failures.c.key == key)
            .values(locked_until=now + rules.lockout, failures=0, window_started_at=now)
        )


async def _count_failure(
    conn: AsyncConnection, key: str, rules: ThrottleRules, now: datetime
) -> int:
    """Add one failure to ``key``'s window (starting a new window if it lapsed)."""
    try:
        # A savepoint: a concurrent first failure for the same key is not an error.
        async with conn.begin_nested():
            await conn.execute(
                login_failures.insert().values(key=key, failures=1, window_started_at=now)
            )
        return 1
    except IntegrityError:
        pass
    row = (
        await conn.execute(
            select(login_failures).where(login_failures.c.key == key).with_for_update()
        )
    ).one()
    in_window = row.window_started_at > now - rules.window
    failures = row.failures + 1 if in_window else 1
    await conn.execute(
        login_failures.update()
        .where(login_failures.c.key == key)
        .values(failures=failures, window_started_at=row.window_started_at if in_window else now)
    )
    return int(failures)


async def clear(conn: AsyncConnection, key: str) -> None:
    await conn.execute(delete(login_failures).where(login_failures.c.key == key))
