"""The access helpers answer from the closure in the database, whatever the scope's size."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from unions.access import (
    can_see,
    visible_among,
    visible_unit_ids,
    visible_units,
)
from unions.models import Unit


def test_a_reporter_sees_its_subtree_ever_and_nothing_else(small_tree, district_reporter):
    t = small_tree
    seen = set(visible_units(district_reporter).values_list("code", flat=True))
    assert seen == {"D2", "C21", "C22"}
    assert {Unit.objects.get(pk=pk).code for pk in visible_unit_ids(district_reporter)} == seen
    assert can_see(district_reporter, t.c21.pk)
    assert not can_see(district_reporter, t.c11.pk)
    assert not can_see(district_reporter, t.province.pk)
    assert visible_among(district_reporter, [t.province.pk, t.d2.pk, t.c11.pk]) == {t.d2.pk}


def test_a_ward_reporter_sees_the_units_that_moved_in_but_not_their_old_district(
    small_tree, ward_reporter
):
    t = small_tree
    assert can_see(ward_reporter, t.c11.pk)
    assert not can_see(ward_reporter, t.d1.pk)


def test_office_staff_see_everything_without_a_query(small_tree, office_user):
    ids = [u.pk for u in Unit.objects.all()]
    with CaptureQueriesContext(connection) as queries:
        assert visible_among(office_user, ids) == set(ids)
        assert can_see(office_user, small_tree.c11.pk)
    assert len(queries) == 0
    assert visible_units(office_user).count() == len(ids)


def test_a_reporters_scope_is_a_subquery_not_a_list_of_ids(small_tree, district_reporter):
    sql = str(visible_units(district_reporter).query)
    assert "unions_unitclosure" in sql
