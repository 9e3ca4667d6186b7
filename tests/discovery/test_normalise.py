"""Facts the normaliser must get right on the real Discovery documents (and a few synthetic ones)."""

from __future__ import annotations

import copy
from typing import Any

from codegen.discovery.text import MAX_DESCRIPTION
from codegen.discovery.normalise import UNKNOWN, Normalised, normalise, path_prefix
from codegen.spec.model import EnumType, Location, ObjectType, TypeRef


def obj(n: Normalised, name: str) -> ObjectType:
    t = n.spec.types[name]
    assert isinstance(t, ObjectType), name
    return t


def enum(n: Normalised, name: str) -> EnumType:
    t = n.spec.types[name]
    assert isinstance(t, EnumType), name
    return t


def ftype(n: Normalised, owner: str, field: str) -> str:
    f = obj(n, owner).field(field)
    assert f is not None, f"{owner}.{field}"
    return str(f.type)


def test_service(new: Normalised) -> None:
    s = new.spec.service
    assert (s.name, s.version, s.title) == ("generativelanguage", "v1beta", "Gemini API")
    assert s.base_url == "https://generativelanguage.googleapis.com"
    assert s.auth_header == "x-goog-api-key"
    assert "\n" not in s.description and s.description.endswith(".")


def test_finish_reason_drift(new: Normalised, old: Normalised) -> None:
    assert ftype(new, "Candidate", "finishReason") == "FinishReason"
    new_values = [v.name for v in enum(new, "FinishReason").values]
    old_values = [v.name for v in enum(old, "FinishReason").values]
    assert "ESCALATION" in new_values and "ESCALATION" not in old_values
    assert [v for v in new_values if v not in old_values] == ["ESCALATION"]
    esc = next(v for v in enum(new, "FinishReason").values if v.name == "ESCALATION")
    assert esc.description == "Request was filtered by an escalation rule."
    assert esc.loc.path == "schemas.Candidate.properties.finishReason.enum[20]"


def test_only_finish_reason_differs(new: Normalised, old: Normalised) -> None:
    assert new.spec.types.keys() == old.spec.types.keys()
    differ = [n for n in new.spec.types if new.spec.types[n] != old.spec.types[n]]
    assert differ == ["FinishReason"]
    assert new.spec.resources == old.spec.resources


def test_locations(new: Normalised) -> None:
    f = obj(new, "Candidate").field("finishReason")
    assert f is not None
    assert f.loc == Location("<discovery>", 0, "schemas.Candidate.properties.finishReason")
    assert obj(new, "Candidate").loc.path == "schemas.Candidate"
    m = new.spec.resources["models"].method("generateContent")
    assert m is not None and m.loc.path == "resources.models.methods.generateContent"
    op = dict(new.spec.all_resources())["models.operations"].method("get")
    assert op is not None and op.loc.path == "resources.models.resources.operations.methods.get"


def test_schema_is_recursive(new: Normalised) -> None:
    assert ftype(new, "Schema", "items") == "Schema"
    assert ftype(new, "Schema", "properties") == "map[Schema]"
    assert ftype(new, "Schema", "anyOf") == "list[Schema]"
    assert ftype(new, "Schema", "type") == "Type"


def test_formats(new: Normalised) -> None:
    assert ftype(new, "Schema", "maxItems") == "int64"
    assert ftype(new, "Schema", "minimum") == "double"
    assert ftype(new, "GenerationConfig", "temperature") == "float"
    assert ftype(new, "GenerationConfig", "candidateCount") == "int32"
    assert ftype(new, "Blob", "data") == "bytes"
    assert ftype(new, "Model", "inputTokenLimit") == "int32"
    assert ftype(new, "GenerationConfig", "stopSequences") == "list[string]"
    assert ftype(new, "CachedContent", "expireTime") == "timestamp"
    assert ftype(new, "CachedContent", "ttl") == "duration"
    assert ftype(new, "GenerateContentResponse", "candidates") == "list[Candidate]"
    int64 = [
        f"{t.name}.{f.name}"
        for t in new.spec.objects()
        for f in t.fields
        if f.type == TypeRef("primitive", "int64")
    ]
    assert "File.sizeBytes" in int64 and len(int64) >= 20
    assert any(f.type.name == "uint64" for t in new.spec.objects() for f in t.fields)
    assert any(f.type.name == "uint32" for t in new.spec.objects() for f in t.fields)


def test_maps_and_free_objects(new: Normalised) -> None:
    assert ftype(new, "StreamableHttpTransport", "headers") == "map[string]"
    assert ftype(new, "FunctionCall", "args") == "object"  # additionalProperties: {type: any}
    assert ftype(new, "FunctionDeclaration", "parametersJsonSchema") == "any"
    assert ftype(new, "Status", "details") == "list[object]"


def test_field_flags(new: Normalised) -> None:
    fc = obj(new, "FunctionCall")
    name = fc.field("name")
    assert (
        name is not None
        and name.required
        and name.description
        == "The name of the function to call. Must be a-z, A-Z, 0-9, or contain underscores and"
        " dashes, with a maximum length of 128."
    )
    cand = obj(new, "Candidate").field("finishReason")
    assert cand is not None and cand.output_only and not cand.required
    assert cand.description == (
        "The reason why the model stopped generating tokens. If empty, the model has not stopped"
        " generating tokens."
    )
    usage = obj(new, "GenerateContentResponse").field("usageMetadata")
    assert usage is not None and usage.output_only  # "Output only." in the description
    assert any(f.deprecated for t in new.spec.objects() for f in t.fields)
    assert any(v.deprecated for t in new.spec.enums() for v in t.values)


def test_descriptions_are_whole_and_one_line(new: Normalised) -> None:
    texts = [t.description for t in new.spec.types.values()]
    texts += [f.description for t in new.spec.objects() for f in t.fields]
    texts += [v.description for t in new.spec.enums() for v in t.values]
    texts += [m.description for r in new.spec.resources.values() for m in r.methods]
    assert max(len(text) for text in texts) > 900  # Google's longest are kept whole
    for text in texts:
        assert "\n" not in text and len(text) <= MAX_DESCRIPTION, text
        assert not text.endswith("..."), text  # none is near the cap
        assert "](" not in text, text  # markdown link targets are cut
        assert not text.startswith(("Required.", "Optional.", "Output only.")), text
        assert text.count("`") % 2 == 0, text


def test_enum_names(new: Normalised) -> None:
    assert ftype(new, "SafetySetting", "category") == "HarmCategory"
    assert ftype(new, "SafetyRating", "category") == "HarmCategory"
    assert ftype(new, "SafetySetting", "threshold") == "HarmBlockThreshold"
    assert ftype(new, "SafetyRating", "probability") == "HarmProbability"
    assert ftype(new, "EmbedContentRequest", "taskType") == "TaskType"
    assert ftype(new, "GenerationConfig", "responseModalities") == "list[Modality]"
    assert ftype(new, "ModalityTokenCount", "modality") == "MediaModality"
    # two different "mode" enums: both get their owner's name
    assert ftype(new, "FunctionCallingConfig", "mode") == "FunctionCallingConfigMode"
    assert ftype(new, "DynamicRetrievalConfig", "mode") == "DynamicRetrievalConfigMode"
    # different value lists under "blockReason" / "state": owner prefix
    assert ftype(new, "PromptFeedback", "blockReason") == "PromptFeedbackBlockReason"
    assert ftype(new, "File", "state") == "FileState"
    # identical value lists under one name share one type
    assert (
        ftype(new, "ToolCall", "toolType") == ftype(new, "ToolResponse", "toolType") == "ToolType"
    )
    assert ftype(new, "GenerateContentRequest", "serviceTier") == "ServiceTier"
    assert ftype(new, "UsageMetadata", "serviceTier") == "ServiceTier"
    assert enum(new, "HarmCategory").description  # from the well-known table
    assert not any(n.endswith("2") for n in new.spec.types)


def test_schema_prefix_dropped(new: Normalised) -> None:
    assert "GroundingSupport" in new.spec.types and "Segment" in new.spec.types
    assert ftype(new, "GroundingMetadata", "groundingSupports") == "list[GroundingSupport]"
    assert not any(n.startswith("GoogleAiGenerativelanguage") for n in new.spec.types)


def test_dangling_media_resolution(new: Normalised) -> None:
    assert ftype(new, "Part", "mediaResolution") == "any"
    msgs = [str(w) for w in new.warnings]
    assert any(
        "schemas.Part.properties.mediaResolution" in m and "'MediaResolution'" in m for m in msgs
    )
    # the GenerationConfig enum of that name is unrelated and keeps the name
    assert ftype(new, "GenerationConfig", "mediaResolution") == "MediaResolution"


def test_unspellable_field_left_out(new: Normalised) -> None:
    assert obj(new, "GenerationConfig").field("_responseJsonSchema") is None
    assert obj(new, "GenerationConfig").field("responseJsonSchema") is not None
    assert any("_responseJsonSchema" in str(w) for w in new.warnings)


def test_all_references_resolve(new: Normalised) -> None:
    for t in new.spec.objects():
        for f in t.fields:
            name = f.type.named()
            assert name is None or name in new.spec.types, f"{t.name}.{f.name}"
    for r in new.spec.resources.values():
        for m in r.methods:
            for name in (m.request, m.response):
                assert name is None or name in new.spec.types


def test_resources(new: Normalised) -> None:
    res = dict(new.spec.all_resources())  # nested resources by dotted path
    assert {
        "models",
        "models.operations",
        "tunedModels.permissions",
        "cachedContents",
    } <= res.keys()
    assert "models.operations" not in new.spec.resources
    assert [r.name for r in new.spec.resources["models"].resources] == ["operations"]
    assert [r.name for r in new.spec.resources["fileSearchStores"].resources] == [
        "operations",
        "upload",
        "documents",
    ]
    upload = new.spec.resources["fileSearchStores"].resource("upload")
    assert upload is not None and upload.methods == () and upload.resources[0].name == "operations"
    assert sum(len(r.methods) for r in res.values()) == 79
    gc = res["models"].method("generateContent")
    assert gc is not None
    assert (gc.http_method, gc.path) == ("POST", "v1beta/{+model}:generateContent")
    assert (gc.request, gc.response) == ("GenerateContentRequest", "GenerateContentResponse")
    model = gc.parameter("model")
    assert model is not None and model.location == "path" and model.required
    assert model.prefix == "models/"
    assert not gc.streaming and gc.pagination is None and gc.long_running is None


def test_method_traits(new: Normalised) -> None:
    models = new.spec.resources["models"]
    stream = models.method("streamGenerateContent")
    assert stream is not None and stream.streaming and stream.response == "GenerateContentResponse"
    lst = models.method("list")
    assert lst is not None and lst.pagination is not None and lst.pagination.items == "models"
    page_size = lst.parameter("pageSize")
    assert (
        page_size is not None and page_size.location == "query" and str(page_size.type) == "int32"
    )
    lro = models.method("predictLongRunning")
    assert lro is not None and lro.long_running is not None
    assert lro.long_running.response == UNKNOWN and lro.response == "Operation"
    upload = new.spec.resources["media"].method("upload")
    assert upload is not None and upload.upload and upload.path == "v1beta/files"
    ops = dict(new.spec.all_resources())["models.operations"].method("list")
    assert ops is not None and ops.pagination is not None and ops.pagination.items == "operations"
    get_perm = dict(new.spec.all_resources())["tunedModels.permissions"].method("get")
    assert get_perm is not None
    name = get_perm.parameter("name")
    assert name is not None and name.prefix == ""  # tunedModels/*/permissions/*: no bare id
    streams = [m.name for _, r in new.spec.all_resources() for m in r.methods if m.streaming]
    assert streams == ["streamGenerateContent"] * 3


def test_path_prefix() -> None:
    assert path_prefix("^models/[^/]+$") == "models/"
    assert path_prefix("^cachedContents/[^/]+$") == "cachedContents/"
    assert path_prefix("^models/[^/]+/operations/[^/]+$") == ""
    assert path_prefix("^[^/]+$") == ""
    assert path_prefix(None) == ""


def test_deterministic(new_doc: dict[str, Any]) -> None:
    a, b = normalise(new_doc), normalise(copy.deepcopy(new_doc))
    assert a.spec == b.spec and list(a.spec.types) == list(b.spec.types)
    assert [str(w) for w in a.warnings] == [str(w) for w in b.warnings]


def _doc(schemas: dict[str, Any], resources: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "name": "generativelanguage",
        "version": "v1beta",
        "schemas": schemas,
        "resources": resources or {},
    }


def test_inline_object_gets_a_name() -> None:
    n = normalise(
        _doc(
            {
                "Outer": {
                    "type": "object",
                    "properties": {
                        "innerThing": {
                            "type": "object",
                            "description": "Optional. The inner thing.",
                            "properties": {"mode": {"type": "string", "enum": ["A", "B"]}},
                        },
                        "many": {
                            "type": "array",
                            "items": {"type": "object", "properties": {"x": {"type": "string"}}},
                        },
                    },
                },
                "Other": {
                    "type": "object",
                    "properties": {"mode": {"type": "string", "enum": ["A", "C"]}},
                },
            }
        )
    )
    assert list(n.spec.types) == [
        "Outer",
        "OuterInnerThing",
        "OuterInnerThingMode",
        "OuterMany",
        "Other",
        "OtherMode",
    ]
    assert ftype(n, "Outer", "innerThing") == "OuterInnerThing"
    assert ftype(n, "Outer", "many") == "list[OuterMany]"
    assert ftype(n, "OuterInnerThing", "mode") == "OuterInnerThingMode"
    assert obj(n, "OuterInnerThing").description == "The inner thing."


def test_enum_name_clashing_with_a_schema_gets_owner_prefix() -> None:
    n = normalise(
        _doc(
            {
                "Thing": {
                    "type": "object",
                    "properties": {"role": {"type": "string", "enum": ["X"]}},
                },
                "Role": {"type": "object", "properties": {}},
            }
        )
    )
    assert ftype(n, "Thing", "role") == "ThingRole"
    assert obj(n, "Role").fields == ()


def test_unknown_type_and_bad_method_warn_not_crash() -> None:
    n = normalise(
        _doc(
            {"A": {"type": "object", "properties": {"x": {"type": "wat"}, "y": {"$ref": "Nope"}}}},
            {
                "r": {
                    "methods": {
                        "m": {"httpMethod": "TRACE", "path": "x"},
                        "ok": {"httpMethod": "GET", "path": "v1/a", "response": {"$ref": "Gone"}},
                    }
                }
            },
        )
    )
    assert ftype(n, "A", "x") == "any" and ftype(n, "A", "y") == "any"
    ok = n.spec.resources["r"].method("ok")
    assert ok is not None and ok.response is None
    assert n.spec.resources["r"].method("m") is None
    assert len(n.warnings) == 4


def test_nested_resources_nest_and_hostile_names_are_skipped() -> None:
    get = {
        "httpMethod": "GET",
        "path": "v1/{+name}",
        "parameters": {"name": {"location": "path", "type": "string"}},
    }
    n = normalise(
        _doc(
            {},
            {
                "a": {
                    "resources": {
                        "b": {
                            "resources": {"c": {"methods": {"get": get}}}
                        },  # b: no methods of its own
                        "empty": {"resources": {}},  # nothing anywhere below: left out
                        "bad-name": {"methods": {"get": get}},
                    },
                    "methods": {"x; import os": get},
                },
            },
        )
    )
    a = n.spec.resources["a"]
    assert a.methods == () and [r.name for r in a.resources] == ["b"]
    assert [p for p, _ in n.spec.all_resources()] == ["a", "a.b", "a.b.c"]
    c = a.resources[0].resources[0]
    assert c.loc.path == "resources.a.resources.b.resources.c" and c.method("get") is not None
    assert sorted(w.loc.path for w in n.warnings) == [
        "resources.a.methods.x; import os",
        "resources.a.resources.bad-name",
    ]


def test_keeping_unspellable_names_changes_nothing_when_every_name_is_spellable(
    new_doc: dict[str, Any], new: Normalised
) -> None:
    """`keep_unspellable` decides only whether a resource or method whose name is no spec wire
    name is kept: on a document with none (the real ones) both make the same spec and warnings.
    tests/support/shared_loads.py relies on it (one normalised document for both)."""
    from support.shared_loads import _spelled_alike

    assert _spelled_alike(new_doc)
    kept = normalise(new_doc, keep_unspellable=True)
    assert kept.warnings == new.warnings
    same = kept.spec == new.spec  # (pytest's diff of two whole specs would take minutes)
    assert same, "keep_unspellable changed the spec of a document whose names are all spellable"
    doc = copy.deepcopy(new_doc)
    doc["resources"]["models"]["methods"]["x-y"] = doc["resources"]["models"]["methods"]["get"]
    assert not _spelled_alike(doc)
    differ = normalise(doc, keep_unspellable=True).spec != normalise(doc).spec
    assert differ  # the method is kept with it, left out without
