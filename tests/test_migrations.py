"""Migrations: one history for SQLite and PostgreSQL, equal to the tables in code, and
an app that refuses to serve a database that is not at its head."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from alertd.app import SchemaNotCurrent, create_app
from alertd.config import Settings, load_settings
from alertd.db import alembic_config, create_engine, schema_state
from alertd.tables import SEARCH_OBJECTS, metadata
from tests.conftest import Client, run_alertd
from tests.databases import (
    TEST_DATABASE_ENV,
    configured_backend,
    create_postgres_database,
    drop_postgres_database,
)

HEAD = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def revisions() -> list[str]:
    """Every revision, oldest first."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


@pytest.fixture
def empty_url(tmp_path: Path) -> Iterator[str]:
    """A database with nothing in it, on the backend of this run."""
    if configured_backend() == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
        return
    server = os.environ[TEST_DATABASE_ENV]
    name = create_postgres_database(server, prefix="alertd_empty_")
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        drop_postgres_database(server, name)


def settings_for(url: str, tmp_path: Path) -> Settings:
    return load_settings({"ALERTD_DATABASE_URL": url, "ALERTD_DATA_DIR": str(tmp_path / "data")})


async def in_thread(work: Callable[[], Any]) -> Any:
    """Alembic runs its own event loop (env.py), so it cannot run on the test's loop."""
    return await asyncio.to_thread(work)


async def revision_of(url: str) -> str | None:
    engine = create_engine(url)
    try:
        return (await schema_state(engine)).current
    finally:
        await engine.dispose()


async def test_the_test_database_is_at_head(engine: AsyncEngine) -> None:
    state = await schema_state(engine)
    assert state.current == state.head == HEAD
    assert state.up_to_date


def _not_a_search_object(name: str | None, _type: str, _parents: dict[str, Any]) -> bool:
    """Each backend's own name-search index (migration 0004) is not in tables.py."""
    return name not in SEARCH_OBJECTS


def _differences(sync_conn: Connection) -> list[Any]:
    context = MigrationContext.configure(
        sync_conn, opts={"compare_type": True, "include_name": _not_a_search_object}
    )
    return list(compare_metadata(context, metadata))


async def test_the_migrated_schema_equals_the_tables_in_code(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        differences = await conn.run_sync(_differences)
    assert differences == [], "tables.py and migrations/ disagree: write a migration"


async def test_every_table_in_code_exists(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        names = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    assert set(metadata.tables) <= names


async def test_cli_upgrade_then_down_and_up_again(empty_url: str, tmp_path: Path) -> None:
    settings = settings_for(empty_url, tmp_path)
    result = await run_alertd(settings, "db", "upgrade")
    assert result.exit_code == 0, result.stderr
    assert await revision_of(empty_url) == HEAD

    config = alembic_config(empty_url)
    await in_thread(lambda: command.downgrade(config, "base"))
    assert await revision_of(empty_url) is None
    for revision in revisions():
        await in_thread(lambda revision=revision: command.upgrade(config, revision))
        assert await revision_of(empty_url) == revision

    result = await run_alertd(settings, "db", "current")
    assert result.exit_code == 0, result.stderr
    assert f"database: {HEAD}; code needs: {HEAD}" in result.stdout


async def test_create_app_refuses_an_empty_database(
    empty_url: str, tmp_path: Path, aiohttp_client: Callable[..., Any]
) -> None:
    with pytest.raises(SchemaNotCurrent, match="run `alertd db upgrade`"):
        await aiohttp_client(create_app(settings_for(empty_url, tmp_path)))


@pytest.mark.skipif(len(revisions()) < 2, reason="needs an older revision to go back to")
async def test_create_app_refuses_an_older_database(
    empty_url: str, tmp_path: Path, aiohttp_client: Callable[..., Any]
) -> None:
    older = revisions()[-2]
    await in_thread(lambda: command.upgrade(alembic_config(empty_url), older))
    with pytest.raises(SchemaNotCurrent) as caught:
        await aiohttp_client(create_app(settings_for(empty_url, tmp_path)))
    assert older in str(caught.value)
    assert HEAD in str(caught.value)
    assert "alertd db upgrade" in str(caught.value)


async def test_alertd_serve_refuses_an_unmigrated_database(empty_url: str, tmp_path: Path) -> None:
    settings = settings_for(empty_url, tmp_path)
    result = await run_alertd(settings, "serve")
    assert result.exit_code != 0
    assert "alertd db upgrade" in result.stderr
    assert "Traceback" not in result.stderr


async def test_cli_commands_refuse_an_unmigrated_database(empty_url: str, tmp_path: Path) -> None:
    result = await run_alertd(settings_for(empty_url, tmp_path), "agency", "add", "GDI", "x")
    assert result.exit_code != 0
    assert "alertd db upgrade" in result.stderr


@pytest.fixture
async def migrated_client(
    empty_url: str, tmp_path: Path, aiohttp_client: Callable[..., Any]
) -> tuple[Client, str]:
    await in_thread(lambda: command.upgrade(alembic_config(empty_url), "head"))
    client = await aiohttp_client(create_app(settings_for(empty_url, tmp_path)))
    return client, empty_url


async def test_readyz_follows_the_schema(migrated_client: tuple[Client, str]) -> None:
    client, url = migrated_client
    response = await client.get("/readyz")
    assert response.status == 200
    assert await response.json() == {"status": "ready", "schema": HEAD}

    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("UPDATE alembic_version SET version_num = 'older'"))
    finally:
        await engine.dispose()
    response = await client.get("/readyz")
    assert response.status == 503
    problem = await response.json()
    assert problem["type"].endswith("/not-ready")
    assert "older" in problem["detail"]
    assert (await client.get("/healthz")).status == 200, "alive, though not ready"
