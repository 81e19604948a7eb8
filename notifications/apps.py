from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # The report workflow must not import the notifications above it: it calls back.
        from reports.hooks import action_listen

        from .services import notify_report_event

        action_listen(notify_report_event)
