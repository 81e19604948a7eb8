"""Dashboard pages: who may see what, what they show, and what they cost in queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from dashboards.templatetags.figures import figure
from rollup.engine import PeriodSpec, progress

from .conftest import grow


def signed_in(client, user):
    client.force_login(user)
    return client


def test_anonymous_reader_is_sent_to_login(client, reported, programme):
    for url in (
        reverse("dashboards:overview"),
        reverse("dashboards:unit", args=["D2"]),
        reverse("dashboards:indicator", args=["T01"]),
        reverse("dashboards:membership"),
        "/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["office_user", "committee_user", "admin_user"])
def test_province_readers_see_the_overview_at_home(client, reported, programme, persona, request):
    user = request.getfixturevalue(persona)
    response = signed_in(client, user).get("/", {"year": 2025})
    assert response.status_code == 200
    page = response.content.decode()
    assert "T01" in page and "A14" in page
    assert "as it was" in page  # the tree switch is there


def test_overview_shows_figures_as_progress_computes_them(
    client, committee_user, reported, programme
):
    url = reverse("dashboards:overview")
    response = signed_in(client, committee_user).get(url, {"year": 2025}, HTTP_ACCEPT_LANGUAGE="vi")
    page = response.content.decode()
    year = progress(programme, reported.province, PeriodSpec.parse("2025"))
    term = progress(programme, reported.province, PeriodSpec.parse("term"))
    a01 = next(r for r in year.results if r.code == "A01")
    t01 = next(r for r in term.results if r.code == "T01")
    with translation.override("en"):  # the suite's client reads English pages
        shown_a01, shown_t01 = figure(a01), figure(t01)
    assert shown_a01 == "97.0% (320/330)"  # Q4: ward 100/100 + D2 220/230
    assert shown_a01 in page and shown_t01 in page


def test_reporter_home_is_its_own_units_page(client, district_reporter, reported, programme):
    response = signed_in(client, district_reporter).get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboards:unit", args=["D2"])


def test_district_reporter_sees_its_own_unit_and_subtree(
    client, district_reporter, reported, programme
):
    client = signed_in(client, district_reporter)
    assert client.get(reverse("dashboards:unit", args=["D2"])).status_code == 200
    page = client.get(reverse("dashboards:unit", args=["C21"]), {"year": 2024}).text
    # The path above names the province but links only to what the reporter may open.
    crumbs = re.search(r'<nav class="crumbs".*?</nav>', page, re.S).group(0)
    assert reverse("dashboards:unit", args=["D2"]) in crumbs
    assert reverse("dashboards:unit", args=["P"]) not in crumbs and "Unit P" in crumbs
    for href in re.findall(r'href="([^"]+)"', crumbs):
        assert client.get(href).status_code == 200


def test_district_reporter_cannot_open_another_districts_unit(
    client, district_reporter, reported, programme
):
    client = signed_in(client, district_reporter)
    assert client.get(reverse("dashboards:unit", args=["D1"])).status_code == 404
    assert client.get(reverse("dashboards:unit", args=["P"])).status_code == 404
    indicator = reverse("dashboards:indicator", args=["T01"])
    assert client.get(indicator, {"unit": "D1"}).status_code == 404


def test_reporter_indicator_page_breaks_down_its_own_subtree(
    client, district_reporter, reported, programme
):
    response = signed_in(client, district_reporter).get(
        reverse("dashboards:indicator", args=["T01"])
    )
    assert response.status_code == 200
    assert response.context["unit"].code == "D2"


def test_only_office_staff_get_the_provisional_toggle(
    client, office_user, committee_user, reported, programme
):
    office = signed_in(client, office_user).get(reverse("dashboards:overview"))
    assert 'name="provisional"' in office.content.decode()
    client.logout()
    committee = signed_in(client, committee_user).get(
        reverse("dashboards:overview"), {"provisional": "on"}
    )
    assert 'name="provisional"' not in committee.content.decode()
    assert committee.context["params"].provisional is False


def test_a_bad_year_keeps_the_default_and_says_why(client, committee_user, reported, programme):
    response = signed_in(client, committee_user).get(
        reverse("dashboards:overview"), {"year": "1999"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["year"]
    assert response.context["params"].year in range(2023, 2029)


def test_indicator_page_shows_the_breakdown_chart_and_numbers(
    client, office_user, reported, programme
):
    url = reverse("dashboards:indicator", args=["T01"])
    response = signed_in(client, office_user).get(url, {"period": "2025"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in page and "<script" not in page
    assert "Unit W1" in page and "Unit D2" in page and "Unit D1" in page
    assert "300" in page  # the province's 2025 members, also in the table


def test_indicator_breakdown_filters_by_kind_and_sorts(client, office_user, reported, programme):
    url = reverse("dashboards:indicator", args=["T01"])
    client = signed_in(client, office_user)
    response = client.get(url, {"period": "2025", "kind": "commune"})
    assert [r.record.unit.code for r in response.context["table"].rows] == ["W1"]
    response = client.get(url, {"period": "2025", "sort": "-value"})
    values = [r.record.sort_value for r in response.context["table"].rows]
    assert values == sorted(values, reverse=True)
    response = client.get(url, {"period": "2025", "status": "no_data"})
    assert all(r.record.status == "no_data" for r in response.context["table"].rows)


def test_membership_page_marks_the_june_2025_dissolutions(
    client, committee_user, reported, programme
):
    response = signed_in(client, committee_user).get(reverse("dashboards:membership"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-quarter="2025Q2" class="reform"' in page
    assert "<svg" in page


def test_unit_page_links_to_the_registry_and_reporting_units(
    client, office_user, reported, programme
):
    response = signed_in(client, office_user).get(
        reverse("dashboards:unit", args=["P"]), {"year": 2025}
    )
    page = response.content.decode()
    assert reverse("unions:detail", args=["P"]) in page
    assert reverse("dashboards:unit", args=["W1"]) in page


def _queries(client, url, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("url", "params"),
    [
        (reverse("dashboards:overview"), {"year": 2025}),
        (reverse("dashboards:indicator", args=["A01"]), {"period": "2025"}),
        (reverse("dashboards:unit", args=["P"]), {"year": 2025, "tree": "as_now"}),
        (reverse("dashboards:membership"), {}),
    ],
)
def test_pages_cost_the_same_queries_for_10_and_40_units(
    client, office_user, reported, programme, django_assert_max_num_queries, url, params
):
    client = signed_in(client, office_user)
    grow(reported, programme, 10)
    client.get(url, params)  # warms what the process caches (the demo banner's check)
    few = _queries(client, url, params)
    grow(reported, programme, 30, start=10)
    # Warmed again: the places of closed units along today's tree are cached per closure
    # version, which the new units changed.
    client.get(url, params)
    many = _queries(client, url, params)
    assert many == few
    with django_assert_max_num_queries(45):
        client.get(url, params)


def test_a_root_with_very_many_reporting_units_lists_the_units_directly_below(
    client, office_user, reported, programme, monkeypatch
):
    from dashboards import views

    client.force_login(office_user)
    client.get("/dashboards/", {"year": 2025})  # warms what the process caches
    listed = _queries(client, "/dashboards/", {"year": 2025})
    monkeypatch.setattr(views, "REPORTER_LIST_LIMIT", 1)
    page = client.get("/dashboards/?year=2025").content.decode()
    assert "reporting units below; these are the units directly below" in page
    # Switching to the shorter list costs no query more or less (the benchmark compares
    # query counts between a province and a national root).
    assert _queries(client, "/dashboards/", {"year": 2025}) == listed


def test_the_indicator_breakdown_is_shown_a_page_at_a_time(
    client, office_user, reported, programme, monkeypatch
):
    from dashboards import views

    monkeypatch.setattr(views, "BREAKDOWN_PAGE_SIZE", 1)
    client.force_login(office_user)
    page = client.get("/dashboards/indicator/A01/?period=2025").content.decode()
    assert 'class="pager"' in page and "page=2" in page
    # Sorting from page 2 starts again at page 1 (it would otherwise land mid-list).
    second = client.get("/dashboards/indicator/A01/?period=2025&page=2").content.decode()
    sort_links = re.findall(r'<th[^>]*><a href="\?([^"]*)"', second)
    assert sort_links and all("sort=" in q and "page=" not in q for q in sort_links)
    assert all("period=2025" in q for q in sort_links)


def test_years_in_links_are_not_written_with_a_thousands_separator(
    client, office_user, reported, programme
):
    """Vietnamese groups thousands with a dot: 2025 must not become 2.025 in a link."""
    client.force_login(office_user)
    client.cookies["django_language"] = "vi"
    page = client.get("/dashboards/", {"year": 2025}, HTTP_ACCEPT_LANGUAGE="vi").text
    assert "/exports/workbook/?year=2025&amp;" in page and "2.025" not in page


def test_reporting_unit_links_are_the_urls_reverse_writes():
    """The unit page builds its list of links with one reverse(); each link must be the URL
    reverse() gives for that code, whatever characters the code has."""
    from dashboards.views import _links
    from unions.selectors import UnitBrief

    codes = ["T01-X001", "Xã Tân Phong", "a b", "x?y#z", "50%", "~:@!$&'()*+,;=", "[1]", "a/b"]
    units = [UnitBrief(c, f"name {c}", "commune", i) for i, c in enumerate(codes, 1)]
    units.append(UnitBrief("G1", "CĐCS G1", "grassroots", 99))
    links = _links(units, "?year=2025")
    # A code saved before the code rule is named by id ("~3"): "a/b" has no URL of its own.
    assert [link.href for link in links["upper"]] == [
        reverse("dashboards:unit", args=[u.url_key]) + "?year=2025" for u in units[:-1]
    ]
    assert units[0].url_key == "T01-X001"
    assert units[-2].url_key == "~8"
    g1 = reverse("dashboards:unit", args=["G1"]) + "?year=2025"
    assert links["grassroots"] == [(g1, "CĐCS G1")]
    # The breakdown table's unit column uses the same builder.
    from dashboards.links import unit_page_url

    keys = [u.url_key for u in units]
    assert [unit_page_url()(k) for k in keys] == [
        reverse("dashboards:unit", args=[k]) for k in keys
    ]


def test_a_figure_from_an_earlier_quarter_than_the_periods_last_says_which(
    client, office_user, reported, programme
):
    """A district whose 2025Q4 report is not in shows its Q3 stock: its row says so, so that
    staff see who is behind instead of reading an old figure as this quarter's."""
    from reports.assignments import assignments_apply_proposal
    from tests.conftest import approved, make_unit
    from unions.models import UnitKind

    late = make_unit("LATE", UnitKind.DISTRICT, reported.province, name="Late district")
    assignments_apply_proposal()
    approved(late, programme, "2025Q3", members=40, workers_union_units=50, informed_ytd=45)
    client.force_login(office_user)
    page = client.get(reverse("dashboards:indicator", args=["A01"]), {"period": "2025"}).text
    marked = {
        name: "figures of Quarter 3/2025" in row
        for name, row in re.findall(
            r'<tr class="(?:odd|even)"><td ><a[^>]*>([^<]+)</a>(.*?)</tr>', page, re.S
        )
    }
    assert marked["Late district"] and not marked["Unit D2"] and not marked["Unit W1"]
    # D1, dissolved in July, keeps its June figure and says so too.
    assert re.search(r"Unit D1</a>.*?figures of Quarter 2/2025", page, re.S)
    unit_page = client.get(reverse("dashboards:unit", args=["LATE"]), {"year": 2025}).text
    a01 = re.search(r'<tr data-code="A01"[^>]*>.*?</tr>', unit_page, re.S).group(0)
    assert "figures of Quarter 3/2025" in a01
    d2_page = client.get(reverse("dashboards:unit", args=["D2"]), {"year": 2025}).text
    assert "figures of Quarter" not in re.search(
        r'<tr data-code="A01"[^>]*>.*?</tr>', d2_page, re.S
    ).group(0)


def test_a_reporters_home_says_what_waits_on_them(
    client, district_reporter, office_user, reported, programme
):
    """Returned reports with the reviewer's reason, unsent drafts and quarters with no report
    come first on the reporter's home (its unit's page), each with the way to act on it."""
    from reports.services import report_return
    from tests.conftest import approved, opened, period

    sent = approved(reported.d2, programme, "2026Q1", approve=False, members=220)
    report_return(sent, reason="Số đoàn viên chưa khớp danh sách", actor=office_user)
    draft = opened(reported.d2, period(programme, "2026Q2"), None)
    client.force_login(district_reporter)
    home = client.get("/", follow=True)
    page = home.text
    todo = re.search(r'<section class="todo".*?</section>', page, re.S).group(0)
    assert "The report for Quarter 1/2026 was returned to you." in todo
    assert "Số đoàn viên chưa khớp danh sách" in todo
    assert reverse("reports:edit", args=[sent.pk]) in todo
    assert "The report for Quarter 2/2026 is a draft" in todo
    assert reverse("reports:edit", args=[draft.pk]) in todo
    assert 'name="period" value="2026Q3"' in todo  # ended, no report yet: open it from here
    assert "No report yet for Quarter 3/2026." in todo
    # Office staff reading the same unit's page see the figures, not the reporter's to-do.
    client.force_login(office_user)
    assert 'class="todo"' not in client.get(reverse("dashboards:unit", args=["D2"])).text


def test_the_to_do_is_on_the_reporters_own_unit_page_only(
    client, district_reporter, reported, programme
):
    client.force_login(district_reporter)
    assert 'class="todo"' in client.get(reverse("dashboards:unit", args=["D2"])).text
    assert 'class="todo"' not in client.get(reverse("dashboards:unit", args=["C21"])).text


def test_a_reopened_report_tells_the_reporter_why(
    client, district_reporter, office_user, reported, programme
):
    """A reopen is recorded on the approved revision it reopens; the reporter's to-do and the
    new draft's form still show the office's reason."""
    from reports.models import Report
    from reports.services import report_reopen

    approved_q4 = Report.objects.get(unit=reported.d2, period__year=2025, period__quarter=4)
    draft = report_reopen(approved_q4, reason="Kiểm tra lại số đoàn viên", actor=office_user)
    client.force_login(district_reporter)
    todo = re.search(
        r'<section class="todo".*?</section>',
        client.get(reverse("dashboards:unit", args=["D2"])).text,
        re.S,
    ).group(0)
    assert "The report for Quarter 4/2025 was reopened for correction." in todo
    assert "Kiểm tra lại số đoàn viên" in todo and reverse("reports:edit", args=[draft.pk]) in todo
    form = client.get(reverse("reports:edit", args=[draft.pk])).text
    assert 'id="return-reason"' in form and "Kiểm tra lại số đoàn viên" in form


def test_the_period_choice_starts_with_the_first_quarter_reported(client, office_user, programme):
    """Programme 03 was issued in December 2023: 2023Q1–Q3 are not reporting quarters."""
    client.force_login(office_user)
    page = client.get(reverse("dashboards:indicator", args=["A01"])).text
    options = re.findall(r'<option value="(\d{4}Q\d)"', page)
    assert options[0] == "2023Q4" and "2023Q3" not in options


QUARTER_CODE = re.compile(r"\b\d{4}Q[1-4]\b")
WORDS = {"vi": ("Quý 4/2025", "Q4/2025"), "en": ("Quarter 4/2025", "Q4/2025")}


def _text(page):
    """What a reader sees: the page without its tags (attribute values such as links and
    option values are the machine's)."""
    return re.sub(r"<[^>]*>", " ", page)


def _get(client, user, language, url, **query):
    client.force_login(user)
    client.cookies["django_language"] = language
    return client.get(url, query, HTTP_ACCEPT_LANGUAGE=language).text


@pytest.mark.parametrize("language", ["vi", "en"])
def test_quarters_are_named_in_the_readers_words_while_urls_keep_the_code(
    client, office_user, reported, programme, language
):
    label, short = WORDS[language]
    page = _get(
        client, office_user, language, reverse("dashboards:indicator", args=["A01"]),
        period="2025Q4",
    )  # fmt: skip
    # The period choice: the value the URL carries, the words the reader reads.
    assert re.search(rf'<option value="2025Q4" selected>{label}</option>', page)
    assert re.search(rf"<dd>{label} ", page)  # the period shown, and its figures' quarter
    assert f'<th scope="row">{label}</th>' in page  # the numbers behind the chart
    assert f">{short}</text>" in page  # the chart's axis, short
    assert f" · {label}: " in page  # and a dot's tooltip in full
    assert not QUARTER_CODE.search(_text(page))


@pytest.mark.parametrize("language", ["vi", "en"])
def test_no_page_shows_a_quarter_as_a_code(client, office_user, reported, programme, language):
    for url, query in (
        (reverse("dashboards:overview"), {"year": 2025}),
        (reverse("dashboards:unit", args=["D2"]), {"year": 2025}),
        (reverse("dashboards:indicator", args=["T01"]), {"period": "term"}),
        (reverse("dashboards:membership"), {}),
    ):
        page = _get(client, office_user, language, url, **query)
        assert not QUARTER_CODE.search(_text(page)), url


@pytest.mark.parametrize("language", ["vi", "en"])
def test_membership_rows_chart_and_projection_name_quarters_in_words(
    client, committee_user, reported, programme, language
):
    label = {"vi": "Quý 2/2025", "en": "Quarter 2/2025"}[language]
    page = _get(client, committee_user, language, reverse("dashboards:membership"))
    assert f'data-quarter="2025Q2" class="reform">\n<th scope="row">{label}</th>' in page
    # The trend's start: only 2025Q4 follows the reorganisation, so the whole term is used.
    start = {"vi": "Quý 4/2024", "en": "Quarter 4/2024"}[language]
    assert re.search(rf"{start}[^<]*(whose reports|đã nhận đủ)", page)
    assert ">Q2/2025</text>" in page or ">Q3/2025</text>" in page  # the axis, short
    assert f"· {label}: " in page


def test_the_membership_csv_keeps_the_quarter_code(client, committee_user, reported, programme):
    client.force_login(committee_user)
    client.cookies["django_language"] = "vi"
    content = client.get(reverse("exports:csv", args=["membership"])).content.decode("utf-8-sig")
    assert "\r\n2025Q2;" in content and "Quý 2/2025" not in content


@pytest.fixture
def empty_commune(reported, programme):
    """A commune union without CĐCS: its 2025Q4 report says 0 workers, 0 informed."""
    from reports.assignments import assignments_apply_proposal
    from tests.conftest import approved, make_unit
    from unions.models import UnitKind

    commune = make_unit("W0", UnitKind.COMMUNE, reported.province, name="Empty commune")
    assignments_apply_proposal()
    approved(commune, programme, "2025Q4", members=0, workers_union_units=0, informed_ytd=0)
    return commune


EMPTY = {
    "vi": ("0/0 — không có đối tượng", "không có đối tượng", "chưa có số liệu"),
    "en": ("0/0 — nothing to measure", "nothing to measure", "no data"),
}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_unit_whose_reports_gave_0_of_0_says_nothing_to_measure(
    client, office_user, empty_commune, programme, language
):
    figure_words, status_words, no_data = EMPTY[language]
    url = reverse("dashboards:unit", args=["W0"])
    page = _get(client, office_user, language, url, year=2025)
    a01 = re.search(r'<tr data-code="A01"[^>]*>.*?</tr>', page, re.S).group(0)
    assert figure_words in a01
    badge = f'class="st st-nothing_to_measure"><span aria-hidden="true">∅</span> {status_words}<'
    assert badge in a01
    assert no_data not in a01 and "st-no_data" not in a01
    assert re.search(r'class="num coverage">1/1 ', a01)  # the report that came in


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_breakdown_says_nothing_to_measure_and_the_total_is_unchanged(
    client, office_user, empty_commune, programme, language
):
    figure_words, status_words, _no_data = EMPTY[language]
    url = reverse("dashboards:indicator", args=["A01"])
    page = _get(client, office_user, language, url, period="2025")
    row = re.search(r"Empty commune</a>.*?</tr>", page, re.S).group(0)
    assert figure_words in row and f"∅</span> {status_words}" in row
    total = {"vi": "97,0% (320/330)", "en": "97.0% (320/330)"}[language]
    assert f'<dd class="figure" data-code="A01">{total}' in page  # the sums, as without it
    chosen = _get(client, office_user, language, url, period="2025", status="nothing_to_measure")
    assert re.findall(r'<tr class="(?:odd|even)"><td ><a[^>]*>([^<]+)</a>', chosen) == [
        "Empty commune"
    ]


@pytest.mark.parametrize("page", ["overview", "indicator", "membership"])
def test_dashboards_say_how_current_their_figures_are(
    client, committee_user, reported, programme, page
):
    """ "Số liệu tính đến HH:MM" under the title, in Vietnam's time (the primary: now)."""
    from zoneinfo import ZoneInfo

    from django.utils import timezone
    from django.utils.translation import gettext

    args = ["A01"] if page == "indicator" else []
    before = timezone.now().astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    response = signed_in(client, committee_user).get(reverse(f"dashboards:{page}", args=args))
    after = timezone.now().astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    text = response.content.decode()
    shown = re.search(r"Figures as of (\d\d:\d\d)", text)
    assert shown, "no freshness line"
    assert shown.group(1) in {before.strftime("%H:%M"), after.strftime("%H:%M")}
    assert text.index("<h1") < shown.start()
    with translation.override("vi"):
        assert gettext("Figures as of %(time)s") == "Số liệu tính đến %(time)s"
