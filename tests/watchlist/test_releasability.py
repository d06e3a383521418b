"""Releasability and need-to-know, for every role and agency, through the real API.

An NCCT entry released to GCNP and GDI: NCCT staff who read watchlists see every version
with its reason; released agencies see the published version without the reason; other
agencies get 404 for it (never 403, which would say it exists); admins and checkpoint
officers get 403 on every watchlist endpoint.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from alertd.clock import FrozenClock
from alertd.roles import Role
from tests.conftest import Client, MakeUser, bearer, login
from tests.watchlist.helpers import (
    ENTRIES,
    IMPORTS,
    NDJSON,
    NOT_RELEASED,
    OWNER,
    RELEASED,
    WatchlistApi,
    entry_body,
    ndjson,
    problem,
)

READING_ROLES = (
    Role.WATCHLIST_EDITOR,
    Role.WATCHLIST_APPROVER,
    Role.DESK_OFFICER,
    Role.AUDITOR,
)
EVERY_AGENCY = (OWNER, *RELEASED, *NOT_RELEASED)


@pytest.fixture
async def entries(api: WatchlistApi, clock: FrozenClock) -> dict[str, int]:
    """A published entry with a pending change, and a draft, both NCCT's."""
    published = await api.publish(external_ref="PUB-1")
    renamed = entry_body(
        clock,
        external_ref="PUB-1",
        names=[{"full": "HENG Vanna", "family": "HENG", "given": "Vanna"}],
        reason="Second informant statement",
    )
    response = await api.call("PUT", f"{ENTRIES}/{published}", "editor", renamed)
    assert (await response.json())["status"] == "pending"
    draft = await api.create(
        external_ref="DRAFT-1", names=[{"full": "KEO Pisey", "family": "KEO", "given": "Pisey"}]
    )
    return {"published": published, "draft": draft}


async def headers_for(
    client: Client, make_user: MakeUser, clock: FrozenClock, role: Role, agency: str
) -> dict[str, str]:
    user = await make_user(f"{role.value.replace('_', '-')}-{agency.lower()}", role, agency=agency)
    return bearer(await login(client, user, clock))


async def read_all(client: Client, headers: dict[str, str], entry_id: int) -> list[int]:
    statuses = []
    for path in (f"{ENTRIES}/{entry_id}", f"{ENTRIES}/{entry_id}/history"):
        statuses.append((await client.get(path, headers=headers)).status)
    return statuses


@pytest.mark.parametrize("role", READING_ROLES)
async def test_every_reading_role_of_every_agency(
    client: Client,
    make_user: MakeUser,
    clock: FrozenClock,
    entries: dict[str, int],
    role: Role,
) -> None:
    published, draft = entries["published"], entries["draft"]
    for agency in EVERY_AGENCY:
        headers = await headers_for(client, make_user, clock, role, agency)
        page = await (await client.get(ENTRIES, headers=headers)).json()
        listed = {item["id"]: item for item in page["entries"]}
        if agency == OWNER:
            await owner_view(client, headers, listed, published, draft)
        elif agency in RELEASED:
            await released_view(client, headers, listed, published, draft)
        else:
            assert listed == {}, agency
            for entry_id in (published, draft):
                assert await read_all(client, headers, entry_id) == [404, 404], agency


async def owner_view(
    client: Client, headers: dict[str, str], listed: dict[int, Any], published: int, draft: int
) -> None:
    assert set(listed) == {published, draft}
    assert listed[published]["latest_version"] == 2
    detail = await (await client.get(f"{ENTRIES}/{published}", headers=headers)).json()
    assert detail["version"] == 2 and detail["entry"]["reason"] == "Second informant statement"
    history = await (await client.get(f"{ENTRIES}/{published}/history", headers=headers)).json()
    assert [v["version"] for v in history["versions"]] == [1, 2]
    assert all("reason" in v["entry"] for v in history["versions"])
    assert [e["action"] for e in history["events"]] == ["create", "submit", "approve", "edit"]
    assert await read_all(client, headers, draft) == [200, 200]


async def released_view(
    client: Client, headers: dict[str, str], listed: dict[int, Any], published: int, draft: int
) -> None:
    # Only the published version, without its reason; the draft does not exist for them.
    assert set(listed) == {published}
    assert listed[published]["latest_version"] == 1
    detail = await (await client.get(f"{ENTRIES}/{published}", headers=headers)).json()
    assert detail["version"] == 1 and detail["entry"]["names"][0]["full"] == "SOK Chan"
    assert "reason" not in detail["entry"]
    assert detail["entry"]["instructions"] == "Detain and call the GCNP duty desk"
    history = await (await client.get(f"{ENTRIES}/{published}/history", headers=headers)).json()
    assert [v["version"] for v in history["versions"]] == [1]
    assert "reason" not in history["versions"][0]["entry"]
    assert [e["action"] for e in history["events"]] == ["approve"]
    assert await read_all(client, headers, draft) == [404, 404]


@pytest.mark.parametrize("role", [Role.ADMIN, Role.CHECKPOINT_OFFICER])
@pytest.mark.parametrize("agency", [OWNER, "GDI"])
async def test_admins_and_checkpoint_officers_get_403_everywhere(
    client: Client,
    make_user: MakeUser,
    clock: FrozenClock,
    entries: dict[str, int],
    role: Role,
    agency: str,
) -> None:
    headers = await headers_for(client, make_user, clock, role, agency)
    published, import_body = entries["published"], ndjson([entry_body(clock)])
    calls: list[tuple[str, str, dict[str, Any]]] = [
        ("GET", ENTRIES, {}),
        ("GET", f"{ENTRIES}/{published}", {}),
        ("GET", f"{ENTRIES}/{published}/history", {}),
        ("GET", "/api/v1/watchlist/export", {}),
        ("POST", ENTRIES, {"json": entry_body(clock)}),
        ("PUT", f"{ENTRIES}/{published}", {"json": entry_body(clock)}),
        ("POST", f"{ENTRIES}/{published}/submit", {}),
        ("POST", f"{ENTRIES}/{published}/approve", {}),
        ("POST", f"{ENTRIES}/{published}/reject", {"json": {"reason": "x"}}),
        ("POST", f"{ENTRIES}/{published}/withdraw", {"json": {"reason": "x"}}),
        ("POST", f"{IMPORTS}/1/approve", {}),
        ("POST", IMPORTS, {"data": import_body, "headers": {"Content-Type": NDJSON}}),
    ]
    for method, path, kwargs in calls:
        extra = kwargs.pop("headers", {})
        response = await client.request(method, path, headers=headers | extra, **kwargs)
        await problem(response, 403)


async def test_404_not_403_for_entries_one_may_not_see(
    api: WatchlistApi, clock: FrozenClock, entries: dict[str, int]
) -> None:
    """The same answer as for an id that does not exist, on every endpoint."""
    draft, published, absent = entries["draft"], entries["published"], 999_999
    for who, entry_id in [("gdi_approver", draft), ("mosvy_approver", published)]:
        for method, suffix, body in [
            ("GET", "", None),
            ("GET", "/history", None),
            ("POST", "/approve", None),
            ("POST", "/reject", {"reason": "x"}),
        ]:
            hidden = await api.call(method, f"{ENTRIES}/{entry_id}{suffix}", who, body)
            missing = await api.call(method, f"{ENTRIES}/{absent}{suffix}", who, body)
            hidden_body, missing_body = await problem(hidden, 404), await problem(missing, 404)
            assert hidden_body["type"] == missing_body["type"]
            assert hidden_body["detail"] == missing_body["detail"].replace(
                str(absent), str(entry_id)
            )
    for who, entry_id in [("gdi_editor", draft), ("iom_editor", published)]:
        for method, path, body in [
            ("PUT", f"{ENTRIES}/{entry_id}", entry_body(clock)),
            ("POST", f"{ENTRIES}/{entry_id}/submit", None),
            ("POST", f"{ENTRIES}/{entry_id}/withdraw", {"reason": "x"}),
        ]:
            await problem(await api.call(method, path, who, body), 404)


async def test_a_pending_change_is_not_found_by_name_outside_the_owner(
    api: WatchlistApi, entries: dict[str, int]
) -> None:
    """The q= filter searches the published names for everyone but the owner's staff, who
    search what they may read; the renamed version is under review."""
    published = entries["published"]
    assert await api.listed("gdi_desk", q="heng vanna") == []
    assert await api.listed("gdi_desk", q="sok chan") == [published]
    assert await api.listed("ncct_desk", q="sok chan") == [published]
    assert await api.listed("gdi_desk", q="keo pisey") == []  # the draft
    await api.action(published, "approve", "approver")
    assert await api.listed("gdi_desk", q="heng vanna") == [published]
    assert await api.listed("gdi_desk", q="sok chan") == []


async def test_export_is_redacted_and_released_only(
    api: WatchlistApi, entries: dict[str, int]
) -> None:
    async def exported(who: str) -> list[dict[str, Any]]:
        response = await api.call("GET", "/api/v1/watchlist/export", who)
        assert response.status == 200
        text = await response.text()
        return [json.loads(line) for line in text.splitlines()]

    owner = await exported("ncct_desk")
    assert [(e["id"], e["version"]) for e in owner] == [(entries["published"], 1)]
    assert owner[0]["reason"].startswith("Arrest warrant")
    released = await exported("gcnp_desk")
    assert [(e["id"], e["version"]) for e in released] == [(entries["published"], 1)]
    assert "reason" not in released[0]
    assert await exported("gdi_editor") == [{k: v for k, v in owner[0].items() if k != "reason"}]


async def test_not_released_agency_sees_nothing_in_lists_or_export(
    client: Client, make_user: MakeUser, clock: FrozenClock, entries: dict[str, int]
) -> None:
    headers = await headers_for(client, make_user, clock, Role.DESK_OFFICER, "IOM")
    for status in ("", "published", "draft", "pending"):
        page = await (await client.get(ENTRIES, params={"status": status}, headers=headers)).json()
        assert page["entries"] == []
    response = await client.get("/api/v1/watchlist/export", headers=headers)
    assert await response.text() == ""


async def test_a_page_merges_own_and_released_entries_newest_first(api: WatchlistApi) -> None:
    """An agency's own entries (drafts too) and the published entries released to it come
    in one newest-first order, page after page; an entry released to its own owner is
    listed once."""
    ncct_1 = await api.publish(external_ref="N-1")
    gdi_draft = await api.create("gdi_editor", external_ref="G-1")
    ncct_2 = await api.publish(external_ref="N-2", release_to=["GDI", OWNER])
    ncct_draft = await api.create(external_ref="N-3")
    gdi_1 = await api.publish("gdi_editor", "gdi_approver", external_ref="G-2", release_to=["GDI"])
    expected = [gdi_1, ncct_2, gdi_draft, ncct_1]
    assert await api.listed("gdi_desk") == expected
    paged: list[int] = []
    params = {"limit": "1"}
    while True:
        page = await api.ok("GET", ENTRIES, "gdi_desk", params=params)
        paged += [item["id"] for item in page["entries"]]
        if page["next_after"] is None:
            break
        params = {"limit": "1", "after": str(page["next_after"])}
    assert paged == expected
    assert await api.listed("gdi_desk", status="published") == [gdi_1, ncct_2, ncct_1]
    assert await api.listed("editor") == [ncct_draft, ncct_2, ncct_1]
