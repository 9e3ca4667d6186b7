"""`codegen sync` end to end on a copy of the real spec: what lands where, what is left for a person."""

from __future__ import annotations

import copy
import json
import shutil
from dataclasses import replace
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from codegen.discovery.normalise import normalise
from codegen.spec.loader import load_spec
from codegen.sync.edit import block_end
from codegen.spec.model import NOWHERE, EnumType, ObjectType
from codegen.spec.yamlnodes import LOADER  # libyaml: the spec files read as the loader reads them

from .conftest import NEW, REPO, SPEC_DIR, Doc, Run, only_inserted, snapshot, write_doc

SYNC = ("sync", "--no-generate")


def _drop_escalation(spec: Path) -> None:
    gen = spec / "generation.yaml"
    gen.write_text(
        "".join(
            l for l in gen.read_text(encoding="utf-8").splitlines(True) if "ESCALATION:" not in l
        ),
        encoding="utf-8",
    )


def test_escalation_comes_back_where_it_was_and_a_second_run_is_a_no_op(
    spec_copy: Path, cli: Callable[..., Run]
) -> None:
    _drop_escalation(spec_copy)
    run = cli(*SYNC, "--discovery", str(NEW))
    assert run.code == 0, run.err
    assert (
        "  + Candidate.finishReason.ESCALATION [enum-value-missing] -> spec/generation.yaml\n"
        in run.out
    )
    assert (
        "gemini_client.types.FinishReason.ESCALATION: enum value added to an enum received in responses"
        in run.out
    )
    assert "[response-enum-value-added]" in run.out
    # Byte for byte the file it was bootstrapped as: same place, same description, nothing else touched.
    assert snapshot(spec_copy) == snapshot(SPEC_DIR)
    again = cli(*SYNC, "--discovery", str(NEW))
    assert (again.code, again.out.splitlines()[-1]) == (
        0,
        "the spec describes the document: nothing to do",
    )
    assert snapshot(spec_copy) == snapshot(SPEC_DIR)
    assert cli("drift", "--discovery", str(NEW)).code == 0


# The revision the committed spec describes (tests/drift/test_real.py).
LATEST = NEW.with_name("generativelanguage.v1beta.20260731.json")


def _drop_update_mask(spec: Path) -> str:
    """The committed spec less `batches.updateGenerateContentBatch`'s query parameter `updateMask`,
    which sync puts back byte for byte (the method's last parameter); the name of the module it
    changes."""
    batches = spec / "batches.yaml"
    text = batches.read_text(encoding="utf-8")
    param = "\n".join(("          updateMask:", "            in: query", "            type: fieldmask",
                       "            description: The list of fields to update.", ""))  # fmt: skip
    method = text.index("\n      updateGenerateContentBatch:\n")
    at = text.index(param, method)
    assert text.index("\n      updateEmbedContentBatch:\n") > at  # in that method
    batches.write_text(text[:at] + text[at + len(param) :], encoding="utf-8")
    return "gemini_client/resources/batches.py"


def test_sync_regenerates_the_client(
    cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the committed spec less one query parameter, and the revision it describes: the client
    is then, but for that resource's module and the API reference, the one the tests of the
    committed spec generate (black's cache, tests/conftest.py); sync gives back exactly the
    committed spec, and the committed client."""
    monkeypatch.chdir(tmp_path)
    spec = Path("spec")
    shutil.copytree(REPO / "spec", spec)
    module = _drop_update_mask(spec)
    out = tmp_path / "generated"
    templates = str(REPO / "templates")
    committed = (REPO / "generated" / module).read_text(encoding="utf-8")
    assert cli("generate", "--templates", templates, "--out", str(out)).code == 0
    before = (out / module).read_text(encoding="utf-8")
    assert before.count("update_mask") < committed.count("update_mask")
    run = cli("sync", "--discovery", str(LATEST), "--templates", templates, "--out", str(out))
    assert run.code == 0, run.err
    assert "batches.updateGenerateContentBatch.updateMask [param-missing]" in run.out
    assert f"regenerated {out} (" in run.out
    assert (out / module).read_text(encoding="utf-8") == committed
    assert snapshot(spec) == snapshot(REPO / "spec")
    assert cli("check", "--templates", templates, "--out", str(out)).code == 0


def test_dry_run_writes_nothing_and_shows_the_edit(
    spec_copy: Path, cli: Callable[..., Run]
) -> None:
    _drop_escalation(spec_copy)
    before = snapshot(spec_copy)
    run = cli("sync", "--dry-run", "--discovery", str(NEW))
    assert run.code == 1  # something would change
    assert "would apply 1 addition:" in run.out
    assert "+      ESCALATION: Request was filtered by an escalation rule.\n" in run.out
    assert snapshot(spec_copy) == before


# -- a mutated document -------------------------------------------------------------------------


def _get(doc: Doc, rid: str, path: str, response: str) -> dict[str, object]:
    return {
        "id": rid, "path": path, "httpMethod": "GET", "response": {"$ref": response},
        "parameters": {"name": {"location": "path", "type": "string", "required": True, "pattern": "^widgets/[^/]+$"}},
        "parameterOrder": ["name"], "description": "Gets a widget.",
    }  # fmt: skip


def grow(doc: Doc) -> None:
    """Google adds: a field, a field with a new enum type, a method, a query parameter, a resource
    (with a nested one and a type only it needs), a nested resource under models."""
    schemas, models = doc["schemas"], doc["resources"]["models"]
    schemas["Candidate"]["properties"]["avgLogprobs2"] = {
        "type": "number",
        "format": "double",
        "description": "Average log probability.",
    }
    schemas["GenerationConfig"]["properties"]["routingMode"] = {
        "type": "string", "description": "How the request is routed.",
        "enum": ["ROUTING_MODE_UNSPECIFIED", "FAST"], "enumDescriptions": ["Unspecified.", "Fast."],
    }  # fmt: skip
    rank = copy.deepcopy(models["methods"]["generateContent"])
    rank.update(
        id="generativelanguage.models.rankContent",
        path="v1beta/{+model}:rankContent",
        description="Ranks.",
    )
    models["methods"]["rankContent"] = rank
    models["methods"]["list"]["parameters"]["filter"] = {
        "location": "query",
        "type": "string",
        "description": "A filter.",
    }
    schemas["Widget"] = {
        "id": "Widget",
        "type": "object",
        "description": "A widget.",
        "properties": {"name": {"type": "string"}},
    }
    get = _get(doc, "generativelanguage.widgets.get", "v1beta/{+name}", "Widget")
    doc["resources"]["widgets"] = {"methods": {"get": get}, "description": "Widgets."}
    evaluation = {
        **get,
        "id": "generativelanguage.models.evaluations.get",
        "path": "v1beta/{+name}/evaluations",
        "response": {"$ref": "Model"},
    }
    models.setdefault("resources", {})["evaluations"] = {"methods": {"get": evaluation}}


def test_what_google_adds_lands_in_the_right_files_and_drift_is_then_clean(
    spec_copy: Path, doc: Doc, cli: Callable[..., Run], nested_loader: bool
) -> None:
    grow(doc)
    if not nested_loader:  # the loader of this branch reads no nested `resources:` yet
        del doc["resources"]["models"]["resources"]["evaluations"]
    source = write_doc(doc)
    before = {p.name: p.read_text(encoding="utf-8") for p in spec_copy.glob("*.yaml")}
    run = cli(*SYNC, "--discovery", source)
    assert run.code == 0, run.out + run.err
    applied = {
        line.split(" [")[0].strip("+ ").strip(): line.rsplit("-> ", 1)[1]
        for line in run.out.splitlines()
        if line.startswith("  + ")
    }
    expected = {
        "Candidate.avgLogprobs2": "spec/generation.yaml",
        "GenerationConfig.routingMode": "spec/generation.yaml",
        "RoutingMode": "spec/generation.yaml",  # next to its first user, GenerationConfig
        "models.rankContent": "spec/models.yaml",
        "models.list.filter": "spec/models.yaml",
        "widgets": "spec/widgets.yaml",
        "Widget": "spec/widgets.yaml",  # with the resource that needs it
    }
    if nested_loader:
        expected["models.evaluations"] = "spec/models.yaml"
    assert applied == expected
    assert cli("drift", "--discovery", source).code == 0
    assert cli(*SYNC, "--discovery", source).out.endswith("nothing to do\n")
    # Every existing file only gained lines; nothing else moved.
    for name, text in before.items():
        only_inserted(text, (spec_copy / name).read_text(encoding="utf-8"))
    gen = (spec_copy / "generation.yaml").read_text(encoding="utf-8")
    assert "\n  GenerationConfig:\n" in gen and gen.index("\n  RoutingMode:\n") > gen.index(
        "\n  GenerationConfig:\n"
    )
    assert gen.index("\n  RoutingMode:\n") < gen.index("\n  Modality:\n") or "Modality" not in gen
    widgets = (spec_copy / "widgets.yaml").read_text(encoding="utf-8")
    assert widgets.startswith(
        "# Added by `codegen sync` from the Discovery document, revision 20260529.\n\ntypes:\n  Widget:\n"
    )
    spec = load_spec(spec_copy)
    assert spec.resources["widgets"].method("get") is not None
    assert spec.types["RoutingMode"].loc.file == "spec/generation.yaml"


def test_removals_and_retypes_are_listed_for_a_person_and_never_applied(
    spec_copy: Path, doc: Doc, cli: Callable[..., Run]
) -> None:
    del doc["schemas"]["Candidate"]["properties"]["tokenCount"]
    del doc["resources"]["models"]["methods"]["countTokens"]
    doc["schemas"]["GenerationConfig"]["properties"]["seed"].update(type="string", format="int64")
    doc["schemas"]["Candidate"]["properties"]["avgLogprobs2"] = {
        "type": "number",
        "format": "double",
    }
    before = snapshot(spec_copy)
    run = cli(*SYNC, "--discovery", write_doc(doc))
    assert run.code == 1
    assert (
        "applied 1 addition:\n  + Candidate.avgLogprobs2 [field-missing] -> spec/generation.yaml\n"
        in run.out
    )
    assert "needs a person, not applied (3):" in run.out
    for kind in ("field-gone", "method-gone", "field-type-changed"):
        assert f"[{kind}] not additive: needs a person" in run.out
    after = snapshot(spec_copy)
    assert {n for n in after if after[n] != before[n]} == {"generation.yaml"}
    spec = load_spec(spec_copy)
    assert spec.types["Candidate"].field("tokenCount") is not None  # type: ignore[union-attr]
    assert spec.resources["models"].method("countTokens") is not None
    # Only the removals are left: a second run applies nothing and still says so.
    again = cli(*SYNC, "--discovery", "discovery.json")
    assert again.code == 1 and "applied nothing" in again.out and snapshot(spec_copy) == after


def test_a_new_long_running_method_is_left_for_a_person(
    spec_copy: Path, doc: Doc, cli: Callable[..., Run]
) -> None:
    m = copy.deepcopy(doc["resources"]["models"]["methods"]["generateContent"])
    m.update(
        id="generativelanguage.models.tuneContent",
        path="v1beta/{+model}:tuneContent",
        response={"$ref": "Operation"},
    )
    doc["resources"]["models"]["methods"]["tuneContent"] = m
    run = cli(*SYNC, "--discovery", write_doc(doc))
    assert run.code == 1
    assert (
        "[method-missing] long-running: Discovery does not say what the finished operation holds"
        in run.out
    )
    assert "tuneContent" not in (spec_copy / "models.yaml").read_text(encoding="utf-8")


HOSTILE = "Ends here.\n  injected: true\n# comment? {{ jinja }} {% raw %} \"\"\" ''' `$(rm -rf /)` \x1b[31mred\u202e: - [x]"


def test_hostile_text_stays_inert(spec_copy: Path, doc: Doc, cli: Callable[..., Run]) -> None:
    props = doc["schemas"]["Candidate"]["properties"]
    props["hostile"] = {"type": "string", "description": HOSTILE}
    finish = props["finishReason"]
    finish["enum"].append("EVIL")
    finish["enumDescriptions"].append(HOSTILE)
    doc["resources"]["evil"] = {
        "description": HOSTILE,
        "methods": {
            "get": {
                **_get(doc, "x.evil.get", "v1beta/{+name}", "Candidate"),
                "description": HOSTILE,
            }
        },
    }
    source = write_doc(doc)
    run = cli(*SYNC, "--discovery", source)
    assert run.code == 0, run.out + run.err
    assert "\x1b" not in run.out and "\u202e" not in run.out
    # The YAML holds exactly the text the normaliser made of it, as data, nowhere else.
    api = normalise(doc).spec
    spec = load_spec(spec_copy)
    cand, api_cand = spec.types["Candidate"], api.types["Candidate"]
    assert isinstance(cand, ObjectType) and isinstance(api_cand, ObjectType)
    mine, theirs = cand.field("hostile"), api_cand.field("hostile")
    assert mine is not None and theirs is not None
    assert replace(mine, loc=NOWHERE) == replace(theirs, loc=NOWHERE)
    # the hostile part survived, as data (control and bidi characters escaped, as the
    # normaliser writes Discovery prose since #22.5)
    assert "{{ jinja }}" in mine.description and "\\x1b" in mine.description
    assert "\x1b" not in mine.description and "\u202e" not in mine.description
    finish_enum = spec.types["FinishReason"]
    assert isinstance(finish_enum, EnumType) and finish_enum.values[-1].name == "EVIL"
    assert spec.resources["evil"].description == api.resources["evil"].description
    data = yaml.safe_load((spec_copy / "evil.yaml").read_text(encoding="utf-8"))
    assert set(data) == {"resources"} and set(data["resources"]["evil"]) == {
        "description",
        "methods",
    }
    assert cli("drift", "--discovery", source).code == 0


# -- bad input: nothing written, one line, exit 2 -------------------------------------------------


def test_a_bad_document_is_exit_2(spec_copy: Path, cli: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("[1, 2", encoding="utf-8")
    run = cli("sync", "--discovery", str(tmp_path / "bad.json"))
    assert (
        run.code == 2
        and run.out == ""
        and run.err.startswith("codegen sync: ")
        and run.err.count("\n") == 1
    )


def test_a_flow_style_container_is_left_for_a_person_not_mangled(
    spec_copy: Path, doc: Doc, cli: Callable[..., Run]
) -> None:
    tokens = spec_copy / "tokens.yaml"
    text = tokens.read_text(encoding="utf-8")
    block = text[
        text.index("    enum:\n      MODALITY_UNSPECIFIED") : text.index(
            "\n\n  CountTokensRequest:"
        )
    ]
    flow = "    enum: {MODALITY_UNSPECIFIED: x, TEXT: x, IMAGE: x, VIDEO: x, AUDIO: x, DOCUMENT: x}"
    tokens.write_text(text.replace(block, flow), encoding="utf-8")
    load_spec(spec_copy)  # still a valid spec
    schemas = doc["schemas"]
    modality = schemas["ModalityTokenCount"]["properties"]["modality"]
    modality["enum"].append("HOLOGRAM")
    modality["enumDescriptions"].append("Holograms.")
    before = snapshot(spec_copy)
    run = cli(*SYNC, "--discovery", write_doc(doc))
    assert run.code == 1, run.err
    assert "is not a block mapping; write it in block style" in run.out
    assert "HOLOGRAM: Holograms." in run.out  # the YAML it would have written
    assert snapshot(spec_copy) == before


def test_a_failed_generation_puts_the_spec_back(
    spec_copy: Path, cli: Callable[..., Run], tmp_path: Path
) -> None:
    _drop_escalation(spec_copy)
    before = snapshot(spec_copy)
    broken = tmp_path / "templates"
    shutil.copytree(REPO / "templates", broken)
    first = sorted(broken.rglob("*.jinja"))[0]
    first.write_text(
        first.read_text(encoding="utf-8") + "{% if %}", encoding="utf-8"
    )  # rendering fails
    out = tmp_path / "generated"
    run = cli("sync", "--discovery", str(NEW), "--templates", str(broken), "--out", str(out))
    assert run.code != 0 and run.err.count("\n") == 1, run.err
    assert snapshot(spec_copy) == before
    assert not out.exists()


@pytest.fixture(scope="session")
def nested_loader(tmp_path_factory: pytest.TempPathFactory) -> bool:
    """Whether this branch's loader reads `resources:` nested inside a resource."""
    d = tmp_path_factory.mktemp("nested")
    (d / "s.yaml").write_text(
        (SPEC_DIR / "service.yaml").read_text(encoding="utf-8")
        + "\nresources:\n  a:\n    methods: {}\n    resources:\n      b:\n        methods: {}\n",
        encoding="utf-8",
    )
    try:
        return bool(load_spec(d).resources["a"].resources)
    except Exception:
        return False


def test_the_whole_api_from_a_spec_of_models_alone(
    spec_copy: Path, cli: Callable[..., Run], nested_loader: bool
) -> None:
    """Every resource but `models` (and its nested ones) cut out of the spec, no ignore rules but the
    PaLM-era ones (the spec-only ones stay: Live and Imagen types Discovery never describes): sync
    brings every resource back, nested ones included; drift then lists only the long-running
    methods (and resources holding nothing else), which need a person."""
    if not nested_loader:
        pytest.skip("the loader on this branch does not read nested resources yet")
    spec = load_spec(spec_copy)
    cuts: dict[str, list[tuple[int, int]]] = {}
    for name, r in spec.resources.items():
        for _path, loc in (
            [(name, r.loc)]
            if name != "models"
            else [(f"models.{c.name}", c.loc) for c in r.resources]
        ):
            lines = Path(loc.file).read_text(encoding="utf-8").splitlines(True)
            cuts.setdefault(loc.file, []).append((loc.line - 1, block_end(lines, loc.line - 1)))
    for file, spans in cuts.items():
        lines = Path(file).read_text(encoding="utf-8").splitlines(True)
        for a, b in sorted(spans, reverse=True):
            del lines[a:b]
        Path(file).write_text("".join(lines), encoding="utf-8")
    palm = (
        "generateMessage",
        "countMessageTokens",
        "generateText",
        "countTextTokens",
        "embedText",
        "batchEmbedText",
    )
    rules = (
        "".join(f"  models.{m}: PaLM-era.\n" for m in palm)
        + "  tunedModels.generateText: PaLM-era.\n"
    )
    spec_only = yaml.load(
        (SPEC_DIR / "drift-ignore.yaml").read_text(encoding="utf-8"), Loader=LOADER
    )["spec_only"]
    (spec_copy / "drift-ignore.yaml").write_text(
        f"ignore:\n{rules}" + yaml.safe_dump({"spec_only": spec_only}), encoding="utf-8"
    )
    before = cli("drift", "--discovery", str(NEW), "--format", "json")
    assert {f["kind"] for f in json.loads(before.out)["findings"]} >= {"resource-missing"}
    run = cli(*SYNC, "--discovery", str(NEW))
    assert run.code in (0, 1), run.err
    # Left: long-running methods, and nested resources that hold nothing else; each one was listed.
    after = json.loads(cli("drift", "--discovery", str(NEW), "--format", "json").out)
    assert {f["kind"] for f in after["findings"]} <= {"method-missing", "resource-missing"}
    listed = [line[4:].split(":")[0] for line in run.out.splitlines() if line.startswith("  ! ")]
    assert all(
        any(x == f["where"] or x.startswith(f["where"] + ".") for x in listed)
        for f in after["findings"]
    )
    assert all(
        "long-running" in line
        for line in run.out.splitlines()
        if line.startswith("      [") and "-missing]" in line
    )


def test_names_the_spec_cannot_spell_are_left_for_a_person_and_write_no_file(
    spec_copy: Path, doc: Doc, cli: Callable[..., Run], tmp_path: Path
) -> None:
    doc["resources"]["../../evil"] = {
        "methods": {"get": {"id": "x", "path": "v1beta/x", "httpMethod": "GET"}}
    }
    doc["resources"]["fine"] = {
        "methods": {"$(reboot)": {"id": "y", "path": "v1beta/y", "httpMethod": "GET"}}
    }
    doc["schemas"]["Candidate"]["properties"]["avgLogprobs2"] = {
        "type": "number",
        "format": "double",
    }
    before = {p for p in tmp_path.rglob("*") if p.is_file()}
    run = cli(*SYNC, "--discovery", write_doc(doc))
    assert run.code == 1, run.err
    assert "a name the spec language cannot spell: '$(reboot)'" in run.out
    assert (
        "  + Candidate.avgLogprobs2 [field-missing] -> spec/generation.yaml\n" in run.out
    )  # the rest still applied
    created = {p for p in tmp_path.rglob("*") if p.is_file()} - before
    assert created == {tmp_path / "discovery.json"}


def test_markdown_report_for_the_pull_request_is_inert(
    spec_copy: Path, doc: Doc, cli: Callable[..., Run]
) -> None:
    _drop_escalation(spec_copy)
    doc["resources"]["fine"] = {
        "methods": {
            "<img src=x onerror=alert(1)>|@team": {
                "id": "y",
                "path": "v1beta/y",
                "httpMethod": "GET",
            }
        }
    }
    run = cli(*SYNC, "--format", "markdown", "--discovery", write_doc(doc))
    assert run.code == 1
    out = run.out
    assert out.startswith("## codegen sync: Discovery revision 20260529\n")
    assert (
        "### Applied (1)\n\n| where | kind | file |\n|---|---|---|\n| Candidate.finishReason.ESCALATION | enum-value-missing | spec/generation.yaml |"
        in out.replace("\\_", "_")
    )
    assert "### Needs a person, not applied (1)" in out
    assert "<img" not in out and "&lt;img" in out and "@team" not in out
    assert "### Spec diff" in out and "`response-enum-value-added`" in out
