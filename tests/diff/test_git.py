"""BASE and HEAD as git refs: the spec is read from the commit, the work tree is left alone."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from codegen.spec.errors import Problem
from codegen.spec.files import spec_files

from .conftest import SPEC, Run

GIT = [
    "git",
    "-c",
    "user.name=Diff Test",
    "-c",
    "user.email=diff@example.com",
    "-c",
    "commit.gpgsign=false",
    "-c",
    "init.defaultBranch=main",
]


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        [*GIT, *args], cwd=repo, check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with two commits: the real spec (tag v1), then FinishReason.SAFETY removed."""
    root = tmp_path / "repo"
    shutil.copytree(SPEC, root / "spec")
    git(root, "init", "-q")
    git(root, "add", "spec")
    git(root, "commit", "-q", "-m", "spec")
    git(root, "tag", "v1")
    path = root / "spec" / "generation.yaml"
    lines = path.read_text().splitlines(keepends=True)
    i = next(n for n, line in enumerate(lines) if line.strip().startswith("SAFETY:") and n > 400)
    del lines[i]
    path.write_text("".join(lines))
    git(root, "commit", "-q", "-am", "drop SAFETY")
    monkeypatch.chdir(root)
    return root


def test_refs_on_both_sides(repo: Path, cli: Callable[..., Run]) -> None:
    run = cli("diff", "v1", "HEAD", "--format", "json")
    assert run.code == 1, run.err
    doc = run.json()
    (change,) = doc["changes"]
    assert change["rule"] == "response-enum-value-removed"
    assert change["symbol"] == "gemini_client.types.FinishReason.SAFETY"
    # Locations read as in a checkout, not as the temporary directory the ref was read into.
    assert change["base"].startswith("spec/generation.yaml:")
    assert change["head"].startswith("spec/generation.yaml:")
    assert doc["base"].startswith("v1 (") and doc["head"].startswith("HEAD (")


def test_defaults_are_head_against_the_work_tree(repo: Path, cli: Callable[..., Run]) -> None:
    assert cli("diff").code == 0  # work tree == HEAD
    path = repo / "spec" / "generation.yaml"
    path.write_text(path.read_text().replace("      finishReason:\n", "      finishReasonX:\n", 1))
    before = git(repo, "status", "--porcelain")
    run = cli("diff", "--format", "json")
    assert run.code == 1
    rules = sorted(c["rule"] for c in run.json()["changes"])
    assert rules == ["field-added", "field-removed"]
    assert run.json()["head"] == "spec"
    # Nothing in the work tree or the index moved.
    assert git(repo, "status", "--porcelain") == before
    assert "finishReasonX" in path.read_text()


def test_a_commit_id_and_the_work_tree(repo: Path, cli: Callable[..., Run]) -> None:
    first = git(repo, "rev-parse", "HEAD~1")
    run = cli("diff", first, "--format", "json")
    assert run.code == 1
    assert [c["rule"] for c in run.json()["changes"]] == ["response-enum-value-removed"]


def test_spec_dir_in_a_subfolder(repo: Path, cli: Callable[..., Run]) -> None:
    (repo / "api").mkdir()
    git(repo, "mv", "spec", "api/spec")
    git(repo, "commit", "-q", "-m", "move")
    run = cli("diff", "HEAD~1", "HEAD", "--spec-dir", "api/spec", "--format", "json")
    assert run.code == 2
    assert run.err.count("\n") == 1 and "no spec directory 'api/spec'" in run.err
    run = cli("diff", "HEAD", "--spec-dir", "api/spec", "--format", "json")
    assert run.code == 0, run.err


def test_unknown_ref_is_bad_input(repo: Path, cli: Callable[..., Run]) -> None:
    for ref in ("no-such-branch", "origin/main", "-x", "deadbeef" * 5, "HEAD:spec"):
        run = cli("diff", "--", ref)
        assert run.code == 2, ref
        assert run.out == ""
        assert run.err.count("\n") == 1 and run.err.startswith("codegen diff: "), run.err
        assert "Traceback" not in run.err


def test_not_a_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Callable[..., Run]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    run = cli("diff", "HEAD", str(SPEC))
    assert run.code == 2
    assert run.err.count("\n") == 1 and "not in a git repository" in run.err


def test_broken_spec_in_a_ref(repo: Path, cli: Callable[..., Run]) -> None:
    path = repo / "spec" / "models.yaml"
    path.write_text(path.read_text().replace("type: list[Model]", "type: list[Modle]"))
    git(repo, "commit", "-q", "-am", "typo")
    run = cli("diff", "HEAD~1", "HEAD")
    assert run.code == 2 and run.out == ""
    (line,) = run.err.splitlines()
    assert line.startswith("spec/models.yaml:")
    assert "unknown type 'Modle'" in line and "(in HEAD (" in line


def test_default_head_is_a_directory_even_when_missing(repo: Path, cli: Callable[..., Run]) -> None:
    run = cli("diff", "HEAD", "--spec-dir", "nowhere")
    assert run.code == 2
    assert run.err.splitlines() == [run.err.strip()] and "nowhere" in run.err


def test_a_ref_and_the_work_tree_parse_the_files_they_share_once(
    repo: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ref's files are named as in a checkout (`spec/x.yaml`), as the work tree's are: the
    loader's kept files serve both sides, so only the file the work tree changed is parsed again."""
    from codegen.diff import sources
    from codegen.spec import yamlnodes

    monkeypatch.setattr(sources, "_LOADED", {})  # (the specs diff loaded before: none)
    monkeypatch.setattr(yamlnodes, "_PARSED", {})
    real, parsed = yamlnodes._parse, []

    def parse(data: bytes, shown_as: str) -> tuple[yamlnodes.Node | None, list[Problem]]:
        parsed.append(shown_as)
        return real(data, shown_as)

    monkeypatch.setattr(yamlnodes, "_parse", parse)
    path = repo / "spec" / "generation.yaml"
    path.write_text(path.read_text().replace("      finishReason:\n", "      finishReasonX:\n", 1))
    run = cli("diff", "--format", "json")
    assert run.code == 1 and run.json()["changes"][0]["base"].startswith("spec/generation.yaml:")
    files = [p.name for p in spec_files(repo / "spec")]  # (drift-ignore.yaml is not one)
    assert sorted(parsed) == sorted([f"spec/{name}" for name in files] + ["spec/generation.yaml"])
