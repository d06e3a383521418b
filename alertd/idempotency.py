"""Idempotency keys: a retried submission gets the first answer, not a second crossing.

The key is claimed first thing in the submission's write transaction, so a concurrent
retry waits on it (PostgreSQL) or on the write lock (SQLite) and then finds the stored
answer. A first submission (nearly all of them) costs that one insert: nothing is read
before, and a retry that loses the claim reads the stored answer then.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from alertd.db import Driver, DriverStatement
from alertd.errors import Conflict, FieldError, ValidationFailed
from alertd.tables import idempotency_keys

MAX_KEY_LENGTH = 100
PENDING = ""


def check_key(key: str) -> str:
    if not 0 < len(key) <= MAX_KEY_LENGTH or not key.isprintable():
        raise ValidationFailed(
            [FieldError("Idempotency-Key", f"must be 1 to {MAX_KEY_LENGTH} printable characters")]
        )
    return key


async def stored_answer(
    conn: AsyncConnection, user_id: int, key: str, request_hash: str
) -> dict[str, Any] | None:
    row = (
        await conn.execute(
            select(idempotency_keys).where(
                idempotency_keys.c.user_id == user_id, idempotency_keys.c.key == key
            )
        )
    ).first()
    if row is None or row.response == PENDING:
        return None
    if row.request_hash != request_hash:
        raise Conflict("this Idempotency-Key was used for a different request")
    answer: dict[str, Any] = json.loads(row.response)
    return answer


# One statement, no savepoint: a key already held is skipped, not an error to roll back.
_CLAIMS = {
    dialect: insert_of(idempotency_keys)
    .on_conflict_do_nothing()
    .returning(idempotency_keys.c.user_id)
    for dialect, insert_of in (("postgresql", postgresql_insert), ("sqlite", sqlite_insert))
}


async def claim(
    conn: AsyncConnection, user_id: int, key: str, request_hash: str, now: datetime
) -> bool:
    """Claim the key in this transaction; False if another submission already holds it."""
    claimed = await conn.execute(
        _CLAIMS[conn.dialect.name],
        {
            "user_id": user_id,
            "key": key,
            "request_hash": request_hash,
            "response": PENDING,
            "created_at": now,
        },
    )
    return claimed.first() is not None


async def remember(conn: AsyncConnection, user_id: int, key: str, answer: dict[str, Any]) -> None:
    await conn.execute(
        update(idempotency_keys)
        .where(idempotency_keys.c.user_id == user_id, idempotency_keys.c.key == key)
        .values(response=json.dumps(answer, ensure_ascii=False))
    )


# The same claim and answer for a transaction run on the driver (db.driver_transaction).
_CLAIM_ON_DRIVER = DriverStatement.of(_CLAIMS["postgresql"])
_REMEMBER_ON_DRIVER = DriverStatement.of(
    update(idempotency_keys)
    .where(
        idempotency_keys.c.user_id == bindparam("claimed_by"),
        idempotency_keys.c.key == bindparam("claimed_key"),
    )
    .values(response=bindparam("answer"))
)


async def claim_on_driver(
    driver: Driver, user_id: int, key: str, request_hash: str, now: datetime
) -> bool:
    """``claim`` in a transaction on the driver (PostgreSQL)."""
    values = {
        "user_id": user_id,
        "key": key,
        "request_hash": request_hash,
        "response": PENDING,
        "created_at": now,
    }
    claimed = await driver.fetch(_CLAIM_ON_DRIVER.sql, *_CLAIM_ON_DRIVER.args(values))
    return bool(claimed)


async def remember_on_driver(
    driver: Driver, answers: Sequence[tuple[int, str, dict[str, Any]]]
) -> None:
    """``remember`` each (user id, key, answer), in a transaction on the driver."""
    if not answers:
        return
    rows = [
        {
            "claimed_by": user_id,
            "claimed_key": key,
            "answer": json.dumps(answer, ensure_ascii=False),
        }
        for user_id, key, answer in answers
    ]
    await driver.executemany(
        _REMEMBER_ON_DRIVER.sql, [_REMEMBER_ON_DRIVER.args(row) for row in rows]
    )


async def forget_before(conn: AsyncConnection, cutoff: datetime) -> int:
    result = await conn.execute(
        delete(idempotency_keys).where(idempotency_keys.c.created_at < cutoff)
    )
    return int(result.rowcount)
