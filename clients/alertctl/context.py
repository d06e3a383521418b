"""What every command gets from the root command, and how it runs its async work.

aiohttp (whose import alone costs a third of a second, most of it building TLS
contexts) is imported when a command first talks to the server, so `--help` and usage
errors answer at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NoReturn, TypeVar

import click
from yarl import URL

from clients.alertctl.errors import AlertctlError
from clients.alertctl.output import Output
from clients.alertctl.session import TokenStore

if TYPE_CHECKING:
    from clients.alertctl.http import ApiClient

T = TypeVar("T")


@dataclass(frozen=True)
class Timeouts:
    connect: float = 10.0
    read: float = 60.0  # between two reads; an import may take a while to validate


@dataclass(frozen=True)
class Globals:
    """The global options, resolved once by the root command (click's ``ctx.obj``)."""

    url: URL
    output: Output
    store: TokenStore
    timeouts: Timeouts


pass_globals = click.make_pass_decorator(Globals)


def run(g: Globals, work: Callable[[ApiClient], Awaitable[T]]) -> T:
    """Run `work` with a client of the server; an error is shown and becomes the exit code."""
    try:
        return asyncio.run(_with_client(g, work))
    except AlertctlError as exc:
        fail(g, exc)


def fail(g: Globals, error: AlertctlError) -> NoReturn:
    g.output.error(error)
    raise click.exceptions.Exit(error.exit_code)


async def _with_client(g: Globals, work: Callable[[ApiClient], Awaitable[T]]) -> T:
    import aiohttp

    from clients.alertctl.http import ApiClient

    timeout = aiohttp.ClientTimeout(
        total=None, sock_connect=g.timeouts.connect, sock_read=g.timeouts.read
    )
    async with aiohttp.ClientSession(timeout=timeout) as http:
        return await work(ApiClient(g.url, g.store, http))
