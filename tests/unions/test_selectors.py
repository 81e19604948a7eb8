import datetime as dt

from unions.selectors import (
    unit_ancestors,
    unit_children,
    unit_descendants,
    unit_level_counts,
    unit_level_units,
    unit_parent_on,
)

BEFORE = dt.date(2024, 6, 30)
AFTER = dt.date(2026, 1, 1)


def codes(units):
    return sorted(u.code for u in units)


def test_descendants_follow_the_tree_as_it_stood_on_the_date(small_tree):
    t = small_tree
    assert codes(unit_descendants(t.province, BEFORE)) == ["C11", "C12", "C21", "C22", "D1", "D2"]
    assert codes(unit_descendants(t.province, AFTER)) == ["C11", "C12", "C21", "C22", "D2", "W1"]
    assert codes(unit_descendants(t.d1, BEFORE)) == ["C11", "C12"]
    assert unit_descendants(t.d1, AFTER) == []


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


def test_descendants_cost_one_query_whatever_the_size(small_tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        unit_descendants(small_tree.province, BEFORE)


def test_names_sort_in_vietnamese_alphabetical_order():
    from unions.models import vi_sort_key

    names = ["Bum Tở", "Phường Tân Phong", "Bình Lư", "Trường số 10", "Đoàn Kết", "Bum Nưa"]
    names += ["Dương", "Bản Bo", "Trường số 2", "Phường Đoàn Kết", "bạ", "ba", "bà", "bá"]
    assert sorted(names, key=vi_sort_key) == [
        "ba", "bà", "bá", "bạ",  # tones after the letters: none, huyền, sắc, nặng
        "Bản Bo", "Bình Lư", "Bum Nưa", "Bum Tở",  # not "Bum" before "Bình" (code points)
        "Dương", "Đoàn Kết",  # đ is a letter of its own, after d
        "Phường Đoàn Kết", "Phường Tân Phong",
        "Trường số 2", "Trường số 10",  # numbers by value
    ]  # fmt: skip
