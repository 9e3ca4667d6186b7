"""The diff rules of the registry: well formed, and every one used by the comparison.

That docs/spec-diff.md lists them is tests/compare/test_registry.py's business."""

from __future__ import annotations

import re
import string
from pathlib import Path

from codegen.diff import compare
from codegen.compare.rules import DIFF as RULES


def test_rules_are_well_formed() -> None:
    assert len(RULES) >= 30
    for rule in RULES.values():
        assert re.match(r"^[a-z]+(-[a-z]+)*$", rule.id), rule.id
        assert rule.level in ("breaking", "warning", "non-breaking", "docs")
        assert rule.doc.strip() == rule.doc and rule.doc, rule.id
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
        if rule.change == "docs":
            assert rule.level == "docs"


def test_every_rule_is_used_and_every_used_rule_exists() -> None:
    source = Path(compare.__file__).read_text(encoding="utf-8")
    used = set(re.findall(r'"([a-z]+(?:-[a-z]+)+)"', source))
    used = {u for u in used if u in RULES or u.endswith(("-added", "-removed", "-changed"))}
    assert used - set(RULES) == set()
    assert set(RULES) - used == set()
