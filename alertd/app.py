"""``create_app(settings)``: wiring only. Every resource is made in a cleanup context."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from alertd import alerts, audit, idempotency, retention, watchlist
from alertd.alerts import Deadlines
from alertd.api import admin, auth, health
from alertd.api import alerts as alerts_api
from alertd.api import audit as audit_api
from alertd.api import crossings as crossings_api
from alertd.api import watchlist as watchlist_api
from alertd.api.problems import problems, request_context
from alertd.auth import Authenticator
from alertd.batching import Batcher
from alertd.channels import websocket
from alertd.channels.broker import Broker, InProcessBroker, PostgresBroker, asyncpg_dsn
from alertd.channels.hub import Hub
from alertd.clock import Clock, SystemClock
from alertd.config import Settings
from alertd.db import create_engine, create_read_engine, schema_state, single_statement_reads
from alertd.live_index import LiveIndex
from alertd.metrics import Metrics
from alertd.passwords import Passwords
from alertd.recording import MAX_BATCH, CrossingWriter
from alertd.retro import RetroScreening
from alertd.routing import load_policy
from alertd.screening import Screener
from alertd.state import (
    AUTHENTICATOR,
    BROKER,
    CLOCK,
    ENGINE,
    HUB,
    LIVE_INDEX,
    METRICS,
    NOTIFIER,
    PASSWORDS,
    READ_ENGINE,
    RETRO,
    ROUTING,
    SCREENER,
    SETTINGS,
    STATEMENT_READS,
    WATCHLIST_FEED,
)
from alertd.tokens import AccessTokens, load_or_create_signing_key
from alertd.watchlist import FeedFanout

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
    app.cleanup_ctx.append(_screening)
    app.on_shutdown.append(_close_channels)
    for module in (
        auth,
        admin,
        audit_api,
        health,
        watchlist_api,
        crossings_api,
        alerts_api,
        websocket,
    ):
        app.router.add_routes(module.routes)
    return app


async def _database(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    engine = create_engine(settings.database_url_value, settings.database_pool_size)
    reader = create_read_engine(settings.database_url_value, engine)
    try:
        state = await schema_state(engine)
        if not state.up_to_date:
            raise SchemaNotCurrent(
                f"the database schema is at {state.current or 'nothing (empty database)'} "
                f"but this alertd needs {state.head}: run `alertd db upgrade` first"
            )
        async with engine.connect() as conn:
            if not await audit.chained_at_commit(conn):
                raise SchemaNotCurrent(
                    "the audit chain's commit trigger (migration 0005) is missing or "
                    "disabled: run `alertd db upgrade`, or re-enable it"
                )
        app[ENGINE], app[READ_ENGINE] = engine, reader
        app[STATEMENT_READS] = single_statement_reads(reader)
        yield
    finally:
        await engine.dispose()
        await reader.dispose()


async def _security(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    key = load_or_create_signing_key(settings.data_dir)
    passwords = Passwords(settings)
    app[PASSWORDS] = passwords
    app[AUTHENTICATOR] = Authenticator(
        app[ENGINE], settings, passwords, AccessTokens(key, settings), app[CLOCK], app[READ_ENGINE]
    )
    log.info("signing key loaded", extra={"kid": key.kid})
    yield
    await app[AUTHENTICATOR].close()


async def _screening(app: web.Application) -> AsyncIterator[None]:
    """Routing policy, the live index (rebuilt from the database), the screener, the hub,
    the change feed, and the background sweeps (expiry, escalation, retention)."""
    settings, clock, engine, reader = app[SETTINGS], app[CLOCK], app[ENGINE], app[READ_ENGINE]
    routing = load_policy(settings.policy_file)
    live = LiveIndex(routing.thresholds())
    await live.rebuild(reader, clock.now())
    deadlines = Deadlines(
        high=timedelta(seconds=settings.escalate_after_seconds_high),
        medium=timedelta(seconds=settings.escalate_after_seconds_medium),
        low=timedelta(seconds=settings.escalate_after_seconds_low),
    )
    screener = Screener(live.index, routing, deadlines)
    hub = Hub(reader, clock, settings.ws_ping_interval_seconds)
    await hub.start_high_water()
    broker = _broker(settings, hub, live, reader, clock)
    retro = RetroScreening(engine, screener, broker, clock, settings.retro_screen_days, reader)
    app[ROUTING], app[LIVE_INDEX], app[SCREENER] = routing, live, screener
    writer = CrossingWriter(engine, screener)
    app[crossings_api.CROSSING_WRITER] = Batcher(writer, MAX_BATCH)
    app[HUB], app[NOTIFIER], app[RETRO], app[BROKER] = hub, broker, retro, broker
    app[WATCHLIST_FEED] = FeedFanout(live, retro, broker)
    sweeps = [
        broker.run(),
        hub.run_dispatcher(),
        hub.run_watchdog(),
        hub.run_catch_up(),
        _every(settings.expiry_sweep_interval_seconds, _sweep_expired, app),
        _every(settings.escalation_sweep_interval_seconds, _sweep_escalations, app),
        _every(settings.retention_sweep_interval_seconds, _sweep_retention, app),
    ]
    tasks = [asyncio.create_task(sweep) for sweep in sweeps]
    yield
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await retro.drain(grace=settings.shutdown_timeout_seconds / 2)
    await writer.close()


def _broker(
    settings: Settings, hub: Hub, live: LiveIndex, engine: AsyncEngine, clock: Clock
) -> Broker:
    url = settings.database_url_value
    kind = settings.broker
    if kind == "auto":
        kind = "postgresql" if engine.dialect.name == "postgresql" else "inprocess"
    if kind == "postgresql":
        return PostgresBroker(asyncpg_dsn(url), hub, live, engine, clock)
    return InProcessBroker(hub)


async def _close_channels(app: web.Application) -> None:
    """On shutdown, tell every WebSocket client to reconnect elsewhere and resume."""
    if HUB in app:
        app[HUB].shutdown()


async def _every(
    interval: float, sweep: Callable[[web.Application], Awaitable[None]], app: web.Application
) -> None:
    """Run ``sweep`` every ``interval`` seconds; a database outage is logged and retried."""
    while True:
        await asyncio.sleep(interval)
        try:
            await sweep(app)
        except (SQLAlchemyError, OSError):
            log.exception("background sweep failed; retrying", extra={"sweep": sweep.__name__})


async def _sweep_expired(app: web.Application) -> None:
    """Matching does not wait for this (the index refuses expired entries at query
    time); the sweep keeps entry states and history truthful."""
    async with app[ENGINE].begin() as conn:
        changes = await watchlist.expire_due(conn, app[CLOCK].now())
    app[WATCHLIST_FEED].apply(changes)


async def _sweep_escalations(app: web.Application) -> None:
    async with app[ENGINE].begin() as conn:
        notices = await alerts.escalate_due(conn, app[CLOCK].now(), app[ROUTING])
    app[NOTIFIER].alerts_changed(notices)


async def _sweep_retention(app: web.Application) -> None:
    settings = app[SETTINGS]
    now = app[CLOCK].now()
    async with app[ENGINE].begin() as conn:
        await retention.purge_crossings(conn, now, settings.crossing_retention_days)
        await idempotency.forget_before(
            conn, now - timedelta(hours=settings.idempotency_key_ttl_hours)
        )
