"""Two reorganisations at once (PostgreSQL): the closure still matches the parent links.

Each reorganisation computes closure rows from the links it reads. A unit moved under a
district by one member of staff while another moves that district to another province would,
without a lock, leave the unit's rows pointing at the district's old province: the second
move cannot see the first's uncommitted link, and the first computed its rows before the
second's link existed. The first transaction here is held open on purpose until the second
has had its chance to run, so the interleaving does not depend on luck.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, transaction

from tests.conftest import make_unit
from unions.closure import closure_objects, compute_spans, lifetimes_read
from unions.models import Unit, UnitClosure, UnitKind, UnitLink
from unions.services import ReorgError, unit_dissolve, unit_move

from .conftest import postgres_only

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]

DAY = dt.date(2025, 7, 1)
HOLD_SECONDS = 1.5


def _closure_as_links_say() -> set[tuple[int, int, int, dt.date, dt.date | None]]:
    links = [
        (c, p, s, e or dt.date.max)
        for c, p, s, e in UnitLink.objects.values_list(
            "child_id", "parent_id", "valid_from", "valid_to"
        )
    ]
    spans = compute_spans(lifetimes_read(), links)
    return {
        (r.ancestor_id, r.descendant_id, r.depth, r.valid_from, r.valid_to)
        for r in closure_objects(spans)
    }


def _closure_stored() -> set[tuple[int, int, int, dt.date, dt.date | None]]:
    return set(
        UnitClosure.objects.values_list(
            "ancestor_id", "descendant_id", "depth", "valid_from", "valid_to"
        )
    )


def _run_at_once(first, second) -> list[Exception]:  # type: ignore[no-untyped-def]
    """`first` runs in a transaction held open until `second` has finished (or waited
    HOLD_SECONDS for it); both in threads with their own connections."""
    started, second_done = threading.Event(), threading.Event()
    errors: list[Exception] = []

    def one() -> None:
        try:
            with transaction.atomic():
                first()
                started.set()
                second_done.wait(HOLD_SECONDS)
        except Exception as error:  # reported to the test
            errors.append(error)
        finally:
            started.set()
            connection.close()

    def two() -> None:
        try:
            started.wait(10)
            second()
        except Exception as error:  # reported to the test
            errors.append(error)
        finally:
            second_done.set()
            connection.close()

    threads = [threading.Thread(target=one), threading.Thread(target=two)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return errors


@pytest.fixture
def two_provinces():
    p1 = make_unit("P1", UnitKind.PROVINCE, None)
    p2 = make_unit("P2", UnitKind.PROVINCE, None)
    d1 = make_unit("D1", UnitKind.DISTRICT, p1)
    d2 = make_unit("D2", UnitKind.DISTRICT, p1)
    c = make_unit("C1", UnitKind.GRASSROOTS, d1)
    return p1, p2, d1, d2, c


def test_a_unit_moved_under_a_district_that_moves_at_once_follows_it(two_provinces):
    _p1, p2, _d1, d2, c = two_provinces

    errors = _run_at_once(
        lambda: unit_move([Unit.objects.get(pk=c.pk)], Unit.objects.get(pk=d2.pk), DAY),
        lambda: unit_move([Unit.objects.get(pk=d2.pk)], Unit.objects.get(pk=p2.pk), DAY),
    )

    assert errors == []
    assert _closure_stored() == _closure_as_links_say()
    assert UnitClosure.objects.filter(
        ancestor=p2, descendant=c, valid_from=DAY, valid_to=None
    ).exists()


def test_a_district_dissolved_while_a_unit_moves_under_it_is_refused_or_followed(two_provinces):
    """The move runs first and holds; the dissolution without a successor then finds the
    unit under the district and refuses, instead of ending the district with a unit left
    under it."""
    _p1, _p2, _d1, d2, c = two_provinces

    errors = _run_at_once(
        lambda: unit_move([Unit.objects.get(pk=c.pk)], Unit.objects.get(pk=d2.pk), DAY),
        lambda: unit_dissolve(Unit.objects.get(pk=d2.pk), DAY),
    )

    assert len(errors) == 1
    assert isinstance(errors[0], ReorgError)
    assert "C1" in str(errors[0])
    d2.refresh_from_db()
    assert d2.valid_to is None
    assert _closure_stored() == _closure_as_links_say()
