"""Reading request bodies: strict JSON schemas, size limits, 4xx that name the field."""

from __future__ import annotations

from typing import Annotated

from aiohttp import web
from pydantic import StringConstraints

from alertd.errors import BadRequest, PayloadTooLarge
from alertd.passwords import MAX_PASSWORD_LENGTH
from alertd.state import SETTINGS
from alertd.wire import ModelT, WireModel, parse_json, refuse_nul_characters

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


async def read_raw(request: web.Request, content_type: str = "application/json") -> bytes:
    if request.content_type != content_type:
        raise BadRequest(f"send the body as {content_type}")
    try:
        return await request.read()
    except web.HTTPRequestEntityTooLarge:
        limit = request.app[SETTINGS].max_body_bytes
        raise PayloadTooLarge(f"the body is larger than the limit of {limit} bytes") from None


async def read_body(request: web.Request, model: type[ModelT]) -> ModelT:
    return parse_json(model, await read_raw(request))
