"""Audit entries can be added, never changed or removed: in Python and in the database."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from audit.chain import EntryContent, entry_append
from audit.models import AuditEntry, AuditLogIsAppendOnly


def _entry() -> AuditEntry:
    return entry_append(
        EntryContent(
            actor_id=None,
            actor_username="",
            via="test",
            via_detail="",
            app_label="unions",
            model="unit",
            object_pk="1",
            object_repr="X",
            action="create",
            before={},
            after={},
        )
    )


@pytest.mark.django_db
def test_an_entry_cannot_be_saved_again_or_deleted_through_the_orm():
    entry = _entry()
    entry.object_repr = "forged"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(object_repr="forged")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).object_repr == "X"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET object_repr = 'forged'",
        "DELETE FROM audit_auditentry",
    ],
)
def test_the_database_refuses_to_change_or_delete_entries(sql):
    entry = _entry()
    refused = pytest.raises(DatabaseError, match="append-only")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AuditEntry.objects.get(pk=entry.pk).object_repr == "X"


@pytest.mark.django_db(transaction=True)
def test_flush_still_empties_the_database_and_the_trigger_comes_back():
    _entry()
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEntry.objects.exists()
    entry = _entry()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
