import datetime as dt

from unions.closure import OPEN, compute_spans

D = dt.date


def test_a_unit_is_its_own_ancestor_for_its_lifetime():
    spans = compute_spans({1: (D(2020, 1, 1), OPEN)}, [])
    assert spans[1] == [(1, 0, D(2020, 1, 1), OPEN)]


def test_grandparent_span_is_the_intersection_of_both_links():
    lifetimes = {1: (D(2000, 1, 1), OPEN), 2: (D(2010, 1, 1), OPEN), 3: (D(2015, 1, 1), OPEN)}
    links = [(2, 1, D(2010, 1, 1), D(2025, 7, 1)), (3, 2, D(2015, 1, 1), OPEN)]
    spans = compute_spans(lifetimes, links)
    assert (1, 2, D(2015, 1, 1), D(2025, 7, 1)) in spans[3]
    assert (2, 1, D(2015, 1, 1), OPEN) in spans[3]


def test_moving_from_district_to_province_keeps_province_as_ancestor_throughout():
    lifetimes = {
        1: (D(2000, 1, 1), OPEN),
        2: (D(2000, 1, 1), D(2025, 7, 1)),
        3: (D(2015, 1, 1), OPEN),
    }
    links = [
        (2, 1, D(2000, 1, 1), D(2025, 7, 1)),
        (3, 2, D(2015, 1, 1), D(2025, 7, 1)),
        (3, 1, D(2025, 7, 1), OPEN),
    ]
    spans = compute_spans(lifetimes, links)[3]
    province_spans = [s for s in spans if s[0] == 1]
    assert province_spans == [(1, 1, D(2025, 7, 1), OPEN), (1, 2, D(2015, 1, 1), D(2025, 7, 1))]


def test_touching_spans_at_the_same_depth_are_merged():
    lifetimes = {1: (D(2000, 1, 1), OPEN), 2: (D(2000, 1, 1), OPEN)}
    links = [(2, 1, D(2000, 1, 1), D(2010, 1, 1)), (2, 1, D(2010, 1, 1), OPEN)]
    assert compute_spans(lifetimes, links)[2] == [
        (1, 1, D(2000, 1, 1), OPEN),
        (2, 0, D(2000, 1, 1), OPEN),
    ]
