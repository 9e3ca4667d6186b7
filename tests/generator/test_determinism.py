"""Same spec and templates give byte-identical output, whatever the order of the input."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml

from codegen.pipeline import build, generate, inputs_hash
from codegen.write import read_tree

from .conftest import paths


def test_generating_twice_is_byte_identical(tmp_path: Path, spec_copy: Callable[[], Path]) -> None:
    spec = spec_copy()
    first, second = tmp_path / "a", tmp_path / "b"
    generate(paths(spec, first), force=True)
    generate(paths(spec, second), force=True)
    assert read_tree(first) == read_tree(second)


def test_reordered_and_resplit_input_gives_the_same_package(
    tmp_path: Path, spec_copy: Callable[[], Path]
) -> None:
    spec = spec_copy()
    p = paths(spec, tmp_path / "unused")
    original = build(p)

    # Reverse the order of the types and move half of them into a new file.
    content = yaml.safe_load((spec / "content.yaml").read_text())
    names = list(content["types"])[::-1]
    half = len(names) // 2
    (spec / "content.yaml").write_text(
        yaml.safe_dump({"types": {n: content["types"][n] for n in names[:half]}}, sort_keys=False)
    )
    (spec / "aaa_more.yaml").write_text(
        yaml.safe_dump({"types": {n: content["types"][n] for n in names[half:]}}, sort_keys=False)
    )
    reordered = build(p)
    assert reordered == original


def test_inputs_hash_changes_with_the_spec(spec_copy: Callable[[], Path], tmp_path: Path) -> None:
    spec = spec_copy()
    p = paths(spec, tmp_path / "out")
    before = inputs_hash(p)
    (spec / "content.yaml").write_text(
        (spec / "content.yaml").read_text().replace("Natural stop.", "Natural stop!")
    )
    assert inputs_hash(p) != before


def test_output_does_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """This process and a `codegen generate` process with another PYTHONHASHSEED (set and
    dict-of-set orders differ) agree byte for byte."""
    import os
    import subprocess
    import sys

    from .conftest import MINI, REPO

    mine = os.environ.get("PYTHONHASHSEED", "random")
    other = "1" if mine == "random" else str((int(mine) + 1) % 2**32)
    generate(paths(MINI, tmp_path / "mine"), force=True)
    subprocess.run(
        [sys.executable, "-m", "codegen.cli", "generate", "--force"]
        + ["--spec", str(MINI), "--out", str(tmp_path / "other")],
        check=True,
        cwd=REPO,
        capture_output=True,
        env={**os.environ, "PYTHONHASHSEED": other},
    )
    assert read_tree(tmp_path / "mine") == read_tree(tmp_path / "other")


def test_inputs_hash_ignores_what_does_not_shape_the_output(
    spec_copy: Callable[[], Path], tmp_path: Path
) -> None:
    spec = spec_copy()
    p = paths(spec, tmp_path / "out")
    before = inputs_hash(p)
    (spec / "drift-ignore.yaml").write_text("ignore: []\n")  # read only by `codegen drift`
    (spec / "notes.txt").write_text("not a spec file\n")
    assert inputs_hash(p) == before
