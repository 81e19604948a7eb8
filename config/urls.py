from django.contrib import admin
from django.urls import include, path

from api.urls import NotFoundInJson

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("units/", include("unions.urls")),
    path("programmes/", include("targets.urls")),
    path("reports/", include("reports.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("exports/", include("dashboards.urls_export")),
    path("briefing/", include("briefing.urls")),
    path("api/v1/", include("api.urls")),
    # Anything else under /api/ (another version, a typo) is the API's JSON 404 too.
    path("api/", include([NotFoundInJson()])),
    path("audit/", include("audit.urls")),
    path("print/", include("printing.urls")),
    path("notifications/", include("notifications.urls")),
    path("admin/", admin.site.urls),
]

handler500 = "config.hardening.server_error"
