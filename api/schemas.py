"""The shapes of the read API's answers, as typed schemas: the OpenAPI document is generated
from them (and from the parameters in `api/params.py`), so it cannot drift from the code."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, WithJsonSchema

from rollup.arithmetic import Status
from targets.models import Comparison, Display, IndicatorKind
from unions.models import Sector, UnitKind

# ASCII digits only: a pattern's \\d would also take other scripts' digits.
QUARTER_PATTERN = r"^[0-9]{4}Q[1-4]$"
PERIOD_PATTERN = r"^([1-9][0-9]{3}(Q[1-4])?|term)$"
ROUNDING = (
    "In the indicator's display unit (percent 0–100, a ratio per CĐCS, or a count), rounded once "
    "by the engine as every page shows it: a percentage to 1 decimal, a ratio per CĐCS to 2, a "
    "count whole (half up). Never more than 2 decimals."
)

Figure = int | float
# Inline (not a separate component), as the document has always given it.
StatusInline = Annotated[
    Status, WithJsonSchema({"type": "string", "enum": [status.value for status in Status]})
]


class Closed(Schema):
    """Every answer object lists exactly its keys (additionalProperties: false)."""

    model_config = ConfigDict(extra="forbid")


class Error(Closed):
    error: str = Field(description="What went wrong, in the caller's language.")


class ProgrammeBrief(Closed):
    code: str
    number: str
    title: str


class Programme(ProgrammeBrief):
    issued_on: dt.date
    term_start: dt.date
    term_end: dt.date


class ProgrammeList(Closed):
    programmes: list[Programme]


class Target(Closed):
    year: int | None = Field(description="null: a target for the whole term")
    unit: str | None = Field(description="null: the target for every unit")
    value: Figure = Field(description=ROUNDING)
    baseline_value: Figure | None
    baseline_date: dt.date | None


class IndicatorDefinition(Closed):
    code: str
    name: str
    kind: IndicatorKind
    display: Display
    comparison: Comparison
    numerator: str = Field(description="Code of the numerator's data field.")
    denominator: str | None = Field(description="null for a count")
    targets: list[Target]


class TaskGroup(Closed):
    code: str
    title: str


class ProgrammeDetail(Programme):
    indicators: list[IndicatorDefinition]
    task_groups: list[TaskGroup]


class UnitBrief(Closed):
    code: str
    name: str
    kind: UnitKind


class Unit(UnitBrief):
    sector: Sector | None = Field(description="CĐCS only")
    budget_paid: bool
    valid_from: dt.date
    valid_to: dt.date | None = Field(description="Exclusive; null while it exists.")
    parent: str | None = Field(description="Parent's code on the date asked about.")


class UnitList(Closed):
    on: dt.date
    count: int = Field(description="Units matching, on every page.")
    limit: int
    offset: int
    next: str | None = Field(description="The URL of the next page; null on the last.")
    units: list[Unit] = Field(description="This page's units, by code.")


class ParentLink(Closed):
    parent: str
    parent_name: str
    valid_from: dt.date
    valid_to: dt.date | None


class UnitDetail(Unit):
    successor: str | None = Field(description="Code of the unit taking over.")
    parents: list[ParentLink]


class Coverage(Closed):
    reported: int = Field(description="Reports giving a number.")
    expected: int = Field(description="Reports expected.")


class IndicatorResult(Closed):
    code: str
    name: str
    kind: IndicatorKind
    display: Display
    comparison: Comparison
    numerator: int | None
    denominator: int | None = Field(description="null for a count")
    value: Figure | None = Field(description=ROUNDING)
    target: Figure | None = Field(description="Same unit and rounding as value.")
    expected_now: Figure | None = Field(
        description="Where the value should stand now on the path to target."
    )
    status: StatusInline = Field(
        description="nothing_to_measure: the reports gave a denominator of 0 (0 of 0), so there "
        "is no share to judge; no_data: no report gave a number."
    )
    coverage: Coverage
    quarter: str | None = Field(
        pattern=QUARTER_PATTERN,
        description="Quarter whose figures are shown; null for flows or no data.",
    )
    provisional: bool = Field(description="Uses submitted, unapproved data.")


class Period(Closed):
    code: str = Field(pattern=PERIOD_PATTERN)
    kind: Literal["quarter", "year", "term"]
    quarters: list[Annotated[str, Field(pattern=QUARTER_PATTERN)]] = Field(
        description="Quarters already cut off whose reports count."
    )


class Reports(Closed):
    received: int
    expected: int


class Progress(Closed):
    as_of: dt.datetime = Field(
        description="The figures are current at least as of this moment (ISO 8601 with its "
        "UTC offset, local time, to the minute): now, or when they are read from a replica, "
        "the moment of the last change it has replayed."
    )
    programme: ProgrammeBrief
    unit: UnitBrief
    period: Period
    tree: Literal["as_was", "as_now"]
    provisional: bool
    reports: Reports
    indicators: list[IndicatorResult]
