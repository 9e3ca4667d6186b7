"""`compare` on small hand-built specs: the kinds no real-document mutation reaches, and matching rules."""

from __future__ import annotations

from dataclasses import replace

from codegen.drift.compare import compare
from codegen.spec.model import (
    EnumType,
    EnumValue,
    Field,
    Location,
    Method,
    ObjectType,
    Parameter,
    Resource,
    Service,
    Spec,
    TypeRef,
)

SERVICE = Service("generativelanguage", "t", "https://x", "v1beta", "x-goog-api-key")
STR = TypeRef("primitive", "string")


def named(n: str) -> TypeRef:
    return TypeRef("named", n)


def make(types: list[ObjectType | EnumType], methods: list[Method]) -> Spec:
    locations = {
        f"types.{t.name}": Location("spec/t.yaml", i + 1, f"types.{t.name}")
        for i, t in enumerate(types)
    }
    return Spec(
        SERVICE,
        {t.name: t for t in types},
        {
            "models": Resource(
                "models", tuple(methods), loc=Location("spec/m.yaml", 1, "resources.models")
            )
        },
        locations,
    )


def get(params: tuple[Parameter, ...] = (), response: str = "Thing") -> Method:
    return Method("get", "GET", "v1beta/{+name}", params, None, response)


def kinds(api: Spec, spec: Spec) -> set[tuple[str, str]]:
    return {(f.kind, f.key) for f in compare(api, spec)}


THING = ObjectType("Thing", (Field("name", STR),))


def test_identical_specs_have_no_findings() -> None:
    s = make([THING], [get()])
    assert compare(s, s) == []


def test_param_location_and_now_optional() -> None:
    p = Parameter("name", "path", STR, required=True)
    spec = make([THING], [get((p,))])
    api = make([THING], [get((replace(p, location="query", required=False),))])
    assert kinds(api, spec) == {
        ("param-location-changed", "models.get.name"),
        ("param-now-optional", "models.get.name"),
    }


def test_field_now_optional() -> None:
    spec = make([ObjectType("Thing", (Field("name", STR, required=True),))], [get()])
    api = make([THING], [get()])
    assert kinds(api, spec) == {("field-now-optional", "Thing.name")}


def test_enums_are_matched_through_the_field_whatever_their_names() -> None:
    spec_enum = EnumType("Colour", (EnumValue("RED"), EnumValue("BLUE")))
    api_enum = EnumType("ThingShade", (EnumValue("RED"), EnumValue("GREEN")))
    spec = make([ObjectType("Thing", (Field("shade", named("Colour")),)), spec_enum], [get()])
    api = make([ObjectType("Thing", (Field("shade", named("ThingShade")),)), api_enum], [get()])
    found = compare(api, spec)
    assert {(f.kind, f.key) for f in found} == {
        ("enum-value-gone", "Thing.shade.BLUE"),
        ("enum-value-missing", "Thing.shade.GREEN"),
    }
    # Enum names that differ are no finding; the message names the spec's enum.
    assert all("(enum Colour)" in f.message for f in found)


def test_one_spec_enum_split_in_two_by_the_api_reports_at_each_field() -> None:
    shared = EnumType("Level", (EnumValue("LOW"), EnumValue("HIGH")))
    spec = make(
        [ObjectType("Thing", (Field("a", named("Level")), Field("b", named("Level")))), shared],
        [get()],
    )
    api = make(
        [
            ObjectType("Thing", (Field("a", named("Level")), Field("b", named("Level2")))),
            shared,
            EnumType("Level2", (EnumValue("LOW"), EnumValue("HIGH"), EnumValue("MAX"))),
        ],
        [get()],
    )
    assert kinds(api, spec) == {("enum-value-missing", "Thing.b.MAX")}


def test_an_enum_shared_by_two_fields_is_reported_once_at_the_first_field() -> None:
    spec_enum = EnumType("Level", (EnumValue("LOW"),))
    api_enum = EnumType("Level", (EnumValue("LOW"), EnumValue("HIGH")))
    thing = ObjectType("Thing", (Field("z", named("Level")), Field("a", named("Level"))))
    found = compare(make([thing, api_enum], [get()]), make([thing, spec_enum], [get()]))
    assert [(f.kind, f.key) for f in found] == [("enum-value-missing", "Thing.a.HIGH")]


def test_recursive_types_terminate() -> None:
    node = ObjectType(
        "Thing", (Field("name", STR), Field("children", TypeRef("list", item=named("Thing"))))
    )
    api_node = replace(node, fields=node.fields + (Field("extra", named("Thing")),))
    assert kinds(make([api_node], [get()]), make([node], [get()])) == {
        ("field-missing", "Thing.extra")
    }


def test_enum_versus_object_is_a_type_change() -> None:
    spec = make(
        [ObjectType("Thing", (Field("x", named("X")),)), EnumType("X", (EnumValue("A"),))], [get()]
    )
    api = make([ObjectType("Thing", (Field("x", named("X")),)), ObjectType("X", ())], [get()])
    assert ("field-type-changed", "Thing.x") in kinds(api, spec)


def test_spec_types_no_method_reaches_are_matched_by_name_or_gone() -> None:
    orphan = ObjectType("Orphan", (Field("a", STR),))
    live = ObjectType("LiveMessage", (Field("setup", named("LiveSetup")),))
    setup = ObjectType("LiveSetup", (Field("model", STR),))
    spec = make(
        [THING, replace(orphan, fields=orphan.fields + (Field("b", STR),)), live, setup], [get()]
    )
    api = make([THING, orphan], [get()])
    found = {f.key: f for f in compare(api, spec)}
    assert found["Orphan.b"].kind == "field-gone"
    assert found["LiveMessage"].kind == "type-gone" and found["LiveMessage"].via == ()
    # LiveSetup is only needed by LiveMessage: it goes where LiveMessage goes.
    assert found["LiveSetup"].via == ("LiveMessage",)


def test_new_type_name_taken_by_another_spec_type_gets_a_suffix() -> None:
    spec = make([THING, ObjectType("Extra", (Field("s", STR),))], [get()])
    api_extra = ObjectType("Extra", (Field("n", TypeRef("primitive", "int32")),))
    api = make(
        [ObjectType("Thing", (Field("name", STR), Field("extra", named("Extra")))), api_extra],
        [get()],
    )
    found = {f.key: f for f in compare(api, spec)}
    # Extra is matched by name as a leftover spec type, so the API's Extra is that type.
    assert found["Thing.extra"].kind == "field-missing"
    assert found["Extra.n"].kind == "field-missing"
