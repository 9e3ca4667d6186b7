"""Compare the spec with the API (a Discovery document normalised into the same `Spec` model).

Pure: `compare(api, spec)` returns every difference as a `Finding` of a drift rule of the one
registry (`codegen.compare.rules`), worded by its template; ignore rules and formatting come later
(`ignore.py`, `report.py`).

How types are matched (`codegen.compare.match.TypeMatch`, through uses). Discovery gives inline enums made-up names that need not be the spec's, so
types are matched *through their uses*, never by name alone: the request and response of each
method both sides have, then the type of each field both sides have, then recursively. An enum is
matched with whatever enum the same field uses on the other side, whatever its name. An object
is matched likewise, unless the API's name is the name of *another* spec type (then the field's
type changed). Spec types no use reaches are then matched by name; a spec type still unmatched is
`type-gone`. API types that only new surface (a missing method or field, a changed type) reaches,
and the spec lacks, are `type-missing`.

Enum values are compared once per matched pair of enums, reported at the first (alphabetical)
field that uses the pair: `Candidate.finishReason: the API has enum value ESCALATION, ...`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypedDict, TypeVar

from codegen.spec.model import (
    EnumType,
    EnumValue,
    Field,
    Location,
    Method,
    ObjectType,
    Parameter,
    Resource,
    Spec,
    TypeDef,
    TypeRef,
)

from codegen.compare.match import TypeMatch, rename_ref

from .findings import KINDS, Finding, Subject, Suggestion
from .names import collision_name, google_name, shared_enum_values

S = TypeVar("S", bound=Subject)


def compare(
    api: Spec,
    spec: Spec,
    *,
    type_file: Callable[[str], str] | None = None,
    resource_file: Callable[[str], str] | None = None,
) -> list[Finding]:
    """Every difference between `api` (normalised Discovery) and `spec`, sorted and de-duplicated.

    `type_file(name) -> file` and `resource_file(name) -> file` say where a new type or top-level
    resource would go (default: `codegen.discovery.topics`).
    """
    from codegen.discovery import topics

    return _Compare(
        api, spec, type_file or topics.type_file, resource_file or topics.resource_file
    ).run()


@dataclass(frozen=True)
class Compared:
    """`compare`'s findings, and which API type each spec type was paired with."""

    findings: list[Finding]
    paired: dict[str, str]  # spec type -> API type
    in_spec_names: Callable[[TypeDef], TypeDef]  # an API type written in the spec's names


def compared(api: Spec, spec: Spec) -> Compared:
    """`compare(api, spec)` with the pairs it found (`codegen sync` adopts through them)."""
    from codegen.discovery import topics

    c = _Compare(api, spec, topics.type_file, topics.resource_file)
    findings = c.run()
    return Compared(findings, dict(c.s2a), c.in_spec_names)


def yaml_path(resource: str) -> str:
    """The YAML path of a resource: `tunedModels.permissions` -> `resources.tunedModels.resources.permissions`."""
    return ".".join(f"resources.{part}" for part in resource.split("."))


def resource_tree(spec: Spec) -> dict[str, Resource]:
    """Every resource by dotted path (`tunedModels.permissions`), each a nested `Resource` holding
    its whole subtree, whether `spec` holds them nested or flat under dotted names. A level that
    has only nested resources (`fileSearchStores.upload`) is an empty resource."""
    flat: dict[str, Resource] = {}
    for path, r in spec.all_resources():
        flat[path] = r
        parts = path.split(".")
        for i in range(1, len(parts)):
            above = ".".join(parts[:i])
            flat.setdefault(
                above, Resource(parts[i - 1], (), loc=replace(r.loc, path=yaml_path(above)))
            )
    order = {p: i for i, p in enumerate(flat)}
    out: dict[str, Resource] = {}
    for path in sorted(flat, key=lambda p: (-p.count("."), order[p])):
        r = flat[path]
        children = sorted((p for p in out if p.rpartition(".")[0] == path), key=lambda p: order[p])
        out[path] = replace(
            r, name=path.rpartition(".")[2], resources=tuple(out[c] for c in children)
        )
    return {p: out[p] for p in sorted(out, key=lambda p: order[p])}


def _leaf(ref: TypeRef) -> str | None:
    return ref.named()


class _Compare:
    def __init__(
        self,
        api: Spec,
        spec: Spec,
        type_file: Callable[[str], str],
        resource_file: Callable[[str], str],
    ) -> None:
        self.api = api
        self.spec = spec
        self.type_file = type_file
        self.resource_file = resource_file
        self.findings: list[Finding] = []
        self.match = TypeMatch(spec, api)  # spec types paired with API types through their uses
        self.a2s = self.match.head_to_base  # API type -> the first spec type matched with it
        self.s2a = self.match.base_to_head
        self.new_roots: list[tuple[str, str]] = []  # (API type, key of what brings it in)
        self.new_names: dict[str, str] = {}  # unmatched API type -> its name in the spec
        self.tops: dict[str, set[str]] | None = None  # spec file -> its top-level keys

    # -- helpers -----------------------------------------------------------------------------

    def sloc(self, path: str) -> str | None:
        loc = self.spec.where(path)
        return loc.file_line if loc.line > 0 else None

    def add(
        self,
        kind: str,
        where: str,
        spec_path: str | None,
        api_path: str | None,
        /,
        *,
        item: str = "",
        via: tuple[str, ...] = (),
        suggestion: Suggestion | None = None,
        **fields: str,
    ) -> None:
        """A finding of rule `kind`, its message the rule's template filled with `fields`."""
        self.findings.append(
            Finding(
                kind,
                where,
                KINDS[kind].format(**fields),
                self.sloc(spec_path) if spec_path else None,
                api_path or None,
                item,
                via,
                suggestion,
            )
        )

    def flags(self, table: str, where: str, path: str, s: object, a: object, api_path: str) -> None:
        """Boolean traits (required, repeated, output_only, deprecated) the spec and the API disagree on."""
        for attr, kind_on, kind_off in _FLAGS[table]:
            api_value = getattr(a, attr)
            if getattr(s, attr) != api_value:
                kind = kind_on if api_value else kind_off
                self.add(
                    kind, where, f"{path}.{attr}", api_path, **_flag_fields(kind, table, api_value)
                )

    def show_api(self, ref: TypeRef) -> str:
        """An API type expression, its named types in the spec's names where matched."""
        return str(self.match.in_base_names(ref))

    # -- matching types ----------------------------------------------------------------------

    def note_new(self, ref: TypeRef | None, via: str) -> None:
        """An API type brought in by `via`; a `type-missing` unless it gets matched."""
        name = _leaf(ref) if ref is not None else None
        if name is not None and name in self.api.types:
            self.new_roots.append((name, via))

    def drain(self) -> None:
        while self.match.queue:
            s, a = self.match.queue.pop(0)
            st, at = self.spec.types[s], self.api.types[a]
            if st.deprecated != at.deprecated:
                self.add(
                    "type-deprecated-changed",
                    s,
                    f"types.{s}",
                    at.loc.path,
                    **_deprecated("type", at.deprecated),
                )
            if isinstance(st, ObjectType) and isinstance(at, ObjectType):
                self.objects(st, at)

    # -- entry -------------------------------------------------------------------------------

    def run(self) -> list[Finding]:
        spec_res, api_res = resource_tree(self.spec), resource_tree(self.api)
        for path, r in spec_res.items():
            ar = api_res.get(path)
            if ar is None:
                self.resource_gone(path, r, spec_res, api_res)
                continue
            rpath = yaml_path(path)
            for m in r.methods:
                am = ar.method(m.name)
                where = f"{path}.{m.name}"
                if am is None:
                    self.add(
                        "method-gone",
                        where,
                        f"{rpath}.methods.{m.name}",
                        ar.loc.path,
                        http=f"{m.http_method} {m.path}",
                    )
                else:
                    self.method(path, m, am)
            for am in ar.methods:
                if r.method(am.name) is None:
                    where = f"{path}.{am.name}"
                    self.add(
                        "method-missing",
                        where,
                        f"{rpath}.methods",
                        am.loc.path,
                        http=f"{am.http_method} {am.path}",
                        suggestion=Suggestion(
                            r.loc.file,
                            f"{rpath}.methods",
                            am,
                            ""
                            if f"{rpath}.methods" in self.spec.locations
                            else "add `methods:` to the resource",
                        ),
                    )
                    for ref in _method_refs(am):
                        self.note_new(ref, where)
        for path, ar in api_res.items():
            if path not in spec_res:
                self.resource_missing(path, ar, spec_res, api_res)
        self.drain()
        # Spec types no method reaches: match them by name.
        for name, st in self.spec.types.items():
            gname = google_name(st)
            if name not in self.s2a and gname in self.api.types and gname not in self.a2s:
                self.match.link(name, gname, None)
                self.drain()
        for s, a in self.match.renamed:
            self.add("type-renamed", s, f"types.{s}", self.api.types[a].loc.path, new=a)
        self.types_gone()
        self.types_missing()
        self.enum_values()
        return self.finish()

    # -- resources ---------------------------------------------------------------------------

    def resource_gone(
        self, path: str, r: Resource, spec_res: dict[str, Resource], api_res: dict[str, Resource]
    ) -> None:
        parent = path.rpartition(".")[0]
        if parent and parent not in api_res:
            return  # reported once, at the outermost resource the API lost
        self.add(
            "resource-gone",
            path,
            yaml_path(path),
            api_res[parent].loc.path if parent else "resources",
            name=path,
            methods=_methods(r),
        )

    def resource_missing(
        self, path: str, ar: Resource, spec_res: dict[str, Resource], api_res: dict[str, Resource]
    ) -> None:
        parent = path.rpartition(".")[0]
        if parent and parent not in spec_res:
            return  # part of the block of the outermost resource the spec lacks
        if parent:
            key = f"{yaml_path(parent)}.resources"
            file = spec_res[parent].loc.file
            note = "" if key in self.spec.locations else "add `resources:` to the resource"
        else:
            key = "resources"
            file = self.spec_file(self.resource_file(path))
            note = self.file_note(file, "resources")
        self.add(
            "resource-missing",
            path,
            yaml_path(parent) if parent else None,
            ar.loc.path,
            suggestion=Suggestion(file, key, ar, note),
            name=path,
            methods=_methods(ar),
        )
        for _, x in ar.walk():
            for am in x.methods:
                for ref in _method_refs(am):
                    self.note_new(ref, path)

    def spec_file(self, name: str) -> str:
        """A file name in the spec's directory, as the spec's locations write it."""
        spec_dir = os.path.dirname(self.spec.service.loc.file) if self.spec.service.loc.line else ""
        return os.path.join(spec_dir, name)

    def file_note(self, file: str, top: str) -> str:
        """What a person must do before pasting under top-level key `top` of `file`."""
        if self.tops is None:  # each spec file's top-level keys, once
            self.tops = _tops(self.spec.locations)
        if file not in self.tops:
            return "a new file"
        if top not in self.tops[file]:
            return f"add `{top}:` to the file"
        return f"append it to the file's `{top}:`"

    # -- methods -----------------------------------------------------------------------------

    def method(self, rpath: str, m: Method, am: Method) -> None:
        where = f"{rpath}.{m.name}"
        mpath = f"{yaml_path(rpath)}.methods.{m.name}"
        if m.http_method != am.http_method:
            self.add(
                "http-method-changed",
                where,
                f"{mpath}.http",
                f"{am.loc.path}.httpMethod",
                old=m.http_method,
                new=am.http_method,
            )
        if m.path != am.path:
            self.add(
                "path-changed",
                where,
                f"{mpath}.http",
                f"{am.loc.path}.path",
                old=m.path,
                new=am.path,
            )
        for p in m.parameters:
            ap = am.parameter(p.name)
            if ap is None:
                self.add(
                    "param-gone",
                    f"{where}.{p.name}",
                    f"{mpath}.params.{p.name}",
                    f"{am.loc.path}.parameters",
                    location=p.location,
                    name=p.name,
                )
            else:
                self.param(where, mpath, p, ap)
        for ap in am.parameters:
            if m.parameter(ap.name) is None:
                pwhere = f"{where}.{ap.name}"
                self.add(
                    "required-param-missing" if ap.required else "param-missing",
                    pwhere,
                    f"{mpath}.params",
                    ap.loc.path,
                    location=ap.location,
                    name=ap.name,
                    type=self.show_api(ap.type),
                    suggestion=Suggestion(
                        m.loc.file,
                        f"{mpath}.params",
                        ap,
                        (
                            ""
                            if f"{mpath}.params" in self.spec.locations
                            else "add `params:` to the method"
                        ),
                    ),
                )
                self.note_new(ap.type, pwhere)
        self.body(where, mpath, "request", m.request, am.request, am.loc.path)
        self.body(where, mpath, "response", m.response, am.response, am.loc.path)
        self.shape(where, mpath, m, am)
        if m.deprecated != am.deprecated:
            self.add(
                "method-deprecated-changed",
                where,
                mpath,
                am.loc.path,
                **_deprecated("method", am.deprecated),
            )

    def param(self, mwhere: str, mpath: str, p: Parameter, ap: Parameter) -> None:
        where = f"{mwhere}.{p.name}"
        ppath = f"{mpath}.params.{p.name}"
        if p.location != ap.location:
            self.add(
                "param-location-changed",
                where,
                f"{ppath}.in",
                ap.loc.path,
                old=p.location,
                new=ap.location,
            )
        if not self.match.same_ref(p.type, ap.type, None):
            self.add(
                "param-type-changed",
                where,
                f"{ppath}.type",
                ap.loc.path,
                old=str(p.type),
                new=self.show_api(ap.type),
            )
            self.note_new(ap.type, where)
        self.flags("param", where, ppath, p, ap, ap.loc.path)

    def body(
        self, where: str, mpath: str, what: str, s: str | None, a: str | None, apath: str
    ) -> None:
        if s is None and a is None:
            return
        if s is not None and a is not None and self.match.link(s, a, None):
            return
        shown = self.a2s.get(a, a) if a is not None else None
        self.add(
            f"{what}-changed",
            where,
            f"{mpath}.{what}",
            f"{apath}.{what}",
            old=s or "none",
            new=shown or "none",
        )
        if a is not None:
            self.note_new(TypeRef("named", a), where)

    def shape(self, where: str, mpath: str, m: Method, am: Method) -> None:
        diffs = []
        if m.streaming != am.streaming:
            diffs.append(_says("streaming", am.streaming))
        if (m.pagination is None) != (am.pagination is None):
            diffs.append(_says("paginated", am.pagination is not None))
        elif m.pagination is not None and am.pagination is not None:
            if m.pagination.items != am.pagination.items:
                diffs.append(
                    f"the spec pages over {m.pagination.items}, the API over {am.pagination.items}"
                )
        if (m.long_running is None) != (am.long_running is None):
            diffs.append(_says("long-running", am.long_running is not None))
        if m.upload != am.upload:
            diffs.append(_says("a media upload", am.upload))
        if diffs:
            self.add("method-shape-changed", where, mpath, am.loc.path, details="; ".join(diffs))

    # -- objects and fields ------------------------------------------------------------------

    def objects(self, st: ObjectType, at: ObjectType) -> None:
        s = st.name
        for f in st.fields:
            af = at.field(f.name)
            if af is None:
                self.add(
                    "field-gone",
                    f"{s}.{f.name}",
                    f"types.{s}.fields.{f.name}",
                    f"{at.loc.path}.properties",
                    name=f.name,
                    type=str(f.type),
                )
            else:
                self.field(s, f, af)
        for af in at.fields:
            if st.field(af.name) is None:
                where = f"{s}.{af.name}"
                self.add(
                    "required-field-missing" if af.required else "field-missing",
                    where,
                    f"types.{s}.fields",
                    af.loc.path,
                    suggestion=Suggestion(st.loc.file, f"types.{s}.fields", af),
                    name=af.name,
                    type=self.show_api(af.type),
                )
                self.note_new(af.type, where)

    def field(self, s: str, f: Field, af: Field) -> None:
        where = f"{s}.{f.name}"
        fpath = f"types.{s}.fields.{f.name}"
        if not self.match.same_ref(f.type, af.type, where):
            self.add(
                "field-type-changed",
                where,
                f"{fpath}.type",
                af.loc.path,
                old=str(f.type),
                new=self.show_api(af.type),
            )
            self.note_new(af.type, where)
        self.flags("field", where, fpath, f, af, af.loc.path)

    # -- enums -------------------------------------------------------------------------------

    def enum_values(self) -> None:
        shared = shared_enum_values(self.match.pairs, self.api)
        for s, a in self.match.pairs:
            st, at = self.spec.types[s], self.api.types[a]
            if not (isinstance(st, EnumType) and isinstance(at, EnumType)):
                continue
            sites = self.match.sites.get((s, a))
            where = min(sites) if sites else s
            named = "" if not sites else f" (enum {s})"
            api_values = {v.name: v for v in at.values}
            spec_values = {v.name: v for v in st.values}
            for v in st.values:
                av = api_values.get(v.name)
                if av is None and v.name in shared.get(s, ()):
                    continue  # another field that shares the spec's enum has it
                if av is None:
                    self.add(
                        "enum-value-gone",
                        where,
                        f"types.{s}.enum.{v.name}",
                        at.loc.path,
                        item=v.name,
                        value=v.name,
                        enum=named,
                    )
                elif v.deprecated != av.deprecated:
                    self.add(
                        "enum-value-deprecated-changed",
                        where,
                        f"types.{s}.enum.{v.name}",
                        av.loc.path,
                        item=v.name,
                        **_deprecated(f"enum value {v.name}{named}", av.deprecated),
                    )
            for av in at.values:
                if av.name not in spec_values:
                    self.add(
                        "enum-value-missing",
                        where,
                        f"types.{s}.enum",
                        av.loc.path,
                        item=av.name,
                        suggestion=Suggestion(st.loc.file, f"types.{s}.enum", av),
                        value=av.name,
                        enum=named,
                    )

    # -- types only one side has -------------------------------------------------------------

    def types_gone(self) -> None:
        gone = [n for n in self.spec.types if n not in self.s2a]
        if not gone:
            return
        referrers: dict[str, list[str]] = {n: [] for n in gone}
        for t in self.spec.objects():
            for f in t.fields:
                leaf = _leaf(f.type)
                if leaf in referrers:
                    # An unmatched owner is itself type-gone: the field goes with it.
                    key = t.name if t.name not in self.s2a else f"{t.name}.{f.name}"
                    referrers[leaf].append(key)
        for path, r in self.spec.all_resources():
            for m in r.methods:
                for ref in _method_refs(m):
                    leaf = _leaf(ref)
                    if leaf in referrers:
                        referrers[leaf].append(f"{path}.{m.name}")
        for name in gone:
            self.add(
                "type-gone",
                name,
                f"types.{name}",
                None,
                via=tuple(sorted(set(referrers[name]) - {name})),
                kind=_what(self.spec.types[name]),
                name=name,
            )

    def types_missing(self) -> None:
        """API types new surface brings in that match no spec type, each with what brings it in."""
        vias: dict[str, list[str]] = {}
        todo = list(self.new_roots)
        while todo:
            a, via = todo.pop(0)
            if a in self.a2s:
                continue
            first = a not in vias
            vias.setdefault(a, []).append(via)
            if not first:
                continue
            t = self.api.types[a]
            if isinstance(t, ObjectType):
                for f in t.fields:
                    leaf = _leaf(f.type)
                    if leaf is not None and leaf in self.api.types:
                        todo.append((leaf, a))
        # Names for the new types: the API's, unless the spec already uses it for something else.
        taken = set(self.spec.types)
        for a in vias:
            name = collision_name(a, self.api.types[a], taken) or a  # None: the loader refuses it
            taken.add(name)
            self.new_names[a] = name
        for a, why in vias.items():
            t = self.api.types[a]
            name = self.new_names[a]
            self.add(
                "type-missing",
                name,
                None,
                t.loc.path,
                via=tuple(sorted({self.new_names.get(v, v) for v in why} - {name})),
                suggestion=self.type_home(name, t),
                kind=_what(t),
                name=name,
                aka="" if name == a else f" (the API calls it {a})",
            )

    def type_home(self, name: str, t: TypeDef) -> Suggestion:
        """Where a new type goes: its topic's file in the spec's directory, under `types`."""
        file = self.spec_file(self.type_file(name))
        return Suggestion(file, "types", t, self.file_note(file, "types"))

    # -- results -----------------------------------------------------------------------------

    def api_name(self, name: str) -> str:
        return self.a2s.get(name) or self.new_names.get(name, name)

    def in_spec_names(self, node: S) -> S:
        """An API node as it would be written in the spec: named types in the spec's names."""
        out: Subject
        if isinstance(node, Resource):
            out = replace(
                node,
                methods=tuple(self.in_spec_names(m) for m in node.methods),
                resources=tuple(self.in_spec_names(r) for r in node.resources),
            )
        elif isinstance(node, (Field, Parameter)):
            out = replace(node, type=rename_ref(node.type, self.api_name))
        elif isinstance(node, Method):
            out = replace(
                node,
                request=self.api_name(node.request) if node.request else None,
                response=self.api_name(node.response) if node.response else None,
                parameters=tuple(self.in_spec_names(p) for p in node.parameters),
            )
        elif isinstance(node, ObjectType):
            out = replace(
                node,
                name=self.api_name(node.name),
                fields=tuple(self.in_spec_names(f) for f in node.fields),
                discovery=node.name if self.api_name(node.name) != node.name else "",
            )
        elif isinstance(node, EnumType):
            out = replace(
                node,
                name=self.api_name(node.name),
                discovery=node.name if self.api_name(node.name) != node.name else "",
            )
        else:
            assert isinstance(node, EnumValue)
            out = node
        return out

    def finish(self) -> list[Finding]:
        seen: set[tuple[str, str, str, str]] = set()
        out = []
        for f in self.findings:
            if f.sort_key() in seen:
                continue
            seen.add(f.sort_key())
            if f.suggestion is not None:
                f = replace(
                    f, suggestion=replace(f.suggestion, node=self.in_spec_names(f.suggestion.node))
                )
            out.append(f)
        return sorted(out, key=Finding.sort_key)


def _method_refs(m: Method) -> list[TypeRef]:
    refs = [TypeRef("named", n) for n in (m.request, m.response) if n]
    return refs + [p.type for p in m.parameters]


def _says(what: str, api: bool) -> str:
    return (
        f"the API says {what}, the spec does not"
        if api
        else f"the spec says {what}, the API does not"
    )


# For each flag of a parameter or field: the finding kind when the API has the flag on and the
# spec off, then when the API has it off and the spec on.
_FLAGS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "param": (
        ("required", "param-now-required", "param-now-optional"),
        ("repeated", "param-repeated-changed", "param-repeated-changed"),
        ("deprecated", "param-deprecated-changed", "param-deprecated-changed"),
    ),
    "field": (
        ("required", "field-now-required", "field-now-optional"),
        ("output_only", "field-now-output-only", "field-now-settable"),
        ("deprecated", "field-deprecated-changed", "field-deprecated-changed"),
    ),
}
_FLAG_SUBJECTS = {"param": "parameter", "field": "field"}


def _tops(locations: dict[str, Location]) -> dict[str, set[str]]:
    """Each spec file's top-level keys, from the spec's locations (thousands); the last answer is
    kept for a process that compares the same spec object again (a script or a test that runs
    drift and sync in turn on a spec it loaded once)."""
    if _TOPS and _TOPS[0][0] is locations:
        return _TOPS[0][1]
    tops: dict[str, set[str]] = {}
    for file, top in {(lc.file, p.partition(".")[0]) for p, lc in locations.items()}:
        tops.setdefault(file, set()).add(top)
    _TOPS[:] = [(locations, tops)]
    return tops


# [(locations, what `_tops` made of them)]: holds the locations, so `is` is exact
_TOPS: list[tuple[dict[str, Location], dict[str, set[str]]]] = []


class _Flag(TypedDict, total=False):
    """Template fields of a flag's finding: who sets it (`on`), who does not (`off`), on what."""

    on: str
    off: str
    what: str


def _deprecated(what: str, api: bool) -> _Flag:
    on, off = ("API", "spec") if api else ("spec", "API")
    return _Flag(on=on, off=off, what=what)


def _flag_fields(kind: str, table: str, api: bool) -> _Flag:
    """Whichever of `on`/`off`/`what` the kind's template names."""
    values, wanted, out = _deprecated(_FLAG_SUBJECTS[table], api), KINDS[kind].fields, _Flag()
    if "on" in wanted:
        out["on"] = values["on"]
    if "off" in wanted:
        out["off"] = values["off"]
    if "what" in wanted:
        out["what"] = values["what"]
    return out


def _methods(r: Resource) -> str:
    """`3 methods`: the methods of a resource and of everything nested in it."""
    count = sum(len(x.methods) for _, x in r.walk())
    return f"{count} method{'s' if count != 1 else ''}"


def _what(t: TypeDef) -> str:
    return "enum" if isinstance(t, EnumType) else "type"
