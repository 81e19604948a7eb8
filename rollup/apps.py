from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _totals_built_after_migrate(**kwargs: Any) -> None:
    """The totals are derived data: a migration that drops them (or a database that never had
    them) gets them built again right away, so no one has to run `rebuild_totals`."""
    from reports.models import Report

    from .models import RollupTotalsState
    from .totals import totals_complete

    using = kwargs.get("using", "default")
    tables = connections[using].introspection.table_names()
    if using != "default" or RollupTotalsState._meta.db_table not in tables:
        return  # another database, or migrated back below the roll-up's tables
    if any(backwards for _migration, backwards in kwargs.get("plan") or []):
        return  # migrated back: the tables may lack what the code reads; forward builds them
    if Report.objects.filter(in_force=True).exists():
        totals_complete()


def _totals_follow_programme(programme: object) -> None:
    """A programme published: its indicators' fields and pairs are summed in the totals (a
    rebuild in the publication's transaction when they lack some; nothing when never built)."""
    from .models import RollupTotalsState
    from .totals import totals_complete

    if RollupTotalsState.objects.exists():
        totals_complete()


class RollupConfig(AppConfig):
    name = "rollup"
    verbose_name = _("Roll-up")

    def ready(self) -> None:
        # The totals follow every reorganisation, approval and calendar change in its
        # transaction; the layers below must not import the roll-up, so they call back.
        from reports.hooks import approval_listen, assignment_listen, calendar_listen
        from targets.hooks import publish_listen
        from unions.closure import closure_listen

        from .expected import follow_assignments
        from .today_follow import today_apply, today_follow_assignments, today_follow_closure
        from .totals import follow_calendar
        from .totals_follow import follow_closure, totals_apply

        closure_listen(follow_closure)
        assignment_listen(follow_assignments)
        approval_listen(totals_apply)
        # The sums along today's tree after the totals (their locks are taken in that order).
        closure_listen(today_follow_closure)
        assignment_listen(today_follow_assignments)
        approval_listen(today_apply)
        calendar_listen(follow_calendar)
        publish_listen(_totals_follow_programme)
        post_migrate.connect(_totals_built_after_migrate, sender=self)
