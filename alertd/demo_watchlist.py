"""A small published demo watchlist, in several scripts, for `make demo`.

The people are invented. Each entry goes through the real four-eyes workflow: the demo
editor drafts and submits it, the demo approver publishes it.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from alertd import identity, watchlist
from alertd.entries import EntryBody
from alertd.principal import Principal
from alertd.tables import agencies, users
from alertd.wire import parse_json

EXPIRY_DAYS = 300
ENTRIES: tuple[dict[str, Any], ...] = (
    {
        "external_ref": "DEMO-001",
        "category": "wanted_person",
        "names": [
            {"full": "SOK Chan", "family": "SOK", "given": "Chan"},
            {"full": "សុខ ចាន់"},
            {"full": "Sokh Chann"},
        ],
        "dates_of_birth": ["1985-03-02"],
        "nationalities": ["KHM"],
        "sex": "M",
        "documents": [{"type": "passport", "number": "N01234567", "country": "KHM"}],
        "reason": "Arrest warrant 2026/114 (Phnom Penh court): recruiting for a scam compound.",
        "instructions": "Keep the traveller at the counter; the GCNP duty desk will collect.",
        "release_to": ["GCNP", "GDI"],
    },
    {
        "external_ref": "DEMO-002",
        "category": "trafficking_suspect",
        "names": [{"full": "ZHANG Wei", "family": "ZHANG", "given": "Wei"}, {"full": "张伟"}],
        "dates_of_birth": ["1979-11-20"],
        "nationalities": ["CHN"],
        "sex": "M",
        "documents": [{"type": "passport", "number": "E12345678", "country": "CHN"}],
        "reason": "Named by three rescued workers as the Sihanoukville compound recruiter.",
        "instructions": "Secondary inspection; check companions for signs of trafficking.",
        "release_to": ["GCNP", "GDI"],
    },
    {
        "external_ref": "DEMO-003",
        "category": "potential_victim",
        "names": [
            {"full": "PHAN Sreypov", "family": "PHAN", "given": "Sreypov"},
            {"full": "ផាន ស្រីពៅ"},
        ],
        "dates_of_birth": ["2004"],
        "nationalities": ["KHM"],
        "sex": "F",
        "reason": "Family report: recruited online for a 'call centre job', last heard of in"
        " Poipet.",
        "instructions": "Contact MOSVY Poipet for shelter; her mother is waiting for news.",
        "release_to": ["MOSVY", "GDI"],
    },
    {
        "external_ref": "DEMO-004",
        "category": "missing_person",
        "names": [{"full": "Nguyễn Thị Lan", "family": "Nguyễn", "given": "Thị Lan"}],
        "dates_of_birth": ["2009-06-14"],
        "nationalities": ["VNM"],
        "sex": "F",
        "reason": "Missing child report, An Giang province police, forwarded through IOM.",
        "instructions": "Keep her safe; MOSVY will arrange care and contact her family.",
        "release_to": ["MOSVY", "GDI", "IOM"],
    },
    {
        "external_ref": "DEMO-005",
        "category": "lost_stolen_document",
        "names": [{"full": "Somchai Jaidee"}, {"full": "สมชาย ใจดี"}],
        "nationalities": ["THA"],
        "documents": [{"type": "passport", "number": "K4455667", "country": "THA"}],
        "reason": "Reported stolen in Bangkok, 2026-09-30.",
        "instructions": "Retain the passport; refer the holder to the immigration supervisor.",
        "release_to": ["GDI"],
    },
    {
        "external_ref": "DEMO-006",
        "category": "entry_ban",
        "names": [
            {"full": "Mohammed AL-RASHID", "family": "AL-RASHID", "given": "Mohammed"},
            {"full": "محمد الراشد"},
        ],
        "dates_of_birth": ["1970"],
        "nationalities": ["SYR"],
        "sex": "M",
        "reason": "Entry ban 2025/88 after deportation for document fraud.",
        "instructions": "Refuse entry.",
        "release_to": ["GDI"],
    },
    {
        "external_ref": "DEMO-007",
        "category": "discreet_check",
        "names": [
            {"full": "Ivan PETROV", "family": "PETROV", "given": "Ivan"},
            {"full": "Иван Петров"},
        ],
        "dates_of_birth": ["1968-07-12"],
        "nationalities": ["RUS"],
        "sex": "M",
        "reason": "Money-laundering inquiry: record movements only.",
        "instructions": "",
        "release_to": ["GDI"],
    },
    {
        "external_ref": "DEMO-008",
        "category": "smuggling_suspect",
        "names": [{"full": "LEE Min-ho", "family": "LEE", "given": "Min-ho"}, {"full": "이민호"}],
        "dates_of_birth": ["1982-04-03"],
        "nationalities": ["KOR"],
        "sex": "M",
        "reason": "Customs intelligence: wildlife products through Bavet.",
        "instructions": "Search vehicle and luggage.",
        "release_to": ["GDCE", "GCNP", "GDI"],
    },
)


async def seed_watchlist(
    conn: AsyncConnection, editor: str, approver: str, now: datetime
) -> list[watchlist.EntryChange]:
    """Draft, submit and publish the demo entries; returns the published changes."""
    author = await _principal(conn, editor)
    checker = await _principal(conn, approver)
    rules = watchlist.Rules(max_expiry_days=365)
    expires = (now + timedelta(days=EXPIRY_DAYS)).date().isoformat()
    changes: list[watchlist.EntryChange] = []
    for data in ENTRIES:
        body = parse_json(EntryBody, _json(data | {"expires_at": expires}))
        created = await watchlist.create(conn, author, author.actor(None), now, body, rules)
        await watchlist.submit(conn, author, author.actor(None), now, created.entry_id)
        approved = await watchlist.approve(
            conn, checker, checker.actor(None), now, created.entry_id
        )
        changes.extend(approved.changes)
    return changes


def _json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False)


async def _principal(conn: AsyncConnection, username: str) -> Principal:
    user = await identity.user_by_username(conn, username)
    agency_id = (
        await conn.execute(
            select(agencies.c.id)
            .join(users, users.c.agency_id == agencies.c.id)
            .where(users.c.id == user.id)
        )
    ).scalar_one()
    return Principal(
        user_id=user.id,
        username=user.username,
        agency=user.agency,
        agency_id=agency_id,
        desk_id=user.desk_id,
        roles=frozenset(user.roles),
        checkpoints=frozenset(user.checkpoints),
        session_id="demo-seed",
    )
