from django.utils import translation

from reports.numbers import Entry
from reports.validation import FieldRule, PreviousQuarter, report_check

RULES = {
    "members": FieldRule("members", "stock"),
    "informed_ytd": FieldRule("informed_ytd", "stock"),  # a stock here: see the ytd tests
    "grassroots_total": FieldRule("grassroots_total", "stock", counts_grassroots=True),
}
PAIRS = [("informed_ytd", "members")]


def test_numerator_above_denominator_is_an_error_on_the_numerator():
    found = report_check(
        RULES, {"members": Entry.of(10), "informed_ytd": Entry.of(11)}, pairs=PAIRS
    )
    assert list(found.errors) == ["informed_ytd"]


def test_the_numerator_message_names_the_denominator_and_groups_digits():
    rules = {**RULES, "members": FieldRule("members", "stock", label="Union members")}
    found = report_check(
        rules, {"members": Entry.of(1353), "informed_ytd": Entry.of(2000)}, pairs=PAIRS
    )
    assert found.errors["informed_ytd"] == [
        "2,000 is more than its denominator “Union members” (1,353)."
    ]
    with translation.override("vi"):
        found = report_check(
            rules, {"members": Entry.of(1353), "informed_ytd": Entry.of(2000)}, pairs=PAIRS
        )
    assert "2.000" in found.errors["informed_ytd"][0]
    assert "“Union members” (1.353)" in found.errors["informed_ytd"][0]
    unnamed = report_check(
        RULES, {"members": Entry.of(1353), "informed_ytd": Entry.of(2000)}, pairs=PAIRS
    )
    assert unnamed.errors["informed_ytd"] == ["2,000 is more than its denominator (1,353)."]


def test_blank_denominator_does_not_block_the_numerator():
    found = report_check(
        RULES, {"members": Entry.blank(), "informed_ytd": Entry.of(11)}, pairs=PAIRS
    )
    assert found.ok


def test_a_count_since_january_above_a_count_at_the_cut_off_is_a_warning_to_confirm():
    """Chairs trained this year may outnumber the chairs still in post after dissolutions."""
    rules = {
        "chairs": FieldRule("chairs", "stock", label="CĐCS chairs"),
        "trained": FieldRule("trained", "ytd"),
    }
    found = report_check(
        rules, {"chairs": Entry.of(20), "trained": Entry.of(25)}, pairs=[("trained", "chairs")]
    )
    assert found.ok
    assert "“CĐCS chairs” (20)" in found.warnings["trained"]


def test_a_number_beside_a_not_applicable_denominator_is_an_error():
    found = report_check(RULES, {"members": Entry.na(), "informed_ytd": Entry.of(3)}, pairs=PAIRS)
    assert "not applicable" in found.errors["informed_ytd"][0]
    assert report_check(RULES, {"members": Entry.na(), "informed_ytd": Entry.na()}, pairs=PAIRS).ok


def test_a_count_the_registry_knows_by_sector_cannot_exceed_it():
    rules = {
        "state": FieldRule(
            "state", "stock", registry="grassroots_state", registry_label="State-sector CĐCS"
        ),
        "uppers": FieldRule("uppers", "stock", registry="upper_units"),
    }
    registry = {"grassroots_state": 2, "upper_units": 4}
    found = report_check(
        rules, {"state": Entry.of(5), "uppers": Entry.of(50)}, pairs=[], registry=registry
    )
    assert found.errors["state"] == [
        "More than the registry knows on the cut-off date: 2 (State-sector CĐCS)."
    ]
    assert "uppers" in found.errors
    ok = report_check(
        rules, {"state": Entry.of(2), "uppers": Entry.of(4)}, pairs=[], registry=registry
    )
    assert ok.ok


def test_year_to_date_count_cannot_fall_within_a_year_but_restarts_in_january():
    rules = {"informed_ytd": FieldRule("informed_ytd", "ytd")}
    now = {"informed_ytd": Entry.of(50)}
    before = {"informed_ytd": Entry.of(80)}
    assert not report_check(
        rules, now, pairs=[], previous=PreviousQuarter(before, same_year=True)
    ).ok
    assert report_check(rules, now, pairs=[], previous=PreviousQuarter(before)).ok


def test_cdcs_counts_cannot_exceed_the_registry():
    values = {"grassroots_total": Entry.of(31)}
    assert (
        "grassroots_total" in report_check(RULES, values, pairs=[], grassroots_in_subtree=30).errors
    )
    assert report_check(RULES, values, pairs=[], grassroots_in_subtree=31).ok


def test_a_sharp_jump_is_a_warning_not_an_error():
    found = report_check(
        RULES,
        {"members": Entry.of(500)},
        pairs=[],
        previous=PreviousQuarter({"members": Entry.of(1000)}),
    )
    assert found.ok
    assert "members" in found.warnings


def test_small_changes_raise_no_warning():
    found = report_check(
        RULES,
        {"members": Entry.of(1010)},
        pairs=[],
        previous=PreviousQuarter({"members": Entry.of(1000)}),
    )
    assert found.warnings == {}
