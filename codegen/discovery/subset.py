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


def select(
    spec: Spec, methods: Mapping[str, Sequence[str] | None], *, exclude: Iterable[str] = ()
) -> Spec:
    """The spec with only the selected methods and the types they reach.

    `methods` maps a resource's dotted path (`tunedModels.permissions`) to its method names, in
    that order, or to None for all of them; the parents of a selected resource are kept (with only
    their selected methods). `exclude` names methods to drop (`models.generateText`).
    """
    wanted: dict[str, list[Method]] = {}
    every = dict(_walk(spec))
    for path, mnames in methods.items():
        r = every.get(path)
        if r is None:
            raise SubsetError(f"no resource {path!r} (have: {', '.join(every)})")
        if mnames is None:
            picked = list(r.methods)
        else:
            picked = []
            for mname in mnames:
                m = r.method(mname)
                if m is None:
                    raise SubsetError(f"resource {path!r} has no method {mname!r}")
                picked.append(m)
        wanted[path] = [m for m in picked if f"{path}.{m.name}" not in set(exclude)]
    roots = [n for ms in wanted.values() for m in ms for n in method_roots(m)]

    def keep(r: Resource, path: str) -> Resource | None:
        children = tuple(
            c for c in (keep(c, f"{path}.{c.name}") for c in r.resources) if c is not None
        )
        if path not in wanted and not children:
            return None
        return replace(r, methods=tuple(wanted.get(path, ())), resources=children)

    resources = {
        name: kept for name, r in spec.resources.items() if (kept := keep(r, name)) is not None
    }
    types = reachable(spec, roots)
    return replace(spec, types={n: spec.types[n] for n in types}, resources=resources)


def everything(spec: Spec) -> dict[str, None]:
    """A selection of every resource (nested ones included) with all its methods."""
    return {path: None for path, _ in _walk(spec)}


def _walk(spec: Spec) -> Iterable[tuple[str, Resource]]:
    for r in spec.resources.values():
        yield from r.walk()


def _named(ref: TypeRef) -> str | None:
    return ref.named()
