"""The annual report on the programme's implementation ("Báo cáo kết quả thực hiện Chương trình
hành động năm YYYY") as a Word document the office edits, signs and sends.

Its figures are the workbook's for the same year (`dashboards.workbook_data.workbook_contents`,
through the roll-up engine), its texts the office's syntheses of the units' narratives. The
layout is the administrative one of Decree 30/2020/NĐ-CP: A4, Times New Roman, margins 20 mm
top and bottom, 30 mm left, 15 mm right; the heading texts are the printing app's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import IO

from django.utils import translation
from django.utils.translation import gettext as _

from briefing.models import Synthesis
from briefing.selectors import syntheses
from dashboards.workbook_cells import demo_words
from dashboards.workbook_data import Contents, WorkbookRequest, workbook_contents
from reports.models import ReportingPeriod
from rollup.arithmetic import Status
from targets.models import Programme, TaskGroup
from unions.models import demo_data_loaded

from . import annual_docx as docx
from .document import Heading, document_heading

MISSED = (Status.NOT_ACHIEVED, Status.AT_RISK)


@dataclass
class AnnualReport:
    year: int
    programme: Programme
    heading: Heading
    contents: Contents
    groups: list[TaskGroup]
    written: dict[str, Synthesis]  # task group code → the year's latest synthesis with text
    demo: bool = False  # the portal holds demo data: the report says so


def annual_report(programme: Programme, year: int, today: dt.date | None = None) -> AnnualReport:
    """What the report says for `year`; raises `WorkbookError` for a year outside the term."""
    day = today or dt.date.today()
    with translation.override("vi"):
        contents = workbook_contents(WorkbookRequest(programme, year, today=day))
        heading = document_heading(contents.province, day, "BC")
    periods = list(ReportingPeriod.objects.filter(year=year, cutoff__lte=day))
    groups = list(TaskGroup.objects.filter(programme=programme).order_by("order"))
    written = syntheses(programme, periods)
    return AnnualReport(
        year, programme, heading, contents, groups, written, demo=demo_data_loaded()
    )


def annual_report_write(report: AnnualReport, stream: IO[bytes]) -> None:
    with translation.override("vi"):
        document = docx.new_document()
        docx.heading_block(document, report.heading)
        docx.title(
            document,
            _("REPORT"),
            _("On the results of implementing the Action Programme in %(year)s")
            % {"year": report.year},
            _(
                "(Action Programme %(number)s implementing the Resolution of the Congress, "
                "term %(start)s–%(end)s)"
            )
            % {
                "number": report.programme.number,
                "start": report.programme.term_start.year,
                "end": report.programme.term_end.year,
            },
        )
        if report.demo:
            docx.paragraph(document, demo_words(), bold=True)
        _results(document, report)
        _task_groups(document, report)
        _shortfalls(document, report)
        _next_year(document, report)
        docx.closing(document, report.heading, _recipients(report))
        document.save(stream)


def annual_filename(report: AnnualReport) -> str:
    return f"bao-cao-ket-qua-{report.programme.code}-{report.year}.docx"


def _results(document: docx.Document, report: AnnualReport) -> None:
    contents = report.contents
    docx.section(document, "I. " + _("RESULTS AGAINST THE TARGETS"))
    docx.paragraph(document, docx.scope_line(contents), italic=True)
    docx.targets_table(document, contents)
    received, expected = contents.annual.received_reports, contents.annual.expected_reports
    docx.paragraph(
        document,
        _("Reports received for the year: %(received)s of %(expected)s expected.")
        % {"received": received, "expected": expected},
        italic=True,
    )


def _group_title(group: TaskGroup) -> str:
    return f"{group.code}. {group.title_vi}"


def _task_groups(document: docx.Document, report: AnnualReport) -> None:
    docx.section(document, "II. " + _("RESULTS BY TASK GROUP"))
    for group in report.groups:
        docx.subsection(document, _group_title(group))
        found = report.written.get(group.code)
        docx.text_or_gap(document, found.results if found else "")


def _shortfalls(document: docx.Document, report: AnnualReport) -> None:
    docx.section(document, "III. " + _("SHORTFALLS, LIMITATIONS AND CAUSES"))
    rows = report.contents.annual_rows + report.contents.term_rows
    behind = [row.result for row in rows if row.result.status in MISSED]
    if behind:
        docx.paragraph(document, _("Targets not achieved or at risk:"), bold=True)
        for result in behind:
            docx.bullet(document, docx.result_line(result))
    for group in report.groups:
        found = report.written.get(group.code)
        if found and found.shortfalls:
            docx.paragraph(document, _group_title(group), bold=True, italic=True)
            docx.text_or_gap(document, found.shortfalls)
    if not behind and not any(s.shortfalls for s in report.written.values()):
        docx.text_or_gap(document, "")


def _next_year(document: docx.Document, report: AnnualReport) -> None:
    docx.section(document, "IV. " + _("KEY TASKS FOR %(year)s") % {"year": report.year + 1})
    for group in report.groups:
        found = report.written.get(group.code)
        docx.subsection(document, _group_title(group))
        docx.text_or_gap(document, found.next_steps if found else "")


def _recipients(report: AnnualReport) -> list[str]:
    heading = report.heading
    lines = [_("Standing Committee of the provincial federation") + ";"]
    if heading.parent:
        lines.insert(0, heading.parent.title() + " " + _("(for reporting)") + ";")
    return [*lines, _("Departments of the provincial federation") + ";", _("Archive: VT.")]
