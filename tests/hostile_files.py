"""A corpus of hostile spreadsheets, built in memory so that nothing dangerous sits in the tree.

Each builder returns (file name, bytes). The XLSX ones start from a real workbook whose first
sheet is the report template's sheet name, so the same file reaches every reader's deepest path.
"""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook

from reports.excel import SHEET_REPORT

SHEET = "xl/worksheets/sheet1.xml"


def workbook(rows: list[list[object]] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_REPORT
    for row in rows or [["code", "name", "kind", "valid_from"], ["P", "Tỉnh", "province", "x"]]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_part(data: bytes, name: str, content: bytes, *, level: int = 6) -> bytes:
    """`data` with one zip member replaced (or added)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as old,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as new,
    ):
        for item in old.infolist():
            if item.filename != name:
                new.writestr(item, old.read(item))
        new.writestr(name, content)
    return out.getvalue()


def _sheet_xml(body: str, prolog: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        + prolog
        + '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + f"<sheetData>{body}</sheetData></worksheet>"
    ).encode()


def damaged_xml() -> tuple[str, bytes]:
    broken = _sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c></row>')[:-40]
    return "damaged.xlsx", with_part(workbook(), SHEET, broken + b"<row><c")


def xxe() -> tuple[str, bytes]:
    prolog = '<!DOCTYPE w [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    body = '<row r="1"><c r="A1" t="inlineStr"><is><t>&secret;</t></is></c></row>'
    return "xxe.xlsx", with_part(workbook(), SHEET, _sheet_xml(body, prolog))


def billion_laughs() -> tuple[str, bytes]:
    entities = '<!ENTITY l0 "ha">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    )
    body = '<row r="1"><c r="A1" t="inlineStr"><is><t>&l9;</t></is></c></row>'
    return "laughs.xlsx", with_part(
        workbook(), SHEET, _sheet_xml(body, f"<!DOCTYPE w [{entities}]>")
    )


def utf16_part() -> tuple[str, bytes]:
    prolog = '<!DOCTYPE w [<!ENTITY e "x">]>'
    part = _sheet_xml("", prolog).decode().replace("UTF-8", "UTF-16").encode("utf-16")
    return "utf16.xlsx", with_part(workbook(), SHEET, part)


def zip_bomb() -> tuple[str, bytes]:
    """A sheet that unpacks to 60 MB from well under 1 MB."""
    row = '<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    filler = (row * (60 * 1024 * 1024 // len(row))).encode()
    return "bomb.xlsx", with_part(
        workbook(),
        SHEET,
        _sheet_xml("").replace(b"</sheetData>", filler + b"</sheetData>"),
        level=9,
    )


def high_ratio() -> tuple[str, bytes]:
    """Small when unpacked (4 MB) but compressed more than a hundredfold."""
    return "ratio.xlsx", with_part(workbook(), "xl/padding.xml", b" " * (4 * 1024 * 1024), level=9)


def truncated() -> tuple[str, bytes]:
    data = workbook()
    return "truncated.xlsx", data[: len(data) * 2 // 3]


def encrypted_flag() -> tuple[str, bytes]:
    data = bytearray(workbook())
    data[6] |= 0x1  # the first local header's "encrypted" bit
    at = data.find(b"PK\x01\x02")
    data[at + 8] |= 0x1  # and the central directory's
    return "locked.xlsx", bytes(data)


def old_xls() -> tuple[str, bytes]:
    return "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512


def nul_csv(lines: int = 1) -> tuple[str, bytes]:
    body = "".join(f"X{i},Tên\x00,district,01/01/2020\n" for i in range(lines))
    return "nul.csv", ("code,name,kind,valid_from\n" + body).encode()


def too_many_rows_csv(rows: int) -> tuple[str, bytes]:
    return "many.csv", b"code,name,kind,valid_from\n" + b"A,B,district,01/01/2020\n" * rows


def long_cell_csv(length: int) -> tuple[str, bytes]:
    return "long.csv", f"code,name,kind,valid_from\nA,{'n' * length},district,x\n".encode()


def not_utf8_csv() -> tuple[str, bytes]:
    return "latin.csv", "code,name\nA,Tỉnh\n".encode("utf-16")


XLSX_CORPUS = {
    "damaged": damaged_xml,
    "xxe": xxe,
    "billion_laughs": billion_laughs,
    "utf16": utf16_part,
    "zip_bomb": zip_bomb,
    "high_ratio": high_ratio,
    "truncated": truncated,
    "encrypted": encrypted_flag,
    "old_xls": old_xls,
}
