"""Spec types -> one JSON Schema document (`$defs` keyed by Python class name)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import naming
from ..spec.model import EnumType, ObjectType, Spec, TypeRef
from .text import WIDTH, description_lines
from .text import deprecated as mark_deprecated

_PRIMITIVE_SCHEMAS: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "boolean": {"type": "boolean"},
    "int32": {"type": "integer"},
    "uint32": {"type": "integer"},
    "int64": {"type": "integer"},
    "uint64": {"type": "integer"},
    "float": {"type": "number"},
    "double": {"type": "number"},
    # Raw bytes in Python, base64 on the wire: the core's annotated type (see _core/_models.py).
    "bytes": {"type": "string", "customTypePath": "gemini_client._core._models.Bytes"},
    # A string in Python and on the wire; a request may give a datetime / timedelta (_core/_times.py).
    "timestamp": {"type": "string", "customTypePath": "gemini_client._core._models.WireTimestamp"},
    "duration": {"type": "string", "customTypePath": "gemini_client._core._models.WireDuration"},
    "fieldmask": {"type": "string"},
    "object": {"type": "object"},
    "any": {},
}


def _described(text: str, deprecated: bool = False) -> str:
    """A description as the docstring of a class, field or enum member shows it (indented by four,
    after the quotes): full, safe, wrapped; `Deprecated.` first when the spec deprecates it."""
    return "\n".join(description_lines(mark_deprecated(text) if deprecated else text, WIDTH - 7))


def type_schema(ref: TypeRef) -> dict[str, Any]:
    if ref.kind == "primitive":
        return dict(_PRIMITIVE_SCHEMAS[ref.name])
    if ref.kind == "named":
        return {"$ref": f"#/$defs/{naming.type_name(ref.name)}"}
    assert ref.item is not None
    if ref.kind == "list":
        return {"type": "array", "items": type_schema(ref.item)}
    return {"type": "object", "additionalProperties": type_schema(ref.item)}


def spec_json_schema(
    spec: Spec,
    base_paths: Mapping[str, str] | None = None,
    inputs: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, Any]:
    """Every type of the spec, sorted by name so that input order never changes the output.

    `base_paths` maps a Python class name to the import path of its base class (`customBasePath`);
    `inputs` a class name and a field's wire name to what its constructor accepts (`x-input`)."""
    defs: dict[str, Any] = {}
    for name in sorted(spec.types):
        t = spec.types[name]
        if isinstance(t, EnumType):
            defs[naming.type_name(name)] = {
                "type": "string",
                "enum": [v.name for v in t.values],
                "x-enum-varnames": [naming.enum_member(v.name) for v in t.values],
                "x-enum-descriptions": [_described(v.description, v.deprecated) for v in t.values],
                "description": _described(t.description, t.deprecated),
            }
        elif isinstance(t, ObjectType):
            props = {}
            cls = naming.type_name(name)
            accepts = (inputs or {}).get(cls, {})
            for f in t.fields:
                schema = type_schema(f.type)
                schema["description"] = _described(f.description)
                if f.deprecated:
                    schema["deprecated"] = True
                if f.name in accepts:
                    schema["x-input"] = accepts[f.name]
                props[f.name] = schema
            defs[cls] = {
                "type": "object",
                "description": _described(t.description, t.deprecated),
                "properties": props,
            }
            if base_paths and cls in base_paths:
                defs[cls]["customBasePath"] = base_paths[cls]
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": defs}


def field_aliases(spec: Spec) -> dict[str, str]:
    """Wire field name -> Python attribute name, for every field whose names differ."""
    return {
        f.name: naming.field_name(f.name)
        for t in spec.objects()
        for f in t.fields
        if naming.field_name(f.name) != f.name
    }
