"""client.batches against a loopback server scripted like batch mode: create, poll until done,
results inline and from a responses file (streamed, parsed line by line), list, cancel, delete."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gemini_client import AsyncClient, Client, OperationError, types
from support.server import LoopbackServer, Reply

from .bodies import MODEL

BATCH_CREATE = f"/v1beta/models/{MODEL}:batchGenerateContent"
EMBED_CREATE = "/v1beta/models/gemini-embedding-001:asyncBatchEmbedContent"
BATCH = "/v1beta/batches/b1"
RESULTS_FILE = "/v1beta/files/batch-out:download"


def answer(text: str) -> dict[str, Any]:
    return {
        "candidates": [
            {"content": {"role": "model", "parts": [{"text": text}]}, "finishReason": "STOP"}
        ]
    }


def op(done: bool, state: str, output: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "batches/b1",
        "metadata": {
            "@type": "type.googleapis.com/google.ai.generativelanguage.v1beta.GenerateContentBatch",
            "model": f"models/{MODEL}",
            "displayName": "nightly",
            "state": state,
        },
        "done": done,
    }
    if output is not None:
        body["response"] = {
            "@type": "type.googleapis.com/google.ai.generativelanguage.v1beta.GenerateContentBatchOutput",
            **output,
        }
    return body


INLINE_OUTPUT = {
    "inlinedResponses": {
        "inlinedResponses": [
            {"metadata": {"key": "a"}, "response": answer("A")},
            {
                "metadata": {"key": "b"},
                "error": {"code": 3, "message": "bad request b", "status": "INVALID_ARGUMENT"},
            },
            {"metadata": {"key": "c"}, "response": answer("C")},
        ]
    }
}


def texts(results: list[tuple[str, Any]]) -> list[tuple[str, str]]:
    out = []
    for key, result in results:
        if isinstance(result, OperationError):
            assert result.message.startswith(f"operation batches/b1 (request {key}) failed: ")
            out.append((key, f"error {result.code}: {result.body['message']}"))  # type: ignore[index]
        else:
            assert isinstance(result, types.GenerateContentResponse)
            out.append((key, result.candidates[0].content.parts[0].text))  # type: ignore[index,union-attr]
    return out


def test_inline_batch_done_after_three_polls(
    server: LoopbackServer, client: Client, sleeps: list[float]
) -> None:
    server.add(BATCH_CREATE, Reply(json=op(False, "BATCH_STATE_PENDING")))
    server.add(
        BATCH,
        Reply(json=op(False, "BATCH_STATE_RUNNING")),
        Reply(json=op(False, "BATCH_STATE_RUNNING")),
        Reply(json=op(True, "BATCH_STATE_SUCCEEDED", INLINE_OUTPUT)),
    )
    batch = client.batches.create(
        model=MODEL,
        requests={
            "a": {"contents": [{"parts": [{"text": "A?"}]}]},
            "b": types.GenerateContentRequest(
                contents=[types.Content(parts=[types.Part(text="B?")])]
            ),
            "c": {"contents": [{"parts": [{"text": "C?"}]}]},
        },
        display_name="nightly",
    )
    sent = server.requests[0].json()["batch"]
    assert sent["model"] == f"models/{MODEL}" and sent["displayName"] == "nightly"
    assert [r["metadata"]["key"] for r in sent["inputConfig"]["requests"]["requests"]] == [
        "a",
        "b",
        "c",
    ]
    assert sent["inputConfig"]["requests"]["requests"][1]["request"] == {
        "contents": [{"parts": [{"text": "B?"}]}]
    }

    output = batch.wait(poll_interval=1.0)
    assert isinstance(output, types.GenerateContentBatchOutput)
    assert len(sleeps) == 3 and len(server.requests) == 4
    assert batch.metadata.state == types.GenerateContentBatchState.BATCH_STATE_SUCCEEDED
    assert texts(list(client.batches.results(batch))) == [
        ("a", "A"),
        ("b", "error 3: bad request b"),
        ("c", "C"),
    ]


def jsonl_pieces() -> list[bytes]:
    lines = [
        json.dumps({"key": "q1", "response": answer("first")}),
        json.dumps(
            {"key": "q2", "error": {"code": 8, "message": "quota", "status": "RESOURCE_EXHAUSTED"}}
        ),
        "",
        json.dumps({"key": "q3", "response": answer("third, with a\nnewline")}),
    ]
    text = ("\r\n".join(lines) + "\n").encode()
    return [text[i : i + 7] for i in range(0, len(text), 7)]  # lines split across chunks


def test_results_from_a_responses_file_by_name(server: LoopbackServer, client: Client) -> None:
    server.add(
        BATCH, Reply(json=op(True, "BATCH_STATE_SUCCEEDED", {"responsesFile": "files/batch-out"}))
    )
    server.add(RESULTS_FILE, Reply(chunks=jsonl_pieces(), content_type="application/jsonl"))
    results = list(client.batches.results("b1"))
    assert texts(results) == [
        ("q1", "first"),
        ("q2", "error 8: quota"),
        ("q3", "third, with a\nnewline"),
    ]
    assert server.requests[1].query == {"alt": ["media"]}


def test_file_input_batch(server: LoopbackServer, client: Client) -> None:
    server.add(BATCH_CREATE, Reply(json=op(False, "BATCH_STATE_PENDING")))
    client.batches.create(model=MODEL, file=types.File(name="files/in-1"))
    assert server.requests[0].json()["batch"]["inputConfig"] == {"fileName": "files/in-1"}
    with pytest.raises(ValueError, match="exactly one of requests="):
        client.batches.create(model=MODEL)


def test_failed_batch_raises_its_error(server: LoopbackServer, client: Client) -> None:
    failed = op(True, "BATCH_STATE_FAILED")
    failed["error"] = {"code": 13, "message": "internal"}
    server.add(BATCH, Reply(json=failed))
    with pytest.raises(OperationError, match="internal") as info:
        list(client.batches.results("batches/b1"))
    assert info.value.status == "INTERNAL"


def test_results_of_an_unfinished_batch(server: LoopbackServer, client: Client) -> None:
    from gemini_client import OperationNotDoneError

    server.add(BATCH, Reply(json=op(False, "BATCH_STATE_RUNNING")))
    with pytest.raises(OperationNotDoneError):
        list(client.batches.results("b1"))


def test_bad_jsonl_line_is_a_clear_error(server: LoopbackServer, client: Client) -> None:
    server.add(
        BATCH, Reply(json=op(True, "BATCH_STATE_SUCCEEDED", {"responsesFile": "files/batch-out"}))
    )
    server.add(
        RESULTS_FILE,
        Reply(
            chunks=[b'{"key": "q1", "response": {}}\n{"key": tru'], content_type="application/jsonl"
        ),
    )
    results = client.batches.results("b1")
    assert next(results)[0] == "q1"
    with pytest.raises(Exception, match="JSONL line 2 is not JSON"):
        next(results)


def test_list_cancel_delete(server: LoopbackServer, client: Client) -> None:
    server.add(
        "/v1beta/batches",
        Reply(json={"operations": [op(False, "BATCH_STATE_RUNNING")], "nextPageToken": "t"}),
        Reply(json={"operations": [{**op(True, "BATCH_STATE_SUCCEEDED"), "name": "batches/b2"}]}),
    )
    server.add("/v1beta/batches/b1:cancel", Reply(json={}))
    server.add(BATCH, Reply(json={}))
    assert [o.name for o in client.batches.list(page_size=1)] == ["batches/b1", "batches/b2"]
    assert server.requests[1].query == {"pageSize": ["1"], "pageToken": ["t"]}
    assert client.batches.cancel(name="b1") is None
    assert client.batches.delete(name="batches/b1") is None
    assert [(r.method, r.path) for r in server.requests[2:]] == [
        ("POST", "/v1beta/batches/b1:cancel"),
        ("DELETE", "/v1beta/batches/b1"),
    ]


def test_embedding_batch(server: LoopbackServer, client: Client) -> None:
    done = op(True, "BATCH_STATE_SUCCEEDED")
    done["response"] = {
        "inlinedResponses": {
            "inlinedResponses": [
                {"metadata": {"key": "0"}, "response": {"embedding": {"values": [0.1, 0.2]}}},
                {"metadata": {"key": "1"}, "error": {"code": 3, "message": "empty"}},
            ]
        }
    }
    server.add(EMBED_CREATE, Reply(json=done))
    batch = client.batches.create_embeddings(
        model="gemini-embedding-001",
        requests=[{"content": {"parts": [{"text": "x"}]}}, {"content": {"parts": []}}],
    )
    sent = server.requests[0].json()["batch"]["inputConfig"]["requests"]["requests"]
    assert sent[0] == {
        "request": {"model": "models/gemini-embedding-001", "content": {"parts": [{"text": "x"}]}},
        "metadata": {"key": "0"},
    }
    results = list(client.batches.embedding_results(batch))
    first = results[0][1]
    assert isinstance(first, types.EmbedContentResponse) and first.embedding.values == [0.1, 0.2]  # type: ignore[union-attr]
    assert isinstance(results[1][1], OperationError)


@pytest.mark.asyncio
async def test_async_batch_from_file(
    server: LoopbackServer, aclient: AsyncClient, sleeps: list[float]
) -> None:
    server.add(BATCH_CREATE, Reply(json=op(False, "BATCH_STATE_PENDING")))
    server.add(
        BATCH,
        Reply(json=op(False, "BATCH_STATE_RUNNING")),
        Reply(json=op(True, "BATCH_STATE_SUCCEEDED", {"responsesFile": "files/batch-out"})),
    )
    server.add(RESULTS_FILE, Reply(chunks=jsonl_pieces(), content_type="application/jsonl"))
    batch = await aclient.batches.create(model=MODEL, file="files/in-1")
    await batch.wait()
    results = [r async for r in aclient.batches.results(batch)]
    assert texts(results) == [
        ("q1", "first"),
        ("q2", "error 8: quota"),
        ("q3", "third, with a\nnewline"),
    ]
