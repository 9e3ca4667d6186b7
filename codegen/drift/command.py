"""`codegen drift`: compare the spec with the live (or a given) Discovery document.

Exit 0: no drift; 1: drift found; 2: the document, the spec or `drift-ignore.yaml` could not be read.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from codegen.discovery.load import Discovery, DiscoveryError
from codegen.discovery.normalise import normalise
from codegen.spec.errors import SpecError
from codegen.spec.loader import load_spec
from codegen.spec.model import Spec

from .compare import Compared, compared
from .findings import KINDS
from .ignore import FILE_NAME, Outcome, Rules, apply, load_rules
from .report import FORMATS, Report, render
from .source import DEFAULT_URL, read_source

EXIT_OK, EXIT_DRIFT, EXIT_BAD_INPUT = 0, 1, 2


@dataclass(frozen=True)
class Result:
    report: Report
    outcome: Outcome
    api: Spec | None = None  # the document, normalised
    compared: Compared | None = None  # the findings before the rules, and the type pairs

    @property
    def exit_code(self) -> int:
        return EXIT_DRIFT if self.outcome.drift else EXIT_OK


def check_spec(
    spec: Spec, discovery: Discovery, rules_file: Path | None, *, suggest: bool = False
) -> Result:
    """Normalise, compare, apply the rules. Raises `DiscoveryError` for a document it cannot use."""
    try:
        api = normalise(discovery.doc, keep_unspellable=True).spec
    except Exception as e:  # normalise takes checked documents; anything else is a bad document
        raise DiscoveryError(
            f"{discovery.source}: cannot make sense of the document ({type(e).__name__}: {e})".splitlines()[
                0
            ]
        ) from None
    rules = load_rules(rules_file) if rules_file is not None else Rules()
    found = compared(api, spec)
    outcome = apply(found.findings, rules)
    return Result(
        Report(outcome, discovery.revision, discovery.source, suggest), outcome, api, found
    )


def drift(
    spec_dir: Path,
    source: str = DEFAULT_URL,
    *,
    suggest: bool = False,
    cache_dir: Path | None = None,
    client: httpx.Client | None = None,
    warn: Any = None,
) -> Result:
    """The whole check: read the spec and the document, compare. Raises SpecError / DiscoveryError."""
    spec = load_spec(spec_dir)
    discovery = read_source(
        source,
        cache_dir=cache_dir,
        client=client,
        warn=warn,
        name=spec.service.name,
        version=spec.service.version,
    )
    return check_spec(spec, discovery, spec_dir / FILE_NAME, suggest=suggest)


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Register `drift` on the `codegen` sub-command parser."""
    p: argparse.ArgumentParser = sub.add_parser(
        "drift",
        help="compare the spec with the API's Discovery document",
        description=(
            "Compare spec/ with the Discovery document (both directions) and report what differs. "
            "Exit 0: no drift; 1: drift found; 2: the document or the spec could not be read."
        ),
        epilog=(
            f"{len(KINDS)} kinds of finding, and spec/{FILE_NAME} (what the spec leaves out on "
            "purpose): see docs/drift.md."
        ),
    )
    p.add_argument(
        "--discovery",
        default=DEFAULT_URL,
        metavar="PATH_OR_URL",
        help="the Discovery document: a file, or a URL fetched and cached (default: the live v1beta document)",
    )
    p.add_argument("--spec", default="spec", metavar="DIR", help="spec directory (default: spec)")
    p.add_argument(
        "--format", choices=FORMATS, default="text", help="report format (default: text)"
    )
    p.add_argument(
        "--suggest", action="store_true", help="print the YAML to paste for what the spec lacks"
    )
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    def warn(line: str) -> None:
        print(line, file=sys.stderr)

    try:
        result = drift(Path(args.spec), args.discovery, suggest=args.suggest, warn=warn)
    except DiscoveryError as e:
        print(f"codegen drift: {e}".splitlines()[0], file=sys.stderr)
        return EXIT_BAD_INPUT
    except SpecError as e:
        for problem in e.problems:
            print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    sys.stdout.write(render(result.report, args.format))
    return result.exit_code
