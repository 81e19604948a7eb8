"""`make bench`: the portal at province and national size, measured under gunicorn.

For each scale: a database of its own (chitieu_bench_<scale>, dropped and created), migrate,
`generate_data`, bench accounts, gunicorn on 127.0.0.1, then

- median and 95th-percentile time of the overview, an indicator page, a unit page and the
  read API (N sequential requests each, logged in with a session cookie, after every worker
  has served the page twice);
- SQL queries per page (in process, Django test client) and the time of the bare aggregate
  SQL each page needs, and the ratio of page time to that SQL;
- the workbook export's time and peak memory (`manage.py export_workbook`, if it exists);
- throughput and errors of concurrent report saves (reporters posting the report form);
- both trees and provisional figures (the overview, indicator, unit and API pages along
  today's tree and with submitted reports), the long lists (the unit tree, /api/v1/units/,
  the tracking grid), each page against the floor and its own SQL (page ≤ 2 × (floor + SQL));
- a mixed load: savers and dashboard readers at once (requests/s, p95, errors);
- reorganisations (`bench/reorg.py`: 1,000 CĐCS moved, a commune union dissolved, two
  provinces merged; national size only, where a province lies below the root);
- the bytes of the overview's first load (HTML, CSS, JS, images).

Prints a table and writes bench-results.json. Only 127.0.0.1 is contacted; every loop is
bounded in count and time. Settings (environment): DATABASE_URL (PostgreSQL, required; its
server and credentials are used, its database name is not), BENCH_SCALES ("province national"),
BENCH_REQUESTS (30), BENCH_SAVERS (20), BENCH_SAVE_SECONDS (60), BENCH_WORKERS (4),
BENCH_PORT (a free one), BENCH_TIMEOUT (120 s a request), BENCH_PAGE_SECONDS (120 s of
sampling a page), BENCH_REUSE=1 (keep an existing generated database).
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
HOST = "127.0.0.1"
BUDGET_MS = 150  # every page's p95 at national size (issue 14)
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


# HTTP ------------------------------------------------------------------------------------------


class Session:
    """A logged-in browser without a browser: cookies and CSRF over http.client."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}
        self.wire = b""  # the last response's body as it travelled (compressed or not)
        self.conn = http.client.HTTPConnection(HOST, PORT, timeout=REQUEST_TIMEOUT)

    def request(
        self,
        method: str,
        path: str,
        body: dict[str, str] | None = None,
        extra: dict[str, str] | None = None,
    ) -> tuple[int, bytes, http.client.HTTPResponse]:
        # As a browser asks: the server's compression is part of what a page costs.
        headers = {
            "Host": f"{HOST}:{PORT}",
            "Accept-Language": "vi",
            "Accept-Encoding": "gzip",
            **(extra or {}),
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{PORT}{path}"
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # A kept-alive connection the server closed: open a new one, once.
            self.conn.close()
            self.conn = http.client.HTTPConnection(HOST, PORT, timeout=REQUEST_TIMEOUT)
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
        content = self.wire = response.read()
        if response.getheader("Content-Encoding") == "gzip":
            content = gzip.decompress(content)
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, content, response

    def login(self, username: str, password: str) -> None:
        status, page, _ = self.request("GET", "/accounts/login/")
        token = csrf_token(page)
        status, _body, _ = self.request(
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": username, "password": password},
        )
        if status != 302:
            fail(f"could not log in as {username} (HTTP {status})")


def csrf_token(page: bytes) -> str:
    found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not found:
        fail("no CSRF token on the page")
    return found.group(1).decode()  # type: ignore[union-attr]


def warm(session: Session, path: str) -> None:
    """Two requests per gunicorn worker at once, so that every worker has loaded its
    templates, translations and connection before the page is timed: a running server is warm,
    and a cold worker's first request (about 150 ms more) would otherwise land in the p95."""
    cookie = "; ".join(f"{k}={v}" for k, v in session.cookies.items())

    def one() -> None:
        conn = http.client.HTTPConnection(HOST, PORT, timeout=REQUEST_TIMEOUT)
        try:
            conn.request("GET", path, headers={"Host": f"{HOST}:{PORT}", "Cookie": cookie})
            conn.getresponse().read()
        except OSError:
            pass  # the timed requests count errors
        finally:
            conn.close()

    threads = [threading.Thread(target=one, daemon=True) for _ in range(2 * WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=REQUEST_TIMEOUT)


def timed(session: Session, path: str, n: int, expect: int = 200) -> dict[str, Any]:
    """n sequential requests (after warming every worker and one more warm-up request),
    stopping early after PAGE_SECONDS; an answer other than `expect` counts as an error."""
    warm(session, path)
    times, errors = [], 0
    deadline = time.monotonic() + PAGE_SECONDS
    for i in range(n + 1):
        started = time.perf_counter()
        try:
            status, _body, _ = session.request("GET", path)
        except OSError:  # a timeout: counted as an error, at the timeout's length
            status = 0
            session.conn.close()
            session.conn = http.client.HTTPConnection(HOST, PORT, timeout=REQUEST_TIMEOUT)
        elapsed = (time.perf_counter() - started) * 1000
        if i > 0:  # the first request warms caches and is not counted
            times.append(elapsed)
            errors += status != expect
        if time.monotonic() > deadline:
            break
    times.sort()
    if not times:
        times = [elapsed]
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(p95, 1),
        "requests": len(times),
        "errors": errors,
    }


class Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        linked = (a.get("rel") or "") in ("stylesheet", "icon", "preload")
        if tag == "link" and linked and a.get("href"):
            self.urls.append(a["href"] or "")
        elif tag in ("script", "img") and a.get("src"):
            self.urls.append(a["src"] or "")


def first_load_bytes(session: Session, path: str) -> dict[str, int]:
    """Bytes on the wire for the page and what it links to, asked for as a browser does
    (accepting gzip and brotli: compressed where served so)."""
    _status, page, _ = session.request("GET", path, extra={"Accept-Encoding": "gzip, br"})
    packed = session.wire
    parser = Assets()
    parser.feed(page.decode("utf-8", "replace"))
    total, assets = len(packed), 0
    for url in parser.urls:
        if url.startswith(("http://", "https://", "//", "data:")):
            continue
        conn = http.client.HTTPConnection(HOST, PORT, timeout=REQUEST_TIMEOUT)
        conn.request("GET", url, headers={"Accept-Encoding": "gzip, br", "Host": f"{HOST}:{PORT}"})
        response = conn.getresponse()
        size = len(response.read())
        conn.close()
        total += size
        assets += 1
    return {
        "bytes": total,
        "html_bytes": len(packed),
        "html_bytes_uncompressed": len(page),
        "assets": assets,
    }


class FormFields(HTMLParser):
    """Every field of the report form as a browser would post it (Save draft)."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name")
        if tag == "input" and name:
            if a.get("type") == "checkbox" and "checked" not in a:
                return
            self.data[name] = a.get("value", "on" if a.get("type") == "checkbox" else "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None


@dataclass
class SaveStats:
    saves: int = 0
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
    elapsed = time.monotonic() - started
    found = {
        "clients": len(clients),
        "seconds": round(elapsed, 1),
        "saves": stats.saves,
        "saves_per_second": round(stats.saves / elapsed, 1),
        "errors": stats.errors,
        "error_samples": stats.messages,
    }
    if readers:
        reads = sorted(stats.reads)
        found["reads"] = len(reads)
        found["requests_per_second"] = round((stats.saves + len(reads)) / elapsed, 1)
        found["read_p95_ms"] = round(reads[round(0.95 * (len(reads) - 1))], 1) if reads else None
    return found


# Workbook --------------------------------------------------------------------------------------


def workbook(env: dict[str, str], setup: dict[str, Any]) -> dict[str, Any]:
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
    args = [PYTHON, "manage.py", "export_workbook"]
    text = help_run.stdout
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


# One scale -------------------------------------------------------------------------------------


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


def bench_scale(scale: str) -> dict[str, Any]:
    url = database_url(f"chitieu_bench_{scale}")
    env = server_env(url)
    result: dict[str, Any] = {"scale": scale}
    fresh = recreate_database(url)
    manage(env, "migrate", "--noinput", "-v0")
    if fresh:
        started = time.perf_counter()
        out = manage(env, "generate_data", "--scale", scale)
        result["generate_seconds"] = round(time.perf_counter() - started, 1)
        result["generate_output"] = out.strip()
        print(f"  {out.strip()}", flush=True)
    setup = django_side(env, "setup", str(SAVERS))
    result["data"] = {k: setup[k] for k in ("units", "cdcs", "values", "root", "province")}
    period = setup["year"]
    pages = {
        "overview": "/dashboards/",
        "indicator": f"/dashboards/indicator/{setup['indicator']}/",
        "unit": f"/dashboards/unit/{setup['unit_page']}/",
        "api": f"/api/v1/progress/?unit={setup['root']}&period={period}",
    }
    if setup["province"] != setup["root"]:
        province = setup["province"]
        pages["indicator_province"] = f"{pages['indicator']}?unit={province}"
        pages["api_province"] = f"/api/v1/progress/?unit={province}&period={period}"
    pages.update(extra_pages(pages))
    counts = django_side(env, "queries", *pages.values())
    sql = django_side(
        env,
        "sql",
        *(str(setup[k]) for k in ("root_pk", "unit_page_pk", "province_pk", "year")),
    )
    bare = {
        "overview": sql["root"]["term"],
        "indicator": sql["root"]["indicator"],
        "unit": sql["unit"]["term"],
        "api": sql["root"]["year"],
        "api_province": sql["province"]["year"],
        "indicator_province": sql["province"]["indicator"],
    }
    # Along today's tree and with submitted reports a page needs the same sums.
    bare.update({f"{k}_{mode}": bare[k] for k in list(bare) for mode in ("now", "provisional")})
    server = start_server(env)
    try:
        session = Session()
        session.login(setup["office"], setup["password"])
        # The fixed cost of a logged-in request that reads no figure (session, user,
        # middleware, a redirect): the login page sends a signed-in user on.
        result["floor"] = timed(session, "/accounts/login/", REQUESTS, expect=302)
        print(f"  floor (logged-in request, no figures): {result['floor']}", flush=True)
        result["pages"] = {}
        for name, path in pages.items():
            timing = timed(session, path, REQUESTS)
            timing["queries"] = counts[path]
            own = bare.get(name)
            timing["bare_sql_ms"] = own
            timing["page_to_sql"] = round(timing["median_ms"] / max(own, 0.01), 1) if own else None
            # Against the floor and the page's own SQL (budget: ≤ 2).
            floor = result["floor"]["median_ms"]
            timing["page_to_floor_sql"] = round(timing["median_ms"] / (floor + (own or 0)), 1)
            timing["url"] = path
            result["pages"][name] = timing
            print(f"  {name}: {timing}", flush=True)
        result["first_load"] = first_load_bytes(session, pages["overview"])
        result["saves"] = concurrent_saves(setup)
        print(f"  saves: {result['saves']}", flush=True)
        readers = [pages[k] for k in ("overview", "indicator", "unit", "api")]
        result["mixed"] = concurrent_saves(setup, readers=readers, office=setup["office"])
        print(f"  mixed load: {result['mixed']}", flush=True)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    result["workbook"] = workbook(env, setup)
    result["reorganisations"] = reorganisations(env) if scale == "national" else {}
    print(f"  reorganisations: {result['reorganisations']}", flush=True)
    return result


def extra_pages(pages: dict[str, str]) -> dict[str, str]:
    """Today's tree and provisional figures of the main pages, and the long lists."""
    extra = {}
    for name in ("overview", "indicator", "unit", "api"):
        path = pages[name]
        sep = "&" if "?" in path else "?"
        extra[f"{name}_now"] = f"{path}{sep}tree=as_now"
        extra[f"{name}_provisional"] = f"{path}{sep}provisional=1"
    extra["units_tree"] = "/units/"
    extra["api_units"] = "/api/v1/units/"
    extra["tracking"] = "/reports/tracking/"
    return extra


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


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        f"{'scale':9} {'page':22} {'median ms':>9} {'p95 ms':>8} {'queries':>7} "
        f"{'bare SQL ms':>11} {'page/SQL':>8} {'page/(floor+SQL)':>16}"
    ]
    for r in results:
        for name, p in r["pages"].items():
            lines.append(
                f"{r['scale']:9} {name:22} {p['median_ms']:>9} {p['p95_ms']:>8} "
                f"{p['queries']:>7} {p['bare_sql_ms'] or '–':>11} {p['page_to_sql'] or '–':>8} "
                f"{p['page_to_floor_sql']:>16}"
            )
    lines.append("")
    if len(results) > 1:
        first, last = results[0], results[-1]
        grown = [
            f"{name} {last['pages'][name]['median_ms'] / max(p['median_ms'], 0.01):.1f}×"
            for name, p in first["pages"].items()
            if name in last["pages"]
        ]
        lines.append(
            f"{last['scale']} against {first['scale']} ({last['data']['values']:,} values "
            f"against {first['data']['values']:,}), median page time: {', '.join(grown)}"
        )
    for r in results:
        floor = r.get("floor")
        if floor:
            lines.append(
                f"{r['scale']}: a logged-in request that reads no figure takes "
                f"{floor['median_ms']} ms (median)"
            )
    lines.append("")
    for r in results:
        s, w, f = r["saves"], r["workbook"], r["first_load"]
        saves = (
            f"{s['saves_per_second']}/s over {s['seconds']} s, {s['clients']} clients, "
            f"{s['errors']} errors"
            if "saves" in s
            else s.get("skipped")
        )
        book = f"{w['seconds']} s, {w['peak_mb']} MB" if "seconds" in w else w.get("skipped")
        m = r.get("mixed", {})
        if "reads" in m:
            lines.append(
                f"{r['scale']}: mixed load {m['clients']} clients: {m['requests_per_second']} "
                f"requests/s, read p95 {m['read_p95_ms']} ms, {m['errors']} errors"
            )
        for name, reorg in (r.get("reorganisations") or {}).items():
            if isinstance(reorg, dict) and "seconds" in reorg:
                lines.append(f"{r['scale']}: {name} ({reorg['units']} units) "
                             f"{reorg['seconds']} s, {reorg['queries']} queries")  # fmt: skip
        lines.append(f"{r['scale']}: saves {saves}; workbook {book}; "
                     f"overview first load {f['bytes'] / 1024:.1f} KiB ({f['assets']} files); "
                     f"data {r['data']}")  # fmt: skip
    return "\n".join(lines)


def budgets(results: list[dict[str, Any]]) -> dict[str, bool]:
    national = next((r for r in results if r["scale"] == "national"), None)
    checks: dict[str, bool] = {}
    if national:
        for page, p in national["pages"].items():
            checks[f"national {page} p95 ≤ {BUDGET_MS} ms"] = p["p95_ms"] <= BUDGET_MS
        reorgs = national.get("reorganisations") or {}
        for name, limit in (("move_cdcs", 5), ("dissolve_commune", 1)):
            if isinstance(reorgs.get(name), dict):
                checks[f"national {name} ≤ {limit} s"] = reorgs[name]["seconds"] <= limit
        w = national["workbook"]
        if "seconds" in w:
            checks["national workbook < 20 s and < 300 MB"] = bool(
                w["ok"] and w["seconds"] < 20 and (w["peak_mb"] or 0) < 300
            )
    if len(results) > 1:
        first, last = results[0]["pages"], results[-1]["pages"]
        checks["query counts independent of the number of units"] = all(
            first[p]["queries"] == last[p]["queries"] for p in first if p in last
        )
    for r in results:
        checks[f"{r['scale']} pages ≤ 2 × (floor + own SQL)"] = all(
            p["page_to_floor_sql"] <= 2 for p in r["pages"].values()
        )
        if "reads" in r.get("mixed", {}):
            checks[f"{r['scale']} zero errors under the mixed load"] = r["mixed"]["errors"] == 0
        if "errors" in r["saves"]:
            checks[f"{r['scale']} zero errors under concurrent saves"] = r["saves"]["errors"] == 0
    return checks


def main() -> None:
    database_url("check")
    if shutil.which("nice") is None:
        fail("nice is missing")
    scales = os.environ.get("BENCH_SCALES", "province national").split()
    manage(server_env(database_url("postgres")), "collectstatic", "--noinput", "-v0")
    results = []
    for scale in scales:
        print(f"== {scale}", flush=True)
        results.append(bench_scale(scale))
    checks = budgets(results)
    output = {
        "measured_at": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "machine": {"cpus": os.cpu_count()},
        "settings": {
            "requests": REQUESTS,
            "savers": SAVERS,
            "save_seconds": SAVE_SECONDS,
            "workers": WORKERS,
        },
        "results": results,
        "budgets": checks,
    }
    (ROOT / "bench-results.json").write_text(json.dumps(output, indent=2, ensure_ascii=False))
    print()
    print(table(results))
    print()
    for name, ok in checks.items():
        print(f"{'✓' if ok else '✗'} {name}")
    print("\nWritten to bench-results.json")


if __name__ == "__main__":
    main()
