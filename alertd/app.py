"""``create_app(settings)``: wiring only. Every resource is made in a cleanup context."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from alertd import watchlist
from alertd.api import admin, auth, health
from alertd.api import watchlist as watchlist_api
from alertd.api.problems import problems, request_context
from alertd.auth import Authenticator
from alertd.clock import Clock, SystemClock
from alertd.config import Settings
from alertd.db import create_engine, schema_state
from alertd.live_index import LiveIndex
from alertd.metrics import Metrics
from alertd.passwords import Passwords
from alertd.state import (
    AUTHENTICATOR,
    CLOCK,
    ENGINE,
    LIVE_INDEX,
    METRICS,
    PASSWORDS,
    SETTINGS,
    WATCHLIST_FEED,
)
from alertd.tokens import AccessTokens, load_or_create_signing_key

log = logging.getLogger("alertd")


class SchemaNotCurrent(Exception):
    """The database is not migrated to the schema this code needs."""


def create_app(settings: Settings, clock: Clock | None = None) -> web.Application:
    app = web.Application(
        middlewares=[request_context, problems], client_max_size=settings.max_body_bytes
    )
    app[SETTINGS] = settings
    app[CLOCK] = clock or SystemClock()
    app[METRICS] = Metrics()
    app.cleanup_ctx.append(_database)
    app.cleanup_ctx.append(_security)
    app.cleanup_ctx.append(_watchlist)
    for module in (auth, admin, health, watchlist_api):
        app.router.add_routes(module.routes)
    return app


async def _database(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    engine = create_engine(settings.database_url_value, settings.database_pool_size)
    try:
        state = await schema_state(engine)
        if not state.up_to_date:
            raise SchemaNotCurrent(
                f"the database schema is at {state.current or 'nothing (empty database)'} "
                f"but this alertd needs {state.head}: run `alertd db upgrade` first"
            )
        app[ENGINE] = engine
        yield
    finally:
        await engine.dispose()


async def _security(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    key = load_or_create_signing_key(settings.data_dir)
    passwords = Passwords(settings)
    app[PASSWORDS] = passwords
    app[AUTHENTICATOR] = Authenticator(
        app[ENGINE], settings, passwords, AccessTokens(key, settings), app[CLOCK]
    )
    log.info("signing key loaded", extra={"kid": key.kid})
    yield


async def _watchlist(app: web.Application) -> AsyncIterator[None]:
    live = LiveIndex()
    await live.rebuild(app[ENGINE], app[CLOCK].now())
    app[LIVE_INDEX] = live
    app[WATCHLIST_FEED] = live
    sweeper = asyncio.create_task(_sweep_expired(app), name="expiry-sweeper")
    yield
    sweeper.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await sweeper


async def _sweep_expired(app: web.Application) -> None:
    """Mark expired entries as such. Matching does not wait for this: the index refuses
    expired entries at query time; the sweep keeps states and history truthful."""
    interval = app[SETTINGS].expiry_sweep_interval_seconds
    while True:
        await asyncio.sleep(interval)
        try:
            async with app[ENGINE].begin() as conn:
                changes = await watchlist.expire_due(conn, app[CLOCK].now())
        except (SQLAlchemyError, OSError):
            log.exception("expiry sweep failed; retrying at the next interval")
            continue
        app[WATCHLIST_FEED].apply(changes)
