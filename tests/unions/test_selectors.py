import datetime as dt

from unions.selectors import (
    unit_ancestors,
    unit_children,
    unit_level_counts,
    unit_level_units,
    unit_parent_on,
)

BEFORE = dt.date(2024, 6, 30)
AFTER = dt.date(2026, 1, 1)


def codes(units):
    return sorted(u.code for u in units)


def test_children_and_parent_change_on_the_reform_date(small_tree):
    t = small_tree
    assert codes(unit_children(t.ward, AFTER)) == ["C11", "C12"]
    assert unit_parent_on(t.c11, dt.date(2025, 6, 30)) == t.d1
    assert unit_parent_on(t.c11, dt.date(2025, 7, 1)) == t.ward


def test_ancestors_run_from_the_root_down(small_tree):
    t = small_tree
    assert unit_ancestors(t.c11, BEFORE) == [t.province, t.d1]
    assert unit_ancestors(t.c11, AFTER) == [t.province, t.ward]


def test_a_level_of_the_tree_on_a_date_counts_what_lies_below_each_unit(
    small_tree, django_assert_max_num_queries
):
    t = small_tree
    with django_assert_max_num_queries(2):
        roots = unit_level_counts(BEFORE, unit_level_units(BEFORE, None))
    assert [(r.unit.code, r.units_below, r.grassroots_count) for r in roots] == [("P", 6, 4)]
    with django_assert_max_num_queries(2):
        level = unit_level_counts(AFTER, unit_level_units(AFTER, t.province))
    assert sorted((r.unit.code, r.units_below, r.grassroots_count) for r in level) == [
        ("D2", 2, 2),
        ("W1", 2, 2),
    ]
    assert unit_level_counts(AFTER, unit_level_units(AFTER, t.c11)) == []
