"""The clock seam: code that needs "now" takes a ``Clock`` so tests can move time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock:
    """A clock that only moves when told to (for tests and simulations)."""

    def __init__(self, start: datetime) -> None:
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)


def isoformat(moment: datetime) -> str:
    """RFC 3339 UTC with a ``Z``, as the HTTP contract wants."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
