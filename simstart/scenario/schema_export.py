"""The JSON Schema (draft 2020-12) of scenario files, generated from ``schema.SCHEMA``."""

from __future__ import annotations

from typing import Any

from .schema import SCHEMA
from .schemalang import F


def json_schema() -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) equivalent to ``SCHEMA``, for editors."""
    def conv(f: F) -> dict[str, Any]:
        types = f.type.split("|")
        out: dict[str, Any] = {"type": types[0] if len(types) == 1 else types}
        if f.doc:
            out["description"] = f.doc
        if f.enum is not None:
            out["enum"] = list(f.enum)
        if f.pattern is not None:
            out["pattern"] = f.pattern
        if f.minimum is not None:
            out["minimum"] = f.minimum
        if f.maximum is not None:
            out["maximum"] = f.maximum
        if f.min_items is not None:
            out["minItems"] = f.min_items
        if f.items is not None:
            out["items"] = (obj(f.items) if isinstance(f.items, dict)
                            else conv(f.items) if isinstance(f.items, F) else {"type": f.items})
        if f.fields is not None:
            out.update(obj(f.fields))
        elif f.values is not None:
            out["additionalProperties"] = (
                obj(f.values) if isinstance(f.values, dict)
                else conv(f.values) if isinstance(f.values, F) else {"type": f.values})
        return out

    def obj(fields: dict[str, F]) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": False,
                "properties": {k: conv(v) for k, v in fields.items()},
                "required": [k for k, v in fields.items() if v.required]}

    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://simstart.invalid/scenario.schema.json",
        "title": "simstart scenario",
        "description": "A simstart scenario: the world before, the start requests, faults and "
                       "expectations. Generated from simstart.scenario.schema.SCHEMA.",
    }
    schema.update(obj(SCHEMA))
    return schema


