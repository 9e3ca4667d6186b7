"""What codegen refuses: each bad input, built here, is one line `file:line: yaml.path: message`,
exit 2, no traceback, quickly (no more work than reading a spec a few times, counted in calls by
`support.work`), for generate, check, drift and diff alike, and the output directory is left
byte-identical."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import codegen.format
from codegen.cli import main
from codegen.pipeline import generate
from codegen.spec import yamlnodes
from codegen.spec.errors import SpecError
from codegen.spec.loader import load_spec
from codegen.write import read_tree
from support.work import counted

from .conftest import MINI, REPO, TEMPLATES, paths

DISCOVERY = REPO / "tests" / "data" / "generativelanguage.v1beta.20260529.json"


def _bomb(spec: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for prev, cur in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    (spec / "bomb.yaml").write_text("\n".join(lines) + "\n")


def _add_types(text: str) -> Callable[[Path], None]:
    def edit(spec: Path) -> None:
        content = (spec / "content.yaml").read_text()
        (spec / "content.yaml").write_text(content.replace("types:\n", "types:\n" + text, 1))

    return edit


def _write(name: str, data: str | bytes) -> Callable[[Path], None]:
    def edit(spec: Path) -> None:
        (spec / name).write_bytes(data if isinstance(data, bytes) else data.encode())

    return edit


def _symlink_out(spec: Path) -> None:
    secret = spec.parent / "secret.yaml"
    secret.write_text("types: {}\n")
    os.symlink(secret, spec / "secret.yaml")


def _too_big(spec: Path) -> None:
    with (spec / "big.yaml").open("wb") as f:
        f.truncate(11 * 2**20)  # sparse: refused from its size, never read


CASES: list[tuple[str, Callable[[Path], None], str]] = [
    ("alias bomb", _bomb, r"bomb\.yaml:1: a: YAML anchors and aliases \('&a'\) are not allowed"),
    (
        "merge key",
        _write("merge.yaml", "types:\n  A: &base\n    fields: {}\n  B:\n    <<: *base\n"),
        r"merge\.yaml:2: types\.A: YAML anchors and aliases \('&base'\)",
    ),
    (
        "deep nesting",
        _write("deep.yaml", "types: " + "[" * 100_000 + "]" * 100_000 + "\n"),
        r"deep\.yaml:1: types(\[0\])+: nested more than 64 levels",
    ),
    (
        "two documents",
        _write("two.yaml", "types: {}\n---\ntypes: {}\n"),
        r"two\.yaml:2: a spec file holds one YAML document",
    ),
    (
        "mapping as a key",
        _write("key.yaml", "types:\n  ? [a, b]\n  : x\n"),
        r"key\.yaml:2: types: a mapping key must be text",
    ),
    (
        "not UTF-8",
        _write("latin.yaml", b"types: {}\n# caf\xe9\n"),
        r"latin\.yaml:0: cannot read: not UTF-8",
    ),
    (
        "symlink out of spec/",
        _symlink_out,
        r"secret\.yaml:0: a symbolic link that leaves the spec directory",
    ),
    ("directory", lambda spec: (spec / "dir.yaml").mkdir(), r"dir\.yaml:0: not a regular file"),
    (
        "symlink loop",
        lambda spec: os.symlink("loop.yaml", spec / "loop.yaml"),
        r"loop\.yaml:0: cannot read: ",
    ),
    (
        "dangling symlink",
        lambda spec: os.symlink("gone.txt", spec / "gone.yaml"),
        r"gone\.yaml:0: cannot read: ",
    ),
    ("over 10 MB", _too_big, r"big\.yaml:0: 11534336 bytes; a spec file may have at most 10 MB"),
    (
        "required cycle",
        _add_types(
            "  A:\n    fields:\n      b: {type: B, required: true}\n  B:\n    fields:\n      a: {type: A, required: true}\n"
        ),
        r"content\.yaml:4: types\.A\.fields\.b: required fields form a cycle \(A\.b -> B\.a -> A\)",
    ),
    (
        "required self-cycle",
        _add_types("  Node:\n    fields:\n      next: {type: Node, required: true}\n"),
        r"types\.Node\.fields\.next: required fields form a cycle \(Node\.next -> Node\)",
    ),
]

COMMANDS = ["generate", "check", "drift", "diff"]


def _argv(command: str, spec: Path, out: Path) -> list[str]:
    if command == "drift":
        return ["drift", "--spec", str(spec), "--discovery", str(DISCOVERY)]
    if command == "diff":
        return ["diff", str(MINI), str(spec)]
    return [command, "--spec", str(spec), "--templates", str(TEMPLATES), "--out", str(out)]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated output every refusal must leave byte-identical."""
    out = tmp_path_factory.mktemp("out") / "generated"
    generate(paths(MINI, out))
    return out


@pytest.fixture(scope="module")
def mini_load_work() -> int:
    """The Python calls that loading the mini spec makes (`support.work`): the unit of "quickly".
    Its files parsed, as on a first read (not from the loader's cache of recent files)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(yamlnodes, "_PARSED", {})
        mp.setattr(yamlnodes, "_PARSED_MAX_BYTES", 0)
        load_spec(MINI)
        return counted(lambda: load_spec(MINI))[1].total


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(("what", "edit", "expected"), CASES, ids=[c[0] for c in CASES])
def test_refused_in_one_line_exit_2_quickly(
    spec_copy: Callable[[], Path],
    out: Path,
    mini_load_work: int,
    capsys: pytest.CaptureFixture[str],
    command: str,
    what: str,
    edit: Callable[[Path], None],
    expected: str,
) -> None:
    spec = spec_copy()
    edit(spec)
    before = read_tree(out)
    code = main(_argv(command, spec, out))
    err = capsys.readouterr().err
    assert code == 2, err
    lines = err.splitlines()
    assert any(re.search(expected, line) for line in lines), lines
    assert all(re.match(r"^\S+\.yaml:\d+: ", line) for line in lines), lines
    assert "Traceback" not in err
    assert read_tree(out) == before
    # Quickly: no more work than reading a spec a few times (counted again, imports done).
    again, work = counted(lambda: main(_argv(command, spec, out)))
    assert again == 2 and capsys.readouterr().err == err
    assert work.total < 4 * mini_load_work, f"{what}: {work.total / mini_load_work:.1f}x"


@pytest.mark.parametrize("target", ["/dev/zero", "fifo"])
def test_a_file_that_never_ends_is_refused_not_read(
    spec_copy: Callable[[], Path], tmp_path: Path, target: str
) -> None:
    """In a subprocess with a timeout: a regression here would hang, not fail. The four commands
    run in one (`_EACH_COMMAND`); `codegen.cli` as a program is run by the other CLI tests."""
    spec = spec_copy()
    if target == "fifo":
        os.mkfifo(spec / "fifo.yaml")
        expected = r"fifo\.yaml:0: not a regular file"
    else:
        os.symlink(target, spec / "zero.yaml")
        expected = r"zero\.yaml:0: a symbolic link that leaves the spec directory"
    argvs = [_argv(command, spec, tmp_path / "out") for command in COMMANDS]
    result = subprocess.run(
        [sys.executable, "-c", _EACH_COMMAND, json.dumps(argvs)],
        capture_output=True,
        text=True,
        timeout=60 * len(COMMANDS),
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout)
    assert len(answers) == len(COMMANDS), answers
    for command, (code, stderr) in zip(COMMANDS, answers):
        assert code == 2, (command, stderr)
        (line,) = stderr.splitlines()
        assert re.search(expected, line), (command, line)


_EACH_COMMAND = """
import contextlib, io, json, sys
from codegen.cli import main
answers = []
for argv in json.loads(sys.argv[1]):
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(argv)
    answers.append([code, err.getvalue()])
print(json.dumps(answers))
"""


def test_a_symlink_inside_the_spec_directory_is_read(spec_copy: Callable[[], Path]) -> None:
    spec = spec_copy()
    (spec / "parts").mkdir()
    (spec / "parts" / "extra.txt").write_text("types:\n  Extra:\n    fields: {}\n")
    os.symlink("parts/extra.txt", spec / "extra.yaml")
    assert "Extra" in load_spec(spec).types


def test_hostile_names_in_a_problem_stay_on_one_visible_line(spec_copy: Callable[[], Path]) -> None:
    spec = spec_copy()
    (spec / "evil.yaml").write_text(
        'types:\n  "Bad\\nName\\e[31m' + "x" * 900 + '":\n    fields: {}\n'
    )
    with pytest.raises(SpecError) as info:
        load_spec(spec)
    (line,) = str(info.value).splitlines()
    assert "\x1b" not in line and "\\x0a" in line and "\\x1b" in line
    assert len(line) < 1500


def test_a_5_mb_description_costs_nothing_and_its_docstring_is_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, session_black: Callable[[str], str]
) -> None:
    from codegen.pipeline import build
    from codegen.render.text import LIMIT

    monkeypatch.setenv("CODEGEN_FORMAT_CACHE", "")  # both builds format: compare like with like
    monkeypatch.setattr(yamlnodes, "_PARSED_MAX_BYTES", 0)  # and both parse their spec files
    # black's answers from the session's cache, stored by the first build: both builds take them
    # alike (black's work is not what is compared; the same output is, below)
    monkeypatch.setattr(codegen.format, "_black", session_black)

    def described(text: str) -> Path:
        spec = shutil.copytree(MINI, tmp_path / f"spec-{len(text)}")
        content = (spec / "content.yaml").read_text()
        (spec / "content.yaml").write_text(
            content.replace("Multi-part content of a message.", text, 1)
        )
        return spec

    # Compared with a description just over the limit, cut to the same text: the same output,
    # so any work beyond it is work on the 5 MB.
    at_limit = described(("word " * (LIMIT // len("word ") + 10)).strip())
    huge = described(("word " * 1_000_000).strip())
    build(paths(at_limit, tmp_path / "out"))  # first use (templates compiled...) is not this work
    files, huge_work = counted(lambda: build(paths(huge, tmp_path / "out")))
    same, limit_work = counted(lambda: build(paths(at_limit, tmp_path / "out")))
    assert files == same
    # was +1.9 s: per-character work on all 5 MB (a million words: a million calls at least)
    assert huge_work.total < 1.1 * limit_work.total, (huge_work.total, limit_work.total)
    models = files["gemini_client/types/_models.py"].decode()
    assert max(len(line) for line in models.splitlines()) < 500
    assert models.count("word") <= LIMIT // len("word ") + 1  # the description, cut
