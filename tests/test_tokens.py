"""The JWT attack list: every forged or bent access token gets 401, never a 500.

Each forgery starts from the claims of a real token (so the session exists) and
changes one thing; a control test proves the forging helper itself produces tokens
the service accepts, so a refusal below is the service's doing and not a typo here.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from alertd.clock import FrozenClock
from alertd.config import Settings
from alertd.errors import NotAuthenticated
from alertd.roles import Role
from alertd.tokens import LEEWAY_SECONDS, AccessTokens, SigningKey, load_or_create_signing_key
from tests.conftest import Client, MakeUser, login

ME = "/api/v1/me"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def b64json(value: dict[str, Any]) -> str:
    return b64(json.dumps(value, separators=(",", ":")).encode())


def sign_eddsa(key: Ed25519PrivateKey, header: dict[str, Any], claims: dict[str, Any]) -> str:
    """Sign by hand, so the test controls every header field (PyJWT adds its own)."""
    signing_input = f"{b64json(header)}.{b64json(claims)}"
    return f"{signing_input}.{b64(key.sign(signing_input.encode()))}"


class Forger:
    """Builds access tokens from a real one's claims with the service's own key."""

    def __init__(self, key: SigningKey, claims: dict[str, Any], now: int) -> None:
        self.key = key
        self.claims = claims
        self.now = now

    def header(self, **changes: Any) -> dict[str, Any]:
        base = {"alg": "EdDSA", "typ": "JWT", "kid": self.key.kid}
        return {k: v for k, v in (base | changes).items() if v is not None}

    def token(self, header: dict[str, Any] | None = None, **claim_changes: Any) -> str:
        claims = {k: v for k, v in (self.claims | claim_changes).items() if v is not None}
        return sign_eddsa(self.key.private_key, header or self.header(), claims)


@pytest.fixture
async def forger(
    client: Client, make_user: MakeUser, settings: Settings, clock: FrozenClock
) -> Forger:
    tokens = await login(client, await make_user("officer1", Role.CHECKPOINT_OFFICER))
    claims = jwt.decode(tokens["access_token"], options={"verify_signature": False})
    key = load_or_create_signing_key(settings.data_dir)
    return Forger(key, claims, int(clock.now().timestamp()))


async def me_status(client: Client, token: str) -> int:
    response = await client.get(ME, headers={"Authorization": f"Bearer {token}"})
    if response.status != 200:
        assert response.content_type == "application/problem+json"
    return response.status


async def test_the_forger_makes_tokens_the_service_accepts(client: Client, forger: Forger) -> None:
    assert await me_status(client, forger.token()) == 200
    fresh = forger.token(jti="another-id", iat=forger.now, nbf=forger.now)
    assert await me_status(client, fresh) == 200


def alg_none(forger: Forger, kid: str | None = "ours") -> str:
    header = {"alg": "none", "typ": "JWT"}
    if kid:
        header["kid"] = forger.key.kid
    return f"{b64json(header)}.{b64json(forger.claims)}."


def hs256_with_public_key(forger: Forger) -> str:
    """The classic key-confusion attack: HMAC keyed with the public key's bytes."""
    public = forger.key.public_key
    pem = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    header = {"alg": "HS256", "typ": "JWT", "kid": forger.key.kid}
    signing_input = f"{b64json(header)}.{b64json(forger.claims)}"
    tokens = [
        f"{signing_input}.{b64(hmac.new(key, signing_input.encode(), hashlib.sha256).digest())}"
        for key in (pem, raw)
    ]
    return tokens[0] + " " + tokens[1]  # two forgeries; the test tries each


def another_ed25519_key(forger: Forger) -> str:
    return sign_eddsa(Ed25519PrivateKey.generate(), forger.header(), forger.claims)


def es256_foreign_key(forger: Forger) -> str:
    key = generate_private_key(SECP256R1())
    return jwt.encode(forger.claims, key, algorithm="ES256", headers={"kid": forger.key.kid})


def tampered_payload(forger: Forger) -> str:
    header, _payload, signature = forger.token().split(".")
    return f"{header}.{b64json(forger.claims | {'sub': '999'})}.{signature}"


def tampered_signature(forger: Forger) -> str:
    token = forger.token()
    flipped = "A" if token[-2] != "A" else "B"
    return token[:-2] + flipped + token[-1]


ATTACKS: dict[str, Callable[[Forger], str]] = {
    "alg none": alg_none,
    "alg none, no kid": lambda f: alg_none(f, kid=None),
    "alg None capitalised": lambda f: f.token(f.header(alg="None")),
    "alg EdDSA lower case": lambda f: f.token(f.header(alg="eddsa")),
    "HS256 signed with the public key": hs256_with_public_key,
    "signed with another Ed25519 key": another_ed25519_key,
    "ES256 with a foreign key": es256_foreign_key,
    "unknown kid": lambda f: f.token(f.header(kid="someone-elses-key")),
    "no kid": lambda f: f.token(f.header(kid=None)),
    "unknown crit header": lambda f: f.token(f.header(crit=["exp-ext"], **{"exp-ext": 1})),
    "crit b64": lambda f: f.token(f.header(crit=["b64"], b64=False)),
    "wrong aud": lambda f: f.token(aud="some-other-api"),
    "aud list without ours": lambda f: f.token(aud=["some-other-api"]),
    "wrong iss": lambda f: f.token(iss="https://evil.example"),
    "expired": lambda f: f.token(exp=f.now - 60, iat=f.now - 700, nbf=f.now - 700),
    "nbf in the future": lambda f: f.token(nbf=f.now + 600),
    "iat in the future": lambda f: f.token(iat=f.now + 600),
    "tampered payload": tampered_payload,
    "tampered signature": tampered_signature,
    "missing jti": lambda f: f.token(jti=None),
    "missing typ": lambda f: f.token(typ=None),
    "missing exp": lambda f: f.token(exp=None),
    "missing nbf": lambda f: f.token(nbf=None),
    "missing iat": lambda f: f.token(iat=None),
    "missing aud": lambda f: f.token(aud=None),
    "missing iss": lambda f: f.token(iss=None),
    "missing sid": lambda f: f.token(sid=None),
    "missing sub": lambda f: f.token(sub=None),
    "typ refresh": lambda f: f.token(typ="refresh"),
    "typ id": lambda f: f.token(typ="id"),
    "sub not a number": lambda f: f.token(sub="admin"),
    "sub of another user": lambda f: f.token(sub="999999"),
    "unknown session": lambda f: f.token(sid="00000000-0000-0000-0000-000000000000"),
    "exp as a string": lambda f: f.token(exp=str(f.now + 600)),
    "exp as a float far away": lambda f: f.token(exp=1e300),
    "exp a bool": lambda f: f.token(exp=True),
    "header not JSON": lambda f: "bm90IGpzb24." + f.token().split(".", 1)[1],
    "payload not JSON": lambda f: f.token().split(".")[0] + ".bm90IGpzb24." + "AAAA",
    "two segments": lambda f: ".".join(f.token().split(".")[:2]),
    "four segments": lambda f: f.token() + ".AAAA",
}


async def test_forged_access_tokens_are_refused(client: Client, forger: Forger) -> None:
    """One test walks the whole list (a login per attack would cost ~0.4 s each)."""
    answers: dict[str, list[int]] = {}
    for attack, forge in ATTACKS.items():
        answers[attack] = [await me_status(client, token) for token in forge(forger).split(" ")]
    accepted = {attack: codes for attack, codes in answers.items() if set(codes) != {401}}
    assert accepted == {}, f"forgeries not answered 401: {accepted}"
    assert await me_status(client, forger.token()) == 200, "the real session still works"


async def test_a_refresh_token_is_not_an_access_token(client: Client, make_user: MakeUser) -> None:
    tokens = await login(client, await make_user("officer1", Role.CHECKPOINT_OFFICER))
    assert await me_status(client, tokens["refresh_token"]) == 401
    assert await me_status(client, tokens["access_token"]) == 200


async def test_an_access_token_is_not_a_refresh_token(client: Client, make_user: MakeUser) -> None:
    tokens = await login(client, await make_user("officer1", Role.CHECKPOINT_OFFICER))
    response = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": tokens["access_token"][:200]}
    )
    assert response.status == 401


async def test_tokens_carry_every_registered_claim(
    client: Client, make_user: MakeUser, clock: FrozenClock
) -> None:
    tokens = await login(client, await make_user("officer1", Role.CHECKPOINT_OFFICER))
    header = jwt.get_unverified_header(tokens["access_token"])
    claims = jwt.decode(tokens["access_token"], options={"verify_signature": False})
    assert header["alg"] == "EdDSA"
    assert header["kid"]
    assert {"iss", "aud", "exp", "nbf", "iat", "jti", "sub", "sid", "typ"} <= set(claims)
    assert claims["typ"] == "access"
    assert claims["exp"] - claims["iat"] <= 15 * 60
    assert claims["iat"] == int(clock.now().timestamp())


async def test_a_token_accepted_once_still_expires(
    client: Client, make_user: MakeUser, clock: FrozenClock, settings: Settings
) -> None:
    """Verified signatures are remembered; the token's times are checked on every use."""
    tokens = await login(client, await make_user("officer1", Role.CHECKPOINT_OFFICER))
    assert await me_status(client, tokens["access_token"]) == 200
    clock.advance(settings.access_token_ttl_seconds + 60)
    assert await me_status(client, tokens["access_token"]) == 401


def test_a_remembered_token_has_its_times_checked_at_every_use(
    tmp_path: Any, settings: Settings, clock: FrozenClock
) -> None:
    """The checked claims are remembered; not yet valid, valid and expired follow the
    clock all the same, and a refused use does not make a later one pass early."""
    tokens = AccessTokens(load_or_create_signing_key(tmp_path / "keys"), settings)
    issued_at = clock.now() + timedelta(minutes=5)
    token, claims = tokens.issue(7, "session-7", issued_at)
    for _ in range(2):  # the second time from what was remembered
        with pytest.raises(NotAuthenticated, match="not valid yet"):
            tokens.verify(token, clock.now())
    assert tokens.verify(token, issued_at) == claims
    assert tokens.verify(token, issued_at - timedelta(seconds=LEEWAY_SECONDS)) == claims
    expired = claims.expires_at + timedelta(seconds=LEEWAY_SECONDS)
    with pytest.raises(NotAuthenticated, match="expired"):
        tokens.verify(token, expired)
    assert tokens.verify(token, expired - timedelta(seconds=1)) == claims


def test_the_signing_key_is_private_and_stable(tmp_path: Any) -> None:
    first = load_or_create_signing_key(tmp_path / "keys")
    second = load_or_create_signing_key(tmp_path / "keys")
    assert first.kid == second.kid
    key_files = list((tmp_path / "keys").iterdir())
    assert len(key_files) == 1
    assert key_files[0].stat().st_mode & 0o077 == 0, "the key file must be private (0600)"
    other = load_or_create_signing_key(tmp_path / "other")
    assert other.kid != first.kid
