from __future__ import annotations

import django_tables2 as tables
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.access import AuthenticatedHttpRequest, office_required

from .filters import AuditFilter
from .models import AuditEntry
from .tables import AuditTable


@login_required
@require_GET
@office_required
def audit_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every recorded change, newest first, for office staff."""
    filters = AuditFilter(request.GET or None, queryset=AuditEntry.objects.all())
    table = AuditTable(filters.qs)
    tables.RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "audit/list.html", {"filter": filters, "table": table})
