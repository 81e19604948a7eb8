"""Where a load's CPU went (Linux /proc): the portal's gunicorn processes, PostgreSQL's, the
load's own client (this process), and how busy the machine's cores were. A throughput is
bounded by the CPU each request costs; with the client and the database on the same cores
as the portal, these say how much of the machine the portal itself had."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


@dataclass(frozen=True)
class Cpu:
    portal: dict[int, float]  # CPU seconds of each process running the portal under gunicorn
    postgres: dict[int, float]  # of each PostgreSQL process
    client: float  # of this process (the load's client threads)
    busy: float  # of the machine's cores, all processes
    idle: float  # the cores' idle seconds


def _grown(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds the processes alive at the end spent since the start (those started since,
    all of theirs); a process that ended in between is not counted (its counters are gone)."""
    return sum(max(0.0, spent - before.get(pid, 0.0)) for pid, spent in after.items())


def _ticks(fields: list[str]) -> float:
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def sample() -> Cpu | None:
    """The counters now; None where /proc cannot tell (not Linux)."""
    if not (PROC / "stat").exists():
        return None
    portal: dict[int, float] = {}
    postgres: dict[int, float] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue  # ended meanwhile
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        if b"gunicorn" in cmdline and b"config.wsgi" in cmdline:
            portal[int(entry.name)] = _ticks(fields)
        elif name.startswith("postgres"):
            postgres[int(entry.name)] = _ticks(fields)
    times = os.times()
    line = (PROC / "stat").read_text().splitlines()[0].split()[1:]
    values = [int(v) / os.sysconf("SC_CLK_TCK") for v in line]
    idle = values[3] + values[4]  # idle and iowait
    return Cpu(portal, postgres, times.user + times.system, sum(values[:8]) - idle, idle)


def spent(before: Cpu | None, after: Cpu | None, requests: int) -> dict[str, float] | None:
    """CPU milliseconds per HTTP request of the portal, PostgreSQL and the client, and the
    share of the machine's cores that were busy."""
    if before is None or after is None or requests == 0:
        return None
    per = 1000 / requests
    busy = after.busy - before.busy
    total = busy + after.idle - before.idle
    return {
        "portal_ms_per_request": round(_grown(before.portal, after.portal) * per, 1),
        "postgres_ms_per_request": round(_grown(before.postgres, after.postgres) * per, 1),
        "client_ms_per_request": round((after.client - before.client) * per, 1),
        "machine_busy_percent": round(100 * busy / total, 1) if total else 0.0,
    }
