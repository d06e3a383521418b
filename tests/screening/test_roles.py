"""Every role against every screening and alert endpoint: only checkpoint officers
screen (at their own checkpoints), only desk officers handle alerts."""

from __future__ import annotations

import pytest

from alertd.clock import FrozenClock
from alertd.roles import Role
from tests.conftest import Client, MakeUser, bearer, login
from tests.screening.conftest import SOK, Desks, cross, crossing

PROBLEM = "application/problem+json"


@pytest.fixture
async def everyone(
    client: Client, desks: Desks, make_user: MakeUser, clock: FrozenClock
) -> dict[Role, dict[str, str]]:
    """One signed-in user per role (auditors and admins sign in with TOTP)."""
    auditor = await make_user("auditor", Role.AUDITOR, agency="GDI")
    admin = await make_user("admin", Role.ADMIN, agency="GDI")
    return {
        Role.CHECKPOINT_OFFICER: desks.officer,
        Role.DESK_OFFICER: desks.immigration,
        Role.WATCHLIST_EDITOR: desks.editor,
        Role.WATCHLIST_APPROVER: desks.approver,
        Role.AUDITOR: bearer(await login(client, auditor, clock)),
        Role.ADMIN: bearer(await login(client, admin, clock)),
    }


async def _status(client: Client, method: str, path: str, headers: dict[str, str]) -> int:
    bodies = {
        "/api/v1/crossings": crossing(**SOK),
        "/api/v1/screenings": {"traveller": SOK},
    }
    body = bodies.get(path, {"resolution": "confirmed", "note": ""})
    response = await client.request(
        method, path, json=body if method == "POST" else None, headers=headers
    )
    if response.status >= 400:
        assert response.content_type == PROBLEM
    return response.status


async def test_only_checkpoint_officers_screen(
    client: Client, everyone: dict[Role, dict[str, str]], wanted: int
) -> None:
    for role, headers in everyone.items():
        for path, ok in (("/api/v1/crossings", 201), ("/api/v1/screenings", 200)):
            expected = ok if role is Role.CHECKPOINT_OFFICER else 403
            assert await _status(client, "POST", path, headers) == expected, (role, path)


async def test_only_desk_officers_list_acknowledge_and_resolve(
    client: Client, desks: Desks, everyone: dict[Role, dict[str, str]], wanted: int
) -> None:
    alert_id = (await cross(client, desks))["matches"][0]["alert_id"]
    calls = [
        ("GET", "/api/v1/alerts"),
        ("POST", f"/api/v1/alerts/{alert_id}/ack"),
        ("POST", f"/api/v1/alerts/{alert_id}/resolve"),
    ]
    for role, headers in everyone.items():
        for method, path in calls:
            expected = 200 if role is Role.DESK_OFFICER else 403
            assert await _status(client, method, path, headers) == expected, (role, path)


async def test_unauthenticated_callers_get_401(client: Client, desks: Desks, wanted: int) -> None:
    alert_id = (await cross(client, desks))["matches"][0]["alert_id"]
    calls = [
        ("POST", "/api/v1/crossings"),
        ("POST", "/api/v1/screenings"),
        ("GET", "/api/v1/alerts"),
        ("POST", f"/api/v1/alerts/{alert_id}/ack"),
        ("POST", f"/api/v1/alerts/{alert_id}/resolve"),
    ]
    for headers in ({}, {"Authorization": "Bearer not-a-token"}):
        for method, path in calls:
            assert await _status(client, method, path, headers) == 401, (headers, path)


@pytest.mark.parametrize("checkpoint", ["BAV", "PNH", "NOWHERE"])
async def test_an_officer_of_another_checkpoint_is_refused(
    client: Client, desks: Desks, wanted: int, checkpoint: str
) -> None:
    body = crossing(checkpoint=checkpoint, **SOK)
    response = await client.post("/api/v1/crossings", json=body, headers=desks.officer)
    assert response.status == 403, await response.text()
    problem = await response.json()
    assert problem["type"].endswith("/permission-denied")
    assert "Arrest" not in await response.text()


async def test_a_desk_of_an_agency_not_routed_cannot_act_on_the_alert(
    client: Client, desks: Desks, wanted: int
) -> None:
    """Customs is not routed a wanted-person alert: to them it does not exist."""
    alert_id = (await cross(client, desks))["matches"][0]["alert_id"]
    for action in ("ack", "resolve"):
        response = await client.post(
            f"/api/v1/alerts/{alert_id}/{action}",
            json={"resolution": "confirmed", "note": ""},
            headers=desks.customs,
        )
        assert response.status == 404, action
    for missing in ("ack", "resolve"):
        response = await client.post(
            f"/api/v1/alerts/999999/{missing}",
            json={"resolution": "confirmed"},
            headers=desks.immigration,
        )
        assert response.status == 404
