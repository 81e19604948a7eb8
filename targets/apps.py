from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    name = "targets"
    verbose_name = _("Programmes and indicators")

    def ready(self) -> None:
        # The roll-up totals follow every reorganisation in its transaction; unions must not
        # import targets, so it calls back.
        from unions.closure import closure_listen

        from .totals import follow_closure

        closure_listen(follow_closure)
