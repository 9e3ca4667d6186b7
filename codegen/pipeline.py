"""The whole path: load -> validate -> render -> format -> write.

A fast path skips all of it when a local stamp (`.codegen-cache/`, never committed) records that the
output was produced from inputs with the same hash and no output file changed since."""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from .write import (
    check_replaceable,
    format_cache_dir,
    read_stamp,
    read_tree,
    sha256,
    stale_files,
    write_stamp,
    write_tree,
)

if TYPE_CHECKING:
    from .render.types_module import ModelsJob

# Tools whose output lands in generated/: a new version of any of them means regenerating.
PINNED_TOOLS = ("datamodel-code-generator", "black", "jinja2", "pyyaml")
CODEGEN_DIR = Path(__file__).resolve().parent
# The parts of codegen/ that shape generated/ (drift, diff and the Discovery tools do not).
GENERATOR_SOURCES = ("*.py", "spec/*.py", "render/*.py")


@dataclass(frozen=True)
class Paths:
    spec: Path
    templates: Path
    out: Path


# What a templates directory must hold: without them the output would silently shrink (a typo in
# `--templates` once produced 1 file instead of 58 and exited 0).
REQUIRED_TEMPLATES = (
    "package/__init__.py.jinja",
    "package/_client.py.jinja",
    "package/resources/resource.py.jinja",
    "package/_core/__init__.py",
    "package/types",
    "datamodel",
)


def check_templates(templates: Path) -> None:
    """Raise `SpecError` (exit 2) naming what `templates` lacks of the generator's templates."""
    missing = [t for t in REQUIRED_TEMPLATES if not (templates / t).exists()]
    if missing:
        from .spec.errors import Problem, SpecError
        from .spec.files import shown_path
        from .spec.model import Location

        reason = "not a directory" if not templates.is_dir() else f"lacks {', '.join(missing)}"
        raise SpecError(
            [
                Problem(
                    Location(shown_path(templates), 0, ""), f"not a templates directory: {reason}"
                )
            ]
        )


def inputs_hash(paths: Paths) -> str:
    """A hash of everything the output depends on: spec, templates, the generator and tool versions."""
    from .spec.files import read_file, shown_path, spec_files

    h = hashlib.sha256()
    for p in spec_files(paths.spec) if paths.spec.is_dir() else ():
        h.update(
            p.relative_to(paths.spec).as_posix().encode()
            + b"\0"
            + read_file(p, shown_path(p))
            + b"\0"
        )
    sources = [(paths.templates, p) for p in sorted(paths.templates.glob("**/*"))]
    sources += [
        (CODEGEN_DIR, p) for pattern in GENERATOR_SOURCES for p in sorted(CODEGEN_DIR.glob(pattern))
    ]
    for root, p in sources:
        if p.is_file() and "__pycache__" not in p.parts:
            h.update(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    h.update(_tool_versions())
    return h.hexdigest()


@functools.cache
def _tool_versions() -> bytes:
    """The pinned tools' versions (read once: each read parses a package's metadata)."""
    return "".join(f"{tool}=={metadata.version(tool)}\0" for tool in PINNED_TOOLS).encode()


def is_fresh(paths: Paths, digest: str) -> bool:
    """True when the local stamp says the output came from these inputs and no file changed since."""
    doc = read_stamp(paths.out)
    if doc is None or doc.get("inputs") != digest:
        return False
    tree = read_tree(paths.out)
    return doc.get("files") == {p: sha256(tree[p]) for p in sorted(tree)}


# Allocations between two young-generation collections while building (CPython's default: 700).
GC_THRESHOLD = 100_000


@contextlib.contextmanager
def rare_collections() -> Iterator[None]:
    """The cyclic garbage collector run every `GC_THRESHOLD` allocations instead of every 700
    (while building, and while any `codegen` command runs).

    A build makes millions of short-lived objects (black's and datamodel-code-generator's syntax
    trees, jinja's output): collecting them that often cost a tenth of a full build's CPU time
    (bench/bench_codegen.py). Collections still happen, so memory stays bounded (about +20 MB);
    the worker processes forked meanwhile inherit the setting. The old thresholds come back after."""
    old = gc.get_threshold()
    gc.set_threshold(max(GC_THRESHOLD, old[0]) if old[0] else 0, *old[1:])  # 0: off stays off
    try:
        yield
    finally:
        gc.set_threshold(*old)


def build(paths: Paths, *, reuse: bool = False) -> dict[str, bytes]:
    """Render the whole output in memory (raises SpecError on bad input).

    `reuse`: keep each file of the current output whose source is unchanged instead of making
    and formatting it again (`codegen.format.format_changed`)."""
    with rare_collections():
        return _build(paths, reuse=reuse)


def _build(paths: Paths, *, reuse: bool) -> dict[str, bytes]:
    from .manifest import previously_made, read_manifest
    from .sources import Source, Started, started, started_waiting, taken_from

    previous = read_tree(paths.out) if reuse else {}
    with contextlib.ExitStack() as stack:
        # The types module (datamodel-code-generator: the slowest source) is made in another process
        # while this one imports black and renders the templates. In a full build (no manifest)
        # that process starts at once and imports datamodel-code-generator while this one reads the
        # spec and works out the module's inputs, which it then sends there, unless the format
        # cache holds the module; else that process starts only once its inputs are known to have
        # changed.
        early: Started | None = None
        waiting = None
        if not read_manifest(previous):
            waiting = stack.enter_context(started_waiting(_prepare_models, _make_models))
        from .spec.loader import load_spec

        spec = load_spec(paths.spec)  # bad input is refused before black and jinja are imported
        from .render.package import TYPES_MODULE, job_source, render_package, types_module_job

        job = types_module_job(spec, paths.templates)
        types_module = job_source(job)
        if previously_made(TYPES_MODULE, types_module, previous) is None:
            if waiting is not None:
                waiting.give(job)
            early = waiting or stack.enter_context(started(functools.partial(_make_models, job)))
            types_module = taken_from(early, types_module)
        elif waiting is not None:
            waiting.stop()
        from .format import format_changed

        rendered, copied = render_package(spec, paths.templates, types_module=False)
        sources = {p: Source(text, functools.partial(str, text)) for p, text in rendered.items()}
        sources[TYPES_MODULE] = types_module
        files = {
            **format_changed(sources, previous),
            **copied,
        }  # copied files (the core) are kept formatted by hand
    return {p: files[p].encode("utf-8") for p in sorted(files)}


def _prepare_models() -> None:
    """In the process that makes the types module: datamodel-code-generator imported ahead."""
    from .render.types_module import prepare_datamodel

    prepare_datamodel()


def _make_models(job: ModelsJob) -> str:
    """In the process that makes the types module: made, and recorded for a later guess."""
    from .render.types_guess import made_and_recorded

    return made_and_recorded(job)


def generate(paths: Paths, *, force: bool = False) -> bool:
    """Regenerate `paths.out`; False when it was already up to date and nothing was written."""
    check_templates(paths.templates)
    digest = inputs_hash(paths)
    if not force and is_fresh(paths, digest):
        return False
    check_replaceable(paths.out)  # before the work: a directory that is not ours is refused at once
    from .format_cache import used_by_default

    from .sources import finish_started

    try:
        with used_by_default(format_cache_dir(paths.out)):
            files = build(paths, reuse=True)
        write_tree(paths.out, files)
        write_stamp(paths.out, digest, files)
    finally:
        finish_started()  # what the types module's process does after sending it (its record)
    return True


def check(paths: Paths) -> list[str]:
    """The stale files of `paths.out` (empty when it is exactly what the inputs produce)."""
    check_templates(paths.templates)
    digest = inputs_hash(paths)
    if is_fresh(paths, digest):
        return []
    check_replaceable(paths.out)  # `--out ~` is refused, not read file by file
    from .sources import finish_started

    try:
        files = build(paths)
    finally:
        finish_started()
    stale = stale_files(paths.out, files)
    if not stale:
        write_stamp(paths.out, digest, files)
    return stale
