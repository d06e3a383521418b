"""The list's ``q=`` filter: substring search over the folded names through each
backend's trigram index (migration 0004), kept in step with every write, on both
backends."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from alertd.clock import FrozenClock
from tests.watchlist.helpers import ENTRIES, WatchlistApi, entry_body, ndjson, person


async def test_q_finds_any_part_of_any_name_whatever_its_case_and_accents(
    api: WatchlistApi,
) -> None:
    sok = await api.publish()  # SOK Chan, សុខ ចាន់, Sokh Chann
    nguyen = await api.publish(
        external_ref="REF-NGUYEN",
        names=[{"full": "Nguyễn Thị Ánh", "family": "Nguyễn", "given": "Thị Ánh"}],
    )
    assert await api.listed("editor", q="sokh") == [sok]
    assert await api.listed("editor", q="CHANN") == [sok]
    assert await api.listed("editor", q="ok ch") == [sok], "across the space, mid-word"
    assert await api.listed("editor", q="សុខ") == [sok], "the original script"
    assert await api.listed("editor", q="nguyen thi") == [nguyen], "accents folded away"
    assert await api.listed("editor", q="NGUYỄN") == [nguyen]
    assert await api.listed("editor", q="nobody at all") == []


async def test_short_needles_and_external_references_are_found_too(api: WatchlistApi) -> None:
    """Trigrams need three characters; shorter needles and exact references still work."""
    sok = await api.publish()
    other = await api.publish(**person("KEO Pisey", "KEO", "Pisey"))
    assert await api.listed("editor", q="ch") == [sok]
    assert set(await api.listed("editor", q="o")) == {sok, other}
    assert await api.listed("editor", q="UN-QDi.001") == [sok]
    assert await api.listed("editor", q="REF-KEO-Pisey") == [other]


async def test_like_wildcards_in_q_are_plain_characters(api: WatchlistApi) -> None:
    await api.publish()
    assert await api.listed("editor", q="%") == []
    assert await api.listed("editor", q="s_k") == []
    assert await api.listed("editor", q='"sok') == []


async def test_edits_imports_and_approvals_keep_the_search_index_in_step(
    api: WatchlistApi, clock: FrozenClock, engine: AsyncEngine
) -> None:
    draft = await api.create(**person("HENG Vanna", "HENG", "Vanna"))
    assert await api.listed("editor", q="heng vann") == [draft]
    renamed = entry_body(clock, **person("MEAS Bopha", "MEAS", "Bopha"))
    assert (await api.call("PUT", f"{ENTRIES}/{draft}", "editor", renamed)).status == 200
    assert await api.listed("editor", q="heng vann") == []
    assert await api.listed("editor", q="meas bop") == [draft]

    body = ndjson([entry_body(clock, **person("TEP Sreymom", "TEP", "Sreymom"))])
    created = await (await api.upload("editor", body)).json()
    (imported,) = await api.listed("editor", q="tep sreym")
    approve = f"/api/v1/watchlist/imports/{created['id']}/approve"
    assert (await api.call("POST", approve, "approver")).status == 200
    assert await api.listed("gdi_desk", q="tep sreym") == [imported]
    await _check_search_index(engine)


async def _check_search_index(engine: AsyncEngine) -> None:
    """On SQLite the FTS5 table must index exactly the entries' names: its integrity
    check (rank 1: against the content table) raises if not. PostgreSQL's index is
    maintained by the table itself."""
    if engine.dialect.name == "sqlite":
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO watchlist_names_search(watchlist_names_search, rank) "
                    "VALUES ('integrity-check', 1)"
                )
            )


async def test_the_backend_uses_its_search_index(api: WatchlistApi, engine: AsyncEngine) -> None:
    await api.publish()
    async with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            found = await conn.execute(
                text("SELECT rowid FROM watchlist_names_search WHERE names_text MATCH :q"),
                {"q": '"sokh"'},
            )
            assert len(found.all()) == 1
        else:
            await conn.execute(text("SET LOCAL enable_seqscan = off"))
            plan = await conn.execute(
                text("EXPLAIN SELECT id FROM watchlist_entries WHERE names_text LIKE '%sokh%'")
            )
            assert "ix_watchlist_entries_names_trgm" in " ".join(plan.scalars())
