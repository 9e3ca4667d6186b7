"""Every public method of every resource, generated or hand-written, sync and async, names the
nearest right keyword of a misspelt one; a misspelt attribute names the nearest attribute.

The resources are found by walking the clients (no list to keep up to date): a resource the spec
gains is covered the day it is generated. A wrong keyword fails before any request is sent, so no
server is needed; the client points at a closed port to prove nothing was.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import pytest

from gemini_client import AsyncClient, Client
from gemini_client._core import AsyncAPIResource, SyncAPIResource

DEAD = "http://127.0.0.1:9"  # nothing listens: a request sent would fail differently


def _resources(owner: Any, path: str) -> Iterator[tuple[str, Any]]:
    for name in sorted(dir(type(owner))):
        if name.startswith("_") or name in ("with_raw_response", "aio"):
            continue
        static = inspect.getattr_static(type(owner), name)
        if inspect.isfunction(static) or not hasattr(static, "__get__"):
            continue
        value = getattr(owner, name)
        if isinstance(value, SyncAPIResource | AsyncAPIResource) or name == "chats":
            yield f"{path}.{name}", value
            yield from _resources(value, f"{path}.{name}")


def _methods(resource: Any) -> Iterator[tuple[str, Any, str]]:
    """(name, bound method, a keyword it takes) for each public method with a named keyword."""
    for name in sorted(dir(type(resource))):
        if name.startswith("_") or not inspect.isfunction(
            inspect.getattr_static(type(resource), name)
        ):
            continue
        method = getattr(resource, name)
        params = [
            p.name
            for p in inspect.signature(method).parameters.values()
            if p.kind is p.KEYWORD_ONLY and len(p.name) > 3
        ]
        if params:
            yield name, method, params[0]


def _misspelt(keyword: str) -> str:
    """The keyword with two letters swapped in its middle (a typo difflib still matches)."""
    i = len(keyword) // 2
    return keyword[: i - 1] + keyword[i] + keyword[i - 1] + keyword[i + 1 :]


def _every_method(client: Any) -> list[tuple[str, Any, str]]:
    return [
        (f"{path}.{name}", method, keyword)
        for path, resource in _resources(client, "client")
        for name, method, keyword in _methods(resource)
    ]


def test_the_walk_finds_generated_and_hand_written_resources() -> None:
    with Client(api_key="k", base_url=DEAD) as client:
        paths = {p.rsplit(".", 1)[0] for p, _, _ in _every_method(client)}
    # generated only, nested, and helper-extended resources
    for path in (
        "client.tuned_models",
        "client.tuned_models.permissions",
        "client.corpora",
        "client.models",
        "client.files",
        "client.batches",
        "client.caches",
        "client.interactions",
    ):
        assert path in paths, sorted(paths)
    assert len(paths) >= 15


def test_every_sync_method_names_the_keyword_meant() -> None:
    with Client(api_key="k", base_url=DEAD) as client:
        methods = _every_method(client)
        assert len(methods) >= 60
        for where, method, keyword in methods:
            wrong = _misspelt(keyword)
            with pytest.raises(TypeError) as info:
                method(**{wrong: "x"})
            message = str(info.value)
            assert f"keyword argument {wrong!r}" in message, (where, message)
            assert f"did you mean {keyword!r}?" in message, (where, message)


@pytest.mark.asyncio
async def test_every_async_method_names_the_keyword_meant() -> None:
    async with AsyncClient(api_key="k", base_url=DEAD) as client:
        methods = _every_method(client)
        assert len(methods) >= 60
        for where, method, keyword in methods:
            wrong = _misspelt(keyword)
            with pytest.raises(TypeError) as info:
                result = method(**{wrong: "x"})
                if inspect.isawaitable(result):
                    await result
            message = str(info.value)
            assert f"did you mean {keyword!r}?" in message, (where, message)


def test_a_keyword_far_from_any_gets_no_guess_and_a_right_call_is_untouched() -> None:
    with Client(api_key="k", base_url=DEAD) as client:
        with pytest.raises(TypeError, match=r"unexpected keyword argument 'zzzzzz'$"):
            client.tuned_models.get(zzzzzz=1)
        # a TypeError raised inside a right call is not rewritten
        with pytest.raises(TypeError) as info:
            client.tuned_models.permissions.create(parent="tunedModels/t", permission=object())  # type: ignore[arg-type]
        assert "did you mean" not in str(info.value)


def test_a_misspelt_attribute_names_the_nearest() -> None:
    with Client(api_key="k", base_url=DEAD) as client:
        with pytest.raises(
            AttributeError,
            match=r"'TunedModels' object has no attribute 'lst'; did you mean 'list'\?",
        ):
            client.tuned_models.lst  # noqa: B018
        with pytest.raises(AttributeError, match="did you mean 'permissions'"):
            client.corpora.permisions  # noqa: B018
        assert not hasattr(client.corpora, "__wrapped_nothing__")


@pytest.mark.asyncio
async def test_a_misspelt_client_attribute_names_the_nearest() -> None:
    with Client(api_key="k", base_url=DEAD) as client:
        with pytest.raises(AttributeError, match="did you mean 'tuned_models'"):
            client.tuned_modls  # noqa: B018
        assert not hasattr(client, "_no_such_private")
    async with AsyncClient(api_key="k", base_url=DEAD) as aclient:
        with pytest.raises(AttributeError, match="'AsyncClient' object has no attribute 'modles'"):
            aclient.modles  # noqa: B018
