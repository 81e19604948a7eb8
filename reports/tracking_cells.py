"""The tracking grid's cells, written directly instead of through the template engine.

A national page has 100 rows of 4 quarters; through the template each cell cost a dozen tags
and, on cells that may be reminded, an included form: about a third of the page's time. This
writes exactly what `tracking_grid.html`'s loop over a row's cells and
`notifications/_remind.html` wrote (`tests/reports/test_tracking_cells.py` compares the two):
the same Vietnamese texts, classes, links and hidden labels for screen readers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from accounts.models import User

from .tracking_grid import Cell, Row
from .tracking_rules import CellStatus, Timing

# A cell of these may be reminded (office staff, expected units).
REMINDED = frozenset({CellStatus.NOT_STARTED, CellStatus.DRAFT, CellStatus.RETURNED})


@dataclass(frozen=True)
class _Page:
    """What every cell of a page shares, escaped once: the remind form's opening (its action
    and CSRF token) and the page to come back to, or "" when the user may not remind."""

    remind: str
    back: str
    remind_label: str


def rows_written(request: HttpRequest, rows: Iterable[Row]) -> list[tuple[Row, SafeString]]:
    """Each row with its cells' HTML (each value escaped as the template did)."""
    user = request.user
    office = isinstance(user, User) and user.is_office
    page = _Page(
        remind=(
            f'<form method="post" action="{escape(reverse("notifications:remind"))}" '
            f'class="remind"><input type="hidden" name="csrfmiddlewaretoken" '
            f'value="{escape(get_token(request))}">'
        )
        if office
        else "",
        back=escape(request.get_full_path()),
        remind_label=gettext("Remind"),
    )
    return [(row, mark_safe("".join(_cell(row, c, page) for c in row.cells))) for row in rows]  # noqa: S308 - every value escaped


def _cell(row: Row, cell: Cell, page: _Page) -> str:
    late = " late" if cell.is_late else ""
    label: str = escape(cell.label)
    if cell.report_id:
        url = escape(reverse("reports:detail", args=[cell.report_id]))
        label = f'<a href="{url}">{label}</a>'
    absence = (
        f'<br><small class="muted">{escape(cell.absence_label)}</small>' if cell.absence else ""
    )
    remind = ""
    if page.remind and cell.expected and cell.status in REMINDED:
        remind = _remind(row, cell, page)
    return (
        f'\n    <td class="cell {escape(cell.status)}{late}">\n'
        f'      <span class="sym" aria-hidden="true">{escape(cell.symbol)}</span> {label}\n'
        f"      {absence}\n      {_timing(cell)}\n      {remind}\n    </td>\n    "
    )


def _timing(cell: Cell) -> str:
    """The cell's line on its lateness (each but the last followed by the template's
    line break and indent)."""
    days = escape(localize(cell.days))
    if cell.resent and cell.timing == Timing.ON_TIME:
        return f"<br><small>{gettext('first sent on time')}</small>\n      "
    if cell.resent and cell.timing == Timing.LATE:
        text = ngettext("first sent %(days)s day late", "first sent %(days)s days late", cell.days)
        return f'<br><small class="when">{text % {"days": days}}</small>\n      '
    if cell.timing == Timing.ON_TIME:
        return f"<br><small>{gettext('on time')}</small>\n      "
    if cell.timing == Timing.LATE:
        text = ngettext("%(days)s day late", "%(days)s days late", cell.days)
        return f'<br><small class="when">{text % {"days": days}}</small>\n      '
    if cell.timing == Timing.OVERDUE:
        text = ngettext("overdue %(days)s day", "overdue %(days)s days", cell.days)
        return f'<br><small class="when">⚠ {text % {"days": days}}</small>\n      '
    if cell.timing == Timing.NOT_DUE:
        return f'<br><small class="muted">{gettext("not yet due")}</small>'
    return ""


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
