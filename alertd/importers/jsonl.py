"""JSON Lines files of entries, read as the CLI uploads them: one JSON object a line.

No field is checked here (the service validates every entry and names the field);
this only makes sure each line is a JSON object, so that a typo is reported by line
number before anything is sent. Blank lines are allowed and skipped. Every bad line is
reported, not just the first, and the error is raised once the whole file has been
read: the service stores a batch all or nothing, so the caller must not upload
anything until the iterator has finished without error (after the first bad line no
more entries are yielded, only the remaining lines checked).
NaN/Infinity and duplicate keys are refused: both are accepted by Python's json module
but are not JSON, and a duplicate "names" would silently lose one of the two.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, NamedTuple, TextIO

# A file with more bad lines than this is not a file of entries; listing every line of
# it would only bury the first, useful, messages.
MAX_REPORTED_LINES: Final = 100


class NumberedEntry(NamedTuple):
    """An entry with its 1-based line number in the uploaded JSON Lines body."""

    line: int
    entry: dict[str, Any]


@dataclass(frozen=True, slots=True)
class LineError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class JsonLinesError(ValueError):
    """Some lines are not JSON objects; `errors` names each (up to MAX_REPORTED_LINES)."""

    def __init__(self, source: str, errors: tuple[LineError, ...], total: int) -> None:
        self.source = source
        self.errors = errors
        self.total = total
        more = f" (and {total - len(errors)} more)" if total > len(errors) else ""
        listed = "; ".join(str(error) for error in errors)
        super().__init__(f"{source}: {total} invalid line(s){more}: {listed}")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _object_without_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads would keep the last of two "names" silently; the author meant one.
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def parse_line(text: str) -> dict[str, Any]:
    """One line → a JSON object; ValueError with a readable message otherwise."""
    try:
        value = json.loads(
            text,
            parse_constant=_reject_constant,
            object_pairs_hook=_object_without_duplicate_keys,
        )
    except json.JSONDecodeError as error:
        raise ValueError(f"invalid JSON at column {error.colno}: {error.msg}") from error
    if not isinstance(value, dict):
        raise ValueError(f"expected a JSON object, got {type(value).__name__}")
    return value


def iter_jsonl(source: Path | TextIO) -> Iterator[NumberedEntry]:
    """Each non-blank line as a JSON object with its line number; see the module doc."""
    if isinstance(source, Path):
        with source.open(encoding="utf-8-sig", newline=None) as stream:
            yield from _iter_stream(stream, str(source))
    else:
        yield from _iter_stream(source, getattr(source, "name", "<stream>"))


def _iter_stream(stream: TextIO, name: str) -> Iterator[NumberedEntry]:
    errors: list[LineError] = []
    total_errors = 0
    for number, text in enumerate(stream, start=1):
        if not text.strip():
            continue
        try:
            entry = parse_line(text.rstrip("\r\n"))  # columns counted on this line
        except ValueError as error:
            total_errors += 1
            if len(errors) < MAX_REPORTED_LINES:
                errors.append(LineError(number, str(error)))
            continue
        if not total_errors:
            yield NumberedEntry(number, entry)
    if total_errors:
        raise JsonLinesError(name, tuple(errors), total_errors)
