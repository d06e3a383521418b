"""Sign-in, token refresh, logout, and turning a bearer token into a ``Principal``.

A sign-in opens a session (a family of refresh tokens). Refresh tokens are opaque,
stored hashed, and rotated on every use; presenting one that was already used means
it was stolen or replayed, so the whole family is revoked. Access tokens name their
session, and every request checks that the session is alive and the user enabled, so
logout and ``alertd user disable`` take effect on the very next request.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pyotp
from sqlalchemy import String, any_, bindparam, or_, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from alertd import audit, throttle
from alertd.audit import Actor, AuditEvent
from alertd.batching import Batcher
from alertd.clock import Clock
from alertd.config import Settings
from alertd.db import (
    DriverStatement,
    KeptConnection,
    fetch_direct,
    is_postgresql,
    single_statement_reads,
)
from alertd.errors import NotAuthenticated, Throttled
from alertd.identity import user_by_id
from alertd.passwords import Passwords
from alertd.principal import Principal
from alertd.roles import Role
from alertd.tables import (
    agencies,
    auth_sessions,
    checkpoints,
    refresh_tokens,
    user_checkpoints,
    user_roles,
    users,
)
from alertd.tokens import AccessClaims, AccessTokens, hash_refresh_token, new_refresh_token

BAD_CREDENTIALS = "invalid username, password or one-time code"
TOTP_VALID_WINDOW = 1  # accept the previous and next 30-second step for clock drift


class TotpRequired(NotAuthenticated):
    slug = "totp-required"
    title = "A one-time code is required"


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str
    totp: str | None
    client_address: str


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    user: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "token_type": "Bearer",
            "expires_in": self.expires_in,
            "user": self.user,
        }


@dataclass(frozen=True)
class _Account:
    id: int
    password_hash: str
    totp_secret: str | None
    totp_last_step: int | None
    disabled: bool
    roles: frozenset[Role]


class Authenticator:
    def __init__(
        self,
        engine: AsyncEngine,
        settings: Settings,
        passwords: Passwords,
        tokens: AccessTokens,
        clock: Clock,
        read_engine: AsyncEngine | None = None,
    ) -> None:
        self._engine = engine
        # Lookups that only read (every authenticated request) use the read engine.
        self._reader = read_engine or engine
        # The lookups are batched, one query at a time: one connection kept does them.
        self._lookups = KeptConnection(single_statement_reads(self._reader))
        # Requests that arrive together look up their callers together (join_ready).
        self._principal_lookups = Batcher(self._principals_of, MAX_LOOKUP_BATCH, join_ready=True)
        self._passwords = passwords
        self._tokens = tokens
        self._clock = clock
        self._rules = throttle.ThrottleRules.from_settings(settings)
        self._totp_roles = frozenset(settings.totp_required_roles)
        self._refresh_ttl = timedelta(seconds=settings.refresh_token_ttl_seconds)

    async def login(self, creds: Credentials, request_id: str | None) -> TokenPair:
        now = self._clock.now()
        actor = Actor(creds.username, None, request_id)
        account = await self._account_unless_throttled(creds, actor, now)
        password_ok = await asyncio.to_thread(
            self._passwords.verify, account.password_hash if account else None, creds.password
        )
        if account is None or account.disabled or not password_ok:
            await self._record_failure(creds, actor, now, "bad_credentials")
            raise NotAuthenticated(BAD_CREDENTIALS)
        totp_step = None
        if not self._totp_roles.isdisjoint(account.roles):
            totp_step = await self._verified_totp_step(account, creds, actor, now)
        stronger_hash = await self._rehashed(account, creds.password)
        async with self._engine.begin() as conn:
            if totp_step is not None and not await _consume_totp_step(conn, account.id, totp_step):
                raise NotAuthenticated(BAD_CREDENTIALS)
            if stronger_hash is not None:
                await conn.execute(
                    update(users)
                    .where(users.c.id == account.id)
                    .values(password_hash=stronger_hash)
                )
            return await self._open_session(conn, account.id, creds, actor, now)

    async def _rehashed(self, account: _Account, password: str) -> str | None:
        """A new hash if the stored one was made with other argon2 parameters.

        Raising the parameters in the settings then upgrades each account at its next
        sign-in, the only moment the password is known.
        """
        if not self._passwords.needs_rehash(account.password_hash):
            return None
        return await asyncio.to_thread(self._passwords.hash, password)

    async def _account_unless_throttled(
        self, creds: Credentials, actor: Actor, now: datetime
    ) -> _Account | None:
        keys = [throttle.account_key(creds.username), throttle.address_key(creds.client_address)]
        async with self._reader.connect() as conn:
            throttled = await throttle.locked_for(conn, keys, now)
            account = None if throttled else await _load_account(conn, creds.username)
        if throttled:
            await self._record_denied(actor, now)
            raise Throttled(
                f"too many failed sign-ins; try again in {throttled} seconds", throttled
            )
        return account

    async def _verified_totp_step(
        self, account: _Account, creds: Credentials, actor: Actor, now: datetime
    ) -> int:
        if account.totp_secret is None or not creds.totp:
            raise TotpRequired("this account needs a one-time code (totp) to sign in")
        step = _matching_totp_step(account.totp_secret, creds.totp, now)
        last = account.totp_last_step
        if step is None or (last is not None and step <= last):
            await self._record_failure(creds, actor, now, "bad_totp")
            raise NotAuthenticated(BAD_CREDENTIALS)
        return step

    async def refresh(self, refresh_token: str, request_id: str | None) -> TokenPair:
        now = self._clock.now()
        async with self._engine.begin() as conn:
            row = await _refresh_row(conn, hash_refresh_token(refresh_token))
            if row is None:
                raise NotAuthenticated("the refresh token is not valid")
            actor = Actor(row.username, None, request_id)
            spent = await conn.execute(
                update(refresh_tokens)
                .where(
                    refresh_tokens.c.token_hash == row.token_hash,
                    refresh_tokens.c.used_at.is_(None),
                )
                .values(used_at=now)
            )
            if spent.rowcount != 1:
                await self._revoke_family(conn, row.session_id, actor, now)
        if spent.rowcount != 1:
            raise NotAuthenticated("the refresh token was already used; its session is revoked")
        if row.revoked_at is not None or row.disabled_at is not None or row.expires_at <= now:
            raise NotAuthenticated("the refresh token has expired or been revoked")
        async with self._engine.begin() as conn:
            pair = await self._issue(conn, row.user_id, row.session_id, now)
            await audit.record(
                conn, actor, AuditEvent("auth.refresh", f"session:{row.session_id}"), now
            )
            return pair

    async def close(self) -> None:
        """Give back the connection kept for lookups (at shutdown)."""
        await self._lookups.close()

    async def logout(self, principal: Principal, request_id: str | None) -> None:
        now = self._clock.now()
        async with self._engine.begin() as conn:
            await conn.execute(
                update(auth_sessions)
                .where(
                    auth_sessions.c.id == principal.session_id, auth_sessions.c.revoked_at.is_(None)
                )
                .values(revoked_at=now, revoked_reason="logout")
            )
            event = AuditEvent("auth.logout", f"session:{principal.session_id}")
            await audit.record(conn, principal.actor(request_id), event, now)

    async def authenticate(self, authorization: str | None) -> Principal:
        """The principal behind an ``Authorization: Bearer`` header, or NotAuthenticated."""
        scheme, _, token = (authorization or "").strip().partition(" ")
        # RFC 7235: the scheme is case-insensitive ("bearer" is as good as "Bearer").
        if scheme.casefold() != "bearer" or not token.strip():
            raise NotAuthenticated("send an access token as 'Authorization: Bearer <token>'")
        return await self.principal_for_token(token.strip())

    def claims_of(self, token: str) -> AccessClaims:
        """The claims of a valid access token (NotAuthenticated otherwise)."""
        return self._tokens.verify(token, self._clock.now())

    async def principal_for_token(self, token: str) -> Principal:
        """The principal of a valid token whose session is alive and user enabled.

        The session and user are read afresh for every request, so a logout or
        ``alertd user disable`` takes effect on the very next request, on every node;
        the requests waiting for a lookup while one is under way share the next
        query (``alertd.batching``), each still read after it arrived.
        """
        claims = self._tokens.verify(token, self._clock.now())
        who = await self._principal_lookups.do(claims)
        if who is None:
            raise NotAuthenticated("the session has ended; sign in again")
        return who

    async def _principals_of(self, claims: Sequence[AccessClaims]) -> list[Principal | None]:
        """The principal behind each of ``claims`` (None: session ended), one query."""
        async with self._lookups.connect() as conn:
            if is_postgresql(conn):  # every request: the driver's own, cheaper path
                session_ids = sorted({c.session_id for c in claims})
                rows = await fetch_direct(conn, _SOME_PRINCIPALS, {"session_ids": session_ids})
            else:
                rows = await _principal_rows(conn, claims)
        by_session = _rows_by_session(rows)
        return [_principal(c, by_session.get(c.session_id, ())) for c in claims]

    async def _open_session(
        self, conn: AsyncConnection, user_id: int, creds: Credentials, actor: Actor, now: datetime
    ) -> TokenPair:
        session_id = str(uuid.uuid4())
        await conn.execute(
            auth_sessions.insert().values(
                id=session_id, user_id=user_id, created_at=now, client_address=creds.client_address
            )
        )
        await throttle.clear(conn, throttle.account_key(creds.username))
        pair = await self._issue(conn, user_id, session_id, now)
        details = {"session": session_id, "address": creds.client_address}
        await audit.record(
            conn, actor, AuditEvent("auth.login", f"user:{creds.username}", "success", details), now
        )
        return pair

    async def _issue(
        self, conn: AsyncConnection, user_id: int, session_id: str, now: datetime
    ) -> TokenPair:
        refresh = new_refresh_token()
        await conn.execute(
            refresh_tokens.insert().values(
                token_hash=hash_refresh_token(refresh),
                session_id=session_id,
                issued_at=now,
                expires_at=now + self._refresh_ttl,
            )
        )
        access, _claims = self._tokens.issue(user_id, session_id, now)
        user = await user_by_id(conn, user_id)
        summary = {
            "username": user.username,
            "agency": user.agency,
            "desk": user.desk_id,
            "roles": [r.value for r in user.roles],
        }
        return TokenPair(access, refresh, int(self._tokens.ttl.total_seconds()), summary)

    async def _record_failure(
        self, creds: Credentials, actor: Actor, now: datetime, reason: str
    ) -> None:
        async with self._engine.begin() as conn:
            await throttle.record_failure(
                conn,
                throttle.account_key(creds.username),
                self._rules.max_per_account,
                self._rules,
                now,
            )
            await throttle.record_failure(
                conn,
                throttle.address_key(creds.client_address),
                self._rules.max_per_address,
                self._rules,
                now,
            )
            details = {"reason": reason, "address": creds.client_address}
            event = AuditEvent("auth.login", f"user:{creds.username}", "failure", details)
            await audit.record(conn, actor, event, now)

    async def _record_denied(self, actor: Actor, now: datetime) -> None:
        async with self._engine.begin() as conn:
            event = AuditEvent(
                "auth.login", f"user:{actor.username}", "denied", {"reason": "throttled"}
            )
            await audit.record(conn, actor, event, now)

    async def _revoke_family(
        self, conn: AsyncConnection, session_id: str, actor: Actor, now: datetime
    ) -> None:
        await conn.execute(
            update(auth_sessions)
            .where(auth_sessions.c.id == session_id, auth_sessions.c.revoked_at.is_(None))
            .values(revoked_at=now, revoked_reason="refresh_reuse")
        )
        event = AuditEvent(
            "auth.refresh_reuse", f"session:{session_id}", "denied", {"revoked": True}
        )
        await audit.record(conn, actor, event, now)


async def principals_for_claims(
    conn: AsyncConnection, claims: Sequence[AccessClaims]
) -> dict[str, Principal]:
    """The principals behind verified access tokens, keyed by session id, in one query.

    The one rule for "who is this token's user": a session that was revoked, whose user
    was disabled, or that belongs to another user than the token names, is absent from
    the answer. REST requests ask for the tokens of the requests waiting at once;
    WebSocket sign-ins for many at once.
    """
    by_session = _rows_by_session(await _principal_rows(conn, claims))
    found = {c.session_id: _principal(c, by_session.get(c.session_id, ())) for c in claims}
    return {sid: who for sid, who in found.items() if who is not None}


async def _principal_rows(
    conn: AsyncConnection, claims: Sequence[AccessClaims]
) -> list[Mapping[Any, Any]]:
    if not claims:
        return []
    session_ids = sorted({c.session_id for c in claims})
    rows = await conn.execute(_PRINCIPAL_QUERY, {"session_ids": session_ids})
    return [row._mapping for row in rows]


def _rows_by_session(rows: Iterable[Mapping[Any, Any]]) -> dict[str, list[Mapping[Any, Any]]]:
    by_session: dict[str, list[Mapping[Any, Any]]] = {}
    for row in rows:
        by_session.setdefault(row["session_id"], []).append(row)
    return by_session


def _principal(claims: AccessClaims, rows: Sequence[Mapping[Any, Any]]) -> Principal | None:
    """The principal of ``claims`` from its session's rows; None if there are none or
    the session belongs to another user than the token names."""
    if not rows or rows[0]["user_id"] != claims.user_id:
        return None
    first = rows[0]
    return Principal(
        user_id=claims.user_id,
        username=first["username"],
        agency=first["agency"],
        agency_id=first["agency_id"],
        desk_id=first["desk_id"],
        roles=frozenset(Role(r["role"]) for r in rows if r["role"] is not None),
        checkpoints=frozenset(r["checkpoint"] for r in rows if r["checkpoint"] is not None),
        session_id=claims.session_id,
    )


# The signed-in user behind each live session, with one row per (role, checkpoint) pair:
# roles and checkpoints are outer-joined so a user with none of either still has a row.
# Built once: SQLAlchemy then skips constructing and re-keying it on every request (the
# expanding IN keeps one cached statement for any number of sessions).
_PRINCIPALS = (
    select(
        auth_sessions.c.id.label("session_id"),
        auth_sessions.c.user_id,
        users.c.username,
        users.c.agency_id,
        users.c.desk_id,
        agencies.c.code.label("agency"),
        user_roles.c.role,
        checkpoints.c.code.label("checkpoint"),
    )
    .select_from(users)
    .join(auth_sessions, auth_sessions.c.user_id == users.c.id)
    .join(agencies, agencies.c.id == users.c.agency_id)
    .outerjoin(user_roles, user_roles.c.user_id == users.c.id)
    .outerjoin(user_checkpoints, user_checkpoints.c.user_id == users.c.id)
    .outerjoin(checkpoints, checkpoints.c.id == user_checkpoints.c.checkpoint_id)
    .where(auth_sessions.c.revoked_at.is_(None), users.c.disabled_at.is_(None))
)
_PRINCIPAL_QUERY = _PRINCIPALS.where(
    auth_sessions.c.id.in_(bindparam("session_ids", expanding=True))
)
# The same query for an array of sessions, compiled for the driver (PostgreSQL, every
# request): one statement for any number of sessions.
_SOME_PRINCIPALS = DriverStatement.of(
    _PRINCIPALS.where(auth_sessions.c.id == any_(bindparam("session_ids", type_=ARRAY(String))))
)
# Sessions looked up in one query at most (the requests waiting at once).
MAX_LOOKUP_BATCH = 64


def _matching_totp_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code equals ``code``, within the allowed drift, or None."""
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - TOTP_VALID_WINDOW, current + TOTP_VALID_WINDOW + 1):
        if pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return step
    return None


async def _consume_totp_step(conn: AsyncConnection, user_id: int, step: int) -> bool:
    """Record ``step`` as used; False if it (or a later one) was used meanwhile."""
    result = await conn.execute(
        update(users)
        .where(
            users.c.id == user_id,
            or_(users.c.totp_last_step.is_(None), users.c.totp_last_step < step),
        )
        .values(totp_last_step=step)
    )
    return result.rowcount == 1


async def _load_account(conn: AsyncConnection, username: str) -> _Account | None:
    row = (await conn.execute(select(users).where(users.c.username == username))).first()
    if row is None:
        return None
    roles = await conn.execute(select(user_roles.c.role).where(user_roles.c.user_id == row.id))
    return _Account(
        id=row.id,
        password_hash=row.password_hash,
        totp_secret=row.totp_secret,
        totp_last_step=row.totp_last_step,
        disabled=row.disabled_at is not None,
        roles=frozenset(Role(r) for r in roles.scalars()),
    )


async def _refresh_row(conn: AsyncConnection, token_hash: str) -> Any:
    return (
        await conn.execute(
            select(
                refresh_tokens.c.token_hash,
                refresh_tokens.c.session_id,
                refresh_tokens.c.expires_at,
                auth_sessions.c.user_id,
                auth_sessions.c.revoked_at,
                users.c.username,
                users.c.disabled_at,
            )
            .join(auth_sessions, auth_sessions.c.id == refresh_tokens.c.session_id)
            .join(users, users.c.id == auth_sessions.c.user_id)
            .where(refresh_tokens.c.token_hash == token_hash)
        )
    ).first()
