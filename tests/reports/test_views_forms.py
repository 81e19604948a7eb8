"""The report pages: list, detail, form, review transitions and diff, from every side."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from reports.assignments import assignments_apply_proposal
from reports.forms import ReportForm
from reports.models import Report, ReportEvent, ReportStatus, Value, ValueState
from reports.numbers import Entry
from reports.selectors import report_form_context
from reports.services import (
    ReportInput,
    report_approve,
    report_reopen,
    report_return,
    report_save,
    report_submit,
)
from targets.models import field_groups
from tests.conftest import opened, period, untouched

PASSWORD = "pw-for-tests-123"

# Whitenoise warns once that collectstatic has not run; tests serve no static files.
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


@pytest.fixture
def q3(programme):
    assignments_apply_proposal()
    return period(programme, "2024Q3")


@pytest.fixture
def draft(small_tree, q3, district_reporter) -> Report:
    return opened(small_tree.d2, q3, district_reporter)


def as_user(client, user):
    client.force_login(user)
    return client


def url(name: str, report: Report | None = None) -> str:
    return reverse(f"reports:{name}", args=[report.pk] if report else [])


def form_data(response, **overrides) -> dict[str, str]:
    """What the browser would send back for the form as shown, with some inputs changed."""
    form = response.context["form"]
    data: dict[str, str] = {}
    for bound in form:
        value = bound.value()
        if bound.widget_type == "checkbox":
            if value:
                data[bound.html_name] = "on"
        elif value is not None:
            data[bound.html_name] = str(value)
    for name, value in overrides.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def save(client, report, submit=False, **overrides):
    shown = client.get(url("edit", report))
    data = form_data(shown, **overrides)
    data["submit" if submit else "save"] = "1"
    return client.post(url("edit", report), data)


def stored(report: Report, code: str) -> Entry:
    value = Value.objects.get(report=report, field__code=code)
    return Entry(value.state, value.number)


# Anonymous visitors


@pytest.mark.parametrize("name", ["detail", "edit", "diff"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, draft, name):
    response = client.get(url(name, draft))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_anonymous_visitors_cannot_see_the_list(client, db):
    response = client.get(url("list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


# The list


def test_office_staff_see_every_units_report_newest_period_first(
    client, small_tree, programme, q3, office_user
):
    opened(small_tree.d2, q3, office_user)
    opened(small_tree.d1, period(programme, "2024Q4"), office_user)
    response = as_user(client, office_user).get(url("list"))
    rows = list(response.context["table"].rows)
    assert [r.record.period.code for r in rows] == ["2024Q4", "2024Q3"]
    assert "unit" in response.context["filter"].form.fields


def test_a_reporter_sees_only_its_subtrees_reports(
    client, small_tree, q3, district_reporter, office_user
):
    opened(small_tree.d1, q3, office_user)
    own = opened(small_tree.d2, q3, office_user)
    response = as_user(client, district_reporter).get(url("list"))
    assert [r.record.pk for r in response.context["table"].rows] == [own.pk]
    assert "unit" not in response.context["filter"].form.fields


def test_the_list_filters_by_status_and_period(client, small_tree, programme, q3, office_user):
    submitted = opened(small_tree.d2, q3, office_user)
    report_submit(submitted, version=submitted.version, actor=office_user)
    opened(small_tree.d1, q3, office_user)
    opened(small_tree.d2, period(programme, "2024Q2"), office_user)
    client = as_user(client, office_user)
    by_status = client.get(url("list"), {"status": "submitted"})
    assert [r.record.pk for r in by_status.context["table"].rows] == [submitted.pk]
    by_period = client.get(url("list"), {"period": q3.pk})
    assert len(by_period.context["table"].rows) == 2


def test_a_reporter_is_offered_to_open_the_quarters_it_must_report(
    client, small_tree, q3, district_reporter
):
    response = as_user(client, district_reporter).get(url("list"))
    codes = [slot.period.code for slot in response.context["slots"]]
    assert "2024Q3" in codes and codes == sorted(codes, reverse=True)
    assert all(slot.period.cutoff < timezone.localdate() for slot in response.context["slots"])
    assert 'value="2024Q3"' in response.content.decode()
    opened = client.post(url("open"), {"unit": "D2", "period": "2024Q3"})
    report = Report.objects.get(unit=small_tree.d2, period=q3)
    assert opened["Location"] == url("edit", report)
    again = client.get(url("list"))
    assert "2024Q3" not in [slot.period.code for slot in again.context["slots"]]


def test_a_reporter_cannot_open_a_report_for_a_quarter_its_unit_did_not_exist_in(
    client, small_tree, q3, ward_reporter
):
    response = as_user(client, ward_reporter).post(url("open"), {"unit": "W1", "period": "2024Q3"})
    assert response.status_code == 302
    assert not Report.objects.filter(unit=small_tree.ward).exists()


def test_a_reporter_cannot_open_another_districts_report(client, small_tree, q3, district_reporter):
    response = as_user(client, district_reporter).post(
        url("open"), {"unit": "D1", "period": "2024Q3"}
    )
    assert response.status_code == 404


def test_a_reporter_cannot_open_a_report_for_a_cdcs_below_it(
    client, small_tree, q3, district_reporter
):
    response = as_user(client, district_reporter).post(
        url("open"), {"unit": "C21", "period": "2024Q3"}
    )
    assert response.status_code == 403  # C21 is in its scope (it may read), not its to report
    assert not Report.objects.filter(unit=small_tree.c21).exists()


def test_the_list_runs_a_fixed_number_of_queries(
    client, small_tree, programme, office_user, django_assert_max_num_queries
):
    assignments_apply_proposal()
    for code in ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]:
        for unit in (small_tree.d1, small_tree.d2):
            opened(unit, period(programme, code), office_user)
    client = as_user(client, office_user)
    with django_assert_max_num_queries(12):
        response = client.get(url("list"))
    assert len(response.context["table"].rows) == 8


# The detail page


def test_office_staff_see_the_history_of_a_report(client, draft, district_reporter, office_user):
    client.cookies["django_language"] = "vi"  # the Vietnamese screen
    report_save(
        draft, ReportInput(values={"members": Entry.of(120)}), version=1, actor=district_reporter
    )
    response = as_user(client, office_user).get(url("detail", draft))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Số đoàn viên công đoàn" in page and "120" in page
    assert [row.event.action for row in response.context["history"]] == ["create", "save"]
    change = response.context["history"][1].changes[0]
    assert (change.old, change.new) == ("chưa báo cáo", "120")


def test_the_reporter_of_the_unit_sees_its_report_without_the_history(
    client, draft, district_reporter
):
    response = as_user(client, district_reporter).get(url("detail", draft))
    assert response.status_code == 200
    assert response.context["history"] == []
    assert response.context["may_edit"] and not response.context["may_approve"]


def test_a_reporter_of_another_district_gets_404(client, draft, other_district_reporter):
    client = as_user(client, other_district_reporter)
    for name in ["detail", "edit", "diff"]:
        assert client.get(url(name, draft)).status_code == 404
    for name in ["submit", "return", "approve", "reopen"]:
        assert client.post(url(name, draft), {"reason": "x"}).status_code == 404


def test_the_committee_reads_a_report_but_may_not_change_it(client, draft, committee_user):
    client = as_user(client, committee_user)
    response = client.get(url("detail", draft))
    assert response.status_code == 200
    assert not any(response.context[k] for k in ["may_edit", "may_submit", "may_approve"])
    assert client.get(url("edit", draft)).status_code == 403
    for name in ["submit", "return", "approve", "reopen"]:
        assert client.post(url(name, draft), {"reason": "x"}).status_code == 403
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT


def test_the_detail_page_says_how_late_a_report_was_submitted(client, draft, office_user):
    report_submit(draft, version=draft.version, actor=office_user)
    response = as_user(client, office_user).get(url("detail", draft))
    timeliness = response.context["timeliness"]
    # 2024Q3 was due in October 2024; the test submits it today.
    assert timeliness.on_time is False and timeliness.days_late > 300


# The form


def test_the_form_shows_time_wording_registry_counts_and_last_quarter(
    client, small_tree, programme, q3, district_reporter, office_user
):
    client.cookies["django_language"] = "vi"  # the Vietnamese screen
    q2 = opened(small_tree.d2, period(programme, "2024Q2"), office_user)
    report_save(q2, ReportInput(values={"members": Entry.of(4321)}), version=1, actor=office_user)
    draft = opened(small_tree.d2, q3, district_reporter)
    response = as_user(client, district_reporter).get(url("edit", draft))
    page = response.content.decode()
    assert response.status_code == 200
    assert "30/09/2024" in page and 'inputmode="numeric"' in page
    assert "4.321" in page  # the previous quarter, written the Vietnamese way
    form = response.context["form"]
    assert form["v_grassroots_total"].value() == "2"  # C21 and C22 under D2 on 30/09/2024
    assert "Unit D2" in page and 'name="version"' in page
    assert 'name="n_3_1_results"' in page
    assert "<details" in page


def test_the_form_groups_fields_in_the_order_people_think(client, draft, district_reporter):
    response = as_user(client, district_reporter).get(url("edit", draft))
    labels = [label for label, _items in response.context["sections"]]
    order = [g.label for g in field_groups()]
    assert labels[0] == order[0]
    assert labels == sorted(labels, key=order.index)


# Numbers the reader's way: 1.234 on the Vietnamese screen, 1,234 on the English one.

ENGLISH_HELP = "Type whole numbers; 1,234 and 1 234 both mean one thousand two hundred"
ENGLISH_ERROR = "Enter a whole number, such as 1,234 (a comma or a space between thousands)."
VIETNAMESE_HELP = "Nhập số nguyên; 1.234 và 1 234 đều là một nghìn hai trăm ba mươi tư."
VIETNAMESE_ERROR = (
    "Hãy nhập số nguyên, ví dụ 1.234 (phân cách hàng nghìn bằng dấu chấm hoặc dấu cách)."
)


@pytest.mark.parametrize(
    ("language", "typed"),
    [("vi", "2.600"), ("vi", "2 600"), ("vi", "2600"), ("en", "2,600"), ("en", "2 600")],
)
def test_a_number_typed_the_readers_way_is_saved_as_a_whole_number(
    client, draft, district_reporter, language, typed
):
    client.cookies["django_language"] = language
    response = save(as_user(client, district_reporter), draft, v_members=typed)
    assert response.status_code == 302
    assert stored(draft, "members") == Entry.of(2600)


@pytest.mark.parametrize(
    ("language", "shown"), [("vi", ["1.133", "1.127"]), ("en", ["1,133", "1,127"])]
)
def test_the_inputs_and_the_previous_quarter_group_digits_the_readers_way(
    client, small_tree, programme, q3, district_reporter, office_user, language, shown
):
    client.cookies["django_language"] = language
    q2 = opened(small_tree.d2, period(programme, "2024Q2"), office_user)
    report_save(q2, ReportInput(values={"members": Entry.of(1127)}), version=1, actor=office_user)
    draft = opened(small_tree.d2, q3, district_reporter)
    report_save(draft, ReportInput(values={"members": Entry.of(1133)}), version=1, actor=None)
    client = as_user(client, district_reporter)
    response = client.get(url("edit", draft))
    now, before = shown
    assert response.context["form"]["v_members"].value() == now
    row = response.content.decode().split('id="row-members"')[1].split('class="field-row')[0]
    assert f'value="{now}"' in row and before in row
    # Saved back unchanged, it is the same number.
    assert save(client, draft).status_code == 302
    assert stored(draft, "members") == Entry.of(1133)


@pytest.mark.parametrize(
    ("language", "help_text", "error"),
    [("en", ENGLISH_HELP, ENGLISH_ERROR), ("vi", VIETNAMESE_HELP, VIETNAMESE_ERROR)],
)
def test_the_help_and_the_error_give_the_readers_example(
    client, draft, district_reporter, language, help_text, error
):
    client.cookies["django_language"] = language
    client = as_user(client, district_reporter)
    page = client.get(url("edit", draft)).content.decode()
    help_line = page.split('id="number-help">')[1].split("</p>")[0]
    assert help_line.startswith(help_text)
    response = save(client, draft, v_members="abc")
    assert response.context["form"].errors["v_members"] == [error]
    assert error in response.content.decode()


@pytest.mark.parametrize(
    "typed",
    [
        "1.234",  # a decimal to an English reader, not one thousand …
        "12,5",  # neither a grouping nor an English decimal
        "2,60",  # groups are three digits: not 260 …
        "26,00",  # … nor 2600
        "1,2345",
        "1.5",
    ],
)
def test_an_english_reader_is_refused_what_is_not_a_whole_number_in_english(
    client, draft, district_reporter, typed
):
    response = save(as_user(client, district_reporter), draft, v_members=typed)
    assert response.status_code == 200
    assert response.context["form"].errors["v_members"] == [ENGLISH_ERROR]
    assert f'value="{typed}"' in response.content.decode()
    assert untouched(draft)


@pytest.mark.parametrize("typed", ["12,5", "2,600", "2.60", "26.00"])
def test_a_vietnamese_reader_is_refused_what_is_not_a_whole_number_in_vietnamese(
    client, draft, district_reporter, typed
):
    client.cookies["django_language"] = "vi"
    response = save(as_user(client, district_reporter), draft, v_members=typed)
    assert response.context["form"].errors["v_members"] == [VIETNAMESE_ERROR]
    assert f'value="{typed}"' in response.content.decode()
    assert untouched(draft)


def test_the_form_reads_numbers_in_the_language_it_is_told(draft):
    ctx = report_form_context(draft)
    data = {"version": "1", "v_members": "2,600"}
    english = ReportForm(data, fields=ctx.fields, task_groups=ctx.task_groups, language="en")
    assert english.is_valid() and english.entries["members"] == Entry.of(2600)
    vietnamese = ReportForm(data, fields=ctx.fields, task_groups=ctx.task_groups, language="vi")
    assert not vietnamese.is_valid()
    assert vietnamese.errors["v_members"] == [
        "Enter a whole number, such as 1.234 (a dot or a space between thousands)."
    ]


def test_blank_not_applicable_and_zero_stay_distinct(client, draft, district_reporter):
    client = as_user(client, district_reporter)
    save(
        client,
        draft,
        v_members="0",
        v_informed_ytd="",
        v_enterprise_workers="",
        na_enterprise_workers="on",
    )
    assert stored(draft, "members") == Entry.of(0)
    assert stored(draft, "informed_ytd") == Entry.blank()
    assert stored(draft, "enterprise_workers") == Entry.na()
    shown = client.get(url("edit", draft)).context["form"]
    assert shown["v_members"].value() == "0"
    assert shown["v_informed_ytd"].value() == "" and not shown["na_informed_ytd"].value()
    assert shown["na_enterprise_workers"].value()


@pytest.mark.parametrize("language", ["en", "vi"])
def test_the_form_keeps_what_was_typed_when_a_value_is_wrong(
    client, draft, district_reporter, language
):
    client.cookies["django_language"] = language
    response = save(
        as_user(client, district_reporter),
        draft,
        v_members="12,5",
        v_informed_ytd="2 500",
        n_3_1_results="Đã tổ chức 12 hội nghị",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors["v_members"]
    assert 'value="12,5"' in page and 'value="2 500"' in page
    assert "Đã tổ chức 12 hội nghị" in page
    assert not Value.objects.filter(report=draft, field__code="members", state="number").exists()


def test_a_numerator_above_its_denominator_is_shown_next_to_the_field(
    client, draft, district_reporter
):
    response = save(
        as_user(client, district_reporter),
        draft,
        v_cba_eligible="100",
        v_cba_signed="150",
        v_members="90",
    )
    assert response.status_code == 200
    assert response.context["form"].errors["v_cba_signed"]
    assert 'value="150"' in response.content.decode()
    assert 'id="errors-cba_signed"' in response.content.decode()


def test_one_save_reports_bad_numbers_and_a_numerator_above_its_denominator_at_once(
    client, draft, district_reporter
):
    response = save(
        as_user(client, district_reporter),
        draft,
        v_members="-5",
        v_enterprise_workers="abc",
        v_workers_union_units="1,353",
        v_informed_ytd="2,000",
    )
    page = response.content.decode()
    errors = response.context["form"].errors
    assert response.status_code == 200
    assert errors["v_members"] == ["Enter a number that is not negative."]
    assert errors["v_enterprise_workers"][0].startswith("Enter a whole number")
    assert errors["v_informed_ytd"] == [
        "2,000 is more than its denominator “Members and workers in units with a union” (1,353)."
    ]
    for code in ["members", "enterprise_workers", "informed_ytd"]:
        assert f'id="errors-{code}"' in page
    for typed in ["-5", "abc", "1,353", "2,000"]:
        assert f'value="{typed}"' in page
    assert untouched(draft)


def test_the_denominator_message_is_written_the_vietnamese_way(client, draft, district_reporter):
    client.cookies["django_language"] = "vi"  # the Vietnamese screen
    response = save(
        as_user(client, district_reporter),
        draft,
        v_members="-5",
        v_workers_union_units="1353",
        v_informed_ytd="2000",
    )
    [message] = response.context["form"].errors["v_informed_ytd"]
    assert "2.000" in message and "(1.353)" in message
    assert "“Đoàn viên và CNVCLĐ ở các đơn vị có tổ chức công đoàn”" in message
    assert response.context["form"].errors["v_members"]


def test_a_pair_is_checked_only_when_both_of_its_values_are_numbers(
    client, draft, district_reporter
):
    client = as_user(client, district_reporter)
    save(client, draft, v_cba_eligible="100", v_cba_signed="50")
    typo = save(client, draft, v_cba_eligible="1o0", v_cba_signed="150")
    assert list(typo.context["form"].errors) == ["v_cba_eligible"]  # not 150 > stored 100
    # A number beside a "not applicable" denominator has nothing to be counted against.
    not_applicable = save(client, draft, v_cba_eligible="", na_cba_eligible="on", v_cba_signed="7")
    assert not_applicable.status_code == 200
    assert "not applicable" in str(not_applicable.context["form"].errors["v_cba_signed"])
    both = save(
        client, draft, v_cba_eligible="", na_cba_eligible="on", v_cba_signed="", na_cba_signed="on"
    )
    assert both.status_code == 302


def test_a_number_and_not_applicable_together_are_refused(client, draft, district_reporter):
    response = save(as_user(client, district_reporter), draft, v_members="12", na_members="on")
    assert response.context["form"].errors["v_members"]


def test_a_stale_save_shows_the_other_persons_change_and_does_not_overwrite(
    client, draft, district_reporter, office_user
):
    client = as_user(client, district_reporter)
    shown = client.get(url("edit", draft))
    report_save(draft, ReportInput(values={"members": Entry.of(777)}), version=1, actor=office_user)
    data = form_data(shown, v_members="555", n_3_1_results="Kết quả của tôi")
    response = client.post(url("edit", draft), {**data, "save": "1"})
    page = response.content.decode()
    assert response.status_code == 409
    assert stored(draft, "members") == Entry.of(777)
    assert 'id="stale-box"' in page and "office" in page and "777" in page
    assert 'value="555"' in page and "Kết quả của tôi" in page
    draft.refresh_from_db()
    assert response.context["form"]["version"].value() == str(draft.version)
    again = client.post(url("edit", draft), {**data, "version": str(draft.version), "save": "1"})
    assert again.status_code == 302
    assert stored(draft, "members") == Entry.of(555)


def test_the_reporter_cannot_edit_a_cdcs_report_inside_its_subtree(
    client, small_tree, q3, district_reporter, office_user
):
    cdcs = opened(small_tree.c21, q3, office_user)
    client = as_user(client, district_reporter)
    assert client.get(url("detail", cdcs)).status_code == 200
    assert client.get(url("edit", cdcs)).status_code == 403
    assert client.post(url("submit", cdcs)).status_code == 403


def test_a_submitted_report_cannot_be_edited(client, draft, district_reporter):
    report_submit(draft, version=draft.version, actor=district_reporter)
    response = as_user(client, district_reporter).get(url("edit", draft))
    assert response.status_code == 302 and response["Location"] == url("detail", draft)


def test_save_and_submit_submits_the_report(client, draft, district_reporter):
    response = save(as_user(client, district_reporter), draft, submit=True, v_members="1,500")
    draft.refresh_from_db()
    assert response["Location"] == url("detail", draft)
    assert draft.status == ReportStatus.SUBMITTED


def test_the_form_runs_a_fixed_number_of_queries(
    client, small_tree, programme, q3, district_reporter, django_assert_max_num_queries
):
    q2 = opened(small_tree.d2, period(programme, "2024Q2"), district_reporter)
    report_save(q2, ReportInput(values={"members": Entry.of(10)}), version=1, actor=None)
    draft = opened(small_tree.d2, q3, district_reporter)
    values = {"members": Entry.of(12), "informed_ytd": Entry.of(5)}
    report_save(draft, ReportInput(values=values), version=1, actor=None)
    client = as_user(client, district_reporter)
    with django_assert_max_num_queries(30):
        assert client.get(url("edit", draft)).status_code == 200


# Sharp jumps


@pytest.fixture
def jumped(small_tree, programme, q3, office_user, district_reporter) -> Report:
    """Q2 approved with 1.000 members; a Q3 draft of the reporter's own unit."""
    q2 = opened(small_tree.d2, period(programme, "2024Q2"), office_user)
    q2 = report_save(q2, ReportInput(values={"members": Entry.of(1000)}), version=1, actor=None)
    report_approve(report_submit(q2, version=q2.version, actor=None), actor=office_user)
    return opened(small_tree.d2, q3, district_reporter)


def test_a_sharp_jump_is_saved_but_must_be_confirmed_before_submitting(
    client, jumped, district_reporter
):
    client = as_user(client, district_reporter)
    response = save(client, jumped, submit=True, v_members="300")
    jumped.refresh_from_db()
    assert stored(jumped, "members") == Entry.of(300)
    assert jumped.status == ReportStatus.DRAFT
    assert response["Location"] == url("edit", jumped) + "?saved=1"  # saved: the draft goes
    shown = client.get(url("edit", jumped))
    assert 'id="warning-members"' in shown.content.decode()
    assert 'name="confirm_members"' in shown.content.decode()
    save(client, jumped, submit=True, confirm_members="on")
    jumped.refresh_from_db()
    assert jumped.status == ReportStatus.SUBMITTED


def test_the_messages_about_one_sharp_jump_speak_of_one_value(
    client, jumped, district_reporter, office_user
):
    reporter = as_user(client, district_reporter)
    saved = save(reporter, jumped, v_members="300")
    assert "Saved. 1 value changed sharply: confirm or correct it" in messages_of(saved)
    submitted = save(reporter, jumped, submit=True)
    assert "confirm or correct the value marked below" in messages_of(submitted)
    jumped.refresh_from_db()
    report = report_submit(jumped, version=jumped.version, actor=None)
    refused = as_user(client, office_user).post(url("approve", report), follow=True)
    assert "1 value changed sharply and is not confirmed" in refused.content.decode()


def messages_of(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_a_refused_save_still_shows_a_sharp_jump_and_keeps_its_confirmation(
    client, jumped, district_reporter
):
    response = save(
        as_user(client, district_reporter),
        jumped,
        v_members="300",
        confirm_members="on",
        v_cba_eligible="100",
        v_cba_signed="150",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["v_cba_signed"]
    assert 'id="warning-members"' in page
    assert 'name="confirm_members" id="id_confirm_members" checked' in page
    assert "(1,000 → 300)" in page
    assert (
        "“Enterprises and units with a union eligible to sign a collective labour agreement” (100)"
        in page
    )


def test_office_staff_cannot_approve_while_a_sharp_jump_is_unconfirmed(client, jumped, office_user):
    report = report_save(
        jumped, ReportInput(values={"members": Entry.of(300)}), version=1, actor=None
    )
    report = report_submit(report, version=report.version, actor=None)
    client = as_user(client, office_user)
    detail = client.get(url("detail", report))
    assert 'id="unconfirmed-warnings"' in detail.content.decode()
    response = client.post(url("approve", report), follow=True)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert "not confirmed" in response.content.decode()


# Transitions


def test_a_return_needs_a_reason(client, draft, office_user):
    report_submit(draft, version=draft.version, actor=office_user)
    response = as_user(client, office_user).post(url("return", draft), {"reason": " "}, follow=True)
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SUBMITTED
    assert "Say why" in response.content.decode()


def test_the_reporter_reads_the_reason_a_report_was_returned_and_resubmits(
    client, draft, district_reporter, office_user
):
    report_submit(draft, version=draft.version, actor=district_reporter)
    staff = as_user(client, office_user)
    staff.post(url("return", draft), {"reason": "Thiếu số đoàn viên"})
    draft.refresh_from_db()
    assert draft.status == ReportStatus.RETURNED
    reporter = as_user(client, district_reporter)
    assert "Thiếu số đoàn viên" in reporter.get(url("detail", draft)).content.decode()
    assert "Thiếu số đoàn viên" in reporter.get(url("edit", draft)).content.decode()
    reporter.post(url("submit", draft), {"version": draft.version})
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SUBMITTED


def test_office_staff_approve_a_submitted_report(client, draft, office_user):
    report_submit(draft, version=draft.version, actor=office_user)
    response = as_user(client, office_user).post(url("approve", draft))
    draft.refresh_from_db()
    assert response["Location"] == url("detail", draft)
    assert draft.status == ReportStatus.APPROVED and draft.in_force


@pytest.mark.parametrize("name", ["return", "approve", "reopen"])
def test_a_reporter_may_not_review_its_own_report(client, draft, district_reporter, name):
    report_submit(draft, version=draft.version, actor=district_reporter)
    response = as_user(client, district_reporter).post(url(name, draft), {"reason": "x"})
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SUBMITTED


def test_transitions_only_accept_post(client, draft, office_user):
    client = as_user(client, office_user)
    for name in ["submit", "return", "approve", "reopen"]:
        assert client.get(url(name, draft)).status_code == 405


def test_reopening_needs_a_reason_and_makes_a_new_revision(client, draft, office_user):
    report_approve(report_submit(draft, version=1, actor=None), actor=office_user)
    client = as_user(client, office_user)
    client.post(url("reopen", draft), {"reason": ""})
    assert Report.objects.filter(unit=draft.unit, period=draft.period).count() == 1
    response = client.post(url("reopen", draft), {"reason": "Sai số đoàn viên"})
    new = Report.objects.get(unit=draft.unit, period=draft.period, revision=2)
    assert response["Location"] == url("detail", new)
    assert new.status == ReportStatus.DRAFT
    page = client.get(url("detail", new)).content.decode()
    assert url("detail", draft) in page and url("diff", new) in page
    assert ReportEvent.objects.filter(report=new, reason="Sai số đoàn viên").exists()


@pytest.mark.parametrize(
    ("language", "before", "after"), [("vi", "1.200", "1.250"), ("en", "1,200", "1,250")]
)
def test_the_diff_page_shows_old_and_new_values_side_by_side(
    client, draft, office_user, language, before, after
):
    client.cookies["django_language"] = language
    draft = report_save(
        draft, ReportInput(values={"members": Entry.of(1200)}), version=1, actor=None
    )
    approved = report_approve(
        report_submit(draft, version=draft.version, actor=None), actor=office_user
    )
    new = report_reopen(approved, reason="Sửa", actor=office_user)
    report_save(
        new,
        ReportInput(values={"members": Entry.of(1250), "informed_ytd": Entry.na()}),
        version=new.version,
        actor=office_user,
    )
    response = as_user(client, office_user).get(url("diff", new))
    rows = response.context["rows"]
    assert [(r.field.code, r.old, r.new) for r in rows] == [
        ("members", Entry.of(1200), Entry.of(1250)),
        ("informed_ytd", Entry.blank(), Entry.na()),
    ]
    assert before in response.content.decode() and after in response.content.decode()
    # The history under the report groups the digits of a change the same way.
    history = as_user(client, office_user).get(url("detail", draft)).context["history"]
    changes = [(c.old, c.new) for row in history for c in row.changes]
    assert (before, after) in changes


def test_the_diff_page_of_a_first_revision_says_there_is_nothing_to_compare(
    client, draft, office_user
):
    response = as_user(client, office_user).get(url("diff", draft))
    assert response.status_code == 200 and response.context["rows"] == []


def test_a_report_returned_by_the_service_keeps_its_values_on_the_form(
    client, draft, district_reporter, office_user
):
    draft = report_save(draft, ReportInput(values={"members": Entry.of(42)}), version=1, actor=None)
    draft = report_submit(draft, version=draft.version, actor=None)
    report_return(draft, reason="Kiểm tra lại", actor=office_user)
    response = as_user(client, district_reporter).get(url("edit", draft))
    assert response.context["form"]["v_members"].value() == "42"
    assert stored(draft, "members").state == ValueState.NUMBER


def test_one_save_also_checks_the_registry_beside_a_typo(client, draft, district_reporter):
    """Checks the service makes (here: more CĐCS than the registry holds below the unit)
    come with the typing errors of the same save, not after they are fixed."""
    response = save(
        as_user(client, district_reporter),
        draft,
        v_enterprise_workers="abc",
        v_grassroots_total="50",
    )
    errors = response.context["form"].errors
    assert errors["v_enterprise_workers"][0].startswith("Enter a whole number")
    assert errors["v_grassroots_total"] == [
        "More than the 2 CĐCS registered in this unit's subtree."
    ]
    assert 'value="50"' in response.content.decode()
    assert untouched(draft)
