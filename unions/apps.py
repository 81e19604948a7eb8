from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnionsConfig(AppConfig):
    name = "unions"
    verbose_name = _("Union hierarchy")

    def ready(self) -> None:
        from audit.recording import Rule, audit_register, code_of, related, text

        from .models import Unit, UnitLink

        audit_register(Unit, Rule(skip=frozenset({"search_key"})))  # derived from code and name
        audit_register(
            UnitLink,
            Rule(
                describe=lambda link: (
                    f"{code_of(related(link, 'child'))} → {code_of(related(link, 'parent'))}"
                    f" {text(link.valid_from)}"
                )
            ),
        )
