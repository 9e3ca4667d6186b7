"""The rule table: well formed, every rule used by the comparison, and listed in docs/spec-diff.md."""

from __future__ import annotations

import re
import string
from pathlib import Path

from codegen.diff import compare
from codegen.diff.rules import DOC_BEGIN as BEGIN
from codegen.diff.rules import DOC_END as END
from codegen.diff.rules import RULES, rules_markdown

from .conftest import ROOT

DOC = ROOT / "docs" / "spec-diff.md"


def test_rules_are_well_formed() -> None:
    assert len(RULES) >= 30
    for rule in RULES.values():
        assert re.match(r"^[a-z]+(-[a-z]+)*$", rule.id), rule.id
        assert rule.level in ("breaking", "warning", "non-breaking", "docs")
        assert rule.why.strip() == rule.why and rule.why, rule.id
        assert rule.message.strip() == rule.message and rule.message, rule.id
        fields = {f for _, f, _, _ in string.Formatter().parse(rule.message) if f}
        assert fields <= {
            "old",
            "new",
            "name",
            "what",
            "count",
            "http",
            "response",
            "where",
            "wire",
            "type",
            "kind",
        }, rule.id
        if rule.kind == "docs":
            assert rule.level == "docs"


def test_every_rule_is_used_and_every_used_rule_exists() -> None:
    source = Path(compare.__file__).read_text(encoding="utf-8")
    used = set(re.findall(r'"([a-z]+(?:-[a-z]+)+)"', source))
    used = {u for u in used if u in RULES or u.endswith(("-added", "-removed", "-changed"))}
    assert used - set(RULES) == set()
    assert set(RULES) - used == set()


def test_docs_list_every_rule_from_the_registry() -> None:
    doc = DOC.read_text(encoding="utf-8")
    assert BEGIN in doc and END in doc
    table = doc.split(BEGIN, 1)[1].split(END, 1)[0].strip() + "\n"
    assert table == rules_markdown(), (
        "docs/spec-diff.md is stale: run `python -m codegen.diff --write-doc`"
    )
    for rule_id in RULES:
        assert f"`{rule_id}`" in table
