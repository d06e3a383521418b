"""The database: engine creation for SQLite and PostgreSQL, transactions, schema state.

SQLite is the embedded default for one node: WAL mode so readers never wait for the
writer, a busy timeout, foreign keys on, and ``BEGIN IMMEDIATE`` so a transaction takes
the write lock up front instead of failing when it upgrades half-way. PostgreSQL
(asyncpg) is for production and several nodes.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, Protocol, cast

import asyncpg
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import ClauseElement, Connection, Table, event
from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection
from sqlalchemy.sql.compiler import SQLCompiler

from alertd.errors import NotReady

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 10_000
# A pooled PostgreSQL connection that sat unused this long is pinged before it is
# handed out. Pinging every checkout (SQLAlchemy's pool_pre_ping) costs asyncpg three
# round trips (BEGIN, ";", ROLLBACK) on every request; a connection in steady use
# needs none, and one that died anyway is caught by the disconnect handling (the
# pool is invalidated and the request is answered 503, try again).
IDLE_PING_SECONDS = 10.0
IDLE_SINCE = "alertd_idle_since"


@dataclass(frozen=True)
class SchemaState:
    current: str | None
    head: str | None

    @property
    def up_to_date(self) -> bool:
        return self.current is not None and self.current == self.head


def create_engine(
    url: str, pool_size: int = 10, idle_ping_seconds: float = IDLE_PING_SECONDS
) -> AsyncEngine:
    """An async engine for ``url``, tuned for its backend."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        _tune_sqlite(engine, begin="BEGIN IMMEDIATE")
        return engine
    engine = create_async_engine(url, pool_size=pool_size, max_overflow=pool_size)
    _ping_when_idle(engine, idle_ping_seconds)
    return engine


def _ping_when_idle(engine: AsyncEngine, idle_seconds: float) -> None:
    """Ping a connection before use only if it sat in the pool for a while."""
    dialect = engine.sync_engine.dialect

    @event.listens_for(engine.sync_engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info[IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        idle_since = record.info.pop(IDLE_SINCE, None)
        if idle_since is None or time.monotonic() - idle_since < idle_seconds:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as exc:  # the pool retries with a fresh one
            raise DisconnectionError("an idle pooled connection is dead") from exc


def create_read_engine(url: str, write_engine: AsyncEngine) -> AsyncEngine:
    """An engine for transactions that only read (authentication, fan-out lookups).

    On SQLite, readers in WAL mode never wait for the writer, but a ``BEGIN IMMEDIATE``
    would make them; this engine begins deferred and refuses writes. PostgreSQL needs no
    such distinction: the write engine is returned.
    """
    if make_url(url).get_backend_name() != "sqlite":
        return write_engine
    engine = create_async_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
    _tune_sqlite(engine, begin="BEGIN", read_only=True)
    return engine


def single_statement_reads(engine: AsyncEngine) -> AsyncEngine:
    """The engine for lookups that are one SELECT each (the principal behind a token).

    On PostgreSQL such a lookup needs no transaction: in autocommit the driver sends the
    query alone, where a transaction would add a BEGIN and a ROLLBACK round trip (two
    thirds of the lookup's cost). SQLite's read engine is returned as it is.
    """
    if engine.dialect.name != "postgresql":
        return engine
    return engine.execution_options(isolation_level="AUTOCOMMIT")


def _tune_sqlite(engine: AsyncEngine, *, begin: str, read_only: bool = False) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide where transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # FULL: a committed crossing or alert survives a power cut, not only a crash.
        cursor.execute("PRAGMA synchronous=FULL")
        if read_only:
            cursor.execute("PRAGMA query_only=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql(begin)


def is_postgresql(engine: AsyncEngine | AsyncConnection) -> bool:
    return engine.dialect.name == "postgresql"


def alembic_config(url: str) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser interpolation would choke on a '%' in a password.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def schema_state(engine: AsyncEngine) -> SchemaState:
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    async with engine.connect() as conn:
        current = await conn.run_sync(
            lambda sync_conn: MigrationContext.configure(sync_conn).get_current_revision()
        )
    return SchemaState(current=current, head=head)


# --- the hot path on PostgreSQL -----------------------------------------------------------

# What a lost or unusable driver connection raises (the server restarted, a failover).
# InternalClientError: the server's termination notice arrived while the connection
# sat idle in the pool, and the next query meets a protocol in a broken state.
DRIVER_CONNECTION_ERRORS = (
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,
    OSError,
)
_ASYNCPG_DIALECT = PGDialect_asyncpg()  # type: ignore[no-untyped-call]


@dataclass(frozen=True)
class DriverStatement:
    """A SQLAlchemy statement compiled once for asyncpg, to run on a pooled connection's
    driver directly.

    Every request runs a few small statements; through SQLAlchemy's execution layer each
    costs several hundred microseconds of CPU (parameter processing, the result proxy,
    greenlet switches), on the driver about a quarter of that. The statement is still
    written once, with the tables' SQLAlchemy definitions.
    """

    sql: str
    names: tuple[str, ...]

    @classmethod
    def of(cls, statement: ClauseElement) -> DriverStatement:
        compiled = cast(SQLCompiler, statement.compile(dialect=_ASYNCPG_DIALECT))
        return cls(str(compiled), tuple(compiled.positiontup or ()))

    def args(self, params: Mapping[str, Any]) -> list[Any]:
        """The statement's positional arguments, from its named parameters."""
        return [params[name] for name in self.names]


async def fetch_direct(
    conn: AsyncConnection, statement: DriverStatement, params: Mapping[str, Any]
) -> Sequence[Mapping[str, Any]]:
    """The rows of ``statement`` (PostgreSQL) on ``conn``'s driver connection.

    A lost connection is answered as 503, retry shortly, and the pool's connections are
    replaced, as the problems middleware and SQLAlchemy handle a disconnect error.
    """
    pooled = await conn.get_raw_connection()
    driver = pooled.driver_connection
    assert driver is not None, "a checked-out connection has its driver connection"
    try:
        rows: Sequence[Mapping[str, Any]] = await driver.fetch(
            statement.sql, *statement.args(params)
        )
    except DRIVER_CONNECTION_ERRORS as exc:
        await _lost(conn, pooled, exc)
    return rows


def insert_from_arrays(table: Table, first: int = 1) -> str:
    """An INSERT of rows of ``table`` given as one array per column, in the table's
    column order, as parameters ``$first`` on (``column_arrays``): one statement of fixed
    text for any number of rows, which the driver prepares once per connection."""
    names = ", ".join(column.name for column in table.columns)
    arrays = ", ".join(
        f"${first + i}::{column.type.compile(dialect=_ASYNCPG_DIALECT)}[]"
        for i, column in enumerate(table.columns)
    )
    # Built from the table's definition, never from input: the values are parameters.
    return f"INSERT INTO {table.name} ({names}) SELECT * FROM unnest({arrays})"  # noqa: S608


def column_arrays(table: Table, rows: Sequence[Mapping[str, Any]]) -> list[list[Any]]:
    """The arguments of ``insert_from_arrays(table)`` for ``rows``: one list per column."""
    return [[row[column.name] for row in rows] for column in table.columns]


class Driver(Protocol):
    """The few calls of an asyncpg connection that the driver path makes."""

    async def fetch(self, query: str, *args: Any) -> list[Any]: ...

    async def executemany(self, command: str, args: Iterable[Sequence[Any]]) -> None: ...


@asynccontextmanager
async def driver_transaction(conn: AsyncConnection) -> AsyncIterator[Driver]:
    """A transaction on ``conn``'s asyncpg driver (PostgreSQL), for the hot path's writes
    (see ``DriverStatement`` for why).

    It commits when the block ends and rolls back if the block raises. SQLAlchemy does
    not know of it (its own transaction never began), so returning the connection to
    the pool sends nothing. Errors are translated as SQLAlchemy's own would be: a lost
    connection is NotReady (503, retry; the pool replaced), any other database error a
    DBAPIError (a logged 500, and a batch that meets one is done again one by one).
    """
    async with _driver_of(conn) as driver, driver.transaction():
        yield cast(Driver, driver)


@asynccontextmanager
async def driver_statements(conn: AsyncConnection) -> AsyncIterator[Driver]:
    """``conn``'s asyncpg driver (PostgreSQL) for statements that are each a transaction
    of their own (autocommit): a write that one statement can carry, even to several
    tables, commits without the BEGIN and COMMIT round trips of ``driver_transaction``.
    Errors are translated as there.
    """
    async with _driver_of(conn) as driver:
        yield cast(Driver, driver)


@asynccontextmanager
async def _driver_of(conn: AsyncConnection) -> AsyncIterator[Any]:
    """``conn``'s asyncpg connection, its errors translated as SQLAlchemy's would be."""
    pooled = await conn.get_raw_connection()
    driver = pooled.driver_connection
    assert driver is not None, "a checked-out connection has its driver connection"
    try:
        yield driver
    except DRIVER_CONNECTION_ERRORS as exc:
        await _lost(conn, pooled, exc)
    except asyncpg.PostgresError as exc:
        raise DBAPIError(None, None, exc) from exc


class KeptConnection:
    """A pooled connection kept checked out for work done one batch at a time (a
    ``Batcher``'s), so that each batch skips the pool's checkout and checkin: about
    50 us of CPU each time, as much as a small batch's statements on the driver.

    Work that overlaps the kept connection's (a failed batch's items are done again one
    by one, at once) checks a connection out of the pool as before. A kept connection is
    given back, and another checked out (and pinged, see ``create_engine``) when it sat
    unused for ``idle_seconds``, when it or the pool was invalidated (a connection lost
    here or elsewhere: one 503, then fresh connections everywhere), and after any work that
    ended with an error; a transaction that its work left open (SQLAlchemy begins one at
    the first statement) is rolled back. It never carries a state into the next batch:
    a read's snapshot, above all, would hide what was committed since.
    """

    def __init__(self, engine: AsyncEngine, idle_seconds: float = IDLE_PING_SECONDS) -> None:
        self._engine = engine
        self._idle_seconds = idle_seconds
        self._kept: AsyncConnection | None = None
        self._last_used = 0.0
        self._checked_out_at = 0.0
        self._busy = False

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[AsyncConnection]:
        if self._busy:
            async with self._engine.connect() as conn:
                yield conn
            return
        self._busy = True
        try:
            conn = await self._checked_out()
            try:
                yield conn
                if conn.in_transaction():  # begun by a read: never carried into the next
                    await conn.rollback()
            except BaseException:
                await self.close()
                raise
            self._last_used = time.monotonic()
        finally:
            self._busy = False

    async def _checked_out(self) -> AsyncConnection:
        kept = self._kept
        stale = time.monotonic() - self._last_used >= self._idle_seconds
        if kept is not None and (stale or kept.invalidated or kept.closed or self._outdated()):
            await self.close()
            kept = None
        if kept is None:
            kept = self._kept = await self._engine.connect()
            self._checked_out_at = time.time()
        return kept

    def _outdated(self) -> bool:
        """Whether the pool was invalidated since the kept connection was checked out (a
        lost connection elsewhere: the server likely went away for every connection),
        as the pool itself would judge at a checkout (``time.time`` stamps, as there)."""
        invalidated_at: float = self._engine.sync_engine.pool._invalidate_time
        return invalidated_at > self._checked_out_at

    async def close(self) -> None:
        """Give the kept connection back to the pool (at shutdown, or to renew it)."""
        kept, self._kept = self._kept, None
        if kept is not None:
            await kept.close()


async def _lost(
    conn: AsyncConnection, pooled: PoolProxiedConnection, exc: BaseException
) -> NoReturn:
    """What SQLAlchemy does on a disconnect error: the server is likely gone for every
    pooled connection opened before now, so each is replaced at its next checkout
    (else the next requests would meet them one by one), this one at once."""
    conn.sync_engine.pool._invalidate(pooled, exc)
    await conn.invalidate(exc)
    raise NotReady("the database connection was lost; retry shortly") from exc
