"""Writes tests/data/programme-2.xlsx: programme 07/CTr-LĐLĐ, typed by hand from the made-up
programme text tests/data/programme-2.txt. Run from the repository root to write it again."""


from openpyxl import Workbook

SHEETS = {
    "Chương trình": [
        [
            "Mã",
            "Số hiệu",
            "Tên (tiếng Việt)",
            "Tên (tiếng Anh)",
            "Đơn vị ban hành (mã; trống: LĐLĐ tỉnh)",
            "Ngày ban hành",
            "Nhiệm kỳ từ",
            "Nhiệm kỳ đến",
        ],
        [
            "07-ctr-ldld-2026",
            "07/CTr-LĐLĐ",
            "Chăm lo đời sống và phát triển đoàn viên công đoàn giai đoạn 2026 - 2030",
            "Caring for members' lives and growing membership, 2026–2030",
            None,
            "15/03/2026",
            "01/01/2026",
            "31/12/2030",
        ],
    ],
    "Nhóm trường số liệu": [
        ["Mã", "Tên (tiếng Việt)", "Tên (tiếng Anh)", "Thứ tự"],
        ["welfare", "Chăm lo đời sống", "Welfare", 70],
    ],
    "Nhóm nhiệm vụ": [
        ["Mã", "Tên (tiếng Việt)", "Tên (tiếng Anh)", "Thứ tự"],
        [
            "1",
            "Chăm lo nhà ở và đời sống cho đoàn viên, người lao động có hoàn cảnh khó khăn",
            "Housing and welfare for members and workers in hardship",
            1,
        ],
        [
            "2",
            "Phát triển đoàn viên khu vực doanh nghiệp ngoài nhà nước",
            "Growing membership in non-state enterprises",
            2,
        ],
    ],
    "Trường số liệu": [
        [
            "Mã",
            "Nhóm",
            "Tên (tiếng Việt)",
            "Tên (tiếng Anh)",
            "Giải thích (tiếng Việt)",
            "Giải thích (tiếng Anh)",
            "Thời gian (stock/ytd/flow)",
            "Tần suất (quarterly/annual)",
            "Lấy từ danh bạ đơn vị",
            "Đếm CĐCS (có/không)",
            "Chỉ LĐLĐ tỉnh báo cáo (có/không)",
            "Thứ tự",
        ],
        [
            "members_in_hardship",
            "welfare",
            "Đoàn viên có hoàn cảnh khó khăn",
            "Members in hardship",
            None,
            None,
            "stock",
            "quarterly",
            None,
            "không",
            "không",
            900,
        ],
        [
            "members_in_hardship_helped_ytd",
            "welfare",
            "Đoàn viên có hoàn cảnh khó khăn được thăm hỏi, hỗ trợ",
            "Members in hardship visited or helped",
            None,
            None,
            "ytd",
            "quarterly",
            None,
            "không",
            "không",
            910,
        ],
        [
            "union_homes_built",
            "welfare",
            "Mái ấm công đoàn được xây mới, sửa chữa",
            "Union homes built or repaired",
            None,
            None,
            "flow",
            "quarterly",
            None,
            "không",
            "không",
            920,
        ],
    ],
    "Chỉ tiêu": [
        [
            "Mã",
            "Tên ngắn (tiếng Việt)",
            "Tên ngắn (tiếng Anh)",
            "Nội dung (tiếng Việt)",
            "Nội dung (tiếng Anh)",
            "Loại (annual/term)",
            "Tử số (mã trường)",
            "Mẫu số (mã trường)",
            "Hiển thị (percent/ratio/count)",
            "So sánh (gte/gt)",
            "Thứ tự",
        ],
        [
            "C01",
            "Đoàn viên khó khăn được hỗ trợ",
            "Members in hardship helped",
            "Hằng năm, ít nhất 60% đoàn viên có hoàn cảnh khó khăn được thăm hỏi, hỗ trợ.",
            "Every year, at least 60% of members in hardship are visited or helped.",
            "annual",
            "members_in_hardship_helped_ytd",
            "members_in_hardship",
            "percent",
            "gte",
            10,
        ],
        [
            "C02",
            "Mái ấm công đoàn",
            "Union homes",
            'Đến năm 2030, hỗ trợ xây mới, sửa chữa ít nhất 200 "Mái ấm công đoàn".',
            "By 2030, at least 200 union homes built or repaired.",
            "term",
            "union_homes_built",
            None,
            "count",
            "gte",
            20,
        ],
    ],
    "Mức cần đạt": [
        [
            "Chỉ tiêu (mã)",
            "Năm (trống: cả nhiệm kỳ)",
            "Đơn vị (mã; trống: toàn tỉnh)",
            "Mức cần đạt",
            "Giá trị gốc",
            "Ngày gốc",
            "Ghi chú",
        ],
        ["C01", None, None, 60, None, None, None],
        ["C02", None, None, 200, 0, "01/01/2026", None],
    ],
}
book = Workbook()
book.remove(book.active)
for name, rows in SHEETS.items():
    sheet = book.create_sheet(name)
    for row in rows:
        sheet.append(row)
book.save("tests/data/programme-2.xlsx")
