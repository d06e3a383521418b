"""Throwaway databases for the benchmarks: a temporary SQLite file, or a PostgreSQL
database created on the given server and dropped afterwards."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import make_url

from alertd.db import create_engine


@dataclass(frozen=True)
class Database:
    backend: str
    url: str


@asynccontextmanager
async def throwaway_database(backend: str, postgres_url: str) -> AsyncIterator[Database]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="alertd-bench-") as folder:
            yield Database(backend, f"sqlite+aiosqlite:///{folder}/alertd.db")
        return
    name = "alertd_bench_" + uuid.uuid4().hex[:10]
    await _admin(postgres_url, f'CREATE DATABASE "{name}"')
    try:
        url = make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
        yield Database(backend, url)
    finally:
        await _admin(postgres_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _admin(server_url: str, statement: str) -> None:
    engine = create_engine(server_url)
    try:
        async with engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text(statement))
    finally:
        await engine.dispose()
