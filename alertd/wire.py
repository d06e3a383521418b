"""Wire schemas: strict JSON validation whose errors name the offending field."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from alertd.errors import BadRequest, FieldError, ValidationFailed

ModelT = TypeVar("ModelT", bound=BaseModel)


class WireModel(BaseModel):
    """Base for request bodies: unknown fields refused, no silent type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, str_strip_whitespace=True)


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
