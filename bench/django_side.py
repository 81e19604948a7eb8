"""The benchmark's in-process half: run with DATABASE_URL set, prints JSON on stdout.

python bench/django_side.py setup SAVERS     bench users, drafts for the save test, URLs
python bench/django_side.py queries URL...   SQL queries each page makes (test client)
python bench/django_side.py sql ROOT YEAR    the bare aggregate SQL the pages need, timed
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from reports.findings import report_entries  # noqa: E402
from reports.models import Assignment, Report, ReportingPeriod, Value  # noqa: E402
from reports.services import report_findings, report_reopen  # noqa: E402
from targets.models import Indicator, Programme  # noqa: E402
from unions.models import Unit, UnitKind  # noqa: E402

PASSWORD = "bench-password-not-secret-1"  # noqa: S105 - local benchmark accounts only
OFFICE = "bench_office"


def setup(savers: int) -> dict[str, Any]:
    """An office account, `savers` reporters each with a draft of their latest report."""
    programme = Programme.objects.get()
    root = programme.issuer
    assert root is not None
    office, _ = User.objects.get_or_create(
        username=OFFICE, defaults={"role": Role.OFFICE, "unit": root}
    )
    office.set_password(PASSWORD)
    office.save()
    today = timezone.localdate()
    last = ReportingPeriod.objects.filter(cutoff__lte=today).latest("cutoff")
    province = (
        Unit.objects.filter(kind=UnitKind.PROVINCE).exclude(pk=root.pk).order_by("code").first()
        or root
    )
    reporting = Assignment.objects.filter(unit__kind=UnitKind.COMMUNE, last_period=None).order_by(
        "unit__code"
    )
    reporters = _reporters(reporting[: savers * 3], last, savers, office)
    commune = reporting.first()
    indicator = Indicator.objects.filter(programme=programme).order_by("code").first()
    return {
        "password": PASSWORD,
        "office": OFFICE,
        "root": root.code,
        "root_pk": root.pk,
        "province": province.code,
        "province_pk": province.pk,
        "unit_page": _unit_page(root, province, commune),
        "unit_page_pk": Unit.objects.get(code=_unit_page(root, province, commune)).pk,
        "indicator": indicator.code if indicator else "A01",
        "year": last.year,
        "period": f"{last.year}Q{last.quarter}",
        "reporters": reporters,
        "units": Unit.objects.count(),
        "cdcs": Unit.objects.filter(kind=UnitKind.GRASSROOTS).count(),
        "values": Value.objects.count(),
    }


def _reporters(
    candidates: Iterable[Assignment], last: ReportingPeriod, savers: int, office: User
) -> list[dict[str, Any]]:
    """Up to `savers` reporter accounts, each on a unit whose report of `last` is a valid
    draft (reopened if need be)."""
    reporters: list[dict[str, Any]] = []
    for assignment in candidates:
        if len(reporters) == savers:
            break
        unit = assignment.unit
        report = Report.objects.filter(unit=unit, period=last, is_latest=True).first()
        if report is None:
            continue
        if not report.is_editable:
            report = report_reopen(report, reason="benchmark", actor=office)
        if not report_findings(report, report_entries(report)).ok:
            continue  # synthetic figures that fail validation would count as save errors
        name = f"bench_reporter_{len(reporters) + 1:02d}"
        user, _ = User.objects.get_or_create(
            username=name, defaults={"role": Role.REPORTER, "unit": unit}
        )
        user.unit, user.role = unit, Role.REPORTER
        user.set_password(PASSWORD)
        user.save()
        reporters.append({"username": name, "report": report.pk, "unit": unit.code})
    return reporters


def _unit_page(root: Unit, province: Unit, commune: Assignment | None) -> str:
    """A province's page at national scale; a commune union's at province scale."""
    if province != root:
        return province.code
    return commune.unit.code if commune else root.code


class _SqlClock:
    """Times every statement a request runs (`connection.execute_wrapper`), to the
    microsecond: the page's own SQL."""

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


def queries(urls: list[str], runs: int = 5) -> dict[str, dict[str, float]]:
    """Each page's queries, and the milliseconds its own SQL takes (median of `runs`
    requests, in process, after one that warms the caches as a running server has them)."""
    client = Client()
    client.force_login(User.objects.get(username=OFFICE))
    found: dict[str, dict[str, float]] = {}
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        count = len(ctx.captured_queries)  # before the next request empties Django's log
        spent = []
        for _ in range(runs):
            clock = _SqlClock()
            with connection.execute_wrapper(clock):
                client.get(url)
            spent.append(clock.seconds * 1000)
        found[url] = {
            "queries": count,
            "sql_ms": round(statistics.median(spent), 2),
        }
    return found


BARE = """
SELECT v.field_id, p.year, p.quarter, SUM(v.number), COUNT(*)
FROM reports_value v
JOIN reports_report r ON r.id = v.report_id AND r.in_force
JOIN reports_reportingperiod p ON p.id = r.period_id AND p.cutoff <= %(today)s {period}
JOIN unions_unitclosure c ON c.descendant_id = r.unit_id AND c.ancestor_id = %(root)s
     AND c.valid_from <= p.cutoff AND (c.valid_to IS NULL OR c.valid_to > p.cutoff)
{fields}
GROUP BY v.field_id, p.year, p.quarter
"""


# The indicator page also lists the indicator for every reporting unit below: the same sums
# grouped by the reporting unit above each report.
BREAKDOWN = """
SELECT c.ancestor_id, v.field_id, p.year, p.quarter, SUM(v.number), COUNT(*)
FROM reports_value v
JOIN reports_report r ON r.id = v.report_id AND r.in_force
JOIN reports_reportingperiod p ON p.id = r.period_id AND p.cutoff <= %(today)s
     AND p.year = %(year)s
JOIN unions_unitclosure c ON c.descendant_id = r.unit_id
     AND c.valid_from <= p.cutoff AND (c.valid_to IS NULL OR c.valid_to > p.cutoff)
JOIN unions_unitclosure t ON t.descendant_id = c.ancestor_id AND t.ancestor_id = %(root)s
     AND t.depth > 0
     AND t.valid_from <= p.cutoff AND (t.valid_to IS NULL OR t.valid_to > p.cutoff)
WHERE v.field_id = ANY(%(fields)s)
  AND c.ancestor_id IN (SELECT unit_id FROM reports_assignment WHERE scope <> 'province')
GROUP BY c.ancestor_id, v.field_id, p.year, p.quarter
"""


def bare_sql(root: int, year: int, runs: int = 15) -> dict[str, float]:
    """Milliseconds (median) of the sums each page needs, straight from raw values: by field
    and quarter over the unit's subtree for the term (dashboards), one year (API), and one
    indicator's two fields over the subtree and for each reporting unit in it (indicator
    page: the two queries' times added)."""
    indicator = Indicator.objects.order_by("code").first()
    assert indicator is not None
    fields = [indicator.numerator_id, indicator.denominator_id]
    variants = {
        "term": BARE.format(period="", fields=""),
        "year": BARE.format(period="AND p.year = %(year)s", fields=""),
        "indicator": BARE.format(
            period="AND p.year = %(year)s", fields="WHERE v.field_id = ANY(%(fields)s)"
        ),
        "breakdown": BREAKDOWN,
    }
    params: dict[str, Any] = {
        "today": timezone.localdate(),
        "root": root,
        "year": year,
        "fields": fields,
    }
    result = {}
    with connection.cursor() as cursor:
        for name, sql in variants.items():
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                cursor.execute(sql, params)
                cursor.fetchall()
                times.append((time.perf_counter() - started) * 1000)
            result[name] = round(statistics.median(times), 2)
    result["indicator"] = round(result["indicator"] + result.pop("breakdown"), 2)
    return result


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "setup":
        out: Any = setup(int(args[0]))
    elif command == "queries":
        out = queries(args)
    elif command == "sql":
        root, unit, province, year = (int(a) for a in args[:4])
        out = {
            "root": bare_sql(root, year),
            "unit": bare_sql(unit, year),
            "province": bare_sql(province, year),
        }
    else:
        raise SystemExit(__doc__)
    json.dump(out, sys.stdout)
