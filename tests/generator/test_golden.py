"""Golden test: the mini spec renders to exactly the committed files (UPDATE_GOLDEN=1 rewrites them)."""

from __future__ import annotations

import os
from pathlib import Path

from codegen.pipeline import generate
from codegen.write import read_tree

from .conftest import GOLDEN, MINI, paths


def test_mini_spec_renders_to_golden_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    generate(paths(MINI, out))
    produced = read_tree(out)
    # the core and the helpers layer are copied verbatim
    produced = {p: b for p, b in produced.items() if "/_core/" not in p and "/lib/" not in p}
    if os.environ.get("UPDATE_GOLDEN"):
        for p, b in produced.items():
            (GOLDEN / p).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / p).write_bytes(b)
    golden = read_tree(GOLDEN)
    assert sorted(produced) == sorted(golden)
    for p in golden:
        assert produced[p].decode() == golden[p].decode(), p


def test_core_is_copied_verbatim(tmp_path: Path) -> None:
    out = tmp_path / "out"
    generate(paths(MINI, out))
    core_src = Path(__file__).resolve().parents[2] / "templates" / "package" / "_core"
    for src in core_src.glob("*.py"):
        assert (out / "gemini_client" / "_core" / src.name).read_text() == src.read_text(), src.name
