"""README's "Interactions, MCP tools and local token counting" runs as written, against loopback."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
import sentencepiece

from gemini_client.lib import _local_tokens
from support.docblocks import ROOT, point_clients_at, python_blocks
from support.server import LoopbackServer, Reply, sse

from . import mcp_server
from .bodies import ID, INTERACTIONS, KEY, events, interaction

SECTION = "## Interactions, MCP tools and local token counting"
GENERATE = "/v1beta/models/gemini-2.5-flash:generateContent"


def run(block: str) -> None:
    namespace: dict[str, Any] = {}
    exec(compile(block, "README.md", "exec"), namespace)


@pytest.fixture
def blocks(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    monkeypatch.setenv("GEMINI_API_KEY", KEY)
    monkeypatch.chdir(tmp_path)
    point_clients_at(monkeypatch, server.url, max_retries=0)
    return python_blocks(ROOT / "README.md", SECTION)


def test_interactions_block(
    blocks: list[str], server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.add(INTERACTIONS, Reply(json=interaction()), Reply(chunks=[sse(*events(3))]))
    server.add(f"{INTERACTIONS}/{ID}", Reply(json={}))
    run(blocks[0])
    assert capsys.readouterr().out == "Sunny in Paris.\nw0 w1 w2 \n"
    create, stream, delete = server.requests
    assert create.json() == {"model": "gemini-2.5-flash", "input": "Name a French city."}
    assert stream.json()["previous_interaction_id"] == ID and stream.json()["stream"] is True
    assert (delete.method, delete.path) == ("DELETE", f"{INTERACTIONS}/{ID}")


@pytest.mark.xdist_group("mcp")  # on the worker that imports mcp for test_mcp
def test_mcp_block(
    blocks: list[str], server: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    call = {"functionCall": {"name": "add", "args": {"a": 2, "b": 3}}}
    server.add(
        GENERATE,
        Reply(json={"candidates": [{"content": {"role": "model", "parts": [call]}}]}),
        Reply(json={"candidates": [{"content": {"role": "model", "parts": [{"text": "5"}]}}]}),
    )
    with mcp_server.McpLoopback() as mcp:
        assert "http://localhost:8000/mcp" in blocks[1]
        run(blocks[1].replace("http://localhost:8000/mcp", mcp.url))
    assert capsys.readouterr().out == "5\n"
    parts = server.requests[1].json()["contents"][-1]["parts"]
    assert parts == [{"functionResponse": {"name": "add", "response": {"result": 5}}}]


def test_local_tokens_block(
    blocks: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = io.BytesIO()
    lines = ["What is your name?", "Be brief, please."] * 30
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=out,
        vocab_size=40,
        minloglevel=2,
        hard_vocab_limit=False,
    )
    (tmp_path / "gemma3_cleaned_262144_v2.spiece.model").write_bytes(out.getvalue())
    # A tiny stand-in for Gemma 3's file: the block checks the hash of the file it reads.
    monkeypatch.setattr(_local_tokens, "GEMMA3_SHA256", hashlib.sha256(out.getvalue()).hexdigest())
    run(blocks[2])
    sp = sentencepiece.SentencePieceProcessor(model_proto=out.getvalue())
    expected = len(sp.encode("What is your name?")) + len(sp.encode("Be brief."))
    assert capsys.readouterr().out == f"{expected}\n"
