"""The domain error tree, and nothing else.

Every error a client can cause is one of these; the problem middleware
(`alertd.api.problems`) turns each into an RFC 9457 ``application/problem+json``
response with the stable ``type`` below. Anything that is not an ``AlertdError`` is a
bug: it is logged with its request id and answered with a generic 500.

    AlertdError
    ├── BadRequest              400  malformed JSON, wrong content type
    ├── ValidationFailed        422  a field is missing, unknown, or of the wrong type
    ├── NotAuthenticated        401  no, bad, expired or revoked credentials
    ├── PermissionDenied        403  authenticated, but policy says no
    ├── NotFound                404  absent, or present but not releasable to the caller
    ├── Conflict                409  the request clashes with the current state
    ├── PayloadTooLarge         413  the body exceeds the configured limit
    ├── Throttled               429  too many failed sign-ins; carries Retry-After
    └── NotReady                503  the database is unreachable or not migrated
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

PROBLEM_BASE = "https://alertd.example/problems/"


@dataclass(frozen=True)
class FieldError:
    """One problem with one field of a request body; ``loc`` is its JSON path."""

    loc: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"field": self.loc, "message": self.message}


class AlertdError(Exception):
    status: ClassVar[int] = 400
    slug: ClassVar[str] = "bad-request"
    title: ClassVar[str] = "Bad request"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra: Mapping[str, Any] = extra

    @property
    def type_uri(self) -> str:
        return PROBLEM_BASE + self.slug

    def headers(self) -> dict[str, str]:
        return {}


class BadRequest(AlertdError):
    pass


class ValidationFailed(AlertdError):
    status = 422
    slug = "validation-failed"
    title = "The request is not valid"

    def __init__(self, errors: Sequence[FieldError], detail: str | None = None) -> None:
        first = errors[0] if errors else FieldError("", "invalid")
        super().__init__(detail or f"{first.loc or 'body'}: {first.message}")
        self.errors = tuple(errors)
        self.extra = {"errors": [e.to_dict() for e in self.errors]}


class NotAuthenticated(AlertdError):
    status = 401
    slug = "not-authenticated"
    title = "Authentication required"

    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": 'Bearer realm="alertd"'}


class PermissionDenied(AlertdError):
    status = 403
    slug = "permission-denied"
    title = "Not allowed"


class NotFound(AlertdError):
    status = 404
    slug = "not-found"
    title = "Not found"


class Conflict(AlertdError):
    status = 409
    slug = "conflict"
    title = "Conflict with the current state"


class PayloadTooLarge(AlertdError):
    status = 413
    slug = "payload-too-large"
    title = "Request body too large"


class Throttled(AlertdError):
    status = 429
    slug = "too-many-attempts"
    title = "Too many failed attempts"

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail, retry_after=retry_after)
        self.retry_after = retry_after

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class NotReady(AlertdError):
    status = 503
    slug = "not-ready"
    title = "Service not ready"
