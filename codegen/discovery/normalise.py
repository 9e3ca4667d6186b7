"""Discovery document -> `codegen.spec.model.Spec`, the model the YAML spec loads into.

Every node gets `Location("<discovery>", 0, <JSON path>)`, e.g.
`schemas.Candidate.properties.finishReason` or `resources.models.methods.generateContent`.

Naming rules for types Discovery leaves anonymous:

* inline enum (a property with `enum`): the explicit `ENUM_NAMES` table if (owner, field) is in it,
  else the field name in PascalCase (`finishReason` -> `FinishReason`). When one name would cover
  different value lists, or would clash with a Discovery schema, the non-table occurrences are
  prefixed with their owner type (`DynamicRetrievalConfigMode`, `FunctionCallingConfigMode`).
  Occurrences under one name with identical value lists share one `EnumType` (the first
  occurrence in document order gives its description).
* inline object (a property with `properties`): owner type + PascalCase field name
  (`Status.details[]` -> `StatusDetails`); a clash gets a numeric suffix and a warning.

Discovery schema names keep their name, except that the package prefix Google puts on a few
(`GoogleAiGenerativelanguageV1betaGroundingSupport`) is dropped when the short name is free
(`GroundingSupport`); `$ref`s follow the rename, locations keep the document's name.

Types are ordered as in the document; a synthesised type follows the type that first uses it.

Decisions where Discovery says nothing or too much:

* a property whose name the spec language cannot spell (`_responseJsonSchema`) is left out with a
  warning; so is such a resource or method, unless `keep_unspellable` (drift keeps them, so that
  what Google adds is reported and left for a person rather than silently missing) and the name
  has no `.` (the separator of drift's dotted paths: `tunedModels.permissions`);
* a dangling `$ref` (the document refers to `MediaResolution` and never defines it) becomes `any`
  with a warning;
* `additionalProperties: {type: any}` is `object` (a free-form JSON object, same Python type as
  `map[any]`); any other `additionalProperties` is `map[T]`;
* a method returning `Operation` is long-running with `LongRunning(response=UNKNOWN)` (`""`:
  Discovery never says what the finished operation holds; compare presence only); the method's
  `response` stays `Operation` as Discovery says;
* streaming = the method name starts with `stream`; paginated = a `pageToken` query parameter and a
  response with `nextPageToken` (items = the response's list field, preferring lists of named
  types); upload = `supportsMediaUpload`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple, cast

from codegen.naming import WIRE_NAME, pascal
from codegen.spec.model import (
    EnumType,
    EnumValue,
    Field,
    Location,
    LongRunning,
    Method,
    ObjectType,
    Pagination,
    Parameter,
    Resource,
    Service,
    Spec,
    TypeDef,
    TypeRef,
)

from ..untrusted import document_text
from .text import describe, full, summary

FILE = "<discovery>"
AUTH_HEADER = "x-goog-api-key"
# `LongRunning.response` of a Discovery method: Discovery never says what a finished operation holds.
UNKNOWN = ""
# Response types that make a method long-running.
OPERATIONS = frozenset({"Operation", "CustomLongRunningOperation"})

# Well-known enum names (google-genai's names), keyed by (owner type, field).
ENUM_NAMES: dict[tuple[str, str], str] = {
    ("SafetySetting", "category"): "HarmCategory",
    ("SafetyRating", "category"): "HarmCategory",
    ("SafetySetting", "threshold"): "HarmBlockThreshold",
    ("SafetyRating", "probability"): "HarmProbability",
    ("EmbedContentRequest", "taskType"): "TaskType",
    ("EmbedContentConfig", "taskType"): "TaskType",
    ("GenerationConfig", "responseModalities"): "Modality",
    ("ModalityTokenCount", "modality"): "MediaModality",
    ("GenerationConfig", "mediaResolution"): "MediaResolution",
    ("ContentFilter", "reason"): "BlockedReason",
    ("FunctionResponse", "scheduling"): "FunctionResponseScheduling",
    ("DynamicRetrievalConfig", "mode"): "DynamicRetrievalConfigMode",
    ("FunctionCallingConfig", "mode"): "FunctionCallingConfigMode",
}

ENUM_DESCRIPTIONS: dict[str, str] = {
    "HarmCategory": "The category of a rating or a safety setting.",
    "HarmBlockThreshold": "Block at and beyond a specified harm probability.",
    "HarmProbability": "The probability that a piece of content is harmful.",
    "TaskType": "The type of task for which the embedding will be used.",
    "Modality": "A modality the model may respond with.",
    "MediaModality": "The modality of a piece of content.",
}

# Package prefixes dropped from schema names (when the rest is not itself a schema).
SCHEMA_PREFIXES: tuple[str, ...] = ("GoogleAiGenerativelanguageV1beta",)

_HTTP = ("GET", "POST", "PUT", "PATCH", "DELETE")
_STRING_FORMATS = {
    "int64": "int64",
    "uint64": "uint64",
    "int32": "int32",
    "uint32": "uint32",
    "byte": "bytes",
    "google-datetime": "timestamp",
    "date-time": "timestamp",
    "google-duration": "duration",
    "google-fieldmask": "fieldmask",
}
_INTEGER_FORMATS = {"int32": "int32", "uint32": "uint32", "int64": "int64", "uint64": "uint64"}
_NUMBER_FORMATS = {"float": "float", "double": "double"}
_LITERAL_SEGMENT = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")


@dataclass(frozen=True)
class NormaliseWarning:
    loc: Location
    message: str

    def __str__(self) -> str:
        return f"{self.loc}: {self.message}"


class Normalised(NamedTuple):
    spec: Spec
    warnings: list[NormaliseWarning]


def normalise(doc: dict[str, Any], *, keep_unspellable: bool = False) -> Normalised:
    """Turn a (checked) Discovery document into a `Spec` plus warnings; never raises on content."""
    return _Normaliser(doc, keep_unspellable=keep_unspellable).run()


def prim(name: str) -> TypeRef:
    return TypeRef("primitive", name)


def loc(path: str) -> Location:
    return Location(FILE, 0, path)


@dataclass
class _EnumSite:
    owner: str
    field: str
    path: str
    schema: dict[str, Any]
    values: tuple[str, ...]
    description: str  # of the field (an array's or map's own description when the enum is its item)
    deprecated: bool  # the field is deprecated
    name: str = ""


@dataclass
class _Normaliser:
    doc: dict[str, Any]
    keep_unspellable: bool = False  # resources and methods whose names the spec cannot spell
    warnings: list[NormaliseWarning] = field(default_factory=list)
    schemas: dict[str, Any] = field(default_factory=dict)  # by the document's names
    rename: dict[str, str] = field(default_factory=dict)  # document name -> spec name
    inline_names: dict[str, str] = field(default_factory=dict)  # JSON path -> type name
    inline_schemas: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    enum_sites: list[_EnumSite] = field(default_factory=list)
    enum_names: dict[str, str] = field(default_factory=dict)  # JSON path -> enum name
    types: dict[str, TypeDef] = field(default_factory=dict)
    # Indexes that keep every pass linear in the document (8,000 schemas take well under a second).
    taken: set[str] = field(default_factory=set)  # type names given so far
    next_suffix: dict[str, int] = field(default_factory=dict)  # name -> first number to try
    sites_by_path: dict[str, _EnumSite] = field(default_factory=dict)
    sites_by_name: dict[str, list[_EnumSite]] = field(default_factory=dict)

    def warn(self, path: str, message: str) -> None:
        self.warnings.append(NormaliseWarning(loc(path), message))

    def _spellable(self, name: str) -> bool:
        """Whether a resource or method named `name` is kept (see `keep_unspellable`)."""
        return bool(WIRE_NAME.match(name)) or (self.keep_unspellable and "." not in name)

    # -- entry ---------------------------------------------------------------------------------

    def run(self) -> Normalised:
        raw = self.doc.get("schemas") or {}
        self.schemas = {k: v for k, v in raw.items() if isinstance(v, dict)}
        for name in raw:
            if name not in self.schemas:
                self.warn(f"schemas.{name}", "schema is not a JSON object; skipped")
        self.rename = schema_names(self.schemas)
        self.taken = set(self.rename.values())
        # Pass 1: give every anonymous type a name.
        for name, schema in self.schemas.items():
            self._collect(schema, self.rename[name], None, f"schemas.{name}")
        self._name_enums()
        # Pass 2: build the types in document order, synthesised ones after their first user.
        for name, schema in self.schemas.items():
            self._build_schema(self.rename[name], schema, f"schemas.{name}")
        resources = self._resources(self.doc.get("resources") or {}, "resources")
        spec = Spec(service=self._service(), types=self.types, resources=resources)
        return Normalised(spec, self.warnings)

    def _service(self) -> Service:
        d = self.doc
        root = str(d.get("rootUrl") or d.get("baseUrl") or "").rstrip("/")
        return Service(
            name=str(d.get("name", "")),
            title=document_text(str(d.get("title", ""))),
            base_url=root,
            version=str(d.get("version", "")),
            auth_header=AUTH_HEADER,
            description=summary(d.get("description")),
            loc=loc(""),
        )

    # -- pass 1: anonymous types ---------------------------------------------------------------

    def _collect(
        self,
        schema: dict[str, Any],
        owner: str,
        fname: str | None,
        path: str,
        outer: dict[str, Any] | None = None,
    ) -> None:
        """Walk one schema; `owner` is the named type whose field (`fname`) this schema is, `outer`
        the field's own schema when this one is its array item or map value."""
        if "$ref" in schema:
            return
        field_schema = outer or schema
        if "enum" in schema and fname is not None:
            values = tuple(str(v) for v in schema.get("enum") or ())
            desc = schema.get("description") or field_schema.get("description")
            self.enum_sites.append(
                _EnumSite(
                    owner,
                    fname,
                    path,
                    schema,
                    values,
                    describe(desc).text,
                    bool(field_schema.get("deprecated")),
                )
            )
            return
        props = schema.get("properties")
        if isinstance(props, dict) and fname is not None:
            # An inline object: it becomes a named type of its own.
            name = self._unique(owner + pascal(fname), path)
            self.inline_names[path] = name
            self.inline_schemas[name] = (path, schema)
            owner = name
        if isinstance(props, dict):
            for key, sub in props.items():
                if isinstance(sub, dict):
                    self._collect(sub, owner, key, f"{path}.properties.{key}")
        items = schema.get("items")
        if isinstance(items, dict):
            self._collect(items, owner, fname, f"{path}.items", field_schema)
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            self._collect(extra, owner, fname, f"{path}.additionalProperties", field_schema)

    def _unique(self, name: str, path: str) -> str:
        if name not in self.taken:
            self.taken.add(name)
            return name
        n = self.next_suffix.get(name, 2)
        while f"{name}{n}" in self.taken:
            n += 1
        self.next_suffix[name] = n + 1
        self.taken.add(f"{name}{n}")
        self.warn(path, f"inline type name {name!r} is taken; using {name}{n}")
        return f"{name}{n}"

    def _name_enums(self) -> None:
        objects = set(self.rename.values()) | set(self.inline_schemas)
        groups: dict[str, list[_EnumSite]] = {}
        for site in self.enum_sites:
            base = ENUM_NAMES.get((site.owner, site.field)) or pascal(site.field)
            groups.setdefault(base, []).append(site)
        final: dict[str, list[_EnumSite]] = {}
        for base, sites in groups.items():
            clash = base in objects or len({s.values for s in sites}) > 1
            for s in sites:
                fixed = (s.owner, s.field) in ENUM_NAMES
                s.name = base
                if clash and not fixed:
                    s.name = s.owner + pascal(s.field)
                elif clash and base in objects:
                    self.warn(s.path, f"enum name {base!r} from ENUM_NAMES is also a schema")
                    s.name = s.owner + pascal(s.field)
                final.setdefault(s.name, []).append(s)
        # Different value lists can still meet under one name (a fixed name, or owner+field twice).
        for name, sites in final.items():
            seen: dict[tuple[str, ...], str] = {}
            for s in sites:
                if s.values not in seen:
                    suffix = "" if not seen else str(len(seen) + 1)
                    if suffix:
                        self.warn(
                            s.path,
                            f"enum {name!r} already has other values; naming this one {name}{suffix}",
                        )
                    seen[s.values] = name + suffix
                s.name = seen[s.values]
        for s in self.enum_sites:
            self.enum_names[s.path] = s.name
            self.sites_by_path.setdefault(s.path, s)
            self.sites_by_name.setdefault(s.name, []).append(s)

    # -- pass 2: types -------------------------------------------------------------------------

    def _build_schema(self, name: str, schema: dict[str, Any], path: str) -> None:
        desc = describe(schema.get("description")).text
        deprecated = bool(schema.get("deprecated"))
        if "enum" in schema:
            self._add(self._enum(name, schema, path, desc, deprecated))
            return
        kind = schema.get("type", "object")
        if kind != "object":
            self.warn(path, f"top-level schema of type {kind!r}; kept as an object with no fields")
        self._object(name, schema, path, desc, deprecated)

    def _object(
        self, name: str, schema: dict[str, Any], path: str, desc: str, deprecated: bool
    ) -> None:
        fields: list[Field] = []
        pending: list[tuple[str, str]] = []  # synthesised types this object introduces
        props = schema.get("properties") or {}
        for key, sub in props.items():
            fpath = f"{path}.properties.{key}"
            if not isinstance(sub, dict):
                self.warn(fpath, "property is not a JSON object; skipped")
                continue
            if not WIRE_NAME.match(key):
                # e.g. GenerationConfig._responseJsonSchema, an internal twin of responseJsonSchema
                self.warn(fpath, f"field name {key!r} is not a spec wire name; field left out")
                continue
            d = describe(sub.get("description"))
            fields.append(
                Field(
                    name=key,
                    type=self._typeref(sub, fpath, pending),
                    description=d.text,
                    required=d.required,
                    output_only=d.output_only or bool(sub.get("readOnly")),
                    deprecated=bool(sub.get("deprecated")),
                    loc=loc(fpath),
                )
            )
        self._add(ObjectType(name, tuple(fields), desc, deprecated, loc(path)))
        for tname, tpath in pending:
            if tname in self.types:
                continue
            if tname in self.inline_schemas:
                ipath, ischema = self.inline_schemas[tname]
                self._object(
                    tname,
                    ischema,
                    ipath,
                    describe(ischema.get("description")).text,
                    bool(ischema.get("deprecated")),
                )
            else:
                site = self.sites_by_path[tpath]
                self._add(
                    self._enum(tname, site.schema, tpath, self._enum_description(site), False)
                )

    def _enum_description(self, site: _EnumSite) -> str:
        """The well-known description, else the first non-deprecated field's description."""
        if site.name in ENUM_DESCRIPTIONS:
            return ENUM_DESCRIPTIONS[site.name]
        sharing = self.sites_by_name[site.name]
        good = [s for s in sharing if s.description and not s.deprecated]
        good = [s for s in good if not s.description.lower().startswith("deprecated")] or good
        return (good or sharing)[0].description

    def _enum(
        self, name: str, schema: dict[str, Any], path: str, desc: str, deprecated: bool
    ) -> EnumType:
        values = schema.get("enum") or []
        descs = schema.get("enumDescriptions") or []
        deps = schema.get("enumDeprecated") or []
        out = []
        for i, v in enumerate(values):
            out.append(
                EnumValue(
                    name=str(v),
                    description=full(descs[i]) if i < len(descs) else "",
                    deprecated=bool(deps[i]) if i < len(deps) else False,
                    loc=loc(f"{path}.enum[{i}]"),
                )
            )
        if len(descs) != len(values):
            self.warn(path, f"{len(values)} enum values but {len(descs)} enumDescriptions")
        return EnumType(name, tuple(out), desc, deprecated, loc(path))

    def _add(self, t: TypeDef) -> None:
        if t.name in self.types:
            self.warn(t.loc.path, f"type {t.name!r} defined twice; keeping the first")
            return
        self.types[t.name] = t

    def _typeref(
        self, s: dict[str, Any], path: str, pending: list[tuple[str, str]] | None = None
    ) -> TypeRef:
        """The type expression of a property/parameter schema at `path`."""
        ref = s.get("$ref")
        if ref is not None:
            if ref in self.schemas:
                return TypeRef("named", self.rename[ref])
            self.warn(path, f"$ref {ref!r} is not defined in the document; using 'any'")
            return prim("any")
        if path in self.enum_names:
            name = self.enum_names[path]
            if pending is not None:
                pending.append((name, path))
            return TypeRef("named", name)
        if path in self.inline_names:
            name = self.inline_names[path]
            if pending is not None:
                pending.append((name, path))
            return TypeRef("named", name)
        kind = s.get("type")
        fmt = s.get("format")
        if kind == "array":
            items = s.get("items")
            if not isinstance(items, dict):
                self.warn(path, "array without items; using list[any]")
                return TypeRef("list", item=prim("any"))
            return TypeRef("list", item=self._typeref(items, f"{path}.items", pending))
        if kind == "object" or (kind is None and "additionalProperties" in s):
            extra = s.get("additionalProperties")
            if isinstance(extra, dict):
                if extra.get("type") == "any" and "$ref" not in extra:
                    return prim("object")
                return TypeRef(
                    "map", item=self._typeref(extra, f"{path}.additionalProperties", pending)
                )
            return prim("object")
        if kind == "any":
            return prim("any")
        if kind == "string":
            if fmt is None:
                return prim("string")
            if fmt in _STRING_FORMATS:
                return prim(_STRING_FORMATS[fmt])
            return prim("string")  # e.g. "date": still text on the wire
        if kind == "integer":
            if fmt in _INTEGER_FORMATS:
                return prim(_INTEGER_FORMATS[fmt])
            return prim("int32") if fmt is None else self._unknown(path, kind, fmt)
        if kind == "number":
            if fmt in _NUMBER_FORMATS:
                return prim(_NUMBER_FORMATS[fmt])
            return prim("double") if fmt is None else self._unknown(path, kind, fmt)
        if kind == "boolean":
            return prim("boolean")
        return self._unknown(path, kind, fmt)

    def _unknown(self, path: str, kind: Any, fmt: Any) -> TypeRef:
        self.warn(path, f"unknown type {kind!r} format {fmt!r}; using 'any'")
        return prim("any")

    # -- resources and methods -----------------------------------------------------------------

    def _resources(self, raw: dict[str, Any], path: str) -> dict[str, Resource]:
        """Discovery's resources at `path`, nested ones in `Resource.resources`; a resource with
        neither methods nor nested resources is left out."""
        out: dict[str, Resource] = {}
        for rname, r in raw.items():
            rpath = f"{path}.{rname}"
            if not isinstance(r, dict):
                self.warn(rpath, "resource is not a JSON object; skipped")
                continue
            if not self._spellable(rname):
                self.warn(rpath, f"resource name {rname!r} is not a spec wire name; skipped")
                continue
            methods = tuple(
                m
                for mname, mraw in (r.get("methods") or {}).items()
                if (m := self._method(mname, mraw, f"{rpath}.methods.{mname}")) is not None
            )
            children = self._resources(r.get("resources") or {}, f"{rpath}.resources")
            if methods or children:
                out[rname] = Resource(
                    rname,
                    methods,
                    full(r.get("description")),
                    resources=tuple(children.values()),
                    loc=loc(rpath),
                )
        return out

    def _method(self, name: str, m: Any, path: str) -> Method | None:
        if not isinstance(m, dict):
            self.warn(path, "method is not a JSON object; skipped")
            return None
        if not self._spellable(name):
            self.warn(path, f"method name {name!r} is not a spec wire name; skipped")
            return None
        verb = str(m.get("httpMethod", "")).upper()
        if verb not in _HTTP:
            self.warn(path, f"unsupported httpMethod {verb!r}; method skipped")
            return None
        params: list[Parameter] = []
        raw_params = m.get("parameters") or {}
        order = [p for p in m.get("parameterOrder") or [] if p in raw_params]
        order += [p for p in raw_params if p not in order]
        for pname in order:
            p = raw_params[pname]
            ppath = f"{path}.parameters.{pname}"
            where = p.get("location")
            if where not in ("path", "query"):
                self.warn(ppath, f"parameter location {where!r} is not supported; skipped")
                continue
            d = describe(p.get("description"))
            params.append(
                Parameter(
                    name=pname,
                    location=cast(Literal["path", "query"], where),
                    type=self._typeref(p, ppath),
                    description=d.text,
                    required=where == "path" or bool(p.get("required")),
                    repeated=bool(p.get("repeated")),
                    prefix=path_prefix(p.get("pattern")) if where == "path" else "",
                    deprecated=bool(p.get("deprecated")),
                    loc=loc(ppath),
                )
            )
        request = self._ref(m.get("request"), f"{path}.request")
        response = self._ref(m.get("response"), f"{path}.response")
        pagination = None
        if any(p.name == "pageToken" and p.location == "query" for p in params) and response:
            pagination = self._pagination(response, path)
        return Method(
            name=name,
            http_method=cast(Literal["GET", "POST", "PUT", "PATCH", "DELETE"], verb),
            path=str(m.get("path", "")),
            parameters=tuple(params),
            request=request,
            response=response,
            description=full(m.get("description")),
            streaming=name.startswith("stream"),
            pagination=pagination,
            long_running=LongRunning(response=UNKNOWN) if response in OPERATIONS else None,
            upload=bool(m.get("supportsMediaUpload")),
            deprecated=bool(m.get("deprecated")),
            loc=loc(path),
        )

    def _ref(self, node: Any, path: str) -> str | None:
        if not isinstance(node, dict) or "$ref" not in node:
            return None
        ref = str(node["$ref"])
        if ref not in self.schemas:
            self.warn(path, f"$ref {ref!r} is not defined in the document; dropped")
            return None
        return self.rename[ref]

    def _pagination(self, response: str, path: str) -> Pagination | None:
        t = self.types.get(response)
        if not isinstance(t, ObjectType) or t.field("nextPageToken") is None:
            return None
        lists = [f for f in t.fields if f.type.kind == "list"]
        named = [f for f in lists if f.type.named()]
        pick = named or lists
        if not pick:
            self.warn(path, f"paginated, but {response} has no list field; not marked paginated")
            return None
        if len(pick) > 1:
            self.warn(path, f"{response} has several list fields; paging over {pick[0].name!r}")
        return Pagination(items=pick[0].name)


def schema_names(schemas: dict[str, Any]) -> dict[str, str]:
    """Document schema name -> spec type name (see SCHEMA_PREFIXES)."""
    out = {}
    for name in schemas:
        short = name
        for prefix in SCHEMA_PREFIXES:
            rest = name[len(prefix) :]
            if name.startswith(prefix) and rest[:1].isupper() and rest not in schemas:
                short = rest
                break
        out[name] = short
    return out


def path_prefix(pattern: Any) -> str:
    """`^models/[^/]+$` -> `models/`; "" unless the pattern is literal segments then one id."""
    if not isinstance(pattern, str):
        return ""
    body = pattern.removeprefix("^").removesuffix("$").replace("[^/]+", "*")
    segments = body.split("/")
    if len(segments) < 2 or segments[-1] != "*":
        return ""
    if not all(_LITERAL_SEGMENT.match(s) for s in segments[:-1]):
        return ""
    return "/".join(segments[:-1]) + "/"
