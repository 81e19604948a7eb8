"""The breakdown table writes its rows itself (for speed): they must be the rows
django-tables2's own template writes."""

import datetime as dt
import re

from django.test import RequestFactory

from dashboards.tables import BreakdownTable
from rollup.breakdown import indicator_breakdown
from rollup.engine import Mode, PeriodSpec
from targets.models import Indicator


def tbody(html: str) -> str:
    body = re.search(r"<tbody[^>]*>(.*)</tbody>", html, re.S).group(1)
    body = re.sub(r"\s+", " ", body)
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", body).replace("<tr >", "<tr>")


def test_breakdown_rows_are_the_rows_django_tables2_writes(reported, programme):
    indicator = Indicator.objects.get(programme=programme, code="A01")
    rows = indicator_breakdown(
        programme, indicator, PeriodSpec.parse("2025"), reported.province, Mode(dt.date(2026, 2, 1))
    )
    assert len(rows) >= 3
    request = RequestFactory().get("/dashboards/indicator/A01/?sort=-value")
    ours = BreakdownTable(rows, query="?tree=as_was", order_by="-value")
    stock = BreakdownTable(
        rows, query="?tree=as_was", order_by="-value", template_name="portal/table.html"
    )
    mine, theirs = tbody(ours.as_html(request)), tbody(stock.as_html(request))
    assert mine == theirs
    assert mine.count("<tr") == len(rows) and "Unit D1" in mine


def test_an_empty_breakdown_says_so(reported):
    request = RequestFactory().get("/")
    table = BreakdownTable([], empty_text="Nothing")
    assert 'colspan="6">Nothing</td>' in table.as_html(request)


def test_the_kind_column_names_each_units_kind_in_the_readers_language(reported, programme):
    from django.utils import translation

    indicator = Indicator.objects.get(programme=programme, code="A01")
    rows = indicator_breakdown(
        programme, indicator, PeriodSpec.parse("2025"), reported.province, Mode(dt.date(2026, 2, 1))
    )
    for language in ("en", "vi"):
        with translation.override(language):
            table = BreakdownTable(rows)
            names = [table.render_kind(r) for r in rows]
            assert names == [r.unit.get_kind_display() for r in rows], language
            assert all(name != r.unit.kind for name, r in zip(names, rows, strict=True))
