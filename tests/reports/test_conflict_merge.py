"""A save that meets a newer version merges: what the person did not touch takes the newer
values, what both changed is shown side by side until the person chooses, and nothing the
other person saved is reverted without that choice."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports.assignments import assignments_apply_proposal
from reports.merge import entry_of, merge_cells
from reports.models import Value
from reports.numbers import Entry
from reports.services import ReportInput, report_save
from tests.conftest import opened, period
from tests.reports.test_views_forms import form_data

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


def test_merge_cells_takes_theirs_keeps_mine_and_flags_what_both_changed():
    start = {"a": "1", "b": "2", "c": "3", "d": "4", "e": None}
    mine = {"a": "1", "b": "20", "c": "30", "d": "40", "e": "5"}
    theirs = {"a": "10", "b": "2", "c": "31", "d": "40", "e": "6"}
    outcome = merge_cells(start, mine, theirs)
    assert outcome.theirs == {"a"}
    assert outcome.clashes == ["c", "e"]  # "b" is mine alone, "d" the same on both sides


@pytest.fixture
def draft(small_tree, programme, district_reporter):
    assignments_apply_proposal()
    report = opened(small_tree.d2, period(programme, "2025Q3"), district_reporter)
    values = {"members": Entry.of(1142), "informed_ytd": Entry.of(500)}
    return report_save(report, ReportInput(values=values), version=report.version, actor=None)


def stored(report, code):
    value = Value.objects.get(report=report, field__code=code)
    return Entry(value.state, value.number)


def _edit(report):
    return reverse("reports:edit", args=[report.pk])


def test_a_stale_save_takes_their_untouched_changes_and_asks_about_the_clash(
    client, draft, district_reporter, office_user
):
    client.force_login(district_reporter)
    shown = client.get(_edit(draft))
    mine = form_data(shown, v_members="1141", v_informed_ytd="600")
    theirs = ReportInput(values={"members": Entry.of(1143), "enterprise_workers": Entry.of(7700)})
    report_save(draft, theirs, version=draft.version, actor=office_user)
    response = client.post(_edit(draft), {**mine, "save": "1"})
    assert response.status_code == 409
    page = response.content.decode()
    assert 'id="clash-members"' in page
    clash = response.context["clash_rows"][0][0]
    assert (clash.key, clash.mine, clash.theirs, clash.original) == (
        "members",
        "1,141",
        "1,143",
        "1,142",
    )
    form = response.context["form"]
    assert form["v_enterprise_workers"].value() == "7,700"  # untouched by me: theirs
    assert form["v_informed_ytd"].value() == "600"  # mine alone: kept
    assert stored(draft, "members") == Entry.of(1143)
    # Saving the merged screen without a choice saves nothing.
    again = form_data(response)
    refused = client.post(_edit(draft), {**again, "save": "1"})
    assert refused.status_code == 200 and "Choose your value or theirs" in refused.content.decode()
    assert stored(draft, "members") == Entry.of(1143)
    # Choosing theirs keeps their figure; my other change is saved; theirs is not reverted.
    chosen = client.post(_edit(draft), {**again, "pick_members": "theirs", "save": "1"})
    assert chosen.status_code == 302
    assert stored(draft, "members") == Entry.of(1143)
    assert stored(draft, "enterprise_workers") == Entry.of(7700)
    assert stored(draft, "informed_ytd") == Entry.of(600)


def test_choosing_mine_in_a_clash_saves_mine(client, draft, district_reporter, office_user):
    client.force_login(district_reporter)
    mine = form_data(client.get(_edit(draft)), v_members="1141")
    report_save(
        draft, ReportInput(values={"members": Entry.of(1143)}), version=2, actor=office_user
    )
    response = client.post(_edit(draft), {**mine, "save": "1"})
    chosen = client.post(_edit(draft), {**form_data(response), "pick_members": "mine", "save": "1"})
    assert chosen.status_code == 302
    assert stored(draft, "members") == Entry.of(1141)


def test_narratives_merge_like_figures(client, draft, district_reporter, office_user):
    client.force_login(district_reporter)
    mine = form_data(client.get(_edit(draft)), n_3_1_results="Kết quả của tôi")
    theirs = ReportInput(narratives={"3.1": ("", "Hạn chế của Văn phòng", "")})
    report_save(draft, theirs, version=draft.version, actor=office_user)
    response = client.post(_edit(draft), {**mine, "save": "1"})
    assert response.status_code == 409 and response.context["clash_rows"] == []
    form = response.context["form"]
    assert form["n_3_1_results"].value() == "Kết quả của tôi"
    assert form["n_3_1_shortfalls"].value() == "Hạn chế của Văn phòng"
    saved = client.post(_edit(draft), {**form_data(response), "save": "1"})
    assert saved.status_code == 302
    narrative = draft.narratives.get()
    assert (narrative.results, narrative.shortfalls) == ("Kết quả của tôi", "Hạn chế của Văn phòng")


def test_the_form_loads_its_draft_script_and_is_told_when_a_save_succeeded(
    client, draft, district_reporter
):
    client.force_login(district_reporter)
    page = client.get(_edit(draft)).content.decode()
    assert "/static/js/draft-1.0.0.js" in page and "<script>" not in page
    assert f'data-draft-report="{draft.pk}"' in page and "data-draft-saved" not in page
    saved = client.post(_edit(draft), {**form_data(client.get(_edit(draft))), "save": "1"})
    assert saved["Location"].endswith("?saved=1")
    assert 'data-draft-saved="1"' in client.get(saved["Location"]).content.decode()


def test_a_count_the_registry_fills_in_stays_in_the_merged_form(
    client, small_tree, programme, district_reporter, office_user
):
    from reports.services import report_open

    assignments_apply_proposal()
    report = report_open(small_tree.d2, period(programme, "2025Q3"), None)  # nothing stored
    client.force_login(district_reporter)
    shown = client.get(_edit(report))
    prefilled = shown.context["form"]["v_grassroots_total"].value()
    assert prefilled  # the registry's count of the district's CĐCS
    mine = form_data(shown, v_members="300")
    report_save(report, ReportInput(values={"members": Entry.of(1)}), version=1, actor=office_user)
    response = client.post(_edit(report), {**mine, "save": "1"})
    assert response.status_code == 409
    assert response.context["form"]["v_grassroots_total"].value() == prefilled
    assert [c.key for c, _pick in response.context["clash_rows"]] == ["members"]


@pytest.mark.parametrize("odd", ["²", "①", "٣"])
def test_a_figure_in_digits_of_another_script_is_no_figure(odd):

    assert entry_of(odd) == entry_of("")
    assert entry_of("12") != entry_of("")
