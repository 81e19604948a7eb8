"""The head of the audit chain, kept outside the database, so that a log cut short is seen.

The hash chain shows an entry changed or removed in the middle, but not the last entries
removed: what remains is still a whole chain. On SQLite anyone who can write the database file
can drop the triggers and delete the tail (PostgreSQL's app role cannot: `db_app_role`). So
`manage.py audit_verify --head FILE` compares the log with the head it saw last time: that
entry must still be there with the same hash, with as many entries up to it, and then the
file is moved on to the new head. Keep the file where the portal's own system user cannot
write (run the command from another user's cron), or copy its line elsewhere.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from .chain import ChainReport
from .models import AuditEntry


@dataclass(frozen=True)
class Head:
    """The last entry of a checked chain, how many entries led to it, and when it was seen."""

    pk: int | None
    hash: str
    count: int
    seen_at: str


class HeadFileError(Exception):
    """The head file cannot be read or written; the message says which and why."""


def head_of(report: ChainReport) -> Head:
    return Head(report.last_pk, report.last_hash, report.checked, timezone.now().isoformat())


def head_read(path: Path) -> Head | None:
    """The head kept in `path`, or None if there is no such file yet (the first check)."""
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Head(
            int(data["pk"]) if data["pk"] is not None else None,
            str(data["hash"]),
            int(data["count"]),
            str(data["seen_at"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise HeadFileError(
            _("The head file %(path)s cannot be read: %(error)s") % {"path": path, "error": error}
        ) from error


def head_write(path: Path, head: Head) -> None:
    try:
        path.write_text(json.dumps(asdict(head)) + "\n", encoding="utf-8")
    except OSError as error:
        raise HeadFileError(
            _("The head file %(path)s cannot be written: %(error)s")
            % {"path": path, "error": error}
        ) from error


def head_problem(kept: Head) -> str:
    """Why the log no longer reaches the head seen before, or "" if it still does."""
    if kept.pk is None:
        return ""
    found = AuditEntry.objects.filter(pk=kept.pk).values_list("chain_hash", flat=True).first()
    if found is None:
        return _(
            "Entry #%(pk)s, the last one when the log was checked at %(seen)s, is missing: "
            "the end of the log was removed."
        ) % {"pk": kept.pk, "seen": kept.seen_at}
    if found != kept.hash:
        return _(
            "Entry #%(pk)s is not the entry seen when the log was checked at %(seen)s: "
            "its hash differs, so the log was rewritten from there on."
        ) % {"pk": kept.pk, "seen": kept.seen_at}
    count = AuditEntry.objects.filter(pk__lte=kept.pk).count()
    if count != kept.count:
        return _(
            "The log held %(before)d entries up to entry #%(pk)s at %(seen)s, and now "
            "holds %(now)d."
        ) % {"before": kept.count, "pk": kept.pk, "seen": kept.seen_at, "now": count}
    return ""


# The triggers that refuse changes, by database: a missing one was dropped by hand.
PROTECTION = {
    "sqlite": (
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
        [
            "audit_auditentry_no_update",
            "audit_auditentry_no_delete",
            "audit_auditentry_insert_checked",
        ],
    ),
    "postgresql": (
        "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND tgenabled <> 'D'",
        ["audit_auditentry_append_only", "audit_auditentry_insert_checked"],
    ),
}


def protection_missing() -> list[str]:
    """The audit table's protection triggers that are missing (dropped or disabled)."""
    query, expected = PROTECTION.get(connection.vendor, ("", []))
    if not query:
        return []
    with connection.cursor() as cursor:
        cursor.execute(query, [AuditEntry._meta.db_table])
        present = {row[0] for row in cursor.fetchall()}
    return [name for name in expected if name not in present]
