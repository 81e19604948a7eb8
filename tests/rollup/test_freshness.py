import datetime as dt

import pytest
from django.utils import timezone

from rollup.freshness import figures_as_of

pytestmark = pytest.mark.django_db


def test_figures_read_from_the_primary_are_current_when_read():
    before = timezone.now()
    moment = figures_as_of()
    after = timezone.now()
    assert before <= moment <= after
    assert moment.tzinfo is not None and moment.utcoffset() == dt.timedelta(0)
