from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The log itself. Which models it records is said by their own apps (`audit_register` in
    their AppConfig.ready), so the audit app imports none of them."""

    name = "audit"
    verbose_name = _("Audit log")
