"""Demo data for `make demo`: agencies, checkpoints, desks and one user per role.

Seeding is idempotent: a second run finds the data and prints the credentials again.
The passwords are public by design; never seed a production database with them.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass

import pyotp
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from alertd import identity
from alertd.audit import Actor
from alertd.clock import SystemClock
from alertd.config import Settings
from alertd.db import create_engine
from alertd.demo_watchlist import seed_watchlist
from alertd.passwords import Passwords
from alertd.roles import Role
from alertd.tables import agencies, desks, users

AGENCIES = (
    ("GDI", "General Department of Immigration"),
    ("GCNP", "General Commissariat of National Police"),
    ("GDCE", "General Department of Customs and Excise"),
    ("MOSVY", "Ministry of Social Affairs, Veterans and Youth Rehabilitation"),
    ("NCCT", "National Committee for Counter Trafficking"),
    ("IOM", "International Organization for Migration"),
)
CHECKPOINTS = (
    ("POI", "Poipet International Border Checkpoint"),
    ("BAV", "Bavet International Border Checkpoint"),
    ("PNH", "Phnom Penh International Airport"),
)
# (agency, name, checkpoint, headquarters, handles)
DESKS = (
    ("GDI", "GDI headquarters", None, True, "all"),
    ("GDI", "GDI Poipet", "POI", False, "all"),
    ("GDI", "GDI Bavet", "BAV", False, "all"),
    ("GDI", "GDI Phnom Penh airport", "PNH", False, "all"),
    ("GCNP", "GCNP headquarters", None, True, "all"),
    ("GCNP", "GCNP Poipet", "POI", False, "suspects"),
    ("GCNP", "GCNP Bavet", "BAV", False, "suspects"),
    ("GDCE", "GDCE headquarters", None, True, "all"),
    ("GDCE", "GDCE Bavet", "BAV", False, "suspects"),
    ("MOSVY", "MOSVY headquarters", None, True, "victims"),
    ("MOSVY", "MOSVY Poipet", "POI", False, "victims"),
    ("NCCT", "NCCT headquarters", None, True, "all"),
    ("IOM", "IOM Phnom Penh", None, True, "victims"),
)
DEMO_PASSWORD = "alertd-demo-2026"  # noqa: S105 (a published demo credential)


@dataclass(frozen=True)
class DemoUser:
    username: str
    agency: str
    roles: tuple[Role, ...]
    desk: str | None
    checkpoints: tuple[str, ...] = ()


USERS = (
    DemoUser("officer", "GDI", (Role.CHECKPOINT_OFFICER,), "GDI Poipet", ("POI",)),
    DemoUser("police", "GCNP", (Role.DESK_OFFICER,), "GCNP Poipet"),
    DemoUser("social", "MOSVY", (Role.DESK_OFFICER,), "MOSVY Poipet"),
    DemoUser("editor", "NCCT", (Role.WATCHLIST_EDITOR,), "NCCT headquarters"),
    DemoUser("approver", "NCCT", (Role.WATCHLIST_APPROVER,), "NCCT headquarters"),
    DemoUser("auditor", "GDI", (Role.AUDITOR,), None),
    DemoUser("admin", "GDI", (Role.ADMIN,), None),
)


async def seed_demo(settings: Settings) -> str:
    """Seed once; return the credentials to print."""
    engine = create_engine(settings.database_url_value)
    try:
        async with engine.begin() as conn:
            if not await _already_seeded(conn):
                await _seed(conn, settings)
            return await _credentials(conn, settings)
    finally:
        await engine.dispose()


async def _already_seeded(conn: AsyncConnection) -> bool:
    found = await conn.execute(select(agencies.c.id).where(agencies.c.code == "GDI"))
    return found.first() is not None


async def _seed(conn: AsyncConnection, settings: Settings) -> None:
    actor = Actor(username=f"demo:{getpass.getuser()}")
    now = SystemClock().now()
    for code, name in AGENCIES:
        await identity.add_agency(conn, actor, now, code, name)
    for code, name in CHECKPOINTS:
        await identity.add_checkpoint(conn, actor, now, code, name)
    for agency, name, checkpoint, hq, handles in DESKS:
        await identity.add_desk(
            conn,
            actor,
            now,
            agency=agency,
            name=name,
            checkpoint=checkpoint,
            is_headquarters=hq,
            handles=handles,  # type: ignore[arg-type]
        )
    password_hash = Passwords(settings).hash(DEMO_PASSWORD)
    totp_roles = set(settings.totp_required_roles)
    for demo in USERS:
        desk_id = await _desk_id(conn, demo.desk) if demo.desk else None
        new = identity.NewUser(
            demo.username, demo.agency, demo.roles, password_hash, desk_id, demo.checkpoints
        )
        await identity.add_user(
            conn, actor, now, new, with_totp=not totp_roles.isdisjoint(demo.roles)
        )
    # A small published watchlist, through the real four-eyes workflow.
    await seed_watchlist(conn, "editor", "approver", now)


async def _desk_id(conn: AsyncConnection, name: str) -> int:
    return int((await conn.execute(select(desks.c.id).where(desks.c.name == name))).scalar_one())


async def _credentials(conn: AsyncConnection, settings: Settings) -> str:
    lines = [
        "Demo users (password for all: " + DEMO_PASSWORD + "):",
        f"  {'username':<10} {'agency':<7} {'roles':<20} TOTP secret (current code)",
    ]
    for demo in USERS:
        secret = (
            await conn.execute(select(users.c.totp_secret).where(users.c.username == demo.username))
        ).scalar_one()
        totp = f"{secret} (now {pyotp.TOTP(secret).now()})" if secret else "-"
        roles = ",".join(r.value for r in demo.roles)
        lines.append(f"  {demo.username:<10} {demo.agency:<7} {roles:<20} {totp}")
    lines.append(f"Serving on {settings.public_url}")
    return "\n".join(lines)
