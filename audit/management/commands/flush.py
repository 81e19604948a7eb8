"""Django's flush, able to empty the audit log too.

flush wipes the whole database on purpose (the test suite runs it between transactional tests).
On SQLite it empties tables with DELETE, which the append-only trigger refuses; the trigger is
dropped for the flush and put back in the same transaction.
"""

from typing import Any

from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from audit import triggers


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if connection.vendor != "sqlite":
            super().handle(**options)
            return
        with transaction.atomic(using=connection.alias):
            triggers.drop(connection)
            try:
                super().handle(**options)
            finally:
                triggers.create(connection)
