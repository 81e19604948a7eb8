"""Many people saving, submitting, returning, approving and reopening at once (PostgreSQL).

Eight threads, each with its own database connection, work on the same few reports through
`reports.services`. Afterwards every successful save is still there, every refusal was a clean
StaleVersion or WorkflowError, and every report is in a state the workflow allows.
"""

from __future__ import annotations

import random
import threading
import traceback
from collections import defaultdict
from dataclasses import dataclass, field

import pytest
from django.db import connection

from reports.models import EventAction, Report, ReportEvent, ReportStatus, Value
from reports.services import (
    StaleVersion,
    WorkflowError,
    report_approve,
    report_open,
    report_reopen,
    report_return,
    report_save,
    report_submit,
)
from tests.conftest import opened, period

from .conftest import BASE_VALUES, entries, postgres_only

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]

REPORTERS, OFFICE = 5, 3
STEPS = 15
BUMPS = {EventAction.SAVE, EventAction.IMPORT, "submit", "return", "approve"}


@dataclass
class Log:
    saves: list[tuple[int, int, dict[str, int]]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    done: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _latest(key: tuple[int, int]) -> Report:
    unit_id, period_id = key
    return Report.objects.get(unit_id=unit_id, period_id=period_id, is_latest=True)


def _values(rng: random.Random) -> dict[str, int]:
    workers = rng.randint(120, 300)
    return {
        "members": rng.randint(100, 200),
        "workers_union_units": workers,
        "informed_ytd": rng.randint(0, workers),
    }


def _reporter_step(rng: random.Random, key: tuple[int, int], log: Log) -> None:
    report = _latest(key)
    if rng.random() < 0.7:
        values = _values(rng)
        saved = report_save(report, entries(values), version=report.version, actor=None)
        with log.lock:
            log.saves.append((saved.pk, saved.version, values))
        log.done.append("save")
    else:
        report_submit(report, version=report.version, actor=None)
        log.done.append("submit")


def _office_step(rng: random.Random, key: tuple[int, int], log: Log) -> None:
    report = _latest(key)
    if report.status == ReportStatus.APPROVED:
        report_reopen(report, reason="Sửa số liệu", actor=None)
        log.done.append("reopen")
    elif rng.random() < 0.5:
        report_approve(report, actor=None)
        log.done.append("approve")
    else:
        report_return(report, reason="Thiếu số liệu", actor=None)
        log.done.append("return")


def _worker(step, seed: int, keys, barrier: threading.Barrier, log: Log) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    try:
        barrier.wait()
        for _ in range(STEPS):
            try:
                step(rng, rng.choice(keys), log)
            except (StaleVersion, WorkflowError) as refused:
                log.refused.append(type(refused).__name__)
    except Exception:  # anything else is a failure of the services under load
        log.unexpected.append(traceback.format_exc())
    finally:
        connection.close()


def _run(workers: list[tuple]) -> None:  # type: ignore[type-arg]
    threads = [threading.Thread(target=_worker, args=args) for args in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a worker hung (a deadlock?)"


@pytest.fixture
def keys(small_tree, programme) -> list[tuple[int, int]]:
    t = small_tree
    found = []
    for unit, code in [(t.d2, "2025Q1"), (t.d2, "2025Q2"), (t.c21, "2025Q3")]:
        report = opened(unit, period(programme, code), None)
        report_save(report, entries(BASE_VALUES), version=report.version, actor=None)
        found.append((report.unit_id, report.period_id))
    return found


def test_many_clients_at_once_lose_no_value_and_leave_valid_reports(keys):
    log = Log()
    barrier = threading.Barrier(REPORTERS + OFFICE)
    workers = [(_reporter_step, i, keys, barrier, log) for i in range(REPORTERS)]
    workers += [(_office_step, 100 + i, keys, barrier, log) for i in range(OFFICE)]
    _run(workers)

    assert not log.unexpected, "\n".join(log.unexpected)
    assert "save" in log.done and log.refused, "the run should both save and collide"
    _assert_valid_states(keys)
    _assert_no_value_lost(keys, log)


def _assert_valid_states(keys: list[tuple[int, int]]) -> None:
    for unit_id, period_id in keys:
        reports = list(Report.objects.filter(unit_id=unit_id, period_id=period_id))
        assert sum(r.is_latest for r in reports) == 1
        assert sum(r.in_force for r in reports) <= 1
        assert all(r.status == ReportStatus.APPROVED for r in reports if r.in_force)
        assert sorted(r.revision for r in reports) == list(range(1, len(reports) + 1))
        for r in reports:
            bumps = ReportEvent.objects.filter(report=r, action__in=BUMPS).count()
            assert r.version == 1 + bumps, (r.pk, r.version, bumps)
            if not r.is_latest:
                assert r.status == ReportStatus.APPROVED  # only approved reports are reopened


def _assert_no_value_lost(keys: list[tuple[int, int]], log: Log) -> None:
    saves = defaultdict(list)
    for pk, version, values in log.saves:
        saves[pk].append((version, values))
        assert ReportEvent.objects.filter(report_id=pk, action="save", version=version).exists()
    for unit_id, period_id in keys:
        expected: dict[str, int] = dict(BASE_VALUES)
        for report in Report.objects.filter(unit_id=unit_id, period_id=period_id).order_by(
            "revision"
        ):
            # A new revision starts from the values of the one it reopened.
            for _version, values in sorted(saves[report.pk], key=lambda s: s[0]):
                expected.update(values)
            given = Value.objects.filter(report=report, state="number", field__registry_count="")
            found = dict(given.values_list("field__code", "number"))
            assert found == expected, (report.pk, report.revision)


def test_eight_people_opening_the_same_report_at_once_get_the_same_draft(small_tree, programme):
    quarter = period(programme, "2025Q4")
    barrier = threading.Barrier(8)
    opened: list[int] = []
    errors: list[str] = []

    def open_it() -> None:
        try:
            barrier.wait()
            opened.append(report_open(small_tree.d2, quarter, None).pk)
        except Exception:
            errors.append(traceback.format_exc())
        finally:
            connection.close()

    threads = [threading.Thread(target=open_it) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, "\n".join(errors)
    assert len(set(opened)) == 1
    assert Report.objects.filter(unit=small_tree.d2, period=quarter).count() == 1
