"""Shared helpers for watchlist tests: entry bodies, the people who handle them, the API.

The owning agency in these tests is NCCT; its entries are released to GCNP and GDI, and
not to GDCE, MOSVY or IOM.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from aiohttp import ClientResponse
from sqlalchemy import Table, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from alertd.clock import FrozenClock
from alertd.matching import DocumentInput, Match, NameInput, Traveller
from alertd.roles import Role
from alertd.state import LIVE_INDEX
from alertd.tables import audit_events
from tests.conftest import Client, MakeUser, TestUser, bearer, login

Headers = dict[str, str]
ENTRIES = "/api/v1/watchlist/entries"
IMPORTS = "/api/v1/watchlist/imports"
NDJSON = "application/x-ndjson"
PROBLEM = "application/problem+json"

OWNER = "NCCT"
RELEASED = ("GCNP", "GDI")
NOT_RELEASED = ("GDCE", "MOSVY", "IOM")

# name -> (agency, roles). Created and signed in on first use only: sign-ins hash
# passwords, and most tests need two or three people.
ROSTER: dict[str, tuple[str, tuple[Role, ...]]] = {
    "editor": ("NCCT", (Role.WATCHLIST_EDITOR,)),
    "editor2": ("NCCT", (Role.WATCHLIST_EDITOR,)),
    "approver": ("NCCT", (Role.WATCHLIST_APPROVER,)),
    "approver2": ("NCCT", (Role.WATCHLIST_APPROVER,)),
    "both": ("NCCT", (Role.WATCHLIST_EDITOR, Role.WATCHLIST_APPROVER)),
    "ncct_desk": ("NCCT", (Role.DESK_OFFICER,)),
    "ncct_auditor": ("NCCT", (Role.AUDITOR,)),
    "ncct_admin": ("NCCT", (Role.ADMIN,)),
    "gdi_editor": ("GDI", (Role.WATCHLIST_EDITOR,)),
    "gdi_approver": ("GDI", (Role.WATCHLIST_APPROVER,)),
    "gdi_desk": ("GDI", (Role.DESK_OFFICER,)),
    "gcnp_desk": ("GCNP", (Role.DESK_OFFICER,)),
    "mosvy_approver": ("MOSVY", (Role.WATCHLIST_APPROVER,)),
    "iom_editor": ("IOM", (Role.WATCHLIST_EDITOR,)),
}


def entry_body(clock: FrozenClock, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "external_ref": "UN-QDi.001",
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
        "reason": "Arrest warrant 2026/114 for trafficking",
        "instructions": "Detain and call the GCNP duty desk",
        "release_to": list(RELEASED),
        "expires_at": (clock.now() + timedelta(days=200)).date().isoformat(),
    }
    return body | overrides


def person(full: str, family: str, given: str, **overrides: Any) -> dict[str, Any]:
    """Overrides for ``entry_body`` that make a different person."""
    return {
        "external_ref": overrides.pop("external_ref", f"REF-{family}-{given}"),
        "names": [{"full": full, "family": family, "given": given}],
        "documents": overrides.pop("documents", []),
    } | overrides


def ndjson(entries: Sequence[dict[str, Any] | str]) -> bytes:
    lines = [e if isinstance(e, str) else json.dumps(e, ensure_ascii=False) for e in entries]
    return ("\n".join(lines) + "\n").encode()


class Staff:
    """The roster's people, made and signed in on first use; ``await staff("editor")``."""

    def __init__(self, client: Client, make_user: MakeUser, clock: FrozenClock) -> None:
        self._client, self._make_user, self._clock = client, make_user, clock
        self._users: dict[str, TestUser] = {}
        self._headers: dict[str, Headers] = {}

    async def __call__(self, name: str) -> Headers:
        if name not in self._users:
            agency, roles = ROSTER[name]
            self._users[name] = await self._make_user(name.replace("_", "-"), *roles, agency=agency)
        if name not in self._headers:
            user = self._users[name]
            self._headers[name] = bearer(await login(self._client, user, self._clock))
        return self._headers[name]

    def advance(self, seconds: float) -> None:
        """Move the clock; everyone signs in again (access tokens live minutes)."""
        self._clock.advance(seconds)
        self._headers.clear()


class WatchlistApi:
    """The watchlist endpoints, called as a named person; asserts only where told."""

    def __init__(self, client: Client, staff: Staff, clock: FrozenClock) -> None:
        self.client, self.staff, self.clock = client, staff, clock

    async def call(
        self, method: str, path: str, who: str, body: Any = None, **kwargs: Any
    ) -> ClientResponse:
        headers = await self.staff(who)
        return await self.client.request(method, path, json=body, headers=headers, **kwargs)

    async def ok(self, method: str, path: str, who: str, body: Any = None, **kw: Any) -> Any:
        response = await self.call(method, path, who, body, **kw)
        assert response.status in (200, 201), f"{response.status}: {await response.text()}"
        return await response.json()

    async def create(self, who: str = "editor", **overrides: Any) -> int:
        created = await self.ok("POST", ENTRIES, who, entry_body(self.clock, **overrides))
        assert created["status"] == "draft" and created["version"] == 1
        return int(created["id"])

    async def action(self, entry_id: int, action: str, who: str, **body: Any) -> ClientResponse:
        return await self.call("POST", f"{ENTRIES}/{entry_id}/{action}", who, body or None)

    async def publish(self, editor: str = "editor", approver: str = "approver", **kw: Any) -> int:
        entry_id = await self.create(editor, **kw)
        assert (await self.action(entry_id, "submit", editor)).status == 200
        response = await self.action(entry_id, "approve", approver)
        assert response.status == 200, await response.text()
        return entry_id

    async def detail(self, entry_id: int, who: str) -> dict[str, Any]:
        detail: dict[str, Any] = await self.ok("GET", f"{ENTRIES}/{entry_id}", who)
        return detail

    async def listed(self, who: str, **params: str) -> list[int]:
        page = await self.ok("GET", ENTRIES, who, params=params)
        return [int(item["id"]) for item in page["entries"]]

    async def upload(self, who: str, body: bytes) -> ClientResponse:
        headers = await self.staff(who) | {"Content-Type": NDJSON}
        return await self.client.post(IMPORTS, data=body, headers=headers)


def search(client: Client, clock: FrozenClock, full: str, **traveller: Any) -> list[Match]:
    """What the node's live matching index answers for a traveller, now."""
    documents = tuple(DocumentInput(*d) for d in traveller.pop("documents", ()))
    query = Traveller(names=(NameInput(full),), documents=documents, **traveller)
    found: list[Match] = client.app[LIVE_INDEX].index.search(query, now=clock.now())
    return found


def matched_ids(client: Client, clock: FrozenClock, full: str, **traveller: Any) -> set[int]:
    return {int(m.entry_id) for m in search(client, clock, full, **traveller)}


async def count_rows(engine: AsyncEngine, table: Table, *where: Any) -> int:
    async with engine.connect() as conn:
        found = await conn.execute(select(func.count()).select_from(table).where(*where))
        return int(found.scalar_one())


async def audit_trail(engine: AsyncEngine, subject: str | None = None) -> list[tuple[str, str]]:
    """(action, actor) of every audit event, oldest first, for one subject if named."""
    query = select(audit_events.c.action, audit_events.c.actor).order_by(audit_events.c.seq)
    if subject is not None:
        query = query.where(audit_events.c.subject == subject)
    async with engine.connect() as conn:
        return [(row.action, row.actor) for row in await conn.execute(query)]


async def problem(response: ClientResponse, status: int) -> dict[str, Any]:
    """The problem+json body of an error response, after checking its status and type."""
    text = await response.text()
    assert response.status == status, f"{response.status}: {text}"
    assert response.content_type == PROBLEM
    body: dict[str, Any] = json.loads(text)
    return body


def fields(body: dict[str, Any]) -> list[str]:
    return [error["field"] for error in body.get("errors", [])]
