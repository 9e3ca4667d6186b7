"""A user's program over the workflows (files, batches, caches, Imagen, Veo), checked by
``mypy --strict`` (tests/client/test_workflows_typing.py): the helpers' types are what users get."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing_extensions import assert_type

from gemini_client import AsyncClient, BinaryResponse, Client, Operation, OperationError, types
from gemini_client.lib._models import GeneratedImage


def workflows(client: Client, tmp: Path) -> None:
    file = client.files.upload(file=tmp / "talk.mp3", display_name="Talk", on_progress=print)
    assert_type(file, types.File)
    file = client.files.wait_active(file, timeout=60)
    client.models.generate_content(
        model="gemini-2.5-flash", contents=[file, {"parts": [{"text": "Summarise."}]}]
    )
    assert_type(client.files.download(file), BinaryResponse)
    assert_type(client.files.download("files/abc", to=tmp / "a.bin"), Path)

    batch = client.batches.create(model="gemini-2.5-flash", requests={"k": {"contents": []}})
    assert_type(batch, Operation[types.GenerateContentBatchOutput])
    assert_type(batch.wait(timeout=10), types.GenerateContentBatchOutput)
    for key, result in client.batches.results(batch):
        assert_type(key, str)
        if isinstance(result, OperationError):
            print(result.code, result.message)
        else:
            assert_type(result, types.GenerateContentResponse)

    cache = client.caches.create(model="gemini-2.5-flash", ttl=timedelta(minutes=5))
    client.models.generate_content(model="gemini-2.5-flash", contents=[], cached_content=cache)
    client.caches.update(cache, expire_time=datetime.now(timezone.utc) + timedelta(hours=1))

    images = client.models.generate_images(model="imagen-4.0-generate-001", prompt="a cat")
    assert_type(images, list[GeneratedImage])
    assert_type(images[0].data, bytes)
    op = client.models.generate_videos(model="veo-3.0-generate-001", prompt="a dog")
    assert_type(op, Operation[types.GenerateVideosResponse])


async def async_workflows(client: AsyncClient) -> None:
    file = await client.files.upload(file=b"%PDF", mime_type="application/pdf")
    assert_type(file, types.File)
    batch = await client.batches.create(model="gemini-2.5-flash", file=file)
    async for key, result in client.batches.results(batch):
        print(key, result)
