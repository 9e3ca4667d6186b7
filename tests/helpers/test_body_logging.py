"""DEBUG logging shows request and response bodies on `gemini_client.bodies`, the key redacted
even where the server echoes it, bounded in size; streamed bodies are not read for it."""

from __future__ import annotations

import logging

import pytest

from gemini_client import Client
from support.server import LoopbackServer, Reply

from .replies import GENERATE, KEY, MODEL, STREAM, answer, streamed


def test_bodies_logged_with_the_key_redacted(
    client: Client, server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.add(GENERATE, Reply(json=answer({"text": f"your key is {KEY}"})))
    with caplog.at_level(logging.DEBUG, logger="gemini_client"):
        client.models.generate_content(model=MODEL, contents=f"echo {KEY} please")
    bodies = [r.getMessage() for r in caplog.records if r.name == "gemini_client.bodies"]
    assert len(bodies) == 2
    assert bodies[0].startswith("request body: ") and "echo REDACTED please" in bodies[0]
    assert bodies[1].startswith("response body: ") and "your key is REDACTED" in bodies[1]
    assert all(KEY not in r.getMessage() for r in caplog.records)


def test_quiet_unless_debug(
    client: Client, server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.add(GENERATE, Reply(json=answer({"text": "hi"})))
    with caplog.at_level(logging.INFO, logger="gemini_client"):
        client.models.generate_content(model=MODEL, contents="hi")
    assert [r for r in caplog.records if r.name.startswith("gemini_client")] == []


def test_large_bodies_are_cut_and_streams_not_read(
    client: Client, server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.add(GENERATE, Reply(json=answer({"text": "x" * 100_000})))
    server.add(STREAM, streamed("a", "b"))
    with caplog.at_level(logging.DEBUG, logger="gemini_client"):
        client.models.generate_content(model=MODEL, contents="long")
        with client.models.stream_generate_content(model=MODEL, contents="s") as stream:
            assert "".join(c.text or "" for c in stream) == "ab"
    bodies = [r.getMessage() for r in caplog.records if r.name == "gemini_client.bodies"]
    assert len(bodies[1]) < 17_000 and "bytes in all)" in bodies[1]
    assert bodies[3] == "response body: (streamed, not logged)"
