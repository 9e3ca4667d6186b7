"""Write a spec from a Discovery document.

    python -m codegen.discovery.bootstrap --discovery PATH --out spec/
    python -m codegen.discovery.bootstrap --discovery PATH --out new/ --resource corpora.permissions
    python -m codegen.discovery.bootstrap --discovery PATH --out new/ --resource models:get,list

By default it keeps every resource (nested ones included) and method except the PaLM-era ones
(`PALM_METHODS`); `--resource PATH[:METHOD,...]` (repeatable) selects resources by dotted path,
all their methods unless listed. It keeps every type the selection reaches, fills in what a
finished long-running operation holds (`LONG_RUNNING`: Discovery never says), writes
`service.yaml` plus one file per topic (`codegen.discovery.topics`), and prints the normaliser's
warnings. Existing `*.yaml` files in `--out` that it would not write are left alone; the files it
writes are overwritten.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from codegen.spec.emit import emit_files
from codegen.spec.errors import SpecError
from codegen.spec.loader import load_spec
from codegen.spec.model import LongRunning, Resource, Service, Spec

from . import topics
from .fit import fit
from .load import DiscoveryError, load_discovery
from .normalise import NormaliseWarning, normalise
from .subset import SubsetError, everything, select

# Superseded by generateContent / embedContent / countTokens; listed in spec/drift-ignore.yaml.
PALM_METHODS: tuple[str, ...] = (
    "models.generateMessage",
    "models.countMessageTokens",
    "models.generateText",
    "models.countTextTokens",
    "models.embedText",
    "models.batchEmbedText",
    "tunedModels.generateText",
)
API_KEY_ENV: tuple[str, ...] = ("GEMINI_API_KEY", "GOOGLE_API_KEY")
RESOURCE_DESCRIPTIONS = {
    "models": "Generative models.",
    "tunedModels": "Models tuned on your data.",
    "permissions": "Who may use the parent resource.",
    "operations": "Long-running operations of the parent resource.",
    "files": "Files uploaded for use in prompts.",
    "media": "Media uploads: files and file search store documents.",
    "generatedFiles": "Files the API generated (e.g. videos).",
    "batches": "Batch jobs: long-running operations over many requests.",
    "cachedContents": "Content cached for reuse across prompts.",
    "fileSearchStores": "Stores of documents for the file search tool.",
    "documents": "Documents of a file search store.",
    "upload": "Uploads to a file search store.",
    "corpora": "Semantic retriever corpora.",
    "dynamic": "Dynamic model endpoints.",
}
# What a finished operation holds (`Operation.response`) and its progress (`Operation.metadata`),
# by method name: Discovery types them all as `Operation`. `object` is a free-form JSON object.
LONG_RUNNING: dict[str, LongRunning] = {
    "batchGenerateContent": LongRunning("GenerateContentBatchOutput", "GenerateContentBatch"),
    "asyncBatchEmbedContent": LongRunning("EmbedContentBatchOutput", "EmbedContentBatch"),
    "tunedModels.create": LongRunning("TunedModel", "object"),
}
FREE_FORM = LongRunning("object", "object")


def bootstrap_spec(
    doc: dict[str, object], selection: dict[str, list[str] | None] | None = None
) -> tuple[Spec, list[NormaliseWarning]]:
    """The spec from a Discovery dict (the whole API but `PALM_METHODS` unless `selection`
    names resources), and the warnings about the parts it keeps."""
    spec, warnings = normalise(doc)
    spec = _typed_operations(spec)
    spec = select(spec, selection or everything(spec), exclude=() if selection else PALM_METHODS)
    resources = {name: _describe(r) for name, r in spec.resources.items()}
    service: Service = replace(spec.service, api_key_env=API_KEY_ENV)
    spec = replace(spec, service=service, resources=resources)
    kept = [w for w in warnings if _concerns(w, spec)]
    spec, left_out = fit(spec)
    return spec, kept + left_out


def _describe(r: Resource) -> Resource:
    return replace(
        r,
        description=r.description or RESOURCE_DESCRIPTIONS.get(r.name, ""),
        resources=tuple(_describe(c) for c in r.resources),
    )


def _typed_operations(spec: Spec) -> Spec:
    """Each long-running method with the types its operation holds (`LONG_RUNNING`)."""

    def fix(r: Resource, path: str) -> Resource:
        methods = tuple(
            m
            if m.long_running is None
            else replace(
                m,
                long_running=LONG_RUNNING.get(
                    f"{path}.{m.name}", LONG_RUNNING.get(m.name, FREE_FORM)
                ),
            )
            for m in r.methods
        )
        return replace(
            r, methods=methods, resources=tuple(fix(c, f"{path}.{c.name}") for c in r.resources)
        )

    return replace(spec, resources={n: fix(r, n) for n, r in spec.resources.items()})


def _concerns(w: NormaliseWarning, spec: Spec) -> bool:
    """Whether a warning is about a schema or method the spec kept."""
    parts = w.loc.path.split(".")
    if parts[0] == "schemas" and len(parts) > 1:
        return any(t.loc.path.split(".")[:2] == parts[:2] for t in spec.types.values())
    if parts[0] == "resources":
        return any(
            w.loc.path.startswith(m.loc.path) for _, r in spec.all_resources() for m in r.methods
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


def refused(files: dict[str, str], out: Path) -> list[str]:
    """What the loader says about the files, written to a scratch directory but named as in `out`,
    where they are to go; [] when they load."""
    with tempfile.TemporaryDirectory(prefix="codegen-bootstrap-") as tmp:
        for name, text in files.items():
            (Path(tmp) / name).write_text(text, encoding="utf-8")
        try:
            load_spec(Path(tmp), shown_as=out)
        except SpecError as e:
            return [str(p) for p in e.problems]
    return []


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m codegen.discovery.bootstrap", description=__doc__.split("\n")[0]
    )
    ap.add_argument("--discovery", required=True, help="path of the Discovery JSON document")
    ap.add_argument("--out", required=True, type=Path, help="spec directory to write")
    ap.add_argument(
        "--resource",
        action="append",
        default=[],
        metavar="PATH[:METHOD,...]",
        help="a resource by dotted path (tunedModels.permissions), all its methods unless listed; repeatable",
    )
    args = ap.parse_args(argv)
    selection: dict[str, list[str] | None] = {}
    for item in args.resource:
        path, _, names = item.partition(":")
        selection[path] = [n for n in names.split(",") if n] if names else None
    try:
        disc = load_discovery(args.discovery)
    except DiscoveryError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2  # bad input, as for `codegen`
    try:
        spec, warnings = bootstrap_spec(disc.doc, selection or None)
    except SubsetError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    files = render(spec, disc.revision)
    problems = refused(files, args.out)
    if problems:  # never write a spec its own loader refuses
        for line in problems:
            print(f"error: {line}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (args.out / name).write_text(text, encoding="utf-8")
    print(
        f"wrote {len(files)} files to {args.out}: {len(spec.types)} types "
        f"({len(spec.objects())} objects, {len(spec.enums())} enums), "
        f"{sum(len(r.methods) for _, r in spec.all_resources())} methods"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
