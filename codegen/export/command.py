"""`codegen export openapi [--out FILE]`: the spec as an OpenAPI 3.1 document."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml

from ..spec.loader import load_spec
from .openapi import ExportError, export_openapi

EXIT_OK, EXIT_BAD_INPUT = 0, 2


def render(doc: dict[str, Any], out: str) -> str:
    """JSON, or YAML when `out` ends in .yaml/.yml."""
    if out.endswith((".yaml", ".yml")):
        return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def cmd_export(args: argparse.Namespace) -> int:
    try:
        doc = export_openapi(load_spec(Path(args.spec)))
    except ExportError as exc:
        print(f"codegen export: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    text = render(doc, args.out)
    if args.out == "-":
        sys.stdout.write(text)
        return EXIT_OK
    out = Path(args.out)
    if out.is_dir():
        print(f"codegen export: --out {args.out}: is a directory", file=sys.stderr)
        return EXIT_BAD_INPUT
    tmp = out.with_name(out.name + ".tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(out)  # atomic: a failed export leaves the old file as it was
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        print(f"codegen export: --out {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(
        f"wrote {args.out}: {len(doc['paths'])} paths, {len(doc['components']['schemas'])} schemas"
    )
    return EXIT_OK


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Add the `export` subcommand to the `codegen` CLI's subparsers."""
    e: argparse.ArgumentParser = sub.add_parser(
        "export",
        help="write the spec in another format (openapi)",
        description="Write the spec as an OpenAPI 3.1 document (docs/openapi.md).",
    )
    e.add_argument("format", choices=("openapi",), help="the output format")
    e.add_argument("--spec", default="spec", metavar="DIR", help="spec directory (default: spec)")
    e.add_argument(
        "--out",
        default="-",
        metavar="FILE",
        help="where to write (default: stdout); .yaml/.yml writes YAML, anything else JSON",
    )
    e.set_defaults(func=cmd_export)
    return e
