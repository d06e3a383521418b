"""What a command shows: JSON for scripts, or tables and colour for people.

Results go to stdout (with ``--json``: exactly one JSON document); notes, progress bars
and errors go to stderr, so a script piping stdout never sees them. Colour is plain
ANSI through click, only on a terminal and never with ``NO_COLOR`` set
(https://no-color.org); the words that carry meaning (an outcome, a band, a status, a
severity) are coloured by one table, so a `hit` looks the same in every command.
"""

from __future__ import annotations

import itertools
import json
import sys
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType, TracebackType
from typing import Any, Final, Literal, Protocol, TextIO

import click

from clients.alertctl.errors import AlertctlError, InvalidInput

Tone = Literal["good", "warn", "bad", "alarm", "muted"]
TONE_STYLES: Final[Mapping[Tone, Mapping[str, Any]]] = MappingProxyType(
    {
        "good": {"fg": "green"},
        "warn": {"fg": "yellow"},
        "bad": {"fg": "red"},
        "alarm": {"fg": "red", "bold": True, "reverse": True},
        "muted": {"dim": True},
    }
)
# Screening outcomes and bands, entry statuses, alert statuses and severities, audit
# outcomes.
WORD_TONES: Final[Mapping[str, Tone]] = MappingProxyType(
    {
        "clear": "good",
        "possible": "warn",
        "hit": "alarm",
        "published": "good",
        "pending": "warn",
        "rejected": "bad",
        "withdrawn": "muted",
        "expired": "muted",
        "new": "bad",
        "acknowledged": "warn",
        "resolved": "good",
        "escalated": "alarm",
        "low": "muted",
        "medium": "warn",
        "high": "bad",
        "critical": "alarm",
        "failure": "bad",  # audit outcomes; "success", the rule, stays plain
        "denied": "bad",
    }
)
# The features of a match explanation, strongest evidence first (DESIGN.md "Matching").
EXPLANATION_FEATURES: Final = ("name", "document", "date_of_birth", "nationality", "sex")
ELLIPSIS: Final = "…"
PROGRESS_REDRAW_STEPS: Final = 50


class Progress(Protocol):
    """A progress bar (click's): a context manager that advances by steps."""

    def __enter__(self) -> Progress: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def update(self, n_steps: int) -> None: ...


@dataclass(frozen=True)
class Column:
    """A table column: `key` of each row, cut to `max_width` display cells."""

    heading: str
    key: str
    max_width: int = 40
    toned: bool = False  # colour the cell by WORD_TONES (a status, a band)
    instant: bool = False  # an RFC 3339 time, shown to the second


def instant_text(value: Any) -> Any:
    """``2026-11-25T08:40:58.793586Z`` as ``2026-11-25 08:40:58Z``: seconds are enough."""
    if not isinstance(value, str) or len(value) < 19 or value[10] != "T":
        return value
    zone = "Z" if value.endswith("Z") else ""
    return f"{value[:10]} {value[11:19]}{zone}"


def cell_text(value: Any) -> str:
    if value is None or value == []:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(cell_text(item) for item in value)
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def display_width(text: str) -> int:
    """Terminal cells: marks that combine take none, wide (CJK) characters two."""
    width = 0
    for char in text:
        if unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def fit(text: str, width: int) -> str:
    """Cut `text` to at most `width` cells, marking the cut."""
    text = " ".join(text.split())  # a newline in a cell would break the table
    if display_width(text) <= width:
        return text
    kept = ""
    for char in text:
        if display_width(kept + char) > width - 1:
            break
        kept += char
    return kept + ELLIPSIS


def pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def table_lines(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[Column],
    paint: Callable[[str, str], str] = lambda cell, word: cell,
) -> list[str]:
    """A plain table: a heading line, then one line a row, columns two spaces apart.

    `paint(padded_cell, word)` colours toned cells after padding, so escape codes never
    count towards the width.
    """
    cells = [[fit(_cell(row, c), c.max_width) for c in columns] for row in rows]
    widths = [
        max([display_width(c.heading)] + [display_width(line[i]) for line in cells])
        for i, c in enumerate(columns)
    ]
    lines = ["  ".join(pad(c.heading.upper(), w) for c, w in zip(columns, widths, strict=True))]
    for line in cells:
        parts = [
            paint(pad(cell, width), cell) if column.toned else pad(cell, width)
            for cell, width, column in zip(line, widths, columns, strict=True)
        ]
        lines.append("  ".join(parts))
    return [line.rstrip() for line in lines]


def _cell(row: Mapping[str, Any], column: Column) -> str:
    value = row.get(column.key)
    return cell_text(instant_text(value) if column.instant else value)


def explanation_lines(explanation: Any) -> list[str]:
    """A match's explanation as sentences: each feature's description, then any rules."""
    if explanation is None:  # withheld: the entry is not released to the caller's agency
        return []
    if isinstance(explanation, str):
        return [explanation]
    if not isinstance(explanation, Mapping):
        return [json.dumps(explanation, ensure_ascii=False)]
    lines = []
    for feature in EXPLANATION_FEATURES:
        detail = explanation.get(feature)
        if isinstance(detail, Mapping) and isinstance(detail.get("description"), str):
            lines.append(detail["description"])
    lines.extend(str(rule) for rule in explanation.get("rules") or ())
    lines.extend(f"MRZ warning: {w}" for w in explanation.get("mrz_warnings") or ())
    return lines


def alert_lines(alert: Mapping[str, Any]) -> list[str]:
    """Who crossed, whom they matched, and where each routed agency stands."""
    lines = []
    traveller, entry = alert.get("traveller"), alert.get("entry")
    names = traveller.get("names") if isinstance(traveller, Mapping) else None
    if names and isinstance(names[0], Mapping):
        lines.append(f"Traveller: {names[0].get('full')}")
    if isinstance(entry, Mapping):
        ref = f" ({entry['external_ref']})" if entry.get("external_ref") else ""
        lines.append(f"Listed: {entry.get('primary_name')}{ref}, entry {entry.get('id')}")
    routes = [r for r in alert.get("agencies") or () if isinstance(r, Mapping)]
    if routes:
        lines.append(
            "Agencies: " + ", ".join(f"{r.get('agency')} {r.get('status')}" for r in routes)
        )
    return lines


@dataclass(frozen=True)
class Output:
    json_mode: bool
    colour: bool
    show_progress: bool

    @classmethod
    def for_terminal(cls, json_mode: bool, environ: Mapping[str, str]) -> Output:
        no_colour = bool(environ.get("NO_COLOR"))
        return cls(
            json_mode=json_mode,
            colour=not no_colour and sys.stdout.isatty(),
            show_progress=sys.stderr.isatty(),
        )

    # results (stdout)

    def emit(self, value: Any, human: Callable[[], None]) -> None:
        """The command's result: `value` as JSON, or `human()` for a person."""
        if self.json_mode:
            click.echo(json.dumps(value, ensure_ascii=False, indent=2))
        else:
            human()

    def echo(self, text: str = "") -> None:
        click.echo(text, color=self.colour)

    def paint(self, text: str, tone: Tone | None) -> str:
        if not self.colour or tone is None:
            return text
        return click.style(text, **TONE_STYLES[tone])

    def toned(self, word: str, text: str | None = None) -> str:
        """`text` (default: the word) coloured by what `word` means."""
        return self.paint(text if text is not None else word, WORD_TONES.get(word.strip()))

    def table(self, rows: Sequence[Mapping[str, Any]], columns: Sequence[Column]) -> None:
        for line in table_lines(rows, columns, lambda cell, word: self.toned(word, cell)):
            self.echo(line)

    def fields(self, pairs: Iterable[tuple[str, Any]]) -> None:
        """`label: value` lines, labels aligned."""
        listed = [(label, cell_text(value)) for label, value in pairs]
        width = max((len(label) for label, _ in listed), default=0)
        for label, value in listed:
            self.echo(f"{label + ':':<{width + 1}} {self.toned(value)}")

    # screening results (`alertctl screen`)

    def screening(self, result: Mapping[str, Any]) -> None:
        matches = [m for m in result.get("matches") or () if isinstance(m, Mapping)]
        outcome = str(result.get("outcome", "?"))
        heading = f"{outcome.upper()}  {len(matches)} match{'es' if len(matches) != 1 else ''}"
        facts = [f"screened in {result['screened_in_ms']} ms"] if "screened_in_ms" in result else []
        if result.get("crossing_id") is not None:
            facts.append(f"crossing {result['crossing_id']}")
        self.echo(self.toned(outcome, heading) + (f"  ({'; '.join(facts)})" if facts else ""))
        for number, match in enumerate(matches, start=1):
            self.echo()
            self.match(number, match)

    def match(self, number: int, match: Mapping[str, Any]) -> None:
        band = str(match.get("band", "?"))
        ref = f" {match['external_ref']}" if match.get("external_ref") else ""
        alert = f"  alert {match['alert_id']}" if match.get("alert_id") is not None else ""
        self.echo(
            f"{number:>2}. {self.toned(band, band.upper())}  {match.get('category', '?')}  "
            f"score {cell_text(match.get('score'))}  entry {match.get('entry_id')}{ref}{alert}"
        )
        for sentence in explanation_lines(match.get("explanation")):
            self.echo(f"    {sentence}")
        if match.get("note"):  # e.g. cleared earlier as a false positive, by whom and when
            self.echo(f"    {self.paint('Note:', 'muted')} {match['note']}")
        if match.get("instructions"):
            self.echo(f"    {self.paint('Instructions:', 'warn')} {match['instructions']}")

    # alerts (`alertctl listen`): a stream, one JSON object a line with --json

    def stream(self, value: Any, human: Callable[[], None]) -> None:
        if self.json_mode:
            click.echo(json.dumps(value, ensure_ascii=False))
        else:
            human()

    def alert(self, kind: str, alert: Mapping[str, Any]) -> None:
        severity, status = str(alert.get("severity", "?")), str(alert.get("status") or "-")
        retro = "  retro (already crossed)" if alert.get("retro") else ""
        update = "update " if kind == "alert_update" else ""
        self.echo(
            f"{update}#{alert.get('seq')}  {self.toned(severity, severity.upper())}  "
            f"{alert.get('category')}  {alert.get('band')} {cell_text(alert.get('score'))}  "
            f"at {alert.get('checkpoint')}  {instant_text(alert.get('created_at'))}  "
            f"alert {alert.get('id')}  [{self.toned(status)}]{retro}"
        )
        for line in alert_lines(alert):
            self.echo(f"    {line}")
        if alert.get("protection"):
            self.echo(f"    {self.paint('Protect: a potential victim, not a suspect.', 'warn')}")
        if alert.get("instructions") and not update:
            self.echo(f"    {self.paint('Instructions:', 'warn')} {alert['instructions']}")

    # notes, progress and errors (stderr)

    def note(self, text: str) -> None:
        click.echo(text, err=True, color=self.colour)

    def progress(self, label: str, length: int | None = None) -> Progress:
        """A progress bar on stderr, drawn only on a terminal."""
        return click.progressbar(
            # An endless iterable when the total is unknown: a pulsing bar and a count.
            iterable=itertools.repeat(None) if length is None else None,
            length=length,
            label=label,
            hidden=not self.show_progress,
            show_pos=length is None,
            file=_stderr(),
            color=self.colour,
            # Redraw every so many steps: a 100,000-entry list is not 100,000 redraws.
            update_min_steps=PROGRESS_REDRAW_STEPS if length is None else 1,
        )

    def error(self, error: AlertctlError) -> None:
        if self.json_mode:
            click.echo(json.dumps(error_document(error), ensure_ascii=False), err=True)
            return
        for line in error_lines(error):
            self.note(line)


def _stderr() -> TextIO:
    return sys.stderr


def error_document(error: AlertctlError) -> dict[str, Any]:
    """The machine-readable error written to stderr with ``--json``."""
    document: dict[str, Any] = {"error": error.message, "exit_code": error.exit_code}
    if error.problem is not None:
        document["problem"] = error.problem.to_dict()
    if isinstance(error, InvalidInput) and error.lines:
        document["lines"] = [{"line": p.line, "message": p.message} for p in error.lines]
    return document


def error_lines(error: AlertctlError) -> list[str]:
    """`error: <detail>`, then one indented line per field or file line at fault."""
    lines = [f"error: {error.message}"]
    problem = error.problem
    if problem is not None:
        lines.extend(
            f"  {p.field}: {p.message}" if p.field else f"  {p.message}" for p in problem.errors
        )
        if problem.retry_after is not None:
            lines.append(f"  try again in {problem.retry_after} s")
        if problem.request_id:
            lines.append(f"  (request id {problem.request_id})")
    if isinstance(error, InvalidInput):
        lines.extend(f"  line {p.line}: {p.message}" for p in error.lines)
    return lines
