"""`spec/drift-ignore.yaml`: what the spec leaves out on purpose, and what only the spec has.

    ignore:                      # the API has it; the spec leaves it out on purpose
      models.generateText: PaLM-era text API, replaced by generateContent.
      "models.*Text":             # a pattern (fnmatch: * ? [...])
        reason: PaLM-era text API.
        kinds: [method-missing]   # optional: only findings of these kinds
    spec_only:                   # the spec has it; Discovery never describes it
      LiveClientMessage: Live API messages travel over a WebSocket Discovery does not describe.

A rule names a finding's key — `where` (`models.generateText`, `Candidate.finishReason`,
`models.list.pageSize`), plus `.VALUE` for an enum value (`Candidate.finishReason.ESCALATION`) —
or any dotted prefix of it: `Candidate` covers every finding inside `Candidate`. `ignore` rules
apply to every kind; `spec_only` rules only to what the spec has and the API lacks (`*-gone`).

A `type-missing` / `type-gone` finding that no rule names follows what brings the type in: the
types only an ignored method needs are ignored with it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Literal

from codegen.spec.errors import Problem, SpecError, did_you_mean
from codegen.spec.loader import shown_path
from codegen.spec.model import NOWHERE, Location, Spec
from codegen.spec.yamlnodes import Node, read_yaml

from .findings import KINDS, Finding

FILE_NAME = "drift-ignore.yaml"
Section = Literal["ignore", "spec_only"]
Status = Literal["drift", "ignored", "spec-only"]
SECTIONS: tuple[Section, ...] = ("ignore", "spec_only")
_RULE_KEYS = ("reason", "kinds")
_PATTERN = re.compile(r"^[A-Za-z0-9_*?\[\]!-]+(\.[A-Za-z0-9_*?\[\]!-]+)*$")
_WILD = re.compile(r"[*?\[]")


@dataclass(frozen=True)
class Rule:
    section: Section
    pattern: str
    reason: str
    kinds: frozenset[str] = frozenset()
    loc: Location = NOWHERE

    def matches(self, f: Finding) -> bool:
        if self.kinds and f.kind not in self.kinds:
            return False
        if self.section == "spec_only" and f.side != "spec":
            return False
        wild = self.wild
        # A spec_only rule names what the API lacks: once the API describes it, the rule is stale
        # and silences nothing (not the differences inside it), so it matches the whole key only.
        if self.section == "spec_only" and f.key.count(".") != self.pattern.count("."):
            return False  # `Bidi*` names types, not the fields inside them
        if self.section == "spec_only":
            return fnmatchcase(f.key, self.pattern) if wild else f.key == self.pattern
        if not wild:
            return self.pattern in _prefixes(f.key)
        return any(fnmatchcase(p, self.pattern) for p in _prefixes(f.key))

    @functools.cached_property
    def wild(self) -> bool:
        """Whether the pattern has wildcards (worked out once: every finding is tried on it)."""
        return _WILD.search(self.pattern) is not None


@dataclass(frozen=True)
class Rules:
    rules: tuple[Rule, ...] = ()
    file: str | None = None

    def section(self, name: Section) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.section == name)

    def first_match(self, f: Finding) -> Rule | None:
        """The first rule, in the file's order, that matches `f` (`Rule.matches`): only the rules
        that can match its key are tried, found by their pattern (a rule without wildcards names
        the key itself, or for `ignore`, one of its prefixes), the wildcard rules all."""
        exact, prefix, wild = self._index
        tried = list(wild)
        if f.key in exact:
            tried += exact[f.key]
        for p in _prefixes(f.key):
            if p in prefix:
                tried += prefix[p]
        return next((r for _, r in sorted(tried, key=_position) if r.matches(f)), None)

    @functools.cached_property
    def _index(
        self,
    ) -> tuple[
        dict[str, list[tuple[int, Rule]]], dict[str, list[tuple[int, Rule]]], list[tuple[int, Rule]]
    ]:
        """The rules (with their place in the file) by the key they match exactly (`spec_only`),
        by the prefix they match (`ignore`), and those with wildcards."""
        exact: dict[str, list[tuple[int, Rule]]] = {}
        prefix: dict[str, list[tuple[int, Rule]]] = {}
        wild: list[tuple[int, Rule]] = []
        for i, r in enumerate(self.rules):
            if r.wild:
                wild.append((i, r))
            else:
                by = exact if r.section == "spec_only" else prefix
                by.setdefault(r.pattern, []).append((i, r))
        return exact, prefix, wild


def _position(entry: tuple[int, Rule]) -> int:
    return entry[0]


@dataclass(frozen=True)
class Judged:
    finding: Finding
    status: Status
    rule: Rule | None = None


@dataclass(frozen=True)
class Outcome:
    drift: list[Finding] = field(default_factory=list)
    ignored: list[Judged] = field(default_factory=list)
    spec_only: list[Judged] = field(default_factory=list)
    unused: list[Rule] = field(default_factory=list)  # rules that matched nothing: stale?


@functools.lru_cache(maxsize=4096)
def _prefixes(key: str) -> tuple[str, ...]:
    """`a`, `a.b`, `a.b.c` of `a.b.c` (once per key: each is tried on every rule)."""
    parts = key.split(".")
    return tuple(".".join(parts[: i + 1]) for i in range(len(parts)))


# -- reading -------------------------------------------------------------------------------------


def load_rules(path: Path) -> Rules:
    """Read the rules file; a missing file means no rules; problems raise `SpecError`."""
    if not path.exists():
        return Rules()
    shown = shown_path(path)
    tree, problems = read_yaml(path, shown)
    rules: list[Rule] = []
    if tree is not None:
        rules = _read(tree, problems)
    if problems:
        raise SpecError(problems)
    return Rules(tuple(rules), shown)


def _read(tree: Node, problems: list[Problem]) -> list[Rule]:
    if tree.kind != "mapping":
        problems.append(
            Problem(
                tree.loc,
                f"expected a mapping with {' and/or '.join(SECTIONS)}, got {tree.describe()}",
            )
        )
        return []
    rules: list[Rule] = []
    for key, node in tree.items.items():
        if key not in SECTIONS:
            problems.append(Problem(node.loc, f"unknown key '{key}'{did_you_mean(key, SECTIONS)}"))
            continue
        section: Section = "ignore" if key == "ignore" else "spec_only"
        if node.kind == "scalar" and node.value is None:
            continue
        if node.kind != "mapping":
            problems.append(
                Problem(
                    node.loc,
                    f"expected a mapping of name or pattern to reason, got {node.describe()}",
                )
            )
            continue
        for pattern, entry in node.items.items():
            rule = _rule(section, pattern, entry, problems)
            if rule is not None:
                rules.append(rule)
    return rules


def _rule(section: Section, pattern: str, node: Node, problems: list[Problem]) -> Rule | None:
    if not _PATTERN.match(pattern):
        problems.append(
            Problem(
                node.loc,
                f"invalid name or pattern {pattern!r}: expected dotted names like 'models.generateText' or 'models.*Text'",
            )
        )
        return None
    kinds: frozenset[str] = frozenset()
    reason_node: Node | None = node
    if node.kind == "mapping":
        for k, child in node.items.items():
            if k not in _RULE_KEYS:
                problems.append(
                    Problem(child.loc, f"unknown key '{k}'{did_you_mean(k, _RULE_KEYS)}")
                )
        reason_node = node.items.get("reason")
        if "kinds" in node.items:
            kinds = _kinds(node.items["kinds"], problems)
    reason = reason_node.value if reason_node is not None and reason_node.kind == "scalar" else None
    if not isinstance(reason, str) or not reason.strip():
        problems.append(
            Problem(
                node.loc,
                "every entry needs a reason: `name: why it is left out` or `{reason: ..., kinds: [...]}`",
            )
        )
        return None
    return Rule(section, pattern, " ".join(reason.split()), kinds, node.loc)


def _kinds(node: Node, problems: list[Problem]) -> frozenset[str]:
    values = node.seq if node.kind == "sequence" else [node]
    out = set()
    for child in values:
        v = child.value
        if child.kind != "scalar" or not isinstance(v, str) or v not in KINDS:
            problems.append(
                Problem(child.loc, f"unknown finding kind {v!r}{did_you_mean(str(v), KINDS)}")
            )
        else:
            out.add(v)
    return frozenset(out)


# -- applying ------------------------------------------------------------------------------------


def apply(findings: Iterable[Finding], rules: Rules) -> Outcome:
    """Sort findings into drift, ignored and spec-only; list the rules nothing matched."""
    found = list(findings)
    by_key: dict[str, list[int]] = {}
    for i, f in enumerate(found):
        by_key.setdefault(f.key, []).append(i)
    direct: dict[int, Rule] = {}
    for i, f in enumerate(found):
        rule = rules.first_match(f)
        if rule is not None:
            direct[i] = rule

    # A finding with `via` and no rule of its own follows what brings it in. Those reached from
    # a rule-matched finding start as covered; any with a parent that is drift drops out, until
    # nothing changes (so a cycle of types only an ignored method needs is ignored with it).
    parents: dict[int, list[int]] = {}
    children: dict[int, list[int]] = {}
    for i, f in enumerate(found):
        if i in direct or not f.via or not all(v in by_key for v in f.via):
            continue
        parents[i] = [p for v in f.via for p in by_key[v] if p != i]
        for p in parents[i]:
            children.setdefault(p, []).append(i)
    covered: set[int] = set()
    todo = [c for i in direct for c in children.get(i, [])]
    while todo:
        i = todo.pop()
        if i in parents and i not in covered:
            covered.add(i)
            todo += children.get(i, [])
    changed = True
    while changed:
        changed = False
        for i in sorted(covered):
            if any(p not in direct and p not in covered for p in parents[i]):
                covered.discard(i)
                changed = True

    def inherited(i: int) -> Rule:
        seen, queue = {i}, list(parents[i])
        while queue:
            p = queue.pop(0)
            if p in direct:
                return direct[p]
            if p not in seen:
                seen.add(p)
                queue += parents.get(p, [])
        raise AssertionError("a covered finding has a rule-matched ancestor")

    out = Outcome()
    for i, f in enumerate(found):
        rule = direct.get(i) or (inherited(i) if i in covered else None)
        if rule is None:
            out.drift.append(f)
        elif rule.section == "ignore":
            out.ignored.append(Judged(f, "ignored", rule))
        else:
            out.spec_only.append(Judged(f, "spec-only", rule))
    used = set(direct.values())
    out.unused.extend(r for r in rules.rules if r not in used)
    return out


# -- stale rules ---------------------------------------------------------------------------------


def names_in(spec: Spec) -> set[str]:
    """Every name a rule can name in the spec: types, resource paths, `resource.method`."""
    out = set(spec.types)
    for path, r in spec.all_resources():
        out.add(path)
        out.update(f"{path}.{m.name}" for m in r.methods)
    return out


def now_described(outcome: Outcome, spec: Spec) -> list[Rule]:
    """The `spec_only` rules that matched nothing although the spec has what they name: the
    Discovery document describes it now (its differences are drift), so the rule is stale."""
    names = names_in(spec)
    out = []
    for rule in outcome.unused:
        if rule.section != "spec_only":
            continue
        if any(fnmatchcase(n, rule.pattern) if rule.wild else n == rule.pattern for n in names):
            out.append(rule)
    return out
