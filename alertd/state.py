"""Typed keys for what the application owns; each is created in a cleanup context."""

from __future__ import annotations

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from alertd.alerts import AlertNotifier
from alertd.auth import Authenticator
from alertd.channels.broker import Broker
from alertd.channels.hub import Hub
from alertd.clock import Clock
from alertd.config import Settings
from alertd.live_index import LiveIndex
from alertd.metrics import Metrics
from alertd.passwords import Passwords
from alertd.retro import RetroScreening
from alertd.routing import RoutingPolicy
from alertd.screening import Screener
from alertd.watchlist import ChangeFeed

SETTINGS = web.AppKey("settings", Settings)
CLOCK = web.AppKey("clock", Clock)
ENGINE = web.AppKey("engine", AsyncEngine)
# Read-only transactions (SQLite: deferred BEGIN, never waits for the writer).
READ_ENGINE = web.AppKey("read_engine", AsyncEngine)
# Reads of one statement each, that need no transaction around them (PostgreSQL:
# autocommit, without the BEGIN and ROLLBACK round trips; SQLite: the read engine).
STATEMENT_READS = web.AppKey("statement_reads", AsyncEngine)
PASSWORDS = web.AppKey("passwords", Passwords)
AUTHENTICATOR = web.AppKey("authenticator", Authenticator)
METRICS = web.AppKey("metrics", Metrics)
LIVE_INDEX = web.AppKey("live_index", LiveIndex)
WATCHLIST_FEED = web.AppKey("watchlist_feed", ChangeFeed)
ROUTING = web.AppKey("routing", RoutingPolicy)
SCREENER = web.AppKey("screener", Screener)
HUB = web.AppKey("hub", Hub)
NOTIFIER = web.AppKey("notifier", AlertNotifier)
RETRO = web.AppKey("retro", RetroScreening)
BROKER = web.AppKey("broker", Broker)
REQUEST_ID = web.RequestKey("request_id", str)
