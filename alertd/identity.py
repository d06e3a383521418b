"""Agencies, checkpoints, desks and users: the people and places alertd knows.

Every change here is an audit event in the same transaction. The CLI and the admin REST
endpoints both call these functions, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import pyotp
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from alertd import audit
from alertd.audit import Actor, AuditEvent
from alertd.errors import Conflict, NotFound
from alertd.roles import Role
from alertd.tables import (
    agencies,
    auth_sessions,
    checkpoints,
    desks,
    user_checkpoints,
    user_roles,
    users,
)

DeskHandles = Literal["all", "suspects", "victims"]


@dataclass(frozen=True)
class Agency:
    id: int
    code: str
    name: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "code": self.code, "name": self.name}


@dataclass(frozen=True)
class Checkpoint:
    id: int
    code: str
    name: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "code": self.code, "name": self.name}


@dataclass(frozen=True)
class Desk:
    id: int
    agency: str
    name: str
    checkpoint: str | None
    is_headquarters: bool
    handles: DeskHandles

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "agency": self.agency,
            "name": self.name,
            "checkpoint": self.checkpoint,
            "is_headquarters": self.is_headquarters,
            "handles": self.handles,
        }


@dataclass(frozen=True)
class User:
    id: int
    username: str
    agency: str
    desk_id: int | None
    roles: tuple[Role, ...]
    checkpoints: tuple[str, ...]
    disabled: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "username": self.username,
            "agency": self.agency,
            "desk": self.desk_id,
            "roles": [role.value for role in self.roles],
            "checkpoints": list(self.checkpoints),
            "disabled": self.disabled,
        }


@dataclass(frozen=True)
class NewUser:
    username: str
    agency: str
    roles: tuple[Role, ...]
    password_hash: str
    desk_id: int | None = None
    checkpoints: tuple[str, ...] = ()


@dataclass(frozen=True)
class CreatedUser:
    user: User
    totp_secret: str | None

    def provisioning_uri(self, issuer: str) -> str | None:
        if self.totp_secret is None:
            return None
        return pyotp.TOTP(self.totp_secret).provisioning_uri(
            name=self.user.username, issuer_name=issuer
        )


async def add_agency(
    conn: AsyncConnection, actor: Actor, now: datetime, code: str, name: str
) -> Agency:
    agency_id = await _insert(
        conn, agencies, {"code": code, "name": name, "created_at": now}, f"agency {code}"
    )
    await _audit(conn, actor, now, "agency.create", f"agency:{code}", {"name": name})
    return Agency(agency_id, code, name)


async def add_checkpoint(
    conn: AsyncConnection, actor: Actor, now: datetime, code: str, name: str
) -> Checkpoint:
    row = {"code": code, "name": name, "created_at": now}
    checkpoint_id = await _insert(conn, checkpoints, row, f"checkpoint {code}")
    await _audit(conn, actor, now, "checkpoint.create", f"checkpoint:{code}", {"name": name})
    return Checkpoint(checkpoint_id, code, name)


async def add_desk(
    conn: AsyncConnection,
    actor: Actor,
    now: datetime,
    *,
    agency: str,
    name: str,
    checkpoint: str | None = None,
    is_headquarters: bool = False,
    handles: DeskHandles = "all",
) -> Desk:
    agency_row = await agency_by_code(conn, agency)
    checkpoint_id = (await checkpoint_by_code(conn, checkpoint)).id if checkpoint else None
    row = {
        "agency_id": agency_row.id,
        "name": name,
        "checkpoint_id": checkpoint_id,
        "is_headquarters": is_headquarters,
        "handles": handles,
        "created_at": now,
    }
    desk_id = await _insert(conn, desks, row, f"desk {name!r} of {agency}")
    desk = Desk(desk_id, agency, name, checkpoint, is_headquarters, handles)
    await _audit(conn, actor, now, "desk.create", f"desk:{desk_id}", desk.to_dict())
    return desk


async def add_user(
    conn: AsyncConnection, actor: Actor, now: datetime, new: NewUser, *, with_totp: bool
) -> CreatedUser:
    agency_row = await agency_by_code(conn, new.agency)
    desk_checkpoints = await _check_desk(conn, new.desk_id, agency_row.code)
    checkpoint_ids = [
        (await checkpoint_by_code(conn, code)).id for code in dict.fromkeys(new.checkpoints)
    ]
    secret = pyotp.random_base32() if with_totp else None
    row = {
        "username": new.username,
        "agency_id": agency_row.id,
        "desk_id": new.desk_id,
        "password_hash": new.password_hash,
        "totp_secret": secret,
        "created_at": now,
    }
    user_id = await _insert(conn, users, row, f"user {new.username}")
    roles = tuple(dict.fromkeys(new.roles))
    await conn.execute(user_roles.insert(), [{"user_id": user_id, "role": r} for r in roles])
    all_checkpoints = set(checkpoint_ids) | desk_checkpoints
    if all_checkpoints:
        await conn.execute(
            user_checkpoints.insert(),
            [{"user_id": user_id, "checkpoint_id": c} for c in sorted(all_checkpoints)],
        )
    user = await user_by_id(conn, user_id)
    details = user.to_dict() | {"totp": secret is not None}
    await _audit(conn, actor, now, "user.create", f"user:{new.username}", details)
    return CreatedUser(user, secret)


async def disable_user(conn: AsyncConnection, actor: Actor, now: datetime, username: str) -> User:
    """Disable an account and revoke every session it has, effective on the next request."""
    user = await user_by_username(conn, username)
    await conn.execute(
        update(users)
        .where(users.c.id == user.id, users.c.disabled_at.is_(None))
        .values(disabled_at=now)
    )
    await revoke_sessions(conn, user.id, now, reason="user_disabled")
    await _audit(conn, actor, now, "user.disable", f"user:{username}", {})
    return await user_by_id(conn, user.id)


async def revoke_sessions(conn: AsyncConnection, user_id: int, now: datetime, reason: str) -> None:
    await conn.execute(
        update(auth_sessions)
        .where(auth_sessions.c.user_id == user_id, auth_sessions.c.revoked_at.is_(None))
        .values(revoked_at=now, revoked_reason=reason)
    )


async def set_roles(
    conn: AsyncConnection, actor: Actor, now: datetime, username: str, roles: Iterable[Role]
) -> User:
    user = await user_by_username(conn, username)
    wanted = tuple(dict.fromkeys(roles))
    await conn.execute(delete(user_roles).where(user_roles.c.user_id == user.id))
    await conn.execute(user_roles.insert(), [{"user_id": user.id, "role": r} for r in wanted])
    # New roles must not ride on tokens issued for the old ones.
    await revoke_sessions(conn, user.id, now, reason="roles_changed")
    details = {"roles": [r.value for r in wanted]}
    await _audit(conn, actor, now, "user.set_roles", f"user:{username}", details)
    return await user_by_id(conn, user.id)


async def provision_totp(
    conn: AsyncConnection, actor: Actor, now: datetime, username: str
) -> CreatedUser:
    """Give ``username`` a TOTP secret if they have none (their new role needs one).

    Without it a user promoted to a role that needs a second factor could never sign in
    again. The answer carries the new secret, or None if they already had one.
    """
    user = await user_by_username(conn, username)
    secret = pyotp.random_base32()
    created = await conn.execute(
        update(users)
        .where(users.c.id == user.id, users.c.totp_secret.is_(None))
        .values(totp_secret=secret, totp_last_step=None)
    )
    if created.rowcount != 1:
        return CreatedUser(user, None)
    await _audit(conn, actor, now, "user.totp_provision", f"user:{username}", {})
    return CreatedUser(user, secret)


async def agency_by_code(conn: AsyncConnection, code: str) -> Agency:
    row = (await conn.execute(select(agencies).where(agencies.c.code == code))).first()
    if row is None:
        raise NotFound(f"agency {code!r} does not exist")
    return Agency(row.id, row.code, row.name)


async def checkpoint_by_code(conn: AsyncConnection, code: str) -> Checkpoint:
    row = (await conn.execute(select(checkpoints).where(checkpoints.c.code == code))).first()
    if row is None:
        raise NotFound(f"checkpoint {code!r} does not exist")
    return Checkpoint(row.id, row.code, row.name)


async def list_agencies(conn: AsyncConnection) -> list[Agency]:
    rows = await conn.execute(select(agencies).order_by(agencies.c.code))
    return [Agency(r.id, r.code, r.name) for r in rows]


async def list_checkpoints(conn: AsyncConnection) -> list[Checkpoint]:
    rows = await conn.execute(select(checkpoints).order_by(checkpoints.c.code))
    return [Checkpoint(r.id, r.code, r.name) for r in rows]


async def list_desks(conn: AsyncConnection) -> list[Desk]:
    query = (
        select(desks, agencies.c.code.label("agency_code"), checkpoints.c.code.label("cp_code"))
        .join(agencies, agencies.c.id == desks.c.agency_id)
        .outerjoin(checkpoints, checkpoints.c.id == desks.c.checkpoint_id)
        .order_by(desks.c.id)
    )
    return [
        Desk(r.id, r.agency_code, r.name, r.cp_code, r.is_headquarters, r.handles)
        for r in await conn.execute(query)
    ]


async def list_users(conn: AsyncConnection) -> list[User]:
    ids = (await conn.execute(select(users.c.id).order_by(users.c.username))).scalars()
    return [await user_by_id(conn, user_id) for user_id in ids]


async def user_by_username(conn: AsyncConnection, username: str) -> User:
    user_id = (
        await conn.execute(select(users.c.id).where(users.c.username == username))
    ).scalar_one_or_none()
    if user_id is None:
        raise NotFound(f"user {username!r} does not exist")
    return await user_by_id(conn, user_id)


async def user_by_id(conn: AsyncConnection, user_id: int) -> User:
    row = (
        await conn.execute(
            select(users, agencies.c.code.label("agency_code"))
            .join(agencies, agencies.c.id == users.c.agency_id)
            .where(users.c.id == user_id)
        )
    ).first()
    if row is None:
        raise NotFound(f"user {user_id} does not exist")
    roles = await conn.execute(
        select(user_roles.c.role).where(user_roles.c.user_id == user_id).order_by(user_roles.c.role)
    )
    cps = await conn.execute(
        select(checkpoints.c.code)
        .join(user_checkpoints, user_checkpoints.c.checkpoint_id == checkpoints.c.id)
        .where(user_checkpoints.c.user_id == user_id)
        .order_by(checkpoints.c.code)
    )
    return User(
        id=row.id,
        username=row.username,
        agency=row.agency_code,
        desk_id=row.desk_id,
        roles=tuple(Role(r) for r in roles.scalars()),
        checkpoints=tuple(cps.scalars()),
        disabled=row.disabled_at is not None,
    )


async def _check_desk(conn: AsyncConnection, desk_id: int | None, agency: str) -> set[int]:
    """The desk must belong to the user's agency; its checkpoint becomes the user's."""
    if desk_id is None:
        return set()
    row = (
        await conn.execute(
            select(desks.c.checkpoint_id, agencies.c.code)
            .join(agencies, agencies.c.id == desks.c.agency_id)
            .where(desks.c.id == desk_id)
        )
    ).first()
    if row is None:
        raise NotFound(f"desk {desk_id} does not exist")
    if row.code != agency:
        raise Conflict(f"desk {desk_id} belongs to {row.code}, not {agency}")
    return {row.checkpoint_id} if row.checkpoint_id is not None else set()


async def _insert(conn: AsyncConnection, table: Any, row: dict[str, Any], what: str) -> int:
    # A savepoint, so a duplicate leaves the caller's transaction usable.
    try:
        async with conn.begin_nested():
            result = await conn.execute(table.insert().values(**row))
    except IntegrityError:
        raise Conflict(f"{what} already exists") from None
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


async def _audit(
    conn: AsyncConnection,
    actor: Actor,
    now: datetime,
    action: str,
    subject: str,
    details: dict[str, Any],
) -> None:
    await audit.record(conn, actor, AuditEvent(action, subject, "success", details), now)
