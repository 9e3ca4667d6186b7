"""A pull request's ref is read like a checkout and refused like one: a symlink leaving spec/, an
alias bomb or a blob over 10 MB is one line naming the file, exit 2, in well under a second."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from codegen.cli import main

from .conftest import ROOT

MINI = ROOT / "tests" / "data" / "specs" / "mini"
GIT = [
    "git",
    "-c",
    "user.name=T",
    "-c",
    "user.email=t@example.com",
    "-c",
    "commit.gpgsign=false",
    "-c",
    "init.defaultBranch=main",
]


def git(repo: Path, *args: str) -> None:
    subprocess.run([*GIT, *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(MINI, root / "spec")
    (root / "secret.yaml").write_text("types:\n  Secret:\n    fields: {}\n")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    git(root, "tag", "base")
    monkeypatch.chdir(root)
    return root


def _commit(repo: Path) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "pr")


def _run(capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], float]:
    start = time.perf_counter()
    code = main(["diff", "base", "HEAD"])
    took = time.perf_counter() - start
    return code, capsys.readouterr().err.splitlines(), took


def test_symlink_leaving_spec_in_a_ref(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.symlink("../secret.yaml", repo / "spec" / "secret.yaml")
    _commit(repo)
    code, lines, took = _run(capsys)
    assert code == 2
    assert lines == [
        "spec/secret.yaml:0: a symbolic link that leaves the spec directory; spec files are read only from there (in HEAD)"
    ]
    assert took < 1.0


def test_symlink_inside_spec_in_a_ref_is_read_like_a_checkout(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "spec" / "parts").mkdir()
    (repo / "spec" / "parts" / "extra.txt").write_text("types:\n  Extra:\n    fields: {}\n")
    os.symlink("parts/extra.txt", repo / "spec" / "extra.yaml")
    _commit(repo)
    assert main(["diff", "base", "HEAD", "--format", "json", "--fail-on", "never"]) == 0
    from_ref = json.loads(capsys.readouterr().out)["changes"]
    assert main(["diff", "base", "spec", "--format", "json", "--fail-on", "never"]) == 0
    from_checkout = json.loads(capsys.readouterr().out)["changes"]
    assert from_ref == from_checkout and any("Extra" in c["symbol"] for c in from_ref)


def test_alias_bomb_in_a_ref(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"] + [
        f"{c}: &{c} [" + ", ".join([f"*{p}"] * 9) + "]" for p, c in zip("abcdefgh", "bcdefghi")
    ]
    (repo / "spec" / "bomb.yaml").write_text("\n".join(lines) + "\n")
    _commit(repo)
    code, err, took = _run(capsys)
    assert code == 2
    assert err == [
        "spec/bomb.yaml:1: a: YAML anchors and aliases ('&a') are not allowed in a spec: write the value out (in HEAD ("
        + err[0].split("(in HEAD (")[1]
    ]
    assert took < 1.0


def test_blob_over_the_cap_in_a_ref_is_refused_before_it_is_read(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "spec" / "big.yaml").write_bytes(b"#" * (10 * 2**20 + 1))
    _commit(repo)
    code, err, _ = _run(capsys)
    assert code == 2
    assert err == ["spec/big.yaml:0: 10485761 bytes; a spec file may have at most 10 MB (in HEAD)"]
