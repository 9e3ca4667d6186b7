"""A failed generation leaves the previous output byte-identical; `check` finds every stale file."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import codegen.format
import codegen.write
from codegen.cli import main
from codegen.pipeline import check, generate
from codegen.write import read_tree

from .conftest import MINI, TEMPLATES, paths


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the mini spec and its output with the local cache next to it, generated once."""
    root = tmp_path_factory.mktemp("pristine")
    shutil.copytree(MINI, root / "spec")
    generate(paths(root / "spec", root / "out"))
    return root


@pytest.fixture
def generated(tmp_path: Path, pristine: Path) -> tuple[Path, Path]:
    """`pristine` copied (spec, output, local cache) for this test to change."""
    assert sorted(p.name for p in pristine.iterdir()) == [".codegen-cache", "out", "spec"]
    for name in (".codegen-cache", "out", "spec"):
        shutil.copytree(pristine / name, tmp_path / name, symlinks=True)
    return tmp_path / "spec", tmp_path / "out"


def _break_spec(spec: Path) -> None:
    (spec / "content.yaml").write_text(
        (spec / "content.yaml")
        .read_text()
        .replace("Multi-part content of a message.", "Content of a message.")
    )


@pytest.mark.parametrize("stage", ["format", "write"])
def test_failure_mid_generation_leaves_output_unchanged(
    generated: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, stage: str
) -> None:
    spec, out = generated
    before = read_tree(out)
    _break_spec(spec)  # so that generation has something new to write
    if stage == "format":
        monkeypatch.setattr(
            codegen.format,
            "format_text",
            lambda path, text: (_ for _ in ()).throw(RuntimeError("boom")),
        )
    else:
        real = Path.write_bytes
        count = {"n": 0}

        def flaky(self: Path, data: bytes) -> int:
            count["n"] += 1
            if count["n"] == 5:  # part-way through writing the new tree
                raise OSError("disk full")
            return real(self, data)

        monkeypatch.setattr(Path, "write_bytes", flaky)
    with pytest.raises((RuntimeError, OSError)):
        generate(paths(spec, out))
    assert read_tree(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == [
        ".codegen-cache",
        "out",
        "spec",
    ]  # no temporary dirs left


def test_check_is_clean_after_generate_and_lists_stale_files(generated: tuple[Path, Path]) -> None:
    spec, out = generated
    assert check(paths(spec, out)) == []
    (out / "gemini_client" / "_client.py").write_text("# edited by hand\n")
    (out / "gemini_client" / "stray.py").write_text("")
    (out / "gemini_client" / "py.typed").unlink()
    assert check(paths(spec, out)) == [
        "changed: gemini_client/_client.py",
        "missing: gemini_client/py.typed",
        "extra:   gemini_client/stray.py",
    ]


def test_check_sees_a_spec_change(
    generated: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    spec, out = generated
    _break_spec(spec)
    assert main(["check", "--spec", str(spec), "--out", str(out)]) == 1
    assert "changed: gemini_client/types/_models.py" in capsys.readouterr().out


def test_generate_skips_work_when_nothing_changed(
    generated: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec, out = generated
    monkeypatch.setattr(codegen.write, "write_tree", lambda *a: pytest.fail("should not write"))
    assert generate(paths(spec, out)) is False


def test_unchanged_files_are_reused_and_edited_ones_made_again(
    generated: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    session_black: Callable[[str], str],
) -> None:
    """`generate --force` formats only the files whose source changed; a file edited by hand is
    made again even though its source did not change; `check` trusts no manifest."""
    spec, out = generated
    monkeypatch.setenv("CODEGEN_FORMAT_CACHE", "")  # the manifest alone: no format cache
    monkeypatch.setattr(codegen.format, "_black", session_black)  # what is formatted counts
    before = read_tree(out)
    assert ".codegen-manifest.json" in before
    formatted: list[str] = []
    real = codegen.format.format_text

    def counting(path: str, text: str) -> str:
        formatted.append(path)
        return real(path, text)

    monkeypatch.setattr(codegen.format, "format_text", counting)
    generate(paths(spec, out), force=True)
    assert formatted == [] and read_tree(out) == before
    models = out / "gemini_client" / "resources" / "models.py"
    models.write_text(models.read_text() + "import os  # hand edit\n")
    assert check(paths(spec, out)) == ["changed: gemini_client/resources/models.py"]
    formatted.clear()  # check made everything again
    generate(paths(spec, out), force=True)
    assert formatted == ["gemini_client/resources/models.py"] and read_tree(out) == before
    formatted.clear()
    # a hand edit that also forges the manifest's hash of the file is caught by check
    forged = models.read_text() + "import os  # hand edit\n"
    models.write_text(forged)
    manifest = out / ".codegen-manifest.json"
    doc = json.loads(manifest.read_text())
    doc["files"]["gemini_client/resources/models.py"][1] = hashlib.sha256(
        forged.encode()
    ).hexdigest()
    manifest.write_text(json.dumps(doc))
    assert "changed: gemini_client/resources/models.py" in check(paths(spec, out))


def test_the_types_module_cache_key_covers_its_own_generator(generated: tuple[Path, Path]) -> None:
    """A change to codegen/render/types_module.py (options, post-processing) remakes the module."""
    import codegen.render.types_module as tm
    from codegen.render.package import types_module_source
    from codegen.spec.loader import load_spec

    spec, _ = generated
    key = types_module_source(load_spec(spec), TEMPLATES).key  # the key the pipeline uses
    assert key.startswith(Path(tm.__file__).read_text(encoding="utf-8"))
