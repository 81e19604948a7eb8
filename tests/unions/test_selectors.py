import datetime as dt

from unions.selectors import (
    unit_ancestors,
    unit_children,
    unit_descendants,
    unit_parent_on,
    unit_tree,
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


def test_tree_on_a_date_has_one_root_and_counts_grassroots(
    small_tree, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        roots = unit_tree(BEFORE)
    assert [r.unit.code for r in roots] == ["P"]
    assert roots[0].grassroots_count == 4
    assert sorted(c.unit.code for c in roots[0].children) == ["D1", "D2"]
    after = unit_tree(AFTER)[0]
    assert sorted(c.unit.code for c in after.children) == ["D2", "W1"]


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
