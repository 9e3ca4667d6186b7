"""What is not a change: the same spec, its keys in another order, its types in other files."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from codegen.diff.compare import kwargs
from codegen.render.view import method_view
from codegen.spec.loader import load_spec

from .conftest import SPEC, Run, SpecFiles


def _no_changes(run: Run) -> None:
    assert run.code == 0, run.err
    doc = run.json()
    assert doc["changes"] == []
    assert doc["summary"] == {"breaking": 0, "warning": 0, "non-breaking": 0, "docs": 0, "total": 0}


def test_identical_specs_have_no_changes(
    spec_copy: Callable[[str], Path], cli: Callable[..., Run]
) -> None:
    run = cli("diff", str(SPEC), str(spec_copy("same")), "--format", "json", "--fail-on", "any")
    _no_changes(run)
    text = cli("diff", str(SPEC), str(SPEC))
    assert text.code == 0
    assert "0 breaking, 0 warnings, 0 non-breaking, 0 docs-only" in text.out


def _shuffled(value: Any, rng: random.Random) -> Any:
    if isinstance(value, dict):
        items = list(value.items())
        rng.shuffle(items)
        return {k: _shuffled(v, rng) for k, v in items}
    if isinstance(value, list):
        return [_shuffled(v, rng) for v in value]  # lists keep their order: it can mean something
    return value


def test_reordering_every_mapping_is_not_a_change(
    spec_copy: Callable[[str], Path], cli: Callable[..., Run]
) -> None:
    root = spec_copy("shuffled")
    files = SpecFiles(root)
    rng = random.Random(6)
    files.files = {name: _shuffled(data, rng) for name, data in files.files.items()}
    files.write()
    assert (root / "generation.yaml").read_text() != (SPEC / "generation.yaml").read_text()
    _no_changes(cli("diff", str(SPEC), str(root), "--format", "json", "--fail-on", "any"))


def test_moving_types_between_files_is_not_a_change(
    spec_copy: Callable[[str], Path], cli: Callable[..., Run]
) -> None:
    root = spec_copy("moved")
    files = SpecFiles(root)
    # Candidate and FinishReason to a new file, the models resource to another, Model to tools.yaml.
    generation = files.files["generation.yaml"]["types"]
    files.files["zz-moved.yaml"] = {
        "types": {
            "Candidate": generation.pop("Candidate"),
            "FinishReason": generation.pop("FinishReason"),
        }
    }
    models = files.files["models.yaml"]
    files.files["aa-resources.yaml"] = {"resources": models.pop("resources")}
    files.files["tools.yaml"]["types"]["Model"] = models["types"].pop("Model")
    files.write()
    _no_changes(cli("diff", str(SPEC), str(root), "--format", "json", "--fail-on", "any"))


def test_a_change_reads_the_same_whatever_the_file_split(
    spec_copy: Callable[[str], Path], cli: Callable[..., Run]
) -> None:
    """The same edit in two differently split copies yields the same rules and symbols."""

    def edit(files: SpecFiles) -> None:
        files.type("FinishReason")["enum"].pop("SAFETY")

    plain = spec_copy("plain")
    f1 = SpecFiles(plain)
    edit(f1)
    f1.write()
    moved = spec_copy("split")
    f2 = SpecFiles(moved)
    f2.files["zz.yaml"] = {
        "types": {"FinishReason": f2.files["generation.yaml"]["types"].pop("FinishReason")}
    }
    edit(f2)
    f2.write()
    a = [
        (c["rule"], c["symbol"], c["message"])
        for c in cli("diff", str(SPEC), str(plain), "--format", "json").json()["changes"]
    ]
    b = [
        (c["rule"], c["symbol"], c["message"])
        for c in cli("diff", str(SPEC), str(moved), "--format", "json").json()["changes"]
    ]
    assert (
        a
        == b
        == [("response-enum-value-removed", "gemini_client.types.FinishReason.SAFETY", a[0][2])]
    )


def test_output_is_deterministic(edited: Callable[..., Path], cli: Callable[..., Run]) -> None:
    def edit(s: SpecFiles) -> None:
        s.fields("Candidate").pop("finishReason")
        s.fields("Candidate")["score"] = "float"
        s.type("Model")["description"] = "Changed."
        s.method("models", "list")["params"]["pageSize"]["required"] = True

    root = edited(edit)
    for fmt in ("text", "markdown", "json", "github"):
        outs = {cli("diff", str(SPEC), str(root), "--format", fmt).out for _ in range(2)}
        assert len(outs) == 1


def test_keyword_arguments_match_the_generated_signatures() -> None:
    """`compare.kwargs` mirrors `render.view.method_view`: same names, same requiredness."""
    spec = load_spec(SPEC)
    for resource in spec.resources.values():
        for m in resource.methods:
            view = method_view(m, spec)
            mine = kwargs(m, spec)
            assert {k.name: k.required for k in view.kwargs} == {
                k: v.required for k, v in mine.items()
            }, m.name
