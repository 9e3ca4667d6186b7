"""Apply every finding that keeps the spec loadable; list the others for a person.

`plan` turns drift's additive findings into spec edits. A few of them, together or alone, can make
a spec the loader refuses (a name another definition already holds, a shape the spec language
cannot express). One such finding must not block the others: when the whole plan does not load,
the candidates are split in halves until each failing one is found alone (a few loads per bad
finding: k bad among n cost about 2 k log2 n loads), and each is listed for a person with the
loader's reason. New types are tried before what uses them, so a field is never refused for lack
of a type that is itself fine.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from codegen.drift.findings import Finding
from codegen.spec.errors import Problem, SpecError
from codegen.spec.loader import load_spec
from codegen.spec.model import Location, Spec

from .plan import Plan

Planner = Callable[[list[Finding]], Plan]


@dataclass
class Settled:
    plan: Plan
    after: Spec | None  # the spec with the plan's edits (None: nothing to edit)


def changed(texts: dict[str, str]) -> dict[str, str]:
    """The texts that differ from the files on disk."""
    return {
        n: t
        for n, t in texts.items()
        if not Path(n).is_file() or Path(n).read_text(encoding="utf-8") != t
    }


def load_copy(spec_dir: Path, texts: dict[str, str], tmp: Path) -> Spec:
    """The spec with `texts` written over a fresh copy of it in `tmp`, its files named as the
    user's own in locations and messages (so the files `texts` leaves alone are not parsed again)."""
    copy = tmp / "spec"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(spec_dir, copy, ignore=shutil.ignore_patterns(".*"))
    for name, text in texts.items():
        (copy / Path(name).name).write_text(text, encoding="utf-8")
    return load_spec(copy, shown_as=spec_dir)


def _in_order(findings: list[Finding]) -> list[Finding]:
    """New types first, each after the new types its fields use; then everything else."""
    types = {f.where: f for f in findings if f.kind == "type-missing"}
    needs: dict[str, set[str]] = {name: set() for name in types}
    for f in types.values():
        for user in f.via:
            if user in needs:
                needs[user].add(f.where)
    out: list[Finding] = []
    done: set[str] = set()
    while len(done) < len(types):
        ready = [n for n in types if n not in done and needs[n] <= done]
        for n in ready or [next(n for n in types if n not in done)]:  # a cycle: any order
            done.add(n)
            out.append(types[n])
    return out + [f for f in findings if f.kind != "type-missing"]


_STRUCTURE = frozenset({"types", "fields", "enum", "resources", "methods", "params"})


def _blame(problems: list[Problem], candidates: list[Finding]) -> list[tuple[Finding, str]]:
    """The candidates whose text a problem's YAML path points into, with that problem."""
    out = []
    for f in candidates:
        for p in problems:
            key = ".".join(part for part in p.loc.path.split(".") if part not in _STRUCTURE)
            if key == f.where or key.startswith(f.where + "."):
                out.append((f, str(p)))
                break
    return out


def settle(spec_dir: Path, findings: list[Finding], make_plan: Planner, tmp: Path) -> Settled:
    """The largest plan (by halving) whose result loads, with the refused findings moved to
    `plan.manual` with the loader's first reason."""
    first = make_plan(findings)
    first.texts = changed(first.texts)
    if not first.texts:
        return Settled(first, None)
    try:
        return Settled(first, load_copy(spec_dir, first.texts, tmp))
    except SpecError:
        pass
    chosen = {id(a.finding) for a in first.applied}
    fixed = [f for f in findings if id(f) not in chosen]
    remaining = _in_order([a.finding for a in first.applied])
    refused: list[tuple[Finding, str]] = []
    accepted: list[Finding] = []

    def problems(group: list[Finding]) -> list[Problem]:
        p = make_plan(fixed + accepted + group)
        try:
            load_copy(spec_dir, changed(p.texts), tmp)
        except SpecError as e:
            return e.problems or [Problem(Location("", 0, ""), "the spec would not load")]
        return []

    # Cheap first: the loader names the YAML path of each problem, which names the finding that
    # wrote it (one load per round). What it cannot pin down is found by halving.
    while remaining:
        found = problems(remaining)
        if not found:
            accepted, remaining = remaining, []
            break
        blamed = _blame(found, remaining)
        if not blamed:
            break
        for f, why in blamed:
            refused.append((f, f"the spec would not load with it: {why}"))
        gone = {id(f) for f, _ in blamed}
        remaining = [f for f in remaining if id(f) not in gone]

    def halve(group: list[Finding]) -> None:
        found = problems(group)
        if not found:
            accepted.extend(group)
        elif len(group) == 1:
            refused.append((group[0], f"the spec would not load with it: {found[0]}"))
        else:
            mid = len(group) // 2
            halve(group[:mid])
            halve(group[mid:])

    if remaining:
        halve(remaining)
    final = make_plan(fixed + accepted)
    final.texts = changed(final.texts)
    final.manual.extend(refused)
    if not final.texts:
        return Settled(final, None)
    return Settled(final, load_copy(spec_dir, final.texts, tmp))


def temporary() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="codegen-sync-")
