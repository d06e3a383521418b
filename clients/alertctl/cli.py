"""The `alertctl` command: global options, the command groups, and exit codes.

    alertctl [--url URL] [--json] COMMAND ...

Exit codes, for scripts:

    0    success
    1    refused: the server answered 4xx, or an input file is invalid (nothing sent)
    2    usage: bad arguments or options
    3    not signed in: no session, session expired or revoked, sign-in refused (401)
    4    unavailable: server unreachable, timed out, 5xx, or not speaking the contract
    70   internal error: a bug in alertctl (a traceback is printed)
    130  interrupted

With --json, stdout holds exactly one JSON document (the result) and an error is one
JSON object on stderr: {"error", "exit_code", "problem"?, "lines"?}.
"""

from __future__ import annotations

import os
import sys
import traceback

import click
from yarl import URL

from clients.alertctl import account, screen
from clients.alertctl.context import Globals
from clients.alertctl.errors import EXIT_BUG, EXIT_INTERRUPTED, EXIT_OK
from clients.alertctl.http import Timeouts
from clients.alertctl.output import Output
from clients.alertctl.session import TokenStore, config_directory
from clients.alertctl.watchlist import watchlist

DEFAULT_URL = "http://127.0.0.1:8080"


def _server_url(ctx: click.Context, param: click.Parameter, value: str) -> URL:
    url = URL(value)
    if url.scheme not in ("http", "https") or not url.host:
        raise click.BadParameter(f"{value!r} is not an http:// or https:// URL", ctx, param)
    return url


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
    """Client of an alertd server: sign in, manage the watchlist, screen, listen."""
    ctx.obj = Globals(
        url=url,
        output=Output.for_terminal(json_mode, os.environ),
        store=TokenStore(config_directory(os.environ), url),
        timeouts=Timeouts(read=timeout),
    )


alertctl.add_command(account.login)
alertctl.add_command(account.logout)
alertctl.add_command(account.whoami)
alertctl.add_command(account.refresh)
alertctl.add_command(watchlist)
alertctl.add_command(screen.screen)


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
