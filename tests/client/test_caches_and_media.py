"""client.caches (a cache's whole life), Imagen (client.models.generate_images) and Veo
(client.models.generate_videos to a downloaded video), against the scripted loopback server."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from gemini_client import AsyncClient, Client, GeminiError, types
from gemini_client._core._times import to_duration, to_timestamp
from support.server import LoopbackServer, Reply

from .bodies import GENERATE, MODEL

CACHE = "/v1beta/cachedContents/c1"


def cache_json(**extra: Any) -> dict[str, Any]:
    return {
        "name": "cachedContents/c1",
        "model": f"models/{MODEL}",
        "expireTime": "2026-11-25T18:00:00Z",
        **extra,
    }


def test_a_cache_whole_life(server: LoopbackServer, client: Client) -> None:
    server.add("/v1beta/cachedContents", Reply(json=cache_json()))
    server.add(CACHE, Reply(json=cache_json()), Reply(json=cache_json(ttl="600s")))
    server.add(CACHE, Reply(json=cache_json()), Reply(json={}))
    server.add(
        GENERATE, Reply(json={"candidates": [], "usageMetadata": {"cachedContentTokenCount": 900}})
    )

    cache = client.caches.create(
        model=MODEL,
        contents=[{"role": "user", "parts": [{"text": "a long document"}]}],
        system_instruction={"parts": [{"text": "You are terse."}]},
        display_name="doc",
        ttl=timedelta(minutes=5),
    )
    assert server.requests[0].json() == {
        "model": f"models/{MODEL}",
        "contents": [{"role": "user", "parts": [{"text": "a long document"}]}],
        "systemInstruction": {"parts": [{"text": "You are terse."}]},
        "displayName": "doc",
        "ttl": "300s",
    }
    assert client.caches.get(name="c1").name == "cachedContents/c1"
    response = client.models.generate_content(
        model=MODEL, contents=[{"parts": [{"text": "Summarise."}]}], cached_content=cache
    )
    assert response.usage_metadata.cached_content_token_count == 900  # type: ignore[union-attr]
    assert server.requests[2].json()["cachedContent"] == "cachedContents/c1"

    client.caches.update(cache, ttl="600s")
    client.caches.update(
        "c1", expire_time=datetime(2026, 11, 25, 19, 30, tzinfo=timezone(timedelta(hours=1)))
    )
    patch_ttl, patch_expire = server.requests[3], server.requests[4]
    assert (patch_ttl.method, patch_ttl.query, patch_ttl.json()) == (
        "PATCH",
        {"updateMask": ["ttl"]},
        {"ttl": "600s"},
    )
    assert patch_expire.query == {"updateMask": ["expireTime"]}
    assert patch_expire.json() == {"expireTime": "2026-11-25T18:30:00Z"}
    assert client.caches.delete(name=cache.name or "") is None
    assert server.requests[5].method == "DELETE"


def test_cache_argument_errors(client: Client, server: LoopbackServer) -> None:
    with pytest.raises(ValueError, match="not both"):
        client.caches.update("c1", ttl=60, expire_time="2026-01-01T00:00:00Z")
    with pytest.raises(ValueError, match="timezone-aware"):
        client.caches.create(model=MODEL, expire_time=datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="pass ttl= or expire_time="):
        client.caches.update("c1")
    with pytest.raises(ValueError, match="timezone-aware"):
        client.caches.update("c1", expire_time=datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="not a duration"):
        client.caches.update("c1", ttl="5 minutes")
    assert server.requests == []


def test_list_caches_pages(server: LoopbackServer, client: Client) -> None:
    server.add(
        "/v1beta/cachedContents",
        Reply(json={"cachedContents": [cache_json()], "nextPageToken": "n"}),
        Reply(json={"cachedContents": [cache_json(name="cachedContents/c2")]}),
    )
    assert [c.name for c in client.caches.list()] == ["cachedContents/c1", "cachedContents/c2"]


@pytest.mark.parametrize(
    ("value", "wire"),
    [
        (timedelta(minutes=5), "300s"),
        (timedelta(seconds=1.5), "1.5s"),
        (90, "90s"),
        ("3600s", "3600s"),
        (0.25, "0.25s"),
    ],
)
def test_to_duration(value: Any, wire: str) -> None:
    assert to_duration(value) == wire


@pytest.mark.parametrize("bad", [-1, "300", "1e3s", True, float("nan"), timedelta(seconds=-5)])
def test_to_duration_refuses(bad: Any) -> None:
    with pytest.raises(ValueError):
        to_duration(bad)


def test_to_timestamp_in_utc() -> None:
    assert (
        to_timestamp(datetime(2026, 1, 2, 3, 4, 5, 600, tzinfo=timezone.utc))
        == "2026-01-02T03:04:05.000600Z"
    )


PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(40))
JPEG = b"\xff\xd8\xff\xe0fake-jpeg"
PREDICT = "/v1beta/models/imagen-4.0-generate-001:predict"


def test_generate_images_bytes_and_mime_types(server: LoopbackServer, client: Client) -> None:
    server.add(
        PREDICT,
        Reply(
            json={
                "predictions": [
                    {"bytesBase64Encoded": base64.b64encode(PNG).decode(), "mimeType": "image/png"},
                    {"raiFilteredReason": "filtered: person"},
                    {
                        "bytesBase64Encoded": base64.b64encode(JPEG).decode(),
                        "mimeType": "image/jpeg",
                        "newField": 1,
                    },
                ]
            }
        ),
    )
    images = client.models.generate_images(
        model="imagen-4.0-generate-001",
        prompt="a robot holding a red skateboard",
        number_of_images=3,
        aspect_ratio="16:9",
        person_generation=types.PersonGeneration.allow_adult,
        config={"imageSize": "2K", "outputOptions": {"mimeType": "image/jpeg"}},
    )
    assert [(i.data, i.mime_type) for i in images] == [(PNG, "image/png"), (JPEG, "image/jpeg")]
    assert images[1].prediction.model_extra == {"newField": 1}
    assert server.requests[0].json() == {
        "instances": [{"prompt": "a robot holding a red skateboard"}],
        "parameters": {
            "sampleCount": 3,
            "aspectRatio": "16:9",
            "personGeneration": "allow_adult",
            "imageSize": "2K",
            "outputOptions": {"mimeType": "image/jpeg"},
        },
    }


def test_generate_images_bad_base64(server: LoopbackServer, client: Client) -> None:
    server.add(
        PREDICT,
        Reply(json={"predictions": [{"bytesBase64Encoded": "***", "mimeType": "image/png"}]}),
    )
    with pytest.raises(GeminiError, match=r"^prediction 0: bytesBase64Encoded: .*invalid base64"):
        client.models.generate_images(model="imagen-4.0-generate-001", prompt="x")


VEO = "/v1beta/models/veo-3.0-generate-001:predictLongRunning"
VIDEO_OP = "/v1beta/models/veo-3.0-generate-001/operations/v1"
VIDEO_BYTES = b"\x00\x00\x00\x18ftypmp42" + b"v" * 5000


def video_op(done: bool) -> dict[str, Any]:
    body: dict[str, Any] = {"name": "models/veo-3.0-generate-001/operations/v1", "done": done}
    if done:
        body["response"] = {
            "@type": "type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse",
            "generateVideoResponse": {
                "generatedSamples": [
                    {
                        "video": {
                            "uri": "https://example.invalid/v1beta/files/vid1:download?alt=media"
                        }
                    }
                ]
            },
        }
    return body


def test_veo_operation_to_a_downloaded_video(
    server: LoopbackServer, client: Client, sleeps: list[float], tmp_path: Path
) -> None:
    server.add(VEO, Reply(json=video_op(False)))
    server.add(
        VIDEO_OP,
        Reply(json=video_op(False)),
        Reply(json=video_op(False)),
        Reply(json=video_op(True)),
    )
    server.add(
        "/v1beta/files/vid1:download",
        Reply(chunks=[VIDEO_BYTES[:3000], VIDEO_BYTES[3000:]], content_type="video/mp4"),
    )

    op = client.models.generate_videos(
        model="veo-3.0-generate-001",
        prompt="a sunrise over the sea",
        image={"bytesBase64Encoded": base64.b64encode(PNG).decode(), "mimeType": "image/png"},
        config={"aspectRatio": "16:9", "durationSeconds": 8, "personGeneration": "dont_allow"},
    )
    assert server.requests[0].json() == {
        "instances": [
            {
                "prompt": "a sunrise over the sea",
                "image": {
                    "bytesBase64Encoded": base64.b64encode(PNG).decode(),
                    "mimeType": "image/png",
                },
            }
        ],
        "parameters": {
            "aspectRatio": "16:9",
            "durationSeconds": 8,
            "personGeneration": "dont_allow",
        },
    }
    result = op.wait(poll_interval=2.0)
    assert len(sleeps) == 3
    video = result.generate_video_response.generated_samples[0].video  # type: ignore[union-attr,index]
    path = client.files.download(video.uri, to=tmp_path / "sunrise.mp4")  # type: ignore[union-attr,arg-type]
    assert path.read_bytes() == VIDEO_BYTES


@pytest.mark.asyncio
async def test_async_images_caches_and_videos(server: LoopbackServer, aclient: AsyncClient) -> None:
    server.add(
        PREDICT,
        Reply(
            json={
                "predictions": [
                    {"bytesBase64Encoded": base64.b64encode(PNG).decode(), "mimeType": "image/png"}
                ]
            }
        ),
    )
    server.add("/v1beta/cachedContents", Reply(json=cache_json()))
    server.add(CACHE, Reply(json=cache_json(ttl="60s")))
    server.add(VEO, Reply(json=video_op(True)))
    images = await aclient.models.generate_images(model="imagen-4.0-generate-001", prompt="x")
    assert images[0].data == PNG
    cache = await aclient.caches.create(model=MODEL, ttl=timedelta(seconds=30))
    await aclient.caches.update(cache, ttl=60)
    assert server.requests[2].query == {"updateMask": ["ttl"]} and server.requests[2].json() == {
        "ttl": "60s"
    }
    op = await aclient.models.generate_videos(model="veo-3.0-generate-001", prompt="y")
    assert op.result().generate_video_response.generated_samples[0].video.uri  # type: ignore[union-attr,index]
