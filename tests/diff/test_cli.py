"""`codegen diff` as CI runs it: formats, --fail-on, and one line per problem on bad input."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import SPEC, Run, SpecFiles

HOSTILE = "50%0A evil | `code` <script>alert(1)</script> @octocat [x](http://e) **b** \x1b[31mred\x00 \r\nnext: a,b"


def _mixed(s: SpecFiles) -> None:
    """One change of each level, and hostile text in a description."""
    s.fields("Candidate").pop("finishReason")  # breaking
    s.fields("Candidate")["score"] = "float"  # non-breaking
    s.type("Model")["description"] = HOSTILE  # docs


@pytest.fixture
def mixed(edited: Callable[..., Path]) -> Path:
    return edited(_mixed)


def test_text_groups_by_level_with_a_summary(mixed: Path, cli: Callable[..., Run]) -> None:
    run = cli("diff", str(SPEC), str(mixed))
    assert run.code == 1
    lines = run.out.splitlines()
    assert lines[1] == "1 breaking, 0 warnings, 1 non-breaking, 1 docs-only"
    order = [lines.index(h) for h in ("breaking (1):", "non-breaking (1):", "docs-only (1):")]
    assert order == sorted(order)
    assert (
        "  gemini_client.types.Candidate.finish_reason: field removed (finishReason: FinishReason) [field-removed]"
        in lines
    )
    assert "\x1b" not in run.out and "\x00" not in run.out and "\r" not in run.out


def test_json_parses_and_is_sorted(mixed: Path, cli: Callable[..., Run]) -> None:
    doc = json.loads(cli("diff", str(SPEC), str(mixed), "--format", "json").out)
    assert doc["summary"] == {"breaking": 1, "warning": 0, "non-breaking": 1, "docs": 1, "total": 3}
    assert [c["level"] for c in doc["changes"]] == ["breaking", "non-breaking", "docs"]
    for c in doc["changes"]:
        assert set(c) == {"rule", "level", "symbol", "message", "base", "head", "fingerprint"}
    added = doc["changes"][1]
    assert added["base"] is not None and added["head"].endswith(
        ".yaml:" + added["head"].rpartition(":")[2]
    )


_ANNOTATION = re.compile(r"^::(error|notice) (file=[^,:]+,line=\d+,)?title=[^,:]+::[^\r\n]*$")


def test_github_annotations(mixed: Path, cli: Callable[..., Run]) -> None:
    run = cli("diff", str(SPEC), str(mixed), "--format", "github")
    lines = run.out.splitlines()
    assert len(lines) == 4
    for line in lines:
        assert _ANNOTATION.match(line), line
        assert "\r" not in line
    error = lines[0]
    assert re.match(
        r"^::error file=[^,]*spec/generation\.yaml,line=\d+,title=field-removed \(breaking\)::gemini_client\.types\.Candidate\.finish_reason: field removed",
        error,
    ), error
    docs = next(line for line in lines if "type-description-changed" in line)
    assert docs.startswith("::notice file=")
    message = docs.split("::", 2)[2]
    # GitHub's escaping: % first, then CR and LF; the literal "%0A" in the text stays literal.
    assert "%250A" in message and "\n" not in message
    assert (
        lines[-1]
        == "::notice title=codegen diff::1 breaking, 0 warnings, 1 non-breaking, 1 docs-only"
    )


def test_github_escapes_property_values() -> None:
    from codegen.diff.compare import Change
    from codegen.diff.report import github

    out = github(
        [Change("field-removed", "x.y", "50% gone\r\nnow", "a,b:c.yaml:3", "we:ird,name.yaml:7")]
    )
    first = out.splitlines()[0]
    assert (
        first
        == "::error file=we%3Aird%2Cname.yaml,line=7,title=field-removed (breaking)::x.y: 50%25 gone now"
    )
    from codegen.diff.report import gh_data

    assert gh_data("a%b\r\nc") == "a%25b%0D%0Ac"


def test_markdown_report_escapes_hostile_text(mixed: Path, cli: Callable[..., Run]) -> None:
    run = cli("diff", str(SPEC), str(mixed), "--format", "markdown")
    out = run.out
    assert out.startswith("## Spec diff: ")
    assert "**1 breaking, 0 warnings, 1 non-breaking, 1 docs-only**" in out
    for heading in ("### Breaking (1)", "### Non-breaking (1)", "### Docs-only (1)"):
        assert heading in out
    row = next(line for line in out.splitlines() if "type-description-changed" in line)
    assert "<script>" not in row and "&lt;script&gt;" in row
    assert "@octocat" not in row and "&#64;octocat" in row
    assert "\x1b" not in row and "\x00" not in row
    # Every cell boundary is a real one: 5 cells, so 6 unescaped pipes.
    assert len(re.findall(r"(?<!\\)\|", row)) == 6
    assert "\\`code\\`" in row and "\\[x\\]" in row
    assert "`gemini_client.types.Model`" in row


def test_markdown_without_changes(cli: Callable[..., Run]) -> None:
    out = cli("diff", str(SPEC), str(SPEC), "--format", "markdown").out
    assert "No changes to the public surface" in out and "|" not in out


@pytest.mark.parametrize(
    ("fail_on", "code"), [("breaking", 1), ("non-breaking", 1), ("any", 1), ("never", 0)]
)
def test_fail_on_with_a_breaking_change(
    mixed: Path, cli: Callable[..., Run], fail_on: str, code: int
) -> None:
    assert cli("diff", str(SPEC), str(mixed), "--fail-on", fail_on).code == code


@pytest.mark.parametrize(
    ("fail_on", "code"), [("breaking", 0), ("non-breaking", 0), ("any", 1), ("never", 0)]
)
def test_fail_on_with_docs_only(
    edited: Callable[..., Path], cli: Callable[..., Run], fail_on: str, code: int
) -> None:
    root = edited(lambda s: s.type("Model").__setitem__("description", "Other words."))
    assert cli("diff", str(SPEC), str(root), "--fail-on", fail_on).code == code


@pytest.mark.parametrize(
    ("fail_on", "code"), [("breaking", 0), ("non-breaking", 1), ("any", 1), ("never", 0)]
)
def test_fail_on_with_an_addition(
    edited: Callable[..., Path], cli: Callable[..., Run], fail_on: str, code: int
) -> None:
    root = edited(lambda s: s.fields("Candidate").__setitem__("score", "float"))
    assert cli("diff", str(SPEC), str(root), "--fail-on", fail_on).code == code


def test_output_file(mixed: Path, tmp_path: Path, cli: Callable[..., Run]) -> None:
    target = tmp_path / "report.md"
    run = cli("diff", str(SPEC), str(mixed), "--format", "markdown", "--output", str(target))
    assert run.code == 1 and run.out == ""
    assert target.read_text().startswith("## Spec diff")


def test_broken_spec_directory_prints_the_loader_lines(
    edited: Callable[..., Path], cli: Callable[..., Run]
) -> None:
    root = edited(lambda s: s.field("Candidate", "index").__setitem__("type", "Int32"))
    run = cli("diff", str(SPEC), str(root))
    assert run.code == 2 and run.out == ""
    (line,) = run.err.splitlines()
    assert re.match(
        r"^.*generation\.yaml:\d+: types\.Candidate\.fields\.index\.type: unknown type 'Int32'",
        line,
    ), line
    assert "Traceback" not in run.err


def test_yaml_syntax_error(spec_copy: Callable[[str], Path], cli: Callable[..., Run]) -> None:
    root = spec_copy("broken")
    (root / "models.yaml").write_text("types:\n  Model: [unclosed\n")
    run = cli("diff", str(SPEC), str(root))
    assert run.code == 2
    assert (
        len(run.err.splitlines()) == 1
        and "models.yaml:" in run.err
        and "YAML syntax error" in run.err
    )


def test_missing_directory_and_bad_options(
    tmp_path: Path, cli: Callable[..., Run], capsys: pytest.CaptureFixture[str]
) -> None:
    run = cli("diff", str(SPEC), str(tmp_path / "nope"), "--format", "json")
    assert run.code == 2 and len(run.err.splitlines()) == 1
    empty = tmp_path / "empty"
    empty.mkdir()
    run = cli("diff", str(SPEC), str(empty))
    assert run.code == 2 and "no *.yaml files" in run.err
    with pytest.raises(SystemExit) as exc:
        cli("diff", "--format", "xml")
    assert exc.value.code == 2


def test_help_lists_the_diff_command(cli: Callable[..., Run]) -> None:
    with pytest.raises(SystemExit):
        cli("--help")


def test_a_diff_imports_no_other_command() -> None:
    """`codegen diff` (CI runs it on every pull request) starts without the drift, sync and export
    commands' modules, nor httpx (drift's fetch), nor pydantic (the generated client's)."""
    probe = (
        "import sys; from codegen.cli import main; code = main(sys.argv[1:]); "
        "print(code, *sorted(m for m in sys.modules if m.startswith(('codegen.', 'httpx', 'pydantic'))))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe, "diff", str(SPEC), str(SPEC), "--format", "json"],
        capture_output=True,
        text=True,
    )
    code, *modules = proc.stdout.splitlines()[-1].split()
    assert code == "0", proc.stdout + proc.stderr
    assert "codegen.diff.command" in modules
    others = (
        "codegen.drift.",
        "codegen.sync",
        "codegen.export",
        "codegen.discovery",
        "httpx",
        "pydantic",
    )
    assert [m for m in modules if m.startswith(others) and m != "codegen.drift.names"] == []
