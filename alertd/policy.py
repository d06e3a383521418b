"""Authorisation, decided in one place.

Handlers never test roles themselves: they ask ``require(principal, Permission.X)``.
Later concerns (releasability of watchlist entries, redaction, alert routing) live here
too, so that lists, details, alerts and WebSocket pushes all obey the same rules.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, or_

from alertd.errors import PermissionDenied
from alertd.principal import Principal
from alertd.roles import Role
from alertd.tables import entry_releases, watchlist_entries


class Permission(StrEnum):
    READ_SELF = "read_self"
    MANAGE_IDENTITY = "manage_identity"  # agencies, checkpoints, desks, users
    READ_AUDIT = "read_audit"
    READ_WATCHLIST = "read_watchlist"
    EDIT_WATCHLIST = "edit_watchlist"  # draft, edit, submit, import, ask to withdraw
    APPROVE_WATCHLIST = "approve_watchlist"  # approve or reject someone else's change


# Which roles grant which permissions. An admin manages accounts and nothing else:
# no watchlist content, no alerts, no audit log (auditors watch admins too).
GRANTS: dict[Permission, frozenset[Role]] = {
    Permission.READ_SELF: frozenset(Role),
    Permission.MANAGE_IDENTITY: frozenset({Role.ADMIN}),
    Permission.READ_AUDIT: frozenset({Role.AUDITOR}),
    # Checkpoint officers learn of entries only through screening answers (need to know).
    Permission.READ_WATCHLIST: frozenset(
        {Role.WATCHLIST_EDITOR, Role.WATCHLIST_APPROVER, Role.DESK_OFFICER, Role.AUDITOR}
    ),
    Permission.EDIT_WATCHLIST: frozenset({Role.WATCHLIST_EDITOR}),
    Permission.APPROVE_WATCHLIST: frozenset({Role.WATCHLIST_APPROVER}),
}


def allows(principal: Principal, permission: Permission) -> bool:
    return not GRANTS[permission].isdisjoint(principal.roles)


def require(principal: Principal, permission: Permission) -> None:
    if not allows(principal, permission):
        raise PermissionDenied(f"your roles do not allow {permission.value}")


# --- watchlist releasability --------------------------------------------------------
#
# An entry is visible to its owning agency (every version, drafts included) and, once
# published, to the agencies it is released to (the published content only). Its
# `reason` is for the owning agency alone. Lists, details, history, exports and search
# all call these functions; a request for an entry the caller may not see is a 404.

PUBLIC_ENTRY_STATES = frozenset({"published", "withdrawn", "expired"})


def sees_all_versions(principal: Principal, owner_agency_id: int) -> bool:
    return allows(principal, Permission.READ_WATCHLIST) and principal.agency_id == owner_agency_id


def can_see_entry(
    principal: Principal, owner_agency_id: int, released_to: Collection[int], status: str
) -> bool:
    if not allows(principal, Permission.READ_WATCHLIST):
        return False
    if principal.agency_id == owner_agency_id:
        return True
    return status in PUBLIC_ENTRY_STATES and principal.agency_id in released_to


def can_see_reason(principal: Principal, owner_agency_id: int) -> bool:
    return sees_all_versions(principal, owner_agency_id)


def entry_visibility(principal: Principal) -> ColumnElement[bool]:
    """``can_see_entry`` as a SQL condition on ``watchlist_entries``, for lists."""
    if not allows(principal, Permission.READ_WATCHLIST):
        return false()
    released = exists().where(
        entry_releases.c.entry_id == watchlist_entries.c.id,
        entry_releases.c.agency_id == principal.agency_id,
    )
    return or_(
        watchlist_entries.c.owner_agency_id == principal.agency_id,
        and_(watchlist_entries.c.status.in_(PUBLIC_ENTRY_STATES), released),
    )


def redact_content(
    principal: Principal, owner_agency_id: int, content: Mapping[str, Any]
) -> dict[str, Any]:
    """An entry version's content as this caller may read it."""
    if can_see_reason(principal, owner_agency_id):
        return dict(content)
    return {key: value for key, value in content.items() if key != "reason"}


def may_decide(
    principal: Principal,
    owner_agency_id: int,
    *,
    author: str,
    last_editor: str,
    submitted_by: str | None,
) -> str | None:
    """Why ``principal`` may not approve or reject this change, or None if they may.

    Four eyes: an approver of the owning agency who neither wrote, last edited nor
    submitted the change.
    """
    if not allows(principal, Permission.APPROVE_WATCHLIST):
        return "only a watchlist approver may decide on a change"
    if principal.agency_id != owner_agency_id:
        return "only an approver of the owning agency may decide on its changes"
    if principal.username in {author, last_editor, submitted_by}:
        return "four eyes: you wrote, edited or submitted this change; another approver must decide"
    return None
