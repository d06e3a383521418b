"""Idempotency keys: a retried submission gets the first answer, not a second crossing.

The key is claimed first thing in the submission's transaction, so a concurrent retry
waits on it (PostgreSQL) or on the write lock (SQLite) and then finds the stored answer.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

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


async def claim(
    conn: AsyncConnection, user_id: int, key: str, request_hash: str, now: datetime
) -> bool:
    """Claim the key in this transaction; False if another submission already holds it."""
    try:
        async with conn.begin_nested():
            await conn.execute(
                insert(idempotency_keys).values(
                    user_id=user_id,
                    key=key,
                    request_hash=request_hash,
                    response=PENDING,
                    created_at=now,
                )
            )
    except IntegrityError:
        return False
    return True


async def remember(conn: AsyncConnection, user_id: int, key: str, answer: dict[str, Any]) -> None:
    await conn.execute(
        update(idempotency_keys)
        .where(idempotency_keys.c.user_id == user_id, idempotency_keys.c.key == key)
        .values(response=json.dumps(answer, ensure_ascii=False))
    )


async def forget_before(conn: AsyncConnection, cutoff: datetime) -> int:
    result = await conn.execute(
        delete(idempotency_keys).where(idempotency_keys.c.created_at < cutoff)
    )
    return int(result.rowcount)
