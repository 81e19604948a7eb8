"""schemathesis runs every one of its checks against the generated OpenAPI document, through the
Django WSGI application, as a token holder of the whole province, on a small tree with reports.

A fixed seed and a bounded number of examples keep it repeatable and under a minute or two.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from api.openapi import openapi_document

SEED = 19
EXAMPLES = 20
# Real values in the explicit-examples phase, so that answers with figures are checked too.
EXAMPLES_OF = {"unit": "P", "period": "2025", "code": "03-ctr-ldld-2023"}

CONFIG = {
    "seed": SEED,
    "generation": {"max-examples": EXAMPLES, "mode": "all"},
    "checks": {"enabled": True},
    "operations": [
        {
            # A well-formed progress request may still be refused for what only the data can
            # tell: a year outside the programme's term, or a programme code that does not
            # exist (a 400, documented so). Every other operation accepts every valid request.
            "include-operation-id": "progress",
            "checks": {
                "positive_data_acceptance": {
                    "expected-statuses": ["2xx", "400", "401", "403", "404"]
                }
            },
        }
    ],
}


def _with_examples(document: dict[str, Any]) -> dict[str, Any]:
    for item in document["paths"].values():
        for parameter in item["get"].get("parameters", []):
            if parameter["name"] in EXAMPLES_OF:
                parameter["example"] = EXAMPLES_OF[parameter["name"]]
    return document


def _schema():
    document = _with_examples(openapi_document())
    document["servers"] = [{"url": "http://testserver"}]
    loaded = schemathesis.openapi.from_dict(document, config=SchemathesisConfig.from_dict(CONFIG))
    loaded.app = get_wsgi_application()  # config/wsgi.py's, without its deployment checks
    return loaded


schema = _schema()


@pytest.fixture
def connection_kept():
    """The WSGI handler closes the database connection after each request, as a server should;
    inside a test that rolls back it must stay open (Django's test client does the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_the_api_passes_every_schemathesis_check(case, reported, office_token, connection_kept):
    # identity: the WSGI transport does not undo the portal's gzip
    headers = {"Authorization": f"Bearer {office_token}", "Accept-Encoding": "identity"}
    case.call_and_validate(headers=headers)
