"""A programme definition file imported as a new draft: all or nothing, every problem named by
its sheet and line, in the reader's language.

Data fields are the shared vocabulary: a field of the file whose code exists already is the same
field, and must mean the same thing (`Field.MEANING`); a different meaning for a field that has
figures is refused (a new meaning is a new field), one without figures yet is corrected.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fileread.reader import FileRefused
from unions.models import Unit, UnitKind

from . import definition as d
from .hooks import field_has_values
from .models import (
    Field,
    FieldGroup,
    Indicator,
    Programme,
    ProgrammeStatus,
    RegistryCount,
    registry_count_relied_on,
)
from .publishing import programme_check


class ImportRefused(FileRefused):
    """The file was read, but its definition has problems: nothing was saved."""


def _heading(sheet: str, name: str) -> str:
    return next((c.heading for c in d.SHEETS[sheet] if c.name == name), name)


def _given(values: dict[str, Any]) -> dict[str, Any]:
    """The cells that were filled in: an empty one leaves the model's default."""
    return {name: value for name, value in values.items() if value is not None}


def _saved(parsed: d.Parsed, sheet: str, line: int, obj: Any) -> Any | None:
    """Saves `obj` after the model's own validation; its problems are the line's."""
    try:
        obj.full_clean()
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            where = "" if name == "__all__" else f"“{_heading(sheet, name)}”: "
            for message in messages:
                parsed.problem(sheet, line, where + message)
        return None
    obj.save()
    return obj


def _programme(parsed: d.Parsed) -> Programme | None:
    line, values = parsed.sheets[d.PROGRAMME][0]
    issuer_code = values.pop("issuer", None)
    if issuer_code:
        issuer = Unit.objects.filter(code=issuer_code).first()
        if issuer is None:
            parsed.problem(
                d.PROGRAMME, line, _("No unit has the code %(code)s.") % {"code": issuer_code}
            )
    else:
        issuer = Unit.objects.filter(kind=UnitKind.PROVINCE).order_by("valid_from").first()
    programme = Programme(**_given(values), issuer=issuer, status=ProgrammeStatus.DRAFT)
    saved: Programme | None = _saved(parsed, d.PROGRAMME, line, programme)
    return saved


def _registry_count(parsed: d.Parsed, line: int, values: dict[str, Any]) -> None:
    """A new count is created; a known one is read, or corrected while nothing relies on it."""
    values["sectors"] = values.get("sectors") or []
    existing = RegistryCount.objects.filter(code=values.get("code")).first()
    if existing is None:
        _saved(parsed, d.REGISTRY_COUNTS, line, RegistryCount(**_given(values)))
        return
    meaning = ("unit_kinds", "sectors")
    changed = [n for n in meaning if sorted(getattr(existing, n)) != sorted(values.get(n) or [])]
    if not changed:
        return
    if registry_count_relied_on(existing.code):
        names = ", ".join(f"“{_heading(d.REGISTRY_COUNTS, n)}”" for n in changed)
        parsed.problem(
            d.REGISTRY_COUNTS,
            line,
            _(
                "registry count %(code)s is relied on by fields with figures or by a published "
                "programme and counts something else (%(what)s); a new meaning is a new count: "
                "give it a new code."
            )
            % {"code": existing.code, "what": names},
        )
        return
    for name in changed:
        setattr(existing, name, values.get(name) or [])
    _saved(parsed, d.REGISTRY_COUNTS, line, existing)


def _field(parsed: d.Parsed, line: int, values: dict[str, Any]) -> None:
    values["registry_count"] = values.get("registry_count") or ""
    for name in ("help_vi", "help_en"):
        values[name] = values.get(name) or ""
    existing = Field.objects.filter(code=values["code"]).first()
    if existing is None:
        _saved(parsed, d.FIELDS, line, Field(**_given(values)))
        return
    changed = [n for n in Field.MEANING if n in values and getattr(existing, n) != values[n]]
    if not changed:
        return  # the same field: the shared vocabulary is read, not rewritten
    if field_has_values(existing):
        names = ", ".join(f"“{_heading(d.FIELDS, n)}”" for n in changed)
        parsed.problem(
            d.FIELDS,
            line,
            _(
                "field %(code)s already has figures in reports and means something else "
                "(%(what)s); a new meaning is a new field: give it a new code."
            )
            % {"code": existing.code, "what": names},
        )
        return
    for name in changed:
        setattr(existing, name, values[name])
    _saved(parsed, d.FIELDS, line, existing)


def _links(
    parsed: d.Parsed,
    sheet: str,
    line: int,
    values: dict[str, Any],
    found: dict[str, dict[str, Any]],
) -> bool:
    """Replaces the codes of linked rows by the rows; False when one is unknown."""
    sound = True
    for name, rows in found.items():
        code = values.get(name)
        if code is None:
            continue
        if code not in rows:
            parsed.problem(
                sheet,
                line,
                _("“%(column)s”: nothing has the code %(code)s.")
                % {"column": _heading(sheet, name), "code": code},
            )
            sound = False
        values[name] = rows.get(code)
    return sound


def _parts(parsed: d.Parsed, programme: Programme) -> None:
    for line, values in parsed.sheets[d.TASK_GROUPS]:
        _saved(
            parsed,
            d.TASK_GROUPS,
            line,
            d.MODELS[d.TASK_GROUPS](programme=programme, **_given(values)),
        )
    fields = {f.code: f for f in Field.objects.all()}
    indicators: dict[str, Indicator] = {}
    for line, values in parsed.sheets[d.INDICATORS]:
        if values.get("numerator") is None:
            parsed.problem(d.INDICATORS, line, _("the indicator has no numerator field."))
            continue
        if _links(parsed, d.INDICATORS, line, values, {"numerator": fields, "denominator": fields}):
            made = _saved(
                parsed, d.INDICATORS, line, Indicator(programme=programme, **_given(values))
            )
            if made is not None:
                indicators[made.code] = made
    units = {u.code: u for u in Unit.objects.filter(code__in=_codes(parsed, d.TARGETS, "unit"))}
    for line, values in parsed.sheets[d.TARGETS]:
        if _links(parsed, d.TARGETS, line, values, {"indicator": indicators, "unit": units}):
            if values.get("indicator") is None:
                parsed.problem(d.TARGETS, line, _("the target names no indicator."))
                continue
            _saved(parsed, d.TARGETS, line, d.MODELS[d.TARGETS](**_given(values)))


def _codes(parsed: d.Parsed, sheet: str, name: str) -> set[str]:
    return {v[name] for _line, v in parsed.sheets[sheet] if v.get(name)}


def definition_save(data: bytes, *, dry_run: bool = False) -> Programme:
    """Creates the file's programme as a new draft, with its groups, fields, task groups,
    indicators and targets. Raises FileRefused (ImportRefused) with every problem, and saves
    nothing, when the file has any; with `dry_run` it saves nothing in any case."""
    return _imported(data, dry_run=dry_run)[0]


def definition_try(data: bytes) -> list[str]:
    """A dry run: ImportRefused with every problem of the file, else the problems the
    programme's check would list once it is imported (a draft may have them; it cannot be
    published until they are gone). Nothing is saved."""
    return _imported(data, dry_run=True)[1]


def _imported(data: bytes, *, dry_run: bool) -> tuple[Programme, list[str]]:
    parsed = d.definition_read(data)
    if parsed.problems:
        raise ImportRefused(parsed.problems)
    checked: list[str] = []
    with transaction.atomic():
        programme = _programme(parsed)
        for line, values in parsed.sheets[d.FIELD_GROUPS]:
            if not FieldGroup.objects.filter(code=values.get("code")).exists():
                _saved(parsed, d.FIELD_GROUPS, line, FieldGroup(**_given(values)))
        for line, values in parsed.sheets[d.REGISTRY_COUNTS]:
            _registry_count(parsed, line, values)
        for line, values in parsed.sheets[d.FIELDS]:
            _field(parsed, line, values)
        if programme is not None:
            _parts(parsed, programme)
        if parsed.problems:
            transaction.set_rollback(True)
            raise ImportRefused(parsed.problems)
        if dry_run:
            assert programme is not None
            checked = programme_check(programme)
            transaction.set_rollback(True)
    assert programme is not None
    return programme, checked
