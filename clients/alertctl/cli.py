"""The `alertctl` command: global options, the command groups, and exit codes.

    alertctl [--url URL] [--json] COMMAND ...

Exit codes, for scripts:

    0    success
    1    refused: the server answered 4xx, or an input file is invalid (nothing sent)
    2    usage: bad arguments or options
    3    not signed in: no session, session expired or revoked, sign-in refused (401)
    4    unavailable: server unreachable, timed out, 5xx, or not speaking the contract
    5    `audit verify`: the audit chain is broken (the first broken seq is printed)
    70   internal error: a bug in alertctl (a traceback is printed)
    130  interrupted

With --json, stdout holds exactly one JSON document (the result) and an error is one
JSON object on stderr: {"error", "exit_code", "problem"?, "lines"?}.
"""

from __future__ import annotations

import importlib
import os
import sys
import traceback
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

import click
from yarl import URL

from clients.alertctl.context import Globals, Timeouts
from clients.alertctl.errors import EXIT_BUG, EXIT_INTERRUPTED, EXIT_OK
from clients.alertctl.output import Output
from clients.alertctl.session import TokenStore, config_directory

DEFAULT_URL = "http://127.0.0.1:8080"
# Each command's module is imported when that command runs: `listen` alone needs the
# websockets library, `watchlist import` alone the list converters.
COMMANDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "login": "clients.alertctl.account:login",
        "logout": "clients.alertctl.account:logout",
        "whoami": "clients.alertctl.account:whoami",
        "refresh": "clients.alertctl.account:refresh",
        "watchlist": "clients.alertctl.watchlist:watchlist",
        "screen": "clients.alertctl.screen:screen",
        "listen": "clients.alertctl.listen:listen",
        "alerts": "clients.alertctl.alerts:alerts",
        "audit": "clients.alertctl.audit:audit",
    }
)


class LazyGroup(click.Group):
    """A group whose commands are named up front and imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attribute = target.split(":")
        command: Any = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command)
        return command


def _server_url(ctx: click.Context, param: click.Parameter, value: str) -> URL:
    url = URL(value)
    if url.scheme not in ("http", "https") or not url.host:
        raise click.BadParameter(f"{value!r} is not an http:// or https:// URL", ctx, param)
    return url


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--url",
    envvar="ALERTD_URL",
    default=DEFAULT_URL,
    show_default=True,
    callback=_server_url,
    help="The alertd server (default from $ALERTD_URL).",
)
@click.option("--json", "json_mode", is_flag=True, help="Machine-readable output on stdout.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=Timeouts.read,
    show_default=True,
    help="Seconds to wait for the server between reads.",
)
@click.pass_context
def alertctl(ctx: click.Context, url: URL, json_mode: bool, timeout: float) -> None:
    """Client of an alertd server: sign in, screen, handle alerts, watchlist, audit."""
    ctx.obj = Globals(
        url=url,
        output=Output.for_terminal(json_mode, os.environ),
        store=TokenStore(config_directory(os.environ), url),
        timeouts=Timeouts(read=timeout),
    )


def main() -> None:
    """The console script: usage errors exit 2, Ctrl-C 130, the rest as in the docstring."""
    try:
        code = alertctl.main(prog_name="alertctl", standalone_mode=False)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (click.Abort, KeyboardInterrupt):
        click.echo("\ninterrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Exception:  # noqa: BLE001 (the boundary: a bug must not exit 1, "refused")
        traceback.print_exc()
        click.echo("alertctl: internal error (a bug); please report the trace above", err=True)
        sys.exit(EXIT_BUG)
    sys.exit(code if isinstance(code, int) else EXIT_OK)
