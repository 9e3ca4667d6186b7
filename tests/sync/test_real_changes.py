"""The kinds of change Google really made (tests/data/history), each on the 20260529 document: sync
applies what it can, lists the rest for a person, never exits 2 for one finding, and is stable."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from codegen.discovery.bootstrap import main as bootstrap
from codegen.spec.loader import load_spec

from .conftest import Doc, Run, snapshot, write_doc

SYNC = ("sync", "--no-generate")


def _listed(out: str) -> list[str]:
    return [line[4:] for line in out.splitlines() if line.startswith("  ! ")]


def _twice(cli: Callable[..., Run], spec: Path, doc: Doc) -> Run:
    """Sync, then sync again: the second changes nothing."""
    path = write_doc(doc)
    run = cli(*SYNC, "--discovery", path)
    assert run.code in (0, 1), run.err
    files = snapshot(spec)
    again = cli(*SYNC, "--discovery", path)
    assert again.code == run.code and snapshot(spec) == files, again.out
    return run


def _drift(cli: Callable[..., Run], doc: Doc) -> list[dict[str, Any]]:
    run = cli("drift", "--discovery", write_doc(doc), "--format", "json")
    assert run.code in (0, 1), run.err
    return list(json.loads(run.out)["findings"])


def test_a_new_type_under_a_name_the_spec_holds_gets_one_recorded_name(
    spec_copy: Path, doc: Doc, cli: Callable[..., Run]
) -> None:
    """20260721: Google's object `Source` while the spec's `Source` is an enum."""
    doc["schemas"]["Source"] = {
        "id": "Source",
        "type": "object",
        "description": "A source to mount.",
        "properties": {"uri": {"type": "string", "description": "Where."}},
    }
    doc["schemas"]["File"]["properties"]["mounted"] = {
        "type": "array",
        "items": {"$ref": "Source"},
        "description": "Mounted sources.",
    }
    for _ in range(3):
        run = _twice(cli, spec_copy, doc)
    text = "".join(p.read_text(encoding="utf-8") for p in spec_copy.glob("*.yaml"))
    assert "  SourceObject:\n" in text and "    discovery: Source\n" in text
    assert "Source2" not in text and "Source3" not in text
    spec = load_spec(spec_copy)
    assert spec.types["SourceObject"].discovery == "Source"
    assert spec.types["Source"].__class__.__name__ == "EnumType"  # the spec's enum is untouched
    assert _drift(cli, doc) == [] and run.code == 0


def test_a_hand_written_resource_yields_to_the_one_google_documents(
    spec_copy: Path, doc: Doc, cli: Callable[..., Run]
) -> None:
    """20260702: v1beta `auth_tokens.create` while spec/live.yaml wrote v1alpha `authTokens` by hand."""
    doc["resources"]["auth_tokens"] = {
        "methods": {
            "create": {
                "id": "generativelanguage.auth_tokens.create",
                "path": "v1beta/auth_tokens",
                "flatPath": "v1beta/auth_tokens",
                "httpMethod": "POST",
                "parameters": {},
                "parameterOrder": [],
                "request": {"$ref": "AuthToken"},
                "response": {"$ref": "AuthToken"},
                "description": "Creates a token.",
            }
        }
    }
    doc["schemas"]["AuthToken"] = {
        "id": "AuthToken",
        "type": "object",
        "properties": {
            "name": {"type": "string", "readOnly": True},
            "uses": {"type": "integer", "format": "int32"},
        },
    }
    run = _twice(cli, spec_copy, doc)
    assert "authTokens (hand-written" in run.out and "spec_only rule authTokens" in run.out
    spec = load_spec(spec_copy)
    assert "authTokens" not in spec.resources
    assert spec.resources["auth_tokens"].methods[0].path == "v1beta/auth_tokens"
    ignore = (spec_copy / "drift-ignore.yaml").read_text(encoding="utf-8")
    assert "  authTokens:" not in ignore and "  AuthToken:" not in ignore
    assert not [f for f in _drift(cli, doc) if "uth" in f["where"] and f["kind"] != "field-gone"]


def test_a_wire_rename_keeping_the_python_name_is_one_item_for_a_person(
    spec_copy: Path, doc: Doc, cli: Callable[..., Run]
) -> None:
    props = doc["schemas"]["Candidate"]["properties"]
    props["finish_message"] = props.pop("finishMessage")
    before = snapshot(spec_copy)
    run = _twice(cli, spec_copy, doc)
    assert run.code == 1
    renames = [line for line in _listed(run.out) if "renamed" in line]
    assert len(renames) == 1 and "finishMessage to Candidate.finish_message" in renames[0]
    assert snapshot(spec_copy) == before


def test_a_spec_only_rule_goes_stale_once_discovery_describes_the_type(
    spec_copy: Path, doc: Doc, cli: Callable[..., Run]
) -> None:
    """20260702: Discovery starts describing Live types the spec wrote by hand."""
    doc["schemas"]["GoAway"] = {
        "id": "GoAway",
        "type": "object",
        "properties": {
            "timeLeft": {"type": "string", "format": "google-duration", "readOnly": True},
            "reason": {"type": "string", "description": "Why."},
        },
    }
    drift = cli("drift", "--discovery", write_doc(doc))
    assert "GoAway.reason" in drift.out  # the difference, no longer silenced
    assert "spec_only: GoAway" in drift.out  # the stale rule, named
    run = _twice(cli, spec_copy, doc)
    assert "spec_only rule GoAway: Discovery describes it now" in run.out
    # Discovery's definition replaces the hand-written one (nothing in Discovery uses GoAway and
    # no topic names it: in place), the hand-written description where Discovery has none.
    assert "  = GoAway: spec/live.yaml -> spec/live.yaml\n" in run.out
    assert "  GoAway:" not in (spec_copy / "drift-ignore.yaml").read_text(encoding="utf-8")
    go_away = load_spec(spec_copy).types["GoAway"]
    assert [f.name for f in go_away.fields] == ["timeLeft", "reason"]  # type: ignore[union-attr]
    assert [f["where"] for f in _drift(cli, doc) if f["where"].startswith("GoAway")] == []


def test_a_value_google_adds_on_one_of_the_fields_sharing_an_enum(
    spec_copy: Path, doc: Doc, cli: Callable[..., Run]
) -> None:
    """20260731: HARM_CATEGORY_JAILBREAK on SafetyRating.category only; the spec shares HarmCategory."""
    cat = doc["schemas"]["SafetyRating"]["properties"]["category"]
    cat["enum"].append("HARM_CATEGORY_NEW")
    cat["enumDescriptions"].append("New.")
    run = _twice(cli, spec_copy, doc)
    assert run.code == 0 and "HARM_CATEGORY_NEW [enum-value-missing]" in run.out
    assert _drift(cli, doc) == []  # no "the spec has a value the API lacks" on the other fields


def test_one_finding_the_loader_refuses_does_not_block_the_others(
    spec_copy: Path, doc: Doc, cli: Callable[..., Run]
) -> None:
    gen = spec_copy / "generation.yaml"
    gen.write_text(
        "".join(
            line
            for line in gen.read_text(encoding="utf-8").splitlines(True)
            if "ESCALATION:" not in line
        ),
        encoding="utf-8",
    )
    methods = doc["resources"]["models"]["methods"]
    clash = copy.deepcopy(methods["generateContent"])
    clash["id"] = "generativelanguage.models.generate_content"
    methods["generate_content"] = clash  # generateContent's Python name: the loader refuses it
    run = _twice(cli, spec_copy, doc)
    assert run.code == 1
    assert "ESCALATION [enum-value-missing]" in run.out
    [refused] = [line for line in _listed(run.out) if line.startswith("models.generate_content")]
    why = run.out[run.out.index(refused) :].splitlines()[1]
    assert "the spec would not load with it" in why and "models.yaml" in why
    assert "/tmp" not in run.out and "codegen-sync-" not in run.out
    assert "ESCALATION" in gen.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "path",
    ["https://elsewhere/steal/{name}", "//elsewhere/steal", "/v1beta/steal", "HTTP://x/y", "\\\\x"],
)
def test_a_method_whose_path_leaves_the_origin_is_never_written(
    spec_copy: Path, doc: Doc, cli: Callable[..., Run], path: str
) -> None:
    methods = doc["resources"]["models"]["methods"]
    steal = copy.deepcopy(methods["get"])
    steal.update(id="generativelanguage.models.steal", path=path, flatPath=path)
    methods["steal"] = steal
    before = snapshot(spec_copy)
    run = cli(*SYNC, "--discovery", write_doc(doc))
    assert run.code == 1, run.err
    assert "leaves the API's origin" in run.out
    assert snapshot(spec_copy) == before


def _odd_shapes(doc: Doc) -> None:
    """The shapes the spec language cannot say (bootstrap used to write them anyway)."""
    models = doc["resources"]["models"]["methods"]
    silent = copy.deepcopy(models["get"])
    silent.pop("response")
    silent["id"] = "generativelanguage.models.silent"
    models["silent"] = silent
    dotted = copy.deepcopy(models["list"])
    dotted["id"] = "generativelanguage.models.filtered"
    dotted["parameters"]["filter.name"] = {"type": "string", "location": "query"}
    models["filtered"] = dotted
    doc["schemas"]["Blob"]["properties"]["kind"] = {
        "type": "string",
        "enum": ["image/png", "audio/wav"],
    }
    nest: dict[str, Any] = {"methods": {"get": copy.deepcopy(models["get"])}}
    for level in ("e", "d", "c", "b"):
        nest = {"resources": {level: nest}, "methods": {}}
    doc["resources"]["deep"] = nest


def test_bootstrap_writes_only_what_its_loader_accepts(
    doc: Doc, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _odd_shapes(doc)
    path = write_doc(doc, tmp_path / "d.json")
    assert bootstrap(["--discovery", path, "--out", str(tmp_path / "spec")]) == 0
    err = capsys.readouterr().err
    spec = load_spec(tmp_path / "spec")  # loads
    assert "models.silent has no response type" in err
    assert "'filter.name'" in err
    assert "cannot spell" in err
    assert "nested too deep" in err
    blob = spec.types["Blob"]
    assert [f.type.name for f in blob.fields if f.name == "kind"] == ["string"]  # type: ignore[union-attr]


def test_sync_meets_the_same_shapes_without_exit_2(
    spec_copy: Path, doc: Doc, cli: Callable[..., Run]
) -> None:
    _odd_shapes(doc)
    run = _twice(cli, spec_copy, doc)
    assert run.code == 1
    listed = " ".join(_listed(run.out))
    assert "models.silent" in listed and "models.filtered" in listed and "deep" in listed
    load_spec(spec_copy)
