"""A guess of the types module, made without datamodel-code-generator, for a build after a change
to templates/datamodel/ alone.

While datamodel-code-generator makes the module (`made_and_recorded`, in the process that makes
it), what it passes to each template of the job's template directory is recorded as data: the
variables, and of each object what the template read of it. With its output, cut where each of
those templates' texts was put, that record goes to the format cache, keyed by everything the
module is made from but the templates. `guessed` renders the recorded data with the templates as
they are now and puts the texts back in place: after a change to a template, the module
datamodel-code-generator will make, while it makes it.

Only a guess: `codegen.format` formats its blocks while the module is being made, and takes from
that work only black's output for a block the module holds, text for text. A wrong, missing or
damaged record costs that work, never a wrong output."""

from __future__ import annotations

import json
import types
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jinja2

from .. import format_cache
from ..manifest import sha
from ..sources import after_sent
from .compiled import CompiledTemplates
from .types_module import ModelsJob, finished, generated, schema_inputs

_SALT_TAG = "types-module-record-v1"
_DEPTH = 4  # how deep a recorded value is followed (a field's extras are 2 levels down)
_ATTRS, _TEXT = "\0attributes", "\0text"  # an object's keys (no template name has a NUL)
Render = tuple[str, dict[str, object], str]  # template (relative), variables, text
Rendered = tuple[str, Callable[[], dict[str, object]], str]  # the variables as data, when asked


def _records() -> format_cache.FormatCache | None:
    return format_cache.from_env(_SALT_TAG)  # the key names datamodel-code-generator's version


def _record_key(job: ModelsJob) -> str:
    return sha(schema_inputs(job))


def made_and_recorded(job: ModelsJob) -> str:
    """`render_types_module(job)`, and its record kept in the format cache (when there is one)."""
    cache = _records()
    if cache is None:
        return finished(job, generated(job))
    with _recording(job.template_dir) as renders:
        source = generated(job)

    def keep() -> None:
        record = _record(source, [(name, data(), text) for name, data, text in renders])
        if record is not None:
            cache.put(_record_key(job), record)

    after_sent(keep)  # in the process that makes the module: once the module was sent
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
        bytecode_cache=_COMPILED,
    )


_COMPILED = CompiledTemplates(persistent=True)


@contextmanager
def _recording(template_dir: Path) -> Iterator[list[Rendered]]:
    """Within the block, each render of a template under `template_dir` recorded: its variables,
    each object among them as the attributes and keys the template read of it
    (through its environment's `getattr` and `getitem`, which the compiled template calls), as
    it read them. In this process only (the one that makes the types module)."""
    root = template_dir.resolve()
    render = jinja2.Template.render
    renders: list[Rendered] = []
    names: dict[str | None, str | None] = {}  # by file: the name under `template_dir`

    def recorded(self: jinja2.Template, *args: Any, **kwargs: Any) -> str:
        if self.filename not in names:
            path = Path(self.filename or "").resolve()
            names[self.filename] = (
                path.relative_to(root).as_posix() if root in path.parents else None
            )
        name = names[self.filename]
        if args or name is None:
            return render(self, *args, **kwargs)
        env, reads = self.environment, _Reads()
        read_attribute, read_item = reads.getattr(env.getattr), reads.getattr(env.getitem)
        env.getattr, env.getitem = read_attribute, read_item  # type: ignore[method-assign,assignment]
        try:
            text = render(self, *args, **kwargs)
        finally:
            del env.getattr, env.getitem
        given = {k: list(v) if isinstance(v, list) else v for k, v in kwargs.items()}
        renders.append((name, lambda: {k: reads.data(v, 0) for k, v in given.items()}, text))
        return text

    jinja2.Template.render = recorded  # type: ignore[method-assign]
    try:
        yield renders
    finally:
        jinja2.Template.render = render  # type: ignore[method-assign]


class _Reads:
    """What one render read of each object (by its id: the objects are kept alive meanwhile)."""

    def __init__(self) -> None:
        self.read: dict[int, tuple[object, dict[str, object]]] = {}

    def getattr(self, read: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
        def reading(obj: Any, attribute: Any) -> Any:
            value = read(obj, attribute)
            if isinstance(attribute, str) and not isinstance(value, jinja2.Undefined):
                kept = dict(value) if isinstance(value, dict) else value  # as it is now
                self.read.setdefault(id(obj), (obj, {}))[1][attribute] = kept
            return value

        return reading

    def data(self, value: object, depth: int) -> object:
        """`value` as JSON data: an object as what was read of it, and its text when it was read
        itself (`| string` may have used it)."""
        if value is None or isinstance(value, (str, int, float, bool)):
            return value
        if depth >= _DEPTH:
            return None
        if isinstance(value, (list, tuple)):
            return [self.data(v, depth + 1) for v in value]
        if isinstance(value, Mapping):
            return {k: self.data(v, depth + 1) for k, v in value.items() if isinstance(k, str)}
        read = self.read.get(id(value), (None, {}))[1]
        return {
            _ATTRS: {k: self.data(v, depth + 1) for k, v in read.items() if not callable(v)},
            _TEXT: str(value) if depth > 1 else None,
        }


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
