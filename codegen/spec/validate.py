"""Cross-reference checks over a loaded spec: names resolve, paths match parameters, traits fit,
and no two things get the same Python name."""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable

from .. import naming
from .errors import Problem, SpecError, did_you_mean
from .model import EnumType, Field, Location, Method, ObjectType, Spec, TypeRef

# `long_running.response`/`metadata` may be a type name or a free-form JSON object.
LONG_RUNNING_FREE_FORM = frozenset({"object"})

_PLACEHOLDER = re.compile(r"\{(\+?)([A-Za-z][A-Za-z0-9_]*)\}")


def path_placeholders(path: str) -> list[str]:
    """`v1beta/{+model}:generateContent` -> ['model']."""
    return [m.group(2) for m in _PLACEHOLDER.finditer(path)]


def validate(spec: Spec) -> None:
    """Raise `SpecError` with every cross-reference problem of the spec."""
    problems: list[Problem] = []
    _Validator(spec, problems).run()
    if problems:
        raise SpecError(problems)


class _Validator:
    def __init__(self, spec: Spec, problems: list[Problem]) -> None:
        self.spec = spec
        self.problems = problems

    def at(self, path: str, fallback: Location, message: str) -> None:
        loc = self.spec.locations.get(path) or Location(fallback.file, fallback.line, path)
        self.problems.append(Problem(loc, message))

    def run(self) -> None:
        if not self.spec.types:
            self.problems.append(
                Problem(
                    Location(self.spec.service.loc.file, self.spec.service.loc.line, "types"),
                    "the spec defines no types; a client needs at least one (a file with 'types:')",
                )
            )
        for name, t in self.spec.types.items():
            if keyword.iskeyword(name):
                self.problems.append(
                    Problem(t.loc, f"'{name}' is a Python keyword: it cannot name a type")
                )
            if isinstance(t, ObjectType):
                self.object_type(t)
            else:
                self.enum_type(t)
        self.unique(
            ((naming.type_name(n), t.loc) for n, t in self.spec.types.items()), "Python class"
        )
        self.unique(
            ((naming.resource_attr(n), r.loc) for n, r in self.spec.resources.items()),
            "client attribute",
        )
        every = list(self.spec.all_resources())
        self.unique(((naming.resource_class(p), r.loc) for p, r in every), "resource class")
        self.unique(((naming.resource_module(p), r.loc) for p, r in every), "resource module")
        for _, r in every:
            # Methods and nested resources share the resource class's attribute namespace.
            self.unique(
                [(naming.method_name(m.name), m.loc) for m in r.methods]
                + [(naming.resource_attr(c.name), c.loc) for c in r.resources],
                "Python method or attribute",
            )
            for m in r.methods:
                self.method(m)
        self.required_cycles()

    def required_cycles(self) -> None:
        """A cycle of required fields (A requires a B, B requires an A) has no finite value: no
        request holding one can be built. Each cycle is reported once, at its first field."""
        edges: dict[str, list[Field]] = {}
        for name in sorted(self.spec.types):
            t = self.spec.types[name]
            if isinstance(t, ObjectType):
                edges[name] = [
                    f
                    for f in t.fields
                    if f.required
                    and not f.output_only
                    and f.type.kind == "named"
                    and isinstance(self.spec.types.get(f.type.name), ObjectType)
                ]
        done: set[str] = set()
        for start in edges:  # in name order: a cycle is named from the first type reached
            if start in done:
                continue
            # Depth-first with an explicit stack; `trail` holds the (type, field) edges to the top.
            trail: list[tuple[str, Field]] = []
            on_path = {start}
            stack = [(start, iter(edges[start]))]
            while stack:
                name, pending = stack[-1]
                f = next(pending, None)
                if f is None:
                    stack.pop()
                    on_path.discard(name)
                    done.add(name)
                    if stack:
                        trail.pop()
                elif f.type.name in on_path:
                    path = [*trail, (name, f)]
                    first = next(i for i, (n, _) in enumerate(path) if n == f.type.name)
                    self.report_cycle(path[first:])
                elif f.type.name not in done:
                    trail.append((name, f))
                    on_path.add(f.type.name)
                    stack.append((f.type.name, iter(edges[f.type.name])))

    def report_cycle(self, cycle: list[tuple[str, Field]]) -> None:
        chain = " -> ".join(f"{n}.{f.name}" for n, f in cycle) + f" -> {cycle[0][0]}"
        first = cycle[0][1]
        self.problems.append(
            Problem(
                first.loc,
                f"required fields form a cycle ({chain}): no {cycle[0][0]} can ever be built; make one of them optional",
            )
        )

    def unique(self, names: Iterable[tuple[str, Location]], what: str) -> None:
        """Each Python name once: a second bearer is reported with where the first one is."""
        seen: dict[str, Location] = {}
        for name, loc in names:
            if name in seen:
                self.problems.append(
                    Problem(
                        loc,
                        f"{what} '{name}' is also the name of {seen[name].path} ({seen[name].file_line})",
                    )
                )
            else:
                seen[name] = loc

    def type_ref(self, ref: TypeRef, path: str, fallback: Location) -> None:
        name = ref.named()
        if name is not None and name not in self.spec.types:
            self.at(path, fallback, f"unknown type '{name}'{did_you_mean(name, self.spec.types)}")

    def named(
        self, name: str | None, path: str, fallback: Location, kind: type | None = ObjectType
    ) -> None:
        if name is None:
            return
        t = self.spec.types.get(name)
        if t is None:
            self.at(path, fallback, f"unknown type '{name}'{did_you_mean(name, self.spec.types)}")
        elif kind is not None and not isinstance(t, kind):
            self.at(path, fallback, f"'{name}' is an enum; expected an object type")

    def object_type(self, t: ObjectType) -> None:
        for f in t.fields:
            self.type_ref(
                f.type,
                f"{f.loc.path}.type" if f.loc.path + ".type" in self.spec.locations else f.loc.path,
                f.loc,
            )
        self.unique(((naming.field_name(f.name), f.loc) for f in t.fields), "Python attribute")

    def enum_type(self, t: EnumType) -> None:
        if not t.values:
            self.problems.append(Problem(t.loc, "an enum needs at least one value"))
        self.unique(((naming.enum_member(v.name), v.loc) for v in t.values), "enum member")

    def method(self, m: Method) -> None:
        base = m.loc.path
        self.named(m.request, f"{base}.request", m.loc)
        self.named(m.response, f"{base}.response", m.loc)
        placeholders = path_placeholders(m.path)
        for p in m.parameters:
            ppath = f"{p.loc.path}.type"
            self.type_ref(p.type, ppath, p.loc)
            target = self.spec.types.get(p.type.named() or "")
            if isinstance(target, ObjectType):
                self.at(
                    ppath,
                    p.loc,
                    f"a parameter takes a primitive or an enum, not the object type '{target.name}'",
                )
            if p.location == "path" and p.name not in placeholders:
                self.at(
                    p.loc.path,
                    p.loc,
                    f"path parameter '{p.name}' does not appear in the path '{m.path}'",
                )
            if p.location == "query" and p.name in placeholders:
                self.at(
                    p.loc.path, p.loc, f"'{p.name}' appears in the path, so it must be 'in: path'"
                )
        declared = {p.name for p in m.parameters}
        for name in placeholders:
            if name not in declared:
                self.at(
                    f"{base}.http",
                    m.loc,
                    f"the path names '{{{name}}}' but no parameter '{name}' is declared",
                )
        if len(set(placeholders)) != len(placeholders):
            self.at(f"{base}.http", m.loc, "the path names a parameter twice")
        self.kwargs(m)
        self.traits(m)

    def kwargs(self, m: Method) -> None:
        """Parameters and request-body fields share one keyword namespace in Python."""
        names = [(naming.param_name(p.name), p.loc) for p in m.parameters]
        request = self.spec.types.get(m.request or "")
        if isinstance(request, ObjectType):
            path_names = {p.name for p in m.parameters if p.location == "path"}
            names += [
                (naming.param_name(f.name), f.loc)
                for f in request.fields
                if f.name not in path_names
            ]
        if m.upload:  # the generated upload method's own keywords come first
            where = Location(m.loc.file, m.loc.line, f"{m.loc.path}.upload")
            names = [("media", where), ("media_type", where)] + names
        self.unique(names, f"keyword argument of {m.name}()")

    def stream_flag(self, m: Method) -> None:
        """`stream_flag` needs `streaming` and a name no keyword argument of the method has."""
        where = f"{m.loc.path}.stream_flag"
        if not m.streaming:
            self.at(where, m.loc, "'stream_flag' needs 'streaming: true'")
        request = self.spec.types.get(m.request or "")
        taken = [p.name for p in m.parameters]
        if isinstance(request, ObjectType):
            taken += [f.name for f in request.fields]
        if m.stream_flag in taken:
            self.at(
                where,
                m.loc,
                f"'{m.stream_flag}' is already a parameter or request field of {m.name}; the method sets it itself",
            )

    def traits(self, m: Method) -> None:
        base = m.loc.path
        traits = [
            t
            for t, on in (
                ("streaming", m.streaming),
                ("paginated", m.pagination),
                ("long_running", m.long_running),
                ("download", m.download),
            )
            if on
        ]
        if len(traits) > 1:
            self.at(
                f"{base}.{traits[1]}", m.loc, f"'{traits[0]}' and '{traits[1]}' cannot be combined"
            )
        if m.pagination is not None:
            pg = m.pagination
            response = self.spec.types.get(m.response or "")
            if m.response is None:
                self.at(f"{base}.paginated", m.loc, "a paginated method needs a 'response' type")
            elif isinstance(response, ObjectType):
                items = response.field(pg.items)
                if items is None or items.type.kind != "list":
                    self.at(
                        f"{base}.paginated.items",
                        m.loc,
                        f"'{pg.items}' is not a list field of {response.name}{did_you_mean(pg.items, [f.name for f in response.fields])}",
                    )
                if response.field(pg.next_page_token) is None:
                    self.at(
                        f"{base}.paginated",
                        m.loc,
                        f"{response.name} has no field '{pg.next_page_token}' for the next page token",
                    )
            token = m.parameter(pg.page_token)
            if token is None or token.location != "query":
                self.at(
                    f"{base}.paginated",
                    m.loc,
                    f"a paginated method needs the query parameter '{pg.page_token}'",
                )
        if m.long_running is not None:
            for key in ("response", "metadata"):
                name = getattr(m.long_running, key)
                if name == "":
                    self.at(
                        f"{base}.long_running.{key}",
                        m.loc,
                        "empty: name the type the operation holds, or 'object' (free-form)",
                    )
                elif name is not None and name not in LONG_RUNNING_FREE_FORM:
                    self.named(name, f"{base}.long_running.{key}", m.loc, None)
        if m.stream_flag:
            self.stream_flag(m)
        if m.upload and (m.streaming or m.pagination or m.download):
            self.at(f"{base}.upload", m.loc, "'upload' combines only with 'long_running'")
        if m.upload and m.http_method not in ("POST", "PUT", "PATCH"):
            self.at(f"{base}.upload", m.loc, "an upload sends a body: use POST, PUT or PATCH")
        if m.download and m.http_method != "GET":
            self.at(f"{base}.download", m.loc, "a download is a GET")
        if m.download and (m.response is not None or m.request is not None):
            self.at(base, m.loc, "a download returns bytes: it has no 'request' or 'response'")
        if m.response is None and not m.download:
            self.at(base, m.loc, "a method needs a 'response' type (the chunk type when streaming)")
