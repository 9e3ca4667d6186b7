"""The CI files in the repository: valid YAML, every `run:` step uses only commands that exist (and
`codegen` only with arguments its parser accepts), no `${{ }}` spliced into a script; and the
composite action for vendoring teams, its steps run with bash on a vendoring team's repository."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from codegen.cli import parser

from .conftest import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
ACTION = REPO / "action.yml"
MAKE_TARGETS = set(
    re.findall(r"^([A-Za-z][A-Za-z0-9_-]*):", (REPO / "Makefile").read_text(encoding="utf-8"), re.M)
)
SHELL_WORDS = {
    "set",
    "echo",
    "exit",
    "cd",
    "test",
    "[",
    "export",
    "true",
    "false",
    "printf",
    "if",
    "then",
    "else",
    "elif",
    "fi",
    "!",
}
# On every GitHub-hosted runner; not necessarily on this machine.
RUNNER_ONLY = {
    ("gh", "pr", "list"),
    ("gh", "pr", "edit"),
    ("gh", "pr", "create"),
    ("gh", "auth", "setup-git"),
}
CODEGEN = {".venv/bin/codegen", "$CODEGEN"}
# What the variables a codegen call uses hold at run time, so its parser can judge the call.
VALUES = {
    "FAIL_ON": "breaking",
    "BASE": "origin/main",
    "REPORT": "r.md",
    "SPEC": "spec",
    "OUT": "out",
    "ACTION_PATH": ".",
}


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def steps_of(path: Path) -> list[dict[str, Any]]:
    data = load(path)
    if "runs" in data:
        steps: list[dict[str, Any]] = data["runs"]["steps"]
        return steps
    return [s for job in data["jobs"].values() for s in job["steps"]]


def commands(script: str) -> list[list[str]]:
    """The simple commands of a bash script, each as its words, `$(...)` substitutions included."""
    script = re.sub(r"\\\n", " ", script)
    inner = re.findall(r"\$\(([^()]*)\)", script)
    script = re.sub(r"\$\(([^()]*)\)", "SUBST", script)
    out = [c for s in inner for c in commands(s)]
    for line in script.splitlines():
        if not line.strip() or line.strip().startswith("#"):
            continue
        lex = shlex.shlex(line, posix=True, punctuation_chars=";&|<>")
        lex.whitespace_split = True
        words: list[str] = []
        tokens = list(lex) + [";"]
        skip_next = False
        for tok in tokens:
            if skip_next:
                skip_next = False
                continue
            if tok in (";", "&&", "||", "|", "&"):
                if words:
                    out.append(words)
                words = []
            elif tok in (">", ">>", "<", "2>", "2>&1"):
                skip_next = True  # a file name, not a word of the command
            elif not words and (
                tok in {"if", "then", "else", "elif", "fi", "!"} or re.match(r"^[A-Za-z_]+=", tok)
            ):
                continue
            else:
                words.append(tok)
    return out


def expand(word: str) -> str:
    return re.sub(r"\$\{?([A-Za-z_]+)[^}]*\}?", lambda m: VALUES.get(m.group(1), "x"), word)


def check_command(words: list[str]) -> None:
    name = words[0]
    if name in SHELL_WORDS:
        return
    if name in CODEGEN:
        try:
            parser().parse_args([expand(w) for w in words[1:]])
        except SystemExit:
            pytest.fail(f"codegen does not accept: {' '.join(words)}")
        return
    if name == "make":
        assert set(words[1:]) <= MAKE_TARGETS, words
        return
    if tuple(words[:3]) in RUNNER_ONLY:
        return
    if name.endswith("/python") or name == "python":
        assert words[1] == "-m" and words[2] in ("venv", "pip"), words
        return
    assert shutil.which(name), f"no such command: {name}"
    if (
        name == "git"
    ):  # a real git subcommand: `git x -h` is a usage message (129), not 'not a git command'
        assert subprocess.run(["git", words[1], "-h"], capture_output=True).returncode == 129, words


@pytest.mark.parametrize("path", [*WORKFLOWS, ACTION], ids=lambda p: p.name)
def test_valid_yaml_and_every_run_step_uses_only_commands_that_exist(path: Path) -> None:
    data = load(path)
    if path != ACTION:
        assert data.get(True) or data.get("on"), "no triggers"  # YAML 1.1 reads `on:` as true
        assert "permissions" in data, "declare the token's permissions"
        for job in data["jobs"].values():
            assert job["runs-on"] == "ubuntu-latest" and job["timeout-minutes"] <= 30
    else:
        assert data["runs"]["using"] == "composite"
    runs = 0
    for step in steps_of(path):
        assert ("uses" in step) != ("run" in step), step
        if "uses" in step:
            # pinned to a commit (zizmor's unpinned-uses); the tag stands in a comment beside it
            assert re.match(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}$", step["uses"]), step["uses"]
            continue
        runs += 1
        assert "${{" not in step["run"], (
            f"{step.get('name')}: pass expressions through env, never into the script"
        )
        if path == ACTION:
            assert step["shell"] == "bash"
        for words in commands(step["run"]):
            check_command(words)
    assert runs >= 2


def test_the_linter_catches_what_it_should() -> None:
    with pytest.raises(pytest.fail.Exception):
        check_command([".venv/bin/codegen", "sync", "--no-such-flag"])
    with pytest.raises(AssertionError):
        check_command(["make", "deploy"])
    with pytest.raises(AssertionError):
        check_command(["no-such-tool-here", "x"])
    with pytest.raises(AssertionError):
        check_command(["git", "frobnicate"])
    assert commands('a="$(sed -n p "$F" | head -n 1)"\nif [ -n "$a" ]; then\n  gh pr edit "$n" --body-file x > y\nfi') == [
        ["sed", "-n", "p", "$F"], ["head", "-n", "1"], ["[", "-n", "$a", "]"], ["gh", "pr", "edit", "$n", "--body-file", "x"],
    ]  # fmt: skip


def test_the_drift_workflow_opens_one_pull_request_from_codegen_sync() -> None:
    data = load(REPO / ".github" / "workflows" / "drift.yml")
    assert data[True]["schedule"] and "workflow_dispatch" in data[True]
    assert data["permissions"] == {}  # nothing by default; the one job asks for what it needs
    (job,) = data["jobs"].values()
    assert job["permissions"] == {"contents": "write", "pull-requests": "write"}
    script = "\n".join(
        s.get("run", "") for s in steps_of(REPO / ".github" / "workflows" / "drift.yml")
    )
    assert ".venv/bin/codegen sync --format markdown" in script
    assert 'git push --force origin "$BRANCH"' in script and "gh pr list --head" in script


# -- the composite action, run step by step on a vendoring team's repository -----------------------


def _expr(value: str, inputs: dict[str, str]) -> str:
    def one(m: re.Match[str]) -> str:
        e = m.group(1).strip()
        if e.startswith("inputs."):
            return inputs[e[len("inputs.") :]]
        return {
            "github.action_path": str(REPO),
            "steps.install.outputs.codegen": str(REPO / ".venv" / "bin" / "codegen"),
        }[e]

    return re.sub(r"\$\{\{(.*?)\}\}", one, str(value))


def run_action(repo: Path, tmp: Path, **given: str) -> list[subprocess.CompletedProcess[str]]:
    """The action's steps as the runner would run them (setup-python and the pip install aside: the
    generator is this checkout's). Stops at the first failing step."""
    spec = load(ACTION)
    inputs = {k: v.get("default", "") for k, v in spec["inputs"].items()} | given
    done = []
    for step in spec["runs"]["steps"]:
        if "uses" in step or step.get("id") == "install":
            continue
        cond = step.get("if")
        if cond == "inputs.diff-base != ''" and not inputs["diff-base"]:
            continue
        env = {k: _expr(v, inputs) for k, v in step.get("env", {}).items()}
        env |= {
            "PATH": os.environ["PATH"],
            "HOME": str(tmp),
            "RUNNER_TEMP": str(tmp),
            "GITHUB_STEP_SUMMARY": str(tmp / "summary.md"),
            "GITHUB_OUTPUT": str(tmp / "output"),
        }
        # the test session's black cache (tests/conftest.py): the same output, made once
        env |= {k: v for k, v in os.environ.items() if k == "CODEGEN_FORMAT_CACHE"}
        proc = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        done.append(proc)
        if proc.returncode:
            break
    return done


def _vendoring_repo(repo: Path) -> Path:
    """A repository that vendors the client under third_party/gemini (what `codegen generate --out`
    writes: gemini_client/ and .codegen-manifest.json) and keeps a copy of the spec."""
    shutil.copytree(
        REPO / "generated",
        repo / "third_party" / "gemini",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    shutil.copytree(REPO / "spec", repo / "spec")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "add", "."], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "vendor"], cwd=repo, check=True)
    return repo


@dataclass
class Checked:
    repo: Path
    """The team's repository after the action's first run on it (its untracked `.codegen-cache/`
    included: what the generator records locally, as on a runner that keeps the work tree)."""
    first: subprocess.CompletedProcess[str]
    """That first run: on a fresh clone, so `codegen check` builds the whole client to compare."""


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Checked:
    """The action run once on an untouched vendored copy, for the module's tests to start from: the
    whole build that compares the copy with what the spec produces is made once, not per test
    (a later run on the same inputs and files is answered by the generator's local record; one
    whose files changed builds again)."""
    tmp = tmp_path_factory.mktemp("action")
    repo = _vendoring_repo(tmp / "team")
    [first] = run_action(repo, tmp, out="third_party/gemini", spec="spec")
    return Checked(repo, first)


@pytest.fixture
def team_repo(checked: Checked, tmp_path: Path) -> Path:
    """A copy of the team's repository the action has checked once (`checked`)."""
    return Path(shutil.copytree(checked.repo, tmp_path / "team", symlinks=True))


_SHARED = pytest.mark.xdist_group("team-repo")  # one worker: `checked` is made once


@_SHARED
def test_the_action_passes_on_an_untouched_copy_and_fails_on_an_edited_one(
    checked: Checked, team_repo: Path, tmp_path: Path
) -> None:
    # The first run, on a fresh clone: the whole client built and compared (`checked`).
    assert checked.first.returncode == 0, checked.first.stdout + checked.first.stderr
    assert "is up to date" in checked.first.stdout
    # Against the generator's own spec at this ref (the team keeps no spec).
    [ok] = run_action(team_repo, tmp_path, out="third_party/gemini")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    models = team_repo / "third_party" / "gemini" / "gemini_client" / "_client.py"
    models.write_text(models.read_text(encoding="utf-8") + "# a hand edit\n", encoding="utf-8")
    [bad] = run_action(team_repo, tmp_path, out="third_party/gemini", spec="spec")
    assert bad.returncode == 1 and "changed: gemini_client/_client.py" in bad.stdout


@_SHARED
def test_the_action_annotates_a_spec_change_and_fails_at_the_chosen_level(
    team_repo: Path, tmp_path: Path
) -> None:
    """The team's spec change adds a value to a response enum (a warning) and lands the spec its
    vendored copy was generated from: the copy is then exactly what the spec produces, with no
    regeneration in between (the commit before it is the spec less that value)."""
    gen = team_repo / "spec" / "generation.yaml"
    value = "      ESCALATION: Request was filtered by an escalation rule.\n"
    text = gen.read_text(encoding="utf-8")
    assert text.count(value) == 1
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
    gen.write_text(text.replace(value, ""), encoding="utf-8")
    subprocess.run([*git, "commit", "-qam", "spec without the value"], cwd=team_repo, check=True)
    gen.write_text(text, encoding="utf-8")
    subprocess.run([*git, "commit", "-qam", "spec"], cwd=team_repo, check=True)
    check, diff = run_action(
        team_repo,
        tmp_path,
        out="third_party/gemini",
        spec="spec",
        **{"diff-base": "HEAD~1", "fail-on": "warning"},
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert diff.returncode == 1
    assert (
        "::warning file=spec/generation.yaml,line=" in diff.stdout
        and "response-enum-value-added" in diff.stdout
    )
    assert "`gemini_client.types.FinishReason.ESCALATION`" in (tmp_path / "summary.md").read_text(
        encoding="utf-8"
    )
    [_, passes] = run_action(
        team_repo, tmp_path, out="third_party/gemini", spec="spec", **{"diff-base": "HEAD~1"}
    )
    assert passes.returncode == 0  # a warning is not breaking
