"""The rest of the API as a user's program sees it under ``mypy --strict`` (checked, not run):
nested resources, typed operations, None for Empty, field masks, uploads and downloads."""

from __future__ import annotations

from typing import Any

from typing_extensions import assert_type

import gemini_client
from gemini_client import AsyncClient, Client, types


def rest(client: Client, data: bytes) -> None:
    op = client.models.batch_generate_content(model="gemini-2.5-flash", batch={"displayName": "b"})
    assert_type(op, gemini_client.Operation[types.GenerateContentBatchOutput])
    assert_type(op.wait(timeout=60, poll_interval=2), types.GenerateContentBatchOutput)
    assert_type(op.refresh(), gemini_client.Operation[types.GenerateContentBatchOutput])
    assert_type(op.error, gemini_client.OperationError | None)
    assert_type(op.done, bool)
    free = client.models.operations.get(name="models/veo/operations/1")
    assert_type(free.result(), dict[str, Any])
    assert_type(client.files.delete(name="f"), None)
    perm = client.tuned_models.permissions.create(parent="t", role="READER")
    assert_type(perm, types.Permission)
    client.cached_contents.patch(name="c", model="m", update_mask=["ttl", "displayName"])
    client.cached_contents.patch(name="c", model="m", update_mask="ttl")
    created = client.media.upload(file={"display_name": "x"}, media=data, media_type="text/plain")
    assert_type(created, types.CreateFileResponse)
    with client.files.download(name="f") as media:
        assert_type(media.read(), bytes)
    pages = client.file_search_stores.documents.list(parent="s")
    assert_type(pages, gemini_client.SyncPager[types.ListDocumentsResponse, types.Document])
    raw = client.batches.with_raw_response.delete(name="b")
    assert_type(raw, gemini_client.APIResponse[None])


async def arest(client: AsyncClient) -> None:
    op = await client.tuned_models.create(tuning_task={})
    assert_type(op, gemini_client.AsyncOperation[types.TunedModel])
    assert_type(await op.wait(), types.TunedModel)
    upload = await client.media.upload_to_file_search_store(file_search_store_name="s", media=b"x")
    assert_type(upload, gemini_client.AsyncOperation[dict[str, Any]])
    media = await client.files.download(name="f")
    assert_type(await media.read(), bytes)
