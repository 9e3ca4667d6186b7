"""The Interactions API as a user's typed program sees it: mypy --strict passes, and the program runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from gemini_client import AsyncClient, Client, types
from support.mypy_run import MypyReport, program, typed
from support.server import LoopbackServer, Reply, sse

from . import typed_interactions
from .bodies import ID, INTERACTIONS, KEY, events, interaction

WRONG = """\
from gemini_client import AsyncClient, Client, types

client = Client(api_key="k")
client.interactions.create(model="m", input="x", temperature=0.2)
got = client.interactions.create(model="m", input="x")
got.steps[0]
name: int = got.steps[0].name if got.steps else 0
client.interactions.get("some-id")
for event in client.interactions.create_stream(model="m", input="x"):
    event.delta.text


async def forgot_await(aclient: AsyncClient) -> None:
    aclient.interactions.create(model="m", input="x").status
"""

EXPECTED = {
    (4, "call-arg"),  # temperature goes in generation_config
    (6, "index"),  # steps may be None
    (7, "assignment"),  # a step's name is a str
    (8, "call-arg"),  # keyword-only: id=
    (10, "union-attr"),  # delta may be None
    (14, "attr-defined"),  # a coroutine has no .status
}


TYPED = typed("tests/interactions/typed_interactions.py")  # with mcp and sentencepiece
WRONG_INTERACTIONS = program("interactions_wrong_usage", WRONG)


# a test of the one mypy run (the mypy_strict fixture): on the worker that runs it
@pytest.mark.xdist_group("mypy-cache")
def test_typed_program_passes_and_wrong_usage_fails_mypy_strict(mypy_strict: MypyReport) -> None:
    assert mypy_strict.clean(TYPED) == ""
    assert mypy_strict.codes(WRONG_INTERACTIONS) == EXPECTED, mypy_strict.stdout


def test_typed_program_runs_sync(server: LoopbackServer) -> None:
    server.add(
        INTERACTIONS, Reply(json=interaction("requires_action")), Reply(chunks=[sse(*events(3))])
    )
    server.add(f"{INTERACTIONS}/{ID}", Reply(json=interaction()), Reply(json={}))
    with Client(api_key=KEY, base_url=server.url) as client:
        got = typed_interactions.run_sync(client)
    assert got == {
        "status": types.InteractionStatus.requires_action,
        "calls": 1,
        "text": "w0 w1 w2 ",
    }
    assert server.requests[1].json()["input"][0]["call_id"] == "call-1"
    assert server.requests[1].json()["previous_interaction_id"] == ID


@pytest.mark.asyncio
async def test_typed_program_runs_async(server: LoopbackServer) -> None:
    server.add(INTERACTIONS, Reply(json=interaction()))
    server.add(f"{INTERACTIONS}/{ID}", Reply(chunks=[sse(*events(2))]))
    server.add(f"{INTERACTIONS}/{ID}/cancel", Reply(json=interaction("cancelled")))
    async with AsyncClient(api_key=KEY, base_url=server.url) as client:
        got = await typed_interactions.run_async(client)
    assert got == {"status": types.InteractionStatus.cancelled, "text": "w0 w1 "}


@pytest.mark.xdist_group("mcp")  # on the worker that imports mcp (~1.5 s) for test_mcp
@pytest.mark.asyncio
async def test_typed_mcp_program_runs(server: LoopbackServer) -> None:
    from . import mcp_server

    generate = "/v1beta/models/gemini-2.5-flash:generateContent"
    call = {"functionCall": {"name": "add", "args": {"a": 2, "b": 3}, "id": "c"}}
    server.add(
        generate,
        Reply(json={"candidates": [{"content": {"role": "model", "parts": [call]}}]}),
        Reply(json={"candidates": [{"content": {"role": "model", "parts": [{"text": "5"}]}}]}),
    )
    with mcp_server.McpLoopback() as mcp:
        async with AsyncClient(api_key=KEY, base_url=server.url) as client:
            got = await typed_interactions.run_mcp(client, mcp.url)
    assert got == "5 {'result': 3}"
    response = server.requests[1].json()["contents"][-1]["parts"][0]["functionResponse"]
    assert response == {"name": "add", "response": {"result": 5}, "id": "c"}


def test_typed_local_count_runs(tmp_path: Path) -> None:
    import io

    import sentencepiece

    out = io.BytesIO()
    lines = ["What is your name? Be brief.", "My name is Gemini."] * 30
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=out,
        vocab_size=40,
        minloglevel=2,
        hard_vocab_limit=False,
    )
    (tmp_path / "m.model").write_bytes(out.getvalue())
    sp = sentencepiece.SentencePieceProcessor(model_proto=out.getvalue())
    expected = len(sp.encode("What is your name?")) + len(sp.encode("Be brief."))
    assert typed_interactions.count_locally(str(tmp_path / "m.model")) == expected
