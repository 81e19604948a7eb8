"""The benchmark's HTTP side: a logged-in session over http.client, timed page requests, the
bytes of a first load, and the report form's fields as a browser posts them."""

from __future__ import annotations

import gzip
import http.client
import re
import statistics
import threading
import time
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode

from bench.options import HOST, PAGE_SECONDS, PORT, REQUEST_TIMEOUT, WORKERS, fail


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
