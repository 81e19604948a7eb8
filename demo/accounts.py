"""Demo accounts, created only together with the demo data."""

from __future__ import annotations

from django.db import transaction

from accounts.models import Role, User
from demo.hierarchy import PROVINCE_CODE, TAN_PHONG
from unions.models import Unit

DEMO_PASSWORD = "demo"  # noqa: S105 - documented demo login, created only with demo data

DEMO_ACCOUNTS = [
    ("admin", Role.ADMIN, PROVINCE_CODE, "administrator"),
    ("vanphong", Role.OFFICE, PROVINCE_CODE, "provincial office staff"),
    ("tamduong", Role.REPORTER, "LDLD-TD", "reporter, Tam Đường district federation"),
    ("tanphong", Role.REPORTER, TAN_PHONG, "reporter, Tân Phong ward union"),
    ("thuongvu", Role.COMMITTEE, PROVINCE_CODE, "Standing Committee reader"),
]


@transaction.atomic
def demo_accounts_load() -> list[tuple[str, str]]:
    units = {u.code: u for u in Unit.objects.filter(code__in=[a[2] for a in DEMO_ACCOUNTS])}
    for username, role, unit_code, _ in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"role": role, "unit": units[unit_code]}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = user.is_superuser = role == Role.ADMIN
            user.save()
    return [(a[0], a[3]) for a in DEMO_ACCOUNTS]
