"""What can go wrong in a command, and the exit code scripts see for it.

    AlertctlError                 exit
    ├── Refused                     1  the server answered 4xx with a problem
    ├── InvalidInput                1  an input file is invalid; nothing was sent
    ├── CannotWrite                 1  an output file cannot be written (the disk, a path)
    ├── NotSignedIn                 3  no session, session expired/revoked, sign-in refused
    └── Unavailable                 4  unreachable, timed out, 5xx, or not the contract

Usage errors are click's own (exit 2). `audit verify` exits 5 when the server reports
the audit chain broken: an answer, not an error, so it is printed as a result.
Third-party exceptions (aiohttp, OS errors on the token file or an output file) are
translated into these at the boundary where they happen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Final

EXIT_OK: Final = 0
EXIT_REFUSED: Final = 1
EXIT_USAGE: Final = 2
EXIT_NOT_SIGNED_IN: Final = 3
EXIT_UNAVAILABLE: Final = 4
EXIT_CHAIN_BROKEN: Final = 5  # `audit verify`: the audit log's hash chain does not hold
EXIT_BUG: Final = 70  # EX_SOFTWARE in sysexits.h
EXIT_INTERRUPTED: Final = 130


@dataclass(frozen=True)
class FieldProblem:
    """One per-field error of a problem document (`field` as the server names it)."""

    field: str
    message: str


@dataclass(frozen=True)
class Problem:
    """An RFC 9457 problem document, as far as the client uses it."""

    status: int
    title: str
    detail: str
    type: str = "about:blank"
    errors: tuple[FieldProblem, ...] = ()
    request_id: str | None = None
    retry_after: int | None = None
    raw: dict[str, Any] | None = None

    @property
    def slug(self) -> str:
        """The last path segment of `type`, e.g. "validation-failed"."""
        return self.type.rstrip("/").rsplit("/", 1)[-1]

    def to_dict(self) -> dict[str, Any]:
        """The document as received (extension members too), with `errors` as held here."""
        body: dict[str, Any] = {
            "type": self.type,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        } | (self.raw or {})
        if self.errors:
            body["errors"] = [{"field": e.field, "message": e.message} for e in self.errors]
        return body


class AlertctlError(Exception):
    exit_code: ClassVar[int] = EXIT_REFUSED

    def __init__(self, message: str, problem: Problem | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problem = problem


class Refused(AlertctlError):
    """The server understood the request and said no (4xx other than 401)."""

    exit_code = EXIT_REFUSED


@dataclass(frozen=True)
class LineProblem:
    """A problem with one line of an input file."""

    line: int
    message: str


class InvalidInput(AlertctlError):
    """An input file is not usable; caught before anything was sent."""

    exit_code = EXIT_REFUSED

    def __init__(self, message: str, lines: Sequence[LineProblem] = ()) -> None:
        super().__init__(message)
        self.lines = tuple(lines)


class CannotWrite(AlertctlError):
    """An output file could not be written; what was written so far is removed."""

    exit_code = EXIT_REFUSED


class NotSignedIn(AlertctlError):
    exit_code = EXIT_NOT_SIGNED_IN


class Unavailable(AlertctlError):
    exit_code = EXIT_UNAVAILABLE
