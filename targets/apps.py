from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    name = "targets"
    verbose_name = _("Programmes and indicators")

    def ready(self) -> None:
        from audit.recording import Rule, audit_register, code_of, related

        from .models import (
            Field,
            FieldGroup,
            Indicator,
            Programme,
            RegistryCount,
            Target,
            TaskGroup,
        )

        audit_register(Programme, Rule(describe=lambda p: f"{p.number} ({p.code})"))
        audit_register(Field, Rule(describe=lambda f: f"{f.code}: {f.label_vi}"))
        audit_register(Indicator, Rule(describe=lambda i: f"{i.code} {i.name_vi}"))
        audit_register(
            Target,
            Rule(describe=lambda t: f"{code_of(related(t, 'indicator'))} {t.year or 'term'}"),
        )
        audit_register(TaskGroup, Rule(describe=lambda g: f"{g.code}. {g.title_vi}"))
        audit_register(FieldGroup, Rule(describe=lambda g: f"{g.code}: {g.label_vi}"))
        audit_register(RegistryCount, Rule(describe=lambda c: f"{c.code}: {c.label_vi}"))
