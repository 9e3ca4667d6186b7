"""Render the package: every file under `templates/package/` becomes the file of the same path in
`gemini_client/` (`*.jinja` rendered, anything else copied); `resources/resource.py.jinja` is rendered
once per resource (nested ones included); the types module comes from datamodel-code-generator."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import jinja2

from ..sources import Source
from ..spec.model import Spec
from ..write import copy_header
from .compiled import CompiledTemplates
from .exports import core_lazy_names
from .extensions import Extensions, load_extensions
from .reference import reference_view
from .typed_dicts import constructor_inputs, typed_dict_views
from .types_module import ModelsJob, models_job, render_types_module, types_module_inputs
from .view import PackageView, package_view

PACKAGE = "gemini_client"
_PER_RESOURCE = "resources/resource.py.jinja"
_REFERENCE = "api.md.jinja"  # the API reference: rendered with the spec's types too
_SKIP_DIRS = frozenset({"__pycache__"})


def _used_in(name: str, text: str) -> bool:
    """Whether `name` appears in `text` as a word (a resource module imports only what it uses)."""
    return _word(name).search(text) is not None


@functools.lru_cache(maxsize=1024)
def _word(name: str) -> re.Pattern[str]:
    """`name` not preceded by a word character or a dot, and ending a word. The literal comes first
    (the look-behind after it): the regex engine then looks for the name as fast as `str.find`,
    instead of trying the look-behind at every position of a module that never uses the name."""
    n = re.escape(name)
    return re.compile(rf"{n}(?<![\w.]{n})\b")


# Shared by every `environment()`: they all have the options below, which shape the compiled code.
_COMPILED = CompiledTemplates(persistent=True)


def environment(template_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir)),
        bytecode_cache=_COMPILED,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.tests["used_in"] = _used_in
    return env


TYPES_MODULE = f"{PACKAGE}/types/_models.py"


def render_package(
    spec: Spec, template_dir: Path, *, types_module: bool = True
) -> tuple[dict[str, str], dict[str, str]]:
    """The whole package as (rendered files, still to be formatted; files copied verbatim).

    `types_module=False` leaves out `TYPES_MODULE`, the slow part, for the caller to make
    (`render_types_module`) only when its inputs changed."""
    env = environment(template_dir)
    ext = load_extensions(spec, template_dir)
    view: PackageView = package_view(spec, ext.unions)
    dicts = typed_dict_views(spec, ext.unions)
    core_lazy = core_lazy_names(template_dir)
    package_dir = template_dir / "package"
    out: dict[str, str] = {}
    copied: dict[str, str] = {}
    for src in sorted(package_dir.rglob("*")):
        rel = src.relative_to(package_dir).as_posix()
        if src.is_dir() or _SKIP_DIRS.intersection(src.parts):
            continue
        if rel == _PER_RESOURCE:
            template = env.get_template(f"package/{rel}")
            for r in view.all_resources:
                out[f"{PACKAGE}/resources/{r.module}.py"] = template.render(r=r, p=view)
        elif rel == _REFERENCE:
            ref = reference_view(spec, view)
            out[f"{PACKAGE}/api.md"] = env.get_template(f"package/{rel}").render(p=view, ref=ref)
        elif rel.endswith(".jinja"):
            out[f"{PACKAGE}/{rel[: -len('.jinja')]}"] = env.get_template(f"package/{rel}").render(
                p=view, dicts=dicts, core_lazy=core_lazy
            )
        else:
            text = src.read_text(encoding="utf-8")
            header = (
                copy_header(f"{template_dir.name}/package/{rel}") if rel.endswith(".py") else ""
            )
            copied[f"{PACKAGE}/{rel}"] = header + text
    if types_module:
        out[TYPES_MODULE] = types_module_source(spec, template_dir, ext).make()
    return out, copied


def types_module_job(spec: Spec, template_dir: Path, ext: Extensions | None = None) -> ModelsJob:
    """What datamodel-code-generator is given for the types module."""
    ext = ext or load_extensions(spec, template_dir)
    inputs = constructor_inputs(spec, ext.unions, ext.short_forms)
    return models_job(spec, template_dir / "datamodel", ext.bases, inputs, ext.generic)


def job_source(job: ModelsJob) -> Source:
    """The types module to make from `job`, keyed by everything it is made from (see
    `codegen.format`)."""
    from .types_guess import guessed

    return Source(
        types_module_inputs(job),
        functools.partial(render_types_module, job),
        slow=True,
        guess=functools.partial(guessed, job),
    )


def types_module_source(spec: Spec, template_dir: Path, ext: Extensions | None = None) -> Source:
    """The types module to make."""
    return job_source(types_module_job(spec, template_dir, ext))
