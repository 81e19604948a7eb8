"""The narratives of one task group and quarter read as one, and the office's synthesis.

Access: office staff write the synthesis; the office and the Standing Committee read every
unit's texts and the synthesis; a unit's reporter reads its own unit's texts only."""

from __future__ import annotations

from typing import TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import AuthenticatedHttpRequest, office_staff, reads_whole_province
from reports.models import ReportingPeriod
from targets.models import Programme, TaskGroup
from targets.programmes import covers, programme_chosen
from unions.access import unit_for_user

from . import selectors
from .forms import SynthesisForm
from .services import synthesis_save

T = TypeVar("T")


def _programme(request: HttpRequest) -> Programme:
    programme = programme_chosen(request.GET.get("programme"), timezone.localdate())
    if programme is None:
        raise Http404(_("No programme is loaded yet."))
    return programme


def _periods(programme: Programme) -> list[ReportingPeriod]:
    """The programme's quarters that have ended, latest first."""
    today = timezone.localdate()
    found = ReportingPeriod.objects.filter(cutoff__lte=today).order_by("-year", "-quarter")
    return [p for p in found if covers(programme, p.year, p.quarter)]


def _chosen(items: list[T], wanted: str | None, key: str) -> T:
    if not items:
        raise Http404(_("Nothing to show yet."))
    if not wanted:
        return items[0]
    for item in items:
        if str(getattr(item, key)) == wanted:
            return item
    raise Http404(_("No such period or task group."))


def _unit_ids(request: AuthenticatedHttpRequest) -> set[int] | None:
    """Whose texts the page shows: everyone's for the office and the committee (or the unit
    chosen), a reporter's own unit's only."""
    user = request.user
    code = request.GET.get("unit", "").strip()
    chosen = unit_for_user(user, code) if code else None  # 404 outside the user's sight
    if not reads_whole_province(request):
        if user.unit_id is None or (chosen is not None and chosen.pk != user.unit_id):
            raise Http404
        return {user.unit_id}
    return {chosen.pk} if chosen is not None else None


@login_required
@require_http_methods(["GET", "POST"])
def narratives(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    programme = _programme(request)
    groups = list(TaskGroup.objects.filter(programme=programme).order_by("order"))
    periods = _periods(programme)
    group = _chosen(groups, request.GET.get("group"), "code")
    period = _chosen(periods, request.GET.get("period"), "code")
    unit_ids = _unit_ids(request)
    form = _synthesis_form(request, group, period)
    if request.method == "POST" and form is not None and form.is_valid():
        synthesis_save(user, group, period, form.cleaned_data)
        messages.success(request, _("The synthesis is saved as a draft."))
        return redirect(request.get_full_path())
    everyone = selectors.unit_narratives(period, task_group=group, unit_ids=unit_ids)
    query = request.GET.get("q", "").strip()[:200]
    rows = selectors.search(everyone, query)
    shared = request.GET.get("view") == "shared"
    context = {
        "shared": shared,
        "texts": _shared_texts(rows) if shared else [],
        "view_links": {v: _with(request, view=v) for v in ("units", "shared")},
        "programme": programme,
        "groups": groups,
        "group": group,
        "periods": periods,
        "period": period,
        "rows": rows,
        "total": len(everyone),
        "units": sorted({r.unit for r in everyone}, key=selectors.unit_order),
        "query": query,
        "unit_code": request.GET.get("unit", ""),
        "form": form,
        "synthesis": selectors.synthesis_for(group, period)
        if reads_whole_province(request)
        else None,
        "links": _links(programme, period),
    }
    return render(request, "briefing/narratives.html", context)


def _synthesis_form(
    request: AuthenticatedHttpRequest, group: TaskGroup, period: ReportingPeriod
) -> SynthesisForm | None:
    """The office's form (bound on POST); None for those who only read."""
    office = office_staff(request)
    if request.method == "POST" and not office:
        raise PermissionDenied  # the committee and reporters read; the office writes
    if not office:
        return None
    if request.method == "POST":
        return SynthesisForm(request.POST)
    found = selectors.synthesis_for(group, period)
    initial = (
        {n: getattr(found, n) for n in ("results", "shortfalls", "next_steps")} if found else {}
    )
    return SynthesisForm(initial=initial)


def _shared_texts(rows: list[selectors.NarrativeRow]) -> list[tuple[str, list[object]]]:
    """The texts shown, each distinct one once with the units that wrote it, by part."""
    titles = {"results": _("Results"), "shortfalls": _("Shortfalls"), "next_steps": _("Next steps")}
    texts = [t for group in selectors.grouped(rows) for t in group.texts]
    return [(titles[part], [t for t in texts if t.part == part]) for part in selectors.PARTS]


def _with(request: HttpRequest, **changes: str) -> str:
    """This page's query string with `changes` made."""
    query = request.GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


def _links(programme: Programme, period: ReportingPeriod) -> str:
    return urlencode({"programme": programme.code, "period": period.code})
