"""A worker's kept breakdowns (`rollup.figures_cache`, `rollup.breakdown_laid`): a page served
from them is the page made afresh, after every kind of write a figure depends on; nothing is
kept inside a transaction. These tests commit (transactional_db), as requests do."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from reports.assignments import assignments_apply_proposal
from reports.services import report_approve, report_return
from rollup import figures_cache, totals
from rollup.breakdown_laid import KEPT
from rollup.figures_cache import Kept, earlier
from tests.conftest import approved, make_unit, make_user
from unions.models import UnitKind
from unions.services import unit_dissolve, unit_update

URL = "/dashboards/indicator/A01/"
QUERIES = [
    {"period": "2025"},
    {"period": "2025", "sort": "-value"},
    {"period": "2025", "provisional": "1"},
    {"period": "2025", "tree": "as_now", "sort": "status"},
]


@pytest.fixture
def every_row(settings):
    settings.BREAKDOWN_KEPT_MIN_ROWS = 1  # the small tree's breakdowns are kept too


def _page(client, query) -> str:
    body = client.get(URL, query).content.decode()
    return re.sub(r'data-as-of="[^"]*"|\d\d:\d\d|name="csrfmiddlewaretoken" value="\w*"', "", body)


def _pages_as_made_afresh(client) -> None:
    """Each page twice (the second from what the worker kept) is the page with nothing kept."""
    for query in QUERIES:
        kept = [_page(client, query), _page(client, query)]
        KEPT.clear()
        assert kept == [_page(client, query)] * 2, query


def test_pages_from_kept_rows_follow_every_write(
    transactional_db, every_row, small_tree, programme, client
):
    t = small_tree
    client.force_login(make_user("office", "office", t.province))
    assignments_apply_proposal()  # the reporting units: the breakdown's rows
    approved(t.d2, programme, "2025Q3", workers_union_units=40, informed_ytd=30)
    waiting = approved(
        t.ward, programme, "2025Q3", approve=False, workers_union_units=70, informed_ytd=50
    )
    totals.totals_rebuild()  # both trees' sums, followed by every write from now on
    _pages_as_made_afresh(client)
    for query in QUERIES:
        _page(client, query)
    assert len(KEPT) == 3  # the tree as it was, with provisional figures, today's tree
    sent = []
    writes = [
        lambda: report_approve(waiting, actor=None),
        lambda: sent.append(
            approved(
                t.d2, programme, "2025Q4", approve=False, workers_union_units=50, informed_ytd=49
            )
        ),
        lambda: report_return(sent[0], reason="a correction", actor=None),
        lambda: unit_update(t.d2, name="Renamed district", sector="", budget_paid=False),
        lambda: (
            make_unit("D3", UnitKind.DISTRICT, t.province, start=dt.date(2025, 1, 1)),
            assignments_apply_proposal(),
        ),
        lambda: unit_dissolve(t.d2, dt.date(2026, 1, 15), successor=t.ward),
    ]
    for number, write in enumerate(writes):
        before = [_page(client, q) for q in QUERIES]
        write()
        after = [_page(client, q) for q in QUERIES]
        assert after != before, number  # every write here changes something the pages show
        _pages_as_made_afresh(client)


def test_a_kept_page_reads_no_breakdown_again(
    transactional_db, every_row, small_tree, programme, client
):
    client.force_login(make_user("office", "office", small_tree.province))
    assignments_apply_proposal()
    approved(small_tree.d2, programme, "2025Q3", workers_union_units=40, informed_ytd=30)
    totals.totals_rebuild()
    client.get(URL, {"period": "2025"})
    with CaptureQueriesContext(connection) as kept:
        client.get(URL, {"period": "2025"})
    KEPT.clear()
    with CaptureQueriesContext(connection) as afresh:
        client.get(URL, {"period": "2025"})
    assert len(kept) < len(afresh)


def test_nothing_is_kept_inside_a_transaction(transactional_db, small_tree):
    kept: Kept[str] = Kept()
    made = []

    def make() -> tuple[str, int]:
        made.append(1)
        return "rows", 5000

    with transaction.atomic():
        kept.get_or_make("key", make)
        kept.get_or_make("key", make)
    assert len(made) == 2 and len(kept) == 0
    kept.get_or_make("key", make)
    kept.get_or_make("key", make)
    assert len(made) == 3 and len(kept) == 1


def test_a_write_leaves_only_the_newer_version_kept(transactional_db, small_tree):
    kept: Kept[str] = Kept()
    assert kept.get_or_make("a", lambda: ("before", 5000)) == "before"
    assert kept.get_or_make("a", lambda: ("again", 5000)) == "before"
    unit_update(small_tree.c21, name="Renamed", sector=small_tree.c21.sector, budget_paid=False)
    assert kept.get_or_make("a", lambda: ("after", 5000)) == "after"
    assert len(kept) == 1


def test_small_breakdowns_are_not_kept_and_the_rows_kept_are_bounded(
    transactional_db, small_tree, settings
):
    settings.BREAKDOWN_KEPT_MIN_ROWS = 100
    settings.BREAKDOWN_KEPT_MAX_ROWS = 250
    kept: Kept[str] = Kept()
    kept.get_or_make("small", lambda: ("x", 99))
    assert len(kept) == 0
    for key in ("a", "b", "c"):
        kept.get_or_make(key, lambda: ("x", 100))
    assert len(kept) == 2  # "a", the least recently used, went
    assert kept.get_or_make("a", lambda: ("made again", 100)) == "made again"


def test_an_entry_read_partly_from_a_replica_serves_only_while_both_stand_still(monkeypatch):
    """The totals are read from the primary, units and reports from a current replica: an
    entry is keyed by both databases' versions (no database asked: the versions are given)."""
    now: list[figures_cache.Version] = [(("default", 5), ("replica", 4))]
    monkeypatch.setattr(figures_cache, "figures_version", lambda: now[0])
    kept: Kept[str] = Kept()
    assert kept.get_or_make("a", lambda: ("first", 5000)) == "first"
    assert kept.get_or_make("a", lambda: ("again", 5000)) == "first"
    now[0] = (("default", 5), ("replica", 5))  # the replica replayed a rename
    assert kept.get_or_make("a", lambda: ("second", 5000)) == "second"
    assert len(kept) == 1  # the earlier state is never asked again
    now[0] = (("default", 5),)  # the replica skipped: the primary alone is another source
    assert kept.get_or_make("a", lambda: ("primary", 5000)) == "primary"
    assert len(kept) == 2
    now[0] = (("default", 5), ("replica", 4))  # read before the write another has seen
    assert kept.get_or_make("a", lambda: ("late", 5000)) == "late"
    assert len(kept) == 2


def test_earlier_states_are_of_the_same_databases():
    assert earlier((("default", 4),), (("default", 5),))
    assert not earlier((("default", 5),), (("default", 5),))
    assert not earlier((("default", 5), ("replica", 3)), (("default", 4), ("replica", 4)))
    assert not earlier((("default", 4),), (("default", 5), ("replica", 5)))
