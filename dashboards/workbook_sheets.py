"""The workbook's sheets by reporting unit, the narratives and the members (see `workbook`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from briefing.selectors import GroupTexts, grouped, syntheses
from lib.formats import day
from reports.periods import quarter_label
from rollup.engine import counts_toward
from targets.models import Display, FieldGroup, IndicatorKind
from unions.models import Unit

from . import selectors as sel
from . import workbook_labels as labels
from .templatetags.figures import num, target
from .workbook_cells import (
    COUNT,
    COUNT_CHANGE,
    LINE_HEIGHT,
    Sheet,
    font,
    sheet_setup,
    text_lines,
)
from .workbook_data import Contents, GroupBreakdown, group_breakdowns, narratives

SHEET_NARRATIVES = "Thuyết minh"
SHEET_MEMBERS = "Đoàn viên"


# --- one sheet per group of indicators ----------------------------------------------------


def breakdown_sheets(book: Workbook, contents: Contents) -> None:
    for group in group_breakdowns(contents):
        breakdown_sheet(book, contents, group)


def _columns(group: GroupBreakdown) -> list[float]:
    widths: list[float] = [34, 22]
    for indicator in group.indicators:
        widths += [14] if indicator.display == Display.COUNT else [11, 10, 10]
    return widths


def _group_label(code: str) -> str:
    found = FieldGroup.objects.filter(code=code).first()
    return found.label if found is not None else code


def breakdown_sheet(book: Workbook, contents: Contents, group: GroupBreakdown) -> None:
    widths = _columns(group)
    sheet = sheet_setup(
        book.create_sheet(group.sheet), widths, header_row=3, last_header_row=4, freeze="C5",
        demo=contents.demo,
    )  # fmt: skip
    kinds = {i.kind for i in group.indicators}
    scopes = [labels.annual_scope(contents)] if IndicatorKind.ANNUAL in kinds else []
    scopes += [labels.term_scope(contents)] if IndicatorKind.TERM in kinds else []
    heading = _("%(group)s: by reporting unit") % {"group": _group_label(group.group)}
    sheet.title(heading.upper(), " · ".join([*scopes, labels.data_label(contents)]))
    province = {r.code: r for r in contents.annual.results if r.indicator.kind == "annual"}
    province |= {r.code: r for r in contents.term.results if r.indicator.kind == "term"}
    _indicator_header(sheet, group, province)
    kind_labels = _kind_labels()
    for unit in group.units:
        name = _unit_name(unit, group.results[unit.pk], province)
        kind = kind_labels.get(unit.kind, unit.kind)
        cells = [sheet.text(name, wrap=True), sheet.text(kind, wrap=True)]
        for indicator in group.indicators:
            cells += _figures(sheet, indicator, group.results[unit.pk].get(indicator.code))
        sheet.append(cells)
    total = [sheet.text(contents.province.name, bold=True), sheet.text(_("whole province"))]
    for indicator in group.indicators:
        total += _figures(sheet, indicator, province.get(indicator.code), bold=True)
    sheet.append(total)
    sheet.blank()
    sheet.note(labels.legend())
    sheet.note(_cell_note())


def _kind_labels() -> dict[str, str]:
    """Each kind of unit's label, as `get_kind_display` gives it, translated once per sheet
    rather than once per row."""
    return {value: str(label) for value, label in Unit._meta.get_field("kind").flatchoices}


def _unit_name(unit: Any, results: dict[str, Any], province: dict[str, Any]) -> str:
    """The unit's name, with its last day when it closed, and the figures of another quarter
    than the province's (a unit closed since, a report not in): those are not part of the
    whole province's row, and the row says which, as the page does."""
    name: str = unit.name
    if unit.last_day is not None:
        name += " " + _("(until %(day)s)") % {"day": day(unit.last_day)}
    apart = [
        f"{code} ({quarter_label(*r.quarter)})"
        for code, r in results.items()
        if code in province
        and r.numerator is not None
        and r.quarter
        and not counts_toward(r, province[code])
    ]
    if apart:
        name += " — " + _("not added to the total: %(figures)s") % {"figures": ", ".join(apart)}
    return name


def _indicator_header(sheet: Sheet, group: GroupBreakdown, province: dict[str, Any]) -> None:
    top: list[Any] = [_head(sheet, _("Reporting unit")), _head(sheet, _("Kind"))]
    below: list[Any] = [_head(sheet, ""), _head(sheet, "")]
    merges = []
    column, lines = 3, 1
    for indicator in group.indicators:
        result = province.get(indicator.code)
        aim = _("target %(target)s") % {"target": target(result)} if result else ""
        label = f"{indicator.code}. {indicator.name} ({aim})"
        top.append(_head(sheet, label))
        span = sum(sheet.widths[column - 1 : column + 2]) - 1.5
        lines = max(lines, text_lines(label, span))
        if indicator.display == Display.COUNT:
            below.append(_head(sheet, _("Value")))
            column += 1
            continue
        top += [_head(sheet, ""), _head(sheet, "")]
        below += [_head(sheet, label) for label in (_("Value"), _("Numerator"), _("Denominator"))]
        merges.append(f"{get_column_letter(column)}3:{get_column_letter(column + 2)}3")
        column += 3
    sheet.ws.row_dimensions[sheet.rows + 1].height = lines * LINE_HEIGHT + 4
    sheet.append(top, measure=False)
    sheet.append(below)
    for ref in ["A3:A4", "B3:B4", *merges]:
        sheet.ws.merged_cells.add(ref)


def _head(sheet: Sheet, text: str) -> Any:
    return sheet.head(text)


def _figures(sheet: Sheet, indicator: Any, result: Any, bold: bool = False) -> list[Any]:
    display = indicator.display
    bold_font = {"font": font(bold=True)} if bold else {}
    if result is None:
        return [sheet.number(None) for _ in range(1 if display == Display.COUNT else 3)]
    value = labels.value_cell(sheet, result, **bold_font)
    if display == Display.COUNT:
        return [value]
    return [
        value,
        sheet.number(result.numerator, **bold_font),
        sheet.number(result.denominator, **bold_font),
    ]


def _cell_note() -> str:
    return _(
        "Each value shows its status symbol and colour. A unit with “until” closed during the "
        "period; its figures are those it reported while it existed. The rows add up to the "
        "whole province's figure, except the figures a row names as not added (of another "
        "quarter). Indicators that only the provincial office reports are on the summary sheet."
    )


# --- narratives ---------------------------------------------------------------------------

NARRATIVE_WIDTHS = [8, 22, 86, 50]


def narratives_sheet(book: Workbook, contents: Contents) -> None:
    """Per task group: the office's synthesis, then each distinct text the units wrote, once,
    with the units that wrote it named together."""
    sheet = sheet_setup(
        book.create_sheet(SHEET_NARRATIVES), NARRATIVE_WIDTHS, header_row=3, freeze="C4",
        demo=contents.demo,
    )  # fmt: skip
    last = contents.last_period
    quarter = labels.quarter_label(labels.period_key(last))
    sheet.title(
        _("NARRATIVES OF THE REPORTING UNITS, %(quarter)s") % {"quarter": quarter.upper()},
        labels.data_label(contents),
    )
    sheet.header([_("Group"), _("Part"), _("Text"), _("Reporting units")])
    groups = grouped(narratives(last, contents.request.provisional))
    written = syntheses(contents.request.programme, [last] if last else [])
    codes = sorted({g.code for g in groups} | set(written), key=_group_order(groups, written))
    for code in codes:
        group = next((g for g in groups if g.code == code), None)
        title = group.title if group else f"{code}. {written[code].task_group.title}"
        sheet.section(_short(title, 160))
        if code in written:
            _synthesis_rows(sheet, code, written[code])
        for shared in group.texts if group else []:
            sheet.append(
                [
                    sheet.text(code),
                    sheet.text(str(PART_WORDS[shared.part]), wrap=True),
                    sheet.text(shared.text, wrap=True),
                    sheet.text(_unit_names(shared.units), wrap=True),
                ]
            )
    if not codes:
        sheet.append([sheet.text(_("No reporting unit wrote a narrative for this quarter."))])


PART_WORDS = {
    "results": gettext_lazy("Results"),
    "shortfalls": gettext_lazy("Shortfalls"),
    "next_steps": gettext_lazy("Next steps"),
}


def _group_order(groups: list[GroupTexts], written: dict[str, Any]) -> Any:
    order = {g.code: g.order for g in groups}
    order |= {code: s.task_group.order for code, s in written.items()}
    return lambda code: order.get(code, 0)


def _synthesis_rows(sheet: Sheet, code: str, synthesis: Any) -> None:
    for part, words in PART_WORDS.items():
        text = getattr(synthesis, part)
        if text:
            sheet.append(
                [
                    sheet.text(code),
                    sheet.text(_("Province's synthesis: %(part)s") % {"part": words}, bold=True),
                    sheet.text(text, wrap=True, bold=True),
                    sheet.text(_("Provincial office"), wrap=True),
                ]
            )


def _unit_names(units: list[Any]) -> str:
    names = ", ".join(u.name for u in units)
    return (
        _("%(n)s units: %(names)s") % {"n": len(units), "names": names} if len(units) > 1 else names
    )


def _short(title: str, size: int = 64) -> str:
    """A task group's code and the start of its title: the full titles are in the programme."""
    return title if len(title) <= size else title[:size].rsplit(" ", 1)[0] + " …"


# --- members ------------------------------------------------------------------------------

MEMBER_WIDTHS = [10, 13, 14, 13, 16, 16, 52]
NOTES = {
    "2025Q2": gettext_lazy("State-budget CĐCS dissolved (15/06/2025)"),
    "2025Q3": gettext_lazy("District federations dissolved; commune/ward unions from 01/07/2025"),
}


def members_sheet(book: Workbook, contents: Contents) -> None:
    req = contents.request
    programme = req.programme
    data = sel.membership(
        programme,
        contents.province,
        tree=req.tree,
        provisional=req.provisional,
        today=contents.term_today,
    )
    # Every quarter to the end of the term, so the chart's axis is time at an even pace and
    # the path to the target runs to its end; quarters still ahead have no members yet.
    shown = [q for q in data.quarters if q.cutoff <= programme.term_end]
    sheet = sheet_setup(
        book.create_sheet(SHEET_MEMBERS), MEMBER_WIDTHS, header_row=3, freeze="B4",
        demo=contents.demo,
    )  # fmt: skip
    sheet.title(_("UNION MEMBERS BY QUARTER AGAINST THE PATH TO THE TARGET"), _members_line(data))
    sheet.header(
        [
            _("Quarter"),
            _("Cut-off"),
            _("Members"),
            pgettext("figure", "Change"),
            _("Path to the target"),
            _("Projection of the trend"),
            _("Note"),
        ]
    )
    for q in shown:
        sheet.append(_member_row(sheet, q))
    sheet.blank()
    sheet.note(_dissolution_note())
    if shown:
        # The chart on a page of its own, rather than cut in two by the page's end.
        sheet.ws.row_breaks.append(Break(id=sheet.rows))
        sheet.ws.add_chart(_chart(sheet, len(shown)), f"A{sheet.rows + 2}")


def _member_row(sheet: Sheet, q: sel.MembershipQuarter) -> list[Any]:
    missing = (
        _("%(reports)s of %(expected)s reports: left out of the trend")
        % {"reports": q.reports, "expected": q.expected}
        if q.incomplete
        else ""
    )
    note = "; ".join(n for n in (missing, str(NOTES.get(q.code, ""))) if n)
    return [
        sheet.text(q.label),
        sheet.text(day(q.cutoff)),
        sheet.number(q.members, COUNT),
        sheet.number(q.change, COUNT_CHANGE),
        sheet.number(round(q.path) if q.path is not None else None, COUNT),
        sheet.number(_members_forecast(q.projected), COUNT),
        sheet.text(note, wrap=True),
    ]


def _members_forecast(projected: Any) -> int | None:
    """The trend read at a quarter; a straight line may run below no members, never shown."""
    return None if projected is None else max(0, round(projected))


def _members_line(data: sel.Membership) -> str:
    if data.target is None:
        return ""
    return _("Target: %(n)s members by the end of the term") % {"n": num(data.target)}


def _chart(sheet: Sheet, count: int) -> LineChart:
    chart = LineChart()
    chart.title = _("Members against the path to the target")
    chart.y_axis.title = _("Members")
    chart.y_axis.number_format = COUNT
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.height, chart.width = 12, 26
    chart.y_axis.scaling.min = 0
    first, last = 3, 3 + count
    for column in (3, 5, 6):  # members, path, projection
        chart.add_data(
            Reference(sheet.ws, min_col=column, min_row=first, max_row=last), titles_from_data=True
        )
    chart.set_categories(Reference(sheet.ws, min_col=1, min_row=first + 1, max_row=last))
    for series in chart.series:
        series.smooth = False  # a curve would invent figures between quarters
    chart.series[1].graphicalProperties.line.dashStyle = "dash"
    chart.series[2].graphicalProperties.line.dashStyle = "sysDot"
    return chart


def _dissolution_note() -> str:
    return _(
        "In June 2025 the CĐCS of agencies and public-service units paid wholly from the state "
        "budget were dissolved (dues stopped 1 June, dissolution by 15 June 2025) and their "
        "members left the union: the drop between the first and second quarters of 2025 is that, "
        "not a reporting gap. The projection therefore follows the trend since then."
    )
