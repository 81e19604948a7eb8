"""The OpenAPI document describes exactly the endpoints there are, and real responses fit it."""

import re

import pytest
from django.urls import URLPattern, get_resolver

from api.openapi import BASE, openapi_document
from api.urls import HTML_PAGES
from tests.api.conftest import PROGRESS
from tests.api.schema import problems

pytestmark = pytest.mark.django_db


def api_paths() -> set[str]:
    resolver = get_resolver()
    api = next(p for p in resolver.url_patterns if getattr(p, "namespace", None) == "api")
    assert str(api.pattern) == BASE.lstrip("/") + "/"
    paths = set()
    for pattern in api.url_patterns:
        assert isinstance(pattern, URLPattern)
        if pattern.name in HTML_PAGES:
            continue
        route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))
        paths.add(f"{BASE}/{route}")
    return paths


def test_every_api_route_is_documented_and_every_documented_path_exists():
    assert set(openapi_document()["paths"]) == api_paths()


def test_every_documented_path_parameter_appears_in_its_path():
    for path, item in openapi_document()["paths"].items():
        names = set(re.findall(r"{(\w+)}", path))
        declared = {p["name"] for p in item["get"].get("parameters", []) if p["in"] == "path"}
        assert names == declared, path


def test_every_reference_resolves():
    document = openapi_document()
    refs = re.findall(r"#/components/schemas/(\w+)", str(document))
    assert refs and set(refs) <= set(document["components"]["schemas"])


def test_the_served_document_is_the_one_in_the_code(client):
    assert client.get("/api/v1/openapi.json").json() == openapi_document()


def check(client, url, params, schema, status=200):
    response = client.get(url, params)
    assert response.status_code == status, response.content
    document = openapi_document()
    documented = document["paths"][url]["get"]["responses"][str(status)]
    assert documented["content"]["application/json"]["schema"] == {
        "$ref": f"#/components/schemas/{schema}"
    }
    assert problems(response.json(), {"$ref": f"#/components/schemas/{schema}"}, document) == []


def test_a_real_progress_response_fits_the_documented_schema(client, office_user, reported):
    client.force_login(office_user)
    for period in ("2025", "2025Q3", "term"):
        check(client, PROGRESS, {"unit": "P", "period": period}, "Progress")
    check(client, PROGRESS, {"unit": "P", "period": "2025", "include": "provisional"}, "Progress")


def test_other_real_responses_fit_their_documented_schemas(client, district_reporter, reported):
    client.force_login(district_reporter)
    check(client, "/api/v1/units/", {}, "UnitList")
    check(client, "/api/v1/programmes/", {}, "ProgrammeList")
    check(client, PROGRESS, {"unit": "D2", "period": "1999"}, "Error", 400)
    check(client, PROGRESS, {"unit": "D1", "period": "2025"}, "Error", 404)
    provisional = {"unit": "D2", "period": "2025", "include": "provisional"}
    check(client, PROGRESS, provisional, "Error", 403)
    document = openapi_document()
    for url, schema in [
        ("/api/v1/units/C21/", "UnitDetail"),
        ("/api/v1/programmes/03-ctr-ldld-2023/", "ProgrammeDetail"),
    ]:
        body = client.get(url).json()
        assert problems(body, {"$ref": f"#/components/schemas/{schema}"}, document) == []
    client.logout()
    check(client, "/api/v1/programmes/", {}, "Error", 401)


def test_the_checker_finds_what_does_not_fit():
    document = openapi_document()
    schema = {"$ref": "#/components/schemas/Coverage"}
    assert problems({"reported": 1, "expected": 2}, schema, document) == []
    assert problems({"reported": "1", "expected": 2, "x": 0}, schema, document) == [
        "$.reported: '1' is not integer",
        "$: undocumented key x",
    ]
    assert problems({"reported": True}, schema, document) == [
        "$: missing expected",
        "$.reported: True is not integer",
    ]
