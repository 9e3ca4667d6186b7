"""A spec loaded again reads anew only the files that changed (`loader._one_file`), and gives
exactly what a first load gives: the same model, the same locations in the same order, and on bad
input the same problems."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from codegen.spec import loader
from codegen.spec.errors import SpecError

MINI = Path(__file__).resolve().parents[1] / "data" / "specs" / "mini"


@pytest.fixture
def files_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files `_Builder.file` turns into model objects, in order; nothing kept before."""
    monkeypatch.setattr(loader, "_FILES", {})
    real, seen = loader._Builder.file, []

    def file(self: loader._Builder, tree: loader.Node) -> None:
        seen.append(tree.loc.file)
        real(self, tree)

    monkeypatch.setattr(loader._Builder, "file", file)
    return seen


def _first_load(spec_dir: Path, monkeypatch: pytest.MonkeyPatch) -> loader.Spec:
    with monkeypatch.context() as mp:
        mp.setattr(loader, "_joined", lambda read: None)  # every file read in turn
        return loader.load_spec(spec_dir)


def test_an_edited_file_is_the_only_one_read_again(
    tmp_path: Path, files_read: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = shutil.copytree(MINI, tmp_path / "spec")
    names = sorted(p.name for p in spec.glob("*.yaml"))
    assert len(names) >= 3
    loader.load_spec(spec)
    assert [Path(f).name for f in files_read] == names
    files_read.clear()
    again = loader.load_spec(spec)
    assert files_read == []
    edited = spec / names[-1]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    edited_again = loader.load_spec(spec)
    assert [Path(f).name for f in files_read] == [names[-1]]
    for loaded in (again, edited_again):
        first = _first_load(spec, monkeypatch)
        assert loaded == first
        assert list(loaded.locations.items()) == list(first.locations.items())
        assert list(loaded.types) == list(first.types)
        assert list(loaded.resources) == list(first.resources)


def test_a_name_two_files_define_is_reported_as_on_a_first_load(
    tmp_path: Path, files_read: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = shutil.copytree(MINI, tmp_path / "spec")
    loader.load_spec(spec)  # every file kept as it reads on its own
    source = next(p for p in sorted(spec.glob("*.yaml")) if "\ntypes:\n" in p.read_text())
    text = source.read_text(encoding="utf-8")
    (spec / "zz_copy.yaml").write_text(text.split("\nresources:")[0].split("\nservice:")[0])
    with pytest.raises(SpecError) as again:
        loader.load_spec(spec)
    with pytest.raises(SpecError) as first:
        _first_load(spec, monkeypatch)
    assert "duplicate type" in str(again.value)
    assert str(again.value) == str(first.value)
