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

The parts: `client` (the HTTP session, timed requests, first-load bytes), `load` (concurrent
saves, the mixed load), `processes` (databases, manage.py, gunicorn, the workbook, the
reorganisations), `report` (the table, the budgets), `options` (the settings below).

Prints a table and writes bench-results.json. Only 127.0.0.1 is contacted; every loop is
bounded in count and time. Settings (environment): DATABASE_URL (PostgreSQL, required; its
server and credentials are used, its database name is not), BENCH_SCALES ("province national"),
BENCH_REQUESTS (30), BENCH_SAVERS (20), BENCH_SAVE_SECONDS (60), BENCH_WORKERS (4),
BENCH_PORT (a free one), BENCH_TIMEOUT (120 s a request), BENCH_PAGE_SECONDS (120 s of
sampling a page), BENCH_REUSE=1 (keep an existing generated database).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

# Run as a script (python bench/run.py): the repository, not bench/, is where bench is found.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.client import Session, first_load_bytes, timed
from bench.load import concurrent_saves
from bench.options import REQUESTS, ROOT, SAVE_SECONDS, SAVERS, WORKERS, fail
from bench.processes import (
    database_url,
    django_side,
    manage,
    recreate_database,
    reorganisations,
    server_env,
    start_server,
    stop_server,
    workbooks,
)
from bench.report import budgets, table


def bench_scale(scale: str) -> dict[str, Any]:
    url = database_url(f"chitieu_bench_{scale}")
    env = server_env(url)
    result: dict[str, Any] = {"scale": scale}
    fresh = recreate_database(url)
    manage(env, "migrate", "--noinput", "-v0")
    if fresh:
        generated(env, scale, result)
    setup = django_side(env, "setup", str(SAVERS))
    result["data"] = {k: setup[k] for k in ("units", "cdcs", "values", "root", "province")}
    pages = scale_pages(setup)
    counts = django_side(env, "queries", *pages.values())
    bare = bare_sql(env, setup)
    server = start_server(env)
    try:
        served(result, setup, pages, counts, bare)
    finally:
        stop_server(server)
    result["workbooks"] = workbooks(env, setup)
    result["workbook"] = result["workbooks"]["approved"]
    result["reorganisations"] = reorganisations(env) if scale == "national" else {}
    print(f"  reorganisations: {result['reorganisations']}", flush=True)
    return result


def generated(env: dict[str, str], scale: str, result: dict[str, Any]) -> None:
    """`generate_data` on the fresh database: its time and summary."""
    started = time.perf_counter()
    out = manage(env, "generate_data", "--scale", scale)
    result["generate_seconds"] = round(time.perf_counter() - started, 1)
    result["generate_output"] = out.strip()
    print(f"  {out.strip()}", flush=True)


def scale_pages(setup: dict[str, Any]) -> dict[str, str]:
    """The pages measured, by name: the main pages (and a province's, below a national root),
    then those of `extra_pages`."""
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
    return pages


def bare_sql(env: dict[str, str], setup: dict[str, Any]) -> dict[str, float]:
    """Milliseconds of the bare aggregate SQL each page needs, by page name."""
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
    return bare


def served(
    result: dict[str, Any],
    setup: dict[str, Any],
    pages: dict[str, str],
    counts: dict[str, dict[str, float]],
    bare: dict[str, float],
) -> None:
    """What is measured over HTTP while gunicorn runs, into `result`."""
    session = Session()
    session.login(setup["office"], setup["password"])
    # The fixed cost of a logged-in request that reads no figure (session, user,
    # middleware, a redirect): the login page sends a signed-in user on.
    result["floor"] = timed(session, "/accounts/login/", REQUESTS, expect=302)
    print(f"  floor (logged-in request, no figures): {result['floor']}", flush=True)
    result["pages"] = {}
    for name, path in pages.items():
        timing = timed(session, path, REQUESTS)
        timing["queries"] = counts[path]["queries"]
        timing["own_sql_ms"] = own = counts[path]["sql_ms"]
        raw = bare.get(name)
        timing["bare_sql_ms"] = raw
        timing["page_to_sql"] = round(timing["median_ms"] / max(raw, 0.01), 1) if raw else None
        # Against the floor and the SQL the page itself runs (budget: ≤ 2).
        floor = result["floor"]["median_ms"]
        timing["page_to_floor_sql"] = round(timing["median_ms"] / (floor + own), 1)
        timing["url"] = path
        result["pages"][name] = timing
        print(f"  {name}: {timing}", flush=True)
    result["first_load"] = first_load_bytes(session, pages["overview"])
    result["saves"] = concurrent_saves(setup)
    print(f"  saves: {result['saves']}", flush=True)
    readers = [pages[k] for k in ("overview", "indicator", "unit", "api")]
    result["mixed"] = concurrent_saves(setup, readers=readers, office=setup["office"])
    print(f"  mixed load: {result['mixed']}", flush=True)


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
    # The grid filtered by status (every working revision of the quarters is weighed) and a
    # unit search, as the office uses them.
    extra["tracking_late"] = "/reports/tracking/?status=late"
    extra["units_search"] = "/units/search/?q=T01-X00"
    return extra


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
