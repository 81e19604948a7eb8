"""The audit page puts recorded names and values into the reader's words when it is read."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from accounts.models import Role
from audit.chain import EntryContent, entry_append
from audit.display import LABELS, field_label
from audit.models import AuditEntry
from audit.recording import _fields, _row, audited_models
from reports.models import Report, ReportStatus
from tests.conftest import make_user, opened

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")
URL = "/audit/"


def changes(
    app_label: str, model: str, before: dict[str, str], after: dict[str, str], language: str = "en"
) -> list[tuple[str, str | None, str | None]]:
    entry = AuditEntry(app_label=app_label, model=model, before=before, after=after)
    with translation.override(language):
        return entry.changes()


# Labels ---------------------------------------------------------------------------------------


def test_every_audited_field_has_a_label_that_can_be_translated():
    for model in audited_models():
        meta = model._meta
        recorded = _row(model, {f.attname: None for f in _fields(model)})
        for name in recorded:
            if (meta.app_label, meta.model_name, name) in LABELS:
                continue
            assert isinstance(meta.get_field(name).verbose_name, Promise), f"{meta.label}.{name}"


def test_the_report_fields_are_labelled_by_the_model_in_the_words_the_page_always_used():
    approved = changes("reports", "report", {"approved_at": ""}, {"approved_at": "01/07/2025"})
    assert approved == [("approved at", "", "01/07/2025")]
    names = [
        ("reports", "report", "submitted_at"),
        ("reports", "report", "in_force"),
        ("reports", "report", "version"),
        ("reports", "report", "is_latest"),
        ("reports", "value", "warning_confirmed"),
        ("targets", "taskgroup", "order"),
    ]
    labels = [field_label(*name) for name in names]
    assert labels == [
        "submitted at",
        "in force",
        "version",
        "latest revision",
        "warning confirmed",
        "order",
    ]
    with translation.override("vi"):
        labels = [field_label(*name) for name in names]
    assert labels == [
        "thời điểm gửi",
        "đang có hiệu lực",
        "lần lưu",
        "phiên bản mới nhất",
        "đã xác nhận cảnh báo",
        "thứ tự",
    ]
    assert field_label("reports", "value", "value") == "value"


def test_a_foreign_key_is_named_like_the_model_it_points_to_unless_it_says_more():
    assert field_label("reports", "value", "report") == "report"
    assert field_label("reports", "value", "field") == "data field"
    assert field_label("reports", "narrative", "task_group") == "task group"
    assert field_label("reports", "assignment", "first_period") == "from"  # its own label
    with translation.override("vi"):
        assert field_label("reports", "value", "report") == str(Report._meta.verbose_name)
        assert field_label("reports", "value", "report") == "báo cáo"
        assert field_label("reports", "narrative", "task_group") == "nhóm nhiệm vụ"
        assert field_label("reports", "report", "period") == "kỳ báo cáo"
        assert field_label("reports", "report", "in_force") == "đang có hiệu lực"


def test_the_counts_of_a_reopened_report_are_labelled_with_the_models_plural():
    labels = [label for label, _old, _new in changes("reports", "report", {}, {"values": "2"})]
    assert labels == ["values"]
    with translation.override("vi"):
        assert field_label("reports", "report", "narratives") == "thuyết minh"


def test_a_name_the_model_no_longer_has_is_shown_as_recorded():
    assert field_label("reports", "report", "gone_field") == "gone_field"
    assert field_label("nowhere", "nothing", "name") == "name"
    assert changes("nowhere", "nothing", {"name": "a"}, {"name": "b"}) == [("name", "a", "b")]


# Values ---------------------------------------------------------------------------------------


def test_choices_are_shown_with_their_labels_in_the_readers_language():
    status = {"status": "submitted"}, {"status": "returned"}
    assert changes("reports", "report", *status) == [("status", "Submitted", "Returned")]
    with translation.override("vi"):
        label = str(Report._meta.get_field("status").verbose_name)
        returned = str(ReportStatus.RETURNED.label)
    assert returned != "Returned"
    assert changes("reports", "report", *status, language="vi") == [(label, "Đã gửi", returned)]
    role = changes("accounts", "user", {}, {"role": "committee"})
    assert role == [("role", None, str(Role.COMMITTEE.label))]
    assert role[0][2] == "Standing Committee reader"
    # A value the choices no longer list is shown as recorded.
    assert changes("reports", "report", {}, {"status": "lost"})[0][2] == "lost"


def test_booleans_are_yes_or_no_and_only_on_boolean_fields():
    assert changes("reports", "report", {"in_force": "false"}, {"in_force": "true"}) == [
        ("in force", "no", "yes")
    ]
    assert changes("reports", "report", {"in_force": "false"}, {"in_force": "true"}, "vi")[0][
        1:
    ] == ("không", "có")
    # A note whose text happens to be "true" stays as typed.
    assert changes("unions", "unit", {}, {"note": "true"})[0][2] == "true"


def test_password_markers_and_report_values_are_words():
    assert changes("accounts", "user", {"password": ""}, {"password": "password changed"}) == [
        ("password", "", "password changed")
    ]
    assert changes("accounts", "user", {}, {"password": "password set"})[0][2] == "password set"
    with translation.override("vi"):  # through the catalogue, whatever it says today
        words = translation.gettext("password changed"), translation.gettext("password set")
    after = changes("accounts", "user", {"password": "password changed"}, {}, "vi")[0][1]
    assert (after, changes("accounts", "user", {}, {"password": "password set"}, "vi")[0][2]) == (
        words
    )
    value = changes("reports", "value", {"value": "NA"}, {"value": "blank"})
    assert value == [("value", "Not applicable", "Not reported")]
    assert changes("reports", "value", {"value": "1000"}, {"value": "1500"})[0][1:] == (
        "1,000",
        "1,500",
    )
    assert changes("reports", "value", {}, {"value": "1500"}, "vi")[0][2] == "1.500"
    assert changes("targets", "target", {"value": "12.5"}, {}, "vi")[0][1] == "12,5"
    # Years and other integers are not grouped.
    assert changes("reports", "reportingperiod", {}, {"year": "2025"}, "vi")[0][2] == "2025"


def test_the_copies_of_a_reopened_report_are_counted_in_words():
    copied = changes(
        "reports", "report", {"values": "0"}, {"values": "1200 copied from r1"}, language="en"
    )
    assert copied == [("values", "0", "1,200 copied from revision 1")]
    # Only where the recorder writes it: a unit's note is shown as typed.
    assert changes("unions", "unit", {}, {"note": "5 copied from r1"})[0][2] == "5 copied from r1"


def test_the_stored_entry_is_not_changed_by_reading_it(small_tree):
    user = make_user("clerk", Role.REPORTER, small_tree.d2)
    user.role = Role.COMMITTEE
    user.save()
    entry = AuditEntry.objects.filter(model="user", object_pk=str(user.pk)).latest("pk")
    entry.changes()
    entry.refresh_from_db()
    assert entry.after == {"role": "committee"}


# The page -------------------------------------------------------------------------------------


def _flat(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_the_page_shows_labels_and_values_in_words(client, office_user, small_tree):
    user = make_user("clerk", Role.REPORTER, small_tree.d2)
    user.role, user.is_active = Role.COMMITTEE, False
    user.set_password("another-secret-4711")
    user.save()
    client.force_login(office_user)
    text = _flat(client.get(URL, {"model": "user"}).text)
    assert "Role: Reporter → Standing Committee reader" in text
    assert "Active: yes → no" in text
    assert "Password: ∅ → password changed" in text
    assert "reporter →" not in text and "true" not in text


def test_the_page_reads_in_vietnamese_for_a_vietnamese_reader(client, office_user, small_tree):
    user = make_user("clerk", Role.REPORTER, small_tree.d2)
    user.is_active = False
    user.save()
    client.force_login(office_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    text = _flat(client.get(URL, {"model": "user"}).text)
    with translation.override("vi"):
        active = str(user._meta.get_field("is_active").verbose_name)
        reporter = str(Role.REPORTER.label)
    assert f"{active.capitalize()}: có → không" in text
    assert reporter in text and "reporter" not in text.replace("reporter_", "")


def test_the_pager_is_the_portals_with_previous_next_and_page_x_of_y(client, office_user, db):
    for n in range(120):
        entry_append(
            EntryContent(
                actor_id=None,
                actor_username="",
                via="test",
                via_detail="",
                app_label="unions",
                model="unit",
                object_pk=str(n),
                object_repr=f"Unit {n}",
                action="update",
                before={},
                after={},
            )
        )
    client.force_login(office_user)
    pages = -(-AuditEntry.objects.count() // 50)
    first = client.get(URL).text
    assert '<nav class="pager"' in first and 'class="pagination"' not in first
    assert f"Page 1 of {pages}" in first and "Next page" in first
    assert "Previous page" not in first
    later = client.get(URL, {"page": 2, "action": "update"}).text
    assert "Previous page" in later and "Page 2 of" in later
    assert re.search(r'href="\?[^"]*action=update[^"]*" rel="prev"', later)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    assert f"Trang 1/{pages}" in client.get(URL).text


# The assignments page, which shares the portal's stylesheet -------------------------------------


def test_the_assignment_end_input_suggests_its_own_first_quarter(client, office_user, programme):
    from reports.assignments import assignments_apply_proposal
    from reports.models import Assignment

    assignments_apply_proposal()
    client.force_login(office_user)
    html = client.get(reverse("reports:assignments")).text
    open_ones = Assignment.objects.filter(last_period__isnull=True)
    assert open_ones
    for a in open_ones.select_related("first_period"):
        field = re.search(rf'<input[^>]*id="id_end{a.pk}-last"[^>]*>', html)
        assert field is not None
        assert f'placeholder="{a.first_period.label}"' in field[0]  # in words, as typed
    assert 'class="visually-hidden">Last quarter</label>' in html


def test_visually_hidden_is_defined_once_in_the_portals_stylesheet():
    static = settings.BASE_DIR / "static" / "css"
    portal = (static / "portal.css").read_text()
    assert re.search(r"^\.visually-hidden \{[^}]*clip", portal, re.M)
    for css in static.glob("*.css"):
        if css.name != "portal.css":
            assert ".visually-hidden" not in css.read_text(), css.name
    page = (settings.BASE_DIR / "templates" / "base.html").read_text()
    assert "css/portal.css" in page


# Data fields ----------------------------------------------------------------------------------


def test_a_report_value_names_its_data_field_by_label_with_the_code_after_it(programme):
    from targets.models import Field

    members = Field.objects.get(code="members")
    created = changes("reports", "value", {}, {"field": "members", "value": "5"})
    assert created[0] == ("data field", None, f"{members.label_en} (members)")
    with translation.override("vi"):
        entry = AuditEntry(app_label="reports", model="value", object_repr="D2 2024Q3 r1 · members")
        assert entry.object_text() == f"D2 2024Q3 r1 · {members.label_vi} (members)"
    # An indicator's numerator too; a code no field has any more is shown as recorded.
    numerator = changes("targets", "indicator", {"numerator": "gone"}, {"numerator": "members"})
    assert numerator[0][1:] == ("gone", f"{members.label_en} (members)")


def test_the_page_names_the_fields_of_saved_and_imported_values_by_label(
    client, office_user, small_tree, programme, django_assert_max_num_queries
):
    from reports.importing import values_import
    from reports.importing_file import ImportLine
    from reports.models import ValueState
    from reports.numbers import Entry
    from reports.services import ReportInput, report_save
    from targets.models import Field
    from tests.conftest import period

    report = opened(small_tree.d2, period(programme, "2024Q3"), office_user)
    values = {"members": Entry.of(1250), "members_committed": Entry.of(900)}
    report_save(report, ReportInput(values=values), version=report.version, actor=office_user)
    values_import([ImportLine(2, "C21", "2024Q3", "members", 80, "draft")])
    client.force_login(office_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    client.get(URL)  # the programme of the page's header is cached after the first page
    # One query more than the entries: the values of the page's report events, read at once.
    with django_assert_max_num_queries(7):
        text = _flat(client.get(URL, {"model": "reportevent"}).text)
    with translation.override("vi"):
        labels = {f.code: f.label for f in Field.objects.filter(code__startswith="members")}
        blank = str(ValueState.BLANK.label)
    # Each save is one entry; its values are read from the report event that records them.
    assert "D2 2024Q3 r1 · save" in text and "C21 2024Q3 r1 · import" in text
    assert f"{labels['members_committed']} (members_committed): {blank} → 900" in text
    assert f"{labels['members']} (members): {blank} → 1.250" in text
    assert f"{labels['members']} (members): {blank} → 80" in text
    assert "· members " not in text and ": members_committed " not in text
