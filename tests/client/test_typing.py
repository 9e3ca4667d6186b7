"""The generated package and a user's program pass ``mypy --strict``; wrong usage does not.

``typed_usage.py`` is also run against a loopback server, so the typed example stays true at run
time. mypy runs once for every typed program of the suite (support.mypy_run, the ``mypy_strict``
fixture), its cache in ``.mypy_cache/tests`` (ignored by git).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from gemini_client import AsyncClient, Client
from support.mypy_run import ROOT, MypyReport, program, typed
from support.server import LoopbackServer, Reply, sse

from . import typed_usage
from .bodies import (
    BATCH_EMBED,
    BATCH_EMBEDDINGS,
    COUNT,
    COUNT_TOKENS,
    EMBED,
    EMBEDDING,
    ERRORS,
    GEMINI_25_FLASH,
    GENERATE,
    LIST,
    MODEL,
    STREAM,
    generate_response,
    model,
    stream_chunks,
)

# the tests of the one mypy run (the mypy_strict fixture): on one xdist worker, which runs it once
pytestmark = pytest.mark.xdist_group("mypy-cache")

PACKAGE = typed("generated/gemini_client", imported=True)
USAGE = typed("tests/client/typed_usage.py")


def test_package_and_typed_usage_pass_mypy_strict(mypy_strict: MypyReport) -> None:
    assert mypy_strict.clean(PACKAGE) == ""
    assert mypy_strict.clean(USAGE) == ""


def test_mypy_is_never_led_into_optional_extras() -> None:
    """`mcp` and Pillow are imported by name where they are used (a session's own package, an
    image to open): a statement `import mcp`/`from PIL import ...` would have mypy analyse them and
    all they import (mcp's server, starlette, uvicorn, cryptography...: 380 modules, a third of a
    cold run) in every project that imports the client with them installed."""
    statement = re.compile(r"^\s*(?:import|from)\s+(?:mcp|PIL)\b", re.MULTILINE)
    package = ROOT / "generated" / "gemini_client"
    found = [
        f"{path.relative_to(ROOT)}:{source[: m.start()].count(chr(10)) + 1}"
        for path in sorted(package.rglob("*.py"))
        for source in [path.read_text(encoding="utf-8")]
        for m in statement.finditer(source)
    ]
    assert found == []


WRONG = """\
from gemini_client import AsyncClient, Client, types

client = Client(api_key="k")
client.models.generate_content(model="gemini-2.5-flash", contents=5)
client.models.generate_content(model="gemini-2.5-flash", contents=[], temprature=0.2)
resp = client.models.generate_content(model="gemini-2.5-flash", contents=[])
assert resp.candidates
resp.candidates[0].nope
client.models.get(nmae="gemini-2.5-flash")
types.Part(inline_data=b"\\xff\\xd8")
text: str = resp.candidates[0].content


async def forgot_await(aclient: AsyncClient) -> None:
    aclient.models.generate_content(model="m", contents=[]).candidates
    for chunk in await aclient.models.stream_generate_content(model="m", contents=[]):
        pass
"""

EXPECTED = {
    (4, "arg-type"),  # contents=5
    (5, "call-arg"),  # unknown keyword
    (8, "attr-defined"),  # .nope
    (9, "call-overload"),  # get() takes name= (or google-genai's model=)
    (10, "arg-type"),  # bytes where a Blob goes
    (11, "assignment"),  # a Content is not a str
    (15, "attr-defined"),  # a coroutine has no .candidates
    (16, "attr-defined"),  # an AsyncStream is not a sync iterable
}


WRONG_USAGE = program("client_wrong_usage", WRONG)


def test_wrong_usage_is_rejected(mypy_strict: MypyReport) -> None:
    assert mypy_strict.codes(WRONG_USAGE) == EXPECTED, mypy_strict.stdout
    errors = "\n".join(mypy_strict.errors(WRONG_USAGE))
    assert '"Candidate" has no attribute "nope"' in errors
    assert 'Unexpected keyword argument "temprature"' in errors


def test_typed_usage_runs_sync(server: LoopbackServer) -> None:
    page = {"models": [model("gemini-2.5-flash"), model("gemini-2.5-pro")]}
    server.add(
        GENERATE,
        Reply(json=generate_response("AI learns patterns.")),
        Reply(json=generate_response("A tiny image.")),
        Reply(json=generate_response("Eight paws.")),
        Reply(429, ERRORS[429]),
        Reply(json=generate_response("raw"), headers={"x-goog-request-id": "r-1"}),
    )
    server.add(STREAM, Reply(chunks=[sse(*stream_chunks(4))]))
    server.add(LIST, Reply(json=page), Reply(json=page), Reply(json=page))
    server.add(f"/v1beta/models/{MODEL}", Reply(json=GEMINI_25_FLASH))
    server.add(COUNT, Reply(json=COUNT_TOKENS))
    server.add(EMBED, Reply(json=EMBEDDING))
    server.add(BATCH_EMBED, Reply(json=BATCH_EMBEDDINGS))
    with Client(api_key="AIzaSy-typed", base_url=server.url) as client:
        got = typed_usage.run_sync(client)
    assert got == {
        "text": "AI learns patterns.",
        "caption": "A tiny image.",
        "chat": ("Eight paws.", 4 + 2 + 12),
        "stream": (["w0 ", "w1 ", "w2 ", "w3 "], "STOP", True),
        "models": (["models/gemini-2.5-flash", "models/gemini-2.5-pro"], 1, "Gemini 2.5 Flash"),
        "tokens": (31, EMBEDDING["embedding"]["values"], 3),
        "errors": "rate limited (RESOURCE_EXHAUSTED), retry in ['17s']",
        "raw": (200, "r-1", "raw"),
    }
    chat_request = server.requests[2]
    assert chat_request.headers["x-trace"] == "chat"
    assert chat_request.json()["systemInstruction"] == {
        "parts": [{"text": "Answer in one sentence."}]
    }
    assert server.requests[1].json()["generationConfig"] == {
        "temperature": 0.4,
        "maxOutputTokens": 256,
    }


@pytest.mark.asyncio
async def test_typed_usage_runs_async(server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(json=generate_response("AI learns patterns.")))
    server.add(STREAM, Reply(chunks=[sse(*stream_chunks(3))]))
    server.add(LIST, Reply(json={"models": [model("gemini-2.5-flash")]}))
    server.add(COUNT, Reply(json=COUNT_TOKENS))
    server.add("/v1beta/models/gemini-0.5-ultra", Reply(404, ERRORS[404]))
    async with AsyncClient(api_key="AIzaSy-typed", base_url=server.url) as client:
        got: dict[str, Any] = await typed_usage.run_async(client)
    assert got == {
        "text": "AI learns patterns.",
        "stream": ["w0 ", "w1 ", "w2 "],
        "models": ["models/gemini-2.5-flash"],
        "tokens": 31,
        "missing": True,
    }
