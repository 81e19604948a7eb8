"""Turns programmes, units and roll-up results into plain JSON-ready dicts.

Units: every `value`, `target` and `expected_now` is in the indicator's display unit (percent
0–100, a ratio per CĐCS, or a count), rounded by the engine as every page shows it (a
percentage to 1 decimal, a ratio to 2, a count whole); numerators and denominators are
whole counts. Dates are ISO 8601 (YYYY-MM-DD); `valid_to` is exclusive, null meaning "still".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from rollup.engine import IndicatorResult, Progress
from targets.models import Indicator, Programme, Target
from unions.models import Unit
from unions.selectors import HistoryRow


def number(value: Decimal | None) -> int | float | None:
    """A figure as the engine gives it (already rounded as every page shows it)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def quarter_code(quarter: tuple[int, int] | None) -> str | None:
    return f"{quarter[0]}Q{quarter[1]}" if quarter else None


def programme_brief(programme: Programme) -> dict[str, Any]:
    return {"code": programme.code, "number": programme.number, "title": programme.title}


def programme_summary(programme: Programme) -> dict[str, Any]:
    return {
        **programme_brief(programme),
        "issued_on": day(programme.issued_on),
        "term_start": day(programme.term_start),
        "term_end": day(programme.term_end),
    }


def target_json(target: Target) -> dict[str, Any]:
    """Expects the target's unit to be selected with it."""
    return {
        "year": target.year,
        "unit": target.unit.code if target.unit is not None else None,
        "value": number(target.value),
        "baseline_value": number(target.baseline_value),
        "baseline_date": day(target.baseline_date),
    }


def indicator_json(indicator: Indicator) -> dict[str, Any]:
    return {
        "code": indicator.code,
        "name": indicator.name,
        "kind": indicator.kind,
        "display": indicator.display,
        "comparison": indicator.comparison,
    }


def unit_brief(unit: Unit) -> dict[str, Any]:
    return {"code": unit.code, "name": unit.name, "kind": unit.kind}


def unit_json(unit: Unit, parent: str | None) -> dict[str, Any]:
    return {
        **unit_brief(unit),
        "sector": unit.sector or None,
        "budget_paid": unit.budget_paid,
        "valid_from": day(unit.valid_from),
        "valid_to": day(unit.valid_to),
        "parent": parent,
    }


def history_json(row: HistoryRow) -> dict[str, Any]:
    return {
        "parent": row.parent.code,
        "parent_name": row.parent.name,
        "valid_from": day(row.valid_from),
        "valid_to": day(row.valid_to),
    }


def result_json(result: IndicatorResult) -> dict[str, Any]:
    return {
        **indicator_json(result.indicator),
        "numerator": result.numerator,
        "denominator": result.denominator,
        "value": number(result.value),
        "target": number(result.target),
        "expected_now": number(result.expected_now),
        "status": str(result.status),
        "coverage": {"reported": result.coverage.reported, "expected": result.coverage.expected},
        "quarter": quarter_code(result.quarter),
        "provisional": result.provisional,
    }


def progress_json(prog: Progress) -> dict[str, Any]:
    return {
        "programme": programme_brief(prog.programme),
        "unit": unit_brief(prog.unit),
        "period": {
            "code": prog.spec.code,
            "kind": prog.spec.kind,
            "quarters": [p.code for p in prog.periods],
        },
        "tree": prog.tree,
        "provisional": prog.provisional,
        "reports": {"received": prog.received_reports, "expected": prog.expected_reports},
        "indicators": [result_json(r) for r in prog.results],
    }
