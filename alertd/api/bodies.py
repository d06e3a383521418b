"""Reading request bodies: strict JSON schemas, size limits, 4xx that name the field."""

from __future__ import annotations

from typing import TypeVar

from aiohttp import web
from pydantic import BaseModel, ConfigDict, ValidationError

from alertd.errors import BadRequest, FieldError, PayloadTooLarge, ValidationFailed
from alertd.state import SETTINGS

ModelT = TypeVar("ModelT", bound=BaseModel)


class WireModel(BaseModel):
    """Base for request bodies: unknown fields refused, no silent type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, str_strip_whitespace=True)


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


def parse_json(model: type[ModelT], raw: bytes | str, prefix: str = "") -> ModelT:
    """Validate JSON text against ``model`` (strict JSON mode: no coercion)."""
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        if any(error["type"] == "json_invalid" for error in exc.errors()):
            raise BadRequest(f"{prefix or 'the body'} is not valid JSON") from None
        raise ValidationFailed(field_errors(exc, prefix)) from None


def field_errors(exc: ValidationError, prefix: str = "") -> list[FieldError]:
    errors = []
    for error in exc.errors(include_url=False):
        loc = ".".join(str(part) for part in error["loc"])
        message = "unknown field" if error["type"] == "extra_forbidden" else error["msg"]
        errors.append(FieldError(f"{prefix}{loc}" if loc else (prefix or "body"), message))
    return errors
