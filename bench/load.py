"""Concurrent report saves, and the mixed load (savers and dashboard readers at once)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from bench import cpu
from bench.client import FormFields, Session
from bench.options import REQUEST_TIMEOUT, SAVE_SECONDS, SAVERS


@dataclass
class SaveStats:
    saves: int = 0
    requests: int = 0  # every HTTP request: a save is the form's GET and its POST
    errors: int = 0
    messages: list[str] = field(default_factory=list)
    reads: list[float] = field(default_factory=list)  # ms of each read of the mixed load
    lock: threading.Lock = field(default_factory=threading.Lock)


def saver(reporter: dict[str, Any], password: str, until: float, stats: SaveStats) -> None:
    session = Session()
    session.login(reporter["username"], password)
    edit = f"/reports/{reporter['report']}/edit/"
    bump = 1
    while time.monotonic() < until:
        status, page, _ = session.request("GET", edit)
        form = FormFields()
        form.feed(page.decode("utf-8", "replace"))
        data = {k: v for k, v in form.data.items() if k != "submit"}
        members = data.get("v_members", "").replace(".", "").strip()
        if members.isdigit():
            data["v_members"] = str(int(members) + bump)
            bump = -bump
        data["save"] = "1"
        status, _body, _ = session.request("POST", edit, data)
        with stats.lock:
            stats.requests += 2
            if status == 302:
                stats.saves += 1
            else:
                stats.errors += 1
                if len(stats.messages) < 5:
                    stats.messages.append(f"{reporter['username']}: HTTP {status}")


def reader(username: str, password: str, paths: list[str], until: float, stats: SaveStats) -> None:
    """A dashboard reader of the mixed load: the pages in turn until `until`."""
    session = Session()
    session.login(username, password)
    i = 0
    while time.monotonic() < until:
        started = time.perf_counter()
        status, _body, _ = session.request("GET", paths[i % len(paths)])
        elapsed = (time.perf_counter() - started) * 1000
        i += 1
        with stats.lock:
            stats.requests += 1
            stats.reads.append(elapsed)
            if status != 200:
                stats.errors += 1
                if len(stats.messages) < 5:
                    stats.messages.append(f"{paths[i % len(paths)]}: HTTP {status}")


def concurrent_saves(
    setup: dict[str, Any], readers: list[str] | None = None, office: str = ""
) -> dict[str, Any]:
    """Reporters saving at once; with `readers`, half the clients read those dashboard pages
    instead (the mixed load)."""
    clients = setup["reporters"][:SAVERS]
    if not clients:
        return {"skipped": "no reporting unit with a valid latest report"}
    reporters = clients[: len(clients) // 2] if readers else clients
    stats = SaveStats()
    before = cpu.sample()
    started = time.monotonic()
    until = started + SAVE_SECONDS
    threads = [
        threading.Thread(target=saver, args=(r, setup["password"], until, stats), daemon=True)
        for r in reporters
    ]
    threads += [
        threading.Thread(
            target=reader, args=(office, setup["password"], readers, until, stats), daemon=True
        )
        for _ in range(len(clients) - len(reporters) if readers else 0)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=SAVE_SECONDS + REQUEST_TIMEOUT + 30)
    found = summary(stats, len(clients), time.monotonic() - started, mixed=bool(readers))
    found["cpu"] = cpu.spent(before, cpu.sample(), stats.requests)
    return found


def summary(stats: SaveStats, clients: int, elapsed: float, *, mixed: bool) -> dict[str, Any]:
    """Throughput and errors of a load; of the mixed load also its reads."""
    found = {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "saves": stats.saves,
        "saves_per_second": round(stats.saves / elapsed, 1),
        "errors": stats.errors,
        "error_samples": stats.messages,
    }
    if mixed:
        reads = sorted(stats.reads)
        found["reads"] = len(reads)
        found["reads_per_second"] = round(len(reads) / elapsed, 1)
        # HTTP requests, each save's form included (earlier runs counted a save as one).
        found["requests_per_second"] = round(stats.requests / elapsed, 1)
        found["read_p95_ms"] = round(reads[round(0.95 * (len(reads) - 1))], 1) if reads else None
    return found
