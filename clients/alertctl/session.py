"""The signed-in session: a token file per server, and refreshing it before it lapses.

Tokens live in ``$XDG_CONFIG_HOME/alertctl/<host>-<port>.json`` (``~/.config`` when the
variable is unset): the directory mode 0700, the file 0600, written atomically (a
temporary file renamed over the old one), so a crash never leaves half a token pair.

Refresh tokens rotate on every use and the server revokes the whole session when one
is used twice. Two alertctl processes (a `listen` in one terminal, a `watchlist list` in
another) must therefore never refresh with the same token: refreshing happens under an
exclusive lock on ``<host>-<port>.lock``, and a process that finds the stored pair
already rotated by the other one takes the new pair instead of refreshing again.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import os
import re
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Final, Protocol

from yarl import URL

from clients.alertctl.errors import NotSignedIn
from clients.alertctl.wire import TokenPair

DIRECTORY_MODE: Final = 0o700
FILE_MODE: Final = 0o600
# Refresh this long before the access token expires, so a request that takes a while
# still arrives with a valid token; a fifth of a short lifetime, at most 30 s.
MAX_REFRESH_MARGIN_SECONDS: Final = 30.0
REFRESH_MARGIN_FRACTION: Final = 0.2
SIGN_IN_AGAIN: Final = "sign in again with `alertctl login`"


@dataclass(frozen=True)
class StoredSession:
    """What the token file holds for one server."""

    url: str
    username: str
    access_token: str
    refresh_token: str
    access_expires_at: float  # seconds since the epoch, by this machine's clock
    expires_in: int
    user: dict[str, Any]

    @classmethod
    def from_pair(cls, url: URL, pair: TokenPair, now: float) -> StoredSession:
        return cls(
            url=str(url),
            username=str(pair.user.get("username", "")),
            access_token=pair.access_token,
            refresh_token=pair.refresh_token,
            access_expires_at=now + pair.expires_in,
            expires_in=pair.expires_in,
            user=pair.user,
        )

    @property
    def refresh_at(self) -> float:
        """When the access token is near enough its expiry to be renewed."""
        margin = min(MAX_REFRESH_MARGIN_SECONDS, self.expires_in * REFRESH_MARGIN_FRACTION)
        return self.access_expires_at - margin

    def needs_refresh(self, now: float) -> bool:
        return now >= self.refresh_at

    @classmethod
    def from_json(cls, data: Any) -> StoredSession:
        """Raises ValueError when the file is not one alertctl wrote."""
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        try:
            return cls(
                url=str(data["url"]),
                username=str(data["username"]),
                access_token=str(data["access_token"]),
                refresh_token=str(data["refresh_token"]),
                access_expires_at=float(data["access_expires_at"]),
                expires_in=int(data["expires_in"]),
                user=dict(data.get("user") or {}),
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"missing or malformed field {exc}") from None


def config_directory(environ: Mapping[str, str]) -> Path:
    """``$XDG_CONFIG_HOME/alertctl``; the XDG spec says to ignore a relative value."""
    base = environ.get("XDG_CONFIG_HOME", "")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".config"
    return root / "alertctl"


def server_key(url: URL) -> str:
    """``<host>-<port>``, made safe for a file name (IPv6 colons and all)."""
    host = (url.host or "unknown").lower()
    return re.sub(r"[^a-z0-9.-]", "_", host) + f"-{url.port}"


class TokenStore:
    """The token file of one server."""

    def __init__(self, directory: Path, url: URL) -> None:
        self.directory = directory
        self.url = url
        self.path = directory / f"{server_key(url)}.json"
        self._lock_path = directory / f"{server_key(url)}.lock"

    def load(self) -> StoredSession | None:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise NotSignedIn(f"cannot read {self.path}: {exc.strerror}") from None
        try:
            return StoredSession.from_json(json.loads(raw))
        except ValueError as exc:
            raise NotSignedIn(
                f"{self.path} is not a session file ({exc}); {SIGN_IN_AGAIN}"
            ) from None

    def save(self, session: StoredSession) -> None:
        write_private_file(self.path, json.dumps(asdict(session), indent=2).encode())

    def delete(self) -> bool:
        try:
            self.path.unlink()
        except FileNotFoundError:
            return False
        return True

    @contextlib.asynccontextmanager
    async def locked(self) -> AsyncIterator[None]:
        """Exclusive across processes; waits in a thread so the event loop keeps running."""
        self._ensure_directory()
        fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        try:
            await asyncio.to_thread(fcntl.flock, fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def _ensure_directory(self) -> None:
        ensure_private_directory(self.directory)


def ensure_private_directory(directory: Path) -> None:
    directory.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
    os.chmod(directory, DIRECTORY_MODE)


def write_private_file(path: Path, payload: bytes) -> None:
    """Write atomically (a temporary file renamed over `path`), mode 0600, in a 0700 folder."""
    ensure_private_directory(path.parent)
    temporary = path.parent / f".{path.name}.{os.getpid()}.tmp"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, FILE_MODE)  # in case an old temporary had another mode
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


class Exchange(Protocol):
    """Trades a refresh token for a new pair (`POST /api/v1/auth/refresh`)."""

    async def exchange(self, refresh_token: str) -> TokenPair: ...


class Session:
    """Hands out a valid access token, refreshing it when near expiry or refused."""

    def __init__(
        self, store: TokenStore, exchange: Exchange, clock: Callable[[], float] = time.time
    ) -> None:
        self._store = store
        self._exchange = exchange
        self._clock = clock

    def current(self) -> StoredSession:
        stored = self._store.load()
        if stored is None:
            raise NotSignedIn(f"not signed in to {self._store.url}; {SIGN_IN_AGAIN} first")
        return stored

    def start(self, pair: TokenPair) -> StoredSession:
        """Keep the pair a sign-in answered."""
        stored = StoredSession.from_pair(self._store.url, pair, self._clock())
        self._store.save(stored)
        return stored

    async def access_token(self) -> str:
        stored = self.current()
        if stored.needs_refresh(self._clock()):
            stored = await self.refresh(stored)
        return stored.access_token

    async def after_unauthorized(self, refused_token: str) -> str:
        """A token the server refused (expired early, clock skew): the next one to try."""
        stored = self.current()
        if stored.access_token != refused_token:
            return stored.access_token  # another process refreshed meanwhile
        return (await self.refresh(stored)).access_token

    async def refresh(self, seen: StoredSession | None = None) -> StoredSession:
        seen = seen or self.current()
        async with self._store.locked():
            stored = self.current()
            if stored.refresh_token != seen.refresh_token:
                return stored  # rotated by another process while we waited for the lock
            try:
                pair = await self._exchange.exchange(stored.refresh_token)
            except NotSignedIn as exc:
                self._store.delete()  # dead for good: spent, expired or revoked
                raise NotSignedIn(
                    f"the session has ended ({exc.message}); {SIGN_IN_AGAIN}"
                ) from None
            renewed = StoredSession.from_pair(self._store.url, pair, self._clock())
            self._store.save(renewed)
            return renewed
