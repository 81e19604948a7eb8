from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .context import audit_as
from .models import AuditVia


class AuditActorMiddleware:
    """Remembers which request is running so the audit log can name its user.

    Costs nothing on reads: the user is looked up only when an entry is written.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        via = AuditVia.API if request.path.startswith("/api/") else AuditVia.WEB
        with audit_as(via=via, detail=f"{request.method} {request.path}", request=request):
            return self.get_response(request)
