"""The tracking grid's cells, written directly instead of through the template engine.

A national page has 100 rows of 4 quarters; through the template each cell cost a dozen tags
and, on cells that may be reminded, an included form: about a third of the page's time. This
writes exactly what `tracking_grid.html`'s loop over a row's cells and
`notifications/_remind.html` wrote (`tests/reports/test_tracking_cells.py` compares the two):
the same Vietnamese texts, classes, links and hidden labels for screen readers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from accounts.models import User

from .tracking_grid import Cell, Row
from .tracking_rules import ABSENCE_LABELS, STATUS_LABELS, Absence, CellStatus, Timing

# A cell of these may be reminded (office staff, expected units).
REMINDED = frozenset({CellStatus.NOT_STARTED, CellStatus.DRAFT, CellStatus.RETURNED})


@dataclass(frozen=True)
class _Page:
    """What every cell of a page shares, escaped once: the remind form's opening (its action
    and CSRF token) and the page to come back to, or "" when the user may not remind; the
    report page's URL with "{}" for its id; the labels of statuses and absences."""

    remind: str
    back: str
    remind_label: str
    report_url: str
    labels: dict[CellStatus, str]
    absences: dict[Absence, str]
    days: dict[int, str] = field(default_factory=dict)  # numbers as written, as met


def rows_written(request: HttpRequest, rows: Iterable[Row]) -> list[tuple[Row, SafeString]]:
    """Each row with its cells' HTML (each value escaped as the template did)."""
    page = _page(request)
    return [(row, mark_safe("".join(_cell(row, c, page) for c in row.cells))) for row in rows]  # noqa: S308 - every value escaped


def _page(request: HttpRequest) -> _Page:
    user = request.user
    office = isinstance(user, User) and user.is_office
    action, token = reverse("notifications:remind"), get_token(request)
    opening = (
        f'<form method="post" action="{escape(action)}" class="remind"><input type="hidden" '
        f'name="csrfmiddlewaretoken" value="{escape(token)}">'
    )
    marker = str(2**62)  # a number no other part of the URL holds
    return _Page(
        remind=opening if office else "",
        back=escape(request.get_full_path()),
        remind_label=gettext("Remind"),
        report_url=reverse("reports:detail", args=[marker]).replace(marker, "{}"),
        labels={s: escape(str(label)) for s, label in STATUS_LABELS.items()},
        absences={a: escape(str(label)) for a, label in ABSENCE_LABELS.items()},
    )


def _cell(row: Row, cell: Cell, page: _Page) -> str:
    late = " late" if cell.is_late else ""
    label = page.labels[cell.status]
    if cell.report_id:
        label = f'<a href="{escape(page.report_url.format(cell.report_id))}">{label}</a>'
    absence = ""
    if cell.absence:
        absence = f'<br><small class="muted">{page.absences[cell.absence]}</small>'
    remind = ""
    if page.remind and cell.expected and cell.status in REMINDED:
        remind = _remind(row, cell, page)
    return (
        f'\n    <td class="cell {escape(cell.status)}{late}">\n'
        f'      <span class="sym" aria-hidden="true">{escape(cell.symbol)}</span> {label}\n'
        f"      {absence}\n      {_timing(cell, page)}\n      {remind}\n    </td>\n    "
    )


def _timing(cell: Cell, page: _Page) -> str:
    """The cell's line on its lateness (each but the last followed by the template's
    line break and indent)."""
    if cell.resent and cell.timing == Timing.ON_TIME:
        text = gettext("first sent on time")  # not inside the f-string: makemessages skips those
        return f"<br><small>{text}</small>\n      "
    if cell.resent and cell.timing == Timing.LATE:
        text = ngettext("first sent %(days)s day late", "first sent %(days)s days late", cell.days)
        return f'<br><small class="when">{text % {"days": _days(cell, page)}}</small>\n      '
    if cell.timing == Timing.ON_TIME:
        text = gettext("on time")
        return f"<br><small>{text}</small>\n      "
    if cell.timing == Timing.LATE:
        text = ngettext("%(days)s day late", "%(days)s days late", cell.days)
        return f'<br><small class="when">{text % {"days": _days(cell, page)}}</small>\n      '
    if cell.timing == Timing.OVERDUE:
        text = ngettext("overdue %(days)s day", "overdue %(days)s days", cell.days)
        return f'<br><small class="when">⚠ {text % {"days": _days(cell, page)}}</small>\n      '
    if cell.timing == Timing.NOT_DUE:
        text = gettext("not yet due")
        return f'<br><small class="muted">{text}</small>'
    return ""


def _days(cell: Cell, page: _Page) -> str:
    """The days late or overdue as the template wrote a number (localized: 1.234)."""
    if cell.days not in page.days:
        page.days[cell.days] = escape(localize(cell.days))
    return page.days[cell.days]


def _remind(row: Row, cell: Cell, page: _Page) -> str:
    """`notifications/_remind.html`: the office's button to remind the unit of the quarter."""
    unit, period = row.unit, cell.period
    return (
        f'{page.remind}<input type="hidden" name="unit" value="{escape(unit.code)}">'
        f'<input type="hidden" name="period" value="{period.pk}">'
        f'<input type="hidden" name="next" value="{page.back}">'
        f'<button type="submit" class="remind-button">{page.remind_label}'
        f'<span class="visually-hidden">: {escape(unit.name)}, {escape(period.label)}</span>'
        "</button></form>\n"
    )
