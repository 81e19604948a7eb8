"""The rules a report's numbers must follow, as pure functions (no database).

Errors block a save; warnings (sharp jumps from the previous quarter) must be confirmed by
the reporter before the report can be approved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from lib.formats import num as _shown

from .models import ValueState
from .numbers import Entry

JUMP_RATIO = 0.5  # a change of half or more …
JUMP_MINIMUM = 20  # … and of more than 20 in absolute terms is worth a second look


@dataclass(frozen=True)
class FieldRule:
    """What validation needs to know of a data field."""

    code: str
    time_kind: str
    counts_grassroots: bool = False
    label: str = ""  # as the reader sees it: a numerator's error names its denominator by it
    registry: str = ""  # the registry count (targets.RegistryCount) this field is bounded by
    registry_label: str = ""  # that count in words ("State-sector CĐCS in the subtree")


@dataclass
class Findings:
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)

    def error(self, code: str, message: str) -> None:
        self.errors.setdefault(code, []).append(message)

    @property
    def ok(self) -> bool:
        return not self.errors


def _num(entry: Entry | None) -> int | None:
    if entry is None or entry.state != ValueState.NUMBER:
        return None
    return entry.number


@dataclass(frozen=True)
class PreviousQuarter:
    """The last quarter's values of the same unit, and whether that quarter lies in the same
    calendar year (year-to-date counts restart on 1 January)."""

    values: Mapping[str, Entry]
    same_year: bool = False


def report_check(
    rules: Mapping[str, FieldRule],
    values: Mapping[str, Entry],
    *,
    pairs: list[tuple[str, str]],
    previous: PreviousQuarter | None = None,
    grassroots_in_subtree: int | None = None,
    registry: Mapping[str, int] | None = None,
) -> Findings:
    """Checks one report's values.

    `pairs` are (numerator, denominator) field codes from the programme's indicators;
    `previous` the last quarter of the same unit; `registry` the counts the registry knows
    for the unit's subtree at the cut-off (by sector and kind), which the fields that name one
    may not exceed.
    """
    check = _Check(
        Findings(), previous or PreviousQuarter({}), grassroots_in_subtree, registry or {}
    )
    _check_pairs(check.found, rules, values, pairs)
    for code, rule in rules.items():
        current = _num(values.get(code))
        if current is not None:
            check.bounds(code, rule, current)
            check.change(code, rule, current)
    return check.found


@dataclass
class _Check:
    """The checks of one value against the registry and against the previous quarter."""

    found: Findings
    previous: PreviousQuarter
    grassroots_in_subtree: int | None
    registry: Mapping[str, int]

    def bounds(self, code: str, rule: FieldRule, current: int) -> None:
        grassroots = self.grassroots_in_subtree
        over_registry = grassroots is not None and current > grassroots
        if rule.counts_grassroots and over_registry:
            self.found.error(
                code,
                _("More than the %(n)s CĐCS registered in this unit's subtree.")
                % {"n": _shown(grassroots)},
            )
        known = self.registry.get(rule.registry) if rule.registry else None
        if known is not None and current > known and not (rule.counts_grassroots and over_registry):
            self.found.error(
                code,
                _("More than the registry knows on the cut-off date: %(n)s (%(what)s).")
                % {"n": _shown(known), "what": rule.registry_label},
            )

    def change(self, code: str, rule: FieldRule, current: int) -> None:
        before, same_year = _num(self.previous.values.get(code)), self.previous.same_year
        if before is None:
            return
        if rule.time_kind == "ytd" and same_year and current < before:
            self.found.error(
                code,
                _(
                    "A count since 1 January cannot fall within the year "
                    "(the previous quarter reported %(before)s)."
                )
                % {"before": _shown(before)},
            )
        elif (
            (rule.time_kind != "ytd" or same_year)
            and _jumps(before, current)
            and code not in self.found.errors
        ):
            self.found.warnings[code] = _(
                "Changed sharply from the previous quarter (%(before)s → %(now)s). "
                "Please check and confirm."
            ) % {"before": _shown(before), "now": _shown(current)}


def _check_pairs(
    found: Findings,
    rules: Mapping[str, FieldRule],
    values: Mapping[str, Entry],
    pairs: list[tuple[str, str]],
) -> None:
    """A numerator above its denominator is an error, except a count since 1 January over a
    count at the cut-off (chairs trained this year over chairs still in post: people who left
    since were trained too), which must be confirmed. A number beside a "not applicable"
    denominator is an error: there is nothing to count it against."""
    for num_code, den_code, num, den in pairs_over(values, pairs):
        num_rule, den_rule = rules.get(num_code), rules.get(den_code)
        message = pair_message(num, den, den_rule.label if den_rule else "")
        ytd_over_stock = (
            num_rule is not None
            and den_rule is not None
            and num_rule.time_kind == "ytd"
            and den_rule.time_kind == "stock"
        )
        if ytd_over_stock:
            found.warnings[num_code] = _(
                "%(message)s Possible if people counted since 1 January have left since; "
                "please confirm."
            ) % {"message": message}
        else:
            found.error(num_code, message)
    for num_code, den_code in pairs:
        num_entry, den_entry = values.get(num_code), values.get(den_code)
        if (
            _num(num_entry) is not None
            and den_entry is not None
            and den_entry.state == ValueState.NOT_APPLICABLE
        ):
            den_rule = rules.get(den_code)
            found.error(
                num_code,
                _("A number cannot stand beside a “not applicable” denominator (%(label)s).")
                % {"label": den_rule.label if den_rule else den_code},
            )


def pairs_over(
    values: Mapping[str, Entry], pairs: list[tuple[str, str]]
) -> list[tuple[str, str, int, int]]:
    """(numerator code, denominator code, numerator, denominator) of every pair whose two
    values are numbers and whose numerator is above its denominator."""
    over = []
    for num_code, den_code in pairs:
        num, den = _num(values.get(num_code)), _num(values.get(den_code))
        if num is not None and den is not None and num > den:
            over.append((num_code, den_code, num, den))
    return over


def pair_message(num: int, den: int, label: str = "") -> str:
    """The error shown on the numerator; it names the denominator by `label` when known, so
    the reporter sees which of the two fields to correct."""
    if not label:
        return _("%(num)s is more than its denominator (%(den)s).") % {
            "num": _shown(num),
            "den": _shown(den),
        }
    return _("%(num)s is more than its denominator “%(label)s” (%(den)s).") % {
        "num": _shown(num),
        "den": _shown(den),
        "label": label,
    }


def _jumps(before: int, now: int) -> bool:
    diff = abs(now - before)
    return diff > JUMP_MINIMUM and diff >= JUMP_RATIO * max(before, 1)
