from django.urls import path

from . import views, views_tokens

app_name = "api"

urlpatterns = [
    path("progress/", views.progress_view, name="progress"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/<str:code>/", views.unit_detail, name="unit_detail"),
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/<slug:code>/", views.programme_detail, name="programme_detail"),
    path("openapi.json", views.openapi, name="openapi"),
    # Pages for people, not part of the API (so not in the OpenAPI document).
    path("tokens/", views_tokens.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views_tokens.token_revoke_view, name="token_revoke"),
]

# URL names served as HTML pages for people rather than as API endpoints.
HTML_PAGES = frozenset({"tokens", "token_revoke"})
