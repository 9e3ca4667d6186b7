"""Derive, don't copy: a hand-written method that wraps a generated one accepts every parameter
of it, typed the same (an explicit parameter with the same annotation, or the generated
`<Method>Options` TypedDict through `**options: Unpack[...]`); and no `# type: ignore[override]`
is left in lib/. A field added to the spec that a wrapper does not pass on fails here."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest

from gemini_client import lib, resources
from gemini_client.lib import _batches, _caches, _chats, _files, _models
from gemini_client.resources import models as generated_models

LIB = Path(lib.__file__).parent


def _generated_base(cls: type) -> type | None:
    return next((b for b in cls.__mro__[1:] if b.__module__.startswith(resources.__name__)), None)


def _accepted(fn: Any) -> dict[str, str | None]:
    """The keywords `fn` accepts, with their annotation (None: through an Options TypedDict,
    which the generator derives from the same spec)."""
    out: dict[str, str | None] = {}
    for p in inspect.signature(fn).parameters.values():
        if p.kind is p.VAR_KEYWORD:
            out.update(dict.fromkeys(getattr(fn, "__options__", ())))
        elif p.name != "self":
            out[p.name] = str(p.annotation)
    return out


def _pairs() -> list[tuple[str, Any, Any]]:
    pairs = []
    for module in (_models, _caches, _files, _batches):
        for name, cls in vars(module).items():
            base = _generated_base(cls) if inspect.isclass(cls) else None
            if base is None or cls.__module__ != module.__name__:
                continue
            for attr, value in vars(cls).items():
                wrapped = inspect.getattr_static(base, attr, None)
                if inspect.isfunction(value) and inspect.isfunction(wrapped):
                    pairs.append((f"{name}.{attr}", inspect.unwrap(value), wrapped))
    return pairs


PAIRS = _pairs()


def test_the_overrides_are_found() -> None:
    names = {n for n, _, _ in PAIRS}
    assert {"Models.generate_content", "AsyncModels.count_tokens", "Batches.list"} <= names


@pytest.mark.parametrize(("name", "mine", "generated"), PAIRS, ids=[p[0] for p in PAIRS])
def test_an_override_takes_every_generated_parameter(name: str, mine: Any, generated: Any) -> None:
    accepted = _accepted(mine)
    for param, annotation in _accepted(generated).items():
        assert param in accepted, f"{name} lacks {param!r} of the generated method"
        mine_annotation = accepted[param]
        if mine_annotation is not None and mine_annotation != "Any":  # same, or wider
            assert annotation in mine_annotation, f"{name}({param}) is typed differently"


def test_chats_take_every_generate_content_option() -> None:
    options = generated_models.GenerateContentOptions
    keys = options.__required_keys__ | options.__optional_keys__
    generated = set(inspect.signature(generated_models.Models.generate_content).parameters)
    assert generated - {"self", "model", "contents"} == keys  # the TypedDict is the method's
    accepted = _accepted(inspect.unwrap(_chats.Chats.create))
    assert keys <= accepted.keys()
    assert {"service_tier", "store"} <= keys  # the fields chats used to lack


def test_no_override_is_silenced_in_lib() -> None:
    for path in LIB.glob("*.py"):
        assert "type: ignore[override]" not in path.read_text(encoding="utf-8"), path.name


def test_patch_sends_only_what_changes() -> None:
    """A PATCH's body fields are all optional (a display-name change needs no tuning_task)."""
    from gemini_client.resources import tuned_models

    params = inspect.signature(tuned_models.TunedModels.patch).parameters
    assert params["tuning_task"].default is not inspect.Parameter.empty
    assert params["display_name"].default is not inspect.Parameter.empty
