"""Every figure the API and the workbook give, as one JSON file, to compare before and after a
change that must not move a figure (issue 19):

    DATABASE_URL=sqlite:////tmp/figures-demo.sqlite3 \\
        .venv/bin/python scripts/figures_snapshot.py OUT.json [--all] [--provisional]

It reads `/api/v1/progress/` (without `as_of`) for every unit and both trees over the term and
this year, and over every year and quarter of the term for the units above communes and CĐCS
(`--all`: every period for every unit, about 21,000 answers: hours), and each programme's targets,
as an office account; and every cell of a few workbooks (`sheet!cell`) at a fixed generation
time. `--provisional`: the same with the reports awaiting approval (`include=provisional`).
It writes nothing: all runs in a transaction rolled back. Keys are sorted, to diff.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import sys
import warnings
from pathlib import Path
from typing import Any

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")  # the test client speaks plain HTTP
django.setup()

from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from dashboards.workbook import workbook_write  # noqa: E402
from dashboards.workbook_data import WorkbookError, WorkbookRequest  # noqa: E402
from targets.models import Programme  # noqa: E402
from targets.programmes import programmes_shown  # noqa: E402
from unions.models import Unit, UnitKind  # noqa: E402

TREES = ("as_was", "as_now")
PROVISIONAL = "--provisional" in sys.argv[2:]
GENERATED = dt.datetime(2026, 1, 1, 8, 0, tzinfo=dt.UTC)


def periods(programme: Programme, every: bool) -> list[str]:
    """The term and this year; with `every`, each year and quarter of the term too."""
    years = range(programme.term_start.year, programme.term_end.year + 1)
    if not every:
        return ["term", str(min(timezone.localdate().year, years[-1]))]
    return [*map(str, years), *(f"{y}Q{q}" for y in years for q in range(1, 5)), "term"]


def _get(client: Client, url: str, **query: str) -> dict[str, Any]:
    response = client.get(url, query)
    body: dict[str, Any] = json.loads(response.content)
    body.pop("as_of", None)
    return {"status": response.status_code, "body": body}


def api_figures(client: Client, programme: Programme, units: dict[str, bool]) -> dict[str, Any]:
    """The programme's targets and its progress for each unit (over every period when the
    unit maps to True), period and tree."""
    found: dict[str, Any] = {"programme": _get(client, f"/api/v1/programmes/{programme.code}/")}
    for unit, every in sorted(units.items()):
        for period in periods(programme, every):
            for tree in TREES:
                query = {"unit": unit, "period": period, "tree": tree, "programme": programme.code}
                if PROVISIONAL:
                    query["include"] = "provisional"
                found[f"{unit}|{period}|{tree}"] = _get(client, "/api/v1/progress/", **query)
    return found


def workbook_cells(programme: Programme, year: int, quarter: int | None, tree: str) -> Any:
    """Every non-empty cell of the workbook, keyed `sheet!A1` (or the refusal's text)."""
    req = WorkbookRequest(
        programme=programme,
        year=year,
        quarter=quarter,
        tree=tree,
        provisional=PROVISIONAL,
        today=timezone.localdate(),
        author="figures_snapshot",
        generated=GENERATED,
    )
    stream = io.BytesIO()
    try:
        workbook_write(req, stream)
    except WorkbookError as exc:
        return {"refused": str(exc)}
    book = load_workbook(stream, read_only=True)
    return {
        f"{sheet.title}!{cell.coordinate}": cell.value
        if isinstance(cell.value, int | float | str)
        else str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None and hasattr(cell, "coordinate")
    }


def workbook_choices(programme: Programme) -> list[tuple[int, int | None, str]]:
    """A few workbooks: the last three years of the term to date, and a fourth quarter."""
    last = min(programme.term_end.year, timezone.localdate().year)
    years = [y for y in range(last - 2, last + 1) if y >= programme.term_start.year]
    return [(y, None, "as_was") for y in years] + [(last - 1, 4, "as_now")]


def units_read(every: bool) -> dict[str, bool]:
    """Every unit's code, and whether all its periods are read."""
    leaves = {UnitKind.COMMUNE, UnitKind.GRASSROOTS, UnitKind.OCCUPATIONAL}
    rows = Unit.objects.values_list("code", "kind")
    return {code: every or kind not in leaves for code, kind in rows}


def snapshot(units: dict[str, bool]) -> dict[str, Any]:
    """Every figure, read as the first office account (rolled back: nothing is written)."""
    office = User.objects.filter(role=Role.OFFICE, is_active=True).order_by("pk").first()
    assert office is not None, "no office account"
    found: dict[str, Any] = {}
    with transaction.atomic():
        client = Client()
        client.force_login(office)
        for programme in programmes_shown().order_by("code"):
            found[f"api|{programme.code}"] = api_figures(client, programme, units)
            for year, quarter, tree in workbook_choices(programme):
                key = f"workbook|{programme.code}|{year}|{quarter or ''}|{tree}"
                found[key] = workbook_cells(programme, year, quarter, tree)
        transaction.set_rollback(True)
    return found


def main(out: str, every: bool) -> None:
    warnings.filterwarnings("ignore", "No directory at")  # no collectstatic: no pages
    setup_test_environment()
    data = snapshot(units_read(every))
    Path(out).write_text(json.dumps(data, sort_keys=True, indent=1, ensure_ascii=False))
    print(f"wrote {out}: {sum(len(v) for v in data.values())} entries")


if __name__ == "__main__":
    main(sys.argv[1], "--all" in sys.argv[2:])
