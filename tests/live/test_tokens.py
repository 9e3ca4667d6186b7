"""Ephemeral tokens: a server creates one with its key (auth_tokens.create, documented in v1beta
since Discovery revision 20260702), a browser-like
client opens a Live session with the token alone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from gemini_client import AsyncClient, BadRequestError, Client, types
from support.server import LoopbackServer, Reply, error_body

from .conftest import KEY, MODEL
from .wsserver import LiveServer

TOKEN = {
    "name": "auth_tokens/e1a2b3c4",
    "expireTime": "2026-11-25T17:30:00Z",
    "newSessionExpireTime": "2026-11-25T17:01:00Z",
    "uses": 1,
}


@pytest.fixture(scope="module")
def http_server() -> Iterator[LoopbackServer]:
    server = LoopbackServer().start()
    yield server
    server.stop()


def test_create_sends_the_constraints_and_parses_the_token(http_server: LoopbackServer) -> None:
    http_server.reset()
    http_server.add("/v1beta/auth_tokens", Reply(json=TOKEN))
    with Client(api_key=KEY, base_url=http_server.url) as client:
        token = client.auth_tokens.create(
            uses=1,
            expire_time="2026-11-25T17:30:00Z",
            bidi_generate_content_setup={
                "model": f"models/{MODEL}",
                "generation_config": {"response_modalities": ["AUDIO"], "temperature": 0.7},
            },
            field_mask="generationConfig.temperature",
        )
    assert token == types.AuthToken.model_validate(TOKEN)
    assert token.name == "auth_tokens/e1a2b3c4"
    [request] = http_server.requests
    assert (request.method, request.path) == ("POST", "/v1beta/auth_tokens")
    assert request.headers["x-goog-api-key"] == KEY
    assert request.json() == {
        "expireTime": "2026-11-25T17:30:00Z",
        "uses": 1,
        "bidiGenerateContentSetup": {
            "model": f"models/{MODEL}",
            "generationConfig": {"responseModalities": ["AUDIO"], "temperature": 0.7},
        },
        "fieldMask": "generationConfig.temperature",
    }


def test_the_method_follows_the_client_version_like_every_other(
    http_server: LoopbackServer,
) -> None:
    """Google documents auth_tokens.create in v1beta (no longer a hand-written v1alpha method):
    like every other method it follows the client's `api_version`."""
    http_server.reset()
    http_server.add("/v1/auth_tokens", Reply(json=TOKEN), Reply(json=TOKEN))
    http_server.add("/v1/models/m", Reply(json={"name": "models/m"}))
    with Client(api_key=KEY, base_url=http_server.url, api_version="v1") as client:
        client.auth_tokens.create(uses=1)
        client.auth_tokens.with_raw_response.create(uses=2)
        client.models.get(name="m")
    assert [r.path for r in http_server.requests] == [
        "/v1/auth_tokens",
        "/v1/auth_tokens",
        "/v1/models/m",
    ]


@pytest.mark.asyncio
async def test_a_refused_token_request_is_a_typed_error(http_server: LoopbackServer) -> None:
    http_server.reset()
    body = error_body(400, "INVALID_ARGUMENT", "uses must be >= 0")
    http_server.add("/v1beta/auth_tokens", Reply(400, json=body))
    async with AsyncClient(api_key=KEY, base_url=http_server.url, max_retries=0) as client:
        with pytest.raises(BadRequestError, match="uses must be >= 0"):
            await client.auth_tokens.create(uses=-1)


@pytest.mark.asyncio
async def test_the_token_opens_a_constrained_session_without_the_key(
    http_server: LoopbackServer, live_server: LiveServer
) -> None:
    http_server.reset()
    http_server.add("/v1beta/auth_tokens", Reply(json=TOKEN))
    async with AsyncClient(api_key=KEY, base_url=http_server.url) as server_side:
        token = await server_side.auth_tokens.create(uses=1)
    assert token.name is not None
    async with AsyncClient(api_key=token.name, base_url=live_server.url) as browser:
        async with browser.live.connect(model=MODEL) as session:
            assert session.setup_complete is not None
    [peer] = live_server.peers
    assert (
        peer.path
        == "/ws/google.ai.generativelanguage.v1alpha.GenerativeService.BidiGenerateContentConstrained"
    )
    assert peer.headers["authorization"] == "Token auth_tokens/e1a2b3c4"
    assert "x-goog-api-key" not in peer.headers
    assert KEY not in str(peer.headers) and KEY not in str(peer.received)
