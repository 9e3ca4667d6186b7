"""Drift sees every resource: nested ones, new ones (with the whole block to paste), lost ones.

Specs here are built from nested `Resource` objects directly, and the API side both nested and flat
with dotted names (what today's normaliser produces), which must give the same findings.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import yaml

from codegen.drift.compare import compare, resource_tree
from codegen.drift.report import snippets
from codegen.spec.model import (
    Field,
    Location,
    LongRunning,
    Method,
    ObjectType,
    Resource,
    Service,
    Spec,
    TypeRef,
)

SERVICE = Service(
    "generativelanguage",
    "t",
    "https://x",
    "v1beta",
    "x-goog-api-key",
    loc=Location("spec/service.yaml", 3, "service"),
)
STR = TypeRef("primitive", "string")
THING = ObjectType("Thing", (Field("name", STR),))
PERM = ObjectType("Permission", (Field("role", STR),))


def get(name: str = "get", response: str = "Thing") -> Method:
    return Method(name, "GET", f"v1beta/{{+name}}:{name}", (), None, response)


def spec_of(*resources: Resource, types: tuple[ObjectType, ...] = (THING, PERM)) -> Spec:
    """A spec as the loader would give it: nested resources, every resource's YAML path located."""
    locations: dict[str, Location] = {"service": SERVICE.loc}
    out = {}
    line = 10

    def locate(r: Resource, ypath: str) -> Resource:
        nonlocal line
        line += 1
        loc = Location("spec/things.yaml", line, ypath)
        locations[ypath] = loc
        if r.methods:
            locations[f"{ypath}.methods"] = Location(
                "spec/things.yaml", line + 1, f"{ypath}.methods"
            )
        if r.resources:
            locations[f"{ypath}.resources"] = Location(
                "spec/things.yaml", line + 2, f"{ypath}.resources"
            )
        kids = tuple(locate(c, f"{ypath}.resources.{c.name}") for c in r.resources)
        return replace(r, loc=loc, resources=kids)

    for r in resources:
        out[r.name] = locate(r, f"resources.{r.name}")
    for t in types:
        locations[f"types.{t.name}"] = Location("spec/things.yaml", 1, f"types.{t.name}")
    return Spec(SERVICE, {t.name: t for t in types}, out, locations)


def flat(spec: Spec) -> Spec:
    """The same API as today's normaliser gives it: flat resources named by dotted path."""
    return replace(
        spec, resources={p: replace(r, name=p, resources=()) for p, r in spec.all_resources()}
    )


def found(api: Spec, spec: Spec) -> set[tuple[str, str]]:
    nested = {(f.kind, f.key) for f in compare(api, spec)}
    assert {(f.kind, f.key) for f in compare(flat(api), spec)} == nested
    return nested


TUNED = Resource(
    "tunedModels", (get(),), resources=(Resource("permissions", (get("list", "Permission"),)),)
)


def test_nested_and_flat_trees_are_the_same() -> None:
    api = spec_of(TUNED)
    assert (
        list(resource_tree(api))
        == list(resource_tree(flat(api)))
        == ["tunedModels", "tunedModels.permissions"]
    )
    assert compare(api, spec_of(TUNED)) == []


def test_a_method_added_to_a_nested_resource() -> None:
    perms = replace(TUNED.resources[0], methods=(get("list", "Permission"), get("delete")))
    api = spec_of(replace(TUNED, resources=(perms,)))
    [f] = compare(api, spec_of(TUNED))
    assert (f.kind, f.key) == ("method-missing", "tunedModels.permissions.delete")
    assert (
        f.suggestion is not None
        and f.suggestion.key == "resources.tunedModels.resources.permissions.methods"
    )
    assert f.spec_location == "spec/things.yaml:13"  # the nested resource's methods:


def test_a_nested_resource_the_spec_lacks_is_one_finding_with_its_whole_block() -> None:
    ops = Resource("operations", (get("get"), get("cancel")), "Long-running operations.")
    deep = replace(TUNED.resources[0], resources=(ops,))
    api = spec_of(replace(TUNED, resources=(deep,)))
    spec = spec_of(replace(TUNED, resources=()))
    assert found(api, spec) == {("resource-missing", "tunedModels.permissions")}
    [f] = compare(api, spec)
    assert f.category == "new"
    assert (
        f.message == "the API has resource tunedModels.permissions (3 methods), the spec lacks it"
    )
    [s] = snippets([f])
    assert (s.file, s.key, s.note) == (
        "spec/things.yaml",
        "resources.tunedModels.resources",
        "add `resources:` to the resource",
    )
    block = yaml.safe_load(s.yaml)
    assert list(block["permissions"]["methods"]) == ["list"]
    assert list(block["permissions"]["resources"]["operations"]["methods"]) == ["get", "cancel"]
    assert s.yaml.startswith("      permissions:\n        methods:\n")


def test_a_new_top_level_resource_goes_to_its_own_file_with_its_types() -> None:
    api = spec_of(TUNED)
    spec = spec_of(types=(THING,))
    assert found(api, spec) == {("resource-missing", "tunedModels"), ("type-missing", "Permission")}
    by_kind = {f.kind: f for f in compare(api, spec)}
    assert by_kind["type-missing"].via == (
        "tunedModels",
    )  # ignoring the resource ignores its types
    [s] = snippets([by_kind["resource-missing"]])
    assert (s.file, s.key, s.note) == ("spec/tunedModels.yaml", "resources", "a new file")


def test_a_resource_the_api_lost_is_breaking_once() -> None:
    spec = spec_of(TUNED, Resource("models", (get("count"),)))
    api = spec_of(Resource("models", (get("count"),)))
    [f] = compare(api, spec)
    assert (f.kind, f.key, f.category) == ("resource-gone", "tunedModels", "breaking")
    assert f.message == "the spec has resource tunedModels (2 methods), the API does not"
    assert found(api, spec) == {("resource-gone", "tunedModels")}
    # A nested one lost alone.
    assert found(spec_of(replace(TUNED, resources=())), spec_of(TUNED)) == {
        ("resource-gone", "tunedModels.permissions")
    }


def test_a_long_running_method_in_a_new_resource_says_what_to_fill_in() -> None:
    lro = Method(
        "create", "POST", "v1beta/tunedModels", (), "Thing", "Thing", long_running=LongRunning("")
    )
    api = spec_of(Resource("tunedModels", (lro,)))
    [f] = [f for f in compare(api, spec_of()) if f.kind == "resource-missing"]
    [s] = snippets([f])
    assert "set long_running.response" in s.note
    # An empty long_running.response is a spec error: the block loads as a free-form object
    # until someone fills in the type, which the note asks for.
    assert "long_running:\n          response: object\n" in s.yaml


def test_hostile_resource_text_stays_inert_in_the_block() -> None:
    evil = Resource(
        "evil",
        (replace(get(), description="x\n  injected: true\n# {{ bad }} `rm -rf` \x1b[2J"),),
        "a: b",
    )
    [f] = compare(spec_of(evil), spec_of())
    [s] = snippets([f])
    data = yaml.safe_load(s.yaml)
    assert data["evil"]["description"] == "a: b"
    assert data["evil"]["methods"]["get"]["description"].startswith("x\n  injected: true")
    assert set(data["evil"]["methods"]["get"]) == {"http", "description", "response"}


def test_names_the_spec_cannot_spell_are_still_drift(spec: Spec, new_doc: dict[str, Any]) -> None:
    """What Google adds under a name the spec language cannot spell is reported (sync leaves it for
    a person), never silently dropped the way bootstrap drops it."""
    from codegen.drift.command import check_spec

    from .conftest import SPEC_DIR, discovery

    get = {"id": "x", "path": "v1beta/x", "httpMethod": "GET"}
    new_doc["resources"]["fine"] = {"methods": {"$(reboot)": get}}
    new_doc["resources"]["models"]["methods"]["x; import os"] = get
    result = check_spec(spec, discovery(new_doc), SPEC_DIR / "drift-ignore.yaml")
    found = {(f.kind, f.where) for f in result.outcome.drift}
    assert {("resource-missing", "fine"), ("method-missing", "models.x; import os")} <= found
    assert result.exit_code == 1
