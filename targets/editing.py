"""Writes of a draft programme's definition by office staff (the screens and the file import).

Each write is a model save, so the audit log records who changed what, when, from what to
what (`audit.recording`); a checked programme that is edited again goes back to draft.
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.forms import ModelForm

from .models import Programme, ProgrammeStatus, Target

# Rows of a programme that may still change once it is published: a target may be adjusted
# (its history is kept in the audit log); the rest of a published definition is fixed.
EDITABLE_WHEN_PUBLISHED = frozenset({"target"})


def may_edit(programme: Programme, part: str) -> bool:
    if programme.is_editable:
        return True
    return programme.status == ProgrammeStatus.PUBLISHED and part in EDITABLE_WHEN_PUBLISHED


def draft_touched(programme: Programme) -> None:
    """A change to a checked programme sends it back to draft: it must be checked again."""
    if programme.status == ProgrammeStatus.CHECKED:
        programme.status = ProgrammeStatus.DRAFT
        programme.save(update_fields=["status"])


@transaction.atomic
def draft_save(form: ModelForm[Any], programme: Programme | None = None) -> Any:
    """Saves a checked form of the programme screens (the programme itself when `programme` is
    None, else one of its parts) and sends a checked programme back to draft, with the audit
    entries of both, in one transaction."""
    saved = form.save()
    draft_touched(programme if programme is not None else saved)
    return saved


@transaction.atomic
def shared_save(form: ModelForm[Any]) -> Any:
    """Saves a checked form of a shared definition (a data field, a registry count) with its
    audit entry in one transaction; no programme's status changes."""
    return form.save()


@transaction.atomic
def draft_part_delete(part: models.Model, programme: Programme) -> None:
    """Deletes a task group, indicator or target of a draft (audited) and sends a checked
    programme back to draft, in one transaction."""
    part.delete()
    draft_touched(programme)


@transaction.atomic
def programme_copy(source: Programme, code: str, number: str) -> Programme:
    """A new draft with the source's texts, term, task groups, indicators and targets; it reads
    the same data fields (a field is shared, so both read the same figures)."""
    copy = Programme.objects.create(
        code=code,
        number=number,
        title_vi=source.title_vi,
        title_en=source.title_en,
        issuer=source.issuer,
        issued_on=source.issued_on,
        term_start=source.term_start,
        term_end=source.term_end,
        status=ProgrammeStatus.DRAFT,
    )
    for group in source.task_groups.all():
        group.pk, group.programme = None, copy
        group.save()
    for indicator in source.indicators.prefetch_related("targets"):
        targets = list(indicator.targets.all())
        indicator.pk, indicator.programme = None, copy
        indicator.save()
        for target in targets:
            Target.objects.create(
                indicator=indicator,
                value=target.value,
                year=target.year,
                unit_id=target.unit_id,
                baseline_value=target.baseline_value,
                baseline_date=target.baseline_date,
                note=target.note,
            )
    return copy
