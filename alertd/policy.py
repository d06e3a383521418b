"""Authorisation, decided in one place.

Handlers never test roles themselves: they ask ``require(principal, Permission.X)``.
Later concerns (releasability of watchlist entries, redaction, alert routing) live here
too, so that lists, details, alerts and WebSocket pushes all obey the same rules.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, select, true

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
    SCREEN = "screen"  # submit crossings and pre-arrival screenings
    HANDLE_ALERTS = "handle_alerts"  # see, acknowledge and resolve routed alerts


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
    Permission.SCREEN: frozenset({Role.CHECKPOINT_OFFICER}),
    Permission.HANDLE_ALERTS: frozenset({Role.DESK_OFFICER}),
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

OWNER_AGENCY = "owner"  # in routing rules: the entry's owning agency
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
    """``can_see_entry`` as a SQL condition on ``watchlist_entries``, for lists.

    The release is looked up as a scalar subquery (at most one row: the release's key is
    entry and agency) rather than EXISTS: PostgreSQL would hash every release of the
    agency (half the list, for a partner agency) before the first row of a page, where
    this probes the (agency, entry) index once per entry read, newest first.
    """
    if not allows(principal, Permission.READ_WATCHLIST):
        return false()
    released = (
        select(true())
        .where(
            entry_releases.c.entry_id == watchlist_entries.c.id,
            entry_releases.c.agency_id == principal.agency_id,
        )
        .scalar_subquery()
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


# --- screening and alerts -----------------------------------------------------------


def require_checkpoint(principal: Principal, checkpoint: str) -> None:
    """A checkpoint officer screens only at a checkpoint they belong to."""
    require(principal, Permission.SCREEN)
    if checkpoint not in principal.checkpoints:
        raise PermissionDenied(f"you are not posted at checkpoint {checkpoint}")


def sees_entry_content(principal: Principal, owner: str, release_to: Collection[str]) -> bool:
    """Whether a screening answer may show an entry's category and explanation."""
    return principal.agency == owner or principal.agency in release_to


def route_agencies(wanted: Sequence[str], owner: str, release_to: Collection[str]) -> list[str]:
    """The agencies an alert goes to: the category's, narrowed to those that may see the
    entry (its owner and the agencies it is released to). "owner" names the owner.

    If the narrowing leaves nobody, the owning agency gets it: a hit must reach someone
    who can act, and the owner may always see its own entry."""
    allowed = {owner, *release_to}
    named = (owner if agency == OWNER_AGENCY else agency for agency in wanted)
    return [agency for agency in dict.fromkeys(named) if agency in allowed] or [owner]


def desk_may_take(desk_handles: str, work: str) -> bool:
    """A victim alert never reaches a desk that only handles suspects, and vice versa."""
    return desk_handles in ("all", work)


@dataclass(frozen=True)
class DeskInfo:
    id: int
    agency_id: int
    checkpoint_id: int | None
    is_headquarters: bool
    handles: str


def choose_desk(desks: Sequence[DeskInfo], checkpoint_id: int, work: str) -> DeskInfo | None:
    """The desk at that checkpoint that may take the work, else a headquarters desk."""
    able = [desk for desk in desks if desk_may_take(desk.handles, work)]
    at_checkpoint = [desk for desk in able if desk.checkpoint_id == checkpoint_id]
    headquarters = [desk for desk in able if desk.is_headquarters]
    chosen = at_checkpoint or headquarters
    return chosen[0] if chosen else None


def headquarters_desk(desks: Sequence[DeskInfo], work: str) -> DeskInfo | None:
    able = [d for d in desks if d.is_headquarters and desk_may_take(d.handles, work)]
    return able[0] if able else None


def can_see_alert(
    principal: Principal,
    own_desk: DeskInfo | None,
    route_agency_id: int,
    route_desk_ids: Collection[int | None],
    work: str,
) -> bool:
    """Whether a desk officer sees an alert routed to an agency. The one rule for the
    REST list and for WebSocket pushes: their agency must be routed; an officer with no
    desk sees all of their agency's alerts, a headquarters desk those it may take, any
    other desk those routed or escalated to it."""
    if not allows(principal, Permission.HANDLE_ALERTS) or principal.agency_id != route_agency_id:
        return False
    if own_desk is None:
        return True
    if own_desk.is_headquarters and desk_may_take(own_desk.handles, work):
        return True
    return own_desk.id in route_desk_ids
