"""The form shown when a save meets a newer version: merged, with the clashes to choose.

`reports.merge` decides input by input; this builds the form again from the stored report
(the new starting point, carried in `o_` inputs) with the person's own changes on top, and
lists the inputs both changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict

from .forms import NARRATIVE_PARTS, ReportForm, narrative_name
from .merge import Clash, canonical, entry_of, merge_cells
from .numbers import Entry
from .selectors import FormContext, entry_text


@dataclass
class Merged:
    form: ReportForm
    clashes: list[Clash]
    taken: list[str]  # labels of what took the other person's values


def _theirs(ctx: FormContext) -> dict[str, str]:
    # What the form would show if opened now (a count the registry knows fills an empty field).
    shown = ctx.initial_entries()
    cells = {f.code: canonical(shown.get(f.code)) for f in ctx.fields}
    for group in ctx.task_groups:
        narrative = ctx.narratives.get(group.key)
        for part, _label in NARRATIVE_PARTS:
            cells[narrative_name(group.key, part)] = getattr(narrative, part, "") or ""
    return cells


def _mine(ctx: FormContext, form: ReportForm) -> dict[str, str]:
    cells = {f.code: canonical(form.entries.get(f.code)) for f in ctx.fields}
    for group in ctx.task_groups:
        for part, _label in NARRATIVE_PARTS:
            name = narrative_name(group.key, part)
            cells[name] = (form.cleaned_data.get(name) or "").strip()
    return cells


def _labels(ctx: FormContext) -> dict[str, str]:
    labels = {f.code: f.label for f in ctx.fields}
    for group in ctx.task_groups:
        for part, label in NARRATIVE_PARTS:
            labels[narrative_name(group.key, part)] = f"{group.code}. {label}"
    return labels


def _shown(key: str, text: str, figures: set[str], language: str) -> str:
    if key not in figures:
        return text
    entry = entry_of(text)
    return "N/A" if entry.state == "na" else entry_text(entry, language) or "—"


def merged_form(ctx: FormContext, form: ReportForm, posted: QueryDict, version: int) -> Merged:
    """`form` is the person's valid form, `ctx` the stored report now."""
    theirs = _theirs(ctx)
    mine = _mine(ctx, form)
    start = {key: posted.get(f"o_{key}") for key in theirs}
    outcome = merge_cells(start, mine, theirs)
    figures = {f.code for f in ctx.fields}
    data = _data(ctx, posted, theirs, outcome.theirs, figures, form.language)
    data["version"] = str(version)
    data["clashes"] = ",".join(outcome.clashes)
    labels = _labels(ctx)
    clashes = [
        Clash(
            key,
            labels[key],
            _shown(key, mine[key], figures, form.language),
            _shown(key, theirs[key], figures, form.language),
            _shown(key, start.get(key) or "", figures, form.language),
            key in figures,
        )
        for key in outcome.clashes
    ]
    bound = ReportForm(
        initial=data,
        fields=ctx.fields,
        task_groups=ctx.task_groups,
        pairs=ctx.pairs,
        language=form.language,
    )
    return Merged(bound, clashes, [labels[key] for key in sorted(outcome.theirs)])


def _data(
    ctx: FormContext,
    posted: QueryDict,
    theirs: Mapping[str, str],
    take: set[str],
    figures: set[str],
    language: str,
) -> dict[str, Any]:
    """The form's inputs: the person's, the other person's where taken, and the stored
    values as the new starting point."""
    data: dict[str, Any] = {}
    for f in ctx.fields:
        code = f.code
        entry = entry_of(theirs[code]) if code in take else None
        data[f"v_{code}"] = entry_text(entry, language) if entry else posted.get(f"v_{code}", "")
        data[f"na_{code}"] = (entry == Entry.na()) if entry else bool(posted.get(f"na_{code}"))
        data[f"nr_{code}"] = ctx.reasons.get(code, "") if entry else posted.get(f"nr_{code}", "")
        confirmed = code in ctx.confirmed if entry else bool(posted.get(f"confirm_{code}"))
        data[f"confirm_{code}"] = confirmed
    for key, value in theirs.items():
        data[f"o_{key}"] = value
        if key not in figures:
            data[key] = value if key in take else posted.get(key, "")
    return data


def pending_clashes(ctx: FormContext, form: ReportForm) -> list[Clash]:
    """The clashes of a conflict screen sent back without every choice: what the person has
    in the input against what the screen started from."""
    labels = _labels(ctx)
    figures = {f.code for f in ctx.fields}
    clashes = []
    for key in form.clash_keys:
        name = f"v_{key}" if key in figures else key
        mine = str(form.data.get(name, "")) if form.is_bound else ""
        theirs = str(form.data.get(f"o_{key}", "")) if form.is_bound else ""
        shown = _shown(key, theirs, figures, form.language)
        clashes.append(Clash(key, labels.get(key, key), mine or "—", shown, "", key in figures))
    return clashes
