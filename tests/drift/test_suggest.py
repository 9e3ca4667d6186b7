"""`--suggest`: paste every snippet where it says, and the drift it answers is gone."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from codegen.drift.command import check_spec
from codegen.drift.report import Snippet, render, snippets
from codegen.spec.loader import load_spec

from .conftest import SPEC_DIR, discovery
from .test_mutations import (
    add_enum_field,
    add_enum_value,
    add_field,
    add_method,
    add_optional_query_param,
)

Doc = dict[str, Any]


def paste(spec_dir: Path, snips: list[Snippet]) -> None:
    """Insert each snippet right below the line of its key, as a person would."""
    spec = load_spec(spec_dir)
    inserts: dict[Path, list[tuple[int, str]]] = {}
    for s in snips:
        path = Path(s.file)
        if s.key == "types":
            if not path.exists():
                path.write_text("types:\n", encoding="utf-8")
            lines = path.read_text(encoding="utf-8").splitlines()
            line = lines.index("types:") + 1
        else:
            loc = spec.locations[s.key]
            assert Path(loc.file) == path, (loc, s)
            line = loc.line
        inserts.setdefault(path, []).append((line, s.yaml))
    for path, items in inserts.items():
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        for line, text in sorted(items, key=lambda i: -i[0]):
            lines[line:line] = [text]
        path.write_text("".join(lines), encoding="utf-8")


@pytest.fixture
def spec_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(SPEC_DIR, tmp_path / "spec")
    monkeypatch.chdir(tmp_path)  # locations read spec/..., like a run from the repository root
    return Path("spec")


MUTATIONS: list[Callable[[Doc], None]] = [
    add_field,
    add_enum_value,
    add_method,
    add_enum_field,
    add_optional_query_param,
]


def test_pasting_the_suggestions_removes_the_drift(spec_copy: Path, new_doc: Doc) -> None:
    for mutate in MUTATIONS:
        mutate(new_doc)
    rules = spec_copy / "drift-ignore.yaml"
    before = check_spec(load_spec(spec_copy), discovery(new_doc), rules, suggest=True)
    assert {f.kind for f in before.outcome.drift} == {
        "field-missing",
        "enum-value-missing",
        "method-missing",
        "type-missing",
        "param-missing",
    }
    snips = snippets(before.outcome.drift)
    assert len(snips) == len(before.outcome.drift)  # each missing thing has its snippet
    assert {s.file for s in snips} == {
        "spec/generation.yaml",
        "spec/models.yaml",
        "spec/types.yaml",
    }
    paste(spec_copy, snips)
    after = check_spec(load_spec(spec_copy), discovery(new_doc), rules)
    assert after.outcome.drift == []


def test_suggestions_in_every_format(spec_copy: Path, new_doc: Doc) -> None:
    add_enum_value(new_doc)
    result = check_spec(
        load_spec(spec_copy), discovery(new_doc), spec_copy / "drift-ignore.yaml", suggest=True
    )
    text = render(result.report, "text")
    assert (
        "# Candidate.finishReason.CONTEXT_OVERFLOW: in spec/generation.yaml, under types.FinishReason.enum:\n"
        in text
    )
    assert "\n      CONTEXT_OVERFLOW: The context window overflowed.\n" in text
    md = render(result.report, "markdown")
    assert "```yaml\n      CONTEXT_OVERFLOW: The context window overflowed.\n```" in md
    import json

    [s] = json.loads(render(result.report, "json"))["suggestions"]
    assert s == {
        "where": "Candidate.finishReason.CONTEXT_OVERFLOW",
        "file": "spec/generation.yaml",
        "key": "types.FinishReason.enum",
        "yaml": "      CONTEXT_OVERFLOW: The context window overflowed.\n",
        "note": "",
    }


def test_no_suggestions_without_the_flag(spec_copy: Path, new_doc: Doc) -> None:
    add_enum_value(new_doc)
    result = check_spec(load_spec(spec_copy), discovery(new_doc), spec_copy / "drift-ignore.yaml")
    assert "Suggestions" not in render(result.report, "text")
    assert "suggestions" not in render(result.report, "json")
