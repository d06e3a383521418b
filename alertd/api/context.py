"""What handlers need from a request: the caller, the audit actor, the clock."""

from __future__ import annotations

from aiohttp import web

from alertd.audit import Actor
from alertd.policy import Permission, require
from alertd.principal import Principal
from alertd.state import AUTHENTICATOR, REQUEST_ID


async def principal(request: web.Request, permission: Permission | None = None) -> Principal:
    """The signed-in caller (401 otherwise), checked against ``permission`` (403)."""
    who = await request.app[AUTHENTICATOR].authenticate(request.headers.get("Authorization"))
    if permission is not None:
        require(who, permission)
    return who


def request_id(request: web.Request) -> str | None:
    return request.get(REQUEST_ID)


def actor(request: web.Request, who: Principal) -> Actor:
    return who.actor(request_id(request))
