"""The tracking grid's cells written in Python (`reports.tracking_cells`) are the HTML the
template wrote, for every kind of cell, for office staff (with the remind button) and the
Standing Committee (without), in Vietnamese and in English."""

import datetime as dt
import itertools
import re

import pytest
from django.template import engines
from django.test import RequestFactory
from django.utils import translation

from accounts.models import Role, User
from reports.models import ReportingPeriod
from reports.tracking_cells import rows_written
from reports.tracking_grid import Cell, Row
from reports.tracking_rules import Absence, CellStatus, Timing
from unions.models import Unit, UnitKind

# The loop over a row's cells in `tracking_grid.html` and `notifications/_remind.html` (in
# place of its include) as they were before the cells were written in Python.
TEMPLATE = (
    "{% load i18n l10n %}"
    "{% for cell in row.cells %}\n"
    '    <td class="cell {{ cell.status }}{% if cell.is_late %} late{%'
    ' endif %}">\n'
    '      <span class="sym" aria-hidden="true">{{ cell.symbol }}</span>'
    " {% if cell.report_id %}<a href=\"{% url 'reports:detail'"
    ' cell.report_id %}">{{ cell.label }}</a>{% else %}{{ cell.label }}{%'
    " endif %}\n"
    '      {% if cell.absence %}<br><small class="muted">{{'
    " cell.absence_label }}</small>{% endif %}\n"
    '      {% if cell.resent and cell.timing == "on_time" %}<br><small>{%'
    ' translate "first sent on time" %}</small>\n'
    '      {% elif cell.resent and cell.timing == "late" %}<br><small'
    ' class="when">{% blocktranslate count days=cell.days %}first sent {{'
    " days }} day late{% plural %}first sent {{ days }} days late{%"
    " endblocktranslate %}</small>\n"
    '      {% elif cell.timing == "on_time" %}<br><small>{% translate "on'
    ' time" %}</small>\n'
    '      {% elif cell.timing == "late" %}<br><small class="when">{%'
    " blocktranslate count days=cell.days %}{{ days }} day late{% plural"
    " %}{{ days }} days late{% endblocktranslate %}</small>\n"
    '      {% elif cell.timing == "overdue" %}<br><small class="when">⚠ {%'
    " blocktranslate count days=cell.days %}overdue {{ days }} day{%"
    " plural %}overdue {{ days }} days{% endblocktranslate %}</small>\n"
    '      {% elif cell.timing == "not_due" %}<br><small class="muted">{%'
    ' translate "not yet due" %}</small>{% endif %}\n'
    "      {% if user.is_office and cell.expected %}{% if cell.status =="
    ' "not_started" or cell.status == "draft" or cell.status == "returned"'
    ' %}{% with unit=row.unit period=cell.period %}<form method="post"'
    ' action="{% url \'notifications:remind\' %}" class="remind">{%'
    ' csrf_token %}<input type="hidden" name="unit" value="{{ unit.code'
    ' }}"><input type="hidden" name="period" value="{{'
    ' period.pk|unlocalize }}"><input type="hidden" name="next" value="{{'
    ' request.get_full_path }}"><button type="submit"'
    ' class="remind-button">{% translate "Remind" %}<span'
    ' class="visually-hidden">: {{ unit.name }}, {{ period.label'
    " }}</span></button></form>\n"
    "{% endwith %}{% endif %}{% endif %}\n"
    "    </td>\n"
    "    {% endfor %}"
)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _cells(period: ReportingPeriod) -> list[Cell]:
    """Every status with every timing, sent again or not, expected or why not, with a report
    or not, for 1, 2 and 1,234 days (the thousands separator)."""
    cells = []
    kinds = itertools.product(CellStatus, Timing, (False, True), (None, *Absence), (None, 41))
    for n, (status, timing, resent, absence, report) in enumerate(kinds):
        days = (1, 2, 1234)[n % 3]
        expected = absence is None
        cells.append(Cell(period, expected, status, timing, days, report, absence, resent))
    return cells


def _written(user: User, language: str) -> tuple[str, str]:
    unit = Unit(pk=5, code="T01-X<1>", name='Công đoàn "Xã & Phường"', kind=UnitKind.COMMUNE)
    period = ReportingPeriod(
        pk=1234, year=2025, quarter=3, cutoff=dt.date(2025, 9, 30), due=dt.date(2025, 10, 15)
    )
    row = Row(unit, _cells(period))
    request = RequestFactory().get("/reports/tracking/", {"status": "late", "unit": "<x>"})
    request.user = user
    with translation.override(language):
        old = engines["django"].from_string(TEMPLATE).render({"row": row}, request)
        [(_row, new)] = rows_written(request, [row])
    return TOKEN.sub("TOKEN", old), TOKEN.sub("TOKEN", new)


@pytest.mark.django_db  # the template's context processors read the database
def test_the_cells_are_the_templates_for_office_staff_and_the_committee():
    for role in (Role.OFFICE, Role.COMMITTEE):
        for language in ("vi", "en"):
            old, new = _written(User(username="u", role=role), language)
            assert new == old, (role, language)
            # The data exercises what may differ: the remind button (office staff only),
            # escaped names, a report's link, plurals and the thousands separator.
            office = role == Role.OFFICE
            assert ("remind-button" in new) is office and "/reports/41/" in new
            assert ("&quot;Xã &amp; Phường&quot;" in new and "X&lt;1&gt;" in new) is office
            assert ("&amp;unit=%3Cx%3E" in new) is office  # the page to come back to
            thousands, late = ("1.234", "muộn 2 ngày") if language == "vi" else ("1,234", "2 days")
            assert thousands in new and late in new
