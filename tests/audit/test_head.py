"""A log cut short at its end is a whole chain; the head kept outside the database by
`audit_verify --head FILE` shows it. Dropped protection triggers are reported too."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from audit import triggers
from audit.chain import CONTENT, entry_digest
from audit.models import AuditEntry
from tests.audit.test_chain import _as_owner, _entry

pytestmark = pytest.mark.django_db


def test_the_first_check_keeps_the_head_and_the_next_accepts_new_entries(tmp_path, capsys):
    head = tmp_path / "audit-head.json"
    _entry("a")
    last = _entry("b")
    call_command("audit_verify", head=head)
    kept = json.loads(head.read_text())
    assert (kept["pk"], kept["hash"]) == (last.pk, last.chain_hash)
    assert kept["count"] == AuditEntry.objects.count()
    assert f"Last entry: #{last.pk}, hash {last.chain_hash}." in capsys.readouterr().out
    newer = _entry("c")
    call_command("audit_verify", head=head)
    assert json.loads(head.read_text())["pk"] == newer.pk


def test_a_log_cut_short_at_its_end_is_named(tmp_path):
    head = tmp_path / "audit-head.json"
    kept = _entry("a")
    _entry("b")
    last = _entry("c")
    call_command("audit_verify", head=head)
    _as_owner("DELETE FROM audit_auditentry WHERE id > %s", kept.pk)
    call_command("audit_verify")  # without the head, what is left is a whole chain
    with pytest.raises(CommandError, match=rf"Entry #{last.pk}, the last one when the log"):
        call_command("audit_verify", head=head)
    assert json.loads(head.read_text())["pk"] == last.pk  # the file keeps the head it saw


def test_a_last_entry_rewritten_and_hashed_again_is_named(tmp_path):
    head = tmp_path / "audit-head.json"
    _entry("a")
    last = _entry("b")
    call_command("audit_verify", head=head)
    # A forger who knows the scheme changes the last entry and computes its hash again:
    # the chain is whole, but it no longer ends where it ended.
    row = AuditEntry.objects.filter(pk=last.pk).values("prev_hash", *CONTENT).get()
    row["object_repr"] = "forged"
    forged = entry_digest(row["prev_hash"], row)
    _as_owner(
        "UPDATE audit_auditentry SET object_repr = 'forged', chain_hash = %s WHERE id = %s",
        forged,
        last.pk,
    )
    call_command("audit_verify")
    with pytest.raises(CommandError, match=rf"Entry #{last.pk} is not the entry seen"):
        call_command("audit_verify", head=head)


def test_an_unreadable_head_file_is_a_clear_error(tmp_path):
    head = tmp_path / "audit-head.json"
    head.write_text("not json")
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("audit_verify", head=head)


def test_dropped_protection_triggers_are_reported():
    _entry("a")
    call_command("audit_verify")
    triggers.drop(connection)
    try:
        with pytest.raises(CommandError, match="protection is missing or disabled"):
            call_command("audit_verify")
    finally:
        triggers.create(connection)
    call_command("audit_verify")
