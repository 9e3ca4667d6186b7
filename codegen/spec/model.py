"""The typed spec model: what `spec/*.yaml` loads into, and what Discovery normalises into.

Every node carries a `Location` (file, line, YAML path) so that any later stage — validation,
drift, diff — can point a reader at the exact place in the spec.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, Union

PRIMITIVES: tuple[str, ...] = (
    "string",
    "boolean",
    "int32",
    "uint32",
    "int64",  # a string on the wire, an int in Python
    "uint64",  # a string on the wire, an int in Python
    "float",
    "double",
    "bytes",  # base64 text on the wire
    "timestamp",  # RFC 3339 text on the wire
    "duration",  # "3.5s" on the wire
    "fieldmask",  # "a.b,c" on the wire
    "object",  # a free-form JSON object
    "any",  # any JSON value
)


@dataclass(frozen=True)
class Location:
    """Where a node was written: `spec/content.yaml:42: types.Part.fields.inlineData`."""

    file: str
    line: int
    path: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.path}"

    @property
    def file_line(self) -> str:
        return f"{self.file}:{self.line}"


NOWHERE = Location("<none>", 0, "")


@dataclass(frozen=True)
class TypeRef:
    """A parsed type expression: a primitive, a named type, `list[T]` or `map[T]`."""

    kind: Literal["primitive", "named", "list", "map"]
    name: str = ""
    item: TypeRef | None = None

    def __str__(self) -> str:
        if self.kind in ("list", "map"):
            return f"{self.kind}[{self.item}]"
        return self.name

    def named(self) -> str | None:
        """The named type this expression finally refers to, if any."""
        ref: TypeRef | None = self
        while ref is not None and ref.kind in ("list", "map"):
            ref = ref.item
        return ref.name if ref is not None and ref.kind == "named" else None


@dataclass(frozen=True)
class Field:
    name: str  # wire name, camelCase
    type: TypeRef
    description: str = ""
    required: bool = False
    output_only: bool = False
    deprecated: bool = False
    loc: Location = NOWHERE


@dataclass(frozen=True)
class ObjectType:
    name: str
    fields: tuple[Field, ...]
    description: str = ""
    deprecated: bool = False
    loc: Location = NOWHERE
    discovery: str = ""  # Google's name for it, when the spec's differs (a name the spec held)

    def field(self, name: str) -> Field | None:
        """The first field of that name (one look-up: drift and sync ask for every field)."""
        return self._fields_by_name.get(name)

    @cached_property
    def _fields_by_name(self) -> dict[str, Field]:
        found: dict[str, Field] = {}
        for f in self.fields:
            found.setdefault(f.name, f)
        return found


@dataclass(frozen=True)
class EnumValue:
    name: str
    description: str = ""
    deprecated: bool = False
    loc: Location = NOWHERE


@dataclass(frozen=True)
class EnumType:
    name: str
    values: tuple[EnumValue, ...]
    description: str = ""
    deprecated: bool = False
    loc: Location = NOWHERE
    discovery: str = ""  # Google's name for it, when the spec's differs (a name the spec held)


TypeDef = Union[ObjectType, EnumType]


@dataclass(frozen=True)
class Parameter:
    name: str  # wire name
    location: Literal["path", "query"]
    type: TypeRef
    description: str = ""
    required: bool = False
    repeated: bool = False
    prefix: str = ""  # path only: prepended when the caller gives a bare id ("models/")
    deprecated: bool = False
    loc: Location = NOWHERE


@dataclass(frozen=True)
class Pagination:
    items: str  # the response field holding the page's items
    page_token: str = "pageToken"  # query parameter
    next_page_token: str = "nextPageToken"  # response field


@dataclass(frozen=True)
class LongRunning:
    """`Operation.response` once done and `Operation.metadata`: a type name, or `object` (free-form)."""

    response: str
    metadata: str | None = None


@dataclass(frozen=True)
class Method:
    name: str  # wire name, camelCase: generateContent
    http_method: Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
    path: str  # v1beta/{+model}:generateContent
    parameters: tuple[Parameter, ...] = ()
    request: str | None = None
    response: str | None = None
    description: str = ""
    streaming: bool = False  # server-sent events, `?alt=sse`
    # Streaming asked for by this body field (query parameter without a request) set to true,
    # instead of `?alt=sse`: the Interactions API's `stream: true`. Empty: `?alt=sse`.
    stream_flag: str = ""
    pagination: Pagination | None = None
    long_running: LongRunning | None = None
    upload: bool = False  # the body may carry bytes, sent to `upload/<path>`
    download: bool = False  # the response is media (`?alt=media`): bytes, not JSON
    deprecated: bool = False
    loc: Location = NOWHERE

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)


@dataclass(frozen=True)
class Resource:
    name: str  # wire name, camelCase: models, cachedContents
    methods: tuple[Method, ...]
    description: str = ""
    resources: tuple[Resource, ...] = ()  # nested: tunedModels.permissions
    loc: Location = NOWHERE

    def method(self, name: str) -> Method | None:
        return next((m for m in self.methods if m.name == name), None)

    def resource(self, name: str) -> Resource | None:
        return next((r for r in self.resources if r.name == name), None)

    def walk(self, prefix: str = "") -> Iterator[tuple[str, Resource]]:
        """This resource and every nested one, depth first, with dotted paths: `tunedModels.permissions`."""
        path = f"{prefix}.{self.name}" if prefix else self.name
        yield path, self
        for child in self.resources:
            yield from child.walk(path)


@dataclass(frozen=True)
class Service:
    name: str
    title: str
    base_url: str
    version: str
    auth_header: str
    api_key_env: tuple[str, ...] = ()
    description: str = ""
    loc: Location = NOWHERE


@dataclass(frozen=True)
class Spec:
    service: Service
    types: dict[str, TypeDef] = field(default_factory=dict)
    resources: dict[str, Resource] = field(default_factory=dict)
    # Every YAML node's location by its YAML path ("types.Part.fields.text.type"), for messages.
    locations: dict[str, Location] = field(default_factory=dict, compare=False, repr=False)

    def where(self, path: str, fallback: Location = NOWHERE) -> Location:
        """The location of a YAML path, or of its nearest written ancestor."""
        while path:
            if path in self.locations:
                return self.locations[path]
            path = path.rpartition(".")[0]
        return fallback

    def all_resources(self) -> Iterator[tuple[str, Resource]]:
        """Every resource, nested ones included, by dotted path, top-level resources in name order."""
        for name in sorted(self.resources):
            yield from self.resources[name].walk()

    def objects(self) -> list[ObjectType]:
        return [t for t in self.types.values() if isinstance(t, ObjectType)]

    def enums(self) -> list[EnumType]:
        return [t for t in self.types.values() if isinstance(t, EnumType)]
