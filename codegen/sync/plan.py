"""Which of drift's findings `codegen sync` applies, and where each goes in the spec files.

Applied: the additive findings (`new` category) that carry a suggestion: new enum values, fields,
parameters, methods, resources (nested ones included) and the types they need. A field or enum
value goes into the type's own file, a method or nested resource into its resource's file, a new
top-level resource into its own file (`tunedModels.yaml`). A new type goes to its topic file when
`codegen/discovery/topics.py` names one for it, else right after its first user: the spec type
whose new field needs it, or the `types:` of the file of the resource whose new method needs it.

A new resource's block leaves out what `drift-ignore.yaml` ignores inside it
(`tunedModels.generateText`). Never applied, listed for a person: everything else (removed, retyped, now required, renamed...),
and a long-running method, since Discovery does not say what its finished operation holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from codegen import naming

from codegen.discovery import topics
from codegen.drift.compare import resource_tree, yaml_path
from codegen.drift.findings import Finding
from codegen.drift.ignore import FILE_NAME, Judged, Rule, Rules, names_in
from codegen.spec.emit import (
    dump,
    emit_enum_value,
    emit_field,
    emit_file,
    emit_method,
    emit_resource,
    emit_type,
    param_data,
)
from codegen.spec.loader import shown_path
from codegen.spec.model import (
    EnumType,
    EnumValue,
    Field,
    Method,
    ObjectType,
    Parameter,
    Resource,
    Spec,
    TypeDef,
)

from .descriptions import Refresh
from .adopt import Adoption, names
from .edit import EditError, Insert, SpecFile, block_end
from .renames import renames

_RULE_LINE = re.compile(r"^  (\"[^\"]+\"|'[^']+'|[^\s:#][^:#]*?):")
LONG_RUNNING = "long-running: Discovery does not say what the finished operation holds; add it by hand with long_running.response"


@dataclass(frozen=True)
class Applied:
    finding: Finding
    file: str
    adopted: Adoption | None = None  # Discovery's definition replacing a hand-written one


@dataclass
class Plan:
    texts: dict[str, str] = field(default_factory=dict)  # shown file name -> new text
    applied: list[Applied] = field(default_factory=list)
    manual: list[tuple[Finding, str]] = field(default_factory=list)  # and why it is not applied
    retired: list[str] = field(default_factory=list)  # hand-written parts and rules that went
    described: list[Refresh] = field(default_factory=list)  # descriptions taken from Discovery


def _names(node: object) -> list[tuple[str, re.Pattern[str]]]:
    """Every name a node would write into the spec, with the pattern the loader holds it to."""
    if isinstance(node, Resource):
        out = [(node.name, naming.WIRE_NAME)]
        for m in node.methods:
            out += _names(m)
        for r in node.resources:
            out += _names(r)
        return out
    if isinstance(node, Method):
        return [
            (node.name, naming.WIRE_NAME),
            *[(p.name, naming.WIRE_NAME) for p in node.parameters],
        ]
    if isinstance(node, (Parameter, Field)):
        return [(node.name, naming.WIRE_NAME)]
    if isinstance(node, EnumValue):
        return [(node.name, naming.ENUM_VALUE)]
    if isinstance(node, ObjectType):
        return [(node.name, naming.TYPE_NAME), *[(f.name, naming.WIRE_NAME) for f in node.fields]]
    if isinstance(node, EnumType):
        return [(node.name, naming.TYPE_NAME), *[(v.name, naming.ENUM_VALUE) for v in node.values]]
    return []


# A path the client resolves against the API's origin: never a scheme (`https:`, `javascript:`),
# never `//host` or a leading slash or backslash (which browsers and URL joiners read as another
# host or the origin's root).
_OFF_ORIGIN = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|[/\\\\]|\s)")


def leaves_origin(path: str) -> bool:
    """Whether an HTTP path would take the request (and the API key) off the API's origin."""
    return bool(_OFF_ORIGIN.match(path)) or "://" in path


def _off_origin(node: object) -> str | None:
    """The first method path in a node that leaves the API's origin."""
    if isinstance(node, Method):
        return node.path if leaves_origin(node.path) else None
    if isinstance(node, Resource):
        for _, r in node.walk():
            for m in r.methods:
                if leaves_origin(m.path):
                    return m.path
    return None


def _unknown_long_running(m: Method) -> bool:
    return m.long_running is not None and not m.long_running.response


def _ignored(rules: Rules, kind: str, key: str) -> bool:
    probe = Finding(kind, key, "")
    return any(r.matches(probe) for r in rules.section("ignore"))


def _pruned(r: Resource, path: str, rules: Rules, dropped: list[str]) -> Resource:
    """A new resource block without what drift-ignore.yaml leaves out, and without long-running
    methods (listed in `dropped`: they need a person)."""
    keep = []
    for m in r.methods:
        if _ignored(rules, "method-missing", f"{path}.{m.name}"):
            continue
        if _unknown_long_running(m):
            dropped.append(f"{path}.{m.name}")
        else:
            keep.append(m)
    kids = tuple(
        _pruned(c, f"{path}.{c.name}", rules, dropped)
        for c in r.resources
        if not _ignored(rules, "resource-missing", f"{path}.{c.name}")
    )
    return replace(
        r, methods=tuple(keep), resources=tuple(c for c in kids if c.methods or c.resources)
    )


class _Planner:
    def __init__(
        self,
        spec: Spec,
        spec_dir: Path,
        rules: Rules,
        header: str,
        adopting: list[Adoption],
        kept: dict[int, Adoption],
        refreshes: list[Refresh],
    ) -> None:
        self.spec = spec
        self.adopting = {id(a.finding): a for a in adopting}
        self.adopted_names = {a.name for a in adopting}
        self.kept = kept
        self.refreshes = refreshes
        self.rules = rules
        self.spec_dir = spec_dir
        self.header = header
        self.tree = resource_tree(spec)
        self.files: dict[str, SpecFile] = {}
        self.new_files: dict[str, tuple[list[TypeDef], list[Resource]]] = {}
        self.new_resources: dict[str, str] = {}  # new top-level resource -> its file
        self.plan = Plan()
        self.homes: dict[str, tuple[str, str | None]] = {}  # new type -> where it went

    def file(self, name: str) -> SpecFile | None:
        """The existing file, loaded for editing; None for a file that does not exist yet."""
        if name in self.new_files:
            return None
        if name not in self.files:
            path = Path(name)
            if not path.is_file():
                self.new_files[name] = ([], [])
                return None
            lines = {
                p: loc.line - 1
                for p, loc in self.spec.locations.items()
                if loc.file == name and loc.line > 0
            }
            self.files[name] = SpecFile(path.read_text(encoding="utf-8"), lines)
        return self.files[name]

    def insert(self, name: str, ins: Insert, node: TypeDef | Resource | None = None) -> None:
        f = self.file(name)
        if f is not None:
            f.add(ins)
        elif isinstance(node, Resource):
            self.new_files[name][1].append(node)
        elif node is not None:
            self.new_files[name][0].append(node)

    # -- each finding --------------------------------------------------------------------------

    def take(self, f: Finding) -> None:
        try:
            self._take(f)
        except EditError as e:
            self.plan.manual.append((f, f"{f.suggestion.file if f.suggestion else ''} {e}".strip()))

    def _take(self, f: Finding) -> None:
        s = f.suggestion
        if id(f) in self.kept:
            a = self.kept[id(f)]
            self.plan.manual.append(
                (
                    f,
                    f"written by hand in {a.old.loc.file}, and Discovery's {a.google} lacks it: kept in "
                    f"the definition sync took from Discovery; keep it with a spec_only rule "
                    f"{f.key.rsplit('.', 1)[0] if f.item else f.key} in {FILE_NAME}, or delete it",
                )
            )
            return
        if f.category != "new" or s is None:
            self.plan.manual.append((f, "not additive: needs a person"))
            return
        node = s.node
        parts = (
            [(p, naming.WIRE_NAME) for p in f.where.split(".")]
            if isinstance(node, Resource)
            else []
        )
        bad = next((n for n, pattern in parts + _names(node) if not pattern.match(n)), None)
        if bad is not None:
            self.plan.manual.append((f, f"a name the spec language cannot spell: {bad!r}"))
            return
        off = _off_origin(node)
        if off is not None:
            self.plan.manual.append(
                (
                    f,
                    f"refused: the path {off!r} leaves the API's origin (the API key would go there)",
                )
            )
            return
        if isinstance(node, Method) and _unknown_long_running(node):
            self.plan.manual.append((f, LONG_RUNNING))
            return
        where = s.file
        if isinstance(node, Resource):
            dropped: list[str] = []
            node = _pruned(node, f.where, self.rules, dropped)
            for d in dropped:
                said = f"a method of the new resource {f.where}"
                self.plan.manual.append((replace(f, where=d, message=said), LONG_RUNNING))
            if not node.methods and not node.resources:
                return
            if s.key == "resources":
                self.new_resources[f.where] = where
            self.insert(where, Insert(s.key, emit_resource(node), spaced=True), node)
        elif isinstance(node, Method):
            self.insert(where, Insert(s.key, emit_method(node), spaced=True))
        elif isinstance(node, Parameter):
            self.insert(where, Insert(s.key, dump({node.name: param_data(node)})))
        elif isinstance(node, Field):
            self.insert(where, Insert(s.key, emit_field(node)))
        elif isinstance(node, EnumValue):
            self.insert(where, Insert(s.key, emit_enum_value(node)))
        else:
            assert isinstance(node, (ObjectType, EnumType))
            where, after = self.homes.get(f.where) or self.type_home(f, node)
            adoption = self.adopting.get(id(f))
            if adoption is not None:
                old, key = adoption.old.loc.file, f"types.{adoption.name}"
                hand = self.file(old)
                if hand is None or key not in hand.at:
                    raise EditError(f"cannot find {key} in {old}")
                if where == old:  # its home is where it is: replaced in place
                    hand.replace(key, emit_type(node))
                else:
                    hand.remove(key)
                    self.insert(
                        where, Insert("types", emit_type(node), spaced=True, after=after), node
                    )
                self.homes[f.where] = (where, key if where == old else after)
                self.plan.applied.append(Applied(f, where, adoption))
                return
            self.insert(where, Insert("types", emit_type(node), spaced=True, after=after), node)
        self.plan.applied.append(Applied(f, where))

    def type_home(self, f: Finding, t: TypeDef) -> tuple[str, str | None]:
        """(file, sibling to follow) for a new type: its topic file, else next to its first user."""
        if t.name in topics.TYPE_FILES:
            return shown_path(self.spec_dir / topics.TYPE_FILES[t.name]), None
        for via in sorted(f.via):
            owner = via.split(".")[0]
            if owner in self.spec.types and owner not in self.adopted_names:
                # a new field of a spec type needs it
                return self.spec.types[owner].loc.file, f"types.{owner}"
            if owner in self.new_resources:
                return self.new_resources[owner], None
            parts = via.split(".")
            for i in range(len(parts), 0, -1):  # a new method or nested resource needs it
                if ".".join(parts[:i]) in self.tree:
                    return self.tree[parts[0]].loc.file, None
        for via in sorted(f.via):
            owner = via.split(".")[0]
            if owner in self.homes:  # another new (or adopted) type needs it: next to that one
                return self.homes[owner]
        assert f.suggestion is not None
        return f.suggestion.file, None

    # -- what Discovery now describes ----------------------------------------------------------

    def rules_file(self) -> SpecFile | None:
        """drift-ignore.yaml for editing, its rules' lines known as `section.pattern`."""
        path = self.spec_dir / FILE_NAME
        if not path.is_file():
            return None
        f = self.file(shown_path(path))
        if f is None:
            return None
        section = ""
        for i, line in enumerate(f.lines):
            top = re.match(r"^([A-Za-z_]+):", line)
            if top:
                section = top.group(1)
            m = _RULE_LINE.match(line)
            if m and section:
                f.at.setdefault(f"{section}.{m.group(1).strip(chr(34) + chr(39))}", i)
        return f

    def retire_rule(self, rule: Rule, why: str) -> None:
        f = self.rules_file()
        if f is not None and f.remove(f"{rule.section}.{rule.pattern}"):
            self.plan.retired.append(f"{FILE_NAME}: {rule.section} rule {rule.pattern}: {why}")

    def narrow_rules(self, stale: list[Rule]) -> None:
        """The spec_only rules naming an adopted type stop naming it: a rule naming only adopted
        types goes; a pattern naming others too becomes the names it still covers."""
        taken = {a.adopted.name for a in self.plan.applied if a.adopted is not None}
        if not taken:
            return
        rules = {r for a in self.plan.applied if a.adopted is not None for r in a.adopted.rules}
        everything = names_in(self.spec)
        for rule in sorted(rules - set(stale), key=lambda r: r.loc.line):
            gone = sorted(n for n in taken if names(rule, n))
            left = sorted(n for n in everything - taken if names(rule, n))
            why = f"Discovery describes {', '.join(gone)}; sync took its definition"
            if not left:
                self.retire_rule(rule, why)
                continue
            f = self.rules_file()
            key = f"{rule.section}.{rule.pattern}"
            if f is None or key not in f.at:
                continue
            # Each name the pattern still covers, with the pattern's own entry, written as it was.
            start = f.at[key]
            pad = len(f.lines[start]) - len(f.lines[start].lstrip(" "))
            entry = "".join(line[pad:] for line in f.lines[start : block_end(f.lines, start)])
            value = entry.split(":", 1)[1]  # a rule's name never holds ':'
            text = "".join(f"{n}:{value}" for n in left)
            f.add(Insert(rule.section, text, after=key))
            f.remove(key, comments=False)
            self.plan.retired.append(
                f"{FILE_NAME}: {rule.section} rule {rule.pattern}: {why}; "
                f"now names {', '.join(left)}"
            )

    def adopt(self, findings: list[Finding], hand_written: list[Judged]) -> list[Finding]:
        """Wire renames (see `renames`): a hand-written old one yields to Discovery's, any other
        pair is one finding for a person. The findings left to plan."""
        judged = {id(j.finding): j for j in hand_written}
        skip: set[int] = set()
        for r in renames(findings + [j.finding for j in hand_written]):
            j = judged.get(id(r.gone))
            if j is not None and j.rule is not None and r.gone.kind == "resource-gone":
                gone = self.tree.get(r.gone.where)
                f = self.file(gone.loc.file) if gone is not None else None
                if f is not None and f.remove(yaml_path(r.gone.where)):
                    self.plan.retired.append(
                        f"{r.gone.where} (hand-written, {gone.loc.file if gone else ''}): "
                        f"Discovery describes it as {r.new.where}; removed"
                    )
                    self.retire_rule(j.rule, f"Discovery describes {r.new.where}")
                continue
            skip |= {id(r.gone), id(r.new)}
            self.plan.manual.append((replace(r.new, message=r.message), "a wire rename"))
        return [f for f in findings if id(f) not in skip]

    def describe(self) -> None:
        """Descriptions taken from Discovery (`codegen.sync.descriptions`), replaced in place."""
        for r in self.refreshes:
            f = self.file(r.file)
            i = f.at.get(r.key) if f is not None else None
            if f is None or i is None or any(a <= i < b for a, b in f.removed):
                continue  # in a block this run replaces or removes (an adopted type)
            if not f.lines[i].lstrip().startswith(r.key.rpartition(".")[2] + ":"):
                continue  # inside a flow mapping (`{type: string, description: ...}`)
            f.replace(r.key, r.text)
            self.plan.described.append(r)

    def run(self, findings: list[Finding], hand_written: list[Judged], stale: list[Rule]) -> Plan:
        chosen = {id(f) for f in findings}
        self.adopted_names = {a.name for i, a in self.adopting.items() if i in chosen}
        for rule in stale:
            taken = all(n in self.adopted_names for n in names_in(self.spec) if names(rule, n))
            self.retire_rule(
                rule,
                "Discovery describes it now; sync took its definition"
                if taken
                else "Discovery describes it now; its differences are drift",
            )
        findings = self.adopt(findings, hand_written)
        # Resources first (new types may live in their new files), new types after their users.
        order = {"resource-missing": 0, "type-missing": 2}
        pending = sorted(findings, key=lambda f: order.get(f.kind, 1))
        types = [f for f in pending if f.kind == "type-missing" and f.category == "new"]
        for f in [f for f in pending if f not in types]:
            self.take(f)
        placed: set[str] = set()
        while types:  # a type whose users are all placed (or are not new types) goes next
            ready = [
                f
                for f in types
                if not (
                    {v.split(".")[0] for v in f.via}
                    & ({t.where for t in types} - placed - {f.where})
                )
            ]
            f = (ready or types)[0]
            types.remove(f)
            if f.suggestion is not None:
                self.homes[f.where] = self.type_home(f, f.suggestion.node)  # type: ignore[arg-type]
            self.take(f)
            placed.add(f.where)
        self.describe()
        self.narrow_rules(stale)
        for name, edited in self.files.items():
            self.plan.texts[name] = edited.text()
        for name, (new_types, new_resources) in self.new_files.items():
            self.plan.texts[name] = emit_file(
                types=new_types, resources=new_resources, header=self.header
            )
        return self.plan


def plan(
    spec: Spec,
    spec_dir: Path,
    findings: list[Finding],
    rules: Rules,
    revision: str,
    *,
    hand_written: list[Judged] = (),  # type: ignore[assignment]
    stale: list[Rule] = (),  # type: ignore[assignment]
    adopting: list[Adoption] = (),  # type: ignore[assignment]
    kept: dict[int, Adoption] | None = None,
    descriptions: list[Refresh] = (),  # type: ignore[assignment]
) -> Plan:
    """The edits for `findings` (drift's, after the ignore `rules`, which also prune new resource
    blocks); `hand_written`: what `spec_only` rules matched (a hand-written part Discovery now
    describes under another wire name yields to it); `stale`: rules that matched nothing, removed
    from drift-ignore.yaml; `adopting`: hand-written types Discovery now describes (their findings
    are among `findings`, `kept`: the findings of what only the hand-written definitions have).
    `descriptions`: descriptions to take from Discovery (after all of that). Raises `EditError`."""
    header = f"Added by `codegen sync` from the Discovery document, revision {revision}."
    return _Planner(
        spec, spec_dir, rules, header, list(adopting), kept or {}, list(descriptions)
    ).run(findings, list(hand_written), list(stale))
