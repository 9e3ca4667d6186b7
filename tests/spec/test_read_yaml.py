"""`read_yaml` keeps the nodes of the files it read last, by name and exact content: a second read
of the same file is not parsed again, and anything that differs (a byte, the name it is shown
under) is."""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen.spec import yamlnodes
from codegen.spec.errors import Problem
from codegen.spec.yamlnodes import read_yaml

TEXT = "types:\n  A:\n    fields:\n      x: string\n"


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files actually parsed, in order; the cache starts empty."""
    monkeypatch.setattr(yamlnodes, "_PARSED", {})
    real, seen = yamlnodes._parse, []

    def parse(data: bytes, shown_as: str) -> tuple[yamlnodes.Node | None, list[Problem]]:
        seen.append(shown_as)
        return real(data, shown_as)

    monkeypatch.setattr(yamlnodes, "_parse", parse)
    return seen


def test_the_same_file_is_parsed_once(tmp_path: Path, parses: list[str]) -> None:
    f = tmp_path / "a.yaml"
    f.write_text(TEXT, encoding="utf-8")
    first, _ = read_yaml(f, "spec/a.yaml")
    again, _ = read_yaml(f, "spec/a.yaml")
    assert parses == ["spec/a.yaml"]
    assert again is first


def test_a_changed_byte_or_another_name_is_parsed_again(tmp_path: Path, parses: list[str]) -> None:
    f = tmp_path / "a.yaml"
    f.write_text(TEXT, encoding="utf-8")
    read_yaml(f, "spec/a.yaml")
    other, _ = read_yaml(f, "other/a.yaml")  # its locations name the file as it is shown
    assert other is not None and other.items["types"].loc.file == "other/a.yaml"
    f.write_text(TEXT.replace("string", "int64"), encoding="utf-8")
    changed, _ = read_yaml(f, "spec/a.yaml")
    assert parses == ["spec/a.yaml", "other/a.yaml", "spec/a.yaml"]
    assert changed is not None
    x = changed.items["types"].items["A"].items["fields"].items["x"]
    assert x.value == "int64"


def test_problems_come_back_as_a_new_list_each_time(tmp_path: Path, parses: list[str]) -> None:
    f = tmp_path / "a.yaml"
    f.write_text("a: 1\na: 2\n", encoding="utf-8")
    tree, problems = read_yaml(f, "a.yaml")
    assert [p.message for p in problems] == ["duplicate key 'a' (first defined at line 1)"]
    problems.clear()  # a caller's list is its own
    _, again = read_yaml(f, "a.yaml")
    assert len(again) == 1 and parses == ["a.yaml"]


def test_the_cache_holds_at_most_its_budget_of_source(
    tmp_path: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yamlnodes, "_PARSED_MAX_BYTES", 100)
    files = []
    for i in range(10):
        f = tmp_path / f"f{i}.yaml"
        f.write_text(f"key{i}: {'v' * 30}\n", encoding="utf-8")  # 37 bytes each
        files.append(f)
        read_yaml(f, f.name)
    assert sum(len(data) for _, data in yamlnodes._PARSED) <= 100
    assert [name for name, _ in yamlnodes._PARSED] == ["f8.yaml", "f9.yaml"]  # the latest kept
    read_yaml(files[0], "f0.yaml")  # forgotten: parsed again
    assert parses[-1] == "f0.yaml" and len(parses) == 11
    big = tmp_path / "big.yaml"
    big.write_text("k: " + "v" * 200 + "\n", encoding="utf-8")
    read_yaml(big, "big.yaml")  # larger than the whole budget: parsed, never kept
    assert ("big.yaml", big.read_bytes()) not in yamlnodes._PARSED
