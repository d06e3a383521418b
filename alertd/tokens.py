"""Access tokens (EdDSA-signed JWTs) and opaque refresh tokens.

The signing key is an Ed25519 key generated into the data directory on first start;
its ``kid`` is a thumbprint of the public key, so a rotated key gets a new ``kid``. The
verifier pins the algorithm, requires every registered claim, checks the token type and
refuses any ``crit`` header it does not understand (it understands none).
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from alertd.config import Settings
from alertd.errors import NotAuthenticated

ALGORITHM = "EdDSA"
ACCESS_TOKEN_TYPE = "access"  # noqa: S105 (a token type, not a secret)
KEY_FILE_NAME = "jwt-ed25519.pem"
REQUIRED_CLAIMS = ("exp", "iat", "nbf", "iss", "aud", "jti", "sub", "sid", "typ")
# Clock skew tolerated between nodes when checking exp/nbf/iat.
LEEWAY_SECONDS = 5
# Tokens whose signature and fixed claims were already checked, remembered so that the
# next request with the same token skips the Ed25519 verification, the JWT decoding and
# the claims' parsing (about 0.15 ms of CPU per request). Only what never changes is
# remembered: the times are checked against the clock on every use, and the session
# behind the token is read on every request.
VERIFIED_TOKENS_KEPT = 4096


@dataclass(frozen=True)
class AccessClaims:
    user_id: int
    session_id: str
    token_id: str
    expires_at: datetime


@dataclass(frozen=True)
class SigningKey:
    private_key: Ed25519PrivateKey
    kid: str

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()


def load_or_create_signing_key(data_dir: Path) -> SigningKey:
    """The node's signing key, created (mode 0600) on first start."""
    path = data_dir / KEY_FILE_NAME
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        # Written whole to a private temporary file, then linked into place: a node
        # starting at the same moment never reads a half-written key, and if another
        # node linked its key first, both use that one.
        temporary = data_dir / f".{KEY_FILE_NAME}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 private key")
    return SigningKey(private_key=key, kid=_thumbprint(key.public_key()))


def _thumbprint(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.urlsafe_b64encode(hashlib.sha256(raw).digest()[:12]).decode().rstrip("=")


@dataclass(frozen=True)
class _Checked:
    """A token whose signature, type and claims were checked: its claims, and the times
    (seconds since the epoch) to check on every use."""

    claims: AccessClaims
    expires: int
    not_before: int
    issued: int

    def valid_at(self, now: datetime) -> AccessClaims:
        stamp = now.timestamp()
        if self.expires <= stamp - LEEWAY_SECONDS:
            raise NotAuthenticated("the access token has expired")
        if self.not_before > stamp + LEEWAY_SECONDS or self.issued > stamp + LEEWAY_SECONDS:
            raise NotAuthenticated("the access token is not valid yet")
        return self.claims


class AccessTokens:
    def __init__(self, key: SigningKey, settings: Settings) -> None:
        self._key = key
        self._verified: dict[str, _Checked] = {}
        self._issuer = settings.token_issuer
        self._audience = settings.token_audience
        self.ttl = timedelta(seconds=settings.access_token_ttl_seconds)

    def issue(self, user_id: int, session_id: str, now: datetime) -> tuple[str, AccessClaims]:
        claims = AccessClaims(user_id, session_id, str(uuid.uuid4()), now + self.ttl)
        payload = {
            "iss": self._issuer,
            "aud": self._audience,
            "sub": str(user_id),
            "sid": session_id,
            "jti": claims.token_id,
            "typ": ACCESS_TOKEN_TYPE,
            "iat": int(now.timestamp()),
            "nbf": int(now.timestamp()),
            "exp": int(claims.expires_at.timestamp()),
        }
        token = jwt.encode(
            payload, self._key.private_key, ALGORITHM, headers={"kid": self._key.kid}
        )
        return token, claims

    def verify(self, token: str, now: datetime) -> AccessClaims:
        """The claims of a valid access token; NotAuthenticated for anything else."""
        checked = self._verified.get(token)
        if checked is None:
            checked = _checked(self._decode(token), now)
            self._remember(token, checked)
        return checked.valid_at(now)

    def _remember(self, token: str, checked: _Checked) -> None:
        if len(self._verified) >= VERIFIED_TOKENS_KEPT:
            del self._verified[next(iter(self._verified))]  # the oldest goes first
        self._verified[token] = checked

    def _decode(self, token: str) -> dict[str, object]:
        """The payload of a token signed by this key with every claim present (its
        times are checked by the caller, against the injected clock)."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise NotAuthenticated("the access token is malformed") from None
        if header.get("alg") != ALGORITHM or header.get("kid") != self._key.kid:
            raise NotAuthenticated("the access token was not signed by this service")
        if "crit" in header:
            raise NotAuthenticated("the access token has a critical header this service refuses")
        try:
            payload: dict[str, object] = jwt.decode(
                token,
                self._key.public_key,
                algorithms=[ALGORITHM],
                audience=self._audience,
                issuer=self._issuer,
                leeway=LEEWAY_SECONDS,
                options={
                    "require": list(REQUIRED_CLAIMS),
                    "verify_exp": False,
                    "verify_nbf": False,
                    "verify_iat": False,
                },
            )
        except jwt.PyJWTError:
            raise NotAuthenticated("the access token is not valid") from None
        return payload


def _checked(payload: dict[str, object], now: datetime) -> _Checked:
    """The claims of a decoded payload, checked once (its times are checked at each use;
    ``now`` gives only the time zone of ``expires_at``)."""
    if payload.get("typ") != ACCESS_TOKEN_TYPE:
        raise NotAuthenticated("this is not an access token")
    sub, sid, jti = (_str_claim(payload, name) for name in ("sub", "sid", "jti"))
    exp, nbf, iat = (_int_claim(payload, name) for name in ("exp", "nbf", "iat"))
    if not sub.isdigit():
        raise NotAuthenticated("the access token is not valid")
    claims = AccessClaims(int(sub), sid, jti, datetime.fromtimestamp(exp, tz=now.tzinfo))
    return _Checked(claims, exp, nbf, iat)


def _str_claim(payload: dict[str, object], name: str) -> str:
    value = payload.get(name)
    if not isinstance(value, str):
        raise NotAuthenticated("the access token is not valid")
    return value


def _int_claim(payload: dict[str, object], name: str) -> int:
    value = payload.get(name)
    if not isinstance(value, int) or isinstance(value, bool):
        raise NotAuthenticated("the access token is not valid")
    return value


def new_refresh_token() -> str:
    return "rt_" + secrets.token_urlsafe(32)


def hash_refresh_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
