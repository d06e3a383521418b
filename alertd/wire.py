"""Wire schemas: strict JSON validation whose errors name the offending field."""

from __future__ import annotations

import json
import re
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from alertd.errors import BadRequest, FieldError, ValidationFailed

ModelT = TypeVar("ModelT", bound=BaseModel)


class WireModel(BaseModel):
    """Base for request bodies: unknown fields refused, no silent type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, str_strip_whitespace=True)


def parse_json(model: type[ModelT], raw: bytes | str, prefix: str = "") -> ModelT:
    """Validate JSON text against ``model`` (strict JSON mode: no coercion)."""
    refuse_nul_characters(raw.encode() if isinstance(raw, str) else raw, prefix)
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


# A JSON ``\u0000`` escape that is not itself an escaped backslash: an odd run of
# backslashes before ``u0000``. (A raw NUL byte is already invalid JSON.)
_NUL_ESCAPE = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
NUL_MESSAGE = "must not contain NUL characters"


def refuse_nul_characters(raw: bytes, prefix: str = "") -> None:
    """422 naming the field if a JSON string holds NUL, which PostgreSQL cannot store.

    Without this a NUL in, say, a username reaches the database driver and fails there
    (a 500) instead of being refused here (a 422).
    """
    # The substring test first: it is a plain byte search, the regex steps through every
    # byte in Python's engine (3 s of CPU over a 100,000-line import).
    if b"\\u0000" not in raw or not _NUL_ESCAPE.search(raw):
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
