"""Checks an answer against a schema of the API's generated OpenAPI document (JSON Schema 2020-12,
the dialect of OpenAPI 3.1, with formats asserted).

Returns a list of problems (empty when the instance fits), each with the JSON path.
"""

from __future__ import annotations

from typing import Any

import jsonschema_rs


def problems(instance: Any, schema: dict[str, Any], document: dict[str, Any], at: str = "$"):
    root = {**schema, "components": document["components"]}
    validator = jsonschema_rs.Draft202012Validator(root, validate_formats=True)
    return sorted(
        f"{at}{_path(e.instance_path)}: {e.message}" for e in validator.iter_errors(instance)
    )


def _path(parts) -> str:
    return "".join(f".{part}" if isinstance(part, str) else f"[{part}]" for part in parts)
