"""``models.list`` across pages, ``models.get``, ``count_tokens``, ``embed_content`` and
``batch_embed_contents`` through the generated client."""

from __future__ import annotations

from typing import Any

import pytest

import gemini_client
from gemini_client import AsyncClient, Client, types
from support.server import LoopbackServer, Reply

from .bodies import (
    BATCH_EMBED,
    BATCH_EMBEDDINGS,
    COUNT,
    COUNT_TOKENS,
    EMBED,
    EMBED_MODEL,
    EMBEDDING,
    GEMINI_25_FLASH,
    KEY,
    LIST,
    MODEL,
    model,
)

NAMES = [
    ["gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite"],
    ["gemini-2.0-flash", "gemini-2.0-flash-lite", "gemini-embedding-001"],
    ["imagen-4.0-generate-001", "veo-3.0-generate-001"],
]
ALL = [f"models/{n}" for page in NAMES for n in page]


def script_pages(server: LoopbackServer) -> None:
    server.add(
        LIST,
        Reply(json={"models": [model(n) for n in NAMES[0]], "nextPageToken": "Cg5nZW1pbmktMi41"}),
        Reply(json={"models": [model(n) for n in NAMES[1]], "nextPageToken": "Cg5nZW1pbmktMi4w"}),
        Reply(json={"models": [model(n) for n in NAMES[2]]}),
    )


def check_page_requests(server: LoopbackServer, page_size: str | None = None) -> None:
    assert [r.path for r in server.requests] == [LIST] * 3
    assert all(r.method == "GET" and r.headers["x-goog-api-key"] == KEY for r in server.requests)
    tokens = [r.query.get("pageToken") for r in server.requests]
    assert tokens == [None, ["Cg5nZW1pbmktMi41"], ["Cg5nZW1pbmktMi4w"]]
    if page_size is not None:
        assert all(r.query["pageSize"] == [page_size] for r in server.requests)


def test_list_iterates_every_model_across_three_pages(
    client: Client, server: LoopbackServer
) -> None:
    script_pages(server)
    pager = client.models.list(page_size=3)
    assert isinstance(pager, gemini_client.SyncPager)
    assert server.requests == []  # lazy: nothing sent before iterating
    models = list(pager)
    assert [m.name for m in models] == ALL
    assert all(type(m) is types.Model for m in models)
    assert models[0].input_token_limit == 1048576
    assert models[0].supported_generation_methods and "generateContent" in (
        models[0].supported_generation_methods
    )
    check_page_requests(server, page_size="3")


def test_list_pages(client: Client, server: LoopbackServer) -> None:
    script_pages(server)
    pages = list(client.models.list().pages())
    assert all(type(p) is types.ListModelsResponse for p in pages)
    assert [[m.name for m in p.models or []] for p in pages] == [
        [f"models/{n}" for n in page] for page in NAMES
    ]
    assert [p.next_page_token for p in pages] == ["Cg5nZW1pbmktMi41", "Cg5nZW1pbmktMi4w", None]
    check_page_requests(server)
    assert "pageSize" not in server.requests[0].query  # NOT_GIVEN is not sent


def test_first_page_sends_one_request(client: Client, server: LoopbackServer) -> None:
    script_pages(server)
    page = client.models.list(page_size=3).first_page()
    assert page.next_page_token == "Cg5nZW1pbmktMi41" and len(page.models or []) == 3
    assert len(server.requests) == 1


def test_list_starting_from_a_page_token(client: Client, server: LoopbackServer) -> None:
    server.add(LIST, Reply(json={"models": [model(n) for n in NAMES[2]]}))
    names = [m.name for m in client.models.list(page_token="Cg5nZW1pbmktMi4w")]
    assert names == [f"models/{n}" for n in NAMES[2]]
    assert server.requests[0].query == {"pageToken": ["Cg5nZW1pbmktMi4w"]}


@pytest.mark.parametrize("name", [MODEL, f"models/{MODEL}"])
def test_get(client: Client, server: LoopbackServer, name: str) -> None:
    server.add(f"/v1beta/models/{MODEL}", Reply(json=GEMINI_25_FLASH))
    got = client.models.get(name=name)
    assert type(got) is types.Model
    assert got.name == "models/gemini-2.5-flash" and got.display_name == "Gemini 2.5 Flash"
    assert got.output_token_limit == 65536 and got.top_k == 64 and got.thinking is True
    (request,) = server.requests
    assert request.method == "GET" and request.path == f"/v1beta/models/{MODEL}"
    assert request.body == b""


def test_count_tokens(client: Client, server: LoopbackServer) -> None:
    server.add(COUNT, Reply(json=COUNT_TOKENS), Reply(json=COUNT_TOKENS))
    contents: list[Any] = [{"parts": [{"text": "The quick brown fox jumps over the lazy dog."}]}]
    counted = client.models.count_tokens(model=MODEL, contents=contents)
    assert type(counted) is types.CountTokensResponse
    assert counted.total_tokens == 31 and counted.cached_content_token_count is None
    assert counted.prompt_tokens_details and counted.prompt_tokens_details[0].token_count == 31
    assert server.requests[0].json() == {"contents": contents}
    client.models.count_tokens(
        model=MODEL,
        generate_content_request={"model": f"models/{MODEL}", "contents": contents},
    )
    assert server.requests[1].json() == {
        "generateContentRequest": {"model": f"models/{MODEL}", "contents": contents}
    }


def test_embed_content(client: Client, server: LoopbackServer) -> None:
    server.add(EMBED, Reply(json=EMBEDDING))
    resp = client.models.embed_content(
        model=EMBED_MODEL,
        content={"parts": [{"text": "What is the meaning of life?"}]},
        task_type=types.TaskType.RETRIEVAL_QUERY,
        output_dimensionality=6,
    )
    assert type(resp) is types.EmbedContentResponse
    assert resp.embedding and resp.embedding.values == EMBEDDING["embedding"]["values"]
    assert server.requests[0].json() == {
        "content": {"parts": [{"text": "What is the meaning of life?"}]},
        "taskType": "RETRIEVAL_QUERY",
        "outputDimensionality": 6,
    }


def test_batch_embed_contents(client: Client, server: LoopbackServer) -> None:
    server.add(BATCH_EMBED, Reply(json=BATCH_EMBEDDINGS))
    texts = ["What is the meaning of life?", "How much wood?", "How does the brain work?"]
    resp = client.models.batch_embed_contents(
        model=f"models/{EMBED_MODEL}",
        requests=[
            types.EmbedContentRequest(
                model=f"models/{EMBED_MODEL}", content=types.Content(parts=[types.Part(text=t)])
            )
            for t in texts
        ],
    )
    assert type(resp) is types.BatchEmbedContentsResponse
    assert [e.values for e in resp.embeddings or []] == [
        e["values"] for e in BATCH_EMBEDDINGS["embeddings"]
    ]
    assert server.requests[0].json() == {
        "requests": [
            {"model": f"models/{EMBED_MODEL}", "content": {"parts": [{"text": t}]}} for t in texts
        ]
    }


@pytest.mark.asyncio
async def test_async_list_iterates_every_model(
    aclient: AsyncClient, server: LoopbackServer
) -> None:
    script_pages(server)
    pager = aclient.models.list(page_size=3)
    assert isinstance(pager, gemini_client.AsyncPager)
    assert [m.name async for m in pager] == ALL
    check_page_requests(server, page_size="3")


@pytest.mark.asyncio
async def test_async_list_pages(aclient: AsyncClient, server: LoopbackServer) -> None:
    script_pages(server)
    pages = [p async for p in aclient.models.list().pages()]
    assert len(pages) == 3 and pages[-1].next_page_token is None
    check_page_requests(server)


@pytest.mark.asyncio
async def test_async_first_page_get_count_embed(
    aclient: AsyncClient, server: LoopbackServer
) -> None:
    script_pages(server)
    first = await aclient.models.list().first_page()
    assert len(first.models or []) == 3 and first.next_page_token == "Cg5nZW1pbmktMi41"
    assert len(server.requests) == 1

    server.add(f"/v1beta/models/{MODEL}", Reply(json=GEMINI_25_FLASH))
    assert (await aclient.models.get(name=MODEL)).display_name == "Gemini 2.5 Flash"
    server.add(COUNT, Reply(json=COUNT_TOKENS))
    counted = await aclient.models.count_tokens(model=MODEL, contents=[{"parts": [{"text": "x"}]}])
    assert counted.total_tokens == 31
    server.add(EMBED, Reply(json=EMBEDDING))
    embedded = await aclient.models.embed_content(
        model=EMBED_MODEL, content={"parts": [{"text": "x"}]}
    )
    assert embedded.embedding and len(embedded.embedding.values or []) == 6
