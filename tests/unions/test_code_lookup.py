"""Code fields match a code in any case and refuse to guess between two units whose codes,
saved before the identifier rule, differ only in case."""

from __future__ import annotations

import pytest

from unions.forms import UnitCodeField, UnitCodesField, UnitMergeForm
from unions.lookup import units_by_codes
from unions.models import Unit, UnitKind


@pytest.fixture
def twins(small_tree):
    """ "Ab" and "aB": legacy codes that differ only in case, inserted as an old import did."""
    start = small_tree.d2.valid_from
    return [
        Unit.objects.create(
            code=code, name=f"Twin {code}", kind=UnitKind.DISTRICT, valid_from=start
        )
        for code in ("Ab", "aB")
    ]


def test_a_code_in_another_case_names_the_unit_when_only_one_matches(small_tree):
    assert UnitCodeField().clean("d2") == small_tree.d2
    assert UnitCodesField().clean("c21, C22;c21\nw1") == [
        small_tree.c21,
        small_tree.c22,
        small_tree.ward,
    ]


def test_a_code_that_could_mean_two_units_is_refused_not_guessed(twins):
    with pytest.raises(Exception, match="The code AB could mean Ab, aB"):
        UnitCodeField().clean("AB")
    with pytest.raises(Exception, match="The code ab could mean Ab, aB"):
        UnitCodesField().clean("C21, ab")
    assert UnitCodeField().clean("aB") == twins[1]  # typed exactly: no doubt
    assert UnitCodesField().clean("Ab c21")[0] == twins[0]


def test_the_merge_form_names_every_unknown_and_every_doubtful_code(twins, small_tree):
    form = UnitMergeForm({"units": "ab, C21, nope", "into": "W1", "on": "01/01/2026"})
    assert not form.is_valid()
    assert form.errors["units"] == [
        "No unit has the code(s) nope.",
        "The code ab could mean Ab, aB; type it exactly as written.",
    ]


def test_lookup_reports_found_missing_and_ambiguous_in_one_query(
    twins, small_tree, django_assert_num_queries
):
    with django_assert_num_queries(1):
        lookup = units_by_codes(["D2", "ab", "zz", " c11 "])
    assert lookup.found == {"D2": small_tree.d2, "c11": small_tree.c11}
    assert lookup.missing == ["zz"]
    assert lookup.ambiguous == {"ab": ["Ab", "aB"]}


def test_the_assignment_form_refuses_a_code_that_could_mean_two_units(twins, programme):
    from reports.views_tracking import AssignmentAddForm

    form = AssignmentAddForm({"unit": "ab", "scope": "self", "first": "Quý 1/2025"})
    assert not form.is_valid()
    assert form.errors["unit"] == ["The code ab could mean Ab, aB; type it exactly as written."]
    exact = AssignmentAddForm({"unit": "aB", "scope": "self", "first": "Quý 1/2025"})
    assert exact.is_valid(), exact.errors
    assert exact.cleaned_data["unit"] == twins[1]
