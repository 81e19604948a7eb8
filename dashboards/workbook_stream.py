"""Rows written straight into a write-only sheet's XML, for the national workbook's size.

openpyxl's write-only `append` turns every value into a `WriteOnlyCell`, tries to bind each
given cell as a value first (an exception per styled cell), registers its style by hashing it,
and writes it through a handful of nested XML elements: about 30 µs a cell, and a national
workbook has 300,000 cells. Here a cell is its value, its type and a shared `Style` (the
workbook's style index found once per style), and a row is one XML element written whole.

The XML is the one openpyxl writes for the same cells (`tests/dashboards/test_workbook_stream.py`
compares them byte for byte): the same row and cell attributes in the same order, text as an
inline string (spaces kept), numbers as `safe_string` writes them, and the styles registered
with the workbook in the order the cells are first written, so the style indices are the same.
The sheet's top (columns, views, frozen panes) is written before its first row and its tail
(merged cells, print set-up, charts) when the workbook is saved, by openpyxl as before.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from openpyxl.compat import safe_string
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.xml.functions import XML_NS, Element, SubElement

PRESERVE = {f"{{{XML_NS}}}space": "preserve"}
# An empty cell is written `<c ...></c>` with lxml, as openpyxl's streamed elements are, not
# `<c .../>` (the standard library's ElementTree writes `<c ... />` either way).
EMPTY = ""


@dataclass(eq=False)
class Style:
    """One combination of font, fill, border, alignment and number format in a workbook."""

    array: StyleArray
    wrap: bool  # the text wraps (the row's height is estimated from it)
    index: str | None = None  # the workbook's index of the style, once a cell is written

    def registered(self, ws: WriteOnlyWorksheet) -> str:
        """The style's index ("" for no style at all), registered when first written."""
        if self.index is None:
            self.index = str(ws.parent._cell_styles.add(self.array)) if any(self.array) else ""
        return self.index


class Out(NamedTuple):
    """A cell to write: text ("s", never a formula) or a number ("n", None when blank)."""

    value: str | int | float | None
    data_type: str
    style: Style


Rows = Generator[None, Sequence[Out], None]


def row_stream(ws: WriteOnlyWorksheet) -> Rows:
    """The sheet's stream of rows: send it each row's cells. The sheet takes it as its own
    (closing the sheet when the workbook is saved closes the stream and writes the tail)."""
    ws._get_writer()  # the sheet's top: columns, views, frozen panes, set before the first row
    stream = _rows(ws)
    next(stream)
    ws._rows = stream
    return stream


def _rows(ws: WriteOnlyWorksheet) -> Rows:
    writer = ws._writer
    xf = writer.xf.send(True)
    with xf.element("sheetData"):
        index = 1
        try:
            while True:
                cells = yield
                row = _row(ws, cells, index)
                if len(row):
                    xf.write(row)
                else:  # as openpyxl writes a row without cells, whichever XML library it uses
                    with xf.element("row", dict(row.attrib)):
                        pass
                index += 1
        except GeneratorExit:
            pass
    writer.xf.send(None)


def _row(ws: WriteOnlyWorksheet, cells: Sequence[Out | None], index: int) -> Any:
    attrs = {"r": f"{index}"}
    attrs.update(ws.row_dimensions.get(index, {}))
    row = Element("row", attrs)
    for column, cell in enumerate(cells, 1):
        if cell is None:
            continue
        value, style = cell.value, cell.style.registered(ws)
        if value is None and not style:
            continue
        found = {"r": f"{_letter(column)}{index}"}
        if style:
            found["s"] = style
        if cell.data_type == "s":
            found["t"] = "inlineStr"
            element = SubElement(row, "c", found)
            if value:
                text = str(value)
                inline = SubElement(element, "is")
                SubElement(inline, "t", PRESERVE if text != text.strip() else {}).text = text
            else:
                element.text = EMPTY
            continue
        found["t"] = "n"
        element = SubElement(row, "c", found)
        if value is not None:
            SubElement(element, "v").text = safe_string(value)
        else:
            element.text = EMPTY
    return row


@cache
def _letter(column: int) -> str:
    return str(get_column_letter(column))
