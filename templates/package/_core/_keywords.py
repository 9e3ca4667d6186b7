"""A misspelt keyword or attribute of a resource names the nearest right one.

Every generated resource class is decorated with `named_keywords` (the resource template), so
`client.tuned_models.get(nmae=...)` raises `TypeError: TunedModels.get() got an unexpected keyword
argument 'nmae'; did you mean 'name'?` and `client.tuned_models.lst` an `AttributeError` naming
`list`. The check costs nothing on a right call: it runs only once Python has refused the call.
"""

from __future__ import annotations

import difflib
import functools
import inspect
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from typing_extensions import deprecated

__all__ = ["named_attributes", "named_keywords", "nearest", "unknown_keyword"]

T = TypeVar("T", bound=type)


def nearest(name: str, candidates: Iterable[str]) -> str:
    """`; did you mean 'x'?` for the closest of `candidates`, or nothing."""
    close = difflib.get_close_matches(name, sorted(set(candidates)), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


@functools.cache
def _keywords(fn: Callable[..., Any]) -> frozenset[str] | None:
    """The keywords `fn` accepts; None when it takes any (`**kwargs`)."""
    params = inspect.signature(fn).parameters.values()
    if any(p.kind is p.VAR_KEYWORD for p in params):
        return None
    return frozenset(p.name for p in params if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD))


def unknown_keyword(where: str, fn: Callable[..., Any], kwargs: Iterable[str]) -> TypeError | None:
    """The error for the first of `kwargs` that `fn` does not take, naming the nearest it does."""
    known = _keywords(fn)
    if known is None:
        return None
    for key in kwargs:
        if key not in known:
            hint = nearest(key, (k for k in known if k != "self"))
            return TypeError(f"{where} got an unexpected keyword argument {key!r}{hint}")
    return None


def _hinting(owner: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    where = f"{owner}.{fn.__name__}()"

    if inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def async_wrapper(self: Any, /, *args: Any, **kwargs: Any) -> Any:
            try:
                call = fn(self, *args, **kwargs)
            except TypeError:
                error = unknown_keyword(where, fn, kwargs)
                if error is None:
                    raise
                raise error from None
            return await call

        return async_wrapper

    @functools.wraps(fn)
    def wrapper(self: Any, /, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(self, *args, **kwargs)
        except TypeError:
            error = unknown_keyword(where, fn, kwargs)
            if error is None:
                raise
            raise error from None

    return wrapper


def named_keywords(cls: T) -> T:
    """`cls` whose public methods name the nearest keyword of a wrong one, and whose missing
    attributes the nearest attribute."""
    owner = cls.__name__
    for name, attr in list(vars(cls).items()):
        if name.startswith("_") or not inspect.isfunction(attr):
            continue
        message = getattr(attr, "__deprecated__", None)
        inner = getattr(attr, "__wrapped__", None)
        if message is None or inner is None:
            setattr(cls, name, _hinting(owner, attr))
        else:  # under the warning, which keeps pointing at the caller's line
            setattr(cls, name, deprecated(message)(_hinting(owner, inner)))

    return named_attributes(cls)


def named_attributes(cls: T) -> T:
    """`cls` whose missing public attributes name the nearest one (a private name is looked up
    often and missed on purpose: it fails as usual, at no cost)."""
    owner = cls.__name__

    def __getattr__(self: Any, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        public = [n for n in dir(type(self)) if not n.startswith("_")]
        raise AttributeError(f"{owner!r} object has no attribute {name!r}{nearest(name, public)}")

    cls.__getattr__ = __getattr__  # type: ignore[attr-defined]
    return cls
