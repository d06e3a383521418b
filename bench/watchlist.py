"""Watchlist at scale: import and approve 100,000 entries, then list them, over real HTTP.

For each backend this script makes a throwaway database (a SQLite file in a temporary
folder, or a new database on the PostgreSQL server that it drops afterwards), migrates
it, seeds two agencies' staff, starts a real ``alertd serve`` process on it, and then:

1. uploads N synthetic entries as one JSON Lines import (upload + validate + store),
2. approves the batch as a second person (publish), then waits until the node's
   matching index holds it (large batches are indexed after the answer),
3. times the first page of ``GET /api/v1/watchlist/entries`` with filters,
4. restarts the server and times the matching index rebuild (start-up to ready).

Peak RSS is the server process's ``VmHWM``; CPU seconds are the server process's.
Targets (issue 3): import and approve each under 60 s, memory under 1 GB, first page
under 50 ms.

    python bench/watchlist.py                      # both backends, 100,000 entries
    python bench/watchlist.py --backends sqlite --entries 20000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pyotp
from alembic import command

sys.path.insert(0, str(Path(__file__).parent))
from bench_databases import throwaway_database

from alertd import identity
from alertd.audit import Actor
from alertd.config import load_settings
from alertd.db import alembic_config, create_engine
from alertd.passwords import Passwords
from alertd.roles import Role

DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
ALERTD = Path(sys.executable).with_name("alertd")
PASSWORD = "correct horse battery"  # noqa: S105 (a throwaway bench account)
AGENCIES = ("GDI", "GCNP", "GDCE", "MOSVY", "NCCT", "IOM")
SETUP = Actor(username="bench-setup")
READY_TIMEOUT_SECONDS = 600
SHUTDOWN_TIMEOUT_SECONDS = 60
TARGET_SECONDS = 60.0
TARGET_RSS_MB = 1024.0
TARGET_PAGE_MS = 50.0
INDEXED_POLL_SECONDS = 0.25
# The server counts as idle when it uses under a tenth of a core for a second.
IDLE_WINDOW_SECONDS = 1.0
IDLE_CPU_SHARE = 0.1
IDLE_TIMEOUT_SECONDS = 300
Headers = dict[str, str]

# --- synthetic entries ------------------------------------------------------------------

FAMILY = (
    "SOK",
    "CHAN",
    "KIM",
    "LIM",
    "HENG",
    "CHEA",
    "HUN",
    "SAR",
    "MEAS",
    "PICH",
    "KEO",
    "NGUON",
    "OUK",
    "PHAN",
    "SEN",
    "TEP",
    "VANN",
    "YIM",
    "NGUYEN",
    "TRAN",
    "LE",
    "PHAM",
    "HOANG",
    "VU",
    "DANG",
    "BUI",
    "DO",
    "HO",
    "WANG",
    "LI",
    "ZHANG",
    "LIU",
    "CHEN",
    "YANG",
    "HUANG",
    "ZHAO",
    "SRISUK",
    "WONGSAWAT",
    "CHAIYAPORN",
    "SUKSAWAT",
    "RAHMAN",
    "HASSAN",
    "KHAN",
    "ALI",
    "IVANOV",
    "PETROV",
    "SMIRNOV",
)
GIVEN = (
    "Dara",
    "Sophea",
    "Vuthy",
    "Sokha",
    "Chanthou",
    "Rithy",
    "Bopha",
    "Veasna",
    "Sreymom",
    "Vanna",
    "Pisey",
    "Kosal",
    "Malis",
    "Minh",
    "Thanh",
    "Hung",
    "Lan",
    "Mai",
    "Tuan",
    "Anh",
    "Wei",
    "Jun",
    "Hao",
    "Ming",
    "Xiu",
    "Fang",
    "Somchai",
    "Niran",
    "Malee",
    "Mohammed",
    "Abdul",
    "Fatima",
    "Aisha",
    "Omar",
    "Dmitri",
    "Olga",
    "Sergei",
    "Anna",
    "Maria",
    "John",
    "Peter",
)
KHMER = ("សុខ", "ចាន់", "គឹម", "លឹម", "ហេង", "ដារា", "សុភា", "វុទ្ធី", "សុខា", "រិទ្ធី")
COUNTRIES = ("KHM", "THA", "VNM", "LAO", "CHN", "MMR", "MYS", "IDN", "PHL", "RUS", "PAK")
CATEGORIES = (
    ("trafficking_suspect", 30),
    ("smuggling_suspect", 15),
    ("potential_victim", 15),
    ("wanted_person", 15),
    ("missing_person", 8),
    ("lost_stolen_document", 7),
    ("entry_ban", 5),
    ("customs_interest", 3),
    ("discreet_check", 2),
)


def _romanised(name: str, rng: random.Random) -> str:
    """A plausible alternative spelling (Sok/Sokh, Chhay/Chhai)."""
    return rng.choice((name + "h", name.replace("a", "e", 1), name.replace("o", "ou", 1), name))


def synthetic_entry(number: int, rng: random.Random, expires_at: str) -> dict[str, Any]:
    family, given = rng.choice(FAMILY), rng.choice(GIVEN)
    names: list[dict[str, str]] = [{"full": f"{family} {given}", "family": family, "given": given}]
    names.append({"full": f"{_romanised(given, rng)} {_romanised(family.title(), rng)}"})
    if rng.random() < 0.5:
        names.append({"full": f"{rng.choice(KHMER)} {rng.choice(KHMER)}"})
    else:
        names.append({"full": f"{family} {rng.choice(GIVEN)} {given}"})
    year = rng.randint(1950, 2008)
    dob = rng.choice((f"{year}", f"{year}-{rng.randint(1, 12):02d}", _full_date(year, rng)))
    country = rng.choice(COUNTRIES)
    category = rng.choices([c for c, _ in CATEGORIES], [w for _, w in CATEGORIES])[0]
    entry: dict[str, Any] = {
        "external_ref": f"BENCH-{number:07d}",
        "category": category,
        "names": names,
        "dates_of_birth": [dob],
        "nationalities": [country],
        "sex": rng.choice(("M", "F")),
        "documents": [
            {"type": "passport", "number": f"N{rng.randint(10**7, 10**8 - 1)}", "country": country}
        ],
        "reason": f"Case file {rng.randint(1000, 9999)}/{year % 100:02d}: reported by a partner",
        "instructions": "Refer to the duty desk; do not alert the traveller",
        "release_to": rng.sample(["GDI", "GCNP", "MOSVY", "IOM"], 2),
        "expires_at": expires_at,
    }
    if rng.random() < 0.3:
        entry["documents"].append(
            {"type": "national_id", "number": str(rng.randint(10**8, 10**9 - 1)), "country": "KHM"}
        )
    return entry


def _full_date(year: int, rng: random.Random) -> str:
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def synthetic_body(count: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    expires_at = (datetime.now(UTC) + timedelta(days=300)).date().isoformat()
    lines = (
        json.dumps(synthetic_entry(i, rng, expires_at), ensure_ascii=False) for i in range(count)
    )
    return ("\n".join(lines) + "\n").encode()


# --- databases ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    username: str
    totp_secret: str | None


async def seed(url: str, data_dir: Path) -> dict[str, Person]:
    """Agencies and the staff the benchmark signs in as."""
    settings = load_settings({"ALERTD_DATABASE_URL": url, "ALERTD_DATA_DIR": str(data_dir)})
    hashed = Passwords(settings).hash(PASSWORD)
    now = datetime.now(UTC)
    staff = {
        "editor": ("ncct-editor", "NCCT", (Role.WATCHLIST_EDITOR,)),
        "approver": ("ncct-approver", "NCCT", (Role.WATCHLIST_APPROVER,)),
        "desk": ("gdi-desk", "GDI", (Role.DESK_OFFICER,)),
    }
    people = {}
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            for code in AGENCIES:
                await identity.add_agency(conn, SETUP, now, code, f"{code} agency")
            for key, (username, agency, roles) in staff.items():
                new = identity.NewUser(username, agency, roles, hashed)
                made = await identity.add_user(
                    conn, SETUP, now, new, with_totp=Role.WATCHLIST_APPROVER in roles
                )
                people[key] = Person(username, made.totp_secret)
    finally:
        await engine.dispose()
    return people


# --- the server ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    process: asyncio.subprocess.Process
    base: str

    def peak_rss_mb(self) -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process (all its threads) so far: what
        the work cost, whatever else the machine was doing meanwhile."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@asynccontextmanager
async def running_server(url: str, data_dir: Path) -> AsyncIterator[tuple[Server, float]]:
    """A real ``alertd serve``; yields it with the seconds it took to become ready."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALERTD_")} | {
        "ALERTD_DATABASE_URL": url,
        "ALERTD_DATA_DIR": str(data_dir),
        "ALERTD_PORT": str(port),
        "ALERTD_LOG_LEVEL": "WARNING",
    }
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(str(ALERTD), "serve", env=env)
    server = Server(process, f"http://127.0.0.1:{port}")
    try:
        await _wait_ready(server)
        yield server, time.perf_counter() - started
    finally:
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), SHUTDOWN_TIMEOUT_SECONDS)
        except TimeoutError:
            print("alertd serve did not stop in time; killed", file=sys.stderr)
            process.kill()
            await process.wait()


async def _wait_ready(server: Server) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            if server.process.returncode is not None:
                raise RuntimeError("alertd serve exited during start-up")
            try:
                async with session.get(server.base + "/readyz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.05)
    raise RuntimeError("alertd serve did not become ready")


async def sign_in(session: aiohttp.ClientSession, base: str, person: Person) -> dict[str, str]:
    body: dict[str, Any] = {"username": person.username, "password": PASSWORD}
    if person.totp_secret:
        body["totp"] = pyotp.TOTP(person.totp_secret).now()
    async with session.post(base + "/api/v1/auth/login", json=body) as response:
        response.raise_for_status()
        tokens = await response.json()
    return {"Authorization": f"Bearer {tokens['access_token']}"}


# --- the measurements ---------------------------------------------------------------------

LIST_QUERIES: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("owner, no filter", "editor", {}),
    ("owner, status=published", "editor", {"status": "published"}),
    ("owner, category=entry_ban", "editor", {"category": "entry_ban"}),
    ("owner, q=sok", "editor", {"q": "sok"}),
    ("owner, q=rare name", "editor", {"q": "zz nobody"}),
    (
        "owner, all three",
        "editor",
        {"status": "published", "category": "potential_victim", "q": "nguyen"},
    ),
    ("released, no filter", "desk", {}),
    ("released, category+q", "desk", {"category": "wanted_person", "q": "chan"}),
)


@dataclass(frozen=True)
class Result:
    backend: str
    entries: int
    timings: Timings
    peak_rss_mb: float
    restart_s: float
    pages: dict[str, tuple[float, float]]
    load: str  # the machine's load average when the run started


async def measure(
    backend: str, count: int, requests: int, postgres_url: str, *, restart: bool = True
) -> Result:
    body = synthetic_body(count)
    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    async with throwaway_database(backend, postgres_url) as database:
        with tempfile.TemporaryDirectory(prefix="alertd-bench-data-") as folder:
            data_dir = Path(folder)
            # Alembic's env runs its own event loop, so it runs in a thread.
            await asyncio.to_thread(command.upgrade, alembic_config(database.url), "head")
            people = await seed(database.url, data_dir)
            async with running_server(database.url, data_dir) as (server, _):
                timings = await import_and_approve(server, people, body)
                rss = server.peak_rss_mb()
                _progress(f"{timings}, RSS {rss:.0f} MB")
                pages = await list_latencies(server.base, people, requests)
                _progress(f"first pages (p50, p95 ms): {pages}")
            restart_s = float("nan")
            if restart:
                async with running_server(database.url, data_dir) as (_, restart_s):
                    _progress(f"restart with the index rebuilt: {restart_s:.1f} s")
    return Result(backend, count, timings, rss, restart_s, pages, load)


@dataclass(frozen=True)
class Timings:
    """Wall seconds as the client saw them, and the server process's CPU seconds."""

    import_s: float
    import_cpu_s: float
    approve_s: float  # until the approval is answered: published in the database
    matchable_s: float  # until the node's matching index holds the batch
    idle_s: float  # until the server is idle again (retro-screening of the batch included)
    approve_cpu_s: float  # approval, indexing and retro-screening


async def import_and_approve(server: Server, people: dict[str, Person], body: bytes) -> Timings:
    base = server.base
    timeout = aiohttp.ClientTimeout(total=None)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        editor = await sign_in(session, base, people["editor"])
        approver = await sign_in(session, base, people["approver"])
        started, cpu = time.perf_counter(), server.cpu_seconds()
        async with session.post(
            base + "/api/v1/watchlist/imports",
            data=body,
            headers=editor | {"Content-Type": "application/x-ndjson"},
        ) as response:
            created = await response.json()
            assert response.status == 201, created
        import_s, import_cpu_s = time.perf_counter() - started, server.cpu_seconds() - cpu
        batch = base + f"/api/v1/watchlist/imports/{created['id']}"
        started, cpu = time.perf_counter(), server.cpu_seconds()
        async with session.post(batch + "/approve", headers=approver) as response:
            approved = await response.json()
            assert response.status == 200, approved
        approve_s = time.perf_counter() - started
        await _until_indexed(session, batch, approver)
        matchable_s = time.perf_counter() - started
    await _until_idle(server)
    idle_s = time.perf_counter() - started
    return Timings(
        import_s, import_cpu_s, approve_s, matchable_s, idle_s, server.cpu_seconds() - cpu
    )


async def _until_idle(server: Server) -> None:
    """Background work started by the approval (retro-screening the batch against recent
    crossings) outlives the indexing; the list timings want a quiet server."""
    deadline = time.monotonic() + IDLE_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        before = server.cpu_seconds()
        await asyncio.sleep(IDLE_WINDOW_SECONDS)
        if server.cpu_seconds() - before < IDLE_CPU_SHARE * IDLE_WINDOW_SECONDS:
            return


async def _until_indexed(session: aiohttp.ClientSession, batch: str, headers: Headers) -> None:
    """A large batch is indexed after the approval is answered; the import says when."""
    while True:
        async with session.get(batch, headers=headers) as response:
            state = await response.json()
            assert response.status == 200, state
        if state["indexed"]:
            return
        await asyncio.sleep(INDEXED_POLL_SECONDS)


async def list_latencies(
    base: str, people: dict[str, Person], requests: int
) -> dict[str, tuple[float, float]]:
    found: dict[str, tuple[float, float]] = {}
    async with aiohttp.ClientSession() as session:
        headers = {key: await sign_in(session, base, people[key]) for key in ("editor", "desk")}
        for label, who, params in LIST_QUERIES:
            timings = []
            for _ in range(requests):
                started = time.perf_counter()
                async with session.get(
                    base + "/api/v1/watchlist/entries", params=params, headers=headers[who]
                ) as response:
                    await response.read()
                    assert response.status == 200, await response.text()
                timings.append((time.perf_counter() - started) * 1000)
            found[label] = (statistics.median(timings), _p95(timings))
    return found


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


# --- the table ----------------------------------------------------------------------------


def _progress(text: str) -> None:
    print(f"   {text}", file=sys.stderr, flush=True)


def report(results: list[Result]) -> Iterator[str]:
    yield (
        "| backend | entries | import s (CPU) | approve s | matchable s | idle s "
        "| approve+index CPU s | peak RSS MB | restart (rebuild) s | load at start |"
    )
    yield "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    for r in results:
        t = r.timings
        yield (
            f"| {r.backend} | {r.entries:,} | {_flag(t.import_s, TARGET_SECONDS, '.1f')} "
            f"({t.import_cpu_s:.1f}) | {_flag(t.approve_s, TARGET_SECONDS, '.1f')} "
            f"| {_flag(t.matchable_s, TARGET_SECONDS, '.1f')} | {t.idle_s:.1f} "
            f"| {t.approve_cpu_s:.1f} | {_flag(r.peak_rss_mb, TARGET_RSS_MB, '.0f')} "
            f"| {r.restart_s:.1f} | {r.load} |"
        )
    yield ""
    yield "First page of GET /api/v1/watchlist/entries, ms (p50 / p95):"
    yield ""
    yield "| query | " + " | ".join(r.backend for r in results) + " |"
    yield "|---|" + "---:|" * len(results)
    for label, _, _ in LIST_QUERIES:
        cells = [
            f"{_flag(r.pages[label][0], TARGET_PAGE_MS, '.1f')} / "
            f"{_flag(r.pages[label][1], TARGET_PAGE_MS, '.1f')}"
            for r in results
        ]
        yield f"| {label} | " + " | ".join(cells) + " |"
    yield ""
    yield (
        f"Targets: import and approve < {TARGET_SECONDS:.0f} s each, RSS < "
        f"{TARGET_RSS_MB:.0f} MB, first page < {TARGET_PAGE_MS:.0f} ms; * marks a miss."
    )
    yield (
        "approve s: until the approval is answered (the batch is published in the database, "
        "and found by every node's rebuild); matchable s: until the serving node's matching "
        "index holds it (large batches are indexed after the answer); idle s: until the "
        "server is idle again (retro-screening included; the list is timed after). CPU: the "
        "server process's user + system seconds. The machine is shared: see the load."
    )


def _flag(value: float, target: float, spec: str) -> str:
    return f"{value:{spec}}" + ("*" if value >= target else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50, help="list requests per query")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--no-restart", action="store_true", help="skip the restart timing")
    parser.add_argument(
        "--postgres-url", default=os.environ.get("ALERTD_BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    )
    args = parser.parse_args()
    results = []
    for backend in args.backends.split(","):
        print(f"== {backend}: {args.entries:,} entries", file=sys.stderr, flush=True)
        results.append(
            asyncio.run(
                measure(
                    backend,
                    args.entries,
                    args.requests,
                    args.postgres_url,
                    restart=not args.no_restart,
                )
            )
        )
    print("\n".join(report(results)))


if __name__ == "__main__":
    main()
