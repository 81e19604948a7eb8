from django.urls import URLPattern, URLResolver, path
from django.urls.resolvers import ResolverMatch, RoutePattern

from . import views, views_tokens
from .http import get_only, not_found, read_only

app_name = "api"

# URL names served as HTML pages for people rather than as API endpoints.
HTML_PAGES = frozenset({"tokens", "token_revoke"})


def _endpoints() -> list[URLPattern]:
    """The ninja API's endpoints under their names (without ninja's root and docs URLs)."""
    found = []
    for entry in views.api.urls[0]:
        if isinstance(entry, URLPattern) and entry.name and entry.name != "api-root":
            found.append(path(str(entry.pattern), read_only(entry.callback), name=entry.name))
    return found


_NOT_FOUND = read_only(not_found)


class NotFoundInJson(URLResolver):
    """Last under /api/v1/, and alone under the rest of /api/: whatever no endpoint matched
    resolves to the JSON 404, so an unknown API URL never answers the portal's HTML page. It
    names no route of its own."""

    def __init__(self) -> None:
        super().__init__(RoutePattern(""), [])

    def resolve(self, path: str) -> ResolverMatch:
        return ResolverMatch(_NOT_FOUND, (), {}, route=path, captured_kwargs={}, extra_kwargs={})


urlpatterns: list[URLPattern | URLResolver] = [
    *_endpoints(),
    path("openapi.json", get_only(views.openapi), name="openapi"),
    # Pages for people, not part of the API (so not in the OpenAPI document).
    path("tokens/", views_tokens.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views_tokens.token_revoke_view, name="token_revoke"),
    NotFoundInJson(),
]
