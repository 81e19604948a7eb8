from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class AuditActorMiddleware:
    """Placeholder: remembers who makes the request so the audit log can name them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)
