"""Where the machine's CPU went during a measured run, per group of processes (Linux).

Client, server and database share the same cores in the benchmarks, so a rate alone
does not say which of them to make cheaper. A ``CpuSnapshot`` reads the user + system
ticks of named groups of processes from ``/proc`` and the machine's busy ticks from
``/proc/stat``; two snapshots give each group's CPU seconds, what the rest of the
machine used meanwhile (other work, kernel threads), and what was idle.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")
# /proc/<pid>/stat after the ")" closing the command name: utime and stime are the 12th
# and 13th fields there, the parent's pid the 2nd.
UTIME_FIELD, STIME_FIELD, PPID_FIELD = 11, 12, 1
# /proc/stat's "cpu" line: user nice system idle iowait irq softirq steal ...
IDLE_COLUMNS = (3, 4)


def _stat_fields(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):  # it has exited, or is not on this machine
        return None


def process_ticks(pid: int) -> int:
    fields = _stat_fields(pid)
    return int(fields[UTIME_FIELD]) + int(fields[STIME_FIELD]) if fields else 0


def parent_of(pid: int) -> int | None:
    fields = _stat_fields(pid)
    return int(fields[PPID_FIELD]) if fields else None


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (e.g. ``alertd serve --workers N``)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        below = children.read_text().split()
    except OSError:
        below = []
    return [pid, *(p for child in below for p in process_tree(int(child)))]


def machine_ticks() -> tuple[int, int]:
    """(busy, idle) ticks of all cores since boot."""
    columns = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:8]]
    idle = sum(columns[i] for i in IDLE_COLUMNS)
    return sum(columns) - idle, idle


@dataclass(frozen=True)
class CpuUse:
    """CPU seconds over a run: per group, the rest of the machine, idle, and the total
    the machine had (cores x wall seconds, as /proc/stat counts them)."""

    groups: Mapping[str, float]
    other: float
    idle: float

    @property
    def available(self) -> float:
        return sum(self.groups.values()) + self.other + self.idle


@dataclass(frozen=True)
class CpuSnapshot:
    ticks: Mapping[str, Mapping[int, int]]
    busy: int
    idle: int
    at: float

    @classmethod
    def take(cls, groups: Mapping[str, Iterable[int]]) -> CpuSnapshot:
        busy, idle = machine_ticks()
        ticks = {name: {pid: process_ticks(pid) for pid in pids} for name, pids in groups.items()}
        return cls(ticks, busy, idle, time.monotonic())

    def until(self, later: CpuSnapshot) -> CpuUse:
        """The CPU used between this snapshot and ``later``. A process that started in
        between counts whole; one that exited in between loses its last ticks (the
        server's and database's processes live through the run)."""
        groups = {}
        for name, now in later.ticks.items():
            before = self.ticks.get(name, {})
            used = sum(ticks - before.get(pid, 0) for pid, ticks in now.items())
            groups[name] = used / TICKS_PER_SECOND
        busy = (later.busy - self.busy) / TICKS_PER_SECOND
        idle = (later.idle - self.idle) / TICKS_PER_SECOND
        return CpuUse(groups, max(0.0, busy - sum(groups.values())), idle)


@dataclass(frozen=True)
class PostgresProcesses:
    """The server's processes as this machine sees them: the backends serving one
    database, and the shared ones (postmaster, WAL writer, checkpointer, ...)."""

    backends: tuple[int, ...]
    shared: tuple[int, ...]


_ACTIVITY = text(
    "SELECT pid, datname = current_database() AS ours, backend_type FROM pg_stat_activity "
    "WHERE pid <> pg_backend_pid()"
)


async def postgres_processes(conn: AsyncConnection) -> PostgresProcesses:
    """The processes behind ``conn``'s server, less ``conn``'s own backend (the meter's).

    Only meaningful when the server runs on this machine (else every count is 0).
    """
    rows = (await conn.execute(_ACTIVITY)).all()
    backends = tuple(r.pid for r in rows if r.ours)
    shared = [r.pid for r in rows if r.ours is None and r.backend_type != "client backend"]
    postmaster = parent_of(shared[0]) if shared else None
    return PostgresProcesses(backends, tuple(shared + ([postmaster] if postmaster else [])))
