"""`codegen sync`: apply drift's additive findings to the spec, regenerate, print the spec diff.

    codegen sync [--discovery PATH_OR_URL] [--spec spec] [--dry-run] [--no-generate] [--format text|markdown]
                 [--descriptions extend|all|keep]

Exit 0: the spec describes the document (after this run's additions, if any); 1: findings remain
that need a person (listed; the additions were still applied, unless --dry-run), or with --dry-run
anything would change; 2: the document, the spec or drift-ignore.yaml could not be read, or the
edited spec would not load (then nothing is written).

Descriptions are kept current in a step of their own (`codegen.sync.descriptions`): by default a
description the spec holds cut short (a first sentence, a text ending in `...`) becomes
Discovery's whole text; `--descriptions all` takes every Discovery description that differs,
`keep` none. A description change is docs-level in the spec diff and never needs a person.

Order of work: compare -> plan the edits -> write them to a copy of the spec and load it (so a
broken edit never reaches spec/) -> write the spec files (each atomically) -> regenerate (on
failure the spec files are put back, generated/ is untouched) -> report.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codegen.diff.compare import Change, diff
from codegen.diff.report import render as render_diff
from codegen.diff.sources import Side
from codegen.discovery.load import DiscoveryError
from codegen.discovery import topics
from codegen.drift.command import check_spec
from codegen.drift.ignore import FILE_NAME, load_rules, now_described
from codegen.drift.report import clean, md, snippets
from codegen.drift.source import DEFAULT_URL, read_source
from codegen.drift.findings import Finding
from codegen.spec.errors import SpecError
from codegen.spec.loader import load_spec, shown_path

from .adopt import adoptions, settled_by
from .descriptions import MODES, Mode, refreshes
from .edit import EditError
from .plan import Applied, Plan, plan
from .settle import settle, temporary

EXIT_OK, EXIT_PERSON, EXIT_BAD_INPUT = 0, 1, 2
FORMATS = ("text", "markdown")


@dataclass
class Outcome:
    plan: Plan
    revision: str
    source: str
    changes: list[Change]
    wrote: bool
    generated: str = ""  # "regenerated generated/ (1.2s)"
    stale: list[str] = field(default_factory=list)  # other rules that matched nothing

    @property
    def exit_code(self) -> int:
        return EXIT_PERSON if self.plan.manual else EXIT_OK


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.sync-tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def sync(
    spec_dir: Path,
    source: str = DEFAULT_URL,
    *,
    dry_run: bool = False,
    generate_into: tuple[Path, Path] | None = None,  # (templates, out)
    warn: Any = None,
    descriptions: Mode = "extend",
) -> Outcome:
    """The whole command. Raises SpecError / DiscoveryError / EditError on bad input."""
    spec = load_spec(spec_dir)
    discovery = read_source(source, warn=warn, name=spec.service.name, version=spec.service.version)
    rules = load_rules(spec_dir / FILE_NAME)
    found = check_spec(spec, discovery, spec_dir / FILE_NAME)
    assert found.api is not None and found.compared is not None
    adopting = adoptions(
        spec,
        found.api,
        rules,
        found.compared.paired,
        found.compared.in_spec_names,
        lambda name: (
            shown_path(spec_dir / topics.type_file(name))
            if topics.type_file(name) != topics.DEFAULT_FILE
            else None
        ),
    )
    findings, kept = settled_by(found.outcome.drift, adopting, spec)
    findings += [a.finding for a in adopting]
    taken = (
        []
        if descriptions == "keep"
        else refreshes(spec, found.api, found.compared.paired, descriptions)
    )

    def make_plan(chosen: list[Finding]) -> Plan:
        return plan(
            spec,
            spec_dir,
            chosen,
            rules,
            discovery.revision,
            hand_written=found.outcome.spec_only,
            stale=now_described(found.outcome, spec),
            adopting=adopting,
            kept=kept,
            descriptions=taken,
        )

    changes: list[Change] = []
    with temporary() as tmp:
        settled = settle(spec_dir, findings, make_plan, Path(tmp))
        texts = settled.plan.texts
        outcome = Outcome(settled.plan, discovery.revision, discovery.source, changes, wrote=False)
        described = now_described(found.outcome, spec)
        outcome.stale = [
            f"{r.loc.file_line}: {r.section}: {r.pattern}"
            for r in found.outcome.unused
            if r not in described
        ]
        if settled.after is None:
            return outcome
        outcome.changes = diff(
            Side("spec before sync", spec),
            Side("spec after sync", settled.after),
        )
    if dry_run:
        return outcome
    before = {n: Path(n).read_text(encoding="utf-8") for n in texts if Path(n).is_file()}
    for name, text in texts.items():
        _write(Path(name), text)
    outcome.wrote = True
    if generate_into is not None:
        from codegen.pipeline import Paths, generate

        start = time.perf_counter()
        try:
            generate(Paths(spec=spec_dir, templates=generate_into[0], out=generate_into[1]))
        except BaseException:
            for name in texts:  # put the spec back as it was
                if name in before:
                    _write(Path(name), before[name])
                else:
                    Path(name).unlink(missing_ok=True)
            raise
        outcome.generated = f"regenerated {generate_into[1]} ({time.perf_counter() - start:.1f}s)"
    return outcome


# -- report ----------------------------------------------------------------------------------------


def text_report(o: Outcome, *, dry_run: bool) -> str:
    p = o.plan
    lines = [clean(f"codegen sync: Discovery revision {o.revision or '?'} ({o.source})")]
    if not p.applied and not p.manual and not p.retired and not p.described:
        lines.append("the spec describes the document: nothing to do")
        return "\n".join(lines) + "\n"
    verb = "would apply" if dry_run else "applied"
    added = [a for a in p.applied if a.adopted is None]
    lines.append(
        f"{verb} {len(added)} addition{'s' if len(added) != 1 else ''}:"
        if added
        else f"{verb} nothing"
    )
    for a in added:
        lines.append(clean(f"  + {a.finding.key} [{a.finding.kind}] -> {a.file}"))
    adopted = [a.adopted for a in p.applied if a.adopted is not None]
    if adopted:
        lines.append(
            f"{'would take' if dry_run else 'took'} Discovery's definition of {len(adopted)} "
            "hand-written type(s):"
        )
        lines += [clean(f"  = {_adopted(a)}") for a in p.applied if a.adopted is not None]
    if p.described:
        took = "would take" if dry_run else "took"
        files = sorted({r.file for r in p.described})
        lines.append(
            clean(
                f"{took} {len(p.described)} description{'s' if len(p.described) != 1 else ''} "
                f"from Discovery ({', '.join(files)})"
            )
        )
    if p.retired:
        lines.append(f"{'would retire' if dry_run else 'retired'} ({len(p.retired)}):")
        lines += [clean(f"  - {r}") for r in p.retired]
    if p.manual:
        lines.append(f"needs a person, not applied ({len(p.manual)}):")
        for f, why in p.manual:
            lines.append(clean(f"  ! {f}"))
            lines.append(clean(f"      [{f.kind}] {why}"))
            for snip in snippets([f]):
                lines.append(clean(f"      suggested, in {snip.file} under {snip.key}:"))
                lines += [clean("        " + line) for line in snip.yaml.rstrip("\n").split("\n")]
    if dry_run and p.texts:
        lines.append("")
        for name, new in sorted(p.texts.items()):
            old = Path(name).read_text(encoding="utf-8") if Path(name).is_file() else ""
            for line in difflib.unified_diff(
                old.splitlines(), new.splitlines(), f"a/{name}", f"b/{name}", lineterm="", n=1
            ):
                lines.append(clean(line))
    if o.stale:
        lines.append("rules that matched nothing (stale? remove them by hand):")
        lines += [clean(f"  ? {r}") for r in o.stale]
    if o.changes or p.texts:
        lines += [
            "",
            render_diff(o.changes, "text", "spec before sync", "spec after sync").rstrip("\n"),
        ]
    if o.generated:
        lines += ["", o.generated]
    return "\n".join(lines) + "\n"


def _adopted(a: Applied) -> str:
    """`T: spec/live.yaml -> spec/liveSetup.yaml (kept: proactivity)`."""
    assert a.adopted is not None
    t = a.adopted
    aka = f", the API's {t.google}" if t.google != t.name else ""
    kept = f" (kept, Discovery lacks: {', '.join(t.kept)})" if t.kept else ""
    return f"{t.name}{aka}: {t.old.loc.file} -> {a.file}{kept}"


def markdown_report(o: Outcome, *, dry_run: bool) -> str:
    p = o.plan
    out = [f"## codegen sync: Discovery revision {md(o.revision or '?')}", ""]
    if not p.applied and not p.manual and not p.retired and not p.described:
        out.append("The spec describes the document: nothing to do.")
        return "\n".join(out) + "\n"
    added = [a for a in p.applied if a.adopted is None]
    if added:
        out += [
            f"### {'Would apply' if dry_run else 'Applied'} ({len(added)})",
            "",
            "| where | kind | file |",
            "|---|---|---|",
        ]
        out += [f"| {md(a.finding.key)} | {md(a.finding.kind)} | {md(a.file)} |" for a in added]
        out.append("")
    taken = [a for a in p.applied if a.adopted is not None]
    if taken:
        out += [
            f"### Discovery's definition {'would replace' if dry_run else 'replaced'} the hand-written one ({len(taken)})",
            "",
        ]
        out += [f"- {md(_adopted(a))}" for a in taken]
        out.append("")
    if p.described:
        took = "Would take" if dry_run else "Took"
        n = len(p.described)
        out += [f"{took} {n} description{'s' if n != 1 else ''} from Discovery (docs-only).", ""]
    if p.retired:
        out += [f"### {'Would retire' if dry_run else 'Retired'} ({len(p.retired)})", ""]
        out += [f"- {md(r)}" for r in p.retired]
        out.append("")
    if p.manual:
        out += [
            f"### Needs a person, not applied ({len(p.manual)})",
            "",
            "| where | finding | kind | why |",
            "|---|---|---|---|",
        ]
        out += [
            f"| {md(f.key)} | {md(f.message)} | {md(f.kind)} | {md(why)} |" for f, why in p.manual
        ]
        out.append("")
    if o.changes:
        out.append(
            render_diff(o.changes, "markdown", "spec before sync", "spec after sync").replace(
                "## Spec diff", "### Spec diff", 1
            )
        )
    return "\n".join(out).rstrip("\n") + "\n"


# -- command line ------------------------------------------------------------------------------------


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Register `sync` on the `codegen` sub-command parser."""
    p: argparse.ArgumentParser = sub.add_parser(
        "sync",
        help="apply the API's additions (drift) to the spec, regenerate, show the spec diff",
        description=(
            "Apply drift's additive findings (new fields, enum values, methods, types, resources) to the spec "
            "files where they belong, keeping everything else byte for byte; regenerate; print the spec diff. "
            "Removals and other changes are listed for a person, never applied. Exit 0: in step; 1: something "
            "needs a person (or, with --dry-run, something would change); 2: bad input."
        ),
    )
    p.add_argument(
        "--discovery",
        default=DEFAULT_URL,
        metavar="PATH_OR_URL",
        help="the Discovery document (default: the live v1beta document)",
    )
    p.add_argument("--spec", default="spec", metavar="DIR", help="spec directory (default: spec)")
    p.add_argument(
        "--templates",
        default="templates",
        metavar="DIR",
        help="templates directory (default: templates)",
    )
    p.add_argument(
        "--out", default="generated", metavar="DIR", help="output directory (default: generated)"
    )
    p.add_argument(
        "--dry-run", action="store_true", help="write nothing: show the edits and the spec diff"
    )
    p.add_argument(
        "--no-generate", action="store_true", help="edit the spec only; do not regenerate"
    )
    p.add_argument(
        "--descriptions",
        choices=MODES,
        default="extend",
        help=(
            "which Discovery descriptions to take: extend (default) where the spec's is cut short, "
            "all where they differ (overwrites hand-written text), keep none"
        ),
    )
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="report format (default: text; markdown for a pull request)",
    )
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    def warn(line: str) -> None:
        print(line, file=sys.stderr)

    generate_into = (
        None if args.dry_run or args.no_generate else (Path(args.templates), Path(args.out))
    )
    try:
        o = sync(
            Path(args.spec),
            args.discovery,
            dry_run=args.dry_run,
            generate_into=generate_into,
            warn=warn,
            descriptions=args.descriptions,
        )
    except DiscoveryError as e:
        print(f"codegen sync: {e}".splitlines()[0], file=sys.stderr)
        return EXIT_BAD_INPUT
    except EditError as e:
        print(f"codegen sync: {e}".splitlines()[0], file=sys.stderr)
        return EXIT_BAD_INPUT
    except SpecError as e:
        for problem in e.problems:
            print(clean(str(problem)), file=sys.stderr)
        return EXIT_BAD_INPUT
    report = markdown_report if args.format == "markdown" else text_report
    sys.stdout.write(report(o, dry_run=args.dry_run))
    if args.dry_run and o.plan.texts:
        return EXIT_PERSON
    return o.exit_code
