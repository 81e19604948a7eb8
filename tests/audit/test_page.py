"""The audit page: office staff only, filters, one object's history, constant queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.chain import EntryContent, entry_append
from audit.models import AuditEntry
from audit.tables import audit_trail_url
from tests.conftest import make_unit
from unions.models import UnitKind

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")
URL = "/audit/"


def shown(response) -> list[AuditEntry]:
    return [row.record for row in response.context["table"].paginated_rows]


def _entry(**kwargs) -> AuditEntry:
    values = {
        "actor_id": None,
        "via": "web",
        "via_detail": "",
        "app_label": "unions",
        "model": "unit",
        "object_pk": "1",
        "object_repr": "Unit X (X)",
        "action": "update",
        "actor_username": "someone",
        "before": {},
        "after": {},
    }
    return entry_append(EntryContent(**(values | kwargs)))


def test_the_page_is_mounted_where_other_pages_link_to_it():
    assert reverse("audit:list") == URL
    assert audit_trail_url("unit", 7) == "/audit/?model=unit&object=7"


def test_only_office_staff_and_administrators_may_read_the_log(
    client, office_user, admin_user, committee_user, district_reporter
):
    anonymous = client.get(URL)
    assert anonymous.status_code == 302 and reverse("accounts:login") in anonymous["Location"]
    for user, status in [
        (office_user, 200),
        (admin_user, 200),
        (committee_user, 403),
        (district_reporter, 403),
    ]:
        client.force_login(user)
        assert client.get(URL).status_code == status, user.username
    client.force_login(office_user)
    assert client.post(URL).status_code == 405


def test_office_staff_see_the_link_in_the_menu_and_reporters_do_not(
    client, office_user, district_reporter
):
    client.force_login(office_user)
    assert 'href="/audit/"' in client.get(reverse("unions:tree")).text
    client.force_login(district_reporter)
    assert 'href="/audit/"' not in client.get(reverse("unions:tree")).text


def test_entries_are_newest_first_and_show_before_and_after(client, office_user, small_tree):
    client.force_login(office_user)
    client.post(reverse("unions:edit", args=["C21"]), {"name": "Renamed <b>", "sector": "coop"})
    response = client.get(URL)
    rows = shown(response)
    assert rows == sorted(rows, key=lambda e: (e.at, e.pk), reverse=True)
    assert rows[0].object_repr == "Renamed <b> (C21)"
    html = response.text
    assert "<del>Unit C21</del> → <ins>Renamed &lt;b&gt;</ins>" in html
    assert f'href="/audit/?model=unit&amp;object={small_tree.c21.pk}"' in html


def test_one_objects_history_is_a_link_away(client, office_user, small_tree):
    client.force_login(office_user)
    unit = small_tree.c21
    unit.note = "checked"
    unit.save()
    response = client.get(audit_trail_url("unit", unit.pk))
    rows = shown(response)
    assert {(e.model, e.object_pk) for e in rows} == {("unit", str(unit.pk))}
    assert [e.action for e in rows] == ["update", "create"]
    assert "Showing the history of one object." in response.text


def test_filters_by_model_action_actor_dates_and_object_text(client, office_user, db):
    # Entries take the server's time, so the dates filtered on are today and yesterday.
    client.force_login(office_user)
    ours = {
        _entry(actor_username="tamduong"): "tamduong",
        _entry(action="delete", object_repr="Old union"): "deleted",
        _entry(model="reportevent", app_label="reports"): "event",
    }
    named = {name: entry for entry, name in ours.items()}
    today = timezone.localdate()
    yesterday = (today - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    cases = [
        ({"model": "reportevent"}, ["event"]),
        ({"action": "delete"}, ["deleted"]),
        ({"actor": "TAMD"}, ["tamduong"]),
        ({"since": today.strftime("%d/%m/%Y"), "q": "old un"}, ["deleted"]),
        ({"until": yesterday}, []),
        ({"model": "unit", "action": "update", "since": yesterday}, ["tamduong"]),
    ]
    for params, expected in cases:
        found = [e for e in shown(client.get(URL, params)) if e in ours]
        assert found == [named[name] for name in expected], params


def test_a_mistyped_date_is_explained_and_kept(client, office_user, db):
    client.force_login(office_user)
    response = client.get(URL, {"since": "31/02/2025", "actor": "office"})
    form = response.context["filter"].form
    assert "since" in form.errors
    assert 'value="31/02/2025"' in response.text and 'value="office"' in response.text


def test_the_page_runs_a_fixed_number_of_queries(
    client, office_user, small_tree, django_assert_max_num_queries
):
    client.force_login(office_user)
    client.get(URL)
    for n in range(60):
        make_unit(f"Q{n}", UnitKind.GRASSROOTS, small_tree.d2)
    assert AuditEntry.objects.count() > 120
    with django_assert_max_num_queries(5):
        response = client.get(URL, {"model": "unit"})
    assert len(shown(response)) == 50
    with django_assert_max_num_queries(5):
        client.get(URL, {"page": 2})
