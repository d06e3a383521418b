"""Test databases: a migrated SQLite file or a PostgreSQL database per test run.

``ALERTD_TEST_DATABASE_URL`` picks the backend for the whole run: unset means SQLite;
a ``postgresql+asyncpg://`` URL names a server on which this run creates its own
database (``alertd_test_<random>``), migrates it once, and drops it at the end. If that
server cannot be reached the run fails: it never falls back to SQLite.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import make_url

from alertd.db import alembic_config, create_engine
from alertd.tables import metadata

TEST_DATABASE_ENV = "ALERTD_TEST_DATABASE_URL"
DEFAULT_POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


@dataclass(frozen=True)
class TestDatabase:
    __test__ = False  # a fixture value, not a test class

    backend: str  # "sqlite" | "postgresql"
    template: str  # a migrated database: a file path for SQLite, a URL for PostgreSQL

    def fresh_url(self, tmp_path: Path) -> str:
        """An empty, migrated database for one test."""
        if self.backend == "sqlite":
            target = tmp_path / "alertd.db"
            shutil.copyfile(self.template, target)
            return f"sqlite+aiosqlite:///{target}"
        asyncio.run(_truncate_all(self.template))
        return self.template


def configured_backend() -> str:
    url = os.environ.get(TEST_DATABASE_ENV, "")
    return "postgresql" if url.startswith("postgresql") else "sqlite"


def create_test_database(workdir: Path) -> tuple[TestDatabase, str | None]:
    """The run's template database, and the PostgreSQL database to drop afterwards."""
    url = os.environ.get(TEST_DATABASE_ENV, "")
    if not url.startswith("postgresql"):
        path = workdir / "template.db"
        command.upgrade(alembic_config(f"sqlite+aiosqlite:///{path}"), "head")
        return TestDatabase("sqlite", str(path)), None
    name = create_postgres_database(url)
    run_url = make_url(url).set(database=name).render_as_string(hide_password=False)
    command.upgrade(alembic_config(run_url), "head")
    return TestDatabase("postgresql", run_url), name


def create_postgres_database(server_url: str, prefix: str = "alertd_test_") -> str:
    name = prefix + uuid.uuid4().hex[:12]
    asyncio.run(_admin(server_url, f'CREATE DATABASE "{name}"'))
    return name


def drop_postgres_database(server_url: str, name: str) -> None:
    asyncio.run(_admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _admin(server_url: str, statement: str) -> None:
    engine = create_engine(server_url)
    try:
        async with engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


async def _truncate_all(url: str) -> None:
    """Empty every table and restart every sequence, in one round trip.

    DELETE, not TRUNCATE: on tables this small TRUNCATE costs ~0.5 s a test (it
    recreates every table's files), DELETE a few milliseconds.
    """
    deletes = " ".join(f'DELETE FROM "{table.name}";' for table in reversed(metadata.sorted_tables))
    statement = f"""
        DO $$ DECLARE seq record; BEGIN
            {deletes}
            FOR seq IN
                SELECT schemaname, sequencename FROM pg_sequences
                WHERE schemaname = current_schema()
            LOOP
                EXECUTE format('ALTER SEQUENCE %I.%I RESTART', seq.schemaname, seq.sequencename);
            END LOOP;
        END $$"""
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()
