"""Units named by codes that people type: in any case, but never a guess between two units.

A code typed exactly as stored names that unit. Otherwise it is compared without regard to
case, and names a unit only if one unit alone matches: codes saved before the identifier rule
(unions/identifiers.py) may still differ only in case ("ldld-td" and "LDLD-TD"), and taking the
first of them would act on a unit the person did not mean.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from .models import Unit


@dataclass
class CodeLookup:
    """Each typed code's unit, or why it has none: no unit has it, or several could be meant."""

    found: dict[str, Unit] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    ambiguous: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.ambiguous


def units_by_codes(codes: Iterable[str], units: QuerySet[Unit] | None = None) -> CodeLookup:
    """Looks the typed `codes` up among `units` (every unit by default) in one query."""
    wanted = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    lookup = CodeLookup()
    if not wanted:
        return lookup
    q = Q(pk__in=[])
    for code in wanted:
        q |= Q(code__iexact=code) | Q(code=code)
    queryset = Unit.objects.all() if units is None else units
    candidates = list(queryset.filter(q).order_by("code"))
    for code in wanted:
        exact = [u for u in candidates if u.code == code]
        folded = [u for u in candidates if u.code.casefold() == code.casefold()]
        matches = exact or folded
        if len(matches) == 1:
            lookup.found[code] = matches[0]
        elif matches:
            lookup.ambiguous[code] = [u.code for u in matches]
        else:
            lookup.missing.append(code)
    return lookup


def unit_by_code(code: str, units: QuerySet[Unit] | None = None) -> CodeLookup:
    return units_by_codes([code], units)
