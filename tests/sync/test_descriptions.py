"""`codegen sync` keeps the spec's descriptions as whole as Discovery's (`codegen.sync.descriptions`).

A description cut short (the first sentence bootstrap used to keep, a text ending in `...`) becomes
Discovery's whole text; one written by hand stays unless `--descriptions all`; the change is
docs-only in the spec diff; hostile prose reaches the spec escaped and bounded and the generated
code unharmed; the result does not depend on anything but its inputs.
"""

from __future__ import annotations

import ast
import re
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from codegen.discovery.text import MAX_DESCRIPTION
from codegen.render.package import render_package
from codegen.spec.loader import load_spec

from .conftest import NEW, REPO, Doc, Run, snapshot, write_doc

CACHED = "types.GenerateContentRequest.fields.cachedContent"
CACHED_FULL = (
    "The name of the content cached to use as context to serve the prediction. "
    "Format: `cachedContents/{cachedContent}`"
)
FC_NAME = "types.FunctionCall.fields.name"
FC_NAME_FULL = (
    "The name of the function to call. Must be a-z, A-Z, 0-9, or contain underscores and dashes, "
    "with a maximum length of 128."
)
CANDIDATE_COUNT = "types.GenerationConfig.fields.candidateCount"
MINE = "Written by hand: how many answers to return."


def _set(spec_dir: Path, path: str, text: str) -> None:
    """Replace the description of the node at YAML `path` (its key line and deeper lines)."""
    loc = load_spec(spec_dir).locations[f"{path}.description"]
    file = Path(loc.file)
    lines = file.read_text(encoding="utf-8").splitlines(keepends=True)
    start = loc.line - 1
    indent = len(lines[start]) - len(lines[start].lstrip())
    end = start + 1
    while end < len(lines) and len(lines[end]) - len(lines[end].lstrip()) > indent:
        end += 1
    lines[start:end] = [" " * indent + f"description: {json.dumps(text)}\n"]
    file.write_text("".join(lines), encoding="utf-8")


def _description(spec_dir: Path, path: str) -> str:
    spec = load_spec(spec_dir)
    type_name, field = path.split(".")[1], path.split(".")[3]
    f = spec.types[type_name].field(field)  # type: ignore[union-attr]
    assert f is not None
    return f.description


@pytest.fixture
def cut_spec(spec_copy: Path) -> Path:
    """The 20260529 spec as bootstrap used to write it in places: two descriptions cut to their
    first sentence (one of them as `_shorten` cut long texts), one rewritten by hand."""
    _set(spec_copy, FC_NAME, "The name of the function to call.")
    _set(spec_copy, CACHED, "The name of the content cached to use as context to...")
    _set(spec_copy, CANDIDATE_COUNT, MINE)
    return spec_copy


def test_a_cut_description_becomes_discoverys_whole_text_and_a_second_run_is_a_no_op(
    cut_spec: Path, cli: Callable[..., Run]
) -> None:
    r = cli("sync", "--discovery", str(NEW), "--spec", str(cut_spec), "--no-generate")
    assert r.code == 0, r.out + r.err
    assert "took 2 descriptions from Discovery" in r.out
    assert "0 breaking, 0 warnings, 0 non-breaking, 2 docs-only" in r.out
    assert "[field-description-changed]" in r.out
    assert _description(cut_spec, FC_NAME) == FC_NAME_FULL
    assert _description(cut_spec, CACHED) == CACHED_FULL
    assert _description(cut_spec, CANDIDATE_COUNT) == MINE  # hand-written: left alone
    after = snapshot(cut_spec)
    again = cli("sync", "--discovery", str(NEW), "--spec", str(cut_spec), "--no-generate")
    assert again.code == 0 and "nothing to do" in again.out
    assert snapshot(cut_spec) == after


def test_keep_touches_nothing_and_all_takes_every_differing_text(
    cut_spec: Path, cli: Callable[..., Run]
) -> None:
    before = snapshot(cut_spec)
    keep = cli(
        "sync", "--discovery", str(NEW), "--spec", str(cut_spec), "--no-generate",
        "--descriptions", "keep",
    )  # fmt: skip
    assert keep.code == 0 and "nothing to do" in keep.out
    assert snapshot(cut_spec) == before
    dry = cli("sync", "--discovery", str(NEW), "--spec", str(cut_spec), "--dry-run")
    assert dry.code == 1 and "would take 2 descriptions" in dry.out
    assert snapshot(cut_spec) == before
    everything = cli(
        "sync", "--discovery", str(NEW), "--spec", str(cut_spec), "--no-generate",
        "--descriptions", "all",
    )  # fmt: skip
    assert everything.code == 0, everything.out + everything.err
    assert "took 3 descriptions" in everything.out
    assert _description(cut_spec, CANDIDATE_COUNT).startswith("Number of generated responses")
    assert _description(cut_spec, FC_NAME) == FC_NAME_FULL


def test_hand_written_parts_discovery_does_not_describe_stay(
    spec_copy: Path, cli: Callable[..., Run]
) -> None:
    """live.yaml and interactions.yaml: no Discovery counterpart, never touched, even with `all`."""
    before = snapshot(spec_copy)
    r = cli(
        "sync", "--discovery", str(NEW), "--spec", str(spec_copy), "--no-generate",
        "--descriptions", "all",
    )  # fmt: skip
    assert r.code in (0, 1), r.err
    after = snapshot(spec_copy)
    for name in ("live.yaml", "interactions.yaml", "imagen.yaml"):
        assert after[name] == before[name], name


HOSTILE = (
    " Ends \"\"\" here, ''' too; back\\slash \\N{BULLET} \\x41 {{ 7*7 }} {% raw %} #}"
    " nul\x00 bidi\u202e zero\u200bwidth esc\x1b[31m line\u2028sep."
)


def test_hostile_discovery_prose_reaches_the_code_inert_and_bounded(
    spec_copy: Path, doc: Doc, cli: Callable[..., Run]
) -> None:
    raw = "Optional. " + CACHED_FULL + HOSTILE + " A long sentence." * 6000  # > 100 kB
    doc["schemas"]["GenerateContentRequest"]["properties"]["cachedContent"]["description"] = raw
    r = cli("sync", "--discovery", write_doc(doc), "--spec", str(spec_copy), "--no-generate")
    assert r.code == 0, r.out + r.err
    files = snapshot(spec_copy)
    written = b"".join(files.values()).decode("utf-8")
    for ch in ("\x00", "\u202e", "\u200b", "\x1b", "\u2028"):
        assert ch not in written, repr(ch)
    text = _description(spec_copy, CACHED)
    assert text.startswith(CACHED_FULL + ' Ends """ here')
    assert "{{ 7*7 }}" in text and "\\u202e" in text and "\\x00" in text
    assert len(text) <= MAX_DESCRIPTION and text.endswith("sentence. ...")

    spec = load_spec(spec_copy)
    rendered, _ = render_package(spec, REPO / "templates", types_module=False)
    models = ast.parse(rendered["gemini_client/resources/models.py"])
    docs = [
        ast.get_docstring(node) or ""
        for node in ast.walk(models)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.name == "generate_content"
    ]
    assert len(docs) == 2  # sync and async: the text closed no docstring, opened no definition
    for got in docs:
        words = " ".join(got.split())
        assert 'Ends """ here' in words and "{{ 7*7 }}" in words and "\\N{BULLET}" in words
        assert "\\u202e" in words and "\x00" not in got
    dicts = ast.parse(rendered["gemini_client/types/_dicts.py"])
    request = next(
        n
        for n in dicts.body
        if isinstance(n, ast.ClassDef) and n.name == "GenerateContentRequestDict"
    )
    assert "cached_content" in [
        n.target.id
        for n in request.body
        if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)
    ]


def test_the_same_inputs_give_the_same_bytes(
    cut_spec: Path, cli: Callable[..., Run], tmp_path: Path
) -> None:
    twin = tmp_path / "twin"
    shutil.copytree(cut_spec, twin)
    for spec_dir in (cut_spec, twin):
        r = cli("sync", "--discovery", str(NEW), "--spec", str(spec_dir), "--no-generate")
        assert r.code == 0, r.err
    assert snapshot(cut_spec) == snapshot(twin)


PINNED = REPO / "tests" / "data" / "generativelanguage.v1beta.20260731.json"


def _attribute_docs(source: str, cls: str) -> dict[str, str]:
    """Each field of class `cls` with the docstring under it, whitespace folded."""
    node = next(n for n in ast.parse(source).body if isinstance(n, ast.ClassDef) and n.name == cls)
    out: dict[str, str] = {}
    for item, after in zip(node.body, node.body[1:]):
        if (
            isinstance(item, ast.AnnAssign)
            and isinstance(item.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            out[item.target.id] = " ".join(after.value.value.split())
    return out


def test_the_committed_client_carries_discoverys_whole_descriptions() -> None:
    """What users read in their editor is what Google wrote, every sentence: `temperature`'s
    range, `safetySettings`' list of categories and links reduced to their text."""

    raw = json.loads(PINNED.read_text(encoding="utf-8"))["schemas"]

    def google(schema: str, field: str) -> str:
        text = raw[schema]["properties"][field]["description"]
        text = re.sub(r"^(?:(?:Optional|Required|Output only)\. )+", "", text)
        return re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", " ".join(text.split()))

    source = (REPO / "generated" / "gemini_client" / "types" / "_models.py").read_text("utf-8")
    config = _attribute_docs(source, "GenerationConfig")
    assert "Values can range from [0.0, 2.0]." in config["temperature"]
    assert config["temperature"] == google("GenerationConfig", "temperature")
    request = _attribute_docs(source, "GenerateContentRequest")
    assert request["safety_settings"] == google("GenerateContentRequest", "safetySettings")
    assert "HARM_CATEGORY_JAILBREAK are supported" in request["safety_settings"]
    assert _attribute_docs(source, "FunctionCall")["name"] == google("FunctionCall", "name")

    resources = (REPO / "generated" / "gemini_client" / "resources" / "models.py").read_text(
        "utf-8"
    )
    method = next(
        n
        for n in ast.walk(ast.parse(resources))
        if isinstance(n, ast.FunctionDef) and n.name == "generate_content"
    )
    args = " ".join((ast.get_docstring(method) or "").split())
    assert "safety_settings: " + google("GenerateContentRequest", "safetySettings") in args


def test_the_committed_spec_holds_no_cut_description_of_the_pinned_revision() -> None:
    """Every spec description that came from Discovery is its whole text at 20260731 (a sync
    takes nothing); the hand-written ones differ and stay."""
    from codegen.discovery.normalise import normalise
    from codegen.drift.compare import compared
    from codegen.sync.descriptions import refreshes

    api = normalise(json.loads(PINNED.read_text(encoding="utf-8")), keep_unspellable=True).spec
    spec = load_spec(REPO / "spec")
    pairs = compared(api, spec).paired
    assert refreshes(spec, api, pairs) == []
    assert len(refreshes(spec, api, pairs, "all")) > 0  # hand-written Live and token texts


def test_a_description_inside_a_flow_mapping_is_not_rewritten(
    cut_spec: Path, cli: Callable[..., Run]
) -> None:
    """`name: {type: string, description: ...}` cannot be edited by line: left as it is."""
    loc = load_spec(cut_spec).locations[FC_NAME]
    file = Path(loc.file)
    lines = file.read_text(encoding="utf-8").splitlines(keepends=True)
    start = loc.line - 1
    indent = len(lines[start]) - len(lines[start].lstrip())
    end = start + 1
    while end < len(lines) and len(lines[end]) - len(lines[end].lstrip()) > indent:
        end += 1
    flow = " " * indent + "name: {type: string, required: true, description: The name.}\n"
    lines[start:end] = [flow]
    file.write_text("".join(lines), encoding="utf-8")
    r = cli("sync", "--discovery", str(NEW), "--spec", str(cut_spec), "--no-generate")
    assert r.code == 0, r.out + r.err
    assert "took 1 description from Discovery" in r.out
    assert flow in file.read_text(encoding="utf-8")
    assert _description(cut_spec, FC_NAME) == "The name."
    assert _description(cut_spec, CACHED) == CACHED_FULL
