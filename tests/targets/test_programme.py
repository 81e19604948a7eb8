"""Programme 03 is loaded as data, with every indicator of DOMAIN.md §3."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from targets.models import Field, Indicator, Programme, Target, TaskGroup
from targets.services import programme_03_load

CODES = [f"A{i:02d}" for i in range(1, 15)] + [f"T{i:02d}" for i in range(1, 8)]


@pytest.fixture
def programme(db):
    return programme_03_load()


def test_all_21_indicators_are_loaded_with_their_codes(programme):
    assert (
        list(Indicator.objects.filter(programme=programme).values_list("code", flat=True)) == CODES
    )


def test_loading_twice_adds_nothing(programme):
    counts = (
        Indicator.objects.count(),
        Field.objects.count(),
        Target.objects.count(),
        TaskGroup.objects.count(),
    )
    programme_03_load()
    assert (
        Indicator.objects.count(),
        Field.objects.count(),
        Target.objects.count(),
        TaskGroup.objects.count(),
    ) == counts
    assert Programme.objects.count() == 1


@pytest.mark.parametrize(
    ("code", "numerator", "denominator", "display", "comparison", "target"),
    [
        ("A01", "informed_ytd", "workers_union_units", "percent", "gte", "98"),
        (
            "A04",
            "grassroots_non_state_democracy",
            "grassroots_non_state_required",
            "percent",
            "gte",
            "80",
        ),
        ("A08", "members_introduced_party_ytd", "grassroots_total", "ratio", "gte", "1"),
        ("T01", "members", None, "count", "gte", "24500"),
        ("T02", "court_cases_supported", "court_cases", "percent", "gte", "90"),
        ("T05", "member_families_cultural", "member_families", "percent", "gt", "90"),
    ],
)
def test_indicator_definitions_follow_the_spec(
    programme, code, numerator, denominator, display, comparison, target
):
    indicator = Indicator.objects.get(programme=programme, code=code)
    assert indicator.numerator.code == numerator
    assert (indicator.denominator.code if indicator.denominator else None) == denominator
    assert (indicator.display, indicator.comparison) == (display, comparison)
    assert indicator.targets.get(year=None, unit=None).value == Decimal(target)


def test_time_behaviour_of_fields(programme):
    kinds = dict(Field.objects.values_list("code", "time_kind"))
    assert kinds["members"] == "stock"
    assert kinds["informed_ytd"] == "ytd"
    assert kinds["court_cases"] == "flow"
    annual = set(Field.objects.filter(frequency="annual").values_list("code", flat=True))
    assert {
        "grassroots_state_good",
        "upper_units_inspected_by_province",
        "member_families",
    } <= annual


def test_indicators_have_vietnamese_text_from_the_programme_and_english(programme):
    a01 = Indicator.objects.get(code="A01")
    assert "98% trở lên đoàn viên" in a01.text_vi
    assert a01.text_en.startswith("98% or more")
    assert TaskGroup.objects.filter(programme=programme).count() == 8


def test_list_fields_prints_every_field(programme, capsys):
    call_command("list_fields", "--language", "en")
    out = capsys.readouterr().out
    assert out.count("\n") == Field.objects.count()
    assert "Union members" in out


def test_a_second_programme_needs_no_code(programme):
    second = Programme.objects.create(
        code="ctr-2025-2030",
        number="01/CTr-LĐLĐ",
        title_vi="Chương trình 2025-2030",
        title_en="Programme 2025-2030",
        issued_on="2025-10-01",
        term_start="2025-01-01",
        term_end="2030-12-31",
        status="published",
        published_from="2025-10-01",
    )
    members = Field.objects.get(code="members")
    indicator = Indicator.objects.create(
        programme=second,
        code="T01",
        name_vi="Đoàn viên",
        name_en="Members",
        text_vi="…",
        text_en="…",
        kind="term",
        numerator=members,
        display="count",
    )
    Target.objects.create(indicator=indicator, value=26000)
    assert second.indicators.count() == 1 and programme.indicators.count() == 21


def test_the_command_builds_the_totals_that_approvals_then_keep(small_tree):
    from io import StringIO

    from reports.assignments import assignments_apply_proposal
    from rollup import totals
    from rollup.models import RollupTotalsState
    from tests.conftest import approved
    from tests.demo.test_generate_data import raw_and_totals, stored

    out = StringIO()
    call_command("load_programme", stdout=out)
    assert "Roll-up totals: 0 rows built" in out.getvalue()
    programme = Programme.objects.get()
    assert RollupTotalsState.objects.exists()
    assignments_apply_proposal()  # creates the quarters; their totals follow
    approved(small_tree.d2, programme, "2025Q2", members=200, workers_union_units=220)
    assert totals.totals_read(small_tree.province, []) is not None
    kept = stored()
    totals.totals_rebuild()
    assert stored() == kept and kept
    fast, raw = raw_and_totals(programme, small_tree.province, "2025Q2")
    assert [vars(r) for r in fast.results] == [vars(r) for r in raw.results]
    again = StringIO()
    call_command("load_programme", stdout=again)  # idempotent: the totals are left as they are
    assert "Roll-up totals built" not in again.getvalue() and stored() == kept


def test_a_yearly_target_shows_its_year_as_a_year(client, office_user, programme):
    """Vietnamese groups thousands with a dot; a target's year must read 2026, not 2.026."""
    from django.urls import reverse

    from targets.models import Indicator, Target

    indicator = Indicator.objects.get(programme=programme, code="A01")
    Target.objects.create(indicator=indicator, year=2026, value=99)
    client.force_login(office_user)
    page = client.get(
        reverse("targets:programme_detail", args=[programme.code]), HTTP_ACCEPT_LANGUAGE="vi"
    ).text
    assert "(2026)" in page and "2.026" not in page
