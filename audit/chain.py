"""The audit log's hash chain, and the one way an entry is written (`entry_append`).

Every entry carries the SHA-256 of its own content and of the previous entry's hash, in the
order of the primary key. Changing an entry breaks its own hash; removing one breaks the link
of the next; `chain_verify` (`manage.py audit_verify`) names the first such place. Writers are
serialised (an advisory lock on PostgreSQL, the database lock on SQLite) so that two entries
never claim the same predecessor; a unique constraint makes sure of it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AuditEntry

GENESIS = ""  # the predecessor of the first entry
CONTENT = (
    "at",
    "actor_id",
    "actor_username",
    "via",
    "via_detail",
    "app_label",
    "model",
    "object_pk",
    "object_repr",
    "action",
    "before",
    "after",
)
# Any constant will do: it names the lock that serialises writers of the log on PostgreSQL.
_LOCK_KEY = 0x4155444954  # "AUDIT"


def entry_digest(prev_hash: str, content: Mapping[str, Any]) -> str:
    """The hash of one entry: its content in a canonical form, chained to its predecessor."""
    values = {name: content[name] for name in CONTENT}
    at = values["at"]
    values["at"] = at.astimezone(dt.UTC).isoformat() if isinstance(at, dt.datetime) else str(at)
    text = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}\n{text}".encode()).hexdigest()


@dataclass(frozen=True)
class EntryContent:
    """What one entry says: who did what to which object, through which door, and the values
    before and after. The time and the links of the chain are added when it is written."""

    actor_id: int | None
    actor_username: str
    via: str
    via_detail: str
    app_label: str
    model: str
    object_pk: str
    object_repr: str
    action: str
    before: dict[str, Any]
    after: dict[str, Any]

    def fields(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclass_fields(self)}


def entry_append(content: EntryContent) -> AuditEntry:
    """Writes one entry at the server's time, linked to the last one. There is no other way:
    the model refuses save(), create() and bulk_create() from anywhere else."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        last = AuditEntry.objects.order_by("-pk").values_list("chain_hash", flat=True).first()
        entry = AuditEntry(at=timezone.now(), prev_hash=last or GENESIS, **content.fields())
        entry.chain_hash = entry_digest(entry.prev_hash, entry.__dict__)
        entry.append_to_log()
    return entry


def entries_append(entries: list[EntryContent]) -> list[AuditEntry]:
    """`entry_append` for many entries in one go (a reorganisation of a thousand units): the
    lock is taken and the last link read once, then each entry is chained to the one before
    it and inserted."""
    if not entries:
        return []
    written = []
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        last = AuditEntry.objects.order_by("-pk").values_list("chain_hash", flat=True).first()
        previous = last or GENESIS
        now = timezone.now()
        for content in entries:
            entry = AuditEntry(at=now, prev_hash=previous, **content.fields())
            entry.chain_hash = entry_digest(entry.prev_hash, entry.__dict__)
            previous = entry.chain_hash
            written.append(entry)
        # One statement executed per row, in chain order, so the insert trigger checks each
        # link against the row before it (a multi-row INSERT would not let it).
        columns = [f for f in AuditEntry._meta.concrete_fields if not f.primary_key]
        names = ", ".join(connection.ops.quote_name(f.column) for f in columns)
        marks = ", ".join(["%s"] * len(columns))
        table = connection.ops.quote_name(AuditEntry._meta.db_table)
        rows = [
            [f.get_db_prep_save(getattr(e, f.attname), connection) for f in columns]
            for e in written
        ]
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608
    return written


@dataclass(frozen=True)
class ChainReport:
    checked: int
    problem: str = ""  # the first broken or missing link; empty when the chain is whole
    last_pk: int | None = None  # the head: the last entry checked, and its hash
    last_hash: str = GENESIS

    @property
    def intact(self) -> bool:
        return not self.problem


def chain_verify() -> ChainReport:
    rows = (
        AuditEntry.objects.order_by("pk")
        .values("pk", "prev_hash", "chain_hash", *CONTENT)
        .iterator(chunk_size=2000)
    )
    return chain_check(rows)


def chain_check(rows: Iterable[Mapping[str, Any]]) -> ChainReport:
    expected, previous, checked = GENESIS, None, 0
    for row in rows:
        if row["prev_hash"] != expected:
            return ChainReport(checked, _missing_link(row["pk"], previous))
        if entry_digest(row["prev_hash"], row) != row["chain_hash"]:
            return ChainReport(
                checked,
                _("Entry #%(pk)s was changed after it was written: its hash does not match.")
                % {"pk": row["pk"]},
            )
        expected, previous, checked = row["chain_hash"], row["pk"], checked + 1
    return ChainReport(checked, last_pk=previous, last_hash=expected)


def _missing_link(pk: int, previous: int | None) -> str:
    if previous is None:
        return _(
            "Entry #%(pk)s, the first in the log, does not start the chain: "
            "entries before it are missing."
        ) % {"pk": pk}
    return _(
        "Entry #%(pk)s does not follow entry #%(previous)s: an entry between them is missing "
        "or entry #%(previous)s was replaced."
    ) % {"pk": pk, "previous": previous}
