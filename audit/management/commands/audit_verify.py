"""`manage.py audit_verify`: walks the audit log's hash chain and names the first broken link."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.chain import chain_verify


class Command(BaseCommand):
    help = (
        "Checks that no audit entry was changed or removed: every entry's hash must match its "
        "content and name the previous entry's hash. Exits with status 1 at the first break."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = chain_verify()
        if not report.intact:
            raise CommandError(
                report.problem
                + " "
                + _("(%(count)d entries before it are intact.)") % {"count": report.checked}
            )
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "%(count)d audit entry checked; the chain is intact.",
                    "%(count)d audit entries checked; the chain is intact.",
                    report.checked,
                )
                % {"count": report.checked}
            )
        )
