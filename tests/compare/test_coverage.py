"""Every trait of the spec model is compared by some rule of each check, or left alone on purpose.

For every attribute of every node class of `codegen.spec.model` (found by introspection, so a trait
added to the model later is covered the day it is added), one node of the real spec that has it is
changed, and each check must report something: `codegen diff` (spec -> changed spec) and
`codegen drift` (the changed spec standing for the API). What a check leaves alone on purpose is
listed, with why, in `codegen.compare.rules.NOT_COMPARED`; that list must stay true as well.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from codegen.compare.match import rename_ref
from codegen.compare.rules import NOT_COMPARED, Check
from codegen.diff.compare import diff
from codegen.diff.sources import Side
from codegen.drift.compare import compare
from codegen.spec import model
from codegen.spec.loader import load_spec
from codegen.spec.model import (
    EnumType,
    EnumValue,
    Field,
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

ROOT = Path(__file__).resolve().parents[2]
SPEC = load_spec(ROOT / "spec")


def _as_api(spec: Spec) -> Spec:
    """The spec as drift meets the API: each type under Google's name (its `discovery:`), no
    `discovery:` keys."""
    google = {n: t.discovery for n, t in spec.types.items() if t.discovery}
    # A spec type whose name Google uses for another type is under some other name in the API
    # (the spec's enum `Source` is an inline enum of Discovery's, named after its field).
    claimed = set(google.values())
    google.update({n: f"{n}Inline" for n in spec.types if n in claimed and n not in google})

    def ref(r: TypeRef) -> TypeRef:
        return rename_ref(r, lambda n: google.get(n, n))

    def name(n: str | None) -> str | None:
        return google.get(n, n) if n else n

    def method(m: Method) -> Method:
        lr = m.long_running
        return replace(
            m,
            request=name(m.request),
            response=name(m.response),
            parameters=tuple(replace(p, type=ref(p.type)) for p in m.parameters),
            long_running=lr
            and replace(lr, response=name(lr.response) or "", metadata=name(lr.metadata)),
        )

    def resource(r: Resource) -> Resource:
        return replace(
            r,
            methods=tuple(method(m) for m in r.methods),
            resources=tuple(resource(x) for x in r.resources),
        )

    types: dict[str, TypeDef] = {}
    for n, t in spec.types.items():
        if isinstance(t, ObjectType):
            t = replace(t, fields=tuple(replace(f, type=ref(f.type)) for f in t.fields))
        types[google.get(n, n)] = replace(t, name=google.get(n, n), discovery="")
    return replace(spec, types=types, resources={k: resource(r) for k, r in spec.resources.items()})


API = _as_api(SPEC)
NODES = (Service, Resource, Method, Parameter, Pagination, LongRunning, ObjectType, Field, EnumType)
NODES += (EnumValue,)
SKIP = {"loc", "name"}  # where a node is written; a name change is an addition and a removal


def traits() -> Iterator[str]:
    for cls in NODES:
        for f in dataclasses.fields(cls):
            if f.name not in SKIP:
                yield f"{cls.__name__}.{f.name}"


def test_the_spec_as_the_api_has_no_drift() -> None:
    assert compare(API, SPEC) == []


def test_every_node_class_of_the_model_is_walked() -> None:
    """A node class added to the model must be added here (and compared) too."""
    classes = {
        c
        for c in vars(model).values()
        if isinstance(c, type) and dataclasses.is_dataclass(c) and c.__module__ == model.__name__
    }
    assert classes - set(NODES) == {model.Location, model.TypeRef, Spec}


def _other(value: Any, attr: str) -> Any:
    """A different value of the same trait."""
    if isinstance(value, bool):
        return not value
    if attr == "http_method":
        return "PUT" if value != "PUT" else "POST"
    if attr == "location":
        return "query" if value == "path" else "path"
    if isinstance(value, TypeRef):
        return TypeRef("primitive", "bytes" if value != TypeRef("primitive", "bytes") else "int64")
    if isinstance(value, tuple):
        return value[1:]
    if attr == "pagination":
        return Pagination("models") if value is None else None
    if attr == "long_running":
        return LongRunning("Model") if value is None else None
    if isinstance(value, str) or value is None:
        if attr in ("request", "response", "metadata"):
            return "Empty" if value != "Empty" else "Model"
        return f"{value or ''}Changed"
    raise AssertionError(f"no other value for {attr}={value!r}")


def _nodes(spec: Spec) -> Iterator[tuple[object, Callable[[object], Spec]]]:
    """Every node of `spec` with a function that rebuilds `spec` with the node replaced."""
    yield spec.service, lambda n: replace(spec, service=n)  # type: ignore[arg-type]
    for name, t in spec.types.items():

        def put_type(n: object, name: str = name) -> Spec:
            return replace(spec, types={**spec.types, name: n})  # type: ignore[dict-item]

        yield t, put_type
        members = t.fields if isinstance(t, ObjectType) else t.values
        attr = "fields" if isinstance(t, ObjectType) else "values"
        for i, m in enumerate(members):

            def put_member(n: object, t: Any = t, i: int = i, attr: str = attr) -> Spec:
                items = list(getattr(t, attr))
                items[i] = n
                return replace(
                    spec, types={**spec.types, t.name: replace(t, **{attr: tuple(items)})}
                )

            yield m, put_member
    for rname, r in spec.resources.items():  # top-level resources: enough to reach every trait

        def put_resource(n: object, rname: str = rname) -> Spec:
            return replace(spec, resources={**spec.resources, rname: n})  # type: ignore[dict-item]

        yield r, put_resource
        for i, m in enumerate(r.methods):

            def put_method(n: object, r: Resource = r, i: int = i) -> Spec:
                methods = list(r.methods)
                methods[i] = n  # type: ignore[call-overload]
                return replace(
                    spec, resources={**spec.resources, r.name: replace(r, methods=tuple(methods))}
                )

            yield m, put_method
            for part in (m.pagination, m.long_running):
                if part is not None:

                    def put_part(n: object, m: Method = m, put: Any = put_method) -> Spec:
                        key = "pagination" if isinstance(n, Pagination) else "long_running"
                        return put(replace(m, **{key: n}))

                    yield part, put_part
            for j, p in enumerate(m.parameters):

                def put_param(n: object, m: Method = m, j: int = j, put: Any = put_method) -> Spec:
                    params = list(m.parameters)
                    params[j] = n
                    return put(replace(m, parameters=tuple(params)))

                yield p, put_param


def _changed(trait: str, spec: Spec) -> list[Spec]:
    """`spec` with `trait` changed on (up to 2 of) the nodes that have it set."""
    cls_name, attr = trait.split(".")
    out = []
    for node, put in _nodes(spec):
        if type(node).__name__ != cls_name:
            continue
        value = getattr(node, attr)
        if value == ():
            continue  # nothing to take away
        if (
            isinstance(node, Parameter)
            and attr == "prefix"
            and (not value or node.location != "path")
        ):
            continue  # a prefix only means something on a path parameter
        out.append(put(replace(node, **{attr: _other(value, attr)})))  # type: ignore[type-var]
        if len(out) == 2:
            break
    assert out, f"no node of the real spec has {trait}"
    return out


def _found(check: Check, changed: Spec) -> list[str]:
    if check == "diff":
        return [c.rule for c in diff(Side("base", SPEC), Side("head", changed))]
    return [f.kind for f in compare(changed, SPEC)]  # `changed` stands for the API


def _left_alone(check: Check, trait: str) -> bool:
    cls_name, attr = trait.split(".")
    return any(k in NOT_COMPARED[check] for k in (trait, f"{cls_name}.*", f"*.{attr}"))


@pytest.mark.parametrize("check", ["diff", "drift"])
@pytest.mark.parametrize("trait", sorted(traits()))
def test_every_trait_is_compared_or_left_alone_on_purpose(check: Check, trait: str) -> None:
    for changed in _changed(trait, SPEC if check == "diff" else API):
        found = _found(check, changed)
        if _left_alone(check, trait):
            assert found == [], f"{check} compares {trait} after all: {found}"
        else:
            assert found, f"{check} reports no change of {trait}"


@pytest.mark.parametrize("check", ["diff", "drift"])
def test_what_is_left_alone_names_real_traits_and_says_why(check: Check) -> None:
    known = set(traits())
    classes = {t.split(".")[0] for t in known}
    attrs = {t.split(".")[1] for t in known}
    for key, why in NOT_COMPARED[check].items():
        cls_name, attr = key.split(".")
        assert (
            key in known
            or (attr == "*" and cls_name in classes)
            or (cls_name == "*" and attr in attrs)
        ), key
        assert why and why.strip() == why, key
