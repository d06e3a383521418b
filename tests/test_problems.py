"""Every error is RFC 9457 problem+json with a stable type; bad input never yields a 500."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from alertd.errors import PROBLEM_BASE
from alertd.roles import Role
from tests.conftest import Client, MakeUser, bearer, login

LOGIN = "/api/v1/auth/login"
REFRESH = "/api/v1/auth/refresh"
PROBLEM_KEYS = {"type", "title", "status", "detail", "request_id"}


async def problem_of(response: Any, status: int, slug: str) -> dict[str, Any]:
    """Check the common shape of a problem answer and return its body."""
    text = await response.text()
    assert response.status == status, text
    assert response.content_type == "application/problem+json"
    body: dict[str, Any] = json.loads(text)
    assert set(body) >= PROBLEM_KEYS, body
    assert body["type"] == PROBLEM_BASE + slug
    assert body["status"] == status
    assert isinstance(body["title"], str)
    assert body["title"]
    assert isinstance(body["detail"], str)
    assert body["detail"]
    assert body["request_id"] == response.headers["X-Request-Id"]
    return body


async def test_unknown_route_is_a_404_problem(client: Client) -> None:
    await problem_of(await client.get("/api/v1/nothing-here"), 404, "not-found")


async def test_wrong_method_is_a_405_problem_with_allow(client: Client) -> None:
    response = await client.get(LOGIN)
    await problem_of(response, 405, "method-not-allowed")
    assert "POST" in response.headers["Allow"]


async def test_the_request_id_is_echoed_or_made(client: Client) -> None:
    given = await client.get("/api/v1/nowhere", headers={"X-Request-Id": "abc-123"})
    assert (await problem_of(given, 404, "not-found"))["request_id"] == "abc-123"
    for unsafe in ("has spaces", "x" * 65, "new\\nline", "\u00e9t\u00e9"):
        made = await client.get("/api/v1/nowhere", headers={"X-Request-Id": unsafe})
        body = await problem_of(made, 404, "not-found")
        assert body["request_id"] != unsafe
        assert len(body["request_id"]) == 32


async def test_a_body_over_the_limit_is_413(client: Client) -> None:
    body = json.dumps({"username": "x", "password": "y" * 2_000_000})
    response = await client.post(LOGIN, data=body, headers={"Content-Type": "application/json"})
    await problem_of(response, 413, "payload-too-large")


async def post_raw(client: Client, path: str, raw: bytes | str, content_type: str) -> Any:
    return await client.post(path, data=raw, headers={"Content-Type": content_type})


async def failures_of(cases: dict[str, Callable[[], Awaitable[None]]]) -> dict[str, str]:
    """Run every case and collect what failed: one app start checks many inputs (an app
    costs ~0.2 s to start), and the message still names each failing input."""
    failed = {}
    for name, check in cases.items():
        try:
            await check()
        except AssertionError as exc:
            failed[name] = str(exc).splitlines()[0]
    return failed


async def test_malformed_json_is_400(client: Client) -> None:
    bodies = [b"{", b"not json", b'{"username": "a",}', b"\xff\xfe", b'{"u": "\\ud800"}', b""]

    async def check(raw: bytes) -> None:
        response = await post_raw(client, LOGIN, raw, "application/json")
        await problem_of(response, 400, "bad-request")

    assert await failures_of({repr(raw): partial(check, raw) for raw in bodies}) == {}


async def test_the_wrong_content_type_is_refused(client: Client) -> None:
    body = json.dumps({"username": "a", "password": "b"})

    async def check(content_type: str) -> None:
        response = await post_raw(client, LOGIN, body, content_type)
        assert response.status in (400, 415)
        await problem_of(response, response.status, "bad-request")

    types = ["text/plain", "application/x-www-form-urlencoded", "application/xml", "", "json"]
    assert await failures_of({t: partial(check, t) for t in types}) == {}


async def test_json_with_a_charset_parameter_is_fine(client: Client, make_user: MakeUser) -> None:
    user = await make_user("officer1", Role.CHECKPOINT_OFFICER)
    body = json.dumps({"username": user.username, "password": user.password})
    response = await post_raw(client, LOGIN, body, "application/json; charset=utf-8")
    assert response.status == 200


WRONG_FIELDS: list[tuple[dict[str, Any], str, str]] = [
    ({"username": "a", "password": "b", "extra": 1}, "extra", "unknown field"),
    ({"username": 5, "password": "b"}, "username", "string"),
    ({"username": "a", "password": ["b"]}, "password", "string"),
    ({"username": "a", "password": None}, "password", "string"),
    ({"username": "a"}, "password", "required"),
    ({"username": "a", "password": "b", "totp": 123456}, "totp", "string"),
    ({"username": "", "password": "b"}, "username", "at least 1"),
    ({"username": "a" * 65, "password": "b"}, "username", "at most 64"),
    ({"username": True, "password": "b"}, "username", "string"),
]


async def test_wrong_fields_are_422_naming_the_field(client: Client) -> None:
    async def check(body: dict[str, Any], field: str, message: str) -> None:
        problem = await problem_of(await client.post(LOGIN, json=body), 422, "validation-failed")
        fields = {error["field"]: error["message"] for error in problem["errors"]}
        assert field in fields, problem
        assert message in fields[field].lower(), fields
        assert field in problem["detail"], problem["detail"]

    cases = {json.dumps(case[0])[:60]: partial(check, *case) for case in WRONG_FIELDS}
    assert await failures_of(cases) == {}


async def test_a_body_that_is_not_an_object_is_422(client: Client) -> None:
    async def check(body: Any) -> None:
        raw = json.dumps(body)  # json=None would send no body at all
        response = await post_raw(client, LOGIN, raw, "application/json")
        problem = await problem_of(response, 422, "validation-failed")
        assert problem["errors"][0]["field"] == "body"

    bodies: list[Any] = [[], "a string", 42, None, [{"username": "a"}], 1.5, True]
    assert await failures_of({repr(body): partial(check, body) for body in bodies}) == {}


async def test_a_deeply_nested_body_is_a_4xx(client: Client) -> None:
    for raw in (
        '{"username": ' + "[" * 10_000 + "]" * 10_000 + ', "password": "x"}',
        '{"username": ' + "[" * 10_000 + '"\\u0000"' + "]" * 10_000 + "}",
        '{"username": ' + "{" * 5_000,
    ):
        response = await post_raw(client, LOGIN, raw, "application/json")
        assert 400 <= response.status < 500
        assert response.content_type == "application/problem+json"


NASTY_STRINGS = [
    "a\u0000b",
    "\u0000",
    "a\ud800b",
    "\U0001f600" * 16,
    "'; DROP TABLE users; --",
    "a\r\nb",
    "\u202eadmin",
    "%s%s%n",
    "../../etc/passwd",
]


async def test_nasty_strings_never_make_a_500(client: Client, make_user: MakeUser) -> None:
    await make_user("officer1", Role.CHECKPOINT_OFFICER)

    async def check(path: str, body: dict[str, str]) -> None:
        response = await post_raw(client, path, json.dumps(body), "application/json")
        assert response.status in (400, 401, 422), await response.text()
        assert response.content_type == "application/problem+json"

    cases = {}
    for value in NASTY_STRINGS:
        login_body = {"username": value, "password": value + "x"}
        cases[f"login {value!r}"] = partial(check, LOGIN, login_body)
        cases[f"refresh {value!r}"] = partial(check, REFRESH, {"refresh_token": value})
    assert await failures_of(cases) == {}


async def test_not_authenticated_is_a_401_problem(client: Client) -> None:
    response = await client.get("/api/v1/me")
    await problem_of(response, 401, "not-authenticated")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


async def test_forbidden_is_a_403_problem(client: Client, make_user: MakeUser) -> None:
    tokens = await login(client, await make_user("officer1", Role.CHECKPOINT_OFFICER))
    response = await client.get("/api/v1/admin/users", headers=bearer(tokens))
    await problem_of(response, 403, "permission-denied")


async def test_a_nul_character_is_422_naming_the_field(client: Client) -> None:
    """PostgreSQL cannot store NUL: it must be refused at the edge, not by the driver."""
    raw = json.dumps({"username": "adm\u0000in", "password": "whatever it is"})
    response = await client.post(LOGIN, data=raw, headers={"Content-Type": "application/json"})
    problem = await problem_of(response, 422, "validation-failed")
    assert problem["errors"] == [
        {"field": "username", "message": "must not contain NUL characters"}
    ]
    escaped = json.dumps({"username": "adm\\u0000in", "password": "whatever it is"})
    response = await client.post(LOGIN, data=escaped, headers={"Content-Type": "application/json"})
    assert response.status == 401, "an escaped backslash followed by u0000 is not a NUL"
