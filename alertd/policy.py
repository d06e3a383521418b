"""Authorisation, decided in one place.

Handlers never test roles themselves: they ask ``require(principal, Permission.X)``.
Later concerns (releasability of watchlist entries, redaction, alert routing) live here
too, so that lists, details, alerts and WebSocket pushes all obey the same rules.
"""

from __future__ import annotations

from enum import StrEnum

from alertd.errors import PermissionDenied
from alertd.principal import Principal
from alertd.roles import Role


class Permission(StrEnum):
    READ_SELF = "read_self"
    MANAGE_IDENTITY = "manage_identity"  # agencies, checkpoints, desks, users
    READ_AUDIT = "read_audit"


# Which roles grant which permissions. An admin manages accounts and nothing else:
# no watchlist content, no alerts, no audit log (auditors watch admins too).
GRANTS: dict[Permission, frozenset[Role]] = {
    Permission.READ_SELF: frozenset(Role),
    Permission.MANAGE_IDENTITY: frozenset({Role.ADMIN}),
    Permission.READ_AUDIT: frozenset({Role.AUDITOR}),
}


def allows(principal: Principal, permission: Permission) -> bool:
    return not GRANTS[permission].isdisjoint(principal.roles)


def require(principal: Principal, permission: Permission) -> None:
    if not allows(principal, permission):
        raise PermissionDenied(f"your roles do not allow {permission.value}")
