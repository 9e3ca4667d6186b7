"""The warning level, every rule's level pinned, per-repository overrides, type renames, nested resources."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from codegen.diff.compare import diff, reachable
from codegen.spec.loader import load_spec
from codegen.compare.rules import DIFF as RULES
from codegen.diff.sources import Side
from codegen.spec.model import (
    EnumType,
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

from .conftest import SPEC, Run, SpecFiles

# Every rule's level, chosen on purpose (docs/spec-diff.md says why for each): a change of level
# must change this table too.
BREAKING = {
    "service-base-url-changed", "service-auth-header-changed", "service-api-key-env-removed",
    "resource-removed", "method-removed", "method-renamed", "method-http-method-changed",
    "method-path-changed", "method-response-type-changed", "method-streaming-added",
    "method-streaming-removed", "method-pagination-added", "method-pagination-removed",
    "method-pagination-changed", "method-long-running-added", "method-long-running-removed",
    "method-long-running-changed", "method-upload-added", "method-upload-removed",
    "method-download-added", "method-download-removed", "service-version-changed",
    "method-stream-flag-changed",
    "parameter-removed", "new-required-parameter", "parameter-became-required",
    "parameter-type-changed", "parameter-prefix-changed", "type-removed", "type-renamed",
    "type-kind-changed", "field-removed", "new-required-request-field", "field-type-changed",
    "request-field-became-required", "request-field-became-output-only",
    "request-enum-value-removed", "response-enum-value-removed",
}  # fmt: skip
WARNING = {
    "service-api-key-env-reordered", "parameter-wire-changed", "response-field-became-optional",
    "field-wire-name-changed", "response-enum-value-added", "method-deprecated",
    "parameter-deprecated", "field-deprecated",
}  # fmt: skip
NON_BREAKING = {
    "service-api-key-env-added", "resource-added", "method-added", "method-request-type-changed",
    "new-optional-parameter", "parameter-became-optional",
    "parameter-type-widened", "type-added", "type-deprecated",
    "field-added", "field-type-widened", "request-field-became-optional",
    "response-field-became-required", "field-output-only-changed",
    "request-enum-value-added", "enum-value-deprecated", "deprecation-withdrawn",
}  # fmt: skip


def test_every_rule_has_its_chosen_level() -> None:
    docs = {r.id for r in RULES.values() if r.change == "docs"}
    assert BREAKING | WARNING | NON_BREAKING | docs == set(RULES)
    for ids, level in (
        (BREAKING, "breaking"),
        (WARNING, "warning"),
        (NON_BREAKING, "non-breaking"),
        (docs, "docs"),
    ):
        assert {i: RULES[i].level for i in ids} == dict.fromkeys(ids, level)


def _add_value(enum: str, value: str) -> Callable[[SpecFiles], None]:
    def edit(s: SpecFiles) -> None:
        s.type(enum)["enum"][value] = "New."

    return edit


def test_a_value_added_to_a_response_enum_is_a_warning(
    edited: Callable[..., Path], cli: Callable[..., Run]
) -> None:
    head = str(edited(_add_value("FinishReason", "HUMAN_REVIEW")))
    run = cli("diff", str(SPEC), head, "--format", "json")
    [c] = run.json()["changes"]
    assert (c["rule"], c["level"]) == ("response-enum-value-added", "warning")
    assert run.code == 0  # --fail-on breaking
    assert cli("diff", str(SPEC), head, "--fail-on", "warning").code == 1
    assert cli("diff", str(SPEC), head, "--fail-on", "non-breaking").code == 1
    gh = cli("diff", str(SPEC), head, "--format", "github").out
    assert gh.startswith("::warning file=") and "title=response-enum-value-added (warning)" in gh
    assert "0 breaking, 1 warning, 0 non-breaking, 0 docs-only" in cli("diff", str(SPEC), head).out


def test_a_value_added_to_a_request_only_enum_is_not(
    edited: Callable[..., Path], cli: Callable[..., Run]
) -> None:
    spec = load_spec(SPEC)
    sent, received = reachable(spec)
    enum = min(
        n for n in sent - received if isinstance(spec.types[n], EnumType)
    )  # HarmBlockThreshold, say
    head = str(edited(_add_value(enum, "BLOCK_EVERYTHING")))
    run = cli("diff", str(SPEC), head, "--format", "json", "--fail-on", "warning")
    [c] = run.json()["changes"]
    assert (c["rule"], c["level"], run.code) == ("request-enum-value-added", "non-breaking", 0)


def test_a_repository_moves_rules_by_id(
    edited: Callable[..., Path],
    cli: Callable[..., Run],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    head = str(edited(_add_value("FinishReason", "HUMAN_REVIEW")))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "codegen-diff.yaml").write_text(
        "# we match on FinishReason exhaustively\nlevels:\n  response-enum-value-added: breaking\n",
        encoding="utf-8",
    )
    run = cli("diff", str(SPEC), head, "--format", "json")  # ./codegen-diff.yaml by default
    assert [c["level"] for c in run.json()["changes"]] == ["breaking"] and run.code == 1
    (tmp_path / "quiet.yaml").write_text(
        "levels:\n  response-enum-value-added: off\n", encoding="utf-8"
    )
    run = cli(
        "diff", str(SPEC), head, "--format", "json", "--fail-on", "any", "--levels", "quiet.yaml"
    )
    assert run.json()["changes"] == [] and run.code == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "levels:\n  response-enum-value-addd: breaking\n",
            "quiet.yaml:2: levels.response-enum-value-addd: unknown rule 'response-enum-value-addd' (did you mean 'response-enum-value-added'?)",
        ),
        (
            "levels:\n  field-added: fatal\n",
            "quiet.yaml:2: levels.field-added: level must be one of breaking, warning, non-breaking, docs, off, got 'fatal'",
        ),
        ("rules: {}\n", "quiet.yaml:1: expected a mapping with one key, 'levels'"),
        ("levels: [a\n", "quiet.yaml:2: YAML syntax error"),
    ],
)
def test_a_bad_levels_file_is_exit_2_with_file_and_line(
    cli: Callable[..., Run],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    text: str,
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "quiet.yaml").write_text(text, encoding="utf-8")
    run = cli("diff", str(SPEC), str(SPEC), "--levels", "quiet.yaml")
    assert run.code == 2 and run.out == ""
    assert run.err.startswith(message), run.err
    assert (
        cli("diff", str(SPEC), str(SPEC), "--levels", "missing.yaml").err
        == "codegen diff: --levels missing.yaml: no such file\n"
    )


def _rename_blob(s: SpecFiles, to: str = "MediaBlob") -> None:
    """`Blob` becomes `MediaBlob`, every use follows: nothing but the name changed."""
    types = s.files[s.file_of_type("Blob")]["types"]
    types[to] = types.pop("Blob")
    uses = 0
    for data in s.files.values():
        for name, t in (data.get("types") or {}).items():
            for field in t.get("fields") or {}:
                ref = s.field(name, field)
                if ref.get("type") in ("Blob", "list[Blob]"):
                    ref["type"] = ref["type"].replace("Blob", to)
                    uses += 1
    assert uses >= 2  # Part.inlineData, and the Live messages' audio/video


def test_a_renamed_type_is_reported_once(
    edited: Callable[..., Path], cli: Callable[..., Run]
) -> None:
    run = cli("diff", str(SPEC), str(edited(_rename_blob)), "--format", "json")
    [c] = run.json()["changes"]
    assert (c["rule"], c["level"], c["symbol"]) == (
        "type-renamed",
        "breaking",
        "gemini_client.types.Blob",
    )
    assert (
        c["message"] == "object type renamed to MediaBlob (same structure); code naming Blob fails"
    )


def test_a_type_whose_class_is_renamed_internally_is_reported_by_its_exported_name(
    edited: Callable[..., Path], spec_copy: Callable[[str], Path], cli: Callable[..., Run]
) -> None:
    """`Field` is `FieldModel` inside types/_models.py, but users import `gemini_client.types.Field`."""
    head = edited(lambda s: _rename_blob(s, "Field"))
    [c] = cli("diff", str(SPEC), str(head), "--format", "json").json()["changes"]
    assert (c["symbol"], c["message"]) == (
        "gemini_client.types.Blob",
        "object type renamed to Field (same structure); code naming Blob fails",
    )
    later = SpecFiles(spec_copy("later"))
    later.files = SpecFiles(head).files
    later.type("Field")["description"] = "Renamed, then described again."
    later.write()
    [c] = cli("diff", str(head), str(later.root), "--format", "json").json()["changes"]
    assert (c["rule"], c["symbol"]) == ("type-description-changed", "gemini_client.types.Field")


def test_a_renamed_type_whose_fields_changed_too_reports_them_on_the_new_name(
    edited: Callable[..., Path], cli: Callable[..., Run]
) -> None:
    def edit(s: SpecFiles) -> None:
        _rename_blob(s)
        s.type("MediaBlob")["description"] = "Raw media bytes, renamed."

    rules = {
        (c["rule"], c["symbol"])
        for c in cli("diff", str(SPEC), str(edited(edit)), "--format", "json").json()["changes"]
    }
    assert rules == {
        ("type-renamed", "gemini_client.types.Blob"),
        ("type-description-changed", "gemini_client.types.MediaBlob"),
    }


# -- nested resources, on specs built directly --------------------------------------------------

SERVICE = Service("generativelanguage", "t", "https://x", "v1beta", "x-goog-api-key")
THING = ObjectType("Thing", (Field("name", TypeRef("primitive", "string")),))
LOC = Location("spec/x.yaml", 1, "")


def _get(name: str = "get", **kw: object) -> Method:
    return Method(name, "GET", f"v1beta/{{+name}}:{name}", (), None, "Thing", loc=LOC, **kw)  # type: ignore[arg-type]


def _side(*resources: Resource) -> Side:
    return Side("s", Spec(SERVICE, {"Thing": THING}, {r.name: r for r in resources}))


PERMS = Resource("permissions", (_get("list"),), loc=LOC)
TUNED = Resource("tunedModels", (_get(),), resources=(PERMS,), loc=LOC)


def _rules(a: Side, b: Side) -> set[tuple[str, str, str]]:
    return {(c.rule, c.level, c.symbol) for c in diff(a, b)}


def test_adding_a_nested_resource_is_non_breaking_removing_it_breaking() -> None:
    bare = _side(replace(TUNED, resources=()))
    assert _rules(bare, _side(TUNED)) == {
        ("resource-added", "non-breaking", "client.tuned_models.permissions")
    }
    assert _rules(_side(TUNED), bare) == {
        ("resource-removed", "breaking", "client.tuned_models.permissions")
    }


def test_a_removed_resource_is_reported_once_with_all_it_held() -> None:
    [c] = diff(_side(TUNED), _side())
    assert (c.rule, c.symbol, c.message) == (
        "resource-removed",
        "client.tuned_models",
        "resource removed (with its 2 method(s))",
    )


def test_methods_of_nested_resources_are_compared() -> None:
    more = replace(TUNED, resources=(replace(PERMS, methods=(_get("list"), _get("delete"))),))
    assert _rules(_side(TUNED), _side(more)) == {
        ("method-added", "non-breaking", "client.tuned_models.permissions.delete()")
    }


@pytest.mark.parametrize(
    ("trait", "rule"),
    [
        ({"long_running": LongRunning("Thing")}, "method-long-running-added"),
        ({"streaming": True}, "method-streaming-added"),
    ],
)
def test_a_method_becoming_long_running_or_streaming_changes_its_return_type(
    trait: dict[str, object], rule: str
) -> None:
    changed = replace(TUNED, resources=(replace(PERMS, methods=(_get("list", **trait),)),))
    assert _rules(_side(TUNED), _side(changed)) == {
        (rule, "breaking", "client.tuned_models.permissions.list()")
    }
