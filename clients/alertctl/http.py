"""ApiClient: the HTTP contract as coroutines, errors as the client's own exceptions.

The aiohttp session is passed in (the transport is a seam: tests run the real one
against a real server). aiohttp's exceptions stop here and become `Unavailable`; an
error answer becomes `Refused`, `NotSignedIn` or `Unavailable` by its status, carrying
the problem document. A 401 on an authenticated request is retried once, with the
token the session hands out after refreshing (the server may expire a token a little
before this machine's clock says so).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import aiohttp
from yarl import URL

from clients.alertctl.errors import NotSignedIn, Problem, Refused, Unavailable
from clients.alertctl.session import Session, TokenStore
from clients.alertctl.wire import TokenPair, problem_from_json

USER_AGENT: Final = "alertctl/0.1"
# A body that can be sent again: the bytes themselves, or a factory of a fresh stream.
Body = bytes | Callable[[], AsyncIterator[bytes]]
Params = Mapping[str, str]
DOWNLOAD_CHUNK_BYTES: Final = 64 * 1024


@dataclass(frozen=True)
class _Request:
    method: str
    path: str
    params: Params | None = None
    json_body: Any = None
    body: Body | None = None
    content_type: str | None = None
    headers: Mapping[str, str] | None = None


@dataclass(frozen=True)
class _Answer:
    status: int
    reason: str
    payload: Any
    retry_after: str | None


class ApiClient:
    """One server, one token store; every method returns the decoded JSON answer."""

    def __init__(self, base_url: URL, store: TokenStore, http: aiohttp.ClientSession) -> None:
        self.base_url = base_url
        self.session = Session(store, self)
        self._http = http

    async def get(self, path: str, params: Params | None = None) -> Any:
        return await self._call(_Request("GET", path, params=params))

    async def post(
        self, path: str, body: Any = None, headers: Mapping[str, str] | None = None
    ) -> Any:
        return await self._call(_Request("POST", path, json_body=body, headers=headers))

    async def put(self, path: str, body: Any) -> Any:
        return await self._call(_Request("PUT", path, json_body=body))

    async def post_stream(self, path: str, body: Body, content_type: str) -> Any:
        return await self._call(_Request("POST", path, body=body, content_type=content_type))

    async def _call(self, request: _Request) -> Any:
        token = await self.session.access_token()
        answer = await self._send(request, token)
        if answer.status == 401:
            answer = await self._send(request, await self.session.after_unauthorized(token))
        return _result(answer)

    async def download(
        self, path: str, sink: Callable[[bytes], None], params: Params | None = None
    ) -> None:
        """GET `path` and hand its body to `sink` as it arrives (an export, not JSON)."""
        request = _Request("GET", path, params=params)
        token = await self.session.access_token()
        refused = await self._receive(request, token, sink)
        if refused is not None and refused.status == 401:
            token = await self.session.after_unauthorized(token)
            refused = await self._receive(request, token, sink)
        if refused is not None:
            _result(refused)  # raises the error the answer stands for

    async def login(self, username: str, password: str, totp: str | None) -> TokenPair:
        body: dict[str, str] = {"username": username, "password": password}
        if totp:
            body["totp"] = totp
        answer = await self._send(_Request("POST", "/api/v1/auth/login", json_body=body), None)
        return TokenPair.from_json(_result(answer))

    async def exchange(self, refresh_token: str) -> TokenPair:
        request = _Request(
            "POST", "/api/v1/auth/refresh", json_body={"refresh_token": refresh_token}
        )
        return TokenPair.from_json(_result(await self._send(request, None)))

    async def _send(self, request: _Request, token: str | None) -> _Answer:
        try:
            async with self._open(request, token) as response:
                return await _answer(response)
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise Unavailable(f"cannot reach {self.base_url}: {_describe(exc)}") from None

    async def _receive(
        self, request: _Request, token: str, sink: Callable[[bytes], None]
    ) -> _Answer | None:
        """The body into `sink` (None), or the error answer, which has no body to stream."""
        try:
            async with self._open(request, token) as response:
                if not 200 <= response.status < 300:
                    return await _answer(response)
                async for chunk in response.content.iter_chunked(DOWNLOAD_CHUNK_BYTES):
                    sink(chunk)
                return None
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise Unavailable(f"cannot reach {self.base_url}: {_describe(exc)}") from None

    @contextlib.asynccontextmanager
    async def _open(
        self, request: _Request, token: str | None
    ) -> AsyncIterator[aiohttp.ClientResponse]:
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        headers |= request.headers or {}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        if request.content_type:
            headers["Content-Type"] = request.content_type
        data = request.body() if callable(request.body) else request.body
        # Joined, not replaced: the server may live under a path behind a proxy.
        url = self.base_url.with_path(self.base_url.path.rstrip("/") + request.path)
        async with self._http.request(
            request.method,
            url,
            params=request.params,
            json=request.json_body,
            data=data,
            headers=headers,
        ) as response:
            yield response


async def _answer(response: aiohttp.ClientResponse) -> _Answer:
    return _Answer(
        response.status,
        response.reason or "",
        await _payload(response),
        response.headers.get("Retry-After"),
    )


async def _payload(response: aiohttp.ClientResponse) -> Any:
    raw = await response.read()
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        if response.status < 400:
            raise Unavailable(
                f"unexpected answer from the server: {response.status} is not JSON"
            ) from None
        return None  # an error page from a proxy: the status says enough


def _result(answer: _Answer) -> Any:
    if 200 <= answer.status < 300:
        return answer.payload
    problem = problem_from_json(answer.status, answer.reason, answer.payload, answer.retry_after)
    raise _error_for(problem)


def _error_for(problem: Problem) -> Refused | NotSignedIn | Unavailable:
    if problem.status == 401:
        return NotSignedIn(problem.detail, problem)
    if 400 <= problem.status < 500:
        return Refused(problem.detail, problem)
    return Unavailable(f"the server failed: {problem.status} {problem.detail}", problem)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "timed out"
    return str(exc) or type(exc).__name__
