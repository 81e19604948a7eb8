"""Draft → checked → published from a date → closed early: only published programmes show."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from targets.models import Field, Indicator, Programme, ProgrammeStatus
from targets.programmes import (
    covers,
    fields_in_force,
    programme_chosen,
    programme_default,
    programmes_in_force,
    reporting_span,
)


def new_programme(code: str = "ctr-2026", **extra: object) -> Programme:
    values: dict[str, object] = {
        "code": code,
        "number": "01/CTr-2026",
        "title_vi": "Chương trình 2026–2030",
        "title_en": "Programme 2026–2030",
        "issued_on": dt.date(2026, 1, 1),
        "term_start": dt.date(2026, 1, 1),
        "term_end": dt.date(2030, 12, 31),
    }
    values.update(extra)
    second = Programme.objects.create(**values)
    field = Field.objects.create(
        code=f"{code}-volunteers",
        label_vi="Tình nguyện viên",
        label_en="Volunteers",
        group="members",
        time_kind="stock",
    )
    Indicator.objects.create(
        programme=second,
        code="N01",
        name_vi="Tình nguyện viên",
        name_en="Volunteers",
        text_vi="…",
        text_en="…",
        kind="term",
        numerator=field,
        display="count",
    )
    return second


@pytest.fixture
def programme(db):
    from targets.services import programme_03_load

    return programme_03_load()


def test_a_new_programme_is_a_draft_and_changes_no_screen(programme):
    draft = new_programme()
    assert draft.status == ProgrammeStatus.DRAFT
    assert programmes_in_force(2026, 2) == [programme]
    assert "ctr-2026-volunteers" not in {f.code for f in fields_in_force(2026, 2)}
    assert programme_default(dt.date(2026, 5, 1)) == programme
    assert programme_chosen("ctr-2026", dt.date(2026, 5, 1)) == programme
    assert not covers(draft, 2026, 2)
    assert reporting_span() == ((2023, 4), (2028, 4))
    draft.status = ProgrammeStatus.CHECKED
    draft.save()
    assert programmes_in_force(2026, 2) == [programme]


def test_drafts_are_not_in_the_api_nor_the_dashboard_choice(client, office_user, programme):
    new_programme()
    client.force_login(office_user)
    listing = client.get("/api/v1/programmes/").json()
    assert [p["code"] for p in listing["programmes"]] == [programme.code]
    assert client.get("/api/v1/programmes/ctr-2026/").status_code == 404
    assert client.get("/api/v1/progress/?programme=ctr-2026&period=term").status_code == 400
    page = client.get("/dashboards/", HTTP_ACCEPT_LANGUAGE="en").text
    assert programme.number in page and "01/CTr-2026" not in page


def test_published_from_a_quarter_earlier_quarters_do_not_ask(programme):
    second = new_programme(status="published", published_from=dt.date(2026, 4, 1))
    assert programmes_in_force(2026, 1) == [programme]
    assert programmes_in_force(2026, 2) == [programme, second]
    assert "ctr-2026-volunteers" in {f.code for f in fields_in_force(2026, 2)}
    assert "ctr-2026-volunteers" not in {f.code for f in fields_in_force(2026, 1)}
    assert not covers(second, 2026, 1) and covers(second, 2026, 2)


def test_closed_early_stops_asking_and_stays_readable(programme):
    programme.status = ProgrammeStatus.CLOSED
    programme.closed_from = dt.date(2026, 7, 1)
    programme.save()
    assert programmes_in_force(2026, 2) == [programme]
    assert programmes_in_force(2026, 3) == []
    assert not covers(programme, 2026, 3)
    # Figures stay readable: it is still chosen by code, and is the last one that ended.
    assert programme_chosen(programme.code, dt.date(2027, 1, 1)) == programme
    assert programme_default(dt.date(2027, 1, 1)) == programme
    assert reporting_span() == ((2023, 4), (2026, 2))


@pytest.mark.parametrize(
    "extra",
    [
        {"status": "published"},  # published without a date
        {"status": "closed", "published_from": dt.date(2026, 1, 1)},  # closed without a date
        {"status": "live"},
    ],
)
def test_the_database_refuses_a_status_without_its_date(db, extra):
    with pytest.raises(IntegrityError), transaction.atomic():
        new_programme(**extra)


@pytest.mark.django_db(transaction=True)
def test_the_migration_publishes_existing_programmes_and_goes_back():
    executor = MigrationExecutor(connection)
    before = [("targets", "0006_rollup_totals_move_to_rollup_app")]
    after = [("targets", "0007_programme_status")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("targets", "Programme")
    old.objects.create(
        code="p03",
        number="03/CTr",
        title_vi="x",
        title_en="x",
        issued_on=dt.date(2023, 11, 1),
        term_start=dt.date(2023, 1, 1),
        term_end=dt.date(2028, 12, 31),
    )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps.get_model("targets", "Programme")
    moved = new.objects.get(code="p03")
    assert (moved.status, moved.published_from) == ("published", dt.date(2023, 11, 1))
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
