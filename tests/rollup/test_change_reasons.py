"""Why a change is "–": the engine says which part of its rule left it out, and the unit
page shows that reason as visible text next to the dash."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.urls import reverse

from rollup.changes import Gap, absent_then, change_explained
from rollup.engine import Coverage
from tests.dashboards.conftest import reported

__all__ = ["reported"]  # fixture

Q_NOW, Q_THEN = (2026, 2), (2025, 2)
COMPLETE = {Q_NOW: Coverage(3, 3), Q_THEN: Coverage(3, 3)}


def test_a_change_is_shown_when_both_figures_are_there_and_complete():
    change = change_explained(Decimal(5), Decimal(3), (Q_NOW, Q_THEN), COMPLETE)
    assert (change.value, change.gap, change.why) == (Decimal(2), None, "")


def test_each_missing_part_is_named():
    late_now = {Q_NOW: Coverage(2, 3), Q_THEN: Coverage(3, 3)}
    late_then = {Q_NOW: Coverage(3, 3), Q_THEN: Coverage(1, 3)}
    cases = [
        ((None, Decimal(3), COMPLETE), Gap.NO_FIGURE),
        ((Decimal(5), None, COMPLETE), Gap.NO_FIGURE_THEN),
        ((Decimal(5), Decimal(3), late_now), Gap.INCOMPLETE_NOW),
        ((Decimal(5), Decimal(3), late_then), Gap.INCOMPLETE_THEN),
    ]
    for (now, then, coverage), gap in cases:
        change = change_explained(now, then, (Q_NOW, Q_THEN), coverage)
        assert (change.value, change.gap) == (None, gap)
        assert change.why
    # The province's own figures wait on nobody.
    own = change_explained(Decimal(5), Decimal(3), (Q_NOW, Q_THEN), late_then, province_only=True)
    assert own.value == Decimal(2)


def test_a_quarter_compared_before_the_programme_or_the_unit_is_told_apart(small_tree, programme):
    assert programme.issued_on == dt.date(2023, 12, 5)
    assert absent_then((2023, 3), small_tree.d2, programme) == Gap.NOT_IN_PROGRAMME
    assert absent_then((2025, 1), small_tree.ward, programme) == Gap.UNIT_ABSENT  # from 07/2025
    assert absent_then((2025, 3), small_tree.d1, programme) == Gap.UNIT_ABSENT  # dissolved
    assert absent_then((2024, 1), small_tree.d2, programme) == Gap.NO_FIGURE_THEN


def _change_cells(page: str) -> list[str]:
    return re.findall(r'<td role="cell" class="num change"[^>]*>(.*?)</td>', page, re.S)


def test_every_dash_in_the_change_column_says_why(client, office_user, reported):
    client.force_login(office_user)
    for unit, year in (("P", 2025), ("P", 2024), ("W1", 2025), ("D2", 2025)):
        page = client.get(reverse("dashboards:unit", args=[unit]), {"year": year}).content.decode()
        cells = _change_cells(page)
        assert cells, unit
        dashes = [c for c in cells if c.startswith("–")]
        assert all('class="change-why muted"' in c for c in dashes), (unit, year, dashes)
    ward = client.get(reverse("dashboards:unit", args=["W1"]), {"year": 2025}).content.decode()
    assert "the unit did not exist in the quarter compared" in ward
