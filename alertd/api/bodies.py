"""Reading request bodies: strict JSON schemas, size limits, 4xx that name the field."""

from __future__ import annotations

import json
import re
from typing import Annotated, Any

from aiohttp import web
from pydantic import StringConstraints

from alertd.errors import BadRequest, FieldError, PayloadTooLarge, ValidationFailed
from alertd.passwords import MAX_PASSWORD_LENGTH
from alertd.state import SETTINGS
from alertd.wire import ModelT, WireModel, parse_json

__all__ = [
    "PasswordText",
    "WireModel",
    "parse_json",
    "read_body",
    "read_raw",
    "refuse_nul_characters",
]

# A password is a secret, not a name: WireModel strips whitespace from strings, which
# would silently change "  secret  " into "secret" (and the CLI hashes what was typed).
PasswordText = Annotated[
    str, StringConstraints(strip_whitespace=False, min_length=1, max_length=MAX_PASSWORD_LENGTH)
]

# A JSON ``\u0000`` escape that is not itself an escaped backslash: an odd run of
# backslashes before ``u0000``. (A raw NUL byte is already invalid JSON.)
_NUL_ESCAPE = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
NUL_MESSAGE = "must not contain NUL characters"


async def read_raw(request: web.Request, content_type: str = "application/json") -> bytes:
    if request.content_type != content_type:
        raise BadRequest(f"send the body as {content_type}")
    try:
        return await request.read()
    except web.HTTPRequestEntityTooLarge:
        limit = request.app[SETTINGS].max_body_bytes
        raise PayloadTooLarge(f"the body is larger than the limit of {limit} bytes") from None


async def read_body(request: web.Request, model: type[ModelT]) -> ModelT:
    raw = await read_raw(request)
    refuse_nul_characters(raw)
    return parse_json(model, raw)


def refuse_nul_characters(raw: bytes, prefix: str = "") -> None:
    """422 naming the field if a JSON string holds NUL, which PostgreSQL cannot store.

    Without this a NUL in, say, a username reaches the database driver and fails there
    (a 500) instead of being refused here (a 422).
    """
    if not _NUL_ESCAPE.search(raw):
        return
    try:
        document = json.loads(raw)
    except (ValueError, RecursionError):
        return  # not JSON (or absurdly deep): parse_json answers 400
    where = _path_of_nul(document)
    if where is not None:
        raise ValidationFailed([FieldError(f"{prefix}{where}" or prefix or "body", NUL_MESSAGE)])


def _path_of_nul(document: Any) -> str | None:
    """The dotted path (as in validation errors) of the first string holding NUL.

    Iterative, so a deeply nested document cannot exhaust the Python stack.
    """
    stack: list[tuple[str, Any]] = [("", document)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str) and "\x00" in value:
            return path
        children: Any = ()
        if isinstance(value, dict):
            if any("\x00" in key for key in value):
                return path
            children = value.items()
        elif isinstance(value, list):
            children = enumerate(value)
        stack.extend(reversed([(f"{path}.{key}" if path else str(key), v) for key, v in children]))
    return None
