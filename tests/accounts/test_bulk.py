"""Office staff create accounts from a CSV or XLSX file: all of them, or none with every reason."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import Workbook

from accounts.bulk import accounts_bulk_create
from accounts.models import Role, User
from audit.models import AuditEntry
from unions.importing import ImportFileError

GOOD = (
    "username,full_name,email,unit,role\n"
    "an.d2,Nguyễn Văn An,an@example.vn,D2,reporter\n"
    "binh.d2,Lò Thị Bình,binh@example.vn,d2,Báo cáo viên\n"
    "chi.p,Tráng A Chi,chi@example.vn,P,committee\n"
)


def _csv(text: str) -> bytes:
    return text.encode("utf-8-sig")


def test_office_creates_every_account_of_a_good_csv_file(office_user, small_tree):
    result = accounts_bulk_create(_csv(GOOD), "accounts.csv", actor=office_user)
    assert result.errors == []
    created = {
        a.username: a for a in User.objects.filter(username__in=["an.d2", "binh.d2", "chi.p"])
    }
    assert created["an.d2"].unit == small_tree.d2
    assert created["an.d2"].first_name == "Nguyễn Văn An"
    assert created["binh.d2"].role == Role.REPORTER
    assert created["chi.p"].role == Role.COMMITTEE
    assert not created["an.d2"].has_usable_password()  # each chooses it from the emailed link
    assert AuditEntry.objects.filter(model="user", object_repr="an.d2").exists()


def test_a_file_with_bad_lines_creates_nothing_and_names_every_line(office_user, small_tree):
    text = (
        "username,full_name,email,unit,role\n"
        "ok.user,Good Person,ok@example.vn,D2,reporter\n"
        "bad user,Someone,not-an-email,D9,boss\n"
        "office,Taken Name,t@example.vn,D2,reporter\n"
        "ok.user,Twice,twice@example.vn,D2,reporter\n"
        "old.d1,Old District,old@example.vn,D1,reporter\n"
        "boss,Big Boss,boss@example.vn,P,admin\n"
    )
    result = accounts_bulk_create(_csv(text), "accounts.csv", actor=office_user)
    messages = [str(e) for e in result.errors]
    assert not User.objects.filter(username="ok.user").exists()
    assert any(m.startswith("line 3: username") for m in messages)
    assert any(m.startswith("line 3: email") for m in messages)
    assert any(m.startswith("line 3: unit “D9”") for m in messages)
    assert any(m.startswith("line 3: role “boss”") for m in messages)
    assert "line 4: an account with username office already exists" in messages
    assert any(m.startswith("line 5: username ok.user is used twice") for m in messages)
    assert "line 6: unit “D1” does not exist or is closed today" in messages  # dissolved
    assert "line 7: only an administrator may create an account with this role" in messages


def test_an_administrator_may_create_office_accounts(admin_user, small_tree):
    text = "username,full_name,email,unit,role\nvp2,Văn phòng 2,vp2@example.vn,P,office\n"
    result = accounts_bulk_create(_csv(text), "a.csv", actor=admin_user)
    assert result.errors == []
    assert User.objects.get(username="vp2").role == Role.OFFICE


def test_reporters_may_not_create_accounts(district_reporter):
    with pytest.raises(PermissionDenied):
        accounts_bulk_create(_csv(GOOD), "a.csv", actor=district_reporter)


def test_an_xlsx_file_is_read_and_a_formula_refused(office_user, small_tree):
    book = Workbook()
    sheet = book.active
    sheet.append(["Username", "Full_name", "Email", "Unit", "Role"])
    sheet.append(["xl.one", "Người Một", "one@example.vn", "D2", "reporter"])
    sheet.append(["xl.two", "=1+1", "two@example.vn", "D2", "reporter"])
    data = io.BytesIO()
    book.save(data)
    result = accounts_bulk_create(data.getvalue(), "a.xlsx", actor=office_user)
    assert [str(e) for e in result.errors] == [
        "line 3: a cell holds a formula; type the value instead"
    ]
    assert not User.objects.filter(username="xl.one").exists()
    sheet.delete_rows(3)
    data = io.BytesIO()
    book.save(data)
    assert accounts_bulk_create(data.getvalue(), "a.xlsx", actor=office_user).errors == []
    assert User.objects.filter(username="xl.one").exists()


def test_a_file_missing_columns_is_refused_whole(office_user, small_tree):
    with pytest.raises(ImportFileError, match="missing: email, role"):
        accounts_bulk_create(_csv("username,full_name,unit\na,b,D2\n"), "a.csv", actor=office_user)


def test_the_import_page_creates_the_accounts_and_emails_each_a_link(client, office_user):
    client.force_login(office_user)
    upload = io.BytesIO(_csv(GOOD))
    upload.name = "accounts.csv"
    response = client.post(reverse("accounts:import"), {"file": upload})
    assert response.status_code == 200
    assert b'id="created-accounts"' in response.content
    assert sorted(m.to[0] for m in mail.outbox) == [
        "an@example.vn",
        "binh@example.vn",
        "chi@example.vn",
    ]
    assert "/accounts/password-reset/" in mail.outbox[0].body


def test_the_import_page_lists_the_errors_and_creates_nothing(client, office_user):
    client.force_login(office_user)
    upload = io.BytesIO(_csv("username,full_name,email,unit,role\nx,y,bad,D2,reporter\n"))
    upload.name = "accounts.csv"
    response = client.post(reverse("accounts:import"), {"file": upload})
    assert response.status_code == 400
    assert b"line 2: email" in response.content
    assert not User.objects.filter(username="x").exists()
    assert mail.outbox == []


def test_office_disables_a_reporters_account_but_not_an_administrators(
    client, office_user, district_reporter, admin_user, small_tree
):
    client.force_login(office_user)
    page = client.get(reverse("accounts:unit", args=["D2"]))
    assert b"reporter_d2" in page.content
    response = client.post(reverse("accounts:active", args=[district_reporter.pk]), {"active": "0"})
    assert response.status_code == 302
    district_reporter.refresh_from_db()
    assert not district_reporter.is_active
    refused = client.post(reverse("accounts:active", args=[admin_user.pk]), {"active": "0"})
    assert refused.status_code == 403
    admin_user.refresh_from_db()
    assert admin_user.is_active
