"""One change to a copy of the real 20260529 document -> exactly the finding(s) it should cause.

The spec is the real one (clean against 20260529), so whatever appears is the mutation's doing.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from codegen.drift.findings import KINDS
from codegen.drift.ignore import Outcome

Doc = dict[str, Any]


def prop(doc: Doc, owner: str, field: str) -> dict[str, Any]:
    result: dict[str, Any] = doc["schemas"][owner]["properties"][field]
    return result


def method(doc: Doc, name: str) -> dict[str, Any]:
    result: dict[str, Any] = doc["resources"]["models"]["methods"][name]
    return result


def add_field(doc: Doc) -> None:
    doc["schemas"]["Candidate"]["properties"]["avgLogprobs2"] = {
        "type": "number",
        "format": "double",
    }


def add_required_field(doc: Doc) -> None:
    doc["schemas"]["GenerateContentRequest"]["properties"]["routing"] = {
        "type": "string",
        "description": "Required. Where the request is routed.",
    }


def remove_field(doc: Doc) -> None:
    del doc["schemas"]["Candidate"]["properties"]["tokenCount"]


def retype_field(doc: Doc) -> None:
    prop(doc, "Candidate", "tokenCount").update(type="string", format="int64")


def list_to_single(doc: Doc) -> None:
    p = prop(doc, "Content", "parts")
    p.pop("type")
    p["$ref"] = p.pop("items")["$ref"]


def change_ref(doc: Doc) -> None:
    prop(doc, "Part", "inlineData")["$ref"] = "FileData"


def add_enum_value(doc: Doc) -> None:
    p = prop(doc, "Candidate", "finishReason")
    p["enum"].append("CONTEXT_OVERFLOW")
    p["enumDescriptions"].append("The context window overflowed.")


def remove_enum_value(doc: Doc) -> None:
    p = prop(doc, "Candidate", "finishReason")
    i = p["enum"].index("RECITATION")
    del p["enum"][i], p["enumDescriptions"][i]


def deprecate_enum_value(doc: Doc) -> None:
    p = prop(doc, "Candidate", "finishReason")
    p["enumDeprecated"] = [v == "LANGUAGE" for v in p["enum"]]


def enum_moved_to_a_named_schema(doc: Doc) -> None:
    """Discovery names the enum differently: matched through the field, so no drift at all."""
    p = doc["schemas"]["Candidate"]["properties"]["finishReason"]
    doc["schemas"]["GoogleAiGenerativelanguageV1betaCandidateFinishReasonEnum"] = {
        k: p.pop(k) for k in ("type", "enum", "enumDescriptions")
    }
    p["$ref"] = "GoogleAiGenerativelanguageV1betaCandidateFinishReasonEnum"


def add_method(doc: Doc) -> None:
    m = copy.deepcopy(method(doc, "generateContent"))
    m.update(id="generativelanguage.models.rankContent", path="v1beta/{+model}:rankContent")
    doc["resources"]["models"]["methods"]["rankContent"] = m


def add_resource(doc: Doc) -> None:
    """A brand-new top-level resource, with a nested one and a type only it needs."""
    doc["schemas"]["Widget"] = {
        "id": "Widget",
        "type": "object",
        "properties": {"name": {"type": "string"}},
    }
    get = {
        "id": "generativelanguage.widgets.get",
        "path": "v1beta/{+name}",
        "flatPath": "v1beta/widgets/{widgetsId}",
        "httpMethod": "GET",
        "parameters": {
            "name": {
                "location": "path",
                "type": "string",
                "required": True,
                "pattern": "^widgets/[^/]+$",
            }
        },
        "parameterOrder": ["name"],
        "response": {"$ref": "Widget"},
        "description": "Gets a widget.",
    }
    doc["resources"]["widgets"] = {
        "methods": {"get": get},
        "resources": {
            "parts": {"methods": {"get": {**get, "id": "generativelanguage.widgets.parts.get"}}}
        },
    }


def add_nested_resource(doc: Doc) -> None:
    """A nested resource under a resource the spec has."""
    m = copy.deepcopy(method(doc, "get"))
    m.update(id="generativelanguage.models.evaluations.get", path="v1beta/{+name}/evaluations")
    doc["resources"]["models"].setdefault("resources", {})["evaluations"] = {"methods": {"get": m}}


def remove_resource(doc: Doc) -> None:
    del doc["resources"]["models"]


def remove_method(doc: Doc) -> None:
    del doc["resources"]["models"]["methods"]["countTokens"]


def change_http_method(doc: Doc) -> None:
    method(doc, "get")["httpMethod"] = "POST"


def change_path(doc: Doc) -> None:
    method(doc, "countTokens")["path"] = "v1beta/{+model}:countTokensV2"


def add_required_query_param(doc: Doc) -> None:
    method(doc, "list")["parameters"]["filter"] = {
        "location": "query",
        "type": "string",
        "required": True,
    }


def add_optional_query_param(doc: Doc) -> None:
    method(doc, "list")["parameters"]["filter"] = {"location": "query", "type": "string"}


def remove_param(doc: Doc) -> None:
    del method(doc, "list")["parameters"]["pageSize"]


def retype_param(doc: Doc) -> None:
    method(doc, "list")["parameters"]["pageSize"].update(type="string", format="int64")


def repeat_param(doc: Doc) -> None:
    method(doc, "list")["parameters"]["pageSize"]["repeated"] = True


def require_param(doc: Doc) -> None:
    method(doc, "list")["parameters"]["pageSize"]["required"] = True


def deprecate_param(doc: Doc) -> None:
    method(doc, "list")["parameters"]["pageToken"]["deprecated"] = True


def change_response_ref(doc: Doc) -> None:
    method(doc, "countTokens")["response"]["$ref"] = "EmbedContentResponse"


def change_request_ref(doc: Doc) -> None:
    method(doc, "countTokens")["request"]["$ref"] = "EmbedContentRequest"


def make_field_required(doc: Doc) -> None:
    p = prop(doc, "GenerationConfig", "candidateCount")
    p["description"] = "Required. " + p["description"].removeprefix("Optional. ")


def make_field_read_only(doc: Doc) -> None:
    prop(doc, "GenerationConfig", "temperature")["readOnly"] = True


def make_field_settable(doc: Doc) -> None:
    p = prop(doc, "Candidate", "tokenCount")
    p.pop("readOnly")
    p["description"] = "Token count for this candidate."


def deprecate_field(doc: Doc) -> None:
    prop(doc, "GenerationConfig", "topK")["deprecated"] = True


def deprecate_method(doc: Doc) -> None:
    method(doc, "embedContent")["deprecated"] = True


def deprecate_type(doc: Doc) -> None:
    doc["schemas"]["Blob"]["deprecated"] = True


def rename_schema(doc: Doc) -> None:
    doc["schemas"]["MediaBlob"] = doc["schemas"].pop("Blob")
    prop(doc, "Part", "inlineData")["$ref"] = "MediaBlob"


def drop_pagination(doc: Doc) -> None:
    del doc["schemas"]["ListModelsResponse"]["properties"]["nextPageToken"]


def remove_schema(doc: Doc) -> None:
    """VideoMetadata disappears: the field's $ref dangles (-> any), the spec type is left over."""
    del doc["schemas"]["VideoMetadata"]


def add_enum_field(doc: Doc) -> None:
    """A new field with an inline enum: the field and the enum type it needs."""
    doc["schemas"]["GenerationConfig"]["properties"]["routingMode"] = {
        "type": "string",
        "enum": ["ROUTING_MODE_UNSPECIFIED", "FAST"],
        "enumDescriptions": ["Unspecified.", "Fast."],
    }


def widen_int(doc: Doc) -> None:
    prop(doc, "GenerationConfig", "maxOutputTokens")["format"] = "int64"


CASES: list[tuple[Callable[[Doc], None], set[tuple[str, str]], str]] = [
    (
        add_field,
        {("field-missing", "Candidate.avgLogprobs2")},
        "the API has field avgLogprobs2 (double), the spec lacks it",
    ),
    (
        add_required_field,
        {("required-field-missing", "GenerateContentRequest.routing")},
        "the API has a required field routing",
    ),
    (
        remove_field,
        {("field-gone", "Candidate.tokenCount")},
        "the spec has field tokenCount (int32), the API does not",
    ),
    (
        retype_field,
        {("field-type-changed", "Candidate.tokenCount")},
        "the spec has int32, the API has int64",
    ),
    (
        list_to_single,
        {("field-type-changed", "Content.parts")},
        "the spec has list[Part], the API has Part",
    ),
    (
        change_ref,
        {("field-type-changed", "Part.inlineData")},
        "the spec has Blob, the API has FileData",
    ),
    (
        add_enum_value,
        {("enum-value-missing", "Candidate.finishReason.CONTEXT_OVERFLOW")},
        "the API has enum value CONTEXT_OVERFLOW",
    ),
    (
        remove_enum_value,
        {("enum-value-gone", "Candidate.finishReason.RECITATION")},
        "the spec has enum value RECITATION",
    ),
    (
        deprecate_enum_value,
        {("enum-value-deprecated-changed", "Candidate.finishReason.LANGUAGE")},
        "the API marks the enum value LANGUAGE",
    ),
    (enum_moved_to_a_named_schema, set(), ""),
    (
        add_method,
        {("method-missing", "models.rankContent")},
        "the API has method POST v1beta/{+model}:rankContent",
    ),
    (
        remove_method,
        {("method-gone", "models.countTokens")},
        "the spec has method POST v1beta/{+model}:countTokens, the API does not",
    ),
    (
        change_http_method,
        {("http-method-changed", "models.get")},
        "the spec has HTTP GET, the API has POST",
    ),
    (
        change_path,
        {("path-changed", "models.countTokens")},
        "the API has v1beta/{+model}:countTokensV2",
    ),
    (
        add_required_query_param,
        {("required-param-missing", "models.list.filter")},
        "the API has a required query parameter filter (string)",
    ),
    (
        add_optional_query_param,
        {("param-missing", "models.list.filter")},
        "an optional query parameter filter",
    ),
    (
        remove_param,
        {("param-gone", "models.list.pageSize")},
        "the spec has query parameter pageSize",
    ),
    (
        retype_param,
        {("param-type-changed", "models.list.pageSize")},
        "the spec has int32, the API has int64",
    ),
    (repeat_param, {("param-repeated-changed", "models.list.pageSize")}, "the API repeats it"),
    (require_param, {("param-now-required", "models.list.pageSize")}, "the API requires it"),
    (
        deprecate_param,
        {("param-deprecated-changed", "models.list.pageToken")},
        "the API marks the parameter deprecated",
    ),
    (
        change_response_ref,
        {("response-changed", "models.countTokens")},
        "the spec has CountTokensResponse, the API has EmbedContentResponse",
    ),
    (
        change_request_ref,
        {("request-changed", "models.countTokens")},
        "the spec has CountTokensRequest, the API has EmbedContentRequest",
    ),
    (
        make_field_required,
        {("field-now-required", "GenerationConfig.candidateCount")},
        "the API requires it",
    ),
    (
        make_field_read_only,
        {("field-now-output-only", "GenerationConfig.temperature")},
        "the API says it is output only",
    ),
    (
        make_field_settable,
        {("field-now-settable", "Candidate.tokenCount")},
        "the spec says it is output only",
    ),
    (
        deprecate_field,
        {("field-deprecated-changed", "GenerationConfig.topK")},
        "the API marks the field deprecated",
    ),
    (
        deprecate_method,
        {("method-deprecated-changed", "models.embedContent")},
        "the API marks the method deprecated",
    ),
    (deprecate_type, {("type-deprecated-changed", "Blob")}, "the API marks the type deprecated"),
    (rename_schema, {("type-renamed", "Blob")}, "the API calls this type MediaBlob"),
    (
        drop_pagination,
        {
            ("field-gone", "ListModelsResponse.nextPageToken"),
            ("method-shape-changed", "models.list"),
        },
        "the spec says paginated, the API does not",
    ),
    (
        remove_schema,
        {("field-type-changed", "Part.videoMetadata"), ("type-gone", "VideoMetadata")},
        "the spec has VideoMetadata, the API has any",
    ),
    (
        add_enum_field,
        {("field-missing", "GenerationConfig.routingMode"), ("type-missing", "RoutingMode")},
        "the API has field routingMode (RoutingMode), the spec lacks it",
    ),
    (
        widen_int,
        {("field-type-changed", "GenerationConfig.maxOutputTokens")},
        "the spec has int32, the API has int64",
    ),
    (
        add_resource,
        {("resource-missing", "widgets"), ("type-missing", "Widget")},
        "the API has resource widgets (2 methods), the spec lacks it",
    ),
    (
        add_nested_resource,
        {("resource-missing", "models.evaluations")},
        "the API has resource models.evaluations (1 method), the spec lacks it",
    ),
    (remove_resource, {("resource-gone", "models")}, "the spec has resource models ("),
]


@pytest.mark.parametrize(
    ("mutate", "expected", "message"), CASES, ids=[c[0].__name__ for c in CASES]
)
def test_mutation(
    new_doc: Doc,
    outcome: Callable[[Doc], Outcome],
    mutate: Callable[[Doc], None],
    expected: set[tuple[str, str]],
    message: str,
) -> None:
    mutate(new_doc)
    o = outcome(new_doc)
    assert {(f.kind, f.key) for f in o.drift} == expected
    if message:
        assert any(message in f.message for f in o.drift), [f.message for f in o.drift]
    for f in o.drift:
        assert f.discovery_path or f.kind in ("type-gone",), f
        assert f.spec_location or f.kind in ("type-missing", "resource-missing"), f
        if f.spec_location:
            assert "/" in f.spec_location and f.spec_location.rsplit(":", 1)[1].isdigit()


def test_every_kind_the_table_names_is_exercised() -> None:
    seen = {kind for _, expected, _ in CASES for kind, _ in expected}
    # Those with no mutation here are covered in test_compare_units.py.
    assert set(KINDS) - seen <= {
        "param-location-changed",
        "param-now-optional",
        "field-now-optional",
    }


def test_new_type_follows_the_field_that_needs_it(
    new_doc: Doc, outcome: Callable[[Doc], Outcome]
) -> None:
    add_enum_field(new_doc)
    [t] = [f for f in outcome(new_doc).drift if f.kind == "type-missing"]
    assert t.via == ("GenerationConfig.routingMode",)
    assert t.discovery_path == "schemas.GenerationConfig.properties.routingMode"


def test_a_method_the_ignore_file_names_brings_its_types_along(
    new_doc: Doc, outcome: Callable[[Doc], Outcome]
) -> None:
    """models.generateText is ignored; a new field in a type only it needs is ignored with it."""
    new_doc["schemas"]["GenerateTextRequest"]["properties"]["extra"] = {"type": "string"}
    o = outcome(new_doc)
    assert o.drift == []
    assert "GenerateTextRequest" in {j.finding.key for j in o.ignored}


def test_mutations_combine(new_doc: Doc, outcome: Callable[[Doc], Outcome]) -> None:
    for mutate in (add_field, remove_enum_value, change_http_method, add_required_query_param):
        mutate(new_doc)
    kinds = sorted(f.kind for f in outcome(new_doc).drift)
    assert kinds == sorted(
        ["field-missing", "enum-value-gone", "http-method-changed", "required-param-missing"]
    )
