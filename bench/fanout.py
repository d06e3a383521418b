"""Alert fan-out on one node: latency, memory per connection, reconnect after a restart.

Makes a throwaway PostgreSQL database (dropped afterwards), migrates it, seeds five
agencies with a desk at each of twenty checkpoints (100 desks) and one desk officer per
desk, starts a real ``alertd serve`` process, and opens the desk WebSocket connections
from separate client processes (aiohttp), spread evenly over the desks. Then:

1. memory: the server's RSS before and after the connections, idle, per connection;
2. latency: alerts are raised at a steady rate (50/s by default), each at a random
   checkpoint for the wanted_person category, so each is routed to the police and the
   immigration desk there and reaches 100 of the 5,000 connections (2 desks of 100, 50
   connections each): the issue's "each routed to 100 desks", read as 100 desk
   connections. Routing gives an alert one desk per routed agency, so no alert reaches
   100 distinct desks; what costs the node is the sockets it writes to. The table shows
   the receivers per alert, counted, and any alert nobody received. Two sources:
   - ``--source notify`` (the default): a separate process raises each alert through
     alertd's own ``alerts.raise_alert`` in a transaction, with the NOTIFY another node
     would send, delivered by PostgreSQL at COMMIT. The node under test (a real
     ``alertd serve``) learns of it exactly as from another node, and reads it from the
     database. This is how the bench reaches a true 50 alerts/s: the node's own
     crossing path (HTTP, screening, audit) is another benchmark's subject
     (bench/screening.py). "commit→receipt" runs from the moment COMMIT returned to the
     raising process to the receipt;
   - ``--source crossings``: crossings of a wanted traveller POSTed to the node itself;
     "post→receipt" runs from just before the POST (an upper bound on commit→receipt:
     it also holds the HTTP request, the screening and the commit).
   "created→receipt" runs from the alert's created_at (the server's clock inside the
   transaction, before the commit) to the receipt. Receipts are timed by the client
   processes (time.time() on reading the frame; same machine, same clock), which freeze
   their garbage collector once connected so that the instrument adds no pauses;
3. restart: all but N connections close; the server is stopped; alerts are raised in the
   database meanwhile (as another node would); the server starts again and the N desks,
   which reconnect with jittered back-off (at most 1 s) and resume from their last seq,
   are timed from "ready" (and from the stop) until every one has its replay.

Goals (issue 6): p99 ≤ 100 ms, ≤ 50 KB per idle connection.

    python bench/fanout.py                                     # 5,000 desks, 50 alerts/s
    python bench/fanout.py --connections 1000 --seconds 10     # a quick run
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pyotp
from alembic import command
from sqlalchemy import select, text

sys.path.insert(0, str(Path(__file__).parent))
from bench_databases import throwaway_database

from alertd import identity
from alertd.alerts import Deadlines, NewAlert, raise_alert
from alertd.audit import Actor
from alertd.config import load_settings
from alertd.db import alembic_config, create_engine
from alertd.passwords import Passwords
from alertd.roles import Role
from alertd.routing import load_policy
from alertd.tables import alerts, checkpoints

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
ALERTD = Path(sys.executable).with_name("alertd")
PASSWORD = "correct horse battery"  # noqa: S105 (a throwaway database's users)
AGENCIES = ("GDI", "GCNP", "GDCE", "MOSVY", "NCCT")
CHECKPOINTS = 20
SETUP = Actor(username="bench-setup")
CONNECT_CONCURRENCY = 100
# A desk retries after a random wait below this (doubling from 0.2 s): a restarted node
# sees its desks back within about this long, spread out instead of all at once.
MAX_BACK_OFF_SECONDS = 1.0
SOK = {
    "names": [{"full": "Chan Sok"}],
    "date_of_birth": "1985-03-02",
    "documents": [{"type": "passport", "number": "N01234567", "country": "KHM"}],
}


# --- the client processes ----------------------------------------------------------------


@dataclass
class Desk:
    token: str
    reconnect: bool = False
    last_seq: int | None = None
    resumed_at: float | None = None
    ws: aiohttp.ClientWebSocketResponse | None = None


@dataclass
class ClientState:
    receipts: list[tuple[int, float, str]] = field(default_factory=list)
    connected: int = 0
    closed_codes: dict[int, int] = field(default_factory=dict)
    failed_attempts: int = 0


async def run_desk(
    session: aiohttp.ClientSession,
    url: str,
    desk: Desk,
    state: ClientState,
    gate: asyncio.Semaphore,
) -> None:
    delay = 0.2
    while True:
        ws = None
        try:
            async with gate:
                ws = await session.ws_connect(f"{url}/api/v1/ws", autoping=True, max_msg_size=0)
                await ws.send_json({"type": "auth", "token": desk.token})
                ready = await ws.receive_json()
                if desk.last_seq is None:
                    desk.last_seq = ready["last_seq"]
                else:
                    await ws.send_json({"type": "resume", "after_seq": desk.last_seq})
                desk.ws = ws
                state.connected += 1
            await read_desk(ws, desk, state)
            code = ws.close_code or 0
            state.closed_codes[code] = state.closed_codes.get(code, 0) + 1
        except (TimeoutError, aiohttp.ClientError, OSError, TypeError, ValueError):
            state.failed_attempts += 1  # refused (1013, a timeout): back off and retry
            if ws is not None:
                await ws.close()
            if desk.last_seq is None:  # never connected yet: keep trying
                await asyncio.sleep(random.uniform(0, delay))
                delay = min(delay * 2, MAX_BACK_OFF_SECONDS)
                continue
        if not desk.reconnect:
            return
        await asyncio.sleep(random.uniform(0, delay))  # jitter: no thundering herd
        delay = min(delay * 2, MAX_BACK_OFF_SECONDS)


async def read_desk(ws: aiohttp.ClientWebSocketResponse, desk: Desk, state: ClientState) -> None:
    async for message in ws:
        if message.type != aiohttp.WSMsgType.TEXT:
            continue
        received = time.time()
        data = json.loads(message.data)
        kind = data["type"]
        if kind == "alert":
            state.receipts.append((data["alert"]["id"], received, data["alert"]["created_at"]))
            desk.last_seq = data["seq"]
        elif kind == "ping":
            await ws.send_json({"type": "pong"})
        elif kind == "replayed":
            desk.resumed_at = received


async def client_main(url: str, tokens: list[str]) -> None:
    """Driven by the parent through stdin lines; answers on stdout, one JSON a line."""
    state = ClientState()
    desks = [Desk(token) for token in tokens]
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
    connector = aiohttp.TCPConnector(limit=0)
    loop = asyncio.get_running_loop()
    async with aiohttp.ClientSession(connector=connector) as session:
        tasks = [asyncio.create_task(run_desk(session, url, d, state, gate)) for d in desks]
        while state.connected < len(desks):  # noqa: ASYNC110 (the desk tasks count)
            await asyncio.sleep(0.05)
        # The measuring instrument must not stall: a full garbage collection over 1,250
        # connections' objects took up to a second on a loaded machine, and every receipt
        # timed during it looked that late. Frozen, they are never traversed again.
        gc.freeze()
        say({"connected": state.connected, "failed": state.failed_attempts})
        while True:
            line = (await loop.run_in_executor(None, sys.stdin.readline)).strip()
            if not line or line == "quit":
                break
            command_name, _, argument = line.partition(" ")
            if command_name == "receipts":
                say({"receipts": state.receipts})
                state.receipts = []
            elif command_name == "keep":
                await keep_only(desks, int(argument))
                say({"kept": int(argument)})
            elif command_name == "resumed":
                kept = [d for d in desks if d.reconnect]
                while any(d.resumed_at is None for d in kept):  # noqa: ASYNC110
                    await asyncio.sleep(0.05)
                say({"resumed": max(d.resumed_at or 0 for d in kept), "codes": state.closed_codes})
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def keep_only(desks: list[Desk], keep: int) -> None:
    """The first ``keep`` desks will reconnect after the restart; the others leave now."""
    for number, desk in enumerate(desks):
        desk.reconnect = number < keep
        if not desk.reconnect and desk.ws is not None:
            await desk.ws.close()


def say(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


# --- the parent ---------------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    officer: dict[str, str]
    desk_tokens: list[str]
    editor: dict[str, str]
    approver: dict[str, str]


def node_env(url: str, data_dir: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALERTD_")}
    return env | {
        "ALERTD_DATABASE_URL": url,
        "ALERTD_DATA_DIR": str(data_dir),
        "ALERTD_LOG_LEVEL": "WARNING",
        "ALERTD_PORT": str(port),
        "ALERTD_ACCESS_TOKEN_TTL_SECONDS": "900",
        "ALERTD_DATABASE_POOL_SIZE": "20",
        "ALERTD_POLICY_FILE": str(ROOT / "config" / "policy.toml"),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


async def start_server(
    env: dict[str, str], session: aiohttp.ClientSession
) -> subprocess.Popen[bytes]:
    # A Popen, not an asyncio process: it outlives phases and is signalled from them.
    server = subprocess.Popen([str(ALERTD), "serve"], env=env, stdout=subprocess.DEVNULL)  # noqa: ASYNC220
    url = f"http://127.0.0.1:{env['ALERTD_PORT']}"
    for _ in range(600):
        if server.poll() is not None:
            raise RuntimeError(f"alertd serve exited with {server.returncode}")
        try:
            async with session.get(f"{url}/readyz") as response:
                if response.status == 200:
                    return server
        except aiohttp.ClientConnectionError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError("alertd serve did not become ready")


async def seed(database_url: str) -> dict[str, str | None]:
    """Agencies, checkpoints, 100 place desks, users; returns TOTP secrets by username."""
    settings = load_settings({"ALERTD_DATABASE_URL": database_url})
    hashed = Passwords(settings).hash(PASSWORD)
    engine = create_engine(database_url)
    now = datetime.now(UTC)
    secrets: dict[str, str | None] = {}
    try:
        async with engine.begin() as conn:
            for code in AGENCIES:
                await identity.add_agency(conn, SETUP, now, code, f"{code} agency")
            places = [f"C{n:02d}" for n in range(CHECKPOINTS)]
            for code in places:
                await identity.add_checkpoint(conn, SETUP, now, code, f"checkpoint {code}")
            number = 0
            for agency in AGENCIES:
                for place in places:
                    desk = await identity.add_desk(
                        conn, SETUP, now, agency=agency, name=f"{agency} {place}", checkpoint=place
                    )
                    new = identity.NewUser(
                        f"desk-{number}", agency, (Role.DESK_OFFICER,), hashed, desk.id, ()
                    )
                    await identity.add_user(conn, SETUP, now, new, with_totp=False)
                    number += 1
            staff = {
                "officer": ("GDI", Role.CHECKPOINT_OFFICER, tuple(places)),
                "editor": ("NCCT", Role.WATCHLIST_EDITOR, ()),
                "approver": ("NCCT", Role.WATCHLIST_APPROVER, ()),
            }
            for name, (agency, role, posts) in staff.items():
                new = identity.NewUser(name, agency, (role,), hashed, None, posts)
                made = await identity.add_user(
                    conn, SETUP, now, new, with_totp=role == Role.WATCHLIST_APPROVER
                )
                secrets[name] = made.totp_secret
    finally:
        await engine.dispose()
    return secrets


async def sign_in(
    session: aiohttp.ClientSession, url: str, name: str, secret: str | None = None
) -> str:
    body = {"username": name, "password": PASSWORD}
    if secret:
        body["totp"] = pyotp.TOTP(secret).now()
    async with session.post(f"{url}/api/v1/auth/login", json=body) as response:
        assert response.status == 200, await response.text()
        return str((await response.json())["access_token"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def publish_wanted(session: aiohttp.ClientSession, url: str, world: World) -> None:
    body = {
        "external_ref": "BENCH-1",
        "category": "wanted_person",
        "names": [{"full": "SOK Chan", "family": "SOK", "given": "Chan"}],
        "dates_of_birth": ["1985-03-02"],
        "nationalities": ["KHM"],
        "sex": "M",
        "documents": [{"type": "passport", "number": "N01234567", "country": "KHM"}],
        "reason": "bench",
        "instructions": "bench",
        "release_to": ["GCNP", "GDI"],
        "expires_at": (datetime.now(UTC) + timedelta(days=100)).date().isoformat(),
    }
    base = f"{url}/api/v1/watchlist/entries"
    async with session.post(base, json=body, headers=world.editor) as response:
        entry_id = (await response.json())["id"]
    async with session.post(f"{base}/{entry_id}/submit", headers=world.editor):
        pass
    async with session.post(f"{base}/{entry_id}/approve", headers=world.approver) as response:
        assert response.status == 200, await response.text()


async def post_crossing(
    session: aiohttp.ClientSession, url: str, world: World, checkpoint: str
) -> tuple[float, float, int]:
    """(time before the POST, time of the answer, alert id)."""
    body = {"checkpoint": checkpoint, "direction": "entry", "traveller": SOK}
    posted = time.time()
    async with session.post(f"{url}/api/v1/crossings", json=body, headers=world.officer) as r:
        answer = await r.json()
    assert r.status == 201, answer
    return posted, time.time(), int(answer["matches"][0]["alert_id"])


class Clients:
    """The client processes, each holding a share of the connections."""

    def __init__(self, url: str, tokens: list[str], processes: int) -> None:
        self.procs = []
        for share in range(processes):
            mine = tokens[share::processes]
            proc = subprocess.Popen(
                [sys.executable, __file__, "client", "--url", url],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            assert proc.stdin is not None
            proc.stdin.write(json.dumps(mine) + "\n")
            proc.stdin.flush()
            self.procs.append(proc)

    def ask(self, line: str | None) -> list[dict[str, Any]]:
        for proc in self.procs:
            if line is not None:
                assert proc.stdin is not None
                proc.stdin.write(line + "\n")
                proc.stdin.flush()
        answers = []
        for proc in self.procs:
            assert proc.stdout is not None
            answers.append(json.loads(proc.stdout.readline()))
        return answers

    def close(self) -> None:
        for proc in self.procs:
            if proc.poll() is None and proc.stdin is not None:
                proc.stdin.write("quit\n")
                proc.stdin.flush()
        for proc in self.procs:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


class AlertSource:
    """Raises alerts straight into the database and notifies the node through PostgreSQL,
    exactly as another alertd node does: the commit time is then known to the microsecond
    (taken right after COMMIT returns), and the node under test spends its CPU on fan-out
    alone, not on screening."""

    def __init__(self, database_url: str, template_alert_id: int) -> None:
        self._engine = create_engine(database_url)
        self._routing = load_policy(ROOT / "config" / "policy.toml")
        self._deadlines = Deadlines(timedelta(hours=1), timedelta(hours=1), timedelta(hours=1))
        self._template_id = template_alert_id
        self._template: Any = None
        self._places: list[int] = []
        # Seqs are handed out under a lock: more transactions at once only queue in the
        # pool (and time out there) when the machine cannot keep up with the rate.
        self._in_flight = asyncio.Semaphore(4)

    async def raise_one(self) -> tuple[float, float, int]:
        """(time before the transaction, time right after its commit, alert id)."""
        row = self._template
        new = NewAlert(
            row.crossing_id, row.match_id, row.entry_id, row.entry_version,
            row.owner_agency_id, "NCCT", ("GCNP", "GDI"), "wanted_person", "hit",
            1.0, random.choice(self._places), False, json.loads(row.payload),
        )  # fmt: skip
        async with self._in_flight:
            return await self._raise(new)

    async def _raise(self, new: NewAlert) -> tuple[float, float, int]:
        began = time.time()
        async with self._engine.begin() as conn:
            raised = await raise_alert(
                conn, SETUP, datetime.now(UTC), new, self._routing, self._deadlines
            )
            assert raised is not None
            payload = json.dumps({"origin": "bench", "newest": raised[1], "updates": []})
            # Delivered by PostgreSQL at COMMIT, never before.
            await conn.execute(text("SELECT pg_notify('alertd_alerts', :p)"), {"p": payload})
        return began, time.time(), raised[0]

    async def load(self) -> None:
        """The foreign keys and payload that every raised alert borrows."""
        async with self._engine.connect() as conn:
            query = select(alerts).where(alerts.c.id == self._template_id)
            self._template = (await conn.execute(query)).one()
            self._places = list((await conn.execute(select(checkpoints.c.id))).scalars())

    async def close(self) -> None:
        await self._engine.dispose()


async def raise_while_down(database_url: str, count: int, alert_id: int) -> None:
    """Alerts written while the node is down, as another node would (same FKs as one)."""
    engine = create_engine(database_url)
    routing = load_policy(ROOT / "config" / "policy.toml")
    deadlines = Deadlines(timedelta(hours=1), timedelta(hours=1), timedelta(hours=1))
    try:
        async with engine.begin() as conn:
            row = (await conn.execute(select(alerts).where(alerts.c.id == alert_id))).one()
            places = list((await conn.execute(select(checkpoints.c.id))).scalars())
            for _ in range(count):
                new = NewAlert(
                    row.crossing_id, row.match_id, row.entry_id, row.entry_version,
                    row.owner_agency_id, "NCCT", ("GCNP", "GDI"), "wanted_person", "hit",
                    1.0, random.choice(places), False, json.loads(row.payload),
                )  # fmt: skip
                await raise_alert(conn, SETUP, datetime.now(UTC), new, routing, deadlines)
    finally:
        await engine.dispose()


async def bench(args: argparse.Namespace) -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the server inherits it
    rows: list[tuple[str, str, str]] = []
    async with throwaway_database("postgresql", args.postgres) as database:
        try:
            await asyncio.to_thread(command.upgrade, alembic_config(database.url), "head")
            secrets = await seed(database.url)
            with tempfile.TemporaryDirectory() as tmp:
                env = node_env(database.url, Path(tmp), free_port())
                await run_phases(args, env, secrets, database.url, rows)
        finally:
            print_table(args, rows)  # what was measured, even if a later phase failed


async def run_phases(
    args: argparse.Namespace,
    env: dict[str, str],
    secrets: dict[str, str | None],
    database_url: str,
    rows: list[tuple[str, str, str]],
) -> None:
    url = f"http://127.0.0.1:{env['ALERTD_PORT']}"
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        server = await start_server(env, session)
        try:
            world = World(
                bearer(await sign_in(session, url, "officer")),
                [await sign_in(session, url, f"desk-{n}") for n in range(100)],
                bearer(await sign_in(session, url, "editor")),
                bearer(await sign_in(session, url, "approver", secrets["approver"])),
            )
            await publish_wanted(session, url, world)
            first = await post_crossing(session, url, world, "C00")  # warm up
            tokens = [world.desk_tokens[n % 100] for n in range(args.connections)]
            await asyncio.sleep(1)
            before = rss_kib(server.pid)
            started = time.perf_counter()
            clients = Clients(url, tokens, args.client_processes)
            try:
                answers = clients.ask(None)
                connected = sum(a["connected"] for a in answers)
                failed = sum(a["failed"] for a in answers)
                connect_seconds = time.perf_counter() - started
                await asyncio.sleep(3)  # idle
                after = rss_kib(server.pid)
                rows.append(
                    ("connections open", f"{connected:,}",
                     f"in {connect_seconds:.1f} s; {failed} attempts refused and retried"),
                )  # fmt: skip
                per = (after - before) * 1024 / connected / 1000
                rows.append(
                    ("server RSS before / after", f"{before / 1024:.0f} / {after / 1024:.0f} MiB",
                     "idle, after connecting"),
                )  # fmt: skip
                rows.append(("memory per idle connection", f"{per:.1f} KB", "goal ≤ 50 KB"))
                await latency_phase(
                    args, session, url, world, clients, rows, database_url, first[2]
                )
                server = await restart_phase(
                    args, session, env, server, clients, database_url, first[2], rows
                )
            finally:
                clients.close()
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(30)


async def latency_phase(
    args: argparse.Namespace,
    session: aiohttp.ClientSession,
    url: str,
    world: World,
    clients: Clients,
    rows: list[tuple[str, str, str]],
    database_url: str,
    template_alert_id: int,
) -> None:
    count = int(args.rate * args.seconds)
    interval = 1 / args.rate
    source = AlertSource(database_url, template_alert_id) if args.source == "notify" else None
    if source is not None:
        await source.load()
    start = time.perf_counter()

    async def one(n: int) -> tuple[float, float, int]:
        await asyncio.sleep(max(0.0, start + n * interval - time.perf_counter()))
        if source is not None:
            return await source.raise_one()
        return await post_crossing(session, url, world, f"C{random.randrange(CHECKPOINTS):02d}")

    try:
        posted = await asyncio.gather(*(one(n) for n in range(count)))
    finally:
        if source is not None:
            await source.close()
    elapsed = time.perf_counter() - start
    # notify: measure from the commit; crossings: from just before the POST.
    sent_at = {alert_id: (done if source else before) for before, done, alert_id in posted}
    receipts: list[list[Any]] = []
    for _ in range(60):  # until the pushes stop coming (a backlog shows in the latency)
        await asyncio.sleep(2)
        fresh = [r for answer in clients.ask("receipts") for r in answer["receipts"]]
        receipts += fresh
        if not fresh:
            break
    from_post = [(t - sent_at[a]) * 1000 for a, t, _ in receipts if a in sent_at]
    from_created = [
        (t - datetime.fromisoformat(c.replace("Z", "+00:00")).timestamp()) * 1000
        for a, t, c in receipts
        if a in sent_at
    ]
    answered = [(done - before) * 1000 for before, done, _ in posted]
    receivers = Counter(a for a, _, _ in receipts if a in sent_at)
    fewest, most = min(receivers.values(), default=0), max(receivers.values(), default=0)
    rows.append(("alerts raised", f"{count:,} in {elapsed:.1f} s", f"{count / elapsed:.1f}/s"))
    rows.append(
        ("receipts", f"{len(from_post):,}", f"{fewest}–{most} connections per alert; "
         f"{count - len(receivers)} alerts never received"),
    )  # fmt: skip
    what = "transaction + commit" if source else "screening + commit + HTTP"
    rows.append(
        ("alert written p50 / p99", f"{percentile(answered, .5):.1f} / "
         f"{percentile(answered, .99):.1f} ms", what),
    )  # fmt: skip
    first = "commit→receipt" if source else "post→receipt"
    for label, values in ((first, from_post), ("created→receipt", from_created)):
        rows.append(
            (f"{label} p50 / p99", f"{percentile(values, .5):.1f} / "
             f"{percentile(values, .99):.1f} ms", f"max {max(values):.1f} ms; goal p99 ≤ 100"),
        )  # fmt: skip
    rows.append(("mean receipt latency", f"{statistics.fmean(from_post):.1f} ms", first))


async def restart_phase(
    args: argparse.Namespace,
    session: aiohttp.ClientSession,
    env: dict[str, str],
    server: subprocess.Popen[bytes],
    clients: Clients,
    database_url: str,
    some_alert_id: int,
    rows: list[tuple[str, str, str]],
) -> subprocess.Popen[bytes]:
    share = args.reconnect // args.client_processes
    clients.ask(f"keep {share}")
    await asyncio.sleep(1)
    stopped = time.time()
    server.send_signal(signal.SIGTERM)
    server.wait(60)
    down = time.time()
    await raise_while_down(database_url, args.missed, some_alert_id)
    server = await start_server(env, session)
    ready = time.time()
    answers = clients.ask("resumed")
    done = max(a["resumed"] for a in answers)
    codes: dict[str, int] = {}
    for answer in answers:
        for code, n in answer["codes"].items():
            codes[code] = codes.get(code, 0) + n
    kept = share * args.client_processes
    rows.append(("server stop (SIGTERM → exit)", f"{down - stopped:.1f} s", f"close codes {codes}"))
    rows.append(
        (f"{kept:,} desks reconnect + resume", f"{done - ready:.2f} s after ready",
         f"{done - stopped:.1f} s after the stop; {args.missed} alerts raised while down"),
    )  # fmt: skip
    return server


def print_table(args: argparse.Namespace, rows: list[tuple[str, str, str]]) -> None:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\nload average at the end (2 cores, shared): {load}"
        f"\nfan-out, one node, PostgreSQL: {args.connections:,} desk connections over 100 desks "
        f"({args.client_processes} client processes), {args.rate:g} alerts/s for {args.seconds:g} s"
    )
    width = max(len(r[0]) for r in rows)
    value_width = max(len(r[1]) for r in rows)
    print(f"| {'measure':<{width}} | {'value':<{value_width}} | note")
    print(f"|{'-' * (width + 2)}|{'-' * (value_width + 2)}|------")
    for label, value, note in rows:
        print(f"| {label:<{width}} | {value:<{value_width}} | {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="mode")
    client = sub.add_parser("client", help="(internal) a client process")
    client.add_argument("--url", required=True)
    parser.add_argument("--connections", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=50.0, help="alerts per second")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--reconnect", type=int, default=2000)
    parser.add_argument("--missed", type=int, default=50, help="alerts raised while down")
    parser.add_argument("--client-processes", type=int, default=4)
    parser.add_argument(
        "--source",
        choices=("notify", "crossings"),
        default="notify",
        help="notify: alerts committed and NOTIFYed as by another node (the default); "
        "crossings: POST /api/v1/crossings to the node under test",
    )
    parser.add_argument(
        "--postgres", default=os.environ.get("ALERTD_TEST_DATABASE_URL") or DEFAULT_POSTGRES_URL
    )
    args = parser.parse_args()
    if args.mode == "client":
        hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        tokens = json.loads(sys.stdin.readline())
        asyncio.run(client_main(args.url, tokens))
    else:
        asyncio.run(bench(args))


if __name__ == "__main__":
    main()
