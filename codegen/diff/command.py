"""`codegen diff [BASE] [HEAD]`: the command-line side of the spec diff."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..spec.errors import SpecError
from .compare import diff
from .levels import FILE_NAME, load_levels
from .report import FORMATS, render
from ..compare.rules import DIFF_LEVELS as LEVELS
from ..compare.rules import DiffLevel as Level
from .sources import DiffInputError, load_side

EXIT_OK, EXIT_FAIL, EXIT_BAD_INPUT = 0, 1, 2
FAIL_ON = ("breaking", "warning", "non-breaking", "any", "never")


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Add the `diff` subcommand to the `codegen` CLI's subparsers."""
    d: argparse.ArgumentParser = sub.add_parser(
        "diff",
        help="report changes to the generated client's public surface between two specs",
        description=(
            "Compare two specs as the public surface of the client they generate and classify every change "
            "as breaking, non-breaking or docs-only (see docs/spec-diff.md). BASE and HEAD are each a spec "
            "directory or a git ref (read with `git archive`, without touching the work tree)."
        ),
    )
    d.add_argument(
        "base",
        nargs="?",
        default="HEAD",
        metavar="BASE",
        help="spec directory or git ref (default: HEAD)",
    )
    d.add_argument(
        "head",
        nargs="?",
        default=None,
        metavar="HEAD",
        help="spec directory or git ref (default: the work tree's --spec-dir)",
    )
    d.add_argument(
        "--spec-dir",
        "--spec",
        dest="spec_dir",
        default="spec",
        metavar="DIR",
        help="the spec directory, also its path inside git refs (default: spec)",
    )
    d.add_argument(
        "--format", choices=FORMATS, default="text", help="report format (default: text)"
    )
    d.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default="breaking",
        help="exit 1 when a change at or above this level is found (default: breaking)",
    )
    d.add_argument(
        "--levels",
        metavar="FILE",
        default=None,
        help=f"the repository's rule levels by rule id (default: ./{FILE_NAME} when it exists)",
    )
    d.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        default=None,
        help="write the report to FILE instead of standard output",
    )
    d.set_defaults(func=run)
    return d


def fails(levels: set[Level], fail_on: str) -> bool:
    if fail_on == "never":
        return False
    if fail_on == "any":
        return bool(levels)
    threshold = LEVELS.index(fail_on)  # type: ignore[arg-type,unused-ignore]  # breaking, warning or non-breaking
    return any(LEVELS.index(level) <= threshold for level in levels)


def levels_of(option: str | None) -> dict[str, str]:
    """The rule levels: the file named by --levels, else ./codegen-diff.yaml when it exists."""
    if option is None:
        return load_levels(Path(FILE_NAME)) if Path(FILE_NAME).is_file() else {}
    if not Path(option).is_file():
        raise DiffInputError(f"--levels {option}: no such file")
    return load_levels(Path(option))


def run(args: argparse.Namespace) -> int:
    spec_dir = Path(args.spec_dir)
    try:
        levels = levels_of(args.levels)
        base = load_side(args.base, spec_dir)
        if args.head is None:  # the work tree's spec directory
            head = load_side(args.spec_dir, spec_dir, directory=True)
        else:
            head = load_side(args.head, spec_dir)
    except DiffInputError as exc:
        print(f"codegen diff: {exc}".splitlines()[0], file=sys.stderr)
        return EXIT_BAD_INPUT
    except SpecError as exc:  # the levels file
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    changes = diff(base, head, levels)
    report = render(changes, args.format, base.label, head.label)
    if args.output:
        try:
            Path(args.output).write_text(report, encoding="utf-8")
        except OSError as exc:
            print(
                f"codegen diff: cannot write {args.output}: {exc}".splitlines()[0], file=sys.stderr
            )
            return EXIT_BAD_INPUT
    else:
        sys.stdout.write(report)
    return EXIT_FAIL if fails({c.level for c in changes}, args.fail_on) else EXIT_OK
