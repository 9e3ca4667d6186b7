"""spec/drift-ignore.yaml: reading it (one clear line per problem), matching, spec-only, cascades."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from codegen.cli import main
from codegen.drift.findings import Finding
from codegen.drift.ignore import Rule, Rules, apply, load_rules
from codegen.spec.errors import SpecError

from .conftest import NEW, SPEC_DIR


def rules_from(tmp_path: Path, text: str) -> Rules:
    p = tmp_path / "drift-ignore.yaml"
    p.write_text(text, encoding="utf-8")
    return load_rules(p)


def test_the_real_file_has_a_reason_for_every_rule() -> None:
    rules = load_rules(SPEC_DIR / "drift-ignore.yaml")
    assert len(rules.section("ignore")) == 7  # the PaLM-era methods; the spec has every other one
    assert all(r.reason and r.loc.line > 0 for r in rules.rules)


def test_missing_file_means_no_rules(tmp_path: Path) -> None:
    assert load_rules(tmp_path / "nope.yaml") == Rules()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ignore:\n  models.x:\n", "every entry needs a reason"),
        ("ignore:\n  models.x: {kinds: [method-missing]}\n", "every entry needs a reason"),
        (
            "ignore:\n  models.x: {reason: r, kinds: [method-mising]}\n",
            "unknown finding kind 'method-mising' (did you mean 'method-missing'?)",
        ),
        ("ignroe:\n  models.x: r\n", "unknown key 'ignroe' (did you mean 'ignore'?)"),
        ("ignore:\n  'models x': r\n", "invalid name or pattern"),
        ("ignore: [models.x]\n", "expected a mapping"),
        ("ignore:\n  models.x: r\n  models.x: s\n", "duplicate"),
        ("ignore:\n  models.x: {reason: r, because: s}\n", "unknown key 'because'"),
        ("ignore: {a: [\n", "YAML syntax error"),
    ],
)
def test_bad_rules_files(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(SpecError) as e:
        rules_from(tmp_path, text)
    assert message in str(e.value)
    assert str(e.value).startswith(str(tmp_path) if Path.cwd() not in tmp_path.parents else "")
    assert ":" in str(e.value).splitlines()[0]


def test_a_bad_rules_file_is_exit_2_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec_dir = tmp_path / "spec"
    shutil.copytree(SPEC_DIR, spec_dir)
    (spec_dir / "drift-ignore.yaml").write_text(
        "ignore:\n  models.generateText:\n", encoding="utf-8"
    )
    assert main(["drift", "--discovery", str(NEW), "--spec", str(spec_dir)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "drift-ignore.yaml:2:" in err[0] and "reason" in err[0]


def F(kind: str, where: str, item: str = "", via: tuple[str, ...] = ()) -> Finding:
    return Finding(kind, where, "m", item=item, via=via)


def test_names_patterns_prefixes_and_kinds(tmp_path: Path) -> None:
    rules = rules_from(
        tmp_path,
        "ignore:\n"
        "  models.*Text: palm\n"
        "  Candidate.finishReason.ESCALATION: one value\n"
        "  Part: {reason: only new fields, kinds: [field-missing]}\n",
    )
    o = apply(
        [
            F("method-missing", "models.generateText"),
            F("method-missing", "models.embedText"),
            F("method-missing", "models.textual"),
            F("enum-value-missing", "Candidate.finishReason", "ESCALATION"),
            F("enum-value-missing", "Candidate.finishReason", "OTHER"),
            F("field-missing", "Part.newField"),
            F("field-gone", "Part.oldField"),
        ],
        rules,
    )
    assert sorted(f.key for f in o.drift) == [
        "Candidate.finishReason.OTHER",
        "Part.oldField",
        "models.textual",
    ]
    assert {j.rule.pattern for j in o.ignored if j.rule} == {
        "models.*Text",
        "Candidate.finishReason.ESCALATION",
        "Part",
    }
    assert o.unused == []


def test_spec_only_rules_apply_only_to_what_the_spec_has(tmp_path: Path) -> None:
    rules = rules_from(
        tmp_path, "spec_only:\n  Live: {reason: websocket}\n  LiveMessage: websocket messages\n"
    )
    o = apply([F("type-gone", "LiveMessage"), F("field-missing", "LiveMessage.x")], rules)
    assert [j.finding.key for j in o.spec_only] == ["LiveMessage"]
    assert [f.key for f in o.drift] == ["LiveMessage.x"]
    assert [r.pattern for r in o.unused] == ["Live"]


def test_types_follow_what_brings_them_in_even_in_a_cycle() -> None:
    rule = Rule("ignore", "models.generateAnswer", "later")
    found = [
        F("method-missing", "models.generateAnswer"),
        F("type-missing", "Req", via=("models.generateAnswer",)),
        F("type-missing", "A", via=("Req", "B")),
        F("type-missing", "B", via=("A",)),
        F("type-missing", "Shared", via=("Req", "Candidate.x")),
        F("field-missing", "Candidate.x"),
        F("type-missing", "Orphan1", via=("Orphan2",)),
        F("type-missing", "Orphan2", via=("Orphan1",)),
    ]
    o = apply(found, Rules((rule,)))
    assert sorted(j.finding.key for j in o.ignored) == ["A", "B", "Req", "models.generateAnswer"]
    assert all(j.rule == rule for j in o.ignored)
    # Shared is also needed by a field that is drift; a cycle no rule reaches stays drift.
    assert sorted(f.key for f in o.drift) == ["Candidate.x", "Orphan1", "Orphan2", "Shared"]


def test_spec_only_through_the_real_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A Live API type in the spec that Discovery never describes: spec-only once listed."""
    spec_dir = tmp_path / "spec"
    shutil.copytree(SPEC_DIR, spec_dir)
    (spec_dir / "live.yaml").write_text(
        "types:\n"
        "  LiveClientMessage:\n"
        "    fields:\n"
        "      setup: LiveClientSetup\n"
        "  LiveClientSetup:\n"
        "    fields:\n"
        "      model: string\n"
        "      generationConfig: GenerationConfig\n",
        encoding="utf-8",
    )
    args = ["drift", "--discovery", str(NEW), "--spec", str(spec_dir)]
    assert main(args) == 1
    out = capsys.readouterr().out
    assert (
        "LiveClientMessage: the spec has type LiveClientMessage, the API does not describe it"
        in out
    )
    rules = spec_dir / "drift-ignore.yaml"
    rules.write_text(
        rules.read_text(encoding="utf-8").replace(
            "spec_only:\n",
            "spec_only:\n  LiveClientMessage: Live API messages travel over a WebSocket.\n",
        ),
        encoding="utf-8",
    )
    assert main(args) == 0
    out = capsys.readouterr().out
    spec_only = out.split("Spec-only (", 1)[1]
    assert "LiveClientMessage: Live API messages" in spec_only and "LiveClientSetup" in spec_only
