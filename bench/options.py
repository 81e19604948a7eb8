"""The benchmark's settings (environment variables, see bench/run.py) and its way of failing."""

from __future__ import annotations

import os
import shutil
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
HOST = "127.0.0.1"
NICE = shutil.which("nice") or "/usr/bin/nice"


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


REQUESTS = env_int("BENCH_REQUESTS", 30)
SAVERS = env_int("BENCH_SAVERS", 20)
SAVE_SECONDS = env_int("BENCH_SAVE_SECONDS", 60)
WORKERS = env_int("BENCH_WORKERS", 4)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


PORT = env_int("BENCH_PORT", 0) or free_port()
REQUEST_TIMEOUT = env_int("BENCH_TIMEOUT", 120)
PAGE_SECONDS = env_int("BENCH_PAGE_SECONDS", 120)  # time allowed per page's sampling


def fail(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr)
    raise SystemExit(2)
