"""The types module: spec types -> JSON Schema -> datamodel-code-generator -> pydantic v2 source."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..spec.model import Spec
from .jsonschema import field_aliases, spec_json_schema

# datamodel-code-generator wants absolute import paths; the generated package imports its core
# relatively so that it can be vendored under any package name.
_ABSOLUTE_CORE = "gemini_client._core._models"
_RELATIVE_CORE = ".._core._models"
_ABSOLUTE_BASES = "gemini_client.types._bases"
_RELATIVE_BASES = "._bases"
_ONE_LINE_IMPORT = re.compile(r"^from ([\w.]+) import ([\w, ]+)$\n", re.MULTILINE)
_REBUILD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\.model_rebuild\(\)$\n?", re.MULTILINE)


# What a constructor's wider inputs (`x-input`, see `typed_dicts.constructor_inputs`) name: for
# type checkers only, in strings, so these imports are too.
_INPUT_IMPORTS = """
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime as _dt
    from collections.abc import Mapping, Sequence

    from ._dicts import *  # noqa: F403
    from ._inputs import *  # noqa: F403
"""
_ACCEPTS = [f"{_ABSOLUTE_BASES}.Accepts", f"{_ABSOLUTE_BASES}.NONE"]

Inputs = Mapping[str, Mapping[str, str]]


@dataclass(frozen=True)
class ModelsJob:
    """Everything datamodel-code-generator is given for the types module, computed once from the
    spec (picklable: the process that makes the module may receive it, `codegen.pipeline`)."""

    schema: str  # the JSON Schema document, exactly as datamodel-code-generator reads it
    aliases: dict[str, str]
    template_dir: Path
    bases: dict[str, str]
    generic: dict[str, tuple[str, ...]]


def models_job(
    spec: Spec,
    template_dir: Path,
    bases: Mapping[str, str],
    inputs: Inputs | None = None,
    generic: Mapping[str, tuple[str, ...]] | None = None,
) -> ModelsJob:
    """The job that makes the types module: the type `name` inherits `bases[name]` of the
    hand-written `types/_bases.py` if given, else the core `BaseModel` (see `extensions.py`). A
    field in `inputs` is declared `Accepts[<read type>, "<what the constructor takes>"]` (see
    `_bases.Accepts`). A type in `generic` is generic in its base's type parameters
    (`class X(XBase[T])`)."""
    return ModelsJob(
        json.dumps(_json_schema(spec, bases, inputs)),
        field_aliases(spec),
        template_dir,
        dict(bases),
        dict(generic or {}),
    )


def types_module_inputs(job: ModelsJob) -> str:
    """Everything the types module is made from, as text: a cache key once hashed."""
    parts = [schema_inputs(job)]
    for p in sorted(job.template_dir.rglob("*")):
        if p.is_file():
            parts.append(
                f"{p.relative_to(job.template_dir).as_posix()}\0{p.read_text(encoding='utf-8')}"
            )
    return "\0".join(parts)


def schema_inputs(job: ModelsJob) -> str:
    """What the types module is made from but its templates, as text."""
    from importlib import metadata

    return "\0".join(
        [
            Path(__file__).read_text(encoding="utf-8"),  # the options and the post-processing
            job.schema,
            json.dumps(job.aliases, sort_keys=True),
            json.dumps(job.bases, sort_keys=True),
            json.dumps(job.generic, sort_keys=True),
            f"datamodel-code-generator=={metadata.version('datamodel-code-generator')}",
        ]
    )


def _json_schema(
    spec: Spec, bases: Mapping[str, str], inputs: Inputs | None = None
) -> dict[str, object]:
    return spec_json_schema(spec, {k: f"{_ABSOLUTE_BASES}.{v}" for k, v in bases.items()}, inputs)


# The modules `datamodel_code_generator.generate` imports on its first call (most of its cost
# beyond the work itself): `prepare_datamodel` imports them ahead, while the spec is being read.
_DATAMODEL_MODULES = (
    "datamodel_code_generator.config",
    "datamodel_code_generator.parser.jsonschema",
    "datamodel_code_generator.model.pydantic_v2",
)


def prepare_datamodel() -> None:
    """Import what `render_types_module` will need (nothing else: no state is made)."""
    import importlib

    for name in _DATAMODEL_MODULES:
        importlib.import_module(name)


def render_types_module(job: ModelsJob) -> str:
    """Python source of `gemini_client/types/_models.py` (unformatted)."""
    return finished(job, generated(job))


def generated(job: ModelsJob) -> str:
    """datamodel-code-generator's output for `job`, before `finished`."""
    from datamodel_code_generator import InputFileType, PythonVersion, generate
    from datamodel_code_generator.enums import DataModelType

    source = generate(
        job.schema,
        input_file_type=InputFileType.JsonSchema,
        output_model_type=DataModelType.PydanticV2BaseModel,
        target_python_version=PythonVersion.PY_310,
        base_class=f"{_ABSOLUTE_CORE}.BaseModel",
        additional_imports=[
            f"{_ABSOLUTE_CORE}.OpenEnum",
            *_ACCEPTS,
            *sorted({f"{_ABSOLUTE_BASES}.{p}" for ps in job.generic.values() for p in ps}),
        ],
        field_extra_keys={"x-input"},
        custom_template_dir=job.template_dir,
        aliases=job.aliases,
        skip_root_model=True,
        use_schema_description=True,
        disable_timestamp=True,
        custom_file_header="# Generated by gemini-codegen from spec/: do not edit.",
        formatters=[],
    )
    assert isinstance(source, str)
    return source


def finished(job: ModelsJob, source: str) -> str:
    """datamodel-code-generator's output made the types module: generic classes, no eager
    rebuilds, no unused imports, the constructors' input types imported, imports relative."""
    generic, bases = job.generic, job.bases
    # The models build on first use (the base model's defer_build), resolving forward references
    # then: an eager `X.model_rebuild()` would only move that cost back to import time.
    for cls, params in sorted(generic.items()):
        head = f"\nclass {cls}({bases[cls]}"
        source = source.replace(f"{head}):", f"{head}[{', '.join(params)}]):")
    source = _without_unused_imports(_REBUILD.sub("", source).rstrip("\n") + "\n")
    if "Accepts[" in source:
        first_class = source.index("\nclass ")
        source = source[:first_class] + _INPUT_IMPORTS + source[first_class:]
    return source.replace(f"from {_ABSOLUTE_CORE} import", f"from {_RELATIVE_CORE} import").replace(
        f"from {_ABSOLUTE_BASES} import", f"from {_RELATIVE_BASES} import"
    )


def _without_unused_imports(source: str) -> str:
    """Drop the names of one-line `from X import a, b` statements that the module never uses
    (datamodel-code-generator imports `Field`, `ConfigDict` and `Enum` whether or not they are)."""
    imports = list(_ONE_LINE_IMPORT.finditer(source))
    rest = _ONE_LINE_IMPORT.sub("", source)
    words = set(re.findall(r"\b\w+\b", rest))
    for m in reversed(imports):
        names = [n.strip() for n in m.group(2).split(",")]
        kept = [n for n in names if n in words or " as " in n or m.group(1) == "__future__"]
        line = f"from {m.group(1)} import {', '.join(kept)}\n" if kept else ""
        source = source[: m.start()] + line + source[m.end() :]
    return source
