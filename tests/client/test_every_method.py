"""Every method of the whole API against the loopback server, sync and async: the exact HTTP verb,
path, query and JSON body each call sends, and what it returns (a model, None for `Empty`, a pager,
a stream, an `Operation`). The table is written by hand; a last test checks it covers the spec."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest

import gemini_client
from gemini_client import AsyncClient, Client, types
from support.server import LoopbackServer, Reply, sse

from .bodies import KEY

V = "/v1beta/"
CONTENTS = [{"role": "user", "parts": [{"text": "Hi"}]}]
WIRE_CONTENTS = [{"role": "user", "parts": [{"text": "Hi"}]}]
BATCH = {
    "displayName": "b",
    "model": "models/gemini-2.5-flash",
    "inputConfig": {"fileName": "files/in"},
}
EMBED_BATCH = {
    "displayName": "e",
    "model": "models/gemini-embedding-001",
    "inputConfig": {"fileName": "files/in"},
}
MEDIA = bytes(range(256)) * 1000
TASK = {"trainingData": {"examples": {"examples": [{"textInput": "1", "output": "2"}]}}}


@dataclass
class Call:
    resource: str  # attribute path on the client: "tuned_models.permissions"
    method: str
    kwargs: dict[str, Any]
    verb: str
    path: str
    query: dict[str, list[str]] = field(default_factory=dict)
    body: Any = None  # the JSON body; None: no body
    reply: Any = None  # the JSON answer; default {} ({"name": ...} for operations)
    returns: str = "model"  # model | none | pager | stream | operation | media
    chunk: Any = None  # stream: one event's JSON and its type; default a GenerateContentResponse
    chunk_type: str = "GenerateContentResponse"

    @property
    def id(self) -> str:
        return f"{self.resource}.{self.method}"


def gen(resource: str, model: str, path_model: str) -> list[Call]:
    """generateContent and streamGenerateContent of a resource."""
    return [
        Call(
            resource,
            "generate_content",
            {"model": model, "contents": CONTENTS, "generation_config": {"temperature": 0.5}},
            "POST",
            f"{V}{path_model}:generateContent",
            body={"contents": WIRE_CONTENTS, "generationConfig": {"temperature": 0.5}},
        ),
        Call(
            resource,
            "stream_generate_content",
            {"model": model, "contents": CONTENTS},
            "POST",
            f"{V}{path_model}:streamGenerateContent",
            query={"alt": ["sse"]},
            body={"contents": WIRE_CONTENTS},
            returns="stream",
        ),
    ]


OPS = {"operations": [{"name": "x/operations/1", "done": True}]}

CALLS: list[Call] = [
    # -- auth_tokens (Google's v1beta resource since 20260702; it replaced the hand-written v1alpha one)
    Call(
        "auth_tokens",
        "create",
        {"uses": 1, "expire_time": "2026-11-25T17:30:00Z"},
        "POST",
        f"{V}auth_tokens",
        body={"uses": 1, "expireTime": "2026-11-25T17:30:00Z"},
    ),
    # -- environments (new in 20260721) --------------------------------------------------------
    Call(
        "environments",
        "create",
        {"network_mode": "NETWORK_MODE_UNSPECIFIED"},
        "POST",
        f"{V}environments:create",
        body={"networkMode": "NETWORK_MODE_UNSPECIFIED"},
    ),
    Call("environments", "get", {"id": "env-1"}, "GET", f"{V}environments/env-1:get"),
    Call(
        "environments",
        "list",
        {"page_size": 3},
        "GET",
        f"{V}environments:list",
        query={"pageSize": ["3"]},
        returns="pager",
    ),
    Call(
        "environments",
        "delete",
        {"id": "env-1"},
        "DELETE",
        f"{V}environments/env-1:delete",
        returns="none",
    ),
    # -- interactions (spec/interactions.yaml: snake_case wire names; streams ask with stream) --
    Call(
        "interactions",
        "create",
        {"model": "gemini-2.5-flash", "input": "Hi", "generation_config": {"temperature": 0.5}},
        "POST",
        f"{V}interactions",
        body={
            "model": "gemini-2.5-flash",
            "input": "Hi",
            "generation_config": {"temperature": 0.5},
        },
        reply={"id": "i1", "status": "completed", "output_text": "Hello"},
    ),
    Call(
        "interactions",
        "create_stream",
        {"model": "gemini-2.5-flash", "input": "Hi", "previous_interaction_id": "i0"},
        "POST",
        f"{V}interactions",
        body={
            "model": "gemini-2.5-flash",
            "input": "Hi",
            "previous_interaction_id": "i0",
            "stream": True,
        },
        returns="stream",
        chunk={"event_type": "step.delta", "index": 0, "delta": {"type": "text", "text": "Hi"}},
        chunk_type="InteractionEvent",
    ),
    Call(
        "interactions",
        "get",
        {"id": "i1", "include_input": True},
        "GET",
        f"{V}interactions/i1",
        query={"include_input": ["true"]},
        reply={"id": "i1", "status": "in_progress"},
    ),
    Call(
        "interactions",
        "get_stream",
        {"id": "i1", "last_event_id": "e7"},
        "GET",
        f"{V}interactions/i1",
        query={"last_event_id": ["e7"], "stream": ["true"]},
        returns="stream",
        chunk={"event_type": "interaction.completed", "interaction": {"id": "i1"}},
        chunk_type="InteractionEvent",
    ),
    Call(
        "interactions",
        "cancel",
        {"id": "i1"},
        "POST",
        f"{V}interactions/i1/cancel",
        reply={"id": "i1", "status": "cancelled"},
    ),
    Call("interactions", "delete", {"id": "i1"}, "DELETE", f"{V}interactions/i1", returns="none"),
    # -- batches -------------------------------------------------------------------------------
    Call(
        "batches",
        "list",
        {
            "name": "batches",
            "filter": "state=RUNNING",
            "page_size": 2,
            "return_partial_success": True,
        },
        "GET",
        f"{V}batches",
        query={"filter": ["state=RUNNING"], "pageSize": ["2"], "returnPartialSuccess": ["true"]},
        reply=OPS,
        returns="pager",
    ),
    Call("batches", "get", {"name": "b1"}, "GET", f"{V}batches/b1", returns="operation"),
    Call("batches", "delete", {"name": "b1"}, "DELETE", f"{V}batches/b1", returns="none"),
    Call(
        "batches", "cancel", {"name": "batches/b1"}, "POST", f"{V}batches/b1:cancel", returns="none"
    ),
    Call(
        "batches",
        "update_generate_content_batch",
        {
            "name": "b1",
            "update_mask": ["displayName", "priority"],
            "display_name": "b",
            "model": "models/gemini-2.5-flash",
            "input_config": {"file_name": "files/in"},
        },
        "PATCH",
        f"{V}batches/b1:updateGenerateContentBatch",
        query={"updateMask": ["displayName,priority"]},
        body=BATCH,
        reply=BATCH,
    ),
    Call(
        "batches",
        "update_embed_content_batch",
        {
            "name": "b1",
            "update_mask": "displayName",
            "display_name": "e",
            "model": "models/gemini-embedding-001",
            "input_config": {"fileName": "files/in"},
        },
        "PATCH",
        f"{V}batches/b1:updateEmbedContentBatch",
        query={"updateMask": ["displayName"]},
        body=EMBED_BATCH,
        reply=EMBED_BATCH,
    ),
    # -- cachedContents ------------------------------------------------------------------------
    Call(
        "cached_contents",
        "list",
        {"page_size": 5},
        "GET",
        f"{V}cachedContents",
        query={"pageSize": ["5"]},
        returns="pager",
    ),
    Call(
        "cached_contents",
        "create",
        {"model": "models/gemini-2.5-flash", "contents": CONTENTS, "ttl": "300s"},
        "POST",
        f"{V}cachedContents",
        body={"model": "models/gemini-2.5-flash", "contents": WIRE_CONTENTS, "ttl": "300s"},
        reply={"model": "models/gemini-2.5-flash"},
    ),
    Call(
        "cached_contents",
        "get",
        {"name": "c1"},
        "GET",
        f"{V}cachedContents/c1",
        reply={"model": "m"},
    ),
    Call(
        "cached_contents",
        "patch",
        {"name": "c1", "model": "models/m", "ttl": "60s", "update_mask": ["ttl"]},
        "PATCH",
        f"{V}cachedContents/c1",
        query={"updateMask": ["ttl"]},
        body={"model": "models/m", "ttl": "60s"},
        reply={"model": "m"},
    ),
    Call(
        "cached_contents",
        "delete",
        {"name": "cachedContents/c1"},
        "DELETE",
        f"{V}cachedContents/c1",
        returns="none",
    ),
    # -- corpora -------------------------------------------------------------------------------
    Call(
        "corpora",
        "create",
        {"display_name": "docs"},
        "POST",
        f"{V}corpora",
        body={"displayName": "docs"},
    ),
    Call("corpora", "get", {"name": "k1"}, "GET", f"{V}corpora/k1"),
    Call(
        "corpora",
        "delete",
        {"name": "k1", "force": True},
        "DELETE",
        f"{V}corpora/k1",
        query={"force": ["true"]},
        returns="none",
    ),
    Call("corpora", "list", {}, "GET", f"{V}corpora", returns="pager"),
    Call(
        "corpora.operations",
        "get",
        {"name": "corpora/k1/operations/o1"},
        "GET",
        f"{V}corpora/k1/operations/o1",
        returns="operation",
    ),
    Call(
        "corpora.permissions",
        "create",
        {"parent": "k1", "role": "READER", "grantee_type": "USER", "email_address": "a@b.c"},
        "POST",
        f"{V}corpora/k1/permissions",
        body={"role": "READER", "granteeType": "USER", "emailAddress": "a@b.c"},
        reply={"role": "READER"},
    ),
    Call(
        "corpora.permissions",
        "get",
        {"name": "corpora/k1/permissions/p1"},
        "GET",
        f"{V}corpora/k1/permissions/p1",
        reply={"role": "READER"},
    ),
    Call(
        "corpora.permissions",
        "list",
        {"parent": "corpora/k1", "page_size": 1},
        "GET",
        f"{V}corpora/k1/permissions",
        query={"pageSize": ["1"]},
        returns="pager",
    ),
    Call(
        "corpora.permissions",
        "patch",
        {"name": "corpora/k1/permissions/p1", "role": "WRITER", "update_mask": ["role"]},
        "PATCH",
        f"{V}corpora/k1/permissions/p1",
        query={"updateMask": ["role"]},
        body={"role": "WRITER"},
        reply={"role": "WRITER"},
    ),
    Call(
        "corpora.permissions",
        "delete",
        {"name": "corpora/k1/permissions/p1"},
        "DELETE",
        f"{V}corpora/k1/permissions/p1",
        returns="none",
    ),
    # -- dynamic -------------------------------------------------------------------------------
    *gen("dynamic", "d1", "dynamic/d1"),
    # -- fileSearchStores ----------------------------------------------------------------------
    Call(
        "file_search_stores",
        "create",
        {"display_name": "s"},
        "POST",
        f"{V}fileSearchStores",
        body={"displayName": "s"},
    ),
    Call("file_search_stores", "get", {"name": "s1"}, "GET", f"{V}fileSearchStores/s1"),
    Call(
        "file_search_stores",
        "delete",
        {"name": "s1", "force": False},
        "DELETE",
        f"{V}fileSearchStores/s1",
        query={"force": ["false"]},
        returns="none",
    ),
    Call(
        "file_search_stores",
        "list",
        {"page_token": "t0"},
        "GET",
        f"{V}fileSearchStores",
        query={"pageToken": ["t0"]},
        returns="pager",
    ),
    Call(
        "file_search_stores",
        "import_file",
        {"file_search_store_name": "s1", "file_name": "files/f1"},
        "POST",
        f"{V}fileSearchStores/s1:importFile",
        body={"fileName": "files/f1"},
        returns="operation",
    ),
    Call(
        "file_search_stores.operations",
        "get",
        {"name": "fileSearchStores/s1/operations/o1"},
        "GET",
        f"{V}fileSearchStores/s1/operations/o1",
        returns="operation",
    ),
    Call(
        "file_search_stores.upload.operations",
        "get",
        {"name": "fileSearchStores/s1/upload/operations/o1"},
        "GET",
        f"{V}fileSearchStores/s1/upload/operations/o1",
        returns="operation",
    ),
    Call(
        "file_search_stores.documents",
        "get",
        {"name": "fileSearchStores/s1/documents/d1"},
        "GET",
        f"{V}fileSearchStores/s1/documents/d1",
    ),
    Call(
        "file_search_stores.documents",
        "delete",
        {"name": "fileSearchStores/s1/documents/d1", "force": True},
        "DELETE",
        f"{V}fileSearchStores/s1/documents/d1",
        query={"force": ["true"]},
        returns="none",
    ),
    Call(
        "file_search_stores.documents",
        "list",
        {"parent": "s1"},
        "GET",
        f"{V}fileSearchStores/s1/documents",
        returns="pager",
    ),
    # -- files, generatedFiles, media ----------------------------------------------------------
    Call(
        "files",
        "register",
        {"uris": ["gs://bucket/a.txt"]},
        "POST",
        f"{V}files:register",
        body={"uris": ["gs://bucket/a.txt"]},
    ),
    Call(
        "files",
        "list",
        {"page_size": 10},
        "GET",
        f"{V}files",
        query={"pageSize": ["10"]},
        returns="pager",
    ),
    Call("files", "get", {"name": "f1"}, "GET", f"{V}files/f1"),
    Call("files", "delete", {"name": "f1"}, "DELETE", f"{V}files/f1", returns="none"),
    Call(
        "files",
        "download",
        {"name": "f1"},
        "GET",
        f"{V}files/f1:download",
        query={"alt": ["media"]},
        returns="media",
    ),
    Call("generated_files", "list", {}, "GET", f"{V}generatedFiles", returns="pager"),
    Call(
        "generated_files.operations",
        "get",
        {"name": "generatedFiles/g1/operations/o1"},
        "GET",
        f"{V}generatedFiles/g1/operations/o1",
        returns="operation",
    ),
    Call(
        "media",
        "upload",
        {"file": {"display_name": "notes"}},
        "POST",
        f"{V}files",
        body={"file": {"displayName": "notes"}},
    ),
    Call(
        "media",
        "upload_to_file_search_store",
        {"file_search_store_name": "s1", "display_name": "d", "mime_type": "text/plain"},
        "POST",
        f"{V}fileSearchStores/s1:uploadToFileSearchStore",
        body={"displayName": "d", "mimeType": "text/plain"},
        returns="operation",
    ),
    # -- models --------------------------------------------------------------------------------
    *gen("models", "gemini-2.5-flash", "models/gemini-2.5-flash"),
    Call(
        "models",
        "generate_answer",
        {"model": "aqa", "contents": CONTENTS, "answer_style": "ABSTRACTIVE", "temperature": 0.1},
        "POST",
        f"{V}models/aqa:generateAnswer",
        body={"contents": WIRE_CONTENTS, "answerStyle": "ABSTRACTIVE", "temperature": 0.1},
    ),
    Call(
        "models",
        "embed_content",
        {
            "model": "gemini-embedding-001",
            "content": {"parts": [{"text": "x"}]},
            "output_dimensionality": 8,
        },
        "POST",
        f"{V}models/gemini-embedding-001:embedContent",
        body={"content": {"parts": [{"text": "x"}]}, "outputDimensionality": 8},
    ),
    Call(
        "models",
        "batch_embed_contents",
        {
            "model": "gemini-embedding-001",
            "requests": [
                {"model": "models/gemini-embedding-001", "content": {"parts": [{"text": "x"}]}}
            ],
        },
        "POST",
        f"{V}models/gemini-embedding-001:batchEmbedContents",
        body={
            "requests": [
                {"model": "models/gemini-embedding-001", "content": {"parts": [{"text": "x"}]}}
            ]
        },
    ),
    Call(
        "models",
        "count_tokens",
        {"model": "gemini-2.5-flash", "contents": CONTENTS},
        "POST",
        f"{V}models/gemini-2.5-flash:countTokens",
        body={"contents": WIRE_CONTENTS},
    ),
    Call(
        "models",
        "batch_generate_content",
        {"model": "gemini-2.5-flash", "batch": BATCH},
        "POST",
        f"{V}models/gemini-2.5-flash:batchGenerateContent",
        body={"batch": BATCH},
        returns="operation",
    ),
    Call(
        "models",
        "async_batch_embed_content",
        {"model": "gemini-embedding-001", "batch": EMBED_BATCH},
        "POST",
        f"{V}models/gemini-embedding-001:asyncBatchEmbedContent",
        body={"batch": EMBED_BATCH},
        returns="operation",
    ),
    Call("models", "get", {"name": "gemini-2.5-flash"}, "GET", f"{V}models/gemini-2.5-flash"),
    Call(
        "models",
        "list",
        {"page_size": 3},
        "GET",
        f"{V}models",
        query={"pageSize": ["3"]},
        returns="pager",
    ),
    Call(
        "models",
        "predict",
        {
            "model": "imagen-4.0-generate-001",
            "instances": [{"prompt": "a cat"}],
            "parameters": {"sampleCount": 1},
        },
        "POST",
        f"{V}models/imagen-4.0-generate-001:predict",
        body={"instances": [{"prompt": "a cat"}], "parameters": {"sampleCount": 1}},
    ),
    Call(
        "models",
        "predict_long_running",
        {"model": "veo-3.0-generate-001", "instances": [{"prompt": "a cat"}]},
        "POST",
        f"{V}models/veo-3.0-generate-001:predictLongRunning",
        body={"instances": [{"prompt": "a cat"}]},
        returns="operation",
    ),
    Call(
        "models.operations",
        "list",
        {"name": "models/veo-3.0-generate-001", "page_size": 1},
        "GET",
        f"{V}models/veo-3.0-generate-001/operations",
        query={"pageSize": ["1"]},
        reply=OPS,
        returns="pager",
    ),
    Call(
        "models.operations",
        "get",
        {"name": "models/veo/operations/o1"},
        "GET",
        f"{V}models/veo/operations/o1",
        returns="operation",
    ),
    # -- tunedModels ---------------------------------------------------------------------------
    *gen("tuned_models", "t1", "tunedModels/t1"),
    Call(
        "tuned_models",
        "batch_generate_content",
        {"model": "t1", "batch": BATCH},
        "POST",
        f"{V}tunedModels/t1:batchGenerateContent",
        body={"batch": BATCH},
        returns="operation",
    ),
    Call(
        "tuned_models",
        "async_batch_embed_content",
        {"model": "tunedModels/t1", "batch": EMBED_BATCH},
        "POST",
        f"{V}tunedModels/t1:asyncBatchEmbedContent",
        body={"batch": EMBED_BATCH},
        returns="operation",
    ),
    Call(
        "tuned_models",
        "get",
        {"name": "t1"},
        "GET",
        f"{V}tunedModels/t1",
        reply={"tuningTask": TASK},
    ),
    Call(
        "tuned_models",
        "list",
        {"filter": "owner:me", "page_size": 4},
        "GET",
        f"{V}tunedModels",
        query={"filter": ["owner:me"], "pageSize": ["4"]},
        returns="pager",
    ),
    Call(
        "tuned_models",
        "create",
        {
            "tuned_model_id": "my-model",
            "base_model": "models/gemini-1.5-flash-001",
            "tuning_task": TASK,
        },
        "POST",
        f"{V}tunedModels",
        query={"tunedModelId": ["my-model"]},
        body={"baseModel": "models/gemini-1.5-flash-001", "tuningTask": TASK},
        returns="operation",
    ),
    Call(
        "tuned_models",
        "patch",
        {
            "name": "t1",
            "update_mask": ["displayName", "description"],
            "display_name": "n",
            "tuning_task": TASK,
        },
        "PATCH",
        f"{V}tunedModels/t1",
        query={"updateMask": ["displayName,description"]},
        body={"displayName": "n", "tuningTask": TASK},
        reply={"tuningTask": TASK},
    ),
    Call("tuned_models", "delete", {"name": "t1"}, "DELETE", f"{V}tunedModels/t1", returns="none"),
    Call(
        "tuned_models",
        "transfer_ownership",
        {"name": "t1", "email_address": "new@owner.com"},
        "POST",
        f"{V}tunedModels/t1:transferOwnership",
        body={"emailAddress": "new@owner.com"},
        returns="none",
    ),
    Call(
        "tuned_models.operations",
        "list",
        {"name": "t1", "filter": "done=true"},
        "GET",
        f"{V}tunedModels/t1/operations",
        query={"filter": ["done=true"]},
        reply=OPS,
        returns="pager",
    ),
    Call(
        "tuned_models.operations",
        "get",
        {"name": "tunedModels/t1/operations/o1"},
        "GET",
        f"{V}tunedModels/t1/operations/o1",
        returns="operation",
    ),
    Call(
        "tuned_models.permissions",
        "create",
        {"parent": "t1", "role": "READER", "grantee_type": "EVERYONE"},
        "POST",
        f"{V}tunedModels/t1/permissions",
        body={"role": "READER", "granteeType": "EVERYONE"},
        reply={"role": "READER"},
    ),
    Call(
        "tuned_models.permissions",
        "get",
        {"name": "tunedModels/t1/permissions/p1"},
        "GET",
        f"{V}tunedModels/t1/permissions/p1",
        reply={"role": "READER"},
    ),
    Call(
        "tuned_models.permissions",
        "list",
        {"parent": "t1"},
        "GET",
        f"{V}tunedModels/t1/permissions",
        returns="pager",
    ),
    Call(
        "tuned_models.permissions",
        "patch",
        {"name": "tunedModels/t1/permissions/p1", "role": "OWNER", "update_mask": "role"},
        "PATCH",
        f"{V}tunedModels/t1/permissions/p1",
        query={"updateMask": ["role"]},
        body={"role": "OWNER"},
        reply={"role": "OWNER"},
    ),
    Call(
        "tuned_models.permissions",
        "delete",
        {"name": "tunedModels/t1/permissions/p1"},
        "DELETE",
        f"{V}tunedModels/t1/permissions/p1",
        returns="none",
    ),
]


def reply_for(call: Call) -> Reply:
    if call.returns == "stream":
        chunk = call.chunk or {"candidates": [{"content": {"parts": [{"text": "Hello"}]}}]}
        return Reply(chunks=[sse(chunk)])
    if call.returns == "operation":
        return Reply(json=call.reply or {"name": "operations/op-1", "done": False})
    if call.returns == "media":
        return Reply(body=MEDIA, content_type="video/mp4")
    return Reply(json=call.reply if call.reply is not None else {})


def resource(client: Any, path: str) -> Any:
    for attr in path.split("."):
        client = getattr(client, attr)
    return client


def check_request(server: LoopbackServer, call: Call) -> None:
    [req] = server.requests
    assert (req.method, req.path) == (call.verb, call.path)
    assert req.query == call.query
    assert req.headers["x-goog-api-key"] == KEY
    if call.body is None:
        assert req.body == b""
    else:
        assert req.headers["content-type"] == "application/json"
        assert json.loads(req.body) == call.body


def check_result(call: Call, result: Any, items: list[Any] | None) -> None:
    if call.returns == "none":
        assert result is None
    elif call.returns == "operation":
        assert isinstance(result, (gemini_client.Operation, gemini_client.AsyncOperation))
        assert result.name and result.done is False
    elif call.returns == "pager":
        assert isinstance(result, (gemini_client.SyncPager, gemini_client.AsyncPager))
        assert items == (
            [] if call.reply is not OPS else [types.Operation(name="x/operations/1", done=True)]
        )
    elif call.returns == "media":
        assert items == [MEDIA]
    elif call.returns == "stream":
        assert items is not None and len(items) == 1
        assert isinstance(items[0], getattr(types, call.chunk_type))
    else:
        assert result.model_dump(by_alias=True, exclude_none=True) == (call.reply or {})


@pytest.mark.parametrize("call", CALLS, ids=[c.id for c in CALLS])
def test_sync(call: Call, client: Client, server: LoopbackServer) -> None:
    server.add(call.path, reply_for(call))
    result = getattr(resource(client, call.resource), call.method)(**call.kwargs)
    items = None
    if call.returns == "pager":
        items = list(result)
    elif call.returns == "stream":
        with result as stream:
            items = list(stream)
    elif call.returns == "media":
        assert result.content_type == "video/mp4"
        items = [result.read()]
    check_request(server, call)
    check_result(call, result, items)


@pytest.mark.asyncio
@pytest.mark.parametrize("call", CALLS, ids=[c.id for c in CALLS])
async def test_async(call: Call, aclient: AsyncClient, server: LoopbackServer) -> None:
    server.add(call.path, reply_for(call))
    method = getattr(resource(aclient, call.resource), call.method)
    items = None
    if call.returns == "pager":
        result = method(**call.kwargs)
        items = [item async for item in result]
    elif call.returns == "stream":
        result = await method(**call.kwargs)
        async with result as stream:
            items = [chunk async for chunk in stream]
    elif call.returns == "media":
        result = await method(**call.kwargs)
        items = [await result.read()]
    else:
        result = await method(**call.kwargs)
    check_request(server, call)
    check_result(call, result, items)


def test_the_table_covers_every_method_of_the_spec() -> None:
    from pathlib import Path

    from codegen import naming
    from codegen.spec.loader import load_spec

    spec = load_spec(Path(__file__).resolve().parents[2] / "spec")
    every = {
        f"{'.'.join(naming.resource_attr(p) for p in path.split('.'))}.{naming.method_name(m.name)}"
        for path, r in spec.all_resources()
        for m in r.methods
    }
    # the 76 of the Discovery document (20260731) but the PaLM-era ones, files.download and the
    # 6 of the Interactions API (spec/interactions.yaml)
    assert len(every) == 84
    assert sorted(c.id for c in CALLS) == sorted(every)
