"""The table: one spec edit each, applied to a copy of the real spec/, with the rule, level and
Python symbol `codegen diff` must report for it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from codegen.compare.rules import DIFF as RULES

from .conftest import SPEC, Run, SpecFiles

Edit = Callable[[SpecFiles], None]


@dataclass(frozen=True)
class Case:
    id: str
    edit: Edit
    rule: str
    level: str
    symbol: str
    reverse: bool = False  # diff the edited spec (base) against the real one (head)


def _set(path: Callable[[SpecFiles], dict[str, Any]], key: str, value: Any) -> Edit:
    def edit(s: SpecFiles) -> None:
        path(s)[key] = value

    return edit


def _delete(path: Callable[[SpecFiles], dict[str, Any]], key: str) -> Edit:
    def edit(s: SpecFiles) -> None:
        del path(s)[key]

    return edit


def _rename_method(s: SpecFiles) -> None:
    methods = s.resource("models")["methods"]
    methods["fetch"] = methods.pop("get")


def _new_resource(s: SpecFiles) -> None:
    s.files["widgets.yaml"] = {
        "types": {"Widget": {"description": "A widget.", "fields": {"name": "string"}}},
        "resources": {
            "widgets": {
                "description": "Widgets.",
                "methods": {
                    "get": {
                        "http": "GET v1beta/{+name}",
                        "params": {"name": {"in": "path", "type": "string", "prefix": "widgets/"}},
                        "response": "Widget",
                    }
                },
            }
        },
    }


def _json_download(s: SpecFiles) -> None:
    """files.download returns the File as JSON instead of its media bytes."""
    m = s.method("files", "download")
    del m["download"]
    m["response"] = "File"


def _new_type(s: SpecFiles) -> None:
    s.files["models.yaml"]["types"]["ModelAlias"] = {
        "description": "An alias.",
        "fields": {"alias": "string"},
    }


def _output_only(s: SpecFiles) -> None:
    s.field("GenerateContentRequest", "store")["output_only"] = True


def _placeholder_renamed(s: SpecFiles) -> None:
    m = s.method("models", "get")
    m["http"] = "GET v1beta/{+model}"
    m["params"] = {"model": m["params"].pop("name")}


M = lambda name: lambda s: s.method("models", name)  # noqa: E731
P = lambda method, name: lambda s: s.method("models", method)["params"][name]  # noqa: E731
F = lambda t, name: lambda s: s.field(t, name)  # noqa: E731
T = lambda t: lambda s: s.type(t)  # noqa: E731
E = lambda t: lambda s: s.type(t)["enum"]  # noqa: E731

GC = "client.models.generate_content"

CASES = [
    # -- breaking ---------------------------------------------------------------------------------
    Case(
        "method-removed",
        _delete(lambda s: s.resource("models")["methods"], "countTokens"),
        "method-removed",
        "breaking",
        "client.models.count_tokens()",
    ),
    Case("method-renamed", _rename_method, "method-renamed", "breaking", "client.models.get()"),
    Case(
        "query-param-removed",
        _delete(lambda s: s.method("models", "list")["params"], "pageSize"),
        "parameter-removed",
        "breaking",
        "client.models.list(..., page_size=)",
    ),
    Case(
        "param-made-required",
        _set(P("list", "pageSize"), "required", True),
        "parameter-became-required",
        "breaking",
        "client.models.list(..., page_size=)",
    ),
    Case(
        "new-required-query-param",
        _set(
            lambda s: s.method("models", "list")["params"],
            "filter",
            {"in": "query", "type": "string", "required": True},
        ),
        "new-required-parameter",
        "breaking",
        "client.models.list(..., filter=)",
    ),
    Case(
        "new-required-body-field-kwarg",
        _set(
            lambda s: s.fields("GenerateContentRequest"),
            "userLabel",
            {"type": "string", "required": True},
        ),
        "new-required-parameter",
        "breaking",
        f"{GC}(..., user_label=)",
    ),
    Case(
        "new-required-body-field-type",
        _set(
            lambda s: s.fields("GenerateContentRequest"),
            "userLabel",
            {"type": "string", "required": True},
        ),
        "new-required-request-field",
        "breaking",
        "gemini_client.types.GenerateContentRequest.user_label",
    ),
    Case(
        "field-removed",
        _delete(lambda s: s.fields("Candidate"), "finishReason"),
        "field-removed",
        "breaking",
        "gemini_client.types.Candidate.finish_reason",
    ),
    Case(
        "field-type-changed",
        _set(F("GenerationConfig", "seed"), "type", "string"),
        "field-type-changed",
        "breaking",
        "gemini_client.types.GenerationConfig.seed",
    ),
    Case(
        "field-type-narrowed",
        _set(F("Model", "inputTokenLimit"), "type", "int32"),
        "field-type-changed",
        "breaking",
        "gemini_client.types.Model.input_token_limit",
        reverse=True,
    ),
    Case(
        "request-field-made-required",
        _set(F("GenerationConfig", "seed"), "required", True),
        "request-field-became-required",
        "breaking",
        "gemini_client.types.GenerationConfig.seed",
    ),
    Case(
        "body-kwarg-made-required",
        _set(F("GenerateContentRequest", "store"), "required", True),
        "parameter-became-required",
        "breaking",
        f"{GC}(..., store=)",
    ),
    Case(
        "request-enum-value-removed",
        _delete(E("HarmCategory"), "HARM_CATEGORY_HARASSMENT"),
        "request-enum-value-removed",
        "breaking",
        "gemini_client.types.HarmCategory.HARM_CATEGORY_HARASSMENT",
    ),
    Case(
        "response-enum-value-removed",
        _delete(E("FinishReason"), "SAFETY"),
        "response-enum-value-removed",
        "breaking",
        "gemini_client.types.FinishReason.SAFETY",
    ),
    Case(
        "response-type-changed",
        _set(M("get"), "response", "ListModelsResponse"),
        "method-response-type-changed",
        "breaking",
        "client.models.get()",
    ),
    Case(
        "resource-removed",
        _new_resource,
        "resource-removed",
        "breaking",
        "client.widgets",
        reverse=True,
    ),
    Case(
        "type-removed",
        _new_type,
        "type-removed",
        "breaking",
        "gemini_client.types.ModelAlias",
        reverse=True,
    ),
    Case(
        "streaming-removed",
        _delete(M("streamGenerateContent"), "streaming"),
        "method-streaming-removed",
        "breaking",
        "client.models.stream_generate_content()",
    ),
    Case(
        "pagination-removed",
        _delete(M("list"), "paginated"),
        "method-pagination-removed",
        "breaking",
        "client.models.list()",
    ),
    Case(
        "long-running-added",
        _set(M("get"), "long_running", {"response": "Model"}),
        "method-long-running-added",
        "breaking",
        "client.models.get()",
    ),
    Case(
        "http-method-changed",
        _set(M("get"), "http", "POST v1beta/{+name}"),
        "method-http-method-changed",
        "breaking",
        "client.models.get()",
    ),
    Case(
        "path-changed",
        _set(M("list"), "http", "GET v1beta/tunedModels"),
        "method-path-changed",
        "breaking",
        "client.models.list()",
    ),
    Case(
        "prefix-changed",
        _set(P("get", "name"), "prefix", "tunedModels/"),
        "parameter-prefix-changed",
        "breaking",
        "client.models.get(..., name=)",
    ),
    Case(
        "param-type-changed",
        _set(P("list", "pageSize"), "type", "string"),
        "parameter-type-changed",
        "breaking",
        "client.models.list(..., page_size=)",
    ),
    Case(
        "became-output-only",
        _output_only,
        "request-field-became-output-only",
        "breaking",
        "gemini_client.types.GenerateContentRequest.store",
    ),
    Case(
        "output-only-drops-kwarg",
        _output_only,
        "parameter-removed",
        "breaking",
        f"{GC}(..., store=)",
    ),
    Case(
        "placeholder-renamed",
        _placeholder_renamed,
        "new-required-parameter",
        "breaking",
        "client.models.get(..., model=)",
    ),
    Case(
        "version-changed",
        _set(lambda s: s.service(), "version", "v1"),
        "service-version-changed",
        "breaking",
        "gemini_client.Client",
    ),
    Case(
        "stream-flag-changed",
        _delete(lambda s: s.method("interactions", "createStream"), "stream_flag"),
        "method-stream-flag-changed",
        "breaking",
        "client.interactions.create_stream()",
    ),
    Case(
        "download-removed",
        _json_download,
        "method-download-removed",
        "breaking",
        "client.files.download()",
    ),
    Case(
        "download-added",
        _json_download,
        "method-download-added",
        "breaking",
        "client.files.download()",
        reverse=True,
    ),
    Case(
        "base-url-changed",
        _set(lambda s: s.service(), "base_url", "https://example.com"),
        "service-base-url-changed",
        "breaking",
        "gemini_client.Client",
    ),
    Case(
        "api-key-env-removed",
        _set(lambda s: s.service()["auth"], "env", ["GEMINI_API_KEY"]),
        "service-api-key-env-removed",
        "breaking",
        "gemini_client.Client",
    ),
    # -- non-breaking -------------------------------------------------------------------------------
    Case(
        "method-added",
        _set(
            lambda s: s.resource("models")["methods"],
            "getModel",
            {
                "http": "GET v1beta/{+name}:info",
                "params": {"name": {"in": "path", "type": "string"}},
                "response": "Model",
            },
        ),
        "method-added",
        "non-breaking",
        "client.models.get_model()",
    ),
    Case("resource-added", _new_resource, "resource-added", "non-breaking", "client.widgets"),
    Case("type-added", _new_type, "type-added", "non-breaking", "gemini_client.types.ModelAlias"),
    Case(
        "optional-field-added",
        _set(lambda s: s.fields("Candidate"), "safetyScore", "float"),
        "field-added",
        "non-breaking",
        "gemini_client.types.Candidate.safety_score",
    ),
    Case(
        "optional-kwarg-added",
        _set(lambda s: s.fields("GenerateContentRequest"), "labels", "map[string]"),
        "new-optional-parameter",
        "non-breaking",
        f"{GC}(..., labels=)",
    ),
    Case(
        "optional-query-param-added",
        _set(
            lambda s: s.method("models", "list")["params"],
            "filter",
            {"in": "query", "type": "string"},
        ),
        "new-optional-parameter",
        "non-breaking",
        "client.models.list(..., filter=)",
    ),
    Case(
        "response-enum-value-added",
        _set(E("FinishReason"), "HUMAN_REVIEW", "Held for review."),
        "response-enum-value-added",
        "warning",
        "gemini_client.types.FinishReason.HUMAN_REVIEW",
    ),
    Case(
        "required-request-field-made-optional",
        _set(F("GenerateContentRequest", "contents"), "required", False),
        "request-field-became-optional",
        "non-breaking",
        "gemini_client.types.GenerateContentRequest.contents",
    ),
    Case(
        "required-kwarg-made-optional",
        _set(F("GenerateContentRequest", "contents"), "required", False),
        "parameter-became-optional",
        "non-breaking",
        f"{GC}(..., contents=)",
    ),
    Case(
        "field-deprecated",
        _set(F("Candidate", "tokenCount"), "deprecated", True),
        "field-deprecated",
        "warning",
        "gemini_client.types.Candidate.token_count",
    ),
    Case(
        "field-type-widened",
        _set(F("GenerationConfig", "seed"), "type", "int64"),
        "field-type-widened",
        "non-breaking",
        "gemini_client.types.GenerationConfig.seed",
    ),
    Case(
        "method-deprecated",
        _set(M("embedContent"), "deprecated", True),
        "method-deprecated",
        "warning",
        "client.models.embed_content()",
    ),
    Case(
        "enum-value-deprecated",
        _set(E("FinishReason"), "SAFETY", {"description": "Old.", "deprecated": True}),
        "enum-value-deprecated",
        "non-breaking",
        "gemini_client.types.FinishReason.SAFETY",
    ),
    Case(
        "response-field-made-required",
        _set(F("Candidate", "index"), "required", True),
        "response-field-became-required",
        "non-breaking",
        "gemini_client.types.Candidate.index",
    ),
    # -- docs ----------------------------------------------------------------------------------------
    Case(
        "field-description",
        _set(F("Candidate", "index"), "description", "Where the candidate sits."),
        "field-description-changed",
        "docs",
        "gemini_client.types.Candidate.index",
    ),
    Case(
        "method-description",
        _set(M("list"), "description", "Lists models."),
        "method-description-changed",
        "docs",
        "client.models.list()",
    ),
    Case(
        "type-description",
        _set(T("Model"), "description", "A model."),
        "type-description-changed",
        "docs",
        "gemini_client.types.Model",
    ),
    Case(
        "param-description",
        _set(P("list", "pageSize"), "description", "Page size."),
        "parameter-description-changed",
        "docs",
        "client.models.list(..., page_size=)",
    ),
    Case(
        "enum-value-description",
        _set(E("FinishReason"), "STOP", "Stopped."),
        "enum-value-description-changed",
        "docs",
        "gemini_client.types.FinishReason.STOP",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_edit_is_reported(
    case: Case, edited: Callable[[Edit], Path], cli: Callable[..., Run]
) -> None:
    assert RULES[case.rule].level == case.level
    if case.id == "field-type-narrowed":
        # The real spec says int32; the edited base says int64: head narrows it.
        root = edited(_set(F("Model", "inputTokenLimit"), "type", "int64"))
    else:
        root = edited(case.edit)
    base, head = (str(root), str(SPEC)) if case.reverse else (str(SPEC), str(root))
    run = cli("diff", base, head, "--format", "json")
    assert run.err == ""
    doc = run.json()
    found = [(c["rule"], c["level"], c["symbol"]) for c in doc["changes"]]
    assert (case.rule, case.level, case.symbol) in found, found
    # --fail-on breaking (the default): exit 1 exactly when something breaking was found.
    assert run.code == (1 if doc["summary"]["breaking"] else 0)


def test_the_table_covers_enough_edits() -> None:
    assert len(CASES) >= 25
    assert {c.level for c in CASES} == {"breaking", "warning", "non-breaking", "docs"}


def test_rename_is_reported_once_not_as_removal_and_addition(
    edited: Callable[[Edit], Path], cli: Callable[..., Run]
) -> None:
    run = cli("diff", str(SPEC), str(edited(_rename_method)), "--format", "json")
    rules = [c["rule"] for c in run.json()["changes"]]
    assert rules == ["method-renamed"]
    assert "fetch()" in run.json()["changes"][0]["message"]


def test_placeholder_rename_does_not_move_the_endpoint(
    edited: Callable[[Edit], Path], cli: Callable[..., Run]
) -> None:
    run = cli("diff", str(SPEC), str(edited(_placeholder_renamed)), "--format", "json")
    rules = sorted(c["rule"] for c in run.json()["changes"])
    assert "method-path-changed" not in rules
    assert rules == ["new-required-parameter", "parameter-removed"]


def test_removed_field_points_at_both_sides(
    edited: Callable[[Edit], Path], cli: Callable[..., Run]
) -> None:
    run = cli(
        "diff",
        str(SPEC),
        str(edited(_delete(lambda s: s.fields("Candidate"), "finishReason"))),
        "--format",
        "json",
    )
    (change,) = run.json()["changes"]
    assert change["base"].endswith(
        "spec/generation.yaml:" + str(_line_of(SPEC / "generation.yaml", "      finishReason:"))
    )
    assert change["head"].endswith(
        "spec/generation.yaml:"
        + str(_line_of(Path(change["head"].rpartition(":")[0]), "  Candidate:"))
    )


def _line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1
