"""Administration: agencies, checkpoints, desks and user accounts (role ``admin``).

An admin manages who may sign in and where they work; policy gives the role no access
to watchlist content, alerts or the audit log.
"""

from __future__ import annotations

import asyncio
import re
from typing import Annotated, Literal

from aiohttp import web
from pydantic import Field

from alertd import audit, identity
from alertd.api.bodies import PasswordText, WireModel, read_body
from alertd.api.context import actor, principal
from alertd.api.openapi import operation
from alertd.audit import AuditEvent
from alertd.errors import FieldError, NotFound, ValidationFailed
from alertd.passwords import password_problem
from alertd.policy import Permission
from alertd.roles import Role
from alertd.state import CLOCK, ENGINE, PASSWORDS, READ_ENGINE, SETTINGS

routes = web.RouteTableDef()

Code = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_-]{1,15}$")]
Name = Annotated[str, Field(min_length=1, max_length=200)]
USERNAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{1,63}$"
Username = Annotated[str, Field(pattern=USERNAME_PATTERN)]
# Bounded so that no number reaches the database that its BIGINT cannot hold.
DeskId = Annotated[int, Field(ge=1, le=2**63 - 1)]
ADMIN = (Role.ADMIN,)


def _username_in_path(request: web.Request) -> str:
    """The ``{username}`` of the path; one no account could have is simply not found.

    Checked here so that nothing a database cannot hold (a NUL) reaches a query.
    """
    username = request.match_info["username"]
    if not re.fullmatch(USERNAME_PATTERN, username):
        raise NotFound(f"user {username[:64]!r} does not exist")
    return username


class AgencyBody(WireModel):
    code: Code
    name: Name


class CheckpointBody(WireModel):
    code: Code
    name: Name


class DeskBody(WireModel):
    agency: Code
    name: Name
    checkpoint: Code | None = None
    is_headquarters: bool = False
    handles: Literal["all", "suspects", "victims"] = "all"


class UserBody(WireModel):
    username: Username
    agency: Code
    roles: Annotated[list[Role], Field(min_length=1, max_length=len(Role))]
    password: PasswordText
    desk: DeskId | None = None
    checkpoints: Annotated[tuple[Code, ...], Field(max_length=100)] = ()


class RolesBody(WireModel):
    roles: Annotated[list[Role], Field(min_length=1, max_length=len(Role))]


@routes.get("/api/v1/admin/agencies")
@operation("List agencies", tag="admin", roles=ADMIN)
async def list_agencies(request: web.Request) -> web.Response:
    await principal(request, Permission.MANAGE_IDENTITY)
    async with request.app[READ_ENGINE].connect() as conn:
        found = await identity.list_agencies(conn)
    return web.json_response({"agencies": [a.to_dict() for a in found]})


@routes.post("/api/v1/admin/agencies")
@operation("Add an agency", tag="admin", body=AgencyBody, roles=ADMIN, responses={201: "Created"})
async def add_agency(request: web.Request) -> web.Response:
    who = await principal(request, Permission.MANAGE_IDENTITY)
    body = await read_body(request, AgencyBody)
    async with request.app[ENGINE].begin() as conn:
        agency = await identity.add_agency(
            conn, actor(request, who), request.app[CLOCK].now(), body.code, body.name
        )
    return web.json_response(agency.to_dict(), status=201)


@routes.get("/api/v1/admin/checkpoints")
@operation("List checkpoints", tag="admin", roles=ADMIN)
async def list_checkpoints(request: web.Request) -> web.Response:
    await principal(request, Permission.MANAGE_IDENTITY)
    async with request.app[READ_ENGINE].connect() as conn:
        found = await identity.list_checkpoints(conn)
    return web.json_response({"checkpoints": [c.to_dict() for c in found]})


@routes.post("/api/v1/admin/checkpoints")
@operation(
    "Add a checkpoint", tag="admin", body=CheckpointBody, roles=ADMIN, responses={201: "Created"}
)
async def add_checkpoint(request: web.Request) -> web.Response:
    who = await principal(request, Permission.MANAGE_IDENTITY)
    body = await read_body(request, CheckpointBody)
    async with request.app[ENGINE].begin() as conn:
        checkpoint = await identity.add_checkpoint(
            conn, actor(request, who), request.app[CLOCK].now(), body.code, body.name
        )
    return web.json_response(checkpoint.to_dict(), status=201)


@routes.get("/api/v1/admin/desks")
@operation("List desks", tag="admin", roles=ADMIN)
async def list_desks(request: web.Request) -> web.Response:
    await principal(request, Permission.MANAGE_IDENTITY)
    async with request.app[READ_ENGINE].connect() as conn:
        found = await identity.list_desks(conn)
    return web.json_response({"desks": [d.to_dict() for d in found]})


@routes.post("/api/v1/admin/desks")
@operation("Add a desk", tag="admin", body=DeskBody, roles=ADMIN, responses={201: "Created"})
async def add_desk(request: web.Request) -> web.Response:
    who = await principal(request, Permission.MANAGE_IDENTITY)
    body = await read_body(request, DeskBody)
    async with request.app[ENGINE].begin() as conn:
        desk = await identity.add_desk(
            conn,
            actor(request, who),
            request.app[CLOCK].now(),
            agency=body.agency,
            name=body.name,
            checkpoint=body.checkpoint,
            is_headquarters=body.is_headquarters,
            handles=body.handles,
        )
    return web.json_response(desk.to_dict(), status=201)


@routes.get("/api/v1/admin/users")
@operation("List user accounts", tag="admin", roles=ADMIN)
async def list_users(request: web.Request) -> web.Response:
    who = await principal(request, Permission.MANAGE_IDENTITY)
    # Accounts are personal data: reading them is audited, in the same transaction.
    async with request.app[ENGINE].begin() as conn:
        found = await identity.list_users(conn)
        event = AuditEvent("user.list", None, "success", {"returned": len(found)})
        await audit.record(conn, actor(request, who), event, request.app[CLOCK].now())
    return web.json_response({"users": [u.to_dict() for u in found]})


@routes.post("/api/v1/admin/users")
@operation(
    "Add a user; for roles that need a second factor the answer carries the TOTP "
    "provisioning URI, shown once",
    tag="admin",
    body=UserBody,
    roles=ADMIN,
    responses={201: "Created"},
)
async def add_user(request: web.Request) -> web.Response:
    who = await principal(request, Permission.MANAGE_IDENTITY)
    body = await read_body(request, UserBody)
    problem = password_problem(body.password)
    if problem:
        raise ValidationFailed([FieldError("password", problem)])
    settings = request.app[SETTINGS]
    password_hash = await asyncio.to_thread(request.app[PASSWORDS].hash, body.password)
    new = identity.NewUser(
        body.username,
        body.agency,
        tuple(body.roles),
        password_hash,
        body.desk,
        tuple(body.checkpoints),
    )
    needs_totp = not set(settings.totp_required_roles).isdisjoint(body.roles)
    async with request.app[ENGINE].begin() as conn:
        created = await identity.add_user(
            conn, actor(request, who), request.app[CLOCK].now(), new, with_totp=needs_totp
        )
    answer = created.user.to_dict() | {"totp_uri": created.provisioning_uri(settings.totp_issuer)}
    return web.json_response(answer, status=201)


@routes.post("/api/v1/admin/users/{username}/disable")
@operation("Disable a user; their tokens stop working at once", tag="admin", roles=ADMIN)
async def disable_user(request: web.Request) -> web.Response:
    who = await principal(request, Permission.MANAGE_IDENTITY)
    async with request.app[ENGINE].begin() as conn:
        user = await identity.disable_user(
            conn, actor(request, who), request.app[CLOCK].now(), _username_in_path(request)
        )
    return web.json_response(user.to_dict())


@routes.put("/api/v1/admin/users/{username}/roles")
@operation(
    "Replace a user's roles (their sessions end); if a new role needs a second factor "
    "and the user has none, the answer carries the TOTP provisioning URI, shown once",
    tag="admin",
    body=RolesBody,
    roles=ADMIN,
)
async def set_roles(request: web.Request) -> web.Response:
    who = await principal(request, Permission.MANAGE_IDENTITY)
    body = await read_body(request, RolesBody)
    settings = request.app[SETTINGS]
    needs_totp = not set(settings.totp_required_roles).isdisjoint(body.roles)
    username = _username_in_path(request)
    by, now = actor(request, who), request.app[CLOCK].now()
    async with request.app[ENGINE].begin() as conn:
        user = await identity.set_roles(conn, by, now, username, body.roles)
        provisioned = await identity.provision_totp(conn, by, now, username) if needs_totp else None
    uri = provisioned.provisioning_uri(settings.totp_issuer) if provisioned else None
    return web.json_response(user.to_dict() | {"totp_uri": uri})
