"""The spec as an OpenAPI 3.1 document: every method, parameter, type and enum, for any OpenAPI tool.

What OpenAPI cannot say directly travels in `x-gemini-*` extensions, so nothing of the spec is lost:
streaming (`x-gemini-streaming`, the answer is `text/event-stream` of the response type),
pagination (`x-gemini-pagination`), long-running methods (`x-gemini-long-running`: the type of
`Operation.response` and `Operation.metadata` once done), uploads and downloads, the spec's own path
template (`x-gemini-path`, Google's `{+name}` reserved expansion) and a type's output-only fields
(`readOnly`).

A `{+param}` whose value spans several path segments becomes a flat OpenAPI path, as Google's own
Discovery `flatPath` does: a parameter with a `prefix` keeps its name after that literal
(`/v1beta/models/{model}:generateContent`); a name that two methods of the same verb share
(`GET v1beta/{+name}` on every `operations.get`) is spelled out along the resource's nesting, the
method's own parameter keeping the last segment (`/v1beta/tunedModels/{tunedModelsId}/permissions/{name}`;
a list's names its collection).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from ..discovery.text import first_sentence
from ..spec.model import EnumType, Method, ObjectType, Parameter, Spec, TypeRef

OPENAPI_VERSION = "3.1.0"
_PLACEHOLDER = re.compile(r"\{(\+?)([^}]+)\}")

# Spec primitive -> JSON Schema (the wire form: 64-bit integers, bytes, times travel as strings).
_PRIMITIVES: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "boolean": {"type": "boolean"},
    "int32": {"type": "integer", "format": "int32"},
    "uint32": {"type": "integer", "format": "uint32", "minimum": 0},
    "int64": {"type": "string", "format": "int64"},
    "uint64": {"type": "string", "format": "uint64"},
    "float": {"type": "number", "format": "float"},
    "double": {"type": "number", "format": "double"},
    "bytes": {"type": "string", "format": "byte", "contentEncoding": "base64"},
    "timestamp": {"type": "string", "format": "date-time"},
    "duration": {"type": "string", "format": "google-duration"},
    "fieldmask": {"type": "string", "format": "google-fieldmask"},
    "object": {"type": "object", "additionalProperties": True},
    "any": {},
}


class ExportError(Exception):
    """The spec holds something this export cannot express (one line)."""


def schema_of(ref: TypeRef) -> dict[str, Any]:
    """The JSON Schema of a spec type expression."""
    if ref.kind == "primitive":
        return dict(_PRIMITIVES[ref.name])
    if ref.kind == "named":
        return {"$ref": f"#/components/schemas/{ref.name}"}
    assert ref.item is not None
    if ref.kind == "list":
        return {"type": "array", "items": schema_of(ref.item)}
    return {"type": "object", "additionalProperties": schema_of(ref.item)}


def _described(node: dict[str, Any], description: str, deprecated: bool) -> dict[str, Any]:
    if description:
        node["description"] = description
    if deprecated:
        node["deprecated"] = True
    return node


def _object_schema(t: ObjectType) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for f in t.fields:
        prop = schema_of(f.type)
        if "$ref" in prop and (f.description or f.deprecated or f.output_only):
            prop = {"allOf": [prop]}  # siblings of $ref are allowed in 3.1, but tools vary
        if f.output_only:
            prop["readOnly"] = True
        props[f.name] = _described(prop, f.description, f.deprecated)
    node: dict[str, Any] = {"type": "object", "properties": props}
    required = [f.name for f in t.fields if f.required]
    if required:
        node["required"] = required
    return _described(node, t.description, t.deprecated)


def _enum_schema(t: EnumType) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "string", "enum": [v.name for v in t.values]}
    node["x-gemini-enum-descriptions"] = {v.name: v.description for v in t.values if v.description}
    deprecated = [v.name for v in t.values if v.deprecated]
    if deprecated:
        node["x-gemini-deprecated-values"] = deprecated
    if not node["x-gemini-enum-descriptions"]:
        del node["x-gemini-enum-descriptions"]
    return _described(node, t.description, t.deprecated)


def _segments(resource_path: str) -> list[str]:
    return [f"{part}/{{{part}Id}}" for part in resource_path.split(".")]


def _flat_path(m: Method, resource_path: str, spell_out: bool) -> tuple[str, list[str]]:
    """The OpenAPI path of a method, and the path parameters it adds beyond the spec's own."""
    extra: list[str] = []

    def sub(match: re.Match[str]) -> str:
        plus, name = match.group(1), match.group(2)
        p = m.parameter(name)
        if plus and p is not None and p.prefix:
            return f"{p.prefix.rstrip('/')}/{{{name}}}"
        if plus and spell_out:
            outer = _segments(resource_path)[:-1]
            extra.extend(s.split("{")[1].rstrip("}") for s in outer)
            if m.pagination is not None:  # a list names its collection: `batches`
                return "/".join([*outer, f"{{{name}}}"])
            collection = resource_path.split(".")[-1]
            return "/".join([*outer, f"{collection}/{{{name}}}"])
        return f"{{{name}}}"

    return "/" + _PLACEHOLDER.sub(sub, m.path), extra


def _parameter(p: Parameter) -> dict[str, Any]:
    schema = schema_of(p.type)
    if p.repeated:
        schema = {"type": "array", "items": schema}
    node: dict[str, Any] = {
        "name": p.name,
        "in": p.location,
        "required": p.location == "path" or p.required,
        "schema": schema,
    }
    if p.repeated:
        node["explode"] = True
    if p.prefix:
        node["x-gemini-prefix"] = p.prefix
    return _described(node, p.description, p.deprecated)


def _content(type_name: str | None, spec: Spec, media: str = "application/json") -> dict[str, Any]:
    if type_name is None or type_name not in spec.types:
        schema: dict[str, Any] = {"type": "object"}  # Empty: an empty JSON object
    else:
        schema = {"$ref": f"#/components/schemas/{type_name}"}
    return {media: {"schema": schema}}


def _operation(m: Method, resource_path: str, spec: Spec, extra: list[str]) -> dict[str, Any]:
    op: dict[str, Any] = {
        "operationId": f"{resource_path}.{m.name}",
        "tags": [resource_path],
        "x-gemini-path": f"{m.http_method} {m.path}",
    }
    if m.description:
        op["summary"] = first_sentence(" ".join(m.description[:4000].split()))[:200]
        op["description"] = m.description
    params = [_parameter(p) for p in m.parameters]
    params += [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in extra
    ]
    if params:
        op["parameters"] = params
    if m.request is not None:
        op["requestBody"] = {"required": True, "content": _content(m.request, spec)}
    if m.download:
        ok: dict[str, Any] = {
            "description": "The media bytes (`alt=media`).",
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    elif m.streaming:
        ok = {
            "description": "Server-sent events, each `data:` line one response.",
            "content": _content(m.response, spec, "text/event-stream"),
        }
    else:
        ok = {"description": "Successful response.", "content": _content(m.response, spec)}
    op["responses"] = {"200": ok, "default": {"$ref": "#/components/responses/Error"}}
    if m.streaming:
        op["x-gemini-streaming"] = True
    if m.pagination is not None:
        op["x-gemini-pagination"] = {
            "items": m.pagination.items,
            "pageToken": m.pagination.page_token,
            "nextPageToken": m.pagination.next_page_token,
        }
    if m.long_running is not None:
        lro: dict[str, Any] = {"response": m.long_running.response}
        if m.long_running.metadata:
            lro["metadata"] = m.long_running.metadata
        op["x-gemini-long-running"] = lro
    if m.upload:
        op["x-gemini-upload"] = True
    if m.download:
        op["x-gemini-download"] = True
    if m.deprecated:
        op["deprecated"] = True
    return op


def _add_stream_variant(op: dict[str, Any], v: Method, resource_path: str, spec: Spec) -> None:
    ok = op["responses"]["200"]
    ok["content"].update(_content(v.response, spec, "text/event-stream"))
    have = {(p["name"], p["in"]) for p in op.get("parameters", [])}
    for p in v.parameters:  # the stream's own parameters (`last_event_id`), optional here
        if (p.name, p.location) not in have:
            node = _parameter(p)
            node["required"] = p.location == "path"
            node["x-gemini-stream-only"] = True
            op.setdefault("parameters", []).append(node)
    op["x-gemini-stream-variant"] = {
        "operationId": f"{resource_path}.{v.name}",
        "flag": v.stream_flag,
        "x-gemini-path": f"{v.http_method} {v.path}",
    }


def export_openapi(spec: Spec) -> dict[str, Any]:
    """The OpenAPI 3.1 document of `spec` (deterministic: the same spec gives the same document)."""
    all_methods = [(rp, m) for rp, r in spec.all_resources() for m in r.methods]
    # A stream asked for with a flag (`stream: true`) shares its twin's path and verb: it is that
    # operation's `text/event-stream` answer, named in `x-gemini-stream-variant`.
    twins = {(rp, m.http_method, m.path) for rp, m in all_methods if not m.stream_flag}
    variants = [
        (rp, m) for rp, m in all_methods if m.stream_flag and (rp, m.http_method, m.path) in twins
    ]
    methods = [(rp, m) for rp, m in all_methods if (rp, m) not in variants]
    plain: dict[tuple[str, str], int] = defaultdict(int)
    for rp, m in methods:
        plain[(m.http_method, _flat_path(m, rp, spell_out=False)[0])] += 1
    paths: dict[str, dict[str, Any]] = {}
    for rp, m in methods:
        path, extra = _flat_path(m, rp, spell_out=False)
        if plain[(m.http_method, path)] > 1:
            path, extra = _flat_path(m, rp, spell_out=True)
        verb = m.http_method.lower()
        if verb in paths.get(path, {}):
            other = paths[path][verb]["operationId"]
            raise ExportError(
                f"{m.loc.file_line}: {rp}.{m.name}: {m.http_method} {path} is also {other}: "
                "OpenAPI allows one operation per path and verb"
            )
        paths.setdefault(path, {})[verb] = _operation(m, rp, spec, extra)
        for vrp, v in variants:
            if (vrp, v.http_method, v.path) == (rp, m.http_method, m.path):
                _add_stream_variant(paths[path][verb], v, vrp, spec)
    schemas: dict[str, Any] = {}
    for name in sorted(spec.types):
        t = spec.types[name]
        schemas[name] = _object_schema(t) if isinstance(t, ObjectType) else _enum_schema(t)
    schemas["Status"] = schemas.get("Status") or {
        "type": "object",
        "description": "A google.rpc.Status.",
        "properties": {
            "code": {"type": "integer"},
            "message": {"type": "string"},
            "status": {"type": "string"},
            "details": {"type": "array", "items": {}},
        },
    }
    svc = spec.service
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": svc.title or svc.name,
            "version": svc.version,
            **({"description": svc.description} if svc.description else {}),
            "x-gemini-service": svc.name,
        },
        "servers": [{"url": svc.base_url}],
        "security": [{"apiKey": []}],
        "tags": [{"name": rp} for rp, _ in spec.all_resources()],
        "paths": {p: paths[p] for p in sorted(paths)},
        "components": {
            "securitySchemes": {
                "apiKey": {"type": "apiKey", "in": "header", "name": svc.auth_header}
            },
            "responses": {
                "Error": {
                    "description": 'An error: `{"error": Status}`.',
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {"error": {"$ref": "#/components/schemas/Status"}},
                            }
                        }
                    },
                }
            },
            "schemas": schemas,
        },
    }
