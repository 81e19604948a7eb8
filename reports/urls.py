"""One namespace, several route modules so each part of the reports app stays small."""

from . import urls_excel, urls_forms, urls_inbox, urls_tracking

app_name = "reports"

urlpatterns = [
    *urls_forms.urlpatterns,
    *urls_excel.urlpatterns,
    *urls_tracking.urlpatterns,
    *urls_inbox.urlpatterns,
]
