"""The one rule registry: well formed, every rule used by its walker, the doc tables rendered from it."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from codegen.compare import docs
from codegen.compare.rules import DIFF, DRIFT, TABLE, Check, Rule
from codegen.diff import compare as diff_compare
from codegen.diff.compare import diff
from codegen.diff.sources import Side
from codegen.discovery.load import load_discovery
from codegen.discovery.normalise import normalise
from codegen.drift import compare as drift_compare
from codegen.spec.loader import load_spec

ROOT = Path(__file__).resolve().parents[2]
WALKERS = {"diff": diff_compare, "drift": drift_compare}


def test_every_rule_has_the_one_shape() -> None:
    assert len(TABLE) == len(DIFF) + len(DRIFT)
    for r in TABLE:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", r.id), r.id
        assert r.message and r.message.strip() == r.message, r.id
        assert r.doc and r.doc.strip() == r.doc and "\n" not in r.doc, r.id
        assert r.level in (
            ("breaking", "warning", "non-breaking", "docs")
            if r.check == "diff"
            else ("breaking", "new", "changed")
        ), r.id
        assert r.side in ("base", "head", "both"), r.id


@pytest.mark.parametrize("rule", TABLE, ids=lambda r: f"{r.check}:{r.id}")
def test_messages_are_built_only_from_their_fields(rule: Rule) -> None:
    values = {name: f"<{name}>" for name in rule.fields}
    text = rule.format(**values)
    assert all(v in text for v in values.values())
    with pytest.raises(ValueError):
        rule.format(**values, unexpected="x")
    if values:
        with pytest.raises(ValueError):
            rule.format()


@pytest.mark.parametrize("check", ["diff", "drift"])
def test_every_rule_is_used_by_its_walker_and_nothing_else(check: Check) -> None:
    source = Path(WALKERS[check].__file__ or "").read_text(encoding="utf-8")
    rules = DIFF if check == "diff" else DRIFT
    quoted = set(re.findall(r'"([a-z]+(?:-[a-z]+)+)"', source))
    # The drift walker builds request-changed / response-changed as f"{what}-changed".
    quoted |= {
        f"{what}-changed" for what in ("request", "response") if '"{what}-changed"' in source
    }
    assert set(rules) - quoted == set()


@pytest.mark.parametrize("check", ["diff", "drift"])
def test_the_doc_table_is_rendered_from_the_registry(check: Check) -> None:
    rel = docs.DOCS[check]
    text = (ROOT / rel).read_text(encoding="utf-8")
    assert docs.rendered(text, check, rel) == text, (
        f"{rel} is stale: run `python -m codegen.compare --write-docs`"
    )
    table = text.split(docs.BEGIN, 1)[1].split(docs.END, 1)[0]
    for r in DIFF.values() if check == "diff" else DRIFT.values():
        assert f"| `{r.id}` | {r.level} |" in table


def test_a_stale_table_is_found_and_rewritten(tmp_path: Path) -> None:
    for check, rel in docs.DOCS.items():
        target = tmp_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        fresh = (ROOT / rel).read_text(encoding="utf-8")
        target.write_text(
            fresh.replace(f"| `{next(iter(DRIFT if check == 'drift' else DIFF))}` |", "| `x` |")
        )
    assert sorted(docs.write_docs(tmp_path)) == sorted(docs.DOCS.values())
    assert docs.write_docs(tmp_path) == []
    for rel in docs.DOCS.values():
        assert (tmp_path / rel).read_text(encoding="utf-8") == (ROOT / rel).read_text(
            encoding="utf-8"
        )


def test_a_doc_without_markers_is_refused() -> None:
    with pytest.raises(ValueError, match="no <!-- rules:begin"):
        docs.rendered("# no table here\n", "drift", "docs/drift.md")


def _pattern(rule: Rule) -> re.Pattern[str]:
    """The rule's template as a regex: its text literal, each placeholder any text."""
    parts = [
        re.escape(literal) + ("(.*?)" if name is not None else "")
        for literal, name, _, _ in string.Formatter().parse(rule.message)
    ]
    return re.compile("".join(parts), re.DOTALL)


def test_every_message_of_both_commands_is_its_rules_template() -> None:
    """Real comparisons (the spec against both pinned documents, and one document against the
    other): each message is its rule's template filled in, so the registry words everything."""
    spec = load_spec(ROOT / "spec")
    data = ROOT / "tests" / "data"
    old, new = (
        normalise(load_discovery(data / f"generativelanguage.v1beta.{rev}.json").doc).spec
        for rev in ("20260522", "20260529")
    )
    used: set[tuple[str, str]] = set()
    for api in (old, new):
        for f in drift_compare.compare(api, spec):
            assert _pattern(DRIFT[f.kind]).fullmatch(f.message), (f.kind, f.message)
            used.add(("drift", f.kind))
    for base, head in ((spec, new), (old, new), (new, old)):
        for c in diff(Side("base", base), Side("head", head)):
            assert _pattern(DIFF[c.rule]).fullmatch(c.message), (c.rule, c.message)
            used.add(("diff", c.rule))
    assert len({r for check, r in used if check == "drift"}) >= 5
    assert len({r for check, r in used if check == "diff"}) >= 15
