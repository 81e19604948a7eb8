"""Who may read what: the pages' rules, with a session or a token, and 401 rather than a login
redirect for anyone else."""

import pytest

from api.tokens import token_create, token_revoke
from tests.api.conftest import PROGRESS, bearer

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    (PROGRESS, {"unit": "D1", "period": "2024"}),
    ("/api/v1/units/", {}),
    ("/api/v1/units/D1/", {}),
    ("/api/v1/programmes/", {}),
    ("/api/v1/programmes/03-ctr-ldld-2023/", {}),
]


@pytest.mark.parametrize("persona", ["office_user", "admin_user", "committee_user"])
def test_province_wide_roles_read_every_endpoint_for_any_unit(client, request, programme, persona):
    client.force_login(request.getfixturevalue(persona))
    for url, params in ENDPOINTS:
        response = client.get(url, params)
        assert response.status_code == 200, (url, response.content)
        assert response["Content-Type"] == "application/json"


def test_district_reporter_reads_its_own_district(client, district_reporter, programme):
    client.force_login(district_reporter)
    assert client.get(PROGRESS, {"unit": "D2", "period": "2024"}).status_code == 200
    assert client.get(PROGRESS, {"unit": "C21", "period": "2024"}).status_code == 200
    assert client.get("/api/v1/units/D2/").status_code == 200


def test_district_reporter_gets_404_for_another_district(client, district_reporter, programme):
    client.force_login(district_reporter)
    for url, params in [
        (PROGRESS, {"unit": "D1", "period": "2024"}),
        (PROGRESS, {"unit": "C11", "period": "2024"}),
        (PROGRESS, {"unit": "P", "period": "2024"}),
        ("/api/v1/units/D1/", {}),
    ]:
        response = client.get(url, params)
        assert response.status_code == 404, url
        assert response.json() == {"error": "Not found."}


def test_district_reporter_lists_only_its_subtree(client, district_reporter, programme):
    client.force_login(district_reporter)
    codes = [u["code"] for u in client.get("/api/v1/units/").json()["units"]]
    assert codes == ["C21", "C22", "D2"]


def test_anonymous_gets_401_in_json_not_a_redirect(client, programme):
    for url, params in ENDPOINTS:
        response = client.get(url, params)
        assert response.status_code == 401
        assert "error" in response.json()
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_openapi_document_is_public(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["openapi"] == "3.1.0"


def test_a_token_reads_with_its_accounts_rights(client, reporter_token, programme):
    own = client.get(PROGRESS, {"unit": "D2", "period": "2024"}, **bearer(reporter_token))
    assert own.status_code == 200
    outside = client.get(PROGRESS, {"unit": "D1", "period": "2024"}, **bearer(reporter_token))
    assert outside.status_code == 404


def test_a_revoked_token_gets_401(client, district_reporter, programme):
    token, raw = token_create(district_reporter, "old script")
    token_revoke(token)
    response = client.get("/api/v1/programmes/", **bearer(raw))
    assert response.status_code == 401


def test_a_disabled_accounts_token_gets_401(client, district_reporter, reporter_token, programme):
    district_reporter.is_active = False
    district_reporter.save()
    assert client.get("/api/v1/programmes/", **bearer(reporter_token)).status_code == 401


def test_a_disabled_account_session_gets_401(client, district_reporter, programme):
    client.force_login(district_reporter)
    district_reporter.is_active = False
    district_reporter.save()
    assert client.get("/api/v1/programmes/").status_code == 401


@pytest.mark.parametrize("header", ["Bearer", "Bearer ", "Bearer wrong", "Token abc", "Basic eA=="])
def test_a_bad_authorization_header_gets_401_even_with_a_session(
    client, office_user, programme, header
):
    client.force_login(office_user)
    response = client.get("/api/v1/programmes/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_using_a_token_records_when_it_was_last_used(client, district_reporter, programme):
    token, raw = token_create(district_reporter, "script")
    assert token.last_used_at is None
    client.get("/api/v1/programmes/", **bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_api_only_answers_get(client, office_user, programme):
    client.force_login(office_user)
    response = client.post("/api/v1/programmes/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_responses_are_private_and_vary_by_caller(client, office_user, programme):
    client.force_login(office_user)
    response = client.get("/api/v1/programmes/")
    assert "private" in response["Cache-Control"]
    assert "Authorization" in response["Vary"] and "Cookie" in response["Vary"]
