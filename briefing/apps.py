from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BriefingConfig(AppConfig):
    name = "briefing"
    verbose_name = _("Briefing")

    def ready(self) -> None:
        from audit.recording import Rule, audit_register, code_of, related

        from .models import Synthesis

        audit_register(
            Synthesis,
            Rule(
                describe=lambda s: (
                    f"{code_of(related(s, 'task_group'))} {code_of(related(s, 'period'))}"
                ),
                skip=frozenset({"updated_at"}),
            ),
        )
