"""Specs and Discovery documents loaded once per test process, for tests that run the same
inputs through the CLI again and again (`tests/sync/`: the history replay above all).

One step of a replay loads the same spec directory six or seven times (sync twice, its scratch
copy, drift, the test's own checks) and reads, checks and normalises the same Discovery document
four times; consecutive steps share one document. `shared_loads(monkeypatch)` makes each of those
a lookup after the first, in the modules of `PATCHED`:

- `load_spec` by the exact bytes and shown names of the directory's spec files (so the locations
  and messages are those a real load gives); a spec the loader refuses is never kept, so the
  refusal is raised by the real loader every time;
- `parse_discovery` by the exact text, source name and expected API;
- `normalise` of a document `parse_discovery` returned here, by the document and its options;
- `codegen.spec.emit.dump` (a type, a resource... as YAML) by the exact data, types included:
  consecutive revisions share most of their types, so a bootstrap writes few of them anew.

Each is a pure function of what keys it, and what it returns is made of frozen dataclasses (or
text) nobody changes; a few recent results are kept (a replay asks again only for the last ones).
"""

from __future__ import annotations

import functools
import pickle
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from codegen.discovery import bootstrap, load
from codegen.discovery import normalise as normalise_module
from codegen.drift import command as drift_command
from codegen.naming import WIRE_NAME
from codegen.spec import emit, loader
from codegen.spec.errors import SpecError
from codegen.spec.files import spec_files
from codegen.sync import command as sync_command
from codegen.sync import settle

# The modules whose own binding of each function is replaced (they import it by name).
PATCHED: dict[str, tuple[Any, ...]] = {
    "load_spec": (loader, sync_command, settle, drift_command, bootstrap),
    "parse_discovery": (load,),
    "normalise": (normalise_module, drift_command, bootstrap),
    "dump": (emit,),
}
KEEP = 4  # results of each kind kept: a step, the step before it, and a spare
KEEP_DUMPS = 5000  # texts: about ten revisions' types, resources and methods

T = TypeVar("T")
_specs: OrderedDict[Hashable, Any] = OrderedDict()
_documents: OrderedDict[Hashable, Any] = OrderedDict()
_normalised: OrderedDict[Hashable, Any] = OrderedDict()
_dumped: OrderedDict[Hashable, str] = OrderedDict()

real_load_spec = loader.load_spec
real_parse_discovery = load.parse_discovery
real_normalise = normalise_module.normalise
real_dump = emit.dump


def _kept(
    cache: OrderedDict[Hashable, Any], key: Hashable, make: Callable[[], T], keep: int = KEEP
) -> T:
    if key in cache:
        cache.move_to_end(key)
        value: T = cache[key]
        return value
    value = make()
    cache[key] = value
    while len(cache) > keep:
        cache.popitem(last=False)
    return value


def load_spec(spec_dir: Path, *, shown_as: Path | None = None) -> Any:
    """`codegen.spec.loader.load_spec`, once per content of the directory's spec files."""
    try:
        files = spec_files(spec_dir, shown_as=shown_as)
        shown = spec_dir if shown_as is None else shown_as
        key = (
            loader.shown_path(shown),
            tuple((loader.shown_path(shown / p.name), p.read_bytes()) for p in files),
        )
    except (SpecError, OSError):
        return real_load_spec(spec_dir, shown_as=shown_as)  # refused: by the loader itself
    return _kept(_specs, key, lambda: real_load_spec(spec_dir, shown_as=shown_as))


def parse_discovery(text: str, **kwargs: str) -> Any:
    """`codegen.discovery.load.parse_discovery`, once per text and arguments."""
    key = (text, tuple(sorted(kwargs.items())))
    return _kept(_documents, key, lambda: real_parse_discovery(text, **kwargs))


def normalise(doc: dict[str, Any], *, keep_unspellable: bool = False) -> Any:
    """`codegen.discovery.normalise.normalise`, once per document kept by `parse_discovery` here
    (the key is the document's identity: only a document this module holds on to is looked up)
    and per `keep_unspellable` where it can matter (`_spelled_alike`): a history pair's bootstrap
    and the step before it normalise the same document with and without it."""
    if not any(d.doc is doc for d in _documents.values()):
        return real_normalise(doc, keep_unspellable=keep_unspellable)
    key = (id(doc), keep_unspellable and not _spelled_alike(doc))
    made = functools.partial(real_normalise, doc, keep_unspellable=keep_unspellable)
    return _kept(_normalised, key, lambda: (doc, made()))[1]


def _spelled_alike(doc: dict[str, Any]) -> bool:
    """Whether `keep_unspellable` cannot change what `normalise` makes of `doc`: it only decides
    whether a resource or method whose name is not a spec wire name (`WIRE_NAME`) is kept, and
    every name here is one (each key under `resources` and `methods`, at any depth)."""
    stack = [doc.get("resources")]
    while stack:
        resources = stack.pop()
        if not isinstance(resources, dict):
            continue
        for name, resource in resources.items():
            if not WIRE_NAME.match(name):
                return False
            if isinstance(resource, dict):
                methods = resource.get("methods")
                if isinstance(methods, dict) and not all(WIRE_NAME.match(m) for m in methods):
                    return False
                stack.append(resource.get("resources"))
    return True


def _exactly(data: Any) -> bytes:
    """`data` (dicts in order, lists, scalars) as a key that tells every type apart (`True` from
    `1`, a flow list from a list) and a container used twice from two equal ones (PyYAML writes
    an anchor for the first): its pickle, made in C (a tuple walk in Python cost more than
    many of the dumps it saved)."""
    return pickle.dumps(data, pickle.HIGHEST_PROTOCOL)


def dump(data: Any) -> str:
    """`codegen.spec.emit.dump`, once per exact data."""
    return _kept(_dumped, _exactly(data), lambda: real_dump(data), KEEP_DUMPS)


def shared_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Route the `PATCHED` modules' loads through the caches above, for one test."""
    mine = {
        "load_spec": load_spec,
        "parse_discovery": parse_discovery,
        "normalise": normalise,
        "dump": dump,
    }
    for name, modules in PATCHED.items():
        for module in modules:
            monkeypatch.setattr(module, name, mine[name])
