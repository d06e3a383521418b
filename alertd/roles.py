"""The roles a user can hold. What each role may do is decided in ``alertd.policy``."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    CHECKPOINT_OFFICER = "checkpoint_officer"
    DESK_OFFICER = "desk_officer"
    WATCHLIST_EDITOR = "watchlist_editor"
    WATCHLIST_APPROVER = "watchlist_approver"
    AUDITOR = "auditor"
    ADMIN = "admin"
