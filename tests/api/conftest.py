"""Reports to read back through the API, and a client that speaks JSON."""

from __future__ import annotations

import pytest

from api.tokens import token_create
from reports.assignments import assignments_apply_proposal
from tests.conftest import approved as reported_value

PROGRESS = "/api/v1/progress/"


@pytest.fixture
def reported(small_tree, programme):
    t = small_tree
    assignments_apply_proposal()
    reported_value(t.d1, programme, "2025Q2", members=100, workers_union_units=120, informed_ytd=60)
    reported_value(
        t.d2, programme, "2025Q2", members=200, workers_union_units=220, informed_ytd=100
    )
    reported_value(
        t.ward, programme, "2025Q4", members=90, workers_union_units=100, informed_ytd=100
    )
    reported_value(
        t.d2, programme, "2025Q4", members=210, workers_union_units=230, informed_ytd=220
    )
    reported_value(t.d2, programme, "2025Q3", court_cases=2, court_cases_supported=1)
    return t


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def office_token(office_user) -> str:
    return token_create(office_user, "tests")[1]


@pytest.fixture
def reporter_token(district_reporter) -> str:
    return token_create(district_reporter, "tests")[1]
