"""A guess of the types module, made without datamodel-code-generator, for a build after a change
to templates/datamodel/ alone.

While datamodel-code-generator makes the module (`made_and_recorded`, in the process that makes
it), what it passes to each template of the job's template directory is recorded: the variables
and attributes the templates refer to, as data. With its output, cut where each of those
templates' texts was put, that record goes to the format cache, keyed by everything the module is
made from but the templates. `guessed` renders the recorded data with the templates as they are
now and puts the texts back in place: after a change to a template, the module
datamodel-code-generator will make, while it makes it.

Only a guess: `codegen.format` formats its blocks while the module is being made, and takes from
that work only black's output for a block the module holds, text for text. A wrong, missing or
damaged record costs that work, never a wrong output."""

from __future__ import annotations

import json
import types
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta, nodes

from .. import format_cache
from ..manifest import formatter, sha
from .types_module import ModelsJob, finished, generated, schema_inputs

_SALT_TAG = "types-module-record-v1"
_DEPTH = 4  # how deep a recorded value is followed (a field's extras are 2 levels down)
_ATTRS, _TEXT = "\0attributes", "\0text"  # an object's keys (no template name has a NUL)
Render = tuple[str, dict[str, object], str]  # template (relative), variables, text


def _records() -> format_cache.FormatCache | None:
    return format_cache.from_env(f"{formatter()};{_SALT_TAG}")


def _record_key(job: ModelsJob) -> str:
    return sha(schema_inputs(job))


def made_and_recorded(job: ModelsJob) -> str:
    """`render_types_module(job)`, and its record kept in the format cache (when there is one)."""
    cache = _records()
    if cache is None:
        return finished(job, generated(job))
    with _recording(job.template_dir) as renders:
        source = generated(job)
    record = _record(source, renders)
    if record is not None:
        cache.put(_record_key(job), record)
    return finished(job, source)


def guessed(job: ModelsJob) -> str | None:
    """The types module `job` makes, as its record says it will (None when there is none)."""
    cache = _records()
    record = cache.get(_record_key(job)) if cache is not None else None
    if record is None:
        return None
    try:
        parts, slots = json.loads(record)
        env = _environment(job.template_dir)
        texts = [parts[0]]
        for (name, variables), part in zip(slots, parts[1:], strict=True):
            texts.append(env.get_template(name).render(**_restored(variables)))
            texts.append(part)
        return finished(job, "".join(texts))
    except Exception:  # a record of another layout, or a template that no longer renders so
        return None


def _environment(template_dir: Path) -> jinja2.Environment:
    """As datamodel-code-generator loads a custom template (its own filters left out: a template
    that uses one is not guessed)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir)),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
    )


def _referred(template: jinja2.Template, env: jinja2.Environment) -> tuple[set[str], set[str]]:
    """The variables a template's source refers to, and the attribute and key names it reads."""
    if template.filename is None:
        return set(), set()
    tree = env.parse(Path(template.filename).read_text(encoding="utf-8"))
    names = {n.attr for n in tree.find_all(nodes.Getattr)}
    names |= {
        n.arg.value
        for n in tree.find_all(nodes.Getitem)
        if isinstance(n.arg, nodes.Const) and isinstance(n.arg.value, str)
    }
    return meta.find_undeclared_variables(tree), names


@contextmanager
def _recording(template_dir: Path) -> Iterator[list[Render]]:
    """Within the block, each render of a template under `template_dir` recorded (in this process:
    the one that makes the types module)."""
    root = template_dir.resolve()
    render = jinja2.Template.render
    renders: list[Render] = []
    referred: dict[str, tuple[set[str], set[str]]] = {}

    def recorded(self: jinja2.Template, *args: Any, **kwargs: Any) -> str:
        text = render(self, *args, **kwargs)
        path = Path(self.filename or "").resolve()
        if not args and root in path.parents:
            name = path.relative_to(root).as_posix()
            if name not in referred:
                referred[name] = _referred(self, self.environment)
            variables, attributes = referred[name]
            data = {k: _data(v, attributes, 0) for k, v in kwargs.items() if k in variables}
            renders.append((name, data, text))
        return text

    jinja2.Template.render = recorded  # type: ignore[method-assign]
    try:
        yield renders
    finally:
        jinja2.Template.render = render  # type: ignore[method-assign]


def _data(value: object, attributes: set[str], depth: int) -> object:
    """`value` as JSON data: an object as its attributes in `attributes` and its text."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if depth >= _DEPTH:
        return None
    if isinstance(value, (list, tuple)):
        return [_data(v, attributes, depth + 1) for v in value]
    if isinstance(value, Mapping):
        return {k: _data(v, attributes, depth + 1) for k, v in value.items() if isinstance(k, str)}
    fields: dict[str, object] = {}
    for name in attributes:
        try:
            attr = getattr(value, name)
        except Exception:
            continue
        if not callable(attr):
            fields[name] = _data(attr, attributes, depth + 1)
    return {_ATTRS: fields, _TEXT: str(value) if depth > 1 else None}


class _Recorded(types.SimpleNamespace):
    """A recorded object: its attributes, and its text (`| string`)."""

    def __str__(self) -> str:
        text = self.__dict__.get("_text")
        return text if isinstance(text, str) else ""


def _restored(value: Any) -> Any:
    if isinstance(value, list):
        return [_restored(v) for v in value]
    if isinstance(value, dict):
        if set(value) == {_ATTRS, _TEXT} and isinstance(value[_ATTRS], dict):
            obj = _Recorded(**{k: _restored(v) for k, v in value[_ATTRS].items()})
            obj.__dict__["_text"] = value[_TEXT]
            return obj
        return {k: _restored(v) for k, v in value.items()}
    return value


def _record(source: str, renders: list[Render]) -> str | None:
    """`source` cut where each recorded text stands (once, not overlapping another), as JSON."""
    placed: dict[int, Render] = {}
    for render in renders:
        at = source.find(render[2])
        if render[2] and at >= 0 and source.find(render[2], at + 1) < 0:
            placed.setdefault(at, render)
    parts, slots, end = [], [], 0
    for at in sorted(placed):
        name, variables, text = placed[at]
        if at < end:
            continue
        parts.append(source[end:at])
        slots.append((name, variables))
        end = at + len(text)
    parts.append(source[end:])
    try:
        return json.dumps([parts, slots])
    except (TypeError, ValueError):
        return None
