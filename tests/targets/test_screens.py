"""The programme screens: office staff create, copy, edit, check, publish and close; nobody
else may, and nobody else sees a draft. Every change is in the audit log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from targets.models import Field, Indicator, Programme, ProgrammeStatus, Target

NEW = {
    "code": "ctr-2026",
    "number": "01/CTr-2026",
    "title_vi": "Chương trình hành động 2026–2031",
    "title_en": "Action programme 2026–2031",
    "issued_on": "01/03/2026",
    "term_start": "01/01/2026",
    "term_end": "31/12/2031",
}


def url(name: str, *args: object) -> str:
    return reverse(f"targets:{name}", args=args)


@pytest.fixture
def office(client, office_user):
    """Office staff reading the portal in Vietnamese."""
    client.force_login(office_user)
    client.cookies["django_language"] = "vi"
    return client


def draft(office) -> Programme:
    response = office.post(url("programme_new"), NEW)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Programme.objects.get(code="ctr-2026")


@pytest.mark.parametrize("who", ["district_reporter", "committee_user"])
def test_only_office_staff_may_prepare_a_programme(client, programme, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url("programme_new")).status_code == 403
    assert client.post(url("programme_new"), NEW).status_code == 403
    assert client.get(url("programme_copy", programme.code)).status_code == 403
    assert client.post(url("programme_check", programme.code)).status_code == 403
    assert not Programme.objects.filter(code="ctr-2026").exists()


def test_a_draft_is_seen_by_office_staff_only(client, office, programme, district_reporter):
    made = draft(office)
    assert made.status == ProgrammeStatus.DRAFT
    assert "01/CTr-2026" in office.get(url("programme_list")).text
    client.force_login(district_reporter)
    assert "01/CTr-2026" not in client.get(url("programme_list")).text
    assert client.get(url("programme_detail", made.code)).status_code == 404


def test_a_form_with_an_error_keeps_what_was_typed(office, programme):
    typed = {**NEW, "term_end": "01/01/2025"}
    page = office.post(url("programme_new"), typed).text
    assert "Nhiệm kỳ phải kết thúc sau khi bắt đầu." in page
    assert 'value="Chương trình hành động 2026–2031"' in page
    made = draft(office)
    members = Field.objects.get(code="members")
    indicator = {
        "code": "N01",
        "name_vi": "Tỷ lệ tình nguyện",
        "name_en": "Volunteering rate",
        "text_vi": "30% đoàn viên tham gia tình nguyện",
        "text_en": "30% of members volunteer",
        "kind": "annual",
        "numerator": members.pk,
        "display": "percent",
        "comparison": "gte",
        "order": 10,
    }
    page = office.post(url("part_new", made.code, "indicator"), indicator).text
    assert "Tỷ lệ phần trăm hoặc tỷ số cần có trường mẫu số." in page
    assert "30% đoàn viên tham gia tình nguyện" in page
    assert not Indicator.objects.filter(programme=made).exists()


def test_copy_edit_check_publish_and_close(office, programme):
    response = office.post(
        url("programme_copy", programme.code), {"code": "ctr-2026", "number": "01/CTr-2026"}
    )
    assert response.status_code == 302
    copy = Programme.objects.get(code="ctr-2026")
    assert copy.indicators.count() == 21 and programme.indicators.count() == 21
    assert copy.task_groups.count() == 8
    a01 = copy.indicators.get(code="A01")
    target = a01.targets.get()
    office.post(
        url("part_edit", copy.code, "target", target.pk),
        {"indicator": a01.pk, "value": "150", "year": "", "unit_code": ""},
    )
    office.post(url("programme_check", copy.code))
    copy.refresh_from_db()
    assert copy.status == ProgrammeStatus.DRAFT
    page = office.get(url("programme_detail", copy.code)).text
    assert "Chỉ tiêu A01: mức cần đạt 150 nằm ngoài khoảng cho phép." in page
    office.post(
        url("part_edit", copy.code, "target", target.pk),
        {"indicator": a01.pk, "value": "99", "year": "", "unit_code": ""},
    )
    office.post(url("programme_check", copy.code))
    copy.refresh_from_db()
    assert copy.status == ProgrammeStatus.CHECKED
    page = office.post(url("programme_publish", copy.code), {"day": "15/02/2099"}).text
    assert "ngày đầu của một quý" in page and 'value="15/02/2099"' in page
    next_quarter = _next_quarter()
    response = office.post(url("programme_publish", copy.code), {"day": next_quarter})
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.status == ProgrammeStatus.PUBLISHED
    # A published definition is fixed, but for its targets.
    assert office.get(url("part_edit", copy.code, "indicator", a01.pk)).status_code == 404
    assert office.get(url("programme_edit", copy.code)).status_code == 404
    assert office.get(url("part_edit", copy.code, "target", target.pk)).status_code == 200


def _next_quarter() -> str:
    from django.utils import timezone

    today = timezone.localdate()
    month = ((today.month - 1) // 3 + 1) * 3 + 1
    day = dt.date(today.year + (month > 12), (month - 1) % 12 + 1, 1)
    return day.strftime("%d/%m/%Y")


def test_a_changed_target_keeps_its_history(office, office_user, programme):
    a01 = Indicator.objects.get(programme=programme, code="A01")
    target = a01.targets.get()
    response = office.post(
        url("part_edit", programme.code, "target", target.pk),
        {"indicator": a01.pk, "value": "97", "year": "", "unit_code": ""},
    )
    assert response.status_code == 302
    assert Target.objects.get(pk=target.pk).value == 97
    entry = AuditEntry.objects.filter(model="target", object_pk=str(target.pk)).latest("at")
    assert entry.actor_username == office_user.username
    assert entry.before["value"].startswith("98") and entry.after["value"].startswith("97")


def test_a_draft_is_saved_before_its_english_texts_and_the_check_names_them(office, programme):
    """Office staff write the Vietnamese first: a new programme and its task group save with
    no English, the province is the issuer already chosen, and the check lists each English
    text still missing (a programme is published only once they are there)."""
    form = office.get(url("programme_new")).text
    assert f'<option value="{programme.issuer_id}" selected>' in form
    response = office.post(url("programme_new"), {**NEW, "title_en": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    made = Programme.objects.get(code="ctr-2026")
    group = {"code": "1", "title_vi": "Phát triển đoàn viên", "title_en": "", "order": 1}
    assert office.post(url("part_new", made.code, "task-group"), group).status_code == 302
    page = office.post(url("programme_check", made.code), follow=True).text
    assert "Tên chương trình: thiếu bản tiếng Anh." in page
    assert "Nhóm nhiệm vụ 1: thiếu bản tiếng Anh." in page
    indicator = {
        "code": "D01", "name_vi": "Tỷ lệ CĐCS có thỏa ước", "name_en": "",
        "text_vi": "Ít nhất 90% CĐCS có thỏa ước.", "text_en": "", "kind": "annual",
        "numerator": Field.objects.get(code="members").pk, "display": "count",
        "comparison": "gte", "order": 1,
    }  # fmt: skip
    assert office.post(url("part_new", made.code, "indicator"), indicator).status_code == 302
    page = office.post(url("programme_check", made.code), follow=True).text
    assert "Chỉ tiêu D01, tên ngắn: thiếu bản tiếng Anh." in page
    assert "Chỉ tiêu D01, nguyên văn trong chương trình: thiếu bản tiếng Anh." in page
    made.refresh_from_db()
    assert made.status == ProgrammeStatus.DRAFT


def test_a_target_opens_for_editing_with_its_indicator_and_value(office, programme):
    """The edit form of an existing target shows its own indicator chosen (it showed none, so
    the browser refused to send the required choice) and its value as typed (98, not the
    stored 98.0000); a new target can still come with its indicator chosen."""
    a01 = Indicator.objects.get(programme=programme, code="A01")
    target = a01.targets.get()
    page = office.get(url("part_edit", programme.code, "target", target.pk)).text
    assert f'<option value="{a01.pk}" selected>' in page
    assert 'name="value" value="98"' in page
    new = office.get(url("part_new", programme.code, "target") + f"?indicator={a01.pk}").text
    assert f'<option value="{a01.pk}" selected>' in new


def test_a_new_data_field_and_a_duplicate_code(office, programme):
    made = draft(office)
    typed = {
        "code": "volunteers",
        "label_vi": "Đoàn viên tham gia tình nguyện",
        "label_en": "Members volunteering",
        "group": "members",
        "time_kind": "ytd",
        "frequency": "quarterly",
        "registry_count": "",
        "order": 500,
    }
    assert office.post(url("field_new", made.code), typed).status_code == 302
    again = office.post(url("field_new", made.code), typed)
    assert again.status_code == 200 and Field.objects.filter(code="volunteers").count() == 1
    assert 'value="Đoàn viên tham gia tình nguyện"' in again.text


def test_the_admin_cannot_move_a_published_term(client, admin_user, programme):
    client.force_login(admin_user)
    page = client.get(f"/admin/targets/programme/{programme.pk}/change/").text
    assert 'name="term_start"' not in page and 'name="status"' not in page
    draft = Programme.objects.create(
        code="d",
        number="d",
        title_vi="d",
        title_en="d",
        issued_on=dt.date(2026, 1, 1),
        term_start=dt.date(2026, 1, 1),
        term_end=dt.date(2030, 12, 31),
    )
    page = client.get(f"/admin/targets/programme/{draft.pk}/change/").text
    assert 'name="term_start"' in page and 'name="status"' not in page
