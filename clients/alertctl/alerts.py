"""`alertctl alerts ...`: a desk's alerts listed, shown, acknowledged and resolved.

`GET /api/v1/alerts` answers the alerts routed to the caller's agency and desk, oldest
first, a page at a time (`{alerts, last_seq}`; a page shorter than the limit asked for
is the last). `list` follows the pages to the end; `show` asks for one alert
(`GET /api/v1/alerts/{id}`, a 404 for one not routed to the caller). Acknowledging and
resolving are idempotent on the server; both answer the alert as it now stands, which is printed.

Each agency has its own status (one agency's acknowledgement never tells another that
the alert is handled), so tables show the caller's agency's status and, apart, the
other agencies'.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import TYPE_CHECKING, Any, Final

import click

from clients.alertctl.context import Globals, pass_globals, run
from clients.alertctl.errors import Unavailable
from clients.alertctl.output import (
    Column,
    Output,
    alert_lines,
    cell_text,
    explanation_lines,
    instant_text,
)
from clients.alertctl.wire import as_object, rows

if TYPE_CHECKING:
    from clients.alertctl.http import ApiClient

ALERTS: Final = "/api/v1/alerts"
PAGE_SIZE: Final = 200  # the largest page the server answers (alertd.alerts.MAX_PAGE)
STATUSES: Final = ("new", "acknowledged", "resolved")
RESOLUTIONS: Final = ("confirmed", "false_positive", "referred", "no_action")
AlertId = click.IntRange(min=1)

LIST_COLUMNS: Final = (
    Column("seq", "seq"),
    Column("id", "id"),
    Column("time", "created_at", instant=True),
    Column("severity", "severity", toned=True),
    Column("category", "category"),
    Column("checkpoint", "checkpoint"),
    Column("band", "band", toned=True),
    Column("status", "status", toned=True),
    Column("other agencies", "others", max_width=60),
)
ROUTE_COLUMNS: Final = (
    Column("agency", "agency"),
    Column("status", "status", toned=True),
    Column("acknowledged by", "acknowledged_by"),
    Column("resolved by", "resolved_by"),
    Column("resolution", "resolution"),
    Column("note", "note", max_width=50),
)


@click.group()
def alerts() -> None:
    """Alerts routed to your agency and desk: list, show, acknowledge, resolve."""


@alerts.command("list")
@click.option(
    "--status", type=click.Choice(STATUSES), help="Only alerts in this status for your agency."
)
@click.option(
    "--after-seq",
    type=click.IntRange(min=0),
    default=0,
    help="Only alerts after this seq (the last_seq of an earlier list).",
)
@pass_globals
def list_alerts(g: Globals, status: str | None, after_seq: int) -> None:
    """Your alerts, oldest first, every page of them."""

    async def ask(api: ApiClient) -> tuple[list[dict[str, Any]], int, str | None]:
        found, last_seq = await all_pages(api, status, after_seq)
        return found, last_seq, own_agency(api)

    found, last_seq, agency = run(g, ask)

    def show() -> None:
        if not found:
            g.output.note("No alerts.")
            return
        g.output.table([row_of(alert, agency) for alert in found], LIST_COLUMNS)
        g.output.note(f"{len(found)} alert(s); next time: --after-seq {last_seq}")

    g.output.emit({"alerts": found, "last_seq": last_seq}, show)


async def all_pages(
    api: ApiClient, status: str | None, after_seq: int
) -> tuple[list[dict[str, Any]], int]:
    """Every alert after `after_seq`, and the last seq seen (where a next list starts)."""
    found: list[dict[str, Any]] = []
    async for page in pages(api, status, after_seq):
        found.extend(page)
    return found, (found[-1]["seq"] if found else after_seq)


async def pages(
    api: ApiClient, status: str | None, after_seq: int
) -> AsyncIterator[list[dict[str, Any]]]:
    """The server's pages, one request each, until a short one (the last)."""
    cursor = after_seq
    while True:
        page = await one_page(api, status, cursor)
        yield page
        # A cursor that stopped moving would ask for the same page for ever.
        if len(page) < PAGE_SIZE or page[-1]["seq"] <= cursor:
            return
        cursor = page[-1]["seq"]


async def one_page(api: ApiClient, status: str | None, after_seq: int) -> list[dict[str, Any]]:
    params = {"after_seq": str(after_seq), "limit": str(PAGE_SIZE)}
    if status is not None:
        params["status"] = status
    page = rows(as_object(await api.get(ALERTS, params), "the alert list"), "alerts")
    if not all(isinstance(alert.get("seq"), int) for alert in page):
        raise Unavailable("unexpected answer from the server: an alert without a seq")
    return page


def own_agency(api: ApiClient) -> str | None:
    """The signed-in user's agency, as the stored session remembers it."""
    agency = api.session.current().user.get("agency")
    return agency if isinstance(agency, str) else None


def row_of(alert: Mapping[str, Any], agency: str | None) -> dict[str, Any]:
    """A table row: the alert with the other agencies' statuses in one cell."""
    others = [
        f"{route.get('agency')} {route.get('status')}"
        for route in alert.get("agencies") or ()
        if isinstance(route, Mapping) and route.get("agency") != agency
    ]
    return dict(alert) | {"others": others}


@alerts.command("show")
@click.argument("alert_id", type=AlertId)
@pass_globals
def show(g: Globals, alert_id: int) -> None:
    """One alert: who crossed, whom they matched, why, and where each agency stands."""

    async def ask(api: ApiClient) -> dict[str, Any]:
        return as_object(await api.get(f"{ALERTS}/{alert_id}"), "the alert")

    alert = run(g, ask)
    g.output.emit(alert, lambda: show_alert(g.output, alert))


def show_alert(output: Output, alert: Mapping[str, Any]) -> None:
    output.fields(  # coloured by WORD_TONES: the severity and the status
        [
            ("alert", f"{alert.get('id')} (seq {alert.get('seq')})"),
            ("raised", instant_text(alert.get("created_at"))),
            ("severity", alert.get("severity")),
            ("category", alert.get("category")),
            ("band", f"{alert.get('band')} {cell_text(alert.get('score'))}"),
            ("checkpoint", alert.get("checkpoint")),
            ("status", alert.get("status")),
            ("escalated", bool(alert.get("escalated"))),
            ("retro", bool(alert.get("retro"))),
        ]
    )
    # Every agency's standing is the table below, so not a line here as well.
    for line in alert_lines({**alert, "agencies": []}):
        output.echo(line)
    reasons = explanation_lines(alert.get("explanation"))
    if reasons:
        output.echo("Why it matched:")
    for sentence in reasons:
        output.echo(f"    {sentence}")
    if alert.get("protection"):
        output.echo(output.paint("Protect: a potential victim, not a suspect.", "warn"))
    if alert.get("instructions"):
        output.echo(f"{output.paint('Instructions:', 'warn')} {alert['instructions']}")
    show_routes(output, alert)


def show_routes(output: Output, alert: Mapping[str, Any]) -> None:
    routes = [r for r in alert.get("agencies") or () if isinstance(r, Mapping)]
    if routes:
        output.echo()
        output.table(routes, ROUTE_COLUMNS)


@alerts.command("ack")
@click.argument("alert_id", type=AlertId)
@pass_globals
def ack(g: Globals, alert_id: int) -> None:
    """Acknowledge an alert for your agency (again: no change)."""

    async def ask(api: ApiClient) -> dict[str, Any]:
        return as_object(await api.post(f"{ALERTS}/{alert_id}/ack"), "the alert")

    alert = run(g, ask)
    g.output.emit(alert, lambda: show_state(g.output, alert))


@alerts.command("resolve")
@click.argument("alert_id", type=AlertId)
@click.option("--resolution", type=click.Choice(RESOLUTIONS), required=True)
@click.option("--note", default="", help="What was done; the other agencies see it.")
@pass_globals
def resolve(g: Globals, alert_id: int, resolution: str, note: str) -> None:
    """Resolve an alert for your agency (again with the same resolution: no change)."""
    body = {"resolution": resolution, "note": note}

    async def ask(api: ApiClient) -> dict[str, Any]:
        return as_object(await api.post(f"{ALERTS}/{alert_id}/resolve", body), "the alert")

    alert = run(g, ask)
    g.output.emit(alert, lambda: show_state(g.output, alert))


def show_state(output: Output, alert: Mapping[str, Any]) -> None:
    """After acting: the alert's own status for the caller, then every agency's."""
    status = str(alert.get("status") or "-")
    output.echo(f"Alert {alert.get('id')} (seq {alert.get('seq')}): {output.toned(status)}")
    show_routes(output, alert)
