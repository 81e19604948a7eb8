"""`manage.py db_app_role [ROLE]`: the portal's own PostgreSQL role gets what it needs, no more.

Run as the role that owns the tables (it ran `migrate`), after every `migrate`: `make serve`
does. ROLE defaults to the user of APP_DATABASE_URL. The portal's role may read and write the
portal's tables, but only read and add audit entries: without ownership it cannot TRUNCATE,
ALTER the table, drop or disable its triggers, and it is no superuser, so it cannot set
session_replication_role either. See README, Deployment.
"""

from typing import Any

import environ
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from audit.models import AuditEntry

READ_ONLY_TABLES = ("django_migrations",)


class Command(BaseCommand):
    help = "Grants the portal's database role its privileges; audit entries: read and add only."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", nargs="?", help="default: the user of APP_DATABASE_URL")

    def handle(self, *args: Any, role: str | None, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Database roles are a PostgreSQL matter; nothing to do here.")
        role = role or self._role_from_env()
        if role == connection.settings_dict["USER"]:
            raise CommandError(
                "The portal's role must not be the owner that runs this command and migrate."
            )
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in self.statements(connection.ops.quote_name(role)):
                cursor.execute(sql)
        self.stdout.write(f"{role}: tables read and written, audit entries read and added only.")

    def _role_from_env(self) -> str:
        url = environ.Env().str("APP_DATABASE_URL", default="")
        user = str(environ.Env.db_url_config(url).get("USER", "")) if url else ""
        if not user:
            raise CommandError("Name the role, or set APP_DATABASE_URL.")
        return user

    def statements(self, role: str) -> list[str]:
        quote = connection.ops.quote_name
        audit = quote(AuditEntry._meta.db_table)
        database = quote(str(connection.settings_dict["NAME"]))
        return [
            f"GRANT CONNECT ON DATABASE {database} TO {role}",
            f"GRANT USAGE ON SCHEMA public TO {role}",
            f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
            f"REVOKE ALL ON {audit} FROM PUBLIC",
            f"REVOKE ALL ON {audit} FROM {role}",
            f"GRANT SELECT, INSERT ON {audit} TO {role}",
            *(
                f"REVOKE INSERT, UPDATE, DELETE ON {quote(table)} FROM {role}"
                for table in READ_ONLY_TABLES
            ),
        ]
