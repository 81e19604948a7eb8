"""The demo hierarchy is Lai Châu's, with the 2025 reform applied as it happened."""

import datetime as dt

import pytest
from django.db import transaction

from accounts.models import User
from demo.accounts import demo_accounts_load
from demo.hierarchy import PROVINCE_CODE, TAN_PHONG, demo_hierarchy_load
from unions.models import Unit, UnitKind
from unions.selectors import unit_children, unit_descendants


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    # Built once for the module inside a transaction that is rolled back afterwards.
    with django_db_blocker.unblock(), transaction.atomic():
        demo_hierarchy_load()
        demo_accounts_load()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def province(demo, db):
    return Unit.objects.get(code=PROVINCE_CODE)


def test_loading_again_changes_nothing(province):
    count = Unit.objects.count()
    assert demo_hierarchy_load() is False
    demo_accounts_load()
    assert Unit.objects.count() == count
    assert User.objects.count() == 5


def test_before_the_reform_the_city_and_seven_districts_hold_the_cdcs(province):
    children = unit_children(province, dt.date(2024, 12, 31))
    districts = [u for u in children if u.kind == UnitKind.DISTRICT]
    assert len(districts) == 8
    assert all(u.kind != UnitKind.GRASSROOTS for u in children)
    cdcs = [u for u in unit_descendants(province, dt.date(2024, 12, 31)) if u.is_grassroots]
    assert 280 <= len(cdcs) <= 320
    assert all(u.is_demo for u in cdcs)


def test_budget_paid_cdcs_are_dissolved_on_15_june_2025(province):
    on = dt.date(2025, 6, 15)
    assert not any(u.budget_paid for u in unit_descendants(province, on) if u.is_grassroots)
    assert any(u.budget_paid for u in unit_descendants(province, on - dt.timedelta(days=1)))


def test_after_1_july_2025_cdcs_sit_under_the_province_or_the_two_wards(province):
    on = dt.date(2025, 7, 1)
    children = unit_children(province, on)
    assert not [u for u in children if u.kind in (UnitKind.DISTRICT, UnitKind.SECTOR)]
    assert len([u for u in children if u.kind == UnitKind.COMMUNE]) == 38
    tan_phong = Unit.objects.get(code=TAN_PHONG)
    assert tan_phong.name == "Công đoàn Phường Tân Phong"
    assert unit_children(tan_phong, on)
    city = Unit.objects.get(code="LDLD-TP")
    assert city.successor == tan_phong and city.last_day == dt.date(2025, 6, 30)


def test_demo_accounts_belong_to_their_units(province):
    assert User.objects.get(username="tamduong").unit.code == "LDLD-TD"
    assert User.objects.get(username="tanphong").unit.code == TAN_PHONG
    assert User.objects.get(username="thuongvu").role == "committee"
    assert User.objects.get(username="admin").check_password("demo")


def test_no_two_demo_cdcs_share_a_name(province):
    names = list(Unit.objects.filter(kind=UnitKind.GRASSROOTS).values_list("name", flat=True))
    assert len(names) > 100 and len(set(names)) == len(names)
    assert any(name.endswith(" số 2") for name in names)  # namesakes are numbered
