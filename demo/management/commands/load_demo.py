from typing import Any

from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand

from demo.accounts import DEMO_PASSWORD, demo_accounts_load
from demo.baseline import demo_baseline_set
from demo.hierarchy import demo_hierarchy_load
from targets.models import Programme
from unions.models import DEMO_CACHE_KEY


class Command(BaseCommand):
    help = "Loads the programme and the demo data (units, 2025 reform, accounts). Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        created = demo_hierarchy_load()
        self.stdout.write("Demo hierarchy " + ("created." if created else "already present."))
        call_command("load_programme", stdout=self.stdout)
        call_command("load_demo_reports", stdout=self.stdout)
        programme = Programme.objects.order_by("-term_start").first()
        if programme is not None:
            demo_baseline_set(programme)
        cache.delete(DEMO_CACHE_KEY)
        accounts = demo_accounts_load()
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password “{DEMO_PASSWORD}”):"))
        for username, description in accounts:
            self.stdout.write(f"  {username:10} {description}")
