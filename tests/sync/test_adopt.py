"""Hand-written types Discovery starts describing: `codegen sync` takes Discovery's definition.

The real case first (the Live setup types Discovery describes from revision 20260702, which a
person moved by hand at 20260731), then hostile ones on the 20260529 document: a name Discovery
uses for another kind of type, fields and values only the hand-written definition has, a type
referenced from several files, patterns that name adopted and hand-written types at once, a
definition the spec language cannot hold, --dry-run, and every run twice (the second a no-op).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from codegen.spec.loader import load_spec
from codegen.spec.model import EnumType, ObjectType, Spec
from codegen.spec.yamlnodes import LOADER  # libyaml: the spec files read as the loader reads them

from .conftest import REPO, Doc, Run, snapshot, write_doc

SYNC = ("sync", "--no-generate")
HISTORY = REPO / "tests" / "data" / "history"
# What a person wrote by hand at 20260731 (commit 4cc6a6a): the Live setup types moved to
# liveSetup.yaml, AuthToken to auth_tokens.yaml.
MANUAL = REPO / "tests" / "data" / "specs" / "manual-20260731"


def _twice(cli: Callable[..., Run], spec: Path, doc_path: str) -> Run:
    run = cli(*SYNC, "--discovery", doc_path)
    assert run.code in (0, 1), run.err
    assert not run.err.strip(), run.err
    files = snapshot(spec)
    again = cli(*SYNC, "--discovery", doc_path)
    assert again.code == run.code and snapshot(spec) == files, again.out
    assert "took Discovery's definition" not in again.out
    return run


def _listed(out: str) -> list[str]:
    return [line[4:].split(": ", 1)[0] for line in out.splitlines() if line.startswith("  ! ")]


def _drift(cli: Callable[..., Run], doc_path: str) -> list[dict[str, Any]]:
    run = cli("drift", "--discovery", doc_path, "--format", "json")
    assert run.code in (0, 1), run.err
    return list(json.loads(run.out)["findings"])


def _rules(spec: Path) -> dict[str, Any]:
    return dict(yaml.load((spec / "drift-ignore.yaml").read_text(encoding="utf-8"), Loader=LOADER))


def _shape(spec: Spec, name: str) -> tuple[str, dict[str, str]]:
    t = spec.types[name]
    if isinstance(t, ObjectType):
        return "object", {f.name: str(f.type) for f in t.fields}
    assert isinstance(t, EnumType)
    return "enum", {v.name: "" for v in t.values}


def _file_types(path: Path) -> list[str]:
    return list(yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER)["types"])


# -- the real history ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def caught_up(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The spec as it was at 20260529 (Live types hand-written in live.yaml) synced to 20260731
    in one step, twice, and the reports."""
    import os

    from codegen.cli import main

    root = tmp_path_factory.mktemp("caught-up")
    import shutil

    shutil.copytree(REPO / "tests" / "data" / "specs" / "v20260529", root / "spec")
    doc = root / "discovery.json"
    doc.write_bytes(
        gzip.decompress((HISTORY / "generativelanguage.v1beta.20260731.json.gz").read_bytes())
    )
    cwd = os.getcwd()
    os.chdir(root)
    try:
        import contextlib
        import io

        outs = []
        for _ in range(2):
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                code = main([*SYNC, "--discovery", str(doc)])
            outs.append((code, out.getvalue()))
            snapshot_now = snapshot(Path("spec"))
        drift = io.StringIO()
        with contextlib.redirect_stdout(drift):
            main(["drift", "--discovery", str(doc), "--format", "json"])
        return {
            "root": root,
            "runs": outs,
            "files": snapshot_now,
            "spec": load_spec(Path("spec")),
            "drift": json.loads(drift.getvalue())["findings"],
        }
    finally:
        os.chdir(cwd)


def test_the_live_setup_types_come_from_discovery_where_a_person_put_them(
    caught_up: dict[str, Any],
) -> None:
    (code, out), (again, second) = caught_up["runs"]
    assert code == 1 and again == 1  # proactivity needs a person, both times
    assert "took Discovery's definition of 12 hand-written type(s)" in out
    assert "took Discovery's definition" not in second
    spec_dir = caught_up["root"] / "spec"
    # The same types in the same files as the move by hand...
    assert _file_types(spec_dir / "liveSetup.yaml") == _file_types(MANUAL / "liveSetup.yaml")
    assert "AuthToken" in _file_types(spec_dir / "auth_tokens.yaml")
    live = _file_types(spec_dir / "live.yaml")
    assert not set(live) & set(_file_types(MANUAL / "liveSetup.yaml")) and "AuthToken" not in live
    # ...with the same fields, types and values; only descriptions and field order are Google's.
    spec: Spec = caught_up["spec"]
    for name in [*_file_types(MANUAL / "liveSetup.yaml"), "AuthToken"]:
        assert _shape(spec, name) == _written(MANUAL, name), name
    setup = spec.types["BidiGenerateContentSetup"]
    assert setup.description.startswith("Message to be sent in the first")  # Google's words
    # What only the hand-written definition had is kept, last, and listed for a person.
    assert [f.name for f in setup.fields][-1] == "proactivity"  # type: ignore[union-attr]
    assert "BidiGenerateContentSetup.proactivity" in _listed(out)
    moved = {*_file_types(MANUAL / "liveSetup.yaml"), "AuthToken"}
    about = [f["where"] for f in caught_up["drift"] if f["where"].split(".")[0] in moved]
    assert about == ["BidiGenerateContentSetup.proactivity"]
    assert set(_listed(out)) >= {f["where"] for f in caught_up["drift"]}
    # The rules no longer claim Discovery lacks them; the messages' pattern now names each message.
    spec_only = _rules(spec_dir)["spec_only"]
    assert "BidiGenerateContent*" not in spec_only and "RealtimeInputConfig" not in spec_only
    assert "BidiGenerateContentClientMessage" in spec_only
    assert "BidiGenerateContentSetup" not in spec_only


def _written(files: Path, name: str) -> tuple[str, dict[str, str]]:
    """A type's shape as written in a spec file of `files`."""
    for path in sorted(files.glob("*.yaml")):
        types = yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER).get("types") or {}
        if name in types:
            t = types[name]
            if "enum" in t:
                return "enum", {v: "" for v in t["enum"]}
            fields = t.get("fields") or {}
            return "object", {
                f: (v if isinstance(v, str) else v["type"]) for f, v in fields.items()
            }
    raise KeyError(name)


# -- hostile cases on the 20260529 document -----------------------------------------------------


def _enum(values: list[str]) -> dict[str, Any]:
    return {"type": "string", "enum": values, "enumDescriptions": [f"{v}." for v in values]}


def test_a_name_discovery_uses_for_another_kind_of_type_is_not_adopted(
    spec_copy: Path, doc: Doc, cli: Callable[..., Run]
) -> None:
    """The spec's hand-written enum TurnCompleteReason, Discovery's object of that name (and
    the spec's hand-written object GoAway, Discovery's enum GoAway)."""
    doc["schemas"]["TurnCompleteReason"] = {
        "id": "TurnCompleteReason",
        "type": "object",
        "properties": {"code": {"type": "integer", "format": "int32"}},
    }
    doc["schemas"]["GoAway"] = {"id": "GoAway", **_enum(["SOON", "NOW"])}
    props = doc["schemas"]["Candidate"]["properties"]
    props["turnEnd"] = {"$ref": "TurnCompleteReason"}
    props["goAway"] = {"$ref": "GoAway"}
    live_before = (spec_copy / "live.yaml").read_text(encoding="utf-8")
    run = _twice(cli, spec_copy, write_doc(doc))
    assert "took Discovery's definition" not in run.out
    assert (spec_copy / "live.yaml").read_text(encoding="utf-8") == live_before
    spec = load_spec(spec_copy)
    assert isinstance(spec.types["TurnCompleteReason"], EnumType)
    assert isinstance(spec.types["GoAway"], ObjectType)
    assert spec.types["TurnCompleteReasonObject"].discovery == "TurnCompleteReason"
    assert spec.types["GoAwayEnum"].discovery == "GoAway"
    assert {"TurnCompleteReason", "GoAway"} <= set(_rules(spec_copy)["spec_only"])
    assert _drift(cli, write_doc(doc)) == []


def test_what_only_the_hand_written_definition_has_is_kept_and_listed(
    spec_copy: Path, doc: Doc, cli: Callable[..., Run]
) -> None:
    """Discovery's GoAway lacks the hand-written timeLeft; its TurnCompleteReason lacks a value."""
    doc["schemas"]["GoAway"] = {
        "id": "GoAway",
        "type": "object",
        "description": "Google's words.",
        "properties": {"reason": {"type": "string", "description": "Why."}},
    }
    doc["schemas"]["TurnCompleteReason"] = {"id": "TurnCompleteReason", **_enum(["NEW_REASON"])}
    doc["schemas"]["GenerateContentResponse"]["properties"]["goAway"] = {"$ref": "GoAway"}
    doc["schemas"]["GenerateContentResponse"]["properties"]["turnEnd"] = {
        "$ref": "TurnCompleteReason"
    }
    hand = load_spec(spec_copy).types["TurnCompleteReason"]
    assert isinstance(hand, EnumType)
    path = write_doc(doc)
    run = _twice(cli, spec_copy, path)
    assert run.code == 1
    spec = load_spec(spec_copy)
    go_away = spec.types["GoAway"]
    assert isinstance(go_away, ObjectType)
    assert [f.name for f in go_away.fields] == ["reason", "timeLeft"]
    assert go_away.description == "Google's words."
    assert go_away.loc.file == "spec/generation.yaml"  # next to its user in Discovery
    reason = spec.types["TurnCompleteReason"]
    assert isinstance(reason, EnumType)
    assert [v.name for v in reason.values] == ["NEW_REASON", *[v.name for v in hand.values]]
    listed = _listed(run.out)
    assert "GoAway.timeLeft" in listed
    kept_values = [v.name for v in hand.values]
    assert sum(
        1 for line in run.out.splitlines() if "lacks it: kept in the definition" in line
    ) == 1 + len(kept_values)
    # drift afterwards names only what was kept (enum values now at the field that uses them)
    left = {(f["kind"], f["where"].rsplit(".", 1)[-1]) for f in _drift(cli, path)}
    assert left == {("field-gone", "timeLeft")} | {("enum-value-gone", v) for v in kept_values}


def test_a_type_referenced_from_several_files_keeps_every_reference(
    spec_copy: Path, doc: Doc, cli: Callable[..., Run]
) -> None:
    """Discovery adds GenerationConfig.proactivity with its ProactivityConfig, which live.yaml
    wrote by hand and BidiGenerateContentSetup uses."""
    doc["schemas"]["ProactivityConfig"] = {
        "id": "ProactivityConfig",
        "type": "object",
        "description": "Proactivity.",
        "properties": {"proactiveAudio": {"type": "boolean", "description": "Be proactive."}},
    }
    doc["schemas"]["GenerationConfig"]["properties"]["proactivity"] = {
        "$ref": "ProactivityConfig",
        "description": "How proactive.",
    }
    run = _twice(cli, spec_copy, write_doc(doc))
    assert "  = ProactivityConfig: spec/live.yaml -> spec/generation.yaml" in run.out
    spec = load_spec(spec_copy)
    assert spec.types["ProactivityConfig"].loc.file == "spec/generation.yaml"
    users = {
        t.loc.file
        for t in spec.objects()
        for f in t.fields
        if f.type.named() == "ProactivityConfig"
    }
    assert users == {"spec/live.yaml", "spec/generation.yaml"}
    assert "ProactivityConfig" not in _rules(spec_copy)["spec_only"]
    # (the loader checked every reference; test_history's chain generates, checks, imports and
    # type-checks the client with the Live types adopted)


def test_a_pattern_keeps_naming_the_hand_written_types_it_still_covers(
    spec_copy: Path, doc: Doc, cli: Callable[..., Run]
) -> None:
    """`BidiGenerateContent*` named the setup and the messages; Discovery describes only the
    setup. A rule written as a mapping (`reason`, `kinds`) keeps its shape."""
    rules = spec_copy / "drift-ignore.yaml"
    text = rules.read_text(encoding="utf-8")
    star = next(line for line in text.splitlines() if line.startswith("  BidiGenerateContent*:"))
    reason = star.split(": ", 1)[1]
    rules.write_text(
        text.replace(
            star,
            f'  "BidiGenerateContent*":\n    reason: {reason}\n    kinds: [type-gone]',
        ),
        encoding="utf-8",
    )
    doc["schemas"]["BidiGenerateContentSetup"] = {
        "id": "BidiGenerateContentSetup",
        "type": "object",
        "properties": {"model": {"type": "string"}},
    }
    doc["schemas"]["GenerationConfig"]["properties"]["setup"] = {"$ref": "BidiGenerateContentSetup"}
    run = _twice(cli, spec_copy, write_doc(doc))
    spec_only = _rules(spec_copy)["spec_only"]
    assert "BidiGenerateContent*" not in spec_only and "BidiGenerateContentSetup" not in spec_only
    assert spec_only["BidiGenerateContentClientMessage"]["kinds"] == ["type-gone"]
    assert spec_only["BidiGenerateContentToolCall"]["reason"] == yaml.safe_load(reason)
    assert "# The Live API (spec/live.yaml)" in rules.read_text(encoding="utf-8")  # comment kept
    assert "now names BidiGenerateContentClientContent" in run.out
    # every field of the hand-written setup that Discovery's lacks is kept and listed
    setup = load_spec(spec_copy).types["BidiGenerateContentSetup"]
    assert isinstance(setup, ObjectType) and setup.fields[0].name == "model"
    assert len(_listed(run.out)) == len(setup.fields) - 1


def test_a_definition_the_spec_cannot_hold_is_left_for_a_person(
    spec_copy: Path, doc: Doc, cli: Callable[..., Run]
) -> None:
    """Discovery's GoAway has two fields of one Python name (`timeLeft`, `time_left`), which the
    loader refuses: the hand-written definition stays, the rest of the run is applied."""
    doc["schemas"]["GoAway"] = {
        "id": "GoAway",
        "type": "object",
        "properties": {"time_left": {"type": "string"}, "timeLeft": {"type": "string"}},
    }
    cat = doc["schemas"]["SafetyRating"]["properties"]["category"]
    cat["enum"].append("HARM_CATEGORY_NEW")
    cat["enumDescriptions"].append("New.")
    live = (spec_copy / "live.yaml").read_text(encoding="utf-8")
    run = _twice(cli, spec_copy, write_doc(doc))
    assert run.code == 1
    assert "HARM_CATEGORY_NEW [enum-value-missing]" in run.out
    assert "GoAway" in _listed(run.out)
    assert "the spec would not load with it" in run.out and "/tmp" not in run.out
    assert (spec_copy / "live.yaml").read_text(encoding="utf-8") == live
    load_spec(spec_copy)


def test_dry_run_shows_the_move_and_writes_nothing(
    spec_copy: Path, doc: Doc, cli: Callable[..., Run]
) -> None:
    doc["schemas"]["GoAway"] = {
        "id": "GoAway",
        "type": "object",
        "properties": {"timeLeft": {"type": "string", "format": "google-duration"}},
    }
    doc["schemas"]["GenerateContentResponse"]["properties"]["goAway"] = {"$ref": "GoAway"}
    before = snapshot(spec_copy)
    run = cli(*SYNC, "--dry-run", "--discovery", write_doc(doc))
    assert run.code == 1, run.err
    assert "would take Discovery's definition of 1" in run.out
    assert "-  GoAway:" in run.out and "+  GoAway:" in run.out
    assert snapshot(spec_copy) == before


def test_a_failed_generation_puts_the_hand_written_definitions_back(
    spec_copy: Path, doc: Doc, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The move touches live.yaml, drift-ignore.yaml and a new liveSetup.yaml: all undone when
    regeneration fails (made to fail at once: what is tested is sync putting the spec back)."""
    import codegen.pipeline

    def fail(paths: object) -> None:
        assert (spec_copy / "liveSetup.yaml").exists()  # the move was written...
        raise RuntimeError("rendering failed")

    monkeypatch.setattr(codegen.pipeline, "generate", fail)
    doc["schemas"]["BidiGenerateContentSetup"] = {
        "id": "BidiGenerateContentSetup",
        "type": "object",
        "properties": {"model": {"type": "string"}},
    }
    doc["schemas"]["GenerationConfig"]["properties"]["setup"] = {"$ref": "BidiGenerateContentSetup"}
    before = snapshot(spec_copy)
    run = cli("sync", "--discovery", write_doc(doc))
    assert run.code != 0 and run.err.count("\n") == 1, run.err
    assert snapshot(spec_copy) == before and not (spec_copy / "liveSetup.yaml").exists()
