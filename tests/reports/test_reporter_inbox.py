"""The reporter's "Waiting for you": what was returned (with the reason), what was reopened
(with the reason) and what is due (drafts not sent and quarters without a report, marked when
overdue), each under its own heading."""

from __future__ import annotations

import re

import pytest

from reports.assignments import assignments_apply_proposal
from reports.services import report_reopen, report_return
from tests.conftest import approved, opened, period

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


def _list(page: str, list_id: str) -> str:
    found = re.search(rf'<ul aria-labelledby="[^"]+" id="{list_id}">.*?</ul>', page, re.S)
    return found.group(0) if found else ""


@pytest.fixture
def home(client, small_tree, programme, office_user, district_reporter):
    assignments_apply_proposal()
    returned = approved(small_tree.d2, programme, "2025Q2", approve=False, members=200)
    report_return(returned, reason="Thiếu số đoàn viên nữ", actor=office_user)
    done = approved(small_tree.d2, programme, "2025Q3", members=210)
    reopened = report_reopen(done, reason="Kiểm tra lại số công đoàn cơ sở", actor=office_user)
    draft = opened(small_tree.d2, period(programme, "2025Q4"), district_reporter)
    client.force_login(district_reporter)
    page = client.get("/", follow=True).content.decode()
    return page, returned, reopened, draft


def test_returned_reports_are_listed_with_the_reason(home):
    page, returned, reopened, draft = home
    items = _list(page, "todo-returned")
    assert f'data-report="{returned.pk}"' in items and "Thiếu số đoàn viên nữ" in items
    assert f'data-report="{reopened.pk}"' not in items and f'data-report="{draft.pk}"' not in items
    assert "Returned to you (1)" in page


def test_reopened_reports_are_listed_apart_with_the_reason(home):
    page, _returned, reopened, draft = home
    items = _list(page, "todo-reopened")
    assert f'data-report="{reopened.pk}"' in items
    assert "Kiểm tra lại số công đoàn cơ sở" in items and "was reopened for correction" in items
    assert f'data-report="{draft.pk}"' not in items
    assert "Reopened for correction (1)" in page


def test_what_is_due_lists_the_unsent_draft_and_the_quarters_without_report_as_overdue(home):
    page, _returned, reopened, draft = home
    items = _list(page, "todo-due")
    assert f'data-report="{draft.pk}"' in items and "is a draft, not sent yet" in items
    assert f'data-report="{reopened.pk}"' not in items
    # Quarters whose due date has passed are marked overdue (the tests run after 2025).
    first = items[: items.index("</li>")]
    assert "Overdue" in first
    assert "No report yet for" in items
    due = re.search(r"Due \((\d+)\)", page)
    assert due is not None and int(due.group(1)) == items.count("<li")
