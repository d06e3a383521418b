"""Typed readers for the server's JSON, and the answers the client relies on.

Only the fields a command uses are read, so a server that adds fields does not break
the client; a missing or mistyped field the client needs is `Unavailable` (exit 4):
that server does not speak the contract.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from clients.alertctl.errors import FieldProblem, Problem, Unavailable


def as_object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Unavailable(f"unexpected answer from the server: {what} is not a JSON object")
    return value


def text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise Unavailable(f"unexpected answer from the server: {key!r} is not text")
    return value


def number(data: Mapping[str, Any], key: str) -> int:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise Unavailable(f"unexpected answer from the server: {key!r} is not a whole number")
    return value


def rows(data: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise Unavailable(f"unexpected answer from the server: {key!r} is not a list of objects")
    return value


@dataclass(frozen=True)
class TokenPair:
    """`POST /auth/login` and `/auth/refresh`: an access token and its rotating partner."""

    access_token: str
    refresh_token: str
    expires_in: int
    user: dict[str, Any]

    @classmethod
    def from_json(cls, value: Any) -> TokenPair:
        data = as_object(value, "the token pair")
        return cls(
            access_token=text(data, "access_token"),
            refresh_token=text(data, "refresh_token"),
            expires_in=number(data, "expires_in"),
            user=as_object(data.get("user", {}), "user"),
        )


@dataclass(frozen=True)
class Created:
    """`{id, status, ...}`: what workflow and import endpoints answer."""

    id: int
    status: str
    count: int | None
    version: int | None
    raw: dict[str, Any]  # the whole answer, for --json

    @classmethod
    def from_json(cls, value: Any) -> Created:
        data = as_object(value, "the answer")
        count, version = data.get("count"), data.get("version")
        return cls(
            id=number(data, "id"),
            status=text(data, "status"),
            count=count if isinstance(count, int) else None,
            version=version if isinstance(version, int) else None,
            raw=data,
        )


def problem_from_json(status: int, reason: str, value: Any, retry_after: str | None) -> Problem:
    """A problem document from an error answer; tolerant, since proxies answer errors too."""
    data = value if isinstance(value, dict) else {}
    detail = data.get("detail")
    title = data.get("title")
    return Problem(
        status=status,
        title=title if isinstance(title, str) else reason,
        detail=detail if isinstance(detail, str) else reason,
        type=str(data.get("type", "about:blank")),
        errors=_field_problems(data.get("errors")),
        request_id=_optional_text(data.get("request_id")),
        retry_after=int(retry_after) if retry_after and retry_after.isdigit() else None,
        raw=data or None,
    )


def _field_problems(value: Any) -> tuple[FieldProblem, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(
        FieldProblem(str(item.get("field", "")), str(item.get("message", "")))
        for item in value
        if isinstance(item, dict)
    )


def _optional_text(value: Any) -> str | None:
    return value if isinstance(value, str) else None
