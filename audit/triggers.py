"""SQL that makes the database itself refuse to change or remove audit entries.

Used by migration 0002 and by the flush command (SQLite empties tables with DELETE, which the
trigger would refuse; PostgreSQL uses TRUNCATE, which row triggers do not see).

Beware on SQLite: a later migration that alters audit_auditentry rebuilds the table and drops
its triggers; such a migration must run `create` again.
"""

from __future__ import annotations

from typing import Any

MESSAGE = "audit log is append-only"

POSTGRESQL_CREATE = [
    f"""
    CREATE OR REPLACE FUNCTION audit_auditentry_refuse() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}: % refused', TG_OP;
    END
    $$
    """,
    """
    CREATE TRIGGER audit_auditentry_append_only
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_auditentry_refuse()
    """,
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditentry_append_only ON audit_auditentry",
    "DROP FUNCTION IF EXISTS audit_auditentry_refuse()",
]
SQLITE_CREATE = [
    f"""
    CREATE TRIGGER IF NOT EXISTS audit_auditentry_no_update
    BEFORE UPDATE ON audit_auditentry
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS audit_auditentry_no_delete
    BEFORE DELETE ON audit_auditentry
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditentry_no_update",
    "DROP TRIGGER IF EXISTS audit_auditentry_no_delete",
]

STATEMENTS = {
    "postgresql": (POSTGRESQL_CREATE, POSTGRESQL_DROP),
    "sqlite": (SQLITE_CREATE, SQLITE_DROP),
}


def _run(connection: Any, index: int) -> None:
    statements = STATEMENTS.get(connection.vendor)
    if statements is None:
        return
    with connection.cursor() as cursor:
        for sql in statements[index]:
            cursor.execute(sql)


def create(connection: Any) -> None:
    _run(connection, 0)


def drop(connection: Any) -> None:
    _run(connection, 1)
