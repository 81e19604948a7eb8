"""Demo-only target data: the T01 baseline, which in reality staff enter from their records."""

from __future__ import annotations

from decimal import Decimal

from reports.models import ReportingPeriod
from rollup.engine import PeriodSpec, progress
from targets.models import Programme, Target
from targets.programmes import covers
from unions.models import Unit, UnitKind


def demo_baseline_set(programme: Programme) -> Target | None:
    """Sets the members target's baseline to the first reported quarter, if none is set."""
    target = Target.objects.filter(
        indicator__programme=programme, indicator__display="count", year=None, unit=None
    ).first()
    province = Unit.objects.filter(kind=UnitKind.PROVINCE).order_by("valid_from").first()
    first = next(
        (
            p
            for p in ReportingPeriod.objects.filter(reports__in_force=True).distinct()
            if covers(programme, p.year, p.quarter)
        ),
        None,
    )
    if target is None or province is None or first is None or target.baseline_value is not None:
        return None
    result = progress(programme, province, PeriodSpec("quarter", first.year, first.quarter))
    members = next(r for r in result.results if r.indicator.pk == target.indicator_id).numerator
    if members is None:
        return None
    target.baseline_value, target.baseline_date = Decimal(members), first.cutoff
    # A note as the office would write it (data, not a text of the portal).
    target.note = "Dữ liệu mẫu: mức gốc lấy từ quý báo cáo đầu tiên"
    target.save(update_fields=["baseline_value", "baseline_date", "note"])
    return target
