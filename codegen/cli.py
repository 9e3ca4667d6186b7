"""`codegen`: generate the client, check it is fresh, and (later) drift and diff.

Every failure is one line per problem and a non-zero exit: 2 for bad input, 1 for a failed check
or an internal error. Never a bare traceback."""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__
from .pipeline import Paths, check, generate, rare_collections
from .spec.errors import SpecError
from .write import OutputRefused

EXIT_OK, EXIT_FAIL, EXIT_BAD_INPUT = 0, 1, 2


def _paths(args: argparse.Namespace) -> Paths:
    return Paths(spec=Path(args.spec), templates=Path(args.templates), out=Path(args.out))


def cmd_generate(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    wrote = generate(_paths(args), force=args.force)
    took = time.perf_counter() - start
    print(f"{'generated' if wrote else 'up to date'}: {args.out} ({took:.2f}s)")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    stale = check(_paths(args))
    if stale:
        copies = any("(a copy of " in line for line in stale)
        print(
            f"{args.out} is stale; "
            + ("move edits of copies to their templates, then " if copies else "")
            + "run `codegen generate`:"
        )
        for line in stale:
            print(f"  {line}")
        return EXIT_FAIL
    print(f"{args.out} is up to date")
    return EXIT_OK


def _add_paths(p: argparse.ArgumentParser, *, out: bool = True) -> None:
    p.add_argument("--spec", default="spec", metavar="DIR", help="spec directory (default: spec)")
    p.add_argument(
        "--templates",
        default="templates",
        metavar="DIR",
        help="templates directory (default: templates)",
    )
    if out:
        p.add_argument(
            "--out",
            default="generated",
            metavar="DIR",
            help="output directory (default: generated)",
        )


# The other commands, in the order of `codegen --help`: each registered by `add_parser` of
# codegen.<name>.command, a module imported only when the command is asked for.
OTHER_COMMANDS = ("diff", "drift", "sync", "export")


def parser(*, only: str | None = None) -> argparse.ArgumentParser:
    """The `codegen` command line; `only`: the one command to parse, whose module alone is imported
    (`generate` and `check` need none: each other command's imports cost up to a third of a
    second of every start: drift's, for one, import httpx); None: every command."""
    p = argparse.ArgumentParser(
        prog="codegen", description="Generate and maintain the typed Gemini API client."
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    g = sub.add_parser(
        "generate",
        help="regenerate the client package from the spec",
        description="Regenerate generated/ from spec/ and templates/ (skipped when nothing changed).",
    )
    _add_paths(g)
    g.add_argument("--force", action="store_true", help="regenerate even when nothing changed")
    g.set_defaults(func=cmd_generate)

    c = sub.add_parser(
        "check",
        help="fail when generated/ is not what the spec produces",
        description="Exit 1 and list the stale files when generated/ differs from what spec/ and templates/ produce.",
    )
    _add_paths(c)
    c.set_defaults(func=cmd_check)

    for name in OTHER_COMMANDS if only is None else (only,) if only in OTHER_COMMANDS else ():
        importlib.import_module(f"{__package__}.{name}.command").add_parser(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    named = argv[0] if argv and argv[0] in ("generate", "check", *OTHER_COMMANDS) else None
    args = parser(only=named).parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        with rare_collections():  # drift, sync and diff parse whole documents too
            return func(args)
    except SpecError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    except OutputRefused as exc:
        print(f"codegen: --out {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("codegen: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: one line, never a traceback
        print(f"codegen: error: {type(exc).__name__}: {exc}".splitlines()[0], file=sys.stderr)
        return EXIT_FAIL


if __name__ == "__main__":
    sys.exit(main())
