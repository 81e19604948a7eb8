"""Creates an API token for an account and prints it once."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from api.tokens import token_create


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print it (it is shown only this once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the token is for.")

    def handle(self, *args: Any, **options: Any) -> None:
        model = get_user_model()
        try:
            user = model.objects.get(username=options["username"])
        except model.DoesNotExist:
            raise CommandError(f"No account named {options['username']!r}.") from None
        if not user.is_active:
            raise CommandError(f"Account {user.username!r} is disabled.")
        _token, raw = token_create(user, options["name"])
        self.stdout.write(raw)
        self.stderr.write("Store this token now: it cannot be shown again.")
