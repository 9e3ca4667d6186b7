"""Golden test: the mini spec renders to exactly the committed files (UPDATE_GOLDEN=1 rewrites them).

The hand-written modules are not golden data: each copy is its template under a one-line header
naming it, and `codegen check` on a hand-edited copy names the template to edit."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from codegen.cli import main
from codegen.pipeline import generate
from codegen.write import copied_from, copy_header, read_tree

from .conftest import GOLDEN, MINI, TEMPLATES, paths

PACKAGE_TEMPLATES = TEMPLATES / "package"


def _hand_written() -> dict[str, Path]:
    """Output path -> template of every file copied verbatim."""
    return {
        f"gemini_client/{p.relative_to(PACKAGE_TEMPLATES).as_posix()}": p
        for p in sorted(PACKAGE_TEMPLATES.rglob("*"))
        if p.is_file() and p.suffix != ".jinja" and "__pycache__" not in p.parts
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini spec generated once for the module's tests (a test that edits it edits a copy)."""
    out = tmp_path_factory.mktemp("golden") / "out"
    generate(paths(MINI, out))
    return out


def test_mini_spec_renders_to_golden_files(generated: Path) -> None:
    produced = {p: b for p, b in read_tree(generated).items() if p not in _hand_written()}
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN)
        for p, b in produced.items():
            (GOLDEN / p).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / p).write_bytes(b)
    golden = read_tree(GOLDEN)
    assert sorted(produced) == sorted(golden)
    for p in golden:
        assert produced[p].decode() == golden[p].decode(), p


def test_every_copy_is_its_template_under_a_header_naming_it(generated: Path) -> None:
    tree = read_tree(generated)
    copies = _hand_written()
    assert len([p for p in copies if p.endswith(".py")]) >= 30
    for rel, template in copies.items():
        source = template.read_bytes()
        if rel.endswith(".py"):
            name = f"templates/{template.relative_to(TEMPLATES).as_posix()}"
            assert tree[rel] == copy_header(name).encode() + source, rel
            assert copied_from(tree[rel]) == name
        else:
            assert tree[rel] == source, rel
    # Rendered files are not copies.
    assert all(copied_from(b) is None for p, b in tree.items() if p not in copies)


def test_check_names_the_template_of_a_hand_edited_copy(
    generated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = Path(shutil.copytree(generated, tmp_path / "out", symlinks=True))
    for rel in ("gemini_client/_core/_models.py", "gemini_client/types/_bases.py"):
        with (out / rel).open("a") as f:
            f.write("# a hand edit\n")
    code = main(["check", "--spec", str(MINI), "--templates", str(TEMPLATES), "--out", str(out)])
    shown = capsys.readouterr().out
    assert code == 1
    assert "move edits of copies to their templates" in shown
    for rel, template in (
        ("gemini_client/_core/_models.py", "templates/package/_core/_models.py"),
        ("gemini_client/types/_bases.py", "templates/package/types/_bases.py"),
    ):
        assert f"changed: {rel} (a copy of {template}: move the edit there" in shown
