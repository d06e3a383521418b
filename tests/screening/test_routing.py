"""Every routing rule of config/policy.toml, through the real API and database.

NCCT owns every entry published here (its editor writes them); the officer at the
counter is immigration's (GDI), at Poipet.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from alertd import alerts, audit, identity
from alertd.clock import FrozenClock
from alertd.routing import load_policy
from alertd.tables import agencies
from tests.conftest import Client
from tests.screening.conftest import (
    ALL_AGENCIES,
    GCNP_POIPET,
    GDCE_HQ,
    GDI_POIPET,
    MOSVY_HQ,
    NCCT_HQ,
    NCCT_POIPET,
    SOK,
    Desks,
    alerts_for,
    cross,
    publish,
    routes_of,
)
from tests.watchlist.helpers import entry_body

# What the issue asks of the shipped policy, category by category.
EXPECTED_AGENCIES = {
    "wanted_person": {"GCNP", "GDI"},
    "trafficking_suspect": {"NCCT", "GCNP", "GDI"},
    "smuggling_suspect": {"GDCE", "GCNP"},
    "customs_interest": {"GDCE"},
    "potential_victim": {"MOSVY", "NCCT"},
    "missing_person": {"MOSVY", "NCCT"},
    "lost_stolen_document": {"GDI"},
    "entry_ban": {"GDI"},
    "discreet_check": {"NCCT"},  # "owner": NCCT owns the entry
}
VICTIM_CATEGORIES = ("potential_victim", "missing_person")
# SOK Chan with another passport: the name and birth date agree, the document does not.
OTHER_PASSPORT: dict[str, Any] = SOK | {
    "documents": [{"type": "passport", "number": "P9999999", "country": "KHM"}]
}
# The desk each agency's route lands on for a crossing at Poipet.
SUSPECT_DESKS = {
    "GDI": GDI_POIPET,
    "GCNP": GCNP_POIPET,
    "GDCE": GDCE_HQ,
    "NCCT": NCCT_POIPET,
    "MOSVY": MOSVY_HQ,
}
VICTIM_DESKS = SUSPECT_DESKS | {"NCCT": NCCT_HQ}


def test_the_shipped_policy_covers_every_category_as_the_issue_asks() -> None:
    policy = load_policy(Path("config/policy.toml"))
    for category, expected in EXPECTED_AGENCIES.items():
        rule = policy.rule(category)
        named = {"NCCT" if a == "owner" else a for a in rule.agencies}
        assert named == expected, category
        assert rule.desks == ("victims" if category in VICTIM_CATEGORIES else "suspects")
    assert policy.rule("discreet_check").agencies == ("owner",)


@pytest.mark.parametrize("category", sorted(EXPECTED_AGENCIES))
async def test_each_category_alerts_exactly_its_agencies_at_the_right_desks(
    client: Client, desks: Desks, clock: FrozenClock, engine: AsyncEngine, category: str
) -> None:
    body = entry_body(clock, category=category, release_to=ALL_AGENCIES)
    entry_id = await publish(client, desks, body)
    answer = await cross(client, desks)
    match = answer["matches"][0]
    assert match["entry_id"] == entry_id and match["alert_id"] is not None
    routes = await routes_of(engine, match["alert_id"])
    assert set(routes) == EXPECTED_AGENCIES[category]
    desk_for = VICTIM_DESKS if category in VICTIM_CATEGORIES else SUSPECT_DESKS
    assert {code: r.desk_id for code, r in routes.items()} == {
        code: desk_for[code] for code in routes
    }
    assert all(r.status == "new" for r in routes.values())
    for agency, headers in desks.by_agency().items():
        seen = [a["id"] for a in await alerts_for(client, headers)]
        assert seen == ([match["alert_id"]] if agency in routes else []), agency


@pytest.mark.parametrize(
    ("category", "release_to", "expected"),
    [
        ("trafficking_suspect", ["GDI"], {"NCCT", "GDI"}),
        ("trafficking_suspect", ["GCNP", "MOSVY"], {"NCCT", "GCNP"}),
        ("wanted_person", ["GCNP"], {"GCNP"}),
        ("smuggling_suspect", ["GDCE", "GDI"], {"GDCE"}),
        ("potential_victim", ["GCNP", "GDI"], {"NCCT"}),
        ("discreet_check", ["GDI", "GCNP"], {"NCCT"}),
    ],
)
async def test_release_to_narrows_the_routed_agencies(
    client: Client,
    desks: Desks,
    clock: FrozenClock,
    engine: AsyncEngine,
    category: str,
    release_to: list[str],
    expected: set[str],
) -> None:
    await publish(client, desks, entry_body(clock, category=category, release_to=release_to))
    answer = await cross(client, desks)
    routes = await routes_of(engine, answer["matches"][0]["alert_id"])
    assert set(routes) == expected


async def test_the_owner_is_alerted_when_no_routed_agency_may_see_the_entry(
    client: Client, desks: Desks, clock: FrozenClock
) -> None:
    """A hit must reach someone who can act: the owner, who may always see its entry."""
    await publish(client, desks, entry_body(clock, category="wanted_person", release_to=[]))
    answer = await cross(client, desks)
    assert answer["outcome"] == "hit"
    assert answer["matches"][0]["alert_id"] is not None
    for agency, headers in desks.by_agency().items():
        expected = 1 if agency == "NCCT" else 0
        assert len(await alerts_for(client, headers)) == expected, agency


@pytest.mark.parametrize("category", VICTIM_CATEGORIES)
async def test_victims_are_protected_and_never_reach_a_suspects_only_desk(
    client: Client, desks: Desks, clock: FrozenClock, engine: AsyncEngine, category: str
) -> None:
    body = entry_body(clock, category=category, release_to=ALL_AGENCIES)
    await publish(client, desks, body)
    answer = await cross(client, desks)
    match = answer["matches"][0]
    assert "NOT a suspect" in match["instructions"]
    routes = await routes_of(engine, match["alert_id"])
    assert routes["NCCT"].desk_id == NCCT_HQ  # not NCCT Poipet, which handles suspects
    assert await alerts_for(client, desks.ncct_poipet) == []
    assert await alerts_for(client, desks.police) == []
    for headers in (desks.social, desks.ncct_hq):
        (alert,) = await alerts_for(client, headers)
        assert alert["protection"] is True
        assert "NOT a suspect" in alert["instructions"]


async def test_suspect_alerts_are_not_marked_for_protection(
    client: Client, desks: Desks, clock: FrozenClock
) -> None:
    await publish(client, desks, entry_body(clock, category="trafficking_suspect"))
    await cross(client, desks)
    (alert,) = await alerts_for(client, desks.police)
    assert alert["protection"] is False


async def test_a_victim_alert_is_raised_on_a_possible_match(
    client: Client, desks: Desks, clock: FrozenClock
) -> None:
    """Victims alert on "possible": a missed child costs more than a second look."""
    body = entry_body(clock, category="potential_victim", release_to=ALL_AGENCIES)
    await publish(client, desks, body)
    weaker = OTHER_PASSPORT
    answer = await cross(client, desks, weaker)
    assert answer["outcome"] == "possible", answer
    assert answer["matches"][0]["alert_id"] is not None
    assert len(await alerts_for(client, desks.social)) == 1


async def test_a_wanted_person_possible_match_raises_no_alert(
    client: Client, desks: Desks, wanted: int
) -> None:
    weaker = OTHER_PASSPORT
    answer = await cross(client, desks, weaker)
    assert answer["outcome"] == "possible", answer
    assert answer["matches"][0]["alert_id"] is None
    assert await alerts_for(client, desks.police) == []


async def test_routed_agencies_come_with_their_desks_in_one_read_even_without_desks(
    client: Client, desks: Desks, clock: FrozenClock, engine: AsyncEngine
) -> None:
    """The agencies of an alert and their desks are read together: an agency with no
    desk is still routed (to no desk), an unknown code is left out, and the order of
    the codes is kept."""
    async with engine.begin() as conn:
        await identity.add_agency(conn, audit.SYSTEM, clock.now(), "NODESK", "No desks yet")
    async with engine.connect() as conn:
        found = await alerts._desks_of_agencies(conn, ["NCCT", "UNKNOWN", "NODESK", "GDI"])
        codes = dict((await conn.execute(select(agencies.c.id, agencies.c.code))).all())
    assert [codes[agency_id] for agency_id in found] == ["NCCT", "NODESK", "GDI"]
    by_code = {codes[agency_id]: [d.id for d in listed] for agency_id, listed in found.items()}
    assert by_code["NODESK"] == []
    assert set(by_code["NCCT"]) == {NCCT_HQ, NCCT_POIPET}
    assert by_code["NCCT"] == sorted(by_code["NCCT"])
    assert GDI_POIPET in by_code["GDI"]
