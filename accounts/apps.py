from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from audit.recording import Rule, audit_register

        from .models import User

        audit_register(
            User, Rule(describe=lambda u: u.get_username(), skip=frozenset({"last_login"}))
        )
