"""Writes of programme reference data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from unions.models import Unit, UnitKind

from . import programme_03
from .models import Field, FieldGroup, Indicator, Programme, ProgrammeStatus, Target, TaskGroup


def fields_load() -> int:
    """Creates or refreshes the data fields the programme's indicators use, and their groups."""
    for order, (code, label_vi, label_en) in enumerate(programme_03.FIELD_GROUPS, start=1):
        FieldGroup.objects.get_or_create(
            code=code, defaults={"label_vi": label_vi, "label_en": label_en, "order": order * 10}
        )
    for order, row in enumerate(programme_03.FIELDS, start=1):
        code, group, time_kind, frequency, registry, province_only, label_vi, label_en = row
        Field.objects.update_or_create(
            code=code,
            defaults={
                "group": group,
                "time_kind": time_kind,
                "frequency": frequency,
                "registry_count": registry,
                "province_only": province_only,
                # Counts of CĐCS are bounded by the CĐCS in the subtree; counts of people
                # (chairs) are not: they are checked against people.
                "counts_grassroots": group == "grassroots" and "chairs" not in code,
                "label_vi": label_vi,
                "label_en": label_en,
                "order": order * 10,
            },
        )
    return len(programme_03.FIELDS)


@transaction.atomic
def programme_03_load() -> Programme:
    """Loads programme 03/CTr-LĐLĐ; running it again updates texts and adds nothing twice."""
    fields_load()
    data = dict(programme_03.PROGRAMME)
    issuer = Unit.objects.filter(kind=UnitKind.PROVINCE).order_by("valid_from").first()
    programme, _ = Programme.objects.update_or_create(
        code=data.pop("code"),
        defaults={
            **data,
            "issued_on": dt.date.fromisoformat(data["issued_on"]),
            "term_start": dt.date.fromisoformat(data["term_start"]),
            "term_end": dt.date.fromisoformat(data["term_end"]),
            "issuer": issuer,
            "status": ProgrammeStatus.PUBLISHED,
            "published_from": max(
                dt.date.fromisoformat(data["term_start"]), dt.date.fromisoformat(data["issued_on"])
            ),
        },
    )
    fields = {f.code: f for f in Field.objects.all()}
    for order, row in enumerate(programme_03.INDICATORS, start=1):
        code, kind, num, den, display, comparison, target = row[:7]
        name_vi, name_en, text_vi, text_en = row[7:]
        indicator, _ = Indicator.objects.update_or_create(
            programme=programme,
            code=code,
            defaults={
                "kind": kind,
                "numerator": fields[num],
                "denominator": fields[den] if den else None,
                "display": display,
                "comparison": comparison,
                "name_vi": name_vi,
                "name_en": name_en,
                "text_vi": text_vi,
                "text_en": text_en,
                "order": order * 10,
            },
        )
        # The programme's own target is created once; staff may adjust it afterwards.
        Target.objects.get_or_create(
            indicator=indicator, year=None, unit=None, defaults={"value": Decimal(target)}
        )
    for order, (code, title_vi, title_en) in enumerate(programme_03.TASK_GROUPS, start=1):
        TaskGroup.objects.update_or_create(
            programme=programme,
            code=code,
            defaults={"title_vi": title_vi, "title_en": title_en, "order": order},
        )
    return programme
