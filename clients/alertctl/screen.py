"""`alertctl screen`: a traveller against the watchlists, the answer an officer acts on.

With ``--checkpoint`` the crossing is recorded (`POST /api/v1/crossings`) and may raise
alerts; with ``--pre-arrival`` nothing is recorded (`POST /api/v1/screenings`). Every
crossing carries a fresh Idempotency-Key, so the retry after a refreshed token can
never record the traveller twice.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, TextIO

import click

from clients.alertctl.context import Globals, fail, pass_globals, run
from clients.alertctl.errors import InvalidInput
from clients.alertctl.wire import as_object

if TYPE_CHECKING:
    from clients.alertctl.http import ApiClient

CROSSINGS = "/api/v1/crossings"
SCREENINGS = "/api/v1/screenings"
MAX_MRZ_CHARACTERS = 300  # the server's limit on the `mrz` field


@click.command()
@click.option("--name", "names", multiple=True, help='Full name as written, e.g. "SOK Chan".')
@click.option("--dob", help="Date of birth: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--nationality", metavar="CCC", help="ISO 3166-1 alpha-3, e.g. KHM.")
@click.option("--sex", type=click.Choice(["M", "F", "X"]))
@click.option("--passport", metavar="NUMBER", help="Passport number.")
@click.option("--issuer", metavar="CCC", help="Passport issuer (default: --nationality).")
@click.option(
    "--mrz",
    "mrz_file",
    type=click.File("r", encoding="utf-8"),
    help="A file with the machine-readable zone (- for standard input).",
)
@click.option("--checkpoint", metavar="CODE", help="Record a crossing at this checkpoint.")
@click.option("--direction", type=click.Choice(["entry", "exit"]), default="entry")
@click.option("--pre-arrival", is_flag=True, help="Screen only: record no crossing.")
@pass_globals
def screen(
    g: Globals,
    names: tuple[str, ...],
    dob: str | None,
    nationality: str | None,
    sex: str | None,
    passport: str | None,
    issuer: str | None,
    mrz_file: TextIO | None,
    checkpoint: str | None,
    direction: str,
    pre_arrival: bool,
) -> None:
    """Screen a traveller: the outcome, each match explained, and what to do."""
    if (checkpoint is None) == (not pre_arrival):
        raise click.UsageError("give either --checkpoint CODE (a crossing) or --pre-arrival")
    if not (names or passport or mrz_file):
        raise click.UsageError("give at least --name, --passport or --mrz")
    traveller: dict[str, Any] = {
        "names": [{"full": name} for name in names],
        "date_of_birth": dob,
        "nationality": nationality,
        "sex": sex,
        "documents": [{"type": "passport", "number": passport, "country": issuer or nationality}]
        if passport
        else [],
    }
    if mrz_file is not None:
        traveller["mrz"] = _read_mrz(g, mrz_file)
    traveller = {key: value for key, value in traveller.items() if value not in (None, [])}

    async def ask(api: ApiClient) -> dict[str, Any]:
        if checkpoint is None:
            return as_object(await api.post(SCREENINGS, {"traveller": traveller}), "screening")
        body = {"checkpoint": checkpoint, "direction": direction, "traveller": traveller}
        key = {"Idempotency-Key": uuid.uuid4().hex}
        return as_object(await api.post(CROSSINGS, body, headers=key), "the crossing")

    result = run(g, ask)
    g.output.emit(result, lambda: g.output.screening(result))


def _read_mrz(g: Globals, source: TextIO) -> str:
    """The MRZ lines, trimmed; blank lines (a trailing newline) dropped."""
    lines = [line.strip() for line in source.read().splitlines() if line.strip()]
    mrz = "\n".join(lines)
    if not mrz or len(mrz) > MAX_MRZ_CHARACTERS:
        fail(g, InvalidInput(f"{source.name}: not a machine-readable zone (2 or 3 lines)"))
    return mrz
