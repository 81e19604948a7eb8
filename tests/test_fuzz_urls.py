"""Every URL the resolver knows, with hostile path values and parameters: never a 5xx.

The URLs come from the URL resolver itself, so a new page is walked without being listed here.
Parameter names are the ones the views and filters read (found in the source), plus a few.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.reports.test_excel import q3, report

__all__ = ["q3", "report"]  # fixtures

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "accounts", "api", "audit", "briefing", "config", "dashboards", "notifications", "printing",
    "reports", "targets", "unions",
)  # fmt: skip
# Names read by typed parameters (the API's, through django-ninja) rather than GET.get.
EXTRA_PARAMS = (
    "next", "language", "tree", "as_of", "format", "sort", "field", "indicator",
    "include", "on", "q", "limit", "offset", "period", "unit", "programme",
)  # fmt: skip
# Path values by converter: a plausible one first, then hostile ones.
PATH_VALUES = {
    "int": ["1", "0", "99999999999999999999", "1%00"],
    "str": ["D2", "x" * 300, "%27%22%3Cb%3E", "..%2F..", "%E2%80%8B", "ЛДЛД", "%25", "a%00b"],
    "slug": ["p03", "x" * 300],
    "path": ["D2", "..%2F..%2Fetc%2Fpasswd"],
}
QUERY_VALUES = [
    "'",
    "99999999999999999999",
    "9999-99-99",
    "x" * 3000,
    "1e309",
    "٣",
    "²",  # str.isdigit() is true, int() refuses it
    "2024Q9",
    "a\x00b",
]
POST_VALUES = ["99999999999999999999", "x" * 3000, "a\x00b", "①"]
_PART = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


def param_names() -> list[str]:
    found: set[str] = set(EXTRA_PARAMS)
    reads = re.compile(r"GET\.(?:get|getlist)\(\"(\w+)\"")
    filters = re.compile(r"^\s+(\w+) = (?:django_filters|filters)\.\w+Filter", re.M)
    for app in APPS:
        for source in (ROOT / app).rglob("*.py"):
            text = source.read_text()
            found |= set(reads.findall(text)) | set(filters.findall(text))
    return sorted(found)


def routes(patterns=None, prefix: str = "") -> Iterator[str]:
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        text = prefix + str(pattern.pattern).lstrip("^").rstrip("$").replace("\\Z", "")
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, text)
        elif isinstance(pattern, URLPattern):
            yield "/" + _GROUP.sub("1", text).replace("\\", "")


def paths(route: str) -> list[str]:
    """The route with plausible values, then with each hostile value of its converters."""
    parts = list(_PART.finditer(route))
    if not parts:
        return [route]
    values = {p.group(0): PATH_VALUES.get(p.group("converter") or "str", ["x"]) for p in parts}

    def filled(choice: dict[str, str]) -> str:
        return _PART.sub(lambda m: choice[m.group(0)], route)

    plain = {key: options[0] for key, options in values.items()}
    variants = [filled(plain)]
    for key, options in values.items():
        variants += [filled(plain | {key: option}) for option in options[1:]]
    return variants


@pytest.fixture
def every_route(db) -> list[str]:
    found = sorted(set(routes()))
    assert len(found) > 40 and "/units/<str:code>/" in found
    return found


def _walk(client: Client, login, route_list: list[str], names: list[str]) -> list[str]:
    failures = []
    for route in route_list:
        login(client)
        for path in paths(route):
            response = client.get(path)
            if response.status_code >= 500:
                failures.append(f"GET {path} → {response.status_code}")
        first = paths(route)[0]
        for value in QUERY_VALUES:
            response = client.get(first, dict.fromkeys(names, value))
            if response.status_code >= 500:
                failures.append(f"GET {first}?…={value[:20]} → {response.status_code}")
        for value in POST_VALUES:
            response = client.post(first, dict.fromkeys(names, value))
            if response.status_code >= 500:
                failures.append(f"POST {first} …={value[:20]} → {response.status_code}")
            login(client)  # a POST may have logged the client out
    return failures


@pytest.mark.parametrize("persona", ["office_user", "district_reporter", None])
def test_no_url_answers_5xx_to_hostile_paths_and_parameters(persona, request, every_route, report):
    user = request.getfixturevalue(persona) if persona else None
    client = Client(
        raise_request_exception=False, HTTP_AUTHORIZATION="Bearer x" if not user else ""
    )

    def login(client: Client) -> None:
        if user is not None:
            client.force_login(user)

    if user is None:
        client.defaults.pop("HTTP_AUTHORIZATION", None)
    failures = _walk(client, login, every_route, param_names())
    assert not failures, "\n".join(failures)
