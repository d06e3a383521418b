"""A list file as the JSON Lines body of `POST /api/v1/watchlist/imports`.

The conversion is `alertd.importers.convert` (pure functions over files); this module
adds what a list does not say (category, releasability, expiry, instructions) and
writes the body to a temporary file, so a 100,000-entry list is uploaded in chunks and
can be sent again after a token refresh without being converted twice.

Line numbers are kept: line N of the body is line N of a JSON Lines file (blank lines
are sent as blank lines, which the server skips but counts), or the Nth entry of an
OFAC or UN list, whose `external_ref` is remembered so the server's "line 12" can be
reported as "line 12 (OFAC-10278)".
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import IO, TYPE_CHECKING, Any, Final, Literal
from xml.etree.ElementTree import ParseError

from clients.alertctl.errors import InvalidInput, LineProblem

if TYPE_CHECKING:  # alertd.importers is imported when a file is converted, not at start-up
    from alertd.importers import ImportReport, NumberedEntry

Format = Literal["jsonl", "ofac", "un"]  # as alertd.importers.Format; mypy checks the call
FORMATS: Final[tuple[Format, ...]] = ("jsonl", "ofac", "un")

NDJSON: Final = "application/x-ndjson"
DEFAULT_EXPIRY_DAYS: Final = 365
CHUNK_BYTES: Final = 64 * 1024
CATEGORIES: Final = (
    "wanted_person",
    "trafficking_suspect",
    "smuggling_suspect",
    "potential_victim",
    "missing_person",
    "lost_stolen_document",
    "entry_ban",
    "customs_interest",
    "discreet_check",
)
# The entry's instructions when the editor gives none. The server shows the officer the
# category's own instructions (config/policy.toml) first, so these add who to call and
# what to check rather than repeat what the category means. A victim is protected, never
# treated as a suspect (DESIGN.md); a discreet check stays discreet.
DEFAULT_INSTRUCTIONS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "wanted_person": "Call the police (GCNP) desk before the traveller leaves the counter.",
        "trafficking_suspect": (
            "Call the police (GCNP) and NCCT desks; note who travels with the traveller."
        ),
        "smuggling_suspect": (
            "Inform the customs (GDCE) desk; inspect the traveller's goods and vehicle."
        ),
        "potential_victim": (
            "Treat as a person in need of protection, not as a suspect: speak with them apart "
            "from companions and call the social affairs (MOSVY) or NCCT desk."
        ),
        "missing_person": (
            "Confirm identity and well-being discreetly, apart from companions, and call the "
            "social affairs (MOSVY) or NCCT desk."
        ),
        "lost_stolen_document": (
            "Retain the document and verify the holder's identity at secondary inspection."
        ),
        "entry_ban": "Record the refusal of entry following immigration (GDI) procedure.",
        "customs_interest": "Refer to the customs (GDCE) desk for inspection.",
        "discreet_check": "Let the traveller pass without remark; do not mention this check.",
    }
)


@dataclass(frozen=True)
class EntryDefaults:
    """What the command line adds to each entry that lacks it; a file's own value wins."""

    category: str | None
    release_to: tuple[str, ...]
    expires_at: str
    instructions: str | None  # None: the category's default instructions

    @classmethod
    def from_options(
        cls,
        category: str | None,
        release_to: str | None,
        expires_in_days: int,
        instructions: str | None,
        today: date,
    ) -> EntryDefaults:
        agencies = tuple(code.strip() for code in (release_to or "").split(",") if code.strip())
        expires = today + timedelta(days=expires_in_days)
        return cls(category, agencies, expires.isoformat(), instructions)

    def complete(self, entry: Mapping[str, Any]) -> dict[str, Any]:
        completed = dict(entry)
        if self.category is not None:
            completed.setdefault("category", self.category)
        if self.release_to:
            completed.setdefault("release_to", list(self.release_to))
        completed.setdefault("expires_at", self.expires_at)
        if "instructions" not in completed:
            text = self.instructions
            if text is None:
                text = DEFAULT_INSTRUCTIONS.get(str(completed.get("category")))
            if text:
                completed["instructions"] = text
        return completed


@dataclass
class ImportBody:
    """The converted body, in a temporary file the caller closes."""

    file: IO[bytes]
    size: int = 0
    count: int = 0
    references: dict[int, str] = field(default_factory=dict)  # line → external_ref
    summary: tuple[str, ...] = ()  # what the converter skipped or dropped, and why

    def close(self) -> None:
        self.file.close()

    def chunks(self, on_chunk: Callable[[int], None]) -> Callable[[], AsyncIterator[bytes]]:
        """A factory of the body as a stream (each call starts over), reporting each chunk."""

        async def stream() -> AsyncIterator[bytes]:
            self.file.seek(0)
            while chunk := self.file.read(CHUNK_BYTES):
                on_chunk(len(chunk))
                yield chunk

        return stream

    def describe_line(self, line: int) -> str:
        reference = self.references.get(line)
        return f"line {line} ({reference})" if reference else f"line {line}"


def convert_file(
    fmt: Format, path: Path, defaults: EntryDefaults, on_entry: Callable[[], None]
) -> ImportBody:
    """Convert and write the whole body; InvalidInput if the file cannot be used."""
    from alertd.importers import ImportReport

    report = ImportReport(source=str(path))
    body = ImportBody(tempfile.TemporaryFile())  # noqa: SIM115 (closed by the caller)
    try:
        _write(body, _entries(fmt, path, report), defaults, on_entry)
    except InvalidInput:
        body.close()
        raise
    if fmt != "jsonl":  # a JSON Lines file is passed through: nothing to summarise
        body.summary = tuple(report.summary_lines())
    return body


def _entries(fmt: Format, path: Path, report: ImportReport) -> Iterator[NumberedEntry]:
    """The converter's entries, its exceptions translated into InvalidInput."""
    from alertd.importers import JsonLinesError, convert

    try:
        yield from convert(fmt, path, report=report)
    except JsonLinesError as exc:
        lines = [LineProblem(e.line, e.message) for e in exc.errors]
        more = f" (the first {len(lines)} listed)" if exc.total > len(lines) else ""
        message = f"{path}: {exc.total} line(s) are not JSON objects{more}; nothing was sent"
        raise InvalidInput(message, lines) from None
    except (OSError, ValueError, ParseError) as exc:
        raise InvalidInput(f"cannot read {path} as {fmt}: {exc}") from None


def _write(
    body: ImportBody,
    entries: Iterator[NumberedEntry],
    defaults: EntryDefaults,
    on_entry: Callable[[], None],
) -> None:
    line = 0
    for numbered in entries:
        # Blank lines keep line N of the body equal to line N of the file.
        gap = b"\n" * (numbered.line - line - 1)
        encoded = json.dumps(defaults.complete(numbered.entry), ensure_ascii=False).encode()
        body.file.write(gap + encoded + b"\n")
        body.size += len(gap) + len(encoded) + 1
        body.count += 1
        reference = numbered.entry.get("external_ref")
        if isinstance(reference, str):
            body.references[numbered.line] = reference
        line = numbered.line
        on_entry()
