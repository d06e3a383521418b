"""The real OFAC SDN (July 2021) and UN consolidated (February 2026) lists, converted by
``alertd.importers.convert`` exactly as ``alertctl watchlist import`` does, uploaded as
JSON Lines through the API, approved by a second person, and then matched.

The files are the byte-for-byte copies under tests/data/watchlists (see PROVENANCE.md
there) of ../shared/data/watchlists; the converters' own tests are in tests/importers.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from alertd.api.watchlist import INDEX_BEFORE_ANSWER_MAX
from alertd.clock import FrozenClock
from alertd.importers import Format, convert
from alertd.state import LIVE_INDEX
from alertd.tables import watchlist_entries
from tests.conftest import Client
from tests.watchlist.helpers import IMPORTS, WatchlistApi, count_rows, matched_ids, ndjson

LISTS = Path(__file__).resolve().parents[1] / "data" / "watchlists"

# Individuals in each list (the converters' tests check these against a grep of the files).
REAL_LISTS = [
    pytest.param("ofac", LISTS / "ofac_sdn_2021-07", 4620, id="ofac-sdn-2021-07"),
    pytest.param(
        "un", LISTS / "un_consolidated_2026-02-27" / "UN_consolidated.xml", 730, id="un-2026-02"
    ),
]


def completed(entries: list[dict[str, Any]], clock: FrozenClock) -> list[dict[str, Any]]:
    """What a list does not say and the importing officer adds (as alertctl's options do)."""
    expires = (clock.now() + timedelta(days=365)).date().isoformat()
    extra = {"category": "entry_ban", "release_to": ["GDI", "GCNP"], "expires_at": expires}
    return [entry | extra for entry in entries]


@pytest.mark.parametrize(("fmt", "path", "individuals"), REAL_LISTS)
async def test_a_real_list_is_imported_approved_and_matched(
    api: WatchlistApi,
    client: Client,
    engine: AsyncEngine,
    clock: FrozenClock,
    fmt: Format,
    path: Path,
    individuals: int,
) -> None:
    entries = completed([entry for _, entry in convert(fmt, path)], clock)
    assert len(entries) == individuals
    response = await api.upload("editor", ndjson(entries))
    created = await response.json()
    assert response.status == 201, created
    assert created["count"] == individuals
    approved = await api.ok("POST", f"{IMPORTS}/{created['id']}/approve", "approver")
    indexed = individuals <= INDEX_BEFORE_ANSWER_MAX  # larger batches: after the answer
    assert approved == {
        "id": created["id"],
        "count": individuals,
        "status": "published",
        "indexed": indexed,
    }
    await client.app[LIVE_INDEX].backlog.settled()

    published = watchlist_entries.c.status == "published"
    assert await count_rows(engine, watchlist_entries, published) == individuals
    assert len(client.app[LIVE_INDEX].index) == individuals
    page = await api.ok("GET", "/api/v1/watchlist/entries", "gdi_desk", params={"limit": "200"})
    assert len(page["entries"]) == 200 and page["next_after"] is not None
    first = entries[0]
    (found,) = await api.listed("gdi_desk", q=first["external_ref"])
    name = first["names"][0]["full"]
    dob = (first.get("dates_of_birth") or [None])[0]
    assert found in matched_ids(client, clock, name, date_of_birth=dob)

    # Importing the same list again updates every entry instead of duplicating it.
    again = await api.upload("editor", ndjson(entries))
    assert again.status == 201
    assert await count_rows(engine, watchlist_entries) == individuals
    batch = (await again.json())["id"]
    assert (await api.call("POST", f"{IMPORTS}/{batch}/approve", "approver")).status == 200
    await client.app[LIVE_INDEX].backlog.settled()
    republished = watchlist_entries.c.published_version == 2
    assert await count_rows(engine, watchlist_entries, published, republished) == individuals
    assert len(client.app[LIVE_INDEX].index) == individuals
    assert found in matched_ids(client, clock, name, date_of_birth=dob)
