"""Signing in and out: `login`, `logout`, `whoami`, and the hidden `refresh`."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any

import click

from clients.alertctl.context import Globals, fail, pass_globals, run
from clients.alertctl.errors import NotSignedIn, Unavailable
from clients.alertctl.session import StoredSession
from clients.alertctl.wire import TokenPair, as_object

if TYPE_CHECKING:
    from clients.alertctl.http import ApiClient

TOTP_REQUIRED = "totp-required"


@click.command()
@click.option("--username", "-u", required=True, help="Your alertd user name.")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input (for scripts).",
)
@click.option("--totp", metavar="CODE", help="The one-time code, for roles that need one.")
@pass_globals
def login(g: Globals, username: str, password_stdin: bool, totp: str | None) -> None:
    """Sign in and keep the tokens (mode 0600) for the other commands.

    Without --password-stdin the password is asked for without echo; an account that
    needs a one-time code and has none given asks for it too, on a terminal.
    """
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, err=True)
    if not password:
        raise click.UsageError("the password is empty")
    may_ask = not password_stdin and sys.stdin.isatty()

    async def sign_in(api: ApiClient) -> StoredSession:
        pair = await _login(api, username, password, totp, may_ask)
        return api.session.start(pair)

    stored = run(g, sign_in)
    user = stored.user
    g.output.emit(
        {
            "url": stored.url,
            "username": stored.username,
            "agency": user.get("agency"),
            "roles": user.get("roles", []),
            "expires_in": stored.expires_in,
            "token_file": str(g.store.path),
        },
        lambda: g.output.echo(
            f"Signed in to {stored.url} as {stored.username} "
            f"({user.get('agency')}; {', '.join(user.get('roles', []))})."
        ),
    )


async def _login(
    api: ApiClient, username: str, password: str, totp: str | None, may_ask: bool
) -> TokenPair:
    try:
        return await api.login(username, password, totp)
    except NotSignedIn as exc:
        if exc.problem is None or exc.problem.slug != TOTP_REQUIRED:
            raise
        if totp is not None or not may_ask:
            raise NotSignedIn(f"{exc.message}: pass --totp CODE", exc.problem) from None
    code = click.prompt("One-time code", err=True).strip()
    return await api.login(username, password, code)


@click.command()
@pass_globals
def logout(g: Globals) -> None:
    """End the session on the server and forget its tokens here."""
    if g.store.load() is None:
        g.output.emit({"signed_out": False}, lambda: g.output.echo("Not signed in."))
        return

    async def sign_out(api: ApiClient) -> str:
        try:
            await api.post("/api/v1/auth/logout")
        except NotSignedIn:
            return "The session had already ended; its tokens are forgotten."
        except Unavailable as exc:
            g.store.delete()
            raise Unavailable(
                f"{exc.message}; the tokens were forgotten here, but the server was not told"
                " and they stay valid until they expire"
            ) from None
        return "Signed out."

    message = run(g, sign_out)
    g.store.delete()
    g.output.emit({"signed_out": True}, lambda: g.output.echo(message))


@click.command()
@pass_globals
def whoami(g: Globals) -> None:
    """Who the server says you are (GET /api/v1/me)."""

    async def ask(api: ApiClient) -> dict[str, Any]:
        return as_object(await api.get("/api/v1/me"), "/me")

    me = run(g, ask)
    stored = g.store.load()

    def show() -> None:
        g.output.fields(
            [
                ("server", str(g.url)),
                ("username", me.get("username")),
                ("agency", me.get("agency")),
                ("desk", me.get("desk")),
                ("roles", me.get("roles")),
                ("checkpoints", me.get("checkpoints")),
                ("token expires", _in_seconds(stored.access_expires_at) if stored else None),
            ]
        )

    g.output.emit(me, show)


@click.command(hidden=True)
@pass_globals
def refresh(g: Globals) -> None:
    """Exchange the refresh token for a new pair now (for tests and troubleshooting)."""
    if g.store.load() is None:
        fail(g, NotSignedIn("not signed in; sign in with `alertctl login` first"))

    async def renew(api: ApiClient) -> StoredSession:
        return await api.session.refresh()

    stored = run(g, renew)
    g.output.emit(
        {"expires_in": stored.expires_in},
        lambda: g.output.echo(f"Tokens renewed; the access token lasts {stored.expires_in} s."),
    )


def _in_seconds(instant: float) -> str:
    left = int(instant - time.time())
    return f"in {left} s (refreshed automatically)" if left > 0 else "expired (renewed on next use)"
