"""`manage.py audit_verify [--head FILE]`: walks the audit log's hash chain and names the first
broken link; with a head file kept outside the database, also a log cut short at its end."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.chain import ChainReport, chain_verify
from audit.head import (
    HeadFileError,
    head_of,
    head_problem,
    head_read,
    head_write,
    protection_missing,
)


class Command(BaseCommand):
    help = (
        "Checks that no audit entry was changed or removed: every entry's hash must match its "
        "content and name the previous entry's hash. With --head, the last entry seen by the "
        "previous check must still be there (a log cut short at its end). Exits with status 1 "
        "at the first break."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--head",
            type=Path,
            help="a file outside the database that keeps the chain's last entry between checks "
            "(created on the first run, moved on after each check that passes)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path | None = options["head"]
        try:
            kept = head_read(path) if path is not None else None
        except HeadFileError as error:
            raise CommandError(str(error)) from error
        report = chain_verify()
        if not report.intact:
            raise CommandError(
                report.problem
                + " "
                + _("(%(count)d entries before it are intact.)") % {"count": report.checked}
            )
        problem = head_problem(kept) if kept is not None else ""
        if problem:
            raise CommandError(problem)
        self._require_protection()
        if path is not None:
            try:
                head_write(path, head_of(report))
            except HeadFileError as error:
                raise CommandError(str(error)) from error
        self._success(report)

    def _require_protection(self) -> None:
        missing = protection_missing()
        if missing:
            raise CommandError(
                _(
                    "The audit table's protection is missing or disabled (%(names)s): whoever "
                    "can write the database could change the log unseen. Find out who removed "
                    "it, and recreate it as the tables' owner (the SQL in audit/triggers.py)."
                )
                % {"names": ", ".join(missing)}
            )

    def _success(self, report: ChainReport) -> None:
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
        if report.last_pk is not None:
            self.stdout.write(
                _("Last entry: #%(pk)s, hash %(hash)s.")
                % {"pk": report.last_pk, "hash": report.last_hash}
            )
