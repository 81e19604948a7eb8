"""The check lists every problem in words; publishing and closing refuse what the rules do not
allow, and a publication brings the quarters and the roll-up's totals in its transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from reports.models import ReportingPeriod
from rollup.models import RollupTotalsState
from rollup.totals import totals_rebuild
from targets.models import Field, Indicator, Programme, ProgrammeStatus, Target, TaskGroup
from targets.programmes import fields_in_force, programmes_in_force
from targets.publishing import (
    ProgrammeRefused,
    programme_check,
    programme_close,
    programme_mark_checked,
    programme_publish,
)

TODAY = dt.date(2026, 5, 10)


def draft_2026() -> Programme:
    draft = Programme.objects.create(
        code="ctr-2026",
        number="01/CTr-2026",
        title_vi="Chương trình hành động 2026–2031",
        title_en="Action programme 2026–2031",
        issued_on=dt.date(2026, 3, 1),
        term_start=dt.date(2026, 1, 1),
        term_end=dt.date(2031, 12, 31),
    )
    volunteers = Field.objects.create(
        code="volunteers",
        label_vi="Đoàn viên tham gia tình nguyện",
        label_en="Members volunteering",
        group="members",
        time_kind="ytd",
    )
    share = Indicator.objects.create(
        programme=draft,
        code="N01",
        name_vi="Tỷ lệ tình nguyện",
        name_en="Volunteering rate",
        text_vi="30% đoàn viên tham gia hoạt động tình nguyện",
        text_en="30% of members volunteer",
        kind="annual",
        numerator=volunteers,
        denominator=Field.objects.get(code="members"),
        display="percent",
    )
    Target.objects.create(indicator=share, value=30)
    TaskGroup.objects.create(
        programme=draft, code="1", title_vi="Tuyên truyền", title_en="Outreach"
    )
    return draft


def test_a_sound_draft_has_no_problem(programme):
    assert programme_check(draft_2026()) == []


def test_the_check_lists_every_problem_in_vietnamese(programme):
    draft = draft_2026()
    Programme.objects.filter(pk=draft.pk).update(title_en="")
    share = Indicator.objects.get(programme=draft)
    share.targets.update(value=130)
    Target.objects.create(indicator=share, year=2035, value=20)
    Indicator.objects.create(
        programme=draft,
        code="N02",
        name_vi="Đoàn viên",
        name_en="",
        text_vi="Phát triển đoàn viên",
        text_en="Members",
        kind="term",
        numerator=Field.objects.get(code="members"),
        display="count",
    )
    TaskGroup.objects.filter(programme=draft).update(title_vi=" ")
    with translation.override("vi"):
        problems = programme_check(Programme.objects.get(pk=draft.pk))
    assert problems == [
        "Tên chương trình: thiếu bản tiếng Anh.",
        "Chỉ tiêu N01: mức cần đạt 130 nằm ngoài khoảng cho phép.",
        "Chỉ tiêu N01: năm 2035 của mức cần đạt nằm ngoài nhiệm kỳ.",
        "Chỉ tiêu N02, tên ngắn: thiếu bản tiếng Anh.",
        "Chỉ tiêu N02 chưa có mức cần đạt.",
        "Nhóm nhiệm vụ 1: thiếu bản tiếng Việt.",
    ]


def test_an_empty_programme_is_refused_by_the_check(programme):
    draft = Programme.objects.create(
        code="empty",
        number="02/CTr",
        title_vi="Trống",
        title_en="Empty",
        issued_on=dt.date(2026, 1, 1),
        term_start=dt.date(2026, 1, 1),
        term_end=dt.date(2030, 12, 31),
    )
    with translation.override("vi"):
        assert programme_check(draft) == ["Chương trình chưa có chỉ tiêu nào."]
        assert programme_mark_checked(draft) and draft.status == ProgrammeStatus.DRAFT


def test_publishing_needs_a_check_first(programme):
    draft = draft_2026()
    with pytest.raises(ProgrammeRefused), translation.override("vi"):
        programme_publish(draft, dt.date(2026, 7, 1), TODAY)
    assert Programme.objects.get(pk=draft.pk).status == ProgrammeStatus.DRAFT


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (dt.date(2026, 7, 15), "ngày đầu của một quý"),
        (dt.date(2026, 1, 1), "quý hiện tại"),
        (dt.date(2032, 1, 1), "nhiệm kỳ"),
    ],
)
def test_publishing_refuses_a_bad_day(programme, day, words):
    draft = draft_2026()
    assert programme_mark_checked(draft) == []
    with pytest.raises(ProgrammeRefused) as refused, translation.override("vi"):
        programme_publish(draft, day, TODAY)
    assert words in refused.value.messages[0]
    assert Programme.objects.get(pk=draft.pk).status == ProgrammeStatus.CHECKED


def test_publishing_asks_from_its_quarter_and_builds_quarters_and_totals(programme):
    totals_rebuild()
    draft = draft_2026()
    draft.term_end = dt.date(2031, 12, 31)
    assert programme_mark_checked(draft) == []
    published = programme_publish(draft, dt.date(2026, 7, 1), TODAY)
    assert published.status == ProgrammeStatus.PUBLISHED
    assert programmes_in_force(2026, 2) == [programme]
    assert programmes_in_force(2026, 3) == [programme, published]
    assert "volunteers" in {f.code for f in fields_in_force(2026, 3)}
    assert "volunteers" not in {f.code for f in fields_in_force(2026, 2)}
    assert ReportingPeriod.objects.filter(year=2031, quarter=4).exists()
    state = RollupTotalsState.objects.get()
    share = published.indicators.get()
    assert share.numerator_id in state.fields
    assert [share.pk, share.numerator_id, share.denominator_id] in state.pairs


def test_closing_early_refuses_a_draft_and_a_day_before_publication(programme):
    draft = draft_2026()
    with pytest.raises(ProgrammeRefused):
        programme_close(draft, dt.date(2027, 1, 1), TODAY)
    programme_mark_checked(draft)
    published = programme_publish(draft, dt.date(2026, 7, 1), TODAY)
    with pytest.raises(ProgrammeRefused):
        programme_close(published, dt.date(2026, 7, 1), TODAY)
    # Mid-quarter, or a quarter already past: its quarters would change after the fact.
    with translation.override("vi"), pytest.raises(ProgrammeRefused, match="ngày đầu của một quý"):
        programme_close(published, dt.date(2027, 12, 15), TODAY)
    with pytest.raises(ProgrammeRefused):
        programme_close(published, dt.date(2026, 10, 1), dt.date(2027, 2, 1))
    closed = programme_close(published, dt.date(2028, 1, 1), TODAY)
    assert closed.status == ProgrammeStatus.CLOSED
    assert programmes_in_force(2027, 4) == [programme, closed]
    assert programmes_in_force(2028, 1) == [programme]


def test_no_quarter_before_the_publication_is_made_so_none_is_ever_overdue(programme):
    """A programme whose term began long before it was published asks nothing of the quarters
    before its publication: they are not made for it (reports.periods_ensure follows the
    publication), so no unit can be overdue for them."""
    from reports.assignments import periods_ensure

    periods_ensure()
    first = ReportingPeriod.objects.order_by("year", "quarter").first()
    draft = draft_2026()
    Programme.objects.filter(pk=draft.pk).update(
        term_start=dt.date(2020, 1, 1), issued_on=dt.date(2020, 1, 1)
    )
    draft.refresh_from_db()
    assert programme_mark_checked(draft) == []
    programme_publish(draft, dt.date(2026, 7, 1), TODAY)
    assert ReportingPeriod.objects.order_by("year", "quarter").first() == first
    assert (first.year, first.quarter) == (2023, 4)
    assert ReportingPeriod.objects.filter(year=2031, quarter=4).exists()
