"""No 500 for any input: NUL bytes, oversize fields and usernames, a database outage."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse


def visitor(language: str | None = None, **extra) -> Client:
    client = Client(raise_request_exception=False, **extra)
    if language:
        client.cookies["django_language"] = language
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/units/%00/",
        "/units/?q=%00",
        "/reports/?status=a%00b",
        "/api/v1/units/%00/",
        "/api/v1/units/?q=%00",
        "/accounts/login/?next=%00",
    ],
)
def test_a_nul_byte_in_the_path_or_query_is_a_400_in_vietnamese(path, office_user):
    client = visitor()
    client.force_login(office_user)
    response = client.get(path)
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert response["Content-Type"] == "application/json"
        assert "ký tự" in response.json()["error"]
    else:
        assert '<html lang="vi">' in response.text and "Yêu cầu không hợp lệ" in response.text


def test_a_nul_byte_in_a_form_or_cookie_is_a_400_in_english_for_an_english_reader(office_user):
    client = visitor("en")
    client.force_login(office_user)
    response = client.post(reverse("unions:new"), {"code": "A\x00", "name": "x"})
    assert response.status_code == 400 and "Bad request" in response.text
    client.cookies["sessionid"] = "abc\x00def"
    assert client.get(reverse("unions:tree")).status_code == 400


def test_an_oversize_field_is_a_400(office_user):
    client = visitor()
    client.force_login(office_user)
    assert client.get(reverse("unions:tree"), {"q": "x" * 30_000}).status_code == 400
    response = client.get("/api/v1/units/", {"q": "x" * 30_000})
    assert response.status_code == 400 and "error" in response.json()


@pytest.mark.parametrize("length", [151, 256, 5000])
@override_settings(AXES_ENABLED=True)
def test_an_oversize_username_gets_the_usual_wrong_username_or_password(length, db):
    client = visitor("en", REMOTE_ADDR="10.9.9.9")
    response = client.post(
        reverse("accounts:login"), {"username": "u" * length, "password": "wrong"}
    )
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.text


def test_the_api_answers_405_json_to_a_token_post_and_every_write_method(db):
    client = visitor(enforce_csrf_checks=True, HTTP_AUTHORIZATION="Bearer nonsense")
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)("/api/v1/units/")
        assert response.status_code == 405, method
        assert response["Content-Type"] == "application/json"
        assert "GET" in response.json()["error"]


@pytest.mark.django_db(transaction=True)
def test_a_database_outage_is_a_503_that_says_to_try_again(office_user):
    if connection.vendor != "postgresql":
        pytest.skip("an in-memory SQLite test database cannot be taken away")
    client = visitor()
    client.force_login(office_user)
    api = visitor()
    api.force_login(office_user)
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["PORT"] = "1"  # nothing listens there: the server is away
    try:
        page = client.get(reverse("unions:tree"))
        answer = api.get("/api/v1/units/")
    finally:
        connection.close()
        connection.settings_dict.update(saved)
    assert page.status_code == 503 and page["Retry-After"]
    assert "Hãy thử lại sau một phút" in page.text and '<html lang="vi">' in page.text
    assert answer.status_code == 503 and "error" in answer.json()
    assert client.get(reverse("unions:tree")).status_code == 200
