"""`bytes` fields (issue #11, item 7) and required arguments given as None (item 12), through the
generated client against a loopback server."""

from __future__ import annotations

import base64

import pytest

import gemini_client
from gemini_client import AsyncClient, Client, types
from support.server import LoopbackServer, Reply

from .bodies import GENERATE, MODEL, TINY_JPEG

RAW = bytes(range(256))  # not UTF-8: raw bytes that would be corrupted if sent as text
UTF8_LOOKALIKE = b"hello"  # valid UTF-8: used to be sent unencoded


def image_reply(data: bytes) -> dict[str, object]:
    part = {"inlineData": {"mimeType": "image/png", "data": base64.b64encode(data).decode()}}
    return {"candidates": [{"content": {"role": "model", "parts": [part]}}]}


@pytest.mark.parametrize("data", [RAW, UTF8_LOOKALIKE, bytearray(RAW), memoryview(RAW)])
def test_raw_bytes_are_sent_as_base64(client: Client, server: LoopbackServer, data: bytes) -> None:
    server.add(GENERATE, Reply(json=image_reply(b"")))
    client.models.generate_content(
        model=MODEL,
        contents=[
            types.Content(parts=[types.Part(inline_data=types.Blob(mime_type="x", data=data))])
        ],
    )
    sent = server.requests[0].json()["contents"][0]["parts"][0]["inlineData"]["data"]
    assert base64.b64decode(sent) == bytes(data)


def test_a_str_is_base64_text(client: Client, server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(json=image_reply(b"")), Reply(json=image_reply(b"")))
    urlsafe = base64.urlsafe_b64encode(RAW).decode().rstrip("=")
    for text in (TINY_JPEG, urlsafe):
        client.models.generate_content(
            model=MODEL,
            contents=[{"parts": [{"inline_data": {"mime_type": "image/jpeg", "data": text}}]}],
        )
    sent = [r.json()["contents"][0]["parts"][0]["inlineData"]["data"] for r in server.requests]
    assert sent == [TINY_JPEG, base64.b64encode(RAW).decode()]


def test_a_str_that_is_not_base64_is_rejected_before_sending(
    client: Client, server: LoopbackServer
) -> None:
    with pytest.raises(gemini_client.ArgumentError) as info:
        client.models.generate_content(
            model=MODEL,
            contents=[{"parts": [{"text": "a"}, {"inlineData": {"mimeType": "x", "data": "%%%"}}]}],
        )
    assert isinstance(info.value, ValueError)
    assert str(info.value).startswith("contents[0].parts[1].inline_data.data: ")
    assert "base64" in str(info.value)
    assert server.requests == []


def test_response_bytes_are_decoded(client: Client, server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(json=image_reply(RAW)))
    resp = client.models.generate_content(model=MODEL, contents=[{"parts": [{"text": "draw"}]}])
    blob = resp.candidates[0].content.parts[0].inline_data  # type: ignore[index,union-attr]
    assert blob is not None and blob.data == RAW
    assert resp.to_dict()["candidates"][0]["content"]["parts"][0]["inlineData"]["data"] == (
        base64.b64encode(RAW).decode()
    )


def test_required_argument_given_as_none(client: Client, server: LoopbackServer) -> None:
    with pytest.raises(gemini_client.ArgumentError, match="^contents: required, got None"):
        client.models.generate_content(model=MODEL, contents=None)  # type: ignore[arg-type]
    assert server.requests == []


@pytest.mark.asyncio
async def test_async_bytes_and_none(aclient: AsyncClient, server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(json=image_reply(RAW)))
    resp = await aclient.models.generate_content(
        model=MODEL, contents=[{"parts": [{"inline_data": {"mime_type": "x", "data": RAW}}]}]
    )
    assert resp.candidates[0].content.parts[0].inline_data.data == RAW  # type: ignore[index,union-attr]
    sent = server.requests[0].json()["contents"][0]["parts"][0]["inlineData"]["data"]
    assert base64.b64decode(sent) == RAW
    with pytest.raises(gemini_client.ArgumentError):
        await aclient.models.generate_content(model=MODEL, contents=None)  # type: ignore[arg-type]
