"""The OpenAPI document is generated from the code: it describes exactly the endpoints there
are, real answers fit it, and it is pinned in `tests/api/openapi.json`.

After a deliberate change to the API, refresh the pinned copy and review the diff:

    .venv/bin/python -m tests.api.pin_openapi
"""

import re

import pytest
from django.urls import URLPattern, get_resolver

from api.openapi import BASE, openapi_document
from api.urls import HTML_PAGES
from tests.api.conftest import PROGRESS
from tests.api.pin_openapi import PINNED, pinned_text
from tests.api.schema import problems

pytestmark = pytest.mark.django_db


def api_paths() -> set[str]:
    resolver = get_resolver()
    api = next(p for p in resolver.url_patterns if getattr(p, "namespace", None) == "api")
    assert str(api.pattern) == BASE.lstrip("/") + "/"
    paths = set()
    for pattern in api.url_patterns:
        if not isinstance(pattern, URLPattern) or pattern.name in HTML_PAGES:
            continue  # the JSON 404 for any other URL is a resolver with no route of its own
        route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))
        paths.add(f"{BASE}/{route}")
    return paths


def test_the_generated_document_is_the_pinned_one():
    """A change to the API shows here as a diff to review; refresh as the module says."""
    assert pinned_text(openapi_document()) == PINNED.read_text(encoding="utf-8")


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


def test_the_served_document_is_the_generated_one(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json() == openapi_document()
    assert response.json()["openapi"] == "3.1.0"


def test_parameters_state_exactly_what_is_accepted():
    """ASCII digits only; no parameter documented as nullable (it is sent or left out)."""
    document = openapi_document()
    progress = document["paths"][f"{BASE}/progress/"]["get"]["parameters"]
    period = next(p for p in progress if p["name"] == "period")["schema"]["pattern"]
    assert "[0-9]" in period and "\\d" not in period
    for item in document["paths"].values():
        for parameter in item["get"].get("parameters", []):
            assert "anyOf" not in parameter["schema"], parameter["name"]
            assert parameter["schema"].get("type") != "null", parameter["name"]


def test_only_unit_and_period_are_required():
    required = {
        (path, p["name"])
        for path, item in openapi_document()["paths"].items()
        for p in item["get"].get("parameters", [])
        if p["in"] == "query" and p["required"]
    }
    assert required == {(f"{BASE}/progress/", "unit"), (f"{BASE}/progress/", "period")}


def test_figures_are_documented_with_the_decimals_the_api_gives():
    schemas = openapi_document()["components"]["schemas"]
    for name, key in [("IndicatorResult", "value"), ("Target", "value")]:
        description = schemas[name]["properties"][key]["description"]
        assert "a percentage to 1 decimal, a ratio per CĐCS to 2" in description
        assert "4 decimals" not in description
    as_of = schemas["Progress"]["properties"]["as_of"]
    assert as_of["format"] == "date-time" and "as_of" in schemas["Progress"]["required"]


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
    found = problems({"reported": "1", "expected": 2, "x": 0}, schema, document)
    assert len(found) == 2
    assert found[0].startswith("$.reported: ") and "integer" in found[0]
    assert found[1].startswith("$: ") and "'x'" in found[1]
    found = problems({"reported": True}, schema, document)
    assert len(found) == 2 and "$.reported: true" in found[0] and "expected" in found[1]
    period = {"$ref": "#/components/schemas/Period"}
    bad = {"code": "2025", "kind": "year", "quarters": ["2025Q5"]}
    assert problems(bad, period, document) == [
        '$.quarters[0]: "2025Q5" does not match "^[0-9]{4}Q[1-4]$"'
    ]
