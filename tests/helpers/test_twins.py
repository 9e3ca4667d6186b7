"""Sync and async in step: every public class of `_core`, `lib` and the resources that has an
async twin (`X` / `AsyncX`, `SyncX` / `AsyncX`) has the same public methods, with the same
parameters (names, kinds, defaults, annotations) and matching return types, up to awaitables and
async iterators. A method added to one twin only, or a default changed on one side, fails here."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator
from typing import Any

import pytest

import gemini_client
from gemini_client import _core, lib, resources

_ASYNC_WORDS = [
    (r"\bAwaitable\[(.*)\]$", r"\1"),
    (r"\bCoroutine\[Any, Any, (.*)\]$", r"\1"),
    (r"(?<![A-Za-z])Async(?=[A-Z])", ""),
    (r"(?<![A-Za-z])Sync(?=[A-Z])", ""),
    (r"\basync_(?=\w)", ""),
    (r"\baclose\b", "close"),
    (r"\bhandle_async_request\b", "handle_request"),  # httpx's transport pair
]


def _plain(text: str) -> str:
    """An annotation with its async words made sync (`AsyncStream[X]` -> `Stream[X]`...)."""
    for pattern, repl in _ASYNC_WORDS:
        text = re.sub(pattern, repl, text)
    return text


def _modules() -> Iterator[Any]:
    for package in (_core, lib, resources):
        yield package
        for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            yield importlib.import_module(info.name)


def _twins() -> list[tuple[type, type]]:
    found: dict[str, tuple[type, type]] = {}
    for module in _modules():
        for name, cls in vars(module).items():
            if not (inspect.isclass(cls) and name.startswith("Async")):
                continue
            if not cls.__module__.startswith(gemini_client.__name__):
                continue
            base = name[len("Async") :]
            sync = getattr(module, base, None) or getattr(module, "Sync" + base, None)
            if inspect.isclass(sync):
                found[f"{cls.__module__}.{name}"] = (sync, cls)
    return [found[k] for k in sorted(found)]


def _ours(attr: Any) -> bool:
    """A function the client defines (not one inherited from httpx's base transports)."""
    return inspect.isfunction(attr) and attr.__module__.startswith(gemini_client.__name__)


def _methods(cls: type) -> dict[str, Any]:
    out = {}
    for name in dir(cls):
        if name.startswith("_") and name not in ("__enter__", "__exit__", "__iter__", "__next__"):
            continue
        attr = inspect.getattr_static(cls, name)
        if isinstance(attr, (staticmethod, classmethod)):
            attr = attr.__func__
        if _ours(attr):
            out[_plain(name)] = attr
    for sync, asyn in (("__enter__", "__aenter__"), ("__exit__", "__aexit__")):
        attr = inspect.getattr_static(cls, asyn, None)
        if _ours(attr):
            out[sync] = attr
    for sync, asyn in (("__iter__", "__aiter__"), ("__next__", "__anext__")):
        attr = inspect.getattr_static(cls, asyn, None)
        if _ours(attr):
            out[sync] = attr
    return out


def _shape(fn: Any) -> tuple[Any, ...]:
    sig = inspect.signature(fn)
    params = tuple(
        (p.name, p.kind, repr(p.default), _plain(str(p.annotation)))
        for p in sig.parameters.values()
    )
    returns = _plain(str(sig.return_annotation))
    returns = re.sub(
        r"^(Iterator|Generator)\[(\w[\w.\[\], |]*?)(, None, None|, None)?\]$",
        r"Iterator[\2]",
        returns,
    )
    return params, returns


TWINS = _twins()


def test_the_walk_finds_the_twins() -> None:
    names = {a.__name__ for _, a in TWINS}
    for expected in (
        "AsyncClient",
        "AsyncModels",
        "AsyncChat",
        "AsyncChats",
        "AsyncStream",
        "AsyncFiles",
        "AsyncCaches",
        "AsyncBatches",
        "AsyncLive",
    ):
        assert expected in names
    assert len(TWINS) > 40


@pytest.mark.parametrize(
    ("sync", "asyn"), TWINS, ids=[f"{a.__module__}.{a.__name__}" for _, a in TWINS]
)
def test_twins_have_the_same_methods(sync: type, asyn: type) -> None:
    mine, theirs = _methods(sync), _methods(asyn)
    assert sorted(mine) == sorted(theirs), f"{sync.__name__} / {asyn.__name__}"
    for name in mine:
        assert _shape(mine[name]) == _shape(theirs[name]), f"{sync.__name__}.{name}"
