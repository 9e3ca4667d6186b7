"""The rule tables of docs/drift.md and docs/spec-diff.md, rendered from the one registry."""

from __future__ import annotations

from pathlib import Path

from .rules import NOT_COMPARED, TABLE, Check, Rule

BEGIN = "<!-- rules:begin (generated from codegen/compare/rules.py) -->"
END = "<!-- rules:end -->"
DOCS: dict[Check, str] = {"drift": "docs/drift.md", "diff": "docs/spec-diff.md"}
# Drift calls its sides by what they are: the base is the spec, the head the API.
_DRIFT_SIDES = {"base": "spec", "head": "api", "both": "both"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _row(r: Rule) -> str:
    message = _cell(r.message)
    if r.check == "drift":
        side = _DRIFT_SIDES[r.side]
        return f"| `{r.id}` | {r.level} | {side} | {r.subject} | {message} | {_cell(r.doc)} |"
    return f"| `{r.id}` | {r.level} | {r.subject} | {r.change} | {message} | {_cell(r.doc)} |"


_HEADERS: dict[Check, str] = {
    "drift": "| kind | group | side | subject | message | meaning |\n|---|---|---|---|---|---|",
    "diff": "| rule | level | subject | change | message | why this level |\n|---|---|---|---|---|---|",
}


def table(check: Check) -> str:
    """The markdown table of one check's rules, in registry order, and what it leaves alone."""
    lines = [_HEADERS[check], *(_row(r) for r in TABLE if r.check == check)]
    if NOT_COMPARED[check]:
        lines += ["", "Left alone on purpose:", "", "| trait | why |", "|---|---|"]
        lines += [f"| `{k}` | {_cell(why)} |" for k, why in NOT_COMPARED[check].items()]
    return "\n".join(lines) + "\n"


def rendered(text: str, check: Check, name: str) -> str:
    """`text` with the table between the markers replaced; `name` names the file in errors."""
    head, sep, rest = text.partition(BEGIN)
    _, sep2, tail = rest.partition(END)
    if not sep or not sep2:
        raise ValueError(f"{name}: no {BEGIN} ... {END} markers")
    return f"{head}{BEGIN}\n{table(check)}{END}{tail}"


def write_docs(root: Path) -> list[str]:
    """Rewrite both docs' tables under `root`; the files that changed."""
    changed = []
    for check, rel in DOCS.items():
        path = root / rel
        text = path.read_text(encoding="utf-8")
        new = rendered(text, check, rel)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(rel)
    return changed
