"""The Word parts of the annual report (python-docx): page, fonts, heading, table, signature.

Decree 30/2020/NĐ-CP, appendix I: A4; margins top and bottom 20–25 mm, left 30–35 mm, right
15–20 mm; Times New Roman; the national heading 12–13 bold upper case, the motto 13–14 bold;
body 13–14.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from docx import Document as new_docx
from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from dashboards.templatetags.figures import in_unit, num, status_word, symbol, target
from dashboards.workbook_data import Contents
from rollup.engine import IndicatorResult

from .document import Heading

__all__ = ["Document"]

FONT = "Times New Roman"
BODY = 14
TABLE = 13
SMALL = 12
GAP = "……………………………………………………………………"


def new_document() -> Document:
    document = new_docx()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    for name in ("Normal", "Table Grid", "List Bullet"):
        style = document.styles[name]
        style.font.name = FONT
        style.font.size = Pt(BODY)
        # Word picks the East Asian font for some Vietnamese letters unless it is set too.
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), FONT)
    normal = document.styles["Normal"].paragraph_format
    normal.space_after, normal.space_before = Pt(3), Pt(0)
    return document


def _line(
    cell_or_doc: Any, text: str, *, size: int = BODY, centre: bool = True, **style: Any
) -> Any:
    paragraph = cell_or_doc.add_paragraph()
    if centre:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = style.get("bold", False)
    run.italic = style.get("italic", False)
    run.underline = style.get("underline", False)
    return paragraph


def fixed_widths(table: Any, widths: tuple[int, ...]) -> None:
    """Column widths Word and LibreOffice both keep: the grid's and every cell's."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)


def _two_columns(document: Document, widths: tuple[int, int]) -> tuple[Any, Any]:
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    fixed_widths(table, widths)
    cells = table.rows[0].cells
    for cell in cells:
        cell.paragraphs[0].paragraph_format.space_after = Pt(0)
    return cells[0], cells[1]


def heading_block(document: Document, heading: Heading) -> None:
    """The issuing unit and its number on the left, the national heading and the motto on the
    right, then the place and date under the motto."""
    left, right = _two_columns(document, (68, 97))
    first = left.paragraphs[0]
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if heading.parent:
        first.add_run(heading.parent).font.size = Pt(13)
        _line(left, heading.issuer, size=13, bold=True, underline=True)
    else:
        run = first.add_run(heading.issuer)
        run.font.size, run.bold, run.underline = Pt(13), True, True
    _line(left, heading.number, size=13)
    top = right.paragraphs[0]
    top.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = top.add_run(_("SOCIALIST REPUBLIC OF VIETNAM"))
    run.font.size, run.bold = Pt(12), True
    _line(right, _("Independence - Freedom - Happiness"), size=14, bold=True, underline=True)
    _line(right, "", size=6)
    _line(right, heading.place_date, size=14, italic=True)


def title(document: Document, *lines: str) -> None:
    _line(document, "", size=8)
    _line(document, lines[0], bold=True)
    _line(document, lines[1], bold=True)
    for extra in lines[2:]:
        _line(document, extra, italic=True, size=13)
    _line(document, "", size=8)


def section(document: Document, text: str) -> None:
    _line(document, text, centre=False, bold=True).paragraph_format.space_before = Pt(6)


def subsection(document: Document, text: str) -> None:
    _line(document, text, centre=False, bold=True, italic=True)


def paragraph(document: Document, text: str, **style: Any) -> None:
    p = _line(document, text, centre=False, **style)
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    p.paragraph_format.first_line_indent = Mm(10)


def bullet(document: Document, text: str) -> None:
    p = _line(document, "- " + text, centre=False)
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    p.paragraph_format.first_line_indent = Mm(10)


def text_or_gap(document: Document, text: str) -> None:
    """The office's text, a paragraph per line; dots for it to write where it wrote none."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines or [GAP]:
        paragraph(document, line)


def scope_line(contents: Contents) -> str:
    last = contents.last_period
    quarter = f"{last.quarter}/{last.year}" if last else "–"
    return _(
        "Annual targets: year %(year)s, figures to the end of quarter %(quarter)s; term "
        "targets: from the start of the term to date. Approved reports only."
    ) % {"year": contents.request.year, "quarter": quarter}


HEAD = (
    gettext_noop("Code"),
    gettext_noop("Indicator"),
    gettext_noop("Target"),
    gettext_noop("Result"),
    gettext_noop("Numerator"),
    gettext_noop("Denominator"),
    gettext_noop("Assessment"),
)
WIDTHS = (12, 52, 18, 18, 18, 18, 23)


def targets_table(document: Document, contents: Contents) -> None:
    rows = [r.result for r in contents.annual_rows + contents.term_rows]
    table = document.add_table(rows=1, cols=len(HEAD))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, label, width in zip(table.rows[0].cells, HEAD, WIDTHS, strict=True):
        _cell(cell, _(label), width, bold=True)
    for result in rows:
        cells = table.add_row().cells
        values = _figures(result)
        for cell, value, width in zip(cells, values, WIDTHS, strict=True):
            _cell(cell, value, width)
    fixed_widths(table, WIDTHS)
    _repeat_header(table)


def _figures(r: IndicatorResult) -> list[str]:
    display = r.indicator.display
    return [
        r.code,
        r.indicator.name,
        target(r),
        in_unit(r.value, display),
        num(r.numerator),
        num(r.denominator) if r.denominator is not None else "–",
        f"{symbol(r.status)} {status_word(r.status)}",
    ]


def _cell(cell: Any, text: str, width: int, bold: bool = False) -> None:
    cell.width = Mm(width)
    p = cell.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    run = p.add_run(text)
    run.font.size = Pt(TABLE)
    run.bold = bold


def _unsplit(row: Any) -> None:
    """Recipients and signature stay together on one page, never cut by a page's end."""
    properties = row._tr.get_or_add_trPr()
    properties.append(properties.makeelement(qn("w:cantSplit"), {qn("w:val"): "true"}))


def _repeat_header(table: Any) -> None:
    """The header row repeats on every page the table runs onto."""
    properties = table.rows[0]._tr.get_or_add_trPr()
    element = properties.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"})
    properties.append(element)


def result_line(r: IndicatorResult) -> str:
    display = r.indicator.display
    shown = in_unit(r.value, display)
    if r.denominator is not None and r.value is not None:
        shown += f" ({num(r.numerator)}/{num(r.denominator)})"
    return _("%(code)s %(name)s: %(result)s against %(target)s, %(status)s") % {
        "code": r.code,
        "name": r.indicator.name,
        "result": shown,
        "target": target(r),
        "status": status_word(r.status),
    }


def closing(document: Document, heading: Heading, recipients: list[str]) -> None:
    _line(document, "", size=8)
    left, right = _two_columns(document, (80, 85))
    _unsplit(document.tables[-1].rows[0])
    first = left.paragraphs[0]
    run = first.add_run(_("Recipients:"))
    run.font.size, run.bold, run.italic = Pt(SMALL), True, True
    for line in recipients:
        _line(left, "- " + line, size=11, centre=False)
    top = right.paragraphs[0]
    top.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = top.add_run(heading.signer_on_behalf)
    run.font.size, run.bold = Pt(BODY), True
    _line(right, heading.signer_title, bold=True)
    for _blank in range(4):
        _line(right, "")
    _line(right, "……………………", bold=True)
