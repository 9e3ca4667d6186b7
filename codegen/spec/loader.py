"""Load `spec/*.yaml` into the typed spec model, checking the shape of every node on the way.

Shape problems (syntax, unknown keys, wrong kinds, bad identifiers, duplicates within a file) are
found here; cross-references are checked by `validate`. `load_spec` does both.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .. import naming
from .errors import Problem, SpecError, did_you_mean

# re-exported: the spec directory's files are listed and named in `files` (light to import: the
# generator's "up to date" check hashes them without importing this module)
from .files import IGNORED_FILES as IGNORED_FILES
from .files import shown_path as shown_path
from .files import spec_files as spec_files
from .model import (
    PRIMITIVES,
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
from .yamlnodes import Node, read_yaml

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

_TOP_KEYS = ("service", "types", "resources")
_SERVICE_KEYS = ("name", "title", "description", "base_url", "version", "auth")
_AUTH_KEYS = ("header", "env")
_TYPE_KEYS = ("description", "discovery", "deprecated", "fields", "enum")
_FIELD_KEYS = ("type", "description", "required", "output_only", "deprecated")
_ENUM_VALUE_KEYS = ("description", "deprecated")
_RESOURCE_KEYS = ("description", "methods", "resources")
MAX_RESOURCE_DEPTH = 4  # models.operations is 2 deep, fileSearchStores.upload.operations 3
_METHOD_KEYS = (
    "http",
    "description",
    "params",
    "request",
    "response",
    "streaming",
    "stream_flag",
    "paginated",
    "long_running",
    "upload",
    "download",
    "deprecated",
)
_PARAM_KEYS = ("in", "type", "required", "repeated", "prefix", "description", "deprecated")
_PAGINATED_KEYS = ("items", "page_token", "next_page_token")
_LONG_RUNNING_KEYS = ("response", "metadata")

_LIST_OR_MAP = re.compile(r"^(list|map)\[(.*)\]$")
_CONTAINER = re.compile(r"(?:list|map)\[")
# `list[list[map[string]]]` is 3 deep; the real API needs 2. Deeper is refused (docs/spec-language.md).
MAX_TYPE_NESTING = 8

# A method's path is relative to the service's base_url and can never leave its origin: segments of
# unreserved characters and `{name}`/`{+name}` placeholders, an optional `:verb` at a segment's end;
# the first segment a plain literal (a `v1beta`: no `:`, which would make it a scheme, no placeholder).
# No scheme, no host (`//`), no leading `/`, no `..`, `%`, `@`, `\\`, `?`, `#` or control character.
_LITERAL = r"[A-Za-z0-9._~-]+"
_SEGMENT = rf"(?:[A-Za-z0-9._~-]|\{{\+?[A-Za-z][A-Za-z0-9_]*\}})+(?::{_LITERAL})?"
_PATH = re.compile(rf"{_LITERAL}(?:/{_SEGMENT})*", re.ASCII)
_DOT_SEGMENT = re.compile(r"(?:^|/)\.{1,2}(?=/|:|$)")

T = TypeVar("T")


def load_spec(spec_dir: Path, *, shown_as: Path | None = None) -> Spec:
    """Read, shape-check and validate a spec directory; raise `SpecError` listing every problem.

    `shown_as`: the directory its files are named by in locations and messages (a scratch copy of
    a spec, named as the spec it copies: its unchanged files are then parsed once, not again)."""
    from .validate import validate

    spec = read_spec(spec_dir, shown_as=shown_as)
    validate(spec)
    return spec


def read_spec(spec_dir: Path, *, shown_as: Path | None = None) -> Spec:
    """Read and shape-check the spec, without cross-reference validation."""
    shown_dir = spec_dir if shown_as is None else shown_as
    if not spec_dir.is_dir():
        raise SpecError(
            [Problem(Location(shown_path(shown_dir), 0, ""), "spec directory not found")]
        )
    files = spec_files(spec_dir, shown_as=shown_as)
    if not files:
        raise SpecError(
            [
                Problem(
                    Location(shown_path(shown_dir), 0, ""), "no *.yaml files in the spec directory"
                )
            ]
        )
    read = [read_yaml(path, shown_path(shown_dir / path.name)) for path in files]
    b = _joined(read)
    if b is None:  # a file with problems, or a name two files define: read again, in order
        b = _Builder()
        for tree, problems in read:
            b.problems.extend(problems)
            if tree is not None:
                b.file(tree)
    if b.service is None and not b.problems:
        b.problems.append(
            Problem(Location(shown_path(shown_dir), 0, ""), "no file defines 'service'")
        )
    if b.problems:
        raise SpecError(b.problems)
    assert b.service is not None
    return Spec(service=b.service, types=b.types, resources=b.resources, locations=b.locations)


def _joined(read: list[tuple[Node | None, list[Problem]]]) -> _Builder | None:
    """The files read, each taken as a whole from `_one_file`, joined in order: what `_Builder`
    makes of them in turn, when no file has a problem and no two define the same name (else
    None: the caller reads them again, so that every problem is where and as it always is)."""
    b = _Builder()
    for tree, problems in read:
        if problems or tree is None:
            return None
        one = _one_file(tree)
        if one.problems or (one.service and b.service) or one.types.keys() & b.types.keys():
            return None
        if one.resources.keys() & b.resources.keys():
            return None
        b.service = b.service or one.service
        b.types.update(one.types)
        b.resources.update(one.resources)
        first = {path: b.locations[path] for path in b.locations.keys() & one.locations.keys()}
        b.locations = b.locations | one.locations | first  # the first file's place of a path
    return b


def _one_file(tree: Node) -> _Builder:
    """What `_Builder.file` makes of one file on its own, kept for the node trees read last.

    `read_yaml` gives the same (shared, never changed) tree for a file read again, and the model
    objects are frozen: a spec loaded again with one file edited (sync's scratch copy, the spec
    after sync, each side of a diff) reads only that file anew."""
    key = id(tree)
    kept = _FILES.pop(key, None)
    if kept is None or kept[0] is not tree:
        b = _Builder()
        b.file(tree)
        kept = (tree, b)
    _FILES[key] = kept  # the most recently used last
    while len(_FILES) > _FILES_KEPT:
        del _FILES[next(iter(_FILES))]
    return kept[1]


# id(tree) -> (tree, what `_Builder.file` made of it); the tree is held, so its id is not reused.
_FILES: dict[int, tuple[Node, _Builder]] = {}
_FILES_KEPT = 64  # files: about two specs (the real one has 26), as `read_yaml` keeps


class _Builder:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.service: Service | None = None
        self.types: dict[str, TypeDef] = {}
        self.resources: dict[str, Resource] = {}
        self.locations: dict[str, Location] = {}

    # -- helpers ---------------------------------------------------------------------------

    def problem(self, node: Node, message: str) -> None:
        self.problems.append(Problem(node.loc, message))

    def note(self, node: Node) -> Node:
        self.locations.setdefault(node.loc.path, node.loc)
        return node

    def mapping(self, node: Node, keys: tuple[str, ...], what: str) -> dict[str, Node] | None:
        """The node's items, after checking it is a mapping with only known keys."""
        self.note(node)
        if node.kind != "mapping":
            self.problem(node, f"expected a mapping for {what}, got {node.describe()}")
            return None
        for key, child in node.items.items():
            self.note(child)
            if key not in keys:
                self.problem(child, f"unknown key '{key}'{did_you_mean(key, keys)}")
        return node.items

    def entries(self, node: Node, what: str) -> dict[str, Node]:
        """A mapping whose keys are names (types, fields, methods...)."""
        self.note(node)
        if node.kind == "scalar" and node.value is None:
            return {}
        if node.kind != "mapping":
            self.problem(node, f"expected a mapping of {what}, got {node.describe()}")
            return {}
        for child in node.items.values():
            self.note(child)
        return node.items

    def scalar(
        self,
        items: dict[str, Node],
        key: str,
        kind: type[T],
        default: T,
        check: Callable[[T], str] | None = None,
    ) -> T:
        node = items.get(key)
        if node is None:
            return default
        if node.kind != "scalar" or not isinstance(node.value, kind):
            expected = {str: "text", bool: "true or false"}[kind]
            self.problem(node, f"expected {expected}, got {node.describe()}")
            return default
        if check is not None:
            message = check(node.value)
            if message:
                self.problem(node, message)
                return default
        return node.value

    def text(self, items: dict[str, Node], key: str, default: str = "") -> str:
        node = items.get(key)
        if node is not None and node.kind == "scalar" and node.value is None:
            return default
        return self.scalar(items, key, str, default)

    def flag(self, items: dict[str, Node], key: str) -> bool:
        return self.scalar(items, key, bool, False)

    def require(self, node: Node, items: dict[str, Node], key: str) -> bool:
        if key not in items:
            self.problem(node, f"missing required key '{key}'")
            return False
        return True

    def name_ok(
        self, node: Node, name: str, pattern: re.Pattern[str], what: str, example: str
    ) -> bool:
        if not pattern.match(name):
            self.problem(node, f"invalid {what} {name!r}: expected {example}")
            return False
        return True

    # -- structure ---------------------------------------------------------------------------

    def file(self, tree: Node) -> None:
        items = self.mapping(tree, _TOP_KEYS, "a spec file")
        if items is None:
            return
        if "service" in items:
            if self.service is not None:
                self.problem(
                    items["service"],
                    f"'service' is already defined at {self.service.loc.file_line}",
                )
            else:
                self.service = self.read_service(items["service"])
        for name, node in self.entries(items["types"], "types").items() if "types" in items else ():
            if name in self.types:
                self.problem(
                    node,
                    f"duplicate type '{name}' (first defined at {self.types[name].loc.file_line})",
                )
            elif self.name_ok(
                node,
                name,
                naming.TYPE_NAME,
                "type name",
                "PascalCase like 'GenerateContentRequest'",
            ):
                typedef = self.read_type(name, node)
                if typedef is not None:
                    self.types[name] = typedef
        for name, node in (
            self.entries(items["resources"], "resources").items() if "resources" in items else ()
        ):
            if name in self.resources:
                self.problem(
                    node,
                    f"duplicate resource '{name}' (first defined at {self.resources[name].loc.file_line})",
                )
            elif self.name_ok(
                node, name, naming.WIRE_NAME, "resource name", "camelCase like 'cachedContents'"
            ):
                self.resources[name] = self.read_resource(name, node, 1)

    def read_service(self, node: Node) -> Service | None:
        items = self.mapping(node, _SERVICE_KEYS, "the service")
        if items is None:
            return None
        for key in ("name", "base_url", "version", "auth"):
            self.require(node, items, key)
        auth = self.mapping(items["auth"], _AUTH_KEYS, "auth") if "auth" in items else None
        header: str = ""
        env: tuple[str, ...] = ()
        if auth is not None:
            self.require(items["auth"], auth, "header")
            header = self.scalar(
                auth,
                "header",
                str,
                "",
                lambda v: "" if re.match(r"^[A-Za-z0-9-]+$", v) else f"invalid header name {v!r}",
            )
            if "env" in auth:
                env = tuple(
                    self.names_list(
                        auth["env"], re.compile(r"^[A-Z_][A-Z0-9_]*$"), "environment variable"
                    )
                )
        base_url = self.scalar(
            items,
            "base_url",
            str,
            "",
            lambda v: "" if re.match(r"^https?://[^\s\"'\\]+$", v) else f"invalid URL {v!r}",
        )
        version = self.scalar(
            items,
            "version",
            str,
            "",
            lambda v: "" if re.match(r"^[a-z0-9]+$", v) else f"invalid version {v!r}",
        )
        return Service(
            name=self.scalar(
                items,
                "name",
                str,
                "",
                lambda v: "" if naming.WIRE_NAME.match(v) else f"invalid name {v!r}",
            ),
            title=self.text(items, "title"),
            description=self.text(items, "description"),
            base_url=base_url.rstrip("/"),
            version=version,
            auth_header=header,
            api_key_env=env,
            loc=node.loc,
        )

    def names_list(self, node: Node, pattern: re.Pattern[str], what: str) -> list[str]:
        self.note(node)
        if node.kind != "sequence":
            self.problem(node, f"expected a list of {what}s, got {node.describe()}")
            return []
        out = []
        for child in node.seq:
            if (
                child.kind == "scalar"
                and isinstance(child.value, str)
                and pattern.match(child.value)
            ):
                out.append(child.value)
            else:
                self.problem(child, f"invalid {what}: {child.value!r}")
        return out

    def read_type(self, name: str, node: Node) -> TypeDef | None:
        items = self.mapping(node, _TYPE_KEYS, f"type '{name}'")
        if items is None:
            return None
        description = self.text(items, "description")
        deprecated = self.flag(items, "deprecated")
        discovery = self.discovery_name(items)
        if ("fields" in items) == ("enum" in items):
            self.problem(node, "a type has exactly one of 'fields' (an object) or 'enum' (an enum)")
            return None
        if "enum" in items:
            values = []
            for value, vnode in self.entries(items["enum"], "enum values").items():
                if self.name_ok(
                    vnode, value, naming.ENUM_VALUE, "enum value", "UPPER_SNAKE like 'STOP'"
                ):
                    values.append(self.read_enum_value(value, vnode))
            return EnumType(name, tuple(values), description, deprecated, node.loc, discovery)
        fields = []
        for fname, fnode in self.entries(items["fields"], "fields").items():
            if self.name_ok(
                fnode, fname, naming.WIRE_NAME, "field name", "camelCase like 'inlineData'"
            ):
                f = self.read_field(fname, fnode)
                if f is not None:
                    fields.append(f)
        return ObjectType(name, tuple(fields), description, deprecated, node.loc, discovery)

    def discovery_name(self, items: dict[str, Node]) -> str:
        """`discovery:` Google's name for a type the spec names otherwise (drift matches by it)."""
        name = self.text(items, "discovery")
        if name and not naming.TYPE_NAME.match(name):
            self.problem(items["discovery"], f"invalid Discovery type name: {name!r}")
            return ""
        return name

    def read_enum_value(self, value: str, node: Node) -> EnumValue:
        if node.kind == "scalar":
            if node.value is not None and not isinstance(node.value, str):
                self.problem(node, f"expected a description or a mapping, got {node.describe()}")
            return EnumValue(
                value, node.value if isinstance(node.value, str) else "", False, node.loc
            )
        items = self.mapping(node, _ENUM_VALUE_KEYS, f"enum value '{value}'") or {}
        return EnumValue(
            value, self.text(items, "description"), self.flag(items, "deprecated"), node.loc
        )

    def read_field(self, name: str, node: Node) -> Field | None:
        if node.kind == "scalar":  # short form: `role: string`
            ref = self.type_expr(node, node.value)
            return Field(name, ref, loc=node.loc) if ref else None
        items = self.mapping(node, _FIELD_KEYS, f"field '{name}'")
        if items is None:
            return None
        if not self.require(node, items, "type"):
            return None
        ref = self.type_expr(
            items["type"], items["type"].value if items["type"].kind == "scalar" else None
        )
        if ref is None:
            return None
        return Field(
            name,
            ref,
            description=self.text(items, "description"),
            required=self.flag(items, "required"),
            output_only=self.flag(items, "output_only"),
            deprecated=self.flag(items, "deprecated"),
            loc=node.loc,
        )

    def type_expr(self, node: Node, value: object) -> TypeRef | None:
        if not isinstance(value, str):
            self.problem(
                node,
                f"expected a type expression like 'string' or 'list[Part]', got {node.describe()}",
            )
            return None
        if len(_CONTAINER.findall(value)) > MAX_TYPE_NESTING:
            self.problem(
                node, f"a type nested more than {MAX_TYPE_NESTING} levels of list[...] or map[...]"
            )
            return None
        ref = parse_type(value.strip())
        if ref is None:
            self.problem(node, f"invalid type expression {value!r}")
        return ref

    def read_resource(self, name: str, node: Node, depth: int) -> Resource:
        items = self.mapping(node, _RESOURCE_KEYS, f"resource '{name}'") or {}
        methods = []
        for mname, mnode in (
            self.entries(items["methods"], "methods").items() if "methods" in items else ()
        ):
            if self.name_ok(
                mnode, mname, naming.WIRE_NAME, "method name", "camelCase like 'generateContent'"
            ):
                m = self.read_method(mname, mnode)
                if m is not None:
                    methods.append(m)
        children = []
        if "resources" in items and depth >= MAX_RESOURCE_DEPTH:
            self.problem(
                items["resources"], f"resources nest at most {MAX_RESOURCE_DEPTH} levels deep"
            )
        elif "resources" in items:
            for cname, cnode in self.entries(items["resources"], "resources").items():
                if self.name_ok(
                    cnode, cname, naming.WIRE_NAME, "resource name", "camelCase like 'permissions'"
                ):
                    children.append(self.read_resource(cname, cnode, depth + 1))
        return Resource(
            name,
            tuple(methods),
            self.text(items, "description"),
            resources=tuple(children),
            loc=node.loc,
        )

    def read_method(self, name: str, node: Node) -> Method | None:
        items = self.mapping(node, _METHOD_KEYS, f"method '{name}'")
        if items is None or not self.require(node, items, "http"):
            return None
        http = self.scalar(items, "http", str, "")
        verb, _, path = http.strip().partition(" ")
        path = path.strip()
        if verb not in HTTP_METHODS or not path:
            if http:
                self.problem(
                    items["http"],
                    f"expected 'VERB path' with VERB one of {', '.join(HTTP_METHODS)} and a path like 'v1beta/{{+model}}:generateContent', got {http!r}",
                )
            return None
        if not _PATH.fullmatch(path) or _DOT_SEGMENT.search(path):
            self.problem(
                items["http"],
                "the path must stay on the service's origin: relative to base_url, like "
                f"'v1beta/{{+model}}:generateContent' (no scheme, host, leading '/', '.' or '..' "
                f"segment, '%', '@', '\\\\', '?', '#', space or control character), got {path!r}",
            )
            return None
        params = []
        for pname, pnode in (
            self.entries(items["params"], "params").items() if "params" in items else ()
        ):
            if self.name_ok(
                pnode, pname, naming.WIRE_NAME, "parameter name", "camelCase like 'pageSize'"
            ):
                p = self.read_param(pname, pnode)
                if p is not None:
                    params.append(p)
        pagination = None
        if "paginated" in items:
            pitems = self.mapping(items["paginated"], _PAGINATED_KEYS, "paginated")
            if pitems is not None and self.require(items["paginated"], pitems, "items"):
                pagination = Pagination(
                    self.text(pitems, "items"),
                    self.text(pitems, "page_token", "pageToken"),
                    self.text(pitems, "next_page_token", "nextPageToken"),
                )
        long_running = None
        if "long_running" in items:
            litems = self.mapping(items["long_running"], _LONG_RUNNING_KEYS, "long_running")
            if litems is not None and self.require(items["long_running"], litems, "response"):
                long_running = LongRunning(
                    self.text(litems, "response"), self.text(litems, "metadata") or None
                )
        return Method(
            name=name,
            http_method=verb,  # type: ignore[arg-type]  # checked against HTTP_METHODS above
            path=path,
            parameters=tuple(params),
            request=self.text(items, "request") or None,
            response=self.text(items, "response") or None,
            description=self.text(items, "description"),
            streaming=self.flag(items, "streaming"),
            stream_flag=self.scalar(
                items,
                "stream_flag",
                str,
                "",
                lambda v: (
                    ""
                    if naming.WIRE_NAME.match(v)
                    else f"invalid stream_flag {v!r}: expected a field name like 'stream'"
                ),
            ),
            pagination=pagination,
            long_running=long_running,
            upload=self.flag(items, "upload"),
            download=self.flag(items, "download"),
            deprecated=self.flag(items, "deprecated"),
            loc=node.loc,
        )

    def read_param(self, name: str, node: Node) -> Parameter | None:
        items = self.mapping(node, _PARAM_KEYS, f"parameter '{name}'")
        if (
            items is None
            or not self.require(node, items, "in")
            or not self.require(node, items, "type")
        ):
            return None
        where = self.scalar(
            items,
            "in",
            str,
            "",
            lambda v: "" if v in ("path", "query") else f"expected 'path' or 'query', got {v!r}",
        )
        ref = self.type_expr(
            items["type"], items["type"].value if items["type"].kind == "scalar" else None
        )
        if not where or ref is None:
            return None
        prefix = self.scalar(
            items,
            "prefix",
            str,
            "",
            lambda v: (
                ""
                if re.match(r"^[A-Za-z0-9]+(/[A-Za-z0-9]+)*/$", v)
                else f"invalid prefix {v!r}: expected a path ending in '/' like 'models/'"
            ),
        )
        if prefix and where != "path":
            self.problem(items["prefix"], "'prefix' applies only to path parameters")
        return Parameter(
            name=name,
            location=where,  # type: ignore[arg-type]  # checked above
            type=ref,
            description=self.text(items, "description"),
            required=where == "path" or self.flag(items, "required"),
            repeated=self.flag(items, "repeated"),
            prefix=prefix,
            deprecated=self.flag(items, "deprecated"),
            loc=node.loc,
        )


def parse_type(text: str) -> TypeRef | None:
    """`list[map[Part]]` -> TypeRef; None when the text is not a type expression (or is nested
    more than MAX_TYPE_NESTING levels)."""
    if len(_CONTAINER.findall(text)) > MAX_TYPE_NESTING:
        return None
    m = _LIST_OR_MAP.match(text)
    if m:
        item = parse_type(m.group(2).strip())
        return TypeRef(m.group(1), item=item) if item else None  # type: ignore[arg-type]
    if text in PRIMITIVES:
        return TypeRef("primitive", text)
    if naming.TYPE_NAME.match(text):
        return TypeRef("named", text)
    return None
