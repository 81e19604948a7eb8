"""The audit log's hash chain, the one way to write an entry, and the portal's database role."""

from __future__ import annotations

import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from audit import triggers
from audit.chain import GENESIS, EntryContent, chain_verify, entry_append
from audit.models import AuditEntry, AuditLogIsAppendOnly

pytestmark = pytest.mark.django_db


def _entry(text: str = "X") -> AuditEntry:
    return entry_append(
        EntryContent(
            actor_id=None,
            actor_username="someone",
            via="test",
            via_detail="",
            app_label="unions",
            model="unit",
            object_pk="1",
            object_repr=text,
            action="update",
            before={"name": "a"},
            after={"name": text},
        )
    )


def _as_owner(sql: str, *params: object) -> None:
    """What only the tables' owner (or a superuser) can do: rewrite history past the triggers."""
    with connection.cursor() as cursor:
        triggers.drop(connection)
        cursor.execute(sql, params)
        triggers.create(connection)


def test_each_entry_is_chained_to_the_one_before_and_the_chain_verifies(capsys):
    first, second, third = _entry("a"), _entry("b"), _entry("c")
    assert first.prev_hash == GENESIS or AuditEntry.objects.filter(pk__lt=first.pk).exists()
    assert (second.prev_hash, third.prev_hash) == (first.chain_hash, second.chain_hash)
    assert len(set(e.chain_hash for e in (first, second, third))) == 3
    report = chain_verify()
    assert report.intact and report.checked == AuditEntry.objects.count()
    call_command("audit_verify")
    assert "the chain is intact" in capsys.readouterr().out


def test_audit_verify_names_an_entry_changed_behind_the_portals_back():
    _entry("a")
    changed = _entry("b")
    _entry("c")
    _as_owner("UPDATE audit_auditentry SET object_repr = 'forged' WHERE id = %s", changed.pk)
    with pytest.raises(CommandError, match=rf"Entry #{changed.pk} was changed after it"):
        call_command("audit_verify")


def test_audit_verify_names_the_link_a_removed_entry_leaves_broken():
    first = _entry("a")
    removed = _entry("b")
    after = _entry("c")
    _as_owner("DELETE FROM audit_auditentry WHERE id = %s", removed.pk)
    with pytest.raises(CommandError, match=rf"Entry #{after.pk} does not follow entry #{first.pk}"):
        call_command("audit_verify")


def test_audit_verify_sees_entries_missing_from_the_start():
    first = _entry("a")
    second = _entry("b")
    _as_owner("DELETE FROM audit_auditentry WHERE id <= %s", first.pk)
    with pytest.raises(CommandError, match=rf"Entry #{second.pk}, the first in the log"):
        call_command("audit_verify")


def test_entries_cannot_be_written_around_the_recording_service():
    fields = {
        "via": "test",
        "app_label": "unions",
        "model": "unit",
        "object_pk": "1",
        "object_repr": "X",
        "action": "create",
    }
    old = timezone.now() - timezone.timedelta(days=400)
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.bulk_create([AuditEntry(at=old, **fields)])
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.create(at=old, **fields)
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry(**fields).save()
    assert not AuditEntry.objects.filter(object_repr="X").exists()


def _insert(at: str, prev_hash: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditentry (at, actor_username, via, via_detail, app_label, model,"
            " object_pk, object_repr, action, before, after, prev_hash, chain_hash)"
            " VALUES (%s, '', 'test', '', 'unions', 'unit', '1', 'forged', 'create', '{}', '{}',"
            " %s, 'x')",
            [at, prev_hash],
        )


def test_the_database_refuses_a_back_dated_entry():
    last = _entry().chain_hash
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _insert("2020-01-01 00:00:00", last)


def test_the_database_refuses_an_entry_that_does_not_follow_the_last_one():
    _entry()
    now = timezone.now().strftime("%Y-%m-%d %H:%M:%S")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _insert(now, GENESIS)
    assert not AuditEntry.objects.filter(object_repr="forged").exists()


@pytest.mark.parametrize(
    "sql",
    [
        "TRUNCATE audit_auditentry",
        "ALTER TABLE audit_auditentry DISABLE TRIGGER ALL",
        "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_append_only",
        "DROP TRIGGER audit_auditentry_append_only ON audit_auditentry",
        "SET session_replication_role = replica",
        "UPDATE audit_auditentry SET object_repr = 'forged'",
        "DELETE FROM audit_auditentry",
        "ALTER TABLE audit_auditentry OWNER TO CURRENT_USER",
    ],
)
def test_the_portals_postgresql_role_can_only_read_and_add_audit_entries(sql, small_tree):
    if connection.vendor != "postgresql":
        pytest.skip("database roles are PostgreSQL's")
    role = f"chitieu_app_{uuid.uuid4().hex[:10]}"  # roles are cluster-wide; rolled back anyway
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
        call_command("db_app_role", role, stdout=None)
        cursor.execute(f"SET LOCAL ROLE {role}")
        kept = _entry("kept")
        small_tree.d2.note = "the portal's other tables stay writable"
        small_tree.d2.save()
        with pytest.raises(DatabaseError), transaction.atomic():
            cursor.execute(sql)
        cursor.execute("SELECT count(*) FROM audit_auditentry WHERE id = %s", [kept.pk])
        assert cursor.fetchone() == (1,)
    assert chain_verify().intact
