"""google-genai's spellings, kept in ONE table, and `config=` mapped onto a method's arguments.

A google-genai program calls `client.models.generate_content_stream(...)`, `client.aio`,
`models.get(model=...)`, `files.upload(file=..., config={...})`, `batches.create(src=...)`,
`chat.get_history()`. `ALIASES` maps each such spelling to this client's; `spelled` installs the
method aliases on a class and wraps its methods so that an argument alias is renamed and
`config=` (a model or a dict) is spread onto the method's own keyword arguments. A name that is
neither this client's nor google-genai's raises a `TypeError` (an `AttributeError` for an
attribute) naming the closest right one.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from .._core import NotGiven
from .._core._keywords import named_attributes, nearest

__all__ = [
    "ALIASES",
    "ARGUMENT_ALIASES",
    "config_arguments",
    "nearest",
    "spelled",
    "takes",
    "with_config",
]

ALIASES: dict[str, dict[str, str]] = {
    # class name -> {google-genai attribute: this client's attribute}
    "Client": {"aio": "aio"},  # the AsyncClient twin with the same settings
    "Models": {"generate_content_stream": "stream_generate_content"},
    "AsyncModels": {"generate_content_stream": "stream_generate_content"},
    "Chat": {"get_history": "get_history", "send_message_stream": "send_message_stream"},
    "AsyncChat": {"get_history": "get_history", "send_message_stream": "send_message_stream"},
}
"""Method and attribute spellings of google-genai (the documented aliases). An entry mapping a
name to itself is a google-genai method this client defines under the same name (listed so that
the migration guide and its test cover it)."""

ARGUMENT_ALIASES: dict[str, dict[str, str]] = {
    # "Class.method" -> {google-genai argument (or config key): this client's argument}
    "get": {"model": "name"},
    "delete": {"model": "name"},
    "update": {"model": "name"},
    "upload": {"path": "file"},
}
"""Argument spellings of google-genai, per method name (any resource) or `Class.method`. A
hand-written method may take google-genai's spelling as a typed parameter instead (`config=` on
`files.upload`, `src=` and `config=` on `batches.create`, `name=` and `config=` on
`caches.update`), so that type checkers know it too; the generated methods' `config=` and these
aliases are declared to type checkers by the helper classes (`if TYPE_CHECKING:` signatures)."""

T = TypeVar("T", bound=type)


def _argument_aliases(owner: str, method: str) -> dict[str, str]:
    return {**ARGUMENT_ALIASES.get(method, {}), **ARGUMENT_ALIASES.get(f"{owner}.{method}", {})}


def _items(config: Any) -> dict[str, Any]:
    """A config's set fields by Python name (a model) or its keys (a mapping)."""
    if config is None or isinstance(config, NotGiven):
        return {}
    if isinstance(config, Mapping):
        return dict(config)
    fields_set = getattr(config, "model_fields_set", None)
    if fields_set is None:
        raise TypeError(f"config= takes a dict or a typed config, not {type(config).__name__}")
    out = {name: getattr(config, name) for name in fields_set}
    out.update(getattr(config, "model_extra", None) or {})
    return out


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


def config_arguments(
    where: str,
    config: Any,
    params: Mapping[str, Any],
    kwargs: dict[str, Any],
    *,
    aliases: Mapping[str, str] | None = None,
    nested: tuple[str, frozenset[str]] | None = None,
) -> dict[str, Any]:
    """`kwargs` with `config` spread onto them: a key naming one of `params` (Python or wire
    name, or a google-genai alias) becomes that argument; with `nested=(argument, names)` a key
    in `names` goes into that argument's dict (`generate_content`: the `GenerationConfig`
    fields into `generation_config`); `http_options` gives `timeout` (ms) and `extra_headers`.
    A key given twice, or that nothing takes, is a `TypeError` naming `where`."""
    out = dict(kwargs)
    inner: dict[str, Any] = {}
    for key, value in _items(config).items():
        name = _snake(key)
        name = (aliases or {}).get(name, name)
        if name == "http_options" and value is not None:
            _http_options(value, out)
            continue
        if nested is not None and name in nested[1]:
            inner[name] = value
            continue
        if name not in params or name in ("self", "config"):
            known = [*params, *(nested[1] if nested else ()), "http_options"]
            raise TypeError(f"{where}: config has no option {key!r}{nearest(name, known)}")
        if name in out:
            raise TypeError(f"{where}: {name!r} given both as an argument and in config")
        out[name] = value
    if inner and nested is not None:
        if nested[0] in out:
            raise TypeError(
                f"{where}: pass the {nested[0]} options in config= or {nested[0]}=, not both"
            )
        out[nested[0]] = inner
    return out


def _http_options(value: Any, out: dict[str, Any]) -> None:
    options = _items(value)
    unknown = options.keys() - {"timeout", "headers", "extra_body"}
    if unknown:
        name = sorted(unknown)[0]
        raise TypeError(
            f"http_options: {name!r} is not per call here (pass it to Client(...)); per call: "
            "timeout (ms), headers and extra_body"
        )
    if options.get("timeout") is not None:
        out["timeout"] = options["timeout"] / 1000
    if options.get("headers"):
        out["extra_headers"] = {**(out.get("extra_headers") or {}), **options["headers"]}
    if options.get("extra_body"):
        out["extra_body"] = {**(out.get("extra_body") or {}), **options["extra_body"]}


F = TypeVar("F", bound=Callable[..., Any])


def takes(*options: Any) -> Callable[[F], F]:
    """Mark a method whose `**options` are `Unpack[<TypedDict>]`: the keywords it accepts are its
    own plus the TypedDicts' keys (checked by `spelled`, which cannot read `Unpack` at run time)."""

    def mark(fn: F) -> F:
        keys: set[str] = set()
        for o in options:
            keys |= o.__required_keys__ | o.__optional_keys__
        fn.__options__ = frozenset(keys)  # type: ignore[attr-defined]
        return fn

    return mark


def _parameters(fn: Callable[..., Any]) -> dict[str, Any] | None:
    """The keywords `fn` accepts (None: any)."""
    params = dict(inspect.signature(fn).parameters)
    var = [n for n, p in params.items() if p.kind is p.VAR_KEYWORD]
    if not var:
        return params
    extra = getattr(fn, "__options__", None)
    if extra is None:
        return None
    del params[var[0]]
    return {**params, **dict.fromkeys(extra)}


def _wrap(owner: str, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """`fn` renaming google-genai's arguments, spreading `config=` when `fn` has no `config`
    of its own, and naming the closest argument of a wrong one."""
    params = _parameters(fn)
    if params is None:
        return fn  # takes any keyword: its own checks name them
    aliases = _argument_aliases(owner, name)
    where = f"{owner}.{name}()"
    takes_config = "config" in params

    def fix(kwargs: dict[str, Any]) -> dict[str, Any]:
        if kwargs.keys() <= params.keys():
            return kwargs
        out = {}
        for key, value in kwargs.items():
            key = aliases.get(key, key)
            if key not in params and key != "config":
                hint = nearest(key, [*params, *aliases])
                raise TypeError(f"{where} got an unexpected keyword argument {key!r}{hint}")
            out[key] = value
        if "config" in out and not takes_config:
            config = out.pop("config")
            out = config_arguments(where, config, params, out, aliases=aliases)
        return out

    if inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def async_wrapper(self: Any, /, *args: Any, **kwargs: Any) -> Any:
            return await fn(self, *args, **fix(kwargs))

        return async_wrapper

    @functools.wraps(fn)
    def wrapper(self: Any, /, *args: Any, **kwargs: Any) -> Any:
        return fn(self, *args, **fix(kwargs))

    return wrapper


def spelled(cls: T) -> T:
    """`cls` with google-genai's spellings (see the module docstring)."""
    owner = cls.__name__
    for name in dir(cls):
        if name.startswith("_"):
            continue
        attr = inspect.getattr_static(cls, name)
        if inspect.isfunction(attr):
            setattr(cls, name, _wrap(owner, name, attr))
    for theirs, ours in ALIASES.get(owner, {}).items():
        if theirs != ours:
            setattr(cls, theirs, getattr(cls, ours))

    return named_attributes(cls)


def with_config(
    where: str, config: Any, given: dict[str, Any], *, aliases: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """`given` (a hand-written method's own arguments, by name) with google-genai's `config=`
    spread onto them: a key naming none of them, or one also given, is a `TypeError` naming
    `where`; `http_options` gives `timeout` and `extra_headers`."""
    if config is None:
        return given
    explicit = {k: v for k, v in given.items() if v is not None and not isinstance(v, NotGiven)}
    return {**given, **config_arguments(where, config, given, explicit, aliases=aliases)}
