"""Every error under /api/ is the documented JSON, in the caller's language, and the
parameters accept exactly what the generated document says (ASCII digits, nothing empty)."""

import pytest
from django.conf import settings
from django.test import Client

from tests.api.conftest import PROGRESS

pytestmark = pytest.mark.django_db

UNITS = "/api/v1/units/"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/",
        "/api/v1/nope/",
        "/api/v1/docs",  # no docs page: its script would come from a CDN
        "/api/v1/units/D2/extra/",
        "/api/v1/programmes/a/b/c",
    ],
)
def test_an_unknown_url_under_the_api_is_a_json_404(client, office_user, programme, url):
    client.force_login(office_user)
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": "Not found."}
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("url", ["/api/", "/api/v2/x", "/api/foo", "/api/v2/units/", "/api/v1x/"])
def test_a_url_under_the_api_outside_its_version_is_the_same_json_404(client, office_user, url):
    client.force_login(office_user)
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": "Not found."}
    assert "private" in response["Cache-Control"]
    assert client.post(url).json() == {"error": "Only GET is allowed."}


def test_api_without_its_slash_is_sent_to_the_json_404(client):
    response = client.get("/api", follow=True)
    assert response.redirect_chain == [("/api/", 301)]
    assert response.status_code == 404 and response.json() == {"error": "Not found."}


def test_an_endpoint_without_its_final_slash_redirects_as_before(client, office_user, programme):
    client.force_login(office_user)
    response = client.get("/api/v1/units", {"kind": "district"})
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/units/?kind=district"
    response = client.get("/api/v1/nope")
    assert response.status_code == 404 and response.json() == {"error": "Not found."}


def test_an_unknown_url_answers_in_vietnamese_by_default(programme):
    response = Client().get("/api/v1/nope/", HTTP_ACCEPT_LANGUAGE="en")  # no language cookie
    assert response.status_code == 404
    assert response.json() == {"error": "Không tìm thấy."}


@pytest.mark.parametrize(
    ("params", "word"),
    [
        ({"period": "0000"}, "0000"),
        ({"period": "2025q4"}, "2025q4"),
        ({"period": "20250101"}, "20250101"),
        ({"period": "٢٠٢٥"}, "٢٠٢٥"),
        ({"period": " 2025"}, "2025"),
        ({"tree": ""}, "tree"),
        ({"include": ""}, "include"),
        ({"programme": ""}, "programme"),
    ],
)
def test_progress_refuses_what_its_patterns_exclude(client, office_user, programme, params, word):
    client.force_login(office_user)
    response = client.get(PROGRESS, {"unit": "P", "period": "2025", **params})
    assert response.status_code == 400, response.content
    assert word in response.json()["error"]


@pytest.mark.parametrize(
    ("params", "word"),
    [
        ({"on": ""}, "YYYY-MM-DD"),
        ({"on": "20250101"}, "YYYY-MM-DD"),
        ({"on": "2025-02-30"}, "YYYY-MM-DD"),
        ({"on": "٢٠٢٥-٠١-٠١"}, "YYYY-MM-DD"),
        ({"limit": "٣"}, "limit"),
        ({"limit": "+3"}, "limit"),
        ({"limit": "1.0"}, "limit"),
        ({"limit": "0"}, "limit"),
        ({"limit": "1001"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"offset": "1_000"}, "offset"),
        ({"kind": "planet"}, "planet"),
        ({"kind": ""}, "kind"),
    ],
)
def test_the_unit_list_refuses_what_its_patterns_exclude(
    client, office_user, programme, params, word
):
    client.force_login(office_user)
    response = client.get(UNITS, params)
    assert response.status_code == 400, response.content
    assert word in response.json()["error"]


def test_the_unit_list_accepts_a_date_and_pages(client, office_user, programme):
    client.force_login(office_user)
    response = client.get(UNITS, {"on": "2025-06-30", "limit": "2", "offset": "1"})
    assert response.status_code == 200
    body = response.json()
    assert (body["on"], body["limit"], body["offset"]) == ("2025-06-30", 2, 1)
    assert "offset=3" in body["next"] and "limit=2" in body["next"]


def test_a_refusal_is_in_the_language_chosen_with_the_switch(client, office_user, programme):
    """The language cookie decides, as on the pages (not the browser's Accept-Language)."""
    client.force_login(office_user)
    english = client.get(PROGRESS, {"unit": "P", "period": "2025q4"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    vietnamese = client.get(PROGRESS, {"unit": "P", "period": "2025q4"})
    assert english.json()["error"].startswith("Period 2025q4 is not")
    assert vietnamese.json()["error"].startswith("Kỳ 2025q4 không phải")


def test_head_is_answered_as_get_and_other_methods_are_a_json_405(client, office_user, programme):
    client.force_login(office_user)
    assert client.head("/api/v1/programmes/").status_code == 200
    for method in (client.put, client.delete, client.patch, client.options):
        response = method("/api/v1/programmes/")
        assert response.status_code == 405
        assert response["Allow"] == "GET, HEAD"
        assert "error" in response.json()


def test_progress_says_as_of_when_its_figures_were_current(client, office_user, programme):
    import datetime as dt

    from django.utils import timezone

    client.force_login(office_user)
    before = timezone.now().replace(second=0, microsecond=0)
    body = client.get(PROGRESS, {"unit": "P", "period": "2025"}).json()
    as_of = dt.datetime.fromisoformat(body["as_of"])
    assert as_of.utcoffset() == dt.timedelta(hours=7)  # local time, with its offset
    assert before <= as_of <= timezone.now()
    assert as_of.second == 0 and as_of.microsecond == 0
