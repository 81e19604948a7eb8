"""Helpers for the audit tests."""

from __future__ import annotations

import pytest
from django.conf import settings

from audit.models import AuditEntry


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def entries(model: str, pk: object | None = None, action: str | None = None):
    found = AuditEntry.objects.filter(model=model).order_by("pk")
    if pk is not None:
        found = found.filter(object_pk=str(pk))
    if action is not None:
        found = found.filter(action=action)
    return list(found)


def last(model: str, pk: object | None = None, action: str | None = None) -> AuditEntry:
    found = entries(model, pk, action)
    assert found, (model, pk, action)
    return found[-1]


def form_data(response, **overrides) -> dict[str, str]:
    """What the browser sends back for the form as shown, with some inputs changed."""
    data: dict[str, str] = {}
    for bound in response.context["form"]:
        value = bound.value()
        if bound.widget_type == "checkbox":
            if value:
                data[bound.html_name] = "on"
        elif value is not None:
            data[bound.html_name] = str(value)
    data.update(overrides)
    return data
