"""Write the starter spec from a Discovery document.

    python -m codegen.discovery.bootstrap --discovery PATH --out spec/

It keeps the resource `models` with the methods in `STARTER_METHODS` and every type they reach,
writes `service.yaml` plus one file per topic (`codegen.discovery.topics`), and prints the
normaliser's warnings. Existing `*.yaml` files in `--out` that it would not write are left alone;
the files it writes are overwritten.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from codegen.spec.emit import emit_files
from codegen.spec.model import Service, Spec

from . import topics
from .load import DiscoveryError, load_discovery
from .normalise import NormaliseWarning, normalise
from .subset import select

STARTER_METHODS: dict[str, tuple[str, ...]] = {
    "models": (
        "generateContent",
        "streamGenerateContent",
        "countTokens",
        "embedContent",
        "batchEmbedContents",
        "get",
        "list",
    ),
}
API_KEY_ENV: tuple[str, ...] = ("GEMINI_API_KEY", "GOOGLE_API_KEY")
RESOURCE_DESCRIPTIONS = {"models": "Generative models."}


def starter_spec(doc: dict[str, object]) -> tuple[Spec, list[NormaliseWarning]]:
    """The starter spec from a Discovery dict, and the warnings about the parts it keeps."""
    spec, warnings = normalise(doc)
    spec = select(spec, STARTER_METHODS)
    resources = {
        name: replace(r, description=r.description or RESOURCE_DESCRIPTIONS.get(name, ""))
        for name, r in spec.resources.items()
    }
    service: Service = replace(spec.service, api_key_env=API_KEY_ENV)
    spec = replace(spec, service=service, resources=resources)
    kept = [w for w in warnings if _concerns(w, spec)]
    return spec, kept


def _concerns(w: NormaliseWarning, spec: Spec) -> bool:
    """Whether a warning is about a schema or method the spec kept."""
    parts = w.loc.path.split(".")
    if parts[0] == "schemas" and len(parts) > 1:
        return any(t.loc.path.split(".")[:2] == parts[:2] for t in spec.types.values())
    if parts[0] == "resources":
        return any(
            w.loc.path.startswith(m.loc.path) for r in spec.resources.values() for m in r.methods
        )
    return True


def render(spec: Spec, revision: str) -> dict[str, str]:
    """{file name: text} of the starter spec."""
    note = f"Bootstrapped from the Discovery document of generativelanguage v1beta, revision {revision}."
    return emit_files(
        spec,
        type_file=topics.type_file,
        resource_file=topics.resource_file,
        service_file=topics.SERVICE_FILE,
        headers={name: note for name in _file_names(spec)},
    )


def _file_names(spec: Spec) -> set[str]:
    return (
        {topics.SERVICE_FILE}
        | {topics.type_file(n) for n in spec.types}
        | {topics.resource_file(n) for n in spec.resources}
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m codegen.discovery.bootstrap", description=__doc__.split("\n")[0])
    ap.add_argument("--discovery", required=True, help="path of the Discovery JSON document")
    ap.add_argument("--out", required=True, type=Path, help="spec directory to write")
    args = ap.parse_args(argv)
    try:
        disc = load_discovery(args.discovery)
    except DiscoveryError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    spec, warnings = starter_spec(disc.doc)
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    files = render(spec, disc.revision)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (args.out / name).write_text(text, encoding="utf-8")
    print(
        f"wrote {len(files)} files to {args.out}: {len(spec.types)} types "
        f"({len(spec.objects())} objects, {len(spec.enums())} enums), "
        f"{sum(len(r.methods) for r in spec.resources.values())} methods"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
