"""The pinned copy of the generated OpenAPI document, which tests/api/test_openapi.py compares
with the code. After a deliberate change to the API, refresh it and review the diff:

    .venv/bin/python -m tests.api.pin_openapi
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

PINNED = Path(__file__).resolve().parent / "openapi.json"


def pinned_text(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from api.openapi import openapi_document

    PINNED.write_text(pinned_text(openapi_document()), encoding="utf-8")
    print(f"wrote {PINNED}")


if __name__ == "__main__":
    main()
