"""Cut a spec down to some methods and every type they reach."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from codegen.spec.model import Method, ObjectType, Resource, Spec, TypeRef


class SubsetError(Exception):
    """A requested resource or method does not exist."""


def method_roots(m: Method) -> list[str]:
    """The named types a method mentions directly."""
    roots = [n for n in (m.request, m.response) if n]
    if m.long_running is not None:
        roots += [n for n in (m.long_running.response, m.long_running.metadata) if n]
    roots += [n for p in m.parameters if (n := p.type.named())]
    return roots


def reachable(spec: Spec, roots: Iterable[str]) -> list[str]:
    """Names of the types reachable from `roots` through fields, in `spec.types` order.

    Names that are not types of `spec` are ignored (a dangling name is the validator's business).
    """
    seen: set[str] = set()
    todo = [r for r in roots if r in spec.types]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        t = spec.types[name]
        if isinstance(t, ObjectType):
            for f in t.fields:
                n = _named(f.type)
                if n is not None and n in spec.types and n not in seen:
                    todo.append(n)
    return [n for n in spec.types if n in seen]


def select(spec: Spec, methods: Mapping[str, Sequence[str]]) -> Spec:
    """The spec with only `methods` ({resource: [method, ...]}, in that order) and the types they reach."""
    resources: dict[str, Resource] = {}
    roots: list[str] = []
    for rname, mnames in methods.items():
        r = spec.resources.get(rname)
        if r is None:
            raise SubsetError(f"no resource {rname!r} (have: {', '.join(spec.resources)})")
        picked = []
        for mname in mnames:
            m = r.method(mname)
            if m is None:
                raise SubsetError(f"resource {rname!r} has no method {mname!r}")
            picked.append(m)
            roots += method_roots(m)
        resources[rname] = replace(r, methods=tuple(picked))
    keep = reachable(spec, roots)
    return replace(spec, types={n: spec.types[n] for n in keep}, resources=resources)


def _named(ref: TypeRef) -> str | None:
    return ref.named()
