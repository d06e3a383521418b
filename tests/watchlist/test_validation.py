"""Bad entries get a 422 problem+json naming the field, and nothing is stored."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from alertd.clock import FrozenClock, isoformat
from alertd.errors import PROBLEM_BASE
from alertd.tables import audit_events, watchlist_entries
from tests.watchlist.helpers import (
    ENTRIES,
    WatchlistApi,
    count_rows,
    entry_body,
    fields,
    problem,
)

DAY = timedelta(days=1)


def without(key: str) -> Any:
    return lambda body, _clock: {k: v for k, v in body.items() if k != key}


def setting(key: str, value: Any) -> Any:
    return lambda body, _clock: body | {key: value}


def expiring(delta: timedelta, *, as_date: bool = True) -> Any:
    def change(body: dict[str, Any], clock: FrozenClock) -> dict[str, Any]:
        moment = clock.now() + delta
        return body | {"expires_at": moment.date().isoformat() if as_date else isoformat(moment)}

    return change


BAD_ENTRIES = [
    ("bad nationality", setting("nationalities", ["KHM", "KHX"]), "nationalities.1"),
    ("lower-case nationality", setting("nationalities", ["khm"]), "nationalities.0"),
    (
        "bad document country",
        setting("documents", [{"type": "passport", "number": "N1", "country": "ZZZ"}]),
        "documents.0.country",
    ),
    (
        "bad document type",
        setting("documents", [{"type": "library_card", "number": "N1"}]),
        "documents.0.type",
    ),
    ("impossible partial date", setting("dates_of_birth", ["1985-13"]), "dates_of_birth.0"),
    ("impossible day", setting("dates_of_birth", ["1985-02-30"]), "dates_of_birth.0"),
    ("two-digit year", setting("dates_of_birth", ["85"]), "dates_of_birth.0"),
    ("unknown field", setting("colour", "blue"), "colour"),
    ("unknown name field", setting("names", [{"full": "A B", "middle": "C"}]), "names.0.middle"),
    ("unknown agency", setting("release_to", ["GDI", "NOPE"]), "release_to.1"),
    ("malformed agency", setting("release_to", ["gdi"]), "release_to.0"),
    ("bad category", setting("category", "suspicious"), "category"),
    ("no names", setting("names", []), "names"),
    ("missing reason", without("reason"), "reason"),
    ("empty reason", setting("reason", "  "), "reason"),
    ("missing expiry", without("expires_at"), "expires_at"),
    ("expiry in the past", expiring(-DAY), "expires_at"),
    ("expiry now", expiring(timedelta(0), as_date=False), "expires_at"),
    ("expiry 366 days ahead", expiring(366 * DAY), "expires_at"),
    ("expiry without a zone", setting("expires_at", "2026-12-01T10:00:00"), "expires_at"),
    ("bad sex", setting("sex", "male"), "sex"),
    ("number as a string field", setting("instructions", 12), "instructions"),
]


@pytest.mark.parametrize(("change", "field"), [pytest.param(c, f, id=i) for i, c, f in BAD_ENTRIES])
async def test_a_bad_entry_is_refused_naming_the_field(
    api: WatchlistApi, engine: AsyncEngine, clock: FrozenClock, change: Any, field: str
) -> None:
    headers = await api.staff("editor")
    audit_before = await count_rows(engine, audit_events)
    body = change(entry_body(clock), clock)
    response = await api.client.post(ENTRIES, json=body, headers=headers)
    problem_body = await problem(response, 422)
    assert problem_body["type"] == PROBLEM_BASE + "validation-failed"
    assert field in fields(problem_body), problem_body
    assert await count_rows(engine, watchlist_entries) == 0
    assert await count_rows(engine, audit_events) == audit_before


async def test_edits_are_validated_the_same_way(api: WatchlistApi, clock: FrozenClock) -> None:
    entry_id = await api.create()
    body = entry_body(clock, nationalities=["KHX"])
    response = await api.call("PUT", f"{ENTRIES}/{entry_id}", "editor", body)
    assert fields(await problem(response, 422)) == ["nationalities.0"]
    assert (await api.detail(entry_id, "editor"))["entry"]["nationalities"] == ["KHM"]


async def test_partial_dates_and_the_last_allowed_expiry_are_accepted(
    api: WatchlistApi, clock: FrozenClock
) -> None:
    last_day = (clock.now() + 365 * DAY).date().isoformat()
    entry_id = await api.create(dates_of_birth=["1985", "1985-03"], expires_at=last_day)
    assert (await api.detail(entry_id, "editor"))["entry"]["dates_of_birth"] == ["1985", "1985-03"]


@pytest.mark.parametrize("settings_overrides", [{"watchlist_max_expiry_days": "30"}])
async def test_the_expiry_limit_is_a_setting(api: WatchlistApi, clock: FrozenClock) -> None:
    body = entry_body(clock, expires_at=(clock.now() + 31 * DAY).date().isoformat())
    response = await api.call("POST", ENTRIES, "editor", body)
    problem_body = await problem(response, 422)
    assert problem_body["errors"] == [
        {"field": "expires_at", "message": "must be at most 30 days ahead; review it then"}
    ]
    await api.create(expires_at=(clock.now() + 30 * DAY).date().isoformat())


async def test_list_filters_are_validated(api: WatchlistApi) -> None:
    response = await api.call(
        "GET", ENTRIES, "editor", params={"status": "gone", "category": "x", "limit": "0"}
    )
    assert fields(await problem(response, 422)) == ["status", "category", "limit"]
