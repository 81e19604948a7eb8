"""Vietnamese is the default whatever the browser asks; the switch chooses English."""

from django.test import Client


def test_an_english_browser_still_gets_vietnamese(db):
    response = Client().get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "vi"


def test_the_switch_sets_english_and_back(db):
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert client.get("/accounts/login/").headers["Content-Language"] == "en"
    client.post("/i18n/setlang/", {"language": "vi", "next": "/accounts/login/"})
    assert client.get("/accounts/login/").headers["Content-Language"] == "vi"
