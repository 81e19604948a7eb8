"""SQL that makes the database itself refuse to change or remove audit entries.

Used by migration 0002 and by the flush command (SQLite empties tables with DELETE, which the
trigger would refuse; PostgreSQL uses TRUNCATE, which row triggers do not see).

Migration 0003 adds a check on INSERT: an entry must carry the server's time (within a few
minutes of the database clock) and name the last entry's hash as its predecessor, so that
back-dated or detached entries are refused in SQL too.

Beware on SQLite: a later migration that alters audit_auditentry rebuilds the table and drops
its triggers; such a migration must run `create` again.
"""

from __future__ import annotations

from typing import Any

MESSAGE = "audit log is append-only"
CLOCK_SLACK_MINUTES = 5

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
POSTGRESQL_INSERT_CREATE = [
    f"""
    CREATE OR REPLACE FUNCTION audit_auditentry_check_insert() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.at < clock_timestamp() - interval '{CLOCK_SLACK_MINUTES} minutes'
           OR NEW.at > clock_timestamp() + interval '{CLOCK_SLACK_MINUTES} minutes' THEN
            RAISE EXCEPTION '{MESSAGE}: an entry takes the server''s time, not %', NEW.at;
        END IF;
        IF NEW.prev_hash IS DISTINCT FROM COALESCE(
            (SELECT chain_hash FROM audit_auditentry ORDER BY id DESC LIMIT 1), ''
        ) THEN
            RAISE EXCEPTION '{MESSAGE}: an entry must follow the last one';
        END IF;
        RETURN NEW;
    END
    $$
    """,  # noqa: S608 - this module's constants only
    """
    CREATE TRIGGER audit_auditentry_insert_checked
    BEFORE INSERT ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_auditentry_check_insert()
    """,
]
POSTGRESQL_INSERT_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditentry_insert_checked ON audit_auditentry",
    "DROP FUNCTION IF EXISTS audit_auditentry_check_insert()",
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
SQLITE_INSERT_CREATE = [
    f"""
    CREATE TRIGGER IF NOT EXISTS audit_auditentry_insert_checked
    BEFORE INSERT ON audit_auditentry
    WHEN abs(julianday(NEW.at) - julianday('now')) > {CLOCK_SLACK_MINUTES}.0 / 1440
      OR NEW.prev_hash IS NOT COALESCE(
        (SELECT chain_hash FROM audit_auditentry ORDER BY id DESC LIMIT 1), ''
      )
    BEGIN
        SELECT RAISE(ABORT, '{MESSAGE}: an entry takes the server''s time and follows the last');
    END
    """,  # noqa: S608 - this module's constants only
]
SQLITE_INSERT_DROP = ["DROP TRIGGER IF EXISTS audit_auditentry_insert_checked"]

STATEMENTS = {
    "postgresql": (POSTGRESQL_CREATE, POSTGRESQL_DROP),
    "sqlite": (SQLITE_CREATE, SQLITE_DROP),
}
INSERT_STATEMENTS = {
    "postgresql": (POSTGRESQL_INSERT_CREATE, POSTGRESQL_INSERT_DROP),
    "sqlite": (SQLITE_INSERT_CREATE, SQLITE_INSERT_DROP),
}


def _run(connection: Any, table: dict[str, tuple[list[str], list[str]]], index: int) -> None:
    statements = table.get(connection.vendor)
    if statements is None:
        return
    with connection.cursor() as cursor:
        for sql in statements[index]:
            cursor.execute(sql)


def create(connection: Any, *, insert_check: bool = True) -> None:
    _run(connection, STATEMENTS, 0)
    if insert_check:
        _run(connection, INSERT_STATEMENTS, 0)


def drop(connection: Any) -> None:
    _run(connection, INSERT_STATEMENTS, 1)
    _run(connection, STATEMENTS, 1)
