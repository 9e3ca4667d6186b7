"""Pagers follow nextPageToken lazily; sync and async."""

from __future__ import annotations

import pytest

from gemini_client._core import AsyncPager, NotFoundError, SyncPager
from support.server import LoopbackServer, Reply, error_body

from .fakeapi import LIST, AsyncClient, Client, ListModelsResponse, Model


def script(server: LoopbackServer) -> None:
    server.add(
        LIST,
        Reply(json={"models": [{"name": "models/a"}, {"name": "models/b"}], "nextPageToken": "p2"}),
        Reply(json={"models": [{"name": "models/c"}], "nextPageToken": "p3"}),
        Reply(json={"models": [{"name": "models/d"}]}),
    )


def tokens(server: LoopbackServer) -> list[list[str] | None]:
    return [r.query.get("pageToken") for r in server.requests]


def test_iterates_items_across_pages(client: Client, server: LoopbackServer) -> None:
    script(server)
    pager = client.models.list(page_size=2, extra_query={"filter": "x"})
    assert isinstance(pager, SyncPager) and server.requests == []  # lazy
    models = list(pager)
    assert all(isinstance(m, Model) for m in models)
    assert [m.name for m in models] == ["models/a", "models/b", "models/c", "models/d"]
    assert tokens(server) == [None, ["p2"], ["p3"]]
    assert all(r.query["pageSize"] == ["2"] and r.query["filter"] == ["x"] for r in server.requests)


def test_pages_and_first_page(client: Client, server: LoopbackServer) -> None:
    script(server)
    pages = list(client.models.list().pages())
    assert [type(p) for p in pages] == [ListModelsResponse] * 3
    assert [p.next_page_token for p in pages] == ["p2", "p3", None]
    server.reset()
    script(server)
    first = client.models.list().first_page()
    assert [m.name for m in first.models or []] == ["models/a", "models/b"]
    assert len(server.requests) == 1


def test_empty_page_and_error(client: Client, server: LoopbackServer) -> None:
    server.add(LIST, Reply(json={}), Reply(404, error_body(404, "NOT_FOUND")))
    assert list(client.models.list()) == []
    with pytest.raises(NotFoundError):
        list(client.models.list())


@pytest.mark.asyncio
async def test_async_pager(aclient: AsyncClient, server: LoopbackServer) -> None:
    script(server)
    pager = aclient.models.list(page_size=2)
    assert isinstance(pager, AsyncPager) and server.requests == []
    assert [m.name async for m in pager] == ["models/a", "models/b", "models/c", "models/d"]
    assert tokens(server) == [None, ["p2"], ["p3"]]
    server.reset()
    script(server)
    assert [p.next_page_token async for p in aclient.models.list().pages()] == ["p2", "p3", None]
    server.reset()
    script(server)
    first = await aclient.models.list().first_page()
    assert [m.name for m in first.models or []] == ["models/a", "models/b"] and len(
        server.requests
    ) == 1
