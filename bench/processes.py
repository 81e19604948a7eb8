"""The benchmark's processes: its databases, manage.py, the in-process half
(bench/django_side.py), gunicorn, the workbook export and the reorganisations (bench/reorg.py)."""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench.options import HOST, NICE, PORT, PYTHON, REQUEST_TIMEOUT, ROOT, WORKERS, fail


def database_url(name: str) -> str:
    base = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(base)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        fail(
            "DATABASE_URL must point at PostgreSQL (postgres://user@127.0.0.1:5432/anything); "
            "the benchmark creates its own databases chitieu_bench_province and "
            "chitieu_bench_national on that server."
        )
    return urlunsplit(parts._replace(path=f"/{name}"))


def server_env(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": f"{HOST},localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "ERROR",
    }


def manage(env: dict[str, str], *args: str, timeout: int = 3600) -> str:
    done = subprocess.run(  # noqa: S603 - our own manage.py
        [NICE, "-n", "10", PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        fail(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def django_side(env: dict[str, str], *args: str) -> Any:
    done = subprocess.run(  # noqa: S603 - our own script
        [PYTHON, str(ROOT / "bench" / "django_side.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if done.returncode != 0:
        fail(f"bench/django_side.py {args[0]} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def recreate_database(url: str) -> bool:
    """Drops and creates the scale's database; False when it is reused (BENCH_REUSE=1)."""
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and os.environ.get("BENCH_REUSE") == "1":
            return False
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return True


def start_server(env: dict[str, str]) -> subprocess.Popen[bytes]:
    gunicorn = str(ROOT / ".venv" / "bin" / "gunicorn")
    server = subprocess.Popen(  # noqa: S603 - our own server, loopback only
        [gunicorn, "config.wsgi", "--bind", f"{HOST}:{PORT}", "--workers", str(WORKERS),
         "--timeout", str(REQUEST_TIMEOUT), "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, PORT, timeout=5)
            conn.request("GET", "/accounts/login/")
            conn.getresponse().read()
            time.sleep(1)
            if server.poll() is not None:  # another process answered on the port
                fail(f"gunicorn could not start: {server.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
            return server
        except OSError:
            if server.poll() is not None:
                fail(f"gunicorn stopped: {server.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
            time.sleep(0.5)
    server.send_signal(signal.SIGTERM)
    fail("gunicorn did not answer within 60 s")
    raise AssertionError


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


WORKBOOK_MODES = {"approved": (), "provisional": ("--provisional",), "today": ("--tree", "as_now")}


def workbooks(env: dict[str, str], setup: dict[str, Any]) -> dict[str, Any]:
    """The workbook in each mode: the tree as it was, with provisional figures, today's tree."""
    return {mode: workbook(env, setup, extra) for mode, extra in WORKBOOK_MODES.items()}


def workbook(
    env: dict[str, str], setup: dict[str, Any], extra: tuple[str, ...] = ()
) -> dict[str, Any]:
    help_run = subprocess.run(  # noqa: S603 - our own manage.py
        [PYTHON, "manage.py", "help", "export_workbook"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if help_run.returncode != 0:
        return {"skipped": "manage.py export_workbook does not exist yet"}
    if not Path("/usr/bin/time").exists():
        return {"skipped": "/usr/bin/time is missing (apt-get install time)"}
    out = Path(tempfile.gettempdir()) / f"bench-workbook-{os.getpid()}.xlsx"
    args = [*export_args(help_run.stdout, setup, out), *extra]
    started = time.perf_counter()
    run = subprocess.run(  # noqa: S603 - our own manage.py
        ["/usr/bin/time", "-v", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=600,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr)
    result: dict[str, Any] = {
        "seconds": round(seconds, 2),
        "peak_mb": round(int(rss.group(1)) / 1024, 1) if rss else None,
        "ok": run.returncode == 0,
        "command": " ".join(args[1:]),
    }
    if run.returncode != 0:
        result["error"] = run.stderr[-500:]
    out.unlink(missing_ok=True)
    return result


def export_args(text: str, setup: dict[str, Any], out: Path) -> list[str]:
    """The export command with the options its help (`text`) names."""
    args = [PYTHON, "manage.py", "export_workbook"]
    for option, value in (
        ("--output", str(out)),
        ("--unit", setup["root"]),
        ("--period", str(setup["year"])),
        ("--year", str(setup["year"])),
    ):
        if option in text:
            args += [option, value]
    if "--output" not in text:
        args.append(str(out))
    return args


def reorganisations(env: dict[str, str]) -> dict[str, Any]:
    """`bench/reorg.py` (each reorganisation rolled back): seconds and queries."""
    done = subprocess.run(  # noqa: S603 - our own script
        [PYTHON, str(ROOT / "bench" / "reorg.py")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    if done.returncode != 0:
        return {"error": done.stderr[-500:]}
    found: dict[str, Any] = json.loads(done.stdout)
    return found
