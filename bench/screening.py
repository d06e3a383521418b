"""Screening throughput: crossings per second against a 100,000-entry watchlist.

For each backend this script makes a throwaway database (a SQLite file in a temporary
folder, or a new database on the PostgreSQL server that it drops afterwards), migrates
it, seeds agencies, desks and checkpoint officers, starts a real ``alertd serve``
process on it (real TCP), loads a synthetic published watchlist through the HTTP import
(one JSON Lines batch, approved by a second person), and then has ``--concurrency``
clients post ``POST /api/v1/crossings`` as fast as the server answers.

The traveller mix is a border's: most are nobody (clear), some share a name with a
listed person (possible), a few are listed (hit, with alerts to desks). Writes are
durable: PostgreSQL with ``synchronous_commit`` on (checked and printed), SQLite in WAL
mode with ``synchronous=FULL`` (alertd's own setting).

Targets (issue 5): at least 800 crossings/s on PostgreSQL with p99 at most 50 ms.

    python bench/screening.py                               # both backends
    python bench/screening.py --backends postgresql --entries 20000 --crossings 3000
    python bench/screening.py --profile /tmp/server.prof    # cProfile of the server
    python bench/screening.py --backends postgresql --workers 2   # alertd serve --workers 2

"server CPU ms/crossing" is the CPU time of every server process (all workers) during
the measured run divided by the crossings: on a machine shared with other work it is a
steadier figure than the rate. "server p50/p99 ms" is the handler's own time (each
answer's ``screened_in_ms``, from the handler's start to its answer); the rest of the
client's latency went before the handler ran (the worker's event loop busy with other
requests) and on the way back.

A second table says where all the machine's CPU went during the measured run, per
crossing: this client, the alertd processes, the PostgreSQL backends serving the bench
database, PostgreSQL's shared processes (postmaster, WAL writer, checkpointer: shared
with anything else using that server), and everything else on the machine (other work,
the kernel's own threads), against the CPU the machine had (cores x seconds). Client,
server and database share the cores: the target rate leaves about
cores / rate = 2.5 ms of CPU per crossing on 2 cores for all of them together.
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
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pyotp
from alembic import command
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).parent))
from bench_databases import Database, throwaway_database
from cpu_meter import CpuSnapshot, CpuUse, postgres_processes, process_tree

from alertd import identity
from alertd.audit import Actor
from alertd.config import load_settings
from alertd.db import alembic_config, create_engine
from alertd.passwords import Passwords
from alertd.roles import Role

DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
ALERTD = Path(sys.executable).with_name("alertd")
PASSWORD = "correct horse battery"  # noqa: S105 (the bench accounts' password)
AGENCIES = ("GDI", "GCNP", "GDCE", "MOSVY", "NCCT", "IOM")
CHECKPOINTS = ("POI", "BAV")
SETUP = Actor(username="bench-setup")
OFFICERS = 8  # the clients share these accounts, as shifts share counters
READY_TIMEOUT_SECONDS = 900
TARGET_RATE = 800.0
TARGET_P99_MS = 50.0
# The traveller mix: what share of crossings are listed people and their namesakes.
HIT_SHARE = 0.02
NAMESAKE_SHARE = 0.05

# --- synthetic people ---------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Syllables of the region's names (and a few from further away); two or three make a
# name, so tens of thousands of distinct names exist, and the common ones recur.
SYLLABLES = _words(
    "so ch an ki m li he ng da ra vu th pi se ko sa ma mi nh la tu wei ju ha o mo ab du "
    "fa ti ol ga ser ge pe te jo ka ri na to yo shi ba ou ea vi ne sr rat pho sam bo ly "
    "dy vy kh ny ty py hy mey nak sok chea keo leng mean yim pov"
)
COMMON_FAMILY = _words("Sok Chan Kim Lim Heng Nguyen Tran Le Pham Wang Li Zhang Khan Ali")
COMMON_GIVEN = _words("Dara Sophea Vuthy Sokha Minh Thanh Wei Jun Mohammed Abdul Maria")
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


def _word(rng: random.Random, common: Sequence[str]) -> str:
    if rng.random() < 0.15:
        return rng.choice(common)
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3)))).title()


@dataclass(frozen=True)
class Person:
    family: str
    given: str
    born: str
    country: str
    passport: str
    sex: str

    def traveller(self) -> dict[str, Any]:
        return {
            "names": [{"full": f"{self.given} {self.family}"}],
            "date_of_birth": self.born,
            "nationality": self.country,
            "sex": self.sex,
            "documents": [{"type": "passport", "number": self.passport, "country": self.country}],
        }


def person(rng: random.Random) -> Person:
    born = datetime(1945, 1, 1) + timedelta(days=rng.randrange(63 * 365))
    return Person(
        family=_word(rng, COMMON_FAMILY),
        given=_word(rng, COMMON_GIVEN),
        born=born.date().isoformat(),
        country=rng.choice(COUNTRIES),
        passport=rng.choice("NPKEG") + str(rng.randrange(10**7, 10**8)),
        sex=rng.choice("MF"),
    )


def entry_of(number: int, listed: Person, rng: random.Random, expires_at: str) -> dict[str, Any]:
    category = rng.choices([c for c, _ in CATEGORIES], [w for _, w in CATEGORIES])[0]
    return {
        "external_ref": f"BENCH-{number:07d}",
        "category": category,
        "names": [
            {"full": f"{listed.family} {listed.given}", "family": listed.family},
            {"full": f"{listed.given} {_word(rng, COMMON_FAMILY)}"},
        ],
        "dates_of_birth": [listed.born if rng.random() < 0.8 else listed.born[:4]],
        "nationalities": [listed.country],
        "sex": listed.sex,
        "documents": [{"type": "passport", "number": listed.passport, "country": listed.country}],
        "reason": f"Case file {rng.randrange(1000, 9999)}",
        "instructions": "Refer to the duty desk",
        "release_to": list(AGENCIES),
        "expires_at": expires_at,
    }


@dataclass(frozen=True)
class Watchlist:
    people: list[Person]
    body: bytes


def synthetic_watchlist(count: int, seed: int = 11) -> Watchlist:
    rng = random.Random(seed)
    expires_at = (datetime.now(UTC) + timedelta(days=300)).date().isoformat()
    people = [person(rng) for _ in range(count)]
    lines = (
        json.dumps(entry_of(i, p, rng, expires_at), ensure_ascii=False)
        for i, p in enumerate(people)
    )
    return Watchlist(people, ("\n".join(lines) + "\n").encode())


def crossing_bodies(watchlist: Watchlist, count: int, seed: int = 23) -> list[bytes]:
    """Pre-serialised crossings: listed people (hits), namesakes (possibles), nobodies."""
    rng = random.Random(seed)
    bodies = []
    for _ in range(count):
        draw = rng.random()
        if draw < HIT_SHARE:
            traveller = rng.choice(watchlist.people).traveller()
        elif draw < HIT_SHARE + NAMESAKE_SHARE:
            listed, stranger = rng.choice(watchlist.people), person(rng)
            traveller = stranger.traveller() | {"names": listed.traveller()["names"]}
        else:
            traveller = person(rng).traveller()
        body = {"checkpoint": rng.choice(CHECKPOINTS), "direction": "entry", "traveller": traveller}
        bodies.append(json.dumps(body).encode())
    return bodies


# --- databases and the server -------------------------------------------------------------


async def durability(database: Database) -> str:
    if database.backend == "sqlite":
        return "WAL, synchronous=FULL"
    engine = create_engine(database.url)
    try:
        async with engine.connect() as conn:
            setting = (await conn.execute(text("SHOW synchronous_commit"))).scalar_one()
            fsync = (await conn.execute(text("SHOW fsync"))).scalar_one()
    finally:
        await engine.dispose()
    return f"synchronous_commit={setting}, fsync={fsync}"


@dataclass(frozen=True)
class Staff:
    editor: tuple[str, str | None]
    approver: tuple[str, str | None]
    officers: list[str]


async def seed(url: str, data_dir: Path) -> Staff:
    settings = load_settings({"ALERTD_DATABASE_URL": url, "ALERTD_DATA_DIR": str(data_dir)})
    hashed = Passwords(settings).hash(PASSWORD)
    now = datetime.now(UTC)
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            for code in AGENCIES:
                await identity.add_agency(conn, SETUP, now, code, f"{code} agency")
            for code in CHECKPOINTS:
                await identity.add_checkpoint(conn, SETUP, now, code, f"{code} checkpoint")
            for code in AGENCIES:
                await identity.add_desk(
                    conn, SETUP, now, agency=code, name=f"{code} HQ", is_headquarters=True
                )
            for code in ("GDI", "GCNP"):
                await identity.add_desk(
                    conn, SETUP, now, agency=code, name=f"{code} Poipet", checkpoint="POI"
                )
            editor = await _user(conn, now, "ncct-editor", "NCCT", Role.WATCHLIST_EDITOR, hashed)
            approver = await _user(
                conn, now, "ncct-approver", "NCCT", Role.WATCHLIST_APPROVER, hashed
            )
            officers = []
            for number in range(OFFICERS):
                new = identity.NewUser(
                    f"officer-{number}",
                    "GDI",
                    (Role.CHECKPOINT_OFFICER,),
                    hashed,
                    None,
                    CHECKPOINTS,
                )
                await identity.add_user(conn, SETUP, now, new, with_totp=False)
                officers.append(new.username)
    finally:
        await engine.dispose()
    return Staff(editor, approver, officers)


async def _user(
    conn: Any, now: datetime, username: str, agency: str, role: Role, hashed: str
) -> tuple[str, str | None]:
    new = identity.NewUser(username, agency, (role,), hashed)
    made = await identity.add_user(conn, SETUP, now, new, with_totp=role is Role.WATCHLIST_APPROVER)
    return username, made.totp_secret


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    process: asyncio.subprocess.Process
    base: str


@asynccontextmanager
async def running_server(
    url: str, data_dir: Path, profile: Path | None, pool_size: int, workers: int = 1
) -> AsyncIterator[Server]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALERTD_")} | {
        "ALERTD_DATABASE_URL": url,
        "ALERTD_DATA_DIR": str(data_dir),
        "ALERTD_PORT": str(port),
        "ALERTD_LOG_LEVEL": "WARNING",
        "ALERTD_DATABASE_POOL_SIZE": str(pool_size),
        "ALERTD_MAX_IMPORT_BYTES": str(500 * 1_048_576),
        "ALERTD_WORKERS": str(workers),
    }
    if profile is None:
        argv = [str(ALERTD), "serve"]
    else:
        script = (
            "import cProfile, sys; from alertd.cli import main\n"
            f"cProfile.run('main([\"serve\"], standalone_mode=False)', {str(profile)!r})"
        )
        argv = [sys.executable, "-c", script]
    process = await asyncio.create_subprocess_exec(*argv, env=env)
    server = Server(process, f"http://127.0.0.1:{port}")
    try:
        await _wait_ready(server)
        yield server
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 60)


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
            await asyncio.sleep(0.1)
    raise RuntimeError("alertd serve did not become ready")


async def sign_in(
    session: aiohttp.ClientSession, base: str, username: str, totp: str | None = None
) -> dict[str, str]:
    body: dict[str, Any] = {"username": username, "password": PASSWORD}
    if totp:
        body["totp"] = pyotp.TOTP(totp).now()
    async with session.post(base + "/api/v1/auth/login", json=body) as response:
        payload = await response.json()
        assert response.status == 200, payload
    return {"Authorization": f"Bearer {payload['access_token']}"}


async def load_watchlist(base: str, staff: Staff, watchlist: Watchlist) -> float:
    started = time.perf_counter()
    timeout = aiohttp.ClientTimeout(total=None)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        editor = await sign_in(session, base, *staff.editor)
        approver = await sign_in(session, base, *staff.approver)
        async with session.post(
            base + "/api/v1/watchlist/imports",
            data=watchlist.body,
            headers=editor | {"Content-Type": "application/x-ndjson"},
        ) as response:
            created = await response.json()
            assert response.status == 201, created
        async with session.post(
            base + f"/api/v1/watchlist/imports/{created['id']}/approve", headers=approver
        ) as response:
            approved = await response.json()
            assert response.status == 200, approved
    return time.perf_counter() - started


async def wait_until_every_worker_matches(
    base: str, officer: dict[str, str], listed: Person, workers: int
) -> None:
    """Screen a listed person on fresh connections until every worker says "hit".

    A batch this large is indexed after its approval has answered; with several
    workers, the one that approved the import tells the others through the broker, and
    each loads the entries itself. Measuring before they all have them would measure
    the loading. A fresh connection goes to the next worker in turn, so enough hits in
    a row mean all have it.
    """
    wanted = 8 * workers
    streak = 0
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    body = {"traveller": listed.traveller()}
    while streak < wanted:
        if time.monotonic() > deadline:
            raise RuntimeError("not every worker loaded the watchlist in time")
        connector = aiohttp.TCPConnector(force_close=True)
        async with (
            aiohttp.ClientSession(connector=connector) as session,
            session.post(base + "/api/v1/screenings", json=body, headers=officer) as response,
        ):
            answer = await response.json()
        streak = streak + 1 if answer.get("outcome") == "hit" else 0
        if not streak:
            await asyncio.sleep(0.5)


CLIENT_GROUP, ALERTD_GROUP = "bench client", "alertd"
PG_BACKENDS_GROUP, PG_SHARED_GROUP = "postgres backends", "postgres shared"
CPU_GROUPS = (CLIENT_GROUP, ALERTD_GROUP, PG_BACKENDS_GROUP, PG_SHARED_GROUP)


@asynccontextmanager
async def process_groups(
    server: Server, database: Database
) -> AsyncIterator[Callable[[], Awaitable[dict[str, list[int]]]]]:
    """A function naming, when called, the processes of each CPU group: this client,
    the alertd processes, and (PostgreSQL on this machine) the bench database's
    backends and the server's shared processes."""

    def own() -> dict[str, list[int]]:
        return {CLIENT_GROUP: [os.getpid()], ALERTD_GROUP: process_tree(server.process.pid)}

    if database.backend != "postgresql":

        async def local() -> dict[str, list[int]]:
            return own()

        yield local
        return
    engine = create_engine(database.url)
    try:
        async with engine.connect() as conn:

            async def with_postgres() -> dict[str, list[int]]:
                found = await postgres_processes(conn)
                await conn.rollback()  # a fresh snapshot of pg_stat_activity next time
                return own() | {
                    PG_BACKENDS_GROUP: list(found.backends),
                    PG_SHARED_GROUP: list(found.shared),
                }

            yield with_postgres
    finally:
        await engine.dispose()


# --- the load -----------------------------------------------------------------------------


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)
    alerts: int = 0
    errors: Counter[int] = field(default_factory=Counter)


async def hammer(
    base: str,
    tokens: Sequence[dict[str, str]],
    bodies: Sequence[bytes],
    concurrency: int,
    idempotency_keys: bool = False,
) -> tuple[Tally, float]:
    """Post every body once, ``concurrency`` at a time; returns the tally and seconds."""
    tally = Tally()
    queue = iter(enumerate(bodies))
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def client(number: int) -> None:
            headers = tokens[number % len(tokens)] | {"Content-Type": "application/json"}
            for _, body in queue:
                started = time.perf_counter()
                keyed = headers | {"Idempotency-Key": uuid.uuid4().hex} if idempotency_keys else {}
                async with session.post(
                    base + "/api/v1/crossings", data=body, headers=keyed or headers
                ) as response:
                    payload = await response.read()
                tally.latencies_ms.append((time.perf_counter() - started) * 1000)
                if response.status != 201:
                    tally.errors[response.status] += 1
                    continue
                answer = json.loads(payload)
                tally.outcomes[answer["outcome"]] += 1
                tally.server_ms.append(answer["screened_in_ms"])
                tally.alerts += sum(1 for m in answer["matches"] if m["alert_id"] is not None)

        started = time.perf_counter()
        await asyncio.gather(*(client(n) for n in range(concurrency)))
        return tally, time.perf_counter() - started


@dataclass(frozen=True)
class Result:
    backend: str
    entries: int
    durability: str
    load_s: float
    crossings: int
    seconds: float
    tally: Tally
    cpu: CpuUse
    workers: int

    @property
    def rate(self) -> float:
        return self.crossings / self.seconds


async def measure(backend: str, args: argparse.Namespace, watchlist: Watchlist) -> Result:
    bodies = crossing_bodies(watchlist, args.crossings + args.warmup)
    # Several workers need PostgreSQL's broker; SQLite always runs one process.
    workers = args.workers if backend == "postgresql" else 1
    async with throwaway_database(backend, args.postgres_url) as database:
        with tempfile.TemporaryDirectory(prefix="alertd-bench-data-") as folder:
            data_dir = Path(folder)
            await asyncio.to_thread(command.upgrade, alembic_config(database.url), "head")
            staff = await seed(database.url, data_dir)
            async with running_server(
                database.url, data_dir, args.profile, args.pool_size, workers
            ) as server:
                load_s = await load_watchlist(server.base, staff, watchlist)
                async with aiohttp.ClientSession() as session:
                    tokens = [await sign_in(session, server.base, u) for u in staff.officers]
                # A large batch is indexed after the approval answers, and other workers
                # load it themselves: measure once every process matches all of it.
                started = time.perf_counter()
                await wait_until_every_worker_matches(
                    server.base, tokens[0], watchlist.people[-1], workers
                )
                load_s += time.perf_counter() - started
                keys = args.idempotency_keys
                await hammer(server.base, tokens, bodies[: args.warmup], args.concurrency, keys)
                async with process_groups(server, database) as groups:
                    before = CpuSnapshot.take(await groups())
                    tally, seconds = await hammer(
                        server.base, tokens, bodies[args.warmup :], args.concurrency, keys
                    )
                    cpu = before.until(CpuSnapshot.take(await groups()))
            durable = await durability(database)
    return Result(
        backend,
        len(watchlist.people),
        durable,
        load_s,
        args.crossings,
        seconds,
        tally,
        cpu,
        workers,
    )


def _percentile(values: Sequence[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def report(results: Sequence[Result], concurrency: int) -> Iterator[str]:
    yield (
        "| backend | entries | crossings | concurrency | crossings/s | p50 ms | p95 ms "
        "| p99 ms | server p50 ms | server p99 ms | server CPU ms/crossing | clear/possible/hit "
        "| alerts | errors |"
    )
    yield "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|"
    for r in results:
        t = r.tally
        mix = "/".join(str(t.outcomes[o]) for o in ("clear", "possible", "hit"))
        errors = ", ".join(f"{status}: {n}" for status, n in sorted(t.errors.items())) or "0"
        rate = f"{r.rate:.0f}" + (
            " ✗" if r.backend == "postgresql" and r.rate < TARGET_RATE else ""
        )
        p99 = _percentile(t.latencies_ms, 0.99)
        p99_text = f"{p99:.1f}" + (
            " ✗" if r.backend == "postgresql" and p99 > TARGET_P99_MS else ""
        )
        yield (
            f"| {r.backend} | {r.entries:,} | {r.crossings:,} | {concurrency} | {rate} "
            f"| {statistics.median(t.latencies_ms):.1f} | {_percentile(t.latencies_ms, 0.95):.1f} "
            f"| {p99_text} | {statistics.median(t.server_ms) if t.server_ms else float('nan'):.1f} "
            f"| {_percentile(t.server_ms, 0.99):.1f} "
            f"| {1000 * r.cpu.groups[ALERTD_GROUP] / r.crossings:.2f} | {mix} | {t.alerts} "
            f"| {errors} |"
        )
    yield ""
    yield from cpu_report(results)
    yield ""
    for r in results:
        yield (
            f"{r.backend}: {r.durability}; {r.workers} server process(es); "
            f"watchlist import + approve + indexed everywhere {r.load_s:.1f} s"
        )
    yield (
        f"Targets (PostgreSQL): >= {TARGET_RATE:.0f} crossings/s, p99 <= {TARGET_P99_MS:.0f} ms "
        "(✗ marks a miss). Client and server share this machine's cores."
    )


def cpu_report(results: Sequence[Result]) -> Iterator[str]:
    """Where the machine's CPU went during each measured run, in ms per crossing."""
    yield (
        "CPU per crossing during the measured run, ms (share of the machine's cores x "
        f"seconds); at {TARGET_RATE:.0f}/s the machine has "
        f"{1000 * (os.cpu_count() or 1) / TARGET_RATE:.2f} ms per crossing in all:"
    )
    yield ""
    columns = (*CPU_GROUPS, "rest of machine", "idle", "machine")
    yield "| backend | workers | " + " | ".join(columns) + " |"
    yield "|---|---:|" + "---:|" * len(columns)
    for r in results:
        cpu = r.cpu
        seconds = [cpu.groups.get(g, 0.0) for g in CPU_GROUPS] + [cpu.other, cpu.idle]
        cells = [f"{1000 * s / r.crossings:.2f} ({100 * s / cpu.available:.0f}%)" for s in seconds]
        cells.append(f"{1000 * cpu.available / r.crossings:.2f}")
        yield f"| {r.backend} | {r.workers} | " + " | ".join(cells) + " |"


async def main_async(args: argparse.Namespace) -> None:
    watchlist = synthetic_watchlist(args.entries)
    results = []
    for backend in args.backends.split(","):
        print(f"measuring {backend} ...", file=sys.stderr, flush=True)
        results.append(await measure(backend, args, watchlist))
    print("\n".join(report(results, args.concurrency)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backends", default="postgresql,sqlite")
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--crossings", type=int, default=10_000)
    parser.add_argument("--warmup", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument(
        "--pool-size",
        type=int,
        default=None,
        help="ALERTD_DATABASE_POOL_SIZE (default: the concurrency, so that a burst of "
        "lookups does not open and close overflow connections)",
    )
    parser.add_argument(
        "--workers", type=int, default=1, help="alertd serve --workers N (PostgreSQL only)"
    )
    parser.add_argument(
        "--idempotency-keys",
        action="store_true",
        help="send an Idempotency-Key with every crossing, as a checkpoint client would",
    )
    parser.add_argument(
        "--postgres-url", default=os.environ.get("ALERTD_BENCH_POSTGRES", DEFAULT_POSTGRES)
    )
    parser.add_argument("--profile", type=Path, default=None, help="cProfile the server to FILE")
    args = parser.parse_args()
    args.pool_size = args.pool_size or args.concurrency
    if args.workers > 1 and args.profile is not None:
        parser.error("--profile profiles one server process: use it with --workers 1")
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
