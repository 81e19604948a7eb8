"""How a quarter is named: a code for machines, words for readers."""

from django.utils import translation

from reports.models import ReportingPeriod
from reports.periods import quarter_label, quarter_short


def test_a_quarter_reads_in_the_readers_language_and_its_code_stays():
    period = ReportingPeriod(year=2026, quarter=3)
    with translation.override("vi"):
        assert (period.label, quarter_short(2026, 3)) == ("Quý 3/2026", "Q3/2026")
    with translation.override("en"):
        assert (period.label, quarter_short(2026, 3)) == ("Quarter 3/2026", "Q3/2026")
        assert quarter_label(2026, 3) == period.label
    assert period.code == "2026Q3"
