"""The authenticated caller of a request, as every policy decision sees it."""

from __future__ import annotations

from dataclasses import dataclass

from alertd.audit import Actor
from alertd.roles import Role


@dataclass(frozen=True)
class Principal:
    user_id: int
    username: str
    agency: str
    agency_id: int
    desk_id: int | None
    roles: frozenset[Role]
    checkpoints: frozenset[str]
    session_id: str

    def has(self, role: Role) -> bool:
        return role in self.roles

    def actor(self, request_id: str | None) -> Actor:
        return Actor(username=self.username, agency=self.agency, request_id=request_id)
