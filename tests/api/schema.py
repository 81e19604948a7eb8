"""A small checker for the part of JSON Schema the API's OpenAPI document uses.

Returns a list of problems (empty when the instance fits), each with the JSON path.
"""

from __future__ import annotations

import re
from typing import Any

TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
}


def problems(instance: Any, schema: dict[str, Any], document: dict[str, Any], at: str = "$"):
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        return problems(instance, document["components"]["schemas"][name], document, at)
    found = []
    if "type" in schema and not _type_ok(instance, schema["type"]):
        return [f"{at}: {instance!r} is not {schema['type']}"]
    if "enum" in schema and instance not in schema["enum"]:
        found.append(f"{at}: {instance!r} not in {schema['enum']}")
    pattern = schema.get("pattern")
    if pattern and isinstance(instance, str) and not re.search(pattern, instance):
        found.append(f"{at}: {instance!r} does not match {pattern}")
    if isinstance(instance, dict):
        found += _object_problems(instance, schema, document, at)
    if isinstance(instance, list) and "items" in schema:
        for i, item in enumerate(instance):
            found += problems(item, schema["items"], document, f"{at}[{i}]")
    return found


def _type_ok(instance: Any, kinds: str | list[str]) -> bool:
    kinds = [kinds] if isinstance(kinds, str) else kinds
    for kind in kinds:
        if isinstance(instance, bool) and kind in ("integer", "number"):
            continue
        if isinstance(instance, TYPES[kind]):
            return True
    return False


def _object_problems(instance, schema, document, at):
    found = [f"{at}: missing {key}" for key in schema.get("required", []) if key not in instance]
    properties = schema.get("properties", {})
    for key, value in instance.items():
        if key in properties:
            found += problems(value, properties[key], document, f"{at}.{key}")
        elif schema.get("additionalProperties") is False:
            found.append(f"{at}: undocumented key {key}")
    return found
