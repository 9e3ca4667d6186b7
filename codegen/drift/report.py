"""Format a drift outcome: text for a terminal, markdown for a PR comment, JSON for machines.

Every name and message may carry text from the Discovery document, so nothing reaches the output
unescaped: text strips terminal control characters (shown as `\\x1b`, `\\u202e`), markdown also
escapes what markdown or HTML would interpret (`|`, backticks, `<`...), JSON is ASCII-only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from codegen.spec.emit import (
    dump,
    emit_enum_value,
    emit_field,
    emit_method,
    emit_resource,
    emit_type,
    param_data,
)
from codegen.spec.model import EnumType, EnumValue, Field, Method, ObjectType, Parameter, Resource

from codegen.untrusted import markdown_inert, visible

from .findings import CATEGORY_ORDER, CATEGORY_TITLES, Category, Finding
from .ignore import Judged, Outcome, Rule

FORMATS = ("text", "markdown", "json")


@dataclass(frozen=True)
class Report:
    outcome: Outcome
    revision: str
    source: str
    suggest: bool = False


# -- escaping ------------------------------------------------------------------------------------


def clean(text: str) -> str:
    """One line for a terminal: hidden characters shown as `\\x1b`-style text."""
    return visible(text)


def md(text: str) -> str:
    """Text for a markdown table cell or paragraph: nothing in it is markup."""
    return markdown_inert(visible(text))


# -- shared --------------------------------------------------------------------------------------


def counts(outcome: Outcome) -> dict[str, int]:
    c: dict[str, int] = {cat: 0 for cat in CATEGORY_ORDER}
    for f in outcome.drift:
        c[f.category] += 1
    return c


def summary_line(report: Report) -> str:
    o = report.outcome
    c = counts(o)
    n = len(o.drift)
    head = "no drift" if n == 0 else f"{n} finding{'s' if n != 1 else ''}"
    parts = [f"{c['breaking']} breaking", f"{c['new']} new", f"{c['changed']} other"]
    return clean(
        f"drift: {head} ({', '.join(parts)}); {len(o.ignored)} ignored, "
        f"{len(o.spec_only)} spec-only; Discovery revision {report.revision or '?'}"
    )


def _by_category(findings: list[Finding]) -> list[tuple[Category, list[Finding]]]:
    return [(cat, [f for f in findings if f.category == cat]) for cat in CATEGORY_ORDER]


def _by_rule(judged: list[Judged]) -> list[tuple[Rule, list[Finding]]]:
    groups: dict[Rule, list[Finding]] = {}
    for j in judged:
        assert j.rule is not None
        groups.setdefault(j.rule, []).append(j.finding)
    return sorted(groups.items(), key=lambda kv: kv[0].pattern)


# -- suggestions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snippet:
    where: str
    file: str
    key: str
    yaml: str  # indented for its place under `key`
    note: str = ""


_SET_LONG_RUNNING = (
    "set long_running.response: Discovery does not say what the finished operation holds"
)


def snippets(findings: list[Finding]) -> list[Snippet]:
    """The YAML to paste for each missing method, parameter, type, field or enum value."""
    out = []
    for f in findings:
        s = f.suggestion
        if s is None:
            continue
        node = s.node
        notes = [s.note] if s.note else []
        if isinstance(node, Resource):
            text = emit_resource(node)
            if any(
                m.long_running is not None and not m.long_running.response
                for _, r in node.walk()
                for m in r.methods
            ):
                notes.append(_SET_LONG_RUNNING)
        elif isinstance(node, Method):
            text = emit_method(node)
            if node.long_running is not None and not node.long_running.response:
                notes.append(_SET_LONG_RUNNING)
        elif isinstance(node, Parameter):
            text = dump({node.name: param_data(node)})
        elif isinstance(node, Field):
            text = emit_field(node)
        elif isinstance(node, EnumValue):
            text = emit_enum_value(node)
        else:
            assert isinstance(node, (ObjectType, EnumType))
            text = emit_type(node)
        pad = "  " * len(s.key.split("."))
        yaml_text = "".join(pad + line if line.strip() else line for line in text.splitlines(True))
        out.append(Snippet(f.key, s.file, s.key, yaml_text, "; ".join(notes)))
    return sorted(out, key=lambda s: (s.file, s.key, s.where))


# -- text ----------------------------------------------------------------------------------------


def text(report: Report) -> str:
    o = report.outcome
    lines = [
        clean(f"API drift against Discovery revision {report.revision or '?'} ({report.source})"),
        "",
    ]
    for cat, found in _by_category(o.drift):
        title = CATEGORY_TITLES[cat]
        if not found:
            lines.append(f"{title}: none")
            continue
        lines.append(f"{title} ({len(found)}):")
        for f in found:
            lines.append("  " + clean(str(f)))
            lines.append("      " + clean(f"[{f.kind}] discovery: {f.discovery_path or '-'}"))
    for name, judged in (("Ignored", o.ignored), ("Spec-only", o.spec_only)):
        if not judged:
            lines.append(f"{name}: none")
            continue
        lines.append(f"{name} ({len(judged)}):")
        for rule, found in _by_rule(judged):
            keys = sorted({f.key for f in found})
            where = ", ".join(keys[:6]) + (f", ... ({len(keys) - 6} more)" if len(keys) > 6 else "")
            lines.append(clean(f"  {rule.pattern}: {rule.reason} [{len(found)}: {where}]"))
    if o.unused:
        lines.append("Rules that matched nothing (remove them?):")
        for r in o.unused:
            lines.append(clean(f"  {r.loc.file_line}: {r.section}: {r.pattern}"))
    if report.suggest:
        lines += ["", *_text_snippets(o.drift)]
    lines += ["", summary_line(report)]
    return "\n".join(lines) + "\n"


def _text_snippets(findings: list[Finding]) -> list[str]:
    snips = snippets(findings)
    if not snips:
        return ["Suggestions: nothing to add"]
    lines = ["Suggestions (YAML to paste into the spec):"]
    for s in snips:
        lines.append("")
        lines.append(clean(f"# {s.where}: in {s.file}, under {s.key}:"))
        if s.note:
            lines.append(clean(f"# ({s.note})"))
        lines += [clean(line) for line in s.yaml.rstrip("\n").split("\n")]
    return lines


# -- markdown ------------------------------------------------------------------------------------


def markdown(report: Report) -> str:
    o = report.outcome
    c = counts(o)
    out = [f"### API drift: Discovery revision {md(report.revision or '?')}", ""]
    out.append(f"**{md(summary_line(report))}**")
    out.append("")
    for cat, found in _by_category(o.drift):
        if not found:
            continue
        out.append(f"#### {CATEGORY_TITLES[cat]} ({c[cat]})")
        out.append("")
        out.append("| Where | Finding | Kind | Spec | Discovery |")
        out.append("|---|---|---|---|---|")
        for f in found:
            out.append(
                f"| {md(f.where)} | {md(f.message)} | {md(f.kind)} | "
                f"{md(f.spec_location or '')} | {md(f.discovery_path or '')} |"
            )
        out.append("")
    for name, judged in (("Ignored", o.ignored), ("Spec-only", o.spec_only)):
        if not judged:
            continue
        out.append(f"<details><summary>{name} ({len(judged)})</summary>")
        out.append("")
        out.append("| Rule | Reason | Findings |")
        out.append("|---|---|---|")
        for rule, found in _by_rule(judged):
            out.append(f"| {md(rule.pattern)} | {md(rule.reason)} | {len(found)} |")
        out.append("")
        out.append("</details>")
        out.append("")
    if o.unused:
        out.append("Rules that matched nothing: " + ", ".join(md(r.pattern) for r in o.unused))
        out.append("")
    if report.suggest:
        snips = snippets(o.drift)
        if snips:
            out.append(f"<details><summary>Suggestions ({len(snips)})</summary>")
            out.append("")
            for s in snips:
                body = "\n".join(clean(line) for line in s.yaml.rstrip("\n").split("\n"))
                fence = "`" * max(3, _longest_run(body, "`") + 1)
                out.append(
                    f"{md(s.where)}: in {md(s.file)}, under {md(s.key)}"
                    + (f" ({md(s.note)})" if s.note else "")
                )
                out.append("")
                out.append(f"{fence}yaml")
                out.append(body)
                out.append(fence)
                out.append("")
            out.append("</details>")
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _longest_run(text: str, ch: str) -> int:
    best = run = 0
    for c in text:
        run = run + 1 if c == ch else 0
        best = max(best, run)
    return best


# -- json ----------------------------------------------------------------------------------------


def as_json(report: Report) -> str:
    o = report.outcome
    data: dict[str, Any] = {
        "revision": report.revision,
        "source": report.source,
        "summary": {
            **counts(o),
            "findings": len(o.drift),
            "ignored": len(o.ignored),
            "spec_only": len(o.spec_only),
        },
        "findings": [f.as_json() for f in o.drift],
        "ignored": [_judged_json(j) for j in o.ignored],
        "spec_only": [_judged_json(j) for j in o.spec_only],
        "unused_rules": [
            {"section": r.section, "rule": r.pattern, "location": r.loc.file_line} for r in o.unused
        ],
    }
    if report.suggest:
        data["suggestions"] = [
            {"where": s.where, "file": s.file, "key": s.key, "yaml": s.yaml, "note": s.note}
            for s in snippets(o.drift)
        ]
    return json.dumps(data, indent=2, ensure_ascii=True) + "\n"


def _judged_json(j: Judged) -> dict[str, object]:
    assert j.rule is not None
    return {**j.finding.as_json(), "rule": j.rule.pattern, "reason": j.rule.reason}


def render(report: Report, fmt: str) -> str:
    if fmt == "markdown":
        return markdown(report)
    if fmt == "json":
        return as_json(report)
    return text(report)
