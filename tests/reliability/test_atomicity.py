"""Report saves and transitions are all or nothing, even when the database fails half-way.

The failure is the database's own: a trigger that raises on one row (PostgreSQL and SQLite),
or the server ending the session in the middle of a service call (PostgreSQL). Nothing of our
code is replaced.
"""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, connections, transaction

from reports.models import Report, ReportEvent, ReportStatus, Value
from reports.services import (
    report_approve,
    report_reopen,
    report_save,
    report_submit,
)

from .conftest import BASE_VALUES, entries, postgres_only

FAIL_ON = 999999

PG_TRIGGER = {
    "reports_value": "NEW.number = 999999",
    "reports_reportevent": "NEW.action = TG_ARGV[0]",
}


def _trigger(table: str, when: str, action: str = "") -> None:
    """Makes the database refuse one row of `table` (undone with the test's transaction)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"""
                CREATE FUNCTION reliability_fail_{table}() RETURNS trigger AS $$
                BEGIN
                    IF {when} THEN RAISE EXCEPTION 'the disk went away'; END IF;
                    RETURN NEW;
                END $$ LANGUAGE plpgsql
                """
            )
            cursor.execute(
                f"CREATE TRIGGER reliability_fail BEFORE INSERT OR UPDATE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION reliability_fail_{table}('{action}')"
            )
        else:
            condition = when.replace("TG_ARGV[0]", f"'{action}'")
            for event in ("INSERT", "UPDATE"):
                cursor.execute(
                    f"CREATE TRIGGER reliability_fail_{event} BEFORE {event} ON {table} "
                    f"WHEN {condition} BEGIN SELECT RAISE(ABORT, 'the disk went away'); END"
                )


def _state(report: Report) -> dict[str, object]:
    """What a reader would find about the report's unit and period."""
    reports = Report.objects.filter(unit=report.unit, period=report.period).order_by("revision")
    return {
        "reports": list(
            reports.values("pk", "revision", "status", "version", "is_latest", "in_force")
        ),
        "values": sorted(
            Value.objects.filter(report__in=reports).values_list(
                "report_id", "field__code", "state", "number", "warning_confirmed"
            )
        ),
        "events": list(
            ReportEvent.objects.filter(report__in=reports).order_by("pk").values_list("pk")
        ),
    }


def test_a_save_that_fails_on_its_last_value_leaves_the_report_as_it_was(draft):
    _trigger("reports_value", PG_TRIGGER["reports_value"])
    before = _state(draft)
    # The first two values are written before the third is refused.
    data = entries({"members": 150, "informed_ytd": 70, "workers_union_units": FAIL_ON})
    with pytest.raises(DatabaseError):
        report_save(draft, data, version=draft.version, actor=None)
    assert _state(draft) == before
    assert Value.objects.get(report=draft, field__code="members").number == 100


def test_an_approval_that_fails_on_its_event_approves_nothing(draft):
    report = report_submit(draft, version=draft.version, actor=None)
    _trigger("reports_reportevent", PG_TRIGGER["reports_reportevent"], "approve")
    before = _state(report)
    with pytest.raises(DatabaseError):
        report_approve(report, actor=None)
    assert _state(report) == before
    report.refresh_from_db()
    assert (report.status, report.in_force) == (ReportStatus.SUBMITTED, False)


def test_a_reopening_that_fails_half_way_keeps_the_approved_revision_latest(draft):
    report = report_submit(draft, version=draft.version, actor=None)
    report = report_approve(report, actor=None)
    # The new revision and its values are written, then the REOPEN event is refused.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                """
                CREATE FUNCTION reliability_fail_reopen() RETURNS trigger AS $$
                BEGIN
                    IF NEW.action = 'reopen' THEN
                        RAISE EXCEPTION 'the disk went away';
                    END IF;
                    RETURN NEW;
                END $$ LANGUAGE plpgsql
                """
            )
            cursor.execute(
                "CREATE TRIGGER reliability_fail BEFORE INSERT ON reports_reportevent "
                "FOR EACH ROW EXECUTE FUNCTION reliability_fail_reopen()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER reliability_fail BEFORE INSERT ON reports_reportevent "
                "WHEN NEW.action = 'reopen' "
                "BEGIN SELECT RAISE(ABORT, 'the disk went away'); END"
            )
    before = _state(report)
    with pytest.raises(DatabaseError):
        report_reopen(report, reason="Sửa số liệu", actor=None)
    assert _state(report) == before
    assert Report.objects.get(pk=report.pk).is_latest


# --- the server ends the session in the middle of a service call -----------------------------


class KillOnWrite:
    """An execute wrapper that has the server terminate this session at the Nth write.

    The kill comes from a second connection, as when PostgreSQL restarts or an administrator
    ends the session: the statement then fails and the transaction is lost with it.
    """

    def __init__(self, nth: int) -> None:
        self.nth = nth
        self.writes = 0
        self.pid = connection.cursor().connection.info.backend_pid

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            self.writes += 1
            if self.writes == self.nth:
                killer = connections.create_connection("default")
                try:
                    with killer.cursor() as cursor:
                        cursor.execute("SELECT pg_terminate_backend(%s)", [self.pid])
                finally:
                    killer.close()
        return execute(sql, params, many, context)


def _reconnect() -> None:
    # The broken connection is already closed by Django's atomic(); make sure of it.
    connection.close()
    connection.ensure_connection()


SAVE_WRITES = 5  # three values, the report's version, the event
APPROVE_WRITES = 3  # the old in-force flag, the report, the event


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_save_cut_off_by_the_server_at_any_write_leaves_no_half_saved_report(draft):
    before = _state(draft)
    data = entries({"members": 150, "informed_ytd": 70, "workers_union_units": 130})
    # Each cut leaves the report as it was, so the next one starts from the same place.
    for nth in range(1, SAVE_WRITES + 1):
        killer = KillOnWrite(nth)
        with pytest.raises(DatabaseError), connection.execute_wrapper(killer):
            report_save(draft, data, version=draft.version, actor=None)
        assert killer.writes == nth
        _reconnect()
        assert _state(draft) == before, f"cut at write {nth}"


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_an_approval_cut_off_by_the_server_at_any_write_approves_nothing(draft):
    report = report_submit(draft, version=draft.version, actor=None)
    before = _state(report)
    for nth in range(1, APPROVE_WRITES + 1):
        killer = KillOnWrite(nth)
        with pytest.raises(DatabaseError), connection.execute_wrapper(killer):
            report_approve(report, actor=None)
        assert killer.writes == nth
        _reconnect()
        assert _state(report) == before, f"cut at write {nth}"


def test_the_save_without_failures_writes_every_value(draft):
    """The control case: the same save as above goes through when nothing fails."""
    data = entries({"members": 150, "informed_ytd": 70, "workers_union_units": 130})
    with transaction.atomic():
        saved = report_save(draft, data, version=draft.version, actor=None)
    assert saved.version == draft.version + 1
    given = Value.objects.filter(report=draft, state="number", field__registry_count="")
    numbers = dict(given.values_list("field__code", "number"))
    assert numbers == {
        **BASE_VALUES,
        "members": 150,
        "informed_ytd": 70,
        "workers_union_units": 130,
    }
