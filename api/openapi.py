"""The OpenAPI 3.1 description of the read API, written by hand and checked by the tests
against the URL configuration and against real responses."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from rollup.arithmetic import Status
from targets.models import Comparison, Display, IndicatorKind
from unions.models import Sector, UnitKind

BASE = "/api/v1"
# The unit list comes in pages: 124,000 units nationally, which no caller wants in one answer.
UNIT_PAGE_DEFAULT, UNIT_PAGE_MAX = 100, 1000


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(properties: dict[str, Any], *, optional: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "type": "object",
        "required": [k for k in properties if k not in optional],
        "properties": properties,
        "additionalProperties": False,
    }


def _nullable(kind: str, **extra: Any) -> dict[str, Any]:
    return {"type": [kind, "null"], **extra}


STRING = {"type": "string"}
DATE = {"type": "string", "format": "date"}
NULLABLE_DATE = _nullable("string", format="date")
QUARTER = {"type": "string", "pattern": r"^\d{4}Q[1-4]$"}


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": _ref("Error")}},
    }


def _ok(schema: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


UNAUTHORISED = _error("Not logged in, or the token is unknown, revoked or its account disabled.")


def _query(name: str, description: str, schema: dict[str, Any], *, required: bool = False) -> Any:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema,
    }


def _path_code(description: str) -> dict[str, Any]:
    return {
        "name": "code",
        "in": "path",
        "required": True,
        "description": description,
        "schema": STRING,
    }


SCHEMAS: dict[str, Any] = {
    "Error": _obj({"error": STRING}),
    "ProgrammeBrief": _obj({"code": STRING, "number": STRING, "title": STRING}),
    "Programme": _obj(
        {
            "code": STRING,
            "number": STRING,
            "title": STRING,
            "issued_on": DATE,
            "term_start": DATE,
            "term_end": DATE,
        }
    ),
    "ProgrammeList": _obj({"programmes": {"type": "array", "items": _ref("Programme")}}),
    "Target": _obj(
        {
            "year": _nullable("integer", description="null: a target for the whole term"),
            "unit": _nullable("string", description="null: the target for every unit"),
            "value": {"type": "number", "description": "In the indicator's display unit."},
            "baseline_value": _nullable("number"),
            "baseline_date": NULLABLE_DATE,
        }
    ),
    "IndicatorDefinition": _obj(
        {
            "code": STRING,
            "name": STRING,
            "kind": {"enum": list(IndicatorKind.values)},
            "display": {"enum": list(Display.values)},
            "comparison": {"enum": list(Comparison.values)},
            "numerator": {"type": "string", "description": "Code of the numerator's data field."},
            "denominator": _nullable("string", description="null for a count"),
            "targets": {"type": "array", "items": _ref("Target")},
        }
    ),
    "TaskGroup": _obj({"code": STRING, "title": STRING}),
    "ProgrammeDetail": _obj(
        {
            "code": STRING,
            "number": STRING,
            "title": STRING,
            "issued_on": DATE,
            "term_start": DATE,
            "term_end": DATE,
            "indicators": {"type": "array", "items": _ref("IndicatorDefinition")},
            "task_groups": {"type": "array", "items": _ref("TaskGroup")},
        }
    ),
    "UnitBrief": _obj({"code": STRING, "name": STRING, "kind": {"enum": list(UnitKind.values)}}),
    "Unit": _obj(
        {
            "code": STRING,
            "name": STRING,
            "kind": {"enum": list(UnitKind.values)},
            "sector": {"enum": [*Sector.values, None], "description": "CĐCS only"},
            "budget_paid": {"type": "boolean"},
            "valid_from": DATE,
            "valid_to": {**NULLABLE_DATE, "description": "Exclusive; null while it exists."},
            "parent": _nullable("string", description="Parent's code on the date asked about."),
        }
    ),
    "UnitList": _obj(
        {
            "on": DATE,
            "count": {"type": "integer", "description": "Units matching, on every page."},
            "limit": {"type": "integer"},
            "offset": {"type": "integer"},
            "next": _nullable(
                "string", format="uri", description="The next page; null on the last."
            ),
            "units": {"type": "array", "items": _ref("Unit"), "description": "This page's."},
        }
    ),
    "ParentLink": _obj(
        {"parent": STRING, "parent_name": STRING, "valid_from": DATE, "valid_to": NULLABLE_DATE}
    ),
    "UnitDetail": _obj(
        {
            "code": STRING,
            "name": STRING,
            "kind": {"enum": list(UnitKind.values)},
            "sector": {"enum": [*Sector.values, None]},
            "budget_paid": {"type": "boolean"},
            "valid_from": DATE,
            "valid_to": NULLABLE_DATE,
            "parent": _nullable("string", description="Parent's code today."),
            "successor": _nullable("string", description="Code of the unit taking over."),
            "parents": {"type": "array", "items": _ref("ParentLink")},
        }
    ),
    "Coverage": _obj(
        {
            "reported": {"type": "integer", "description": "Reports giving a number."},
            "expected": {"type": "integer", "description": "Reports expected."},
        }
    ),
    "IndicatorResult": _obj(
        {
            "code": STRING,
            "name": STRING,
            "kind": {"enum": list(IndicatorKind.values)},
            "display": {"enum": list(Display.values)},
            "comparison": {"enum": list(Comparison.values)},
            "numerator": _nullable("integer"),
            "denominator": _nullable("integer", description="null for a count"),
            "value": _nullable(
                "number",
                description="Display unit: percent 0–100, ratio per CĐCS, or a count; "
                "rounded as the pages show it: a percentage to 1 decimal, a ratio per CĐCS "
                "to 2, a count whole (half up).",
            ),
            "target": _nullable("number", description="Same unit as value."),
            "expected_now": _nullable(
                "number", description="Where the value should stand now on the path to target."
            ),
            "status": {
                "enum": [s.value for s in Status],
                "description": "nothing_to_measure: the reports gave a denominator of 0 (0 of "
                "0), so there is no share to judge; no_data: no report gave a number.",
            },
            "coverage": _ref("Coverage"),
            "quarter": {
                **QUARTER,
                "type": ["string", "null"],
                "description": "Quarter whose figures are shown; null for flows or no data.",
            },
            "provisional": {"type": "boolean", "description": "Uses submitted, unapproved data."},
        }
    ),
    "Progress": _obj(
        {
            "programme": _ref("ProgrammeBrief"),
            "unit": _ref("UnitBrief"),
            "period": _obj(
                {
                    "code": STRING,
                    "kind": {"enum": ["quarter", "year", "term"]},
                    "quarters": {
                        "type": "array",
                        "items": QUARTER,
                        "description": "Quarters already cut off whose reports count.",
                    },
                }
            ),
            "tree": {"enum": ["as_was", "as_now"]},
            "provisional": {"type": "boolean"},
            "reports": _obj({"received": {"type": "integer"}, "expected": {"type": "integer"}}),
            "indicators": {"type": "array", "items": _ref("IndicatorResult")},
        }
    ),
}

PROGRAMME_PARAM = _query(
    "programme",
    "Programme code; default the programme whose term contains today, else the latest.",
    STRING,
)

PATHS: dict[str, Any] = {
    f"{BASE}/progress/": {
        "get": {
            "operationId": "progress",
            "summary": "Every indicator of a programme for a unit's subtree and a period",
            "parameters": [
                _query("unit", "Unit code.", STRING, required=True),
                _query(
                    "period",
                    "A quarter (year to date) such as 2024Q3, a year such as 2024, or 'term'.",
                    {"type": "string", "pattern": r"^(\d{4}(Q[1-4])?|term)$"},
                    required=True,
                ),
                PROGRAMME_PARAM,
                _query(
                    "tree",
                    "as_was (default): the tree as it stood in each quarter; as_now: along "
                    "today's tree.",
                    {"enum": ["as_was", "as_now"], "default": "as_was"},
                ),
                _query(
                    "include",
                    "'provisional' adds submitted, not yet approved reports (office staff and "
                    "administrators only; 403 for others).",
                    {"enum": ["provisional"]},
                ),
            ],
            "responses": {
                "200": _ok("Progress", "The indicators."),
                "400": _error("A bad period, tree, include or programme."),
                "401": UNAUTHORISED,
                "403": _error("include=provisional asked for by someone who is not staff."),
                "404": _error("Unknown unit, or outside the caller's subtree."),
            },
        }
    },
    f"{BASE}/units/": {
        "get": {
            "operationId": "unitList",
            "summary": "Units the caller may see that existed on a date",
            "parameters": [
                _query("on", "Date (default today).", DATE),
                _query(
                    "q",
                    "Part of a code or name, in any case, with or without accents.",
                    STRING,
                ),
                _query("kind", "Only units of this kind.", {"enum": list(UnitKind.values)}),
                _query(
                    "limit",
                    f"Units a page (default {UNIT_PAGE_DEFAULT}).",
                    {"type": "integer", "minimum": 1, "maximum": UNIT_PAGE_MAX},
                ),
                _query(
                    "offset",
                    "Units to skip, in order of code (default 0); `next` gives the next page.",
                    {"type": "integer", "minimum": 0},
                ),
            ],
            "responses": {
                "200": _ok("UnitList", "A page of the units, by code."),
                "400": _error("A bad date, kind, limit or offset."),
                "401": UNAUTHORISED,
            },
        }
    },
    f"{BASE}/units/{{code}}/": {
        "get": {
            "operationId": "unitDetail",
            "summary": "One unit with its history of parents",
            "parameters": [_path_code("Unit code.")],
            "responses": {
                "200": _ok("UnitDetail", "The unit."),
                "401": UNAUTHORISED,
                "404": _error("Unknown unit, or outside the caller's subtree."),
            },
        }
    },
    f"{BASE}/programmes/": {
        "get": {
            "operationId": "programmeList",
            "summary": "Every programme",
            "responses": {"200": _ok("ProgrammeList", "The programmes."), "401": UNAUTHORISED},
        }
    },
    f"{BASE}/programmes/{{code}}/": {
        "get": {
            "operationId": "programmeDetail",
            "summary": "A programme with its indicators, their data fields and targets",
            "parameters": [_path_code("Programme code, such as 03-ctr-ldld-2023.")],
            "responses": {
                "200": _ok("ProgrammeDetail", "The programme."),
                "401": UNAUTHORISED,
                "404": _error("Unknown programme."),
            },
        }
    },
    f"{BASE}/openapi.json": {
        "get": {
            "operationId": "openapi",
            "summary": "This document",
            "security": [],
            "responses": {
                "200": {
                    "description": "The OpenAPI document.",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                }
            },
        }
    },
}


def openapi_document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Lai Châu Labour Federation targets portal: read API",
            "version": "1.0.0",
            "description": (
                "Read-only access to programmes, units and progress against every target, with "
                "the same access rules as the portal's pages: reporters see their own subtree "
                "(404 outside it), office staff, administrators and the Standing Committee see "
                "the whole province. Authenticate with the portal's session cookie or with "
                "'Authorization: Bearer <token>' (tokens are created on the portal's API tokens "
                'page or with `manage.py create_api_token`). Errors are {"error": message}.'
            ),
        },
        "paths": PATHS,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer"},
                "cookieAuth": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": settings.SESSION_COOKIE_NAME,
                },
            },
        },
        "security": [{"bearerAuth": []}, {"cookieAuth": []}],
    }
