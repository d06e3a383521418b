"""Sign-in endpoints: login, refresh, logout, and who am I."""

from __future__ import annotations

from typing import Annotated

from aiohttp import web
from pydantic import Field

from alertd.api.bodies import PasswordText, WireModel, read_body
from alertd.api.context import principal, request_id
from alertd.api.openapi import operation
from alertd.auth import Credentials
from alertd.state import AUTHENTICATOR

routes = web.RouteTableDef()


class LoginBody(WireModel):
    username: Annotated[str, Field(min_length=1, max_length=64)]
    password: PasswordText
    totp: Annotated[str | None, Field(pattern=r"^[0-9]{6,8}$")] = None


class RefreshBody(WireModel):
    refresh_token: Annotated[str, Field(min_length=1, max_length=200)]


@routes.post("/api/v1/auth/login")
@operation(
    "Sign in with a password (and a one-time code where the role needs one)",
    tag="auth",
    body=LoginBody,
    roles=None,
    responses={200: "A token pair", 401: "Wrong credentials", 429: "Too many failures"},
)
async def login(request: web.Request) -> web.Response:
    body = await read_body(request, LoginBody)
    creds = Credentials(body.username, body.password, body.totp, request.remote or "unknown")
    pair = await request.app[AUTHENTICATOR].login(creds, request_id(request))
    return web.json_response(pair.to_dict())


@routes.post("/api/v1/auth/refresh")
@operation(
    "Exchange a refresh token for a new pair; the old one dies",
    tag="auth",
    body=RefreshBody,
    roles=None,
    responses={200: "A new token pair", 401: "Invalid, spent or revoked refresh token"},
)
async def refresh(request: web.Request) -> web.Response:
    body = await read_body(request, RefreshBody)
    pair = await request.app[AUTHENTICATOR].refresh(body.refresh_token, request_id(request))
    return web.json_response(pair.to_dict())


@routes.post("/api/v1/auth/logout")
@operation(
    "End this session: its access and refresh tokens stop working",
    tag="auth",
    responses={204: "Signed out"},
)
async def logout(request: web.Request) -> web.Response:
    who = await principal(request)
    await request.app[AUTHENTICATOR].logout(who, request_id(request))
    return web.Response(status=204)


@routes.get("/api/v1/me")
@operation("The signed-in user", tag="auth")
async def me(request: web.Request) -> web.Response:
    who = await principal(request)
    return web.json_response(
        {
            "username": who.username,
            "agency": who.agency,
            "desk": who.desk_id,
            "roles": sorted(role.value for role in who.roles),
            "checkpoints": sorted(who.checkpoints),
        }
    )
