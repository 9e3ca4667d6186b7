"""docs/migration.md: every block of "Side by side" runs, in order and in one namespace, against a
loopback server, and sends what google-genai's version would; every mistake of its table gets the
message the table shows."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from gemini_client import Client
from support.docblocks import ROOT, point_clients_at, python_blocks
from support.server import LoopbackServer, Reply, error_body

from .replies import COUNT, GENERATE, KEY, MODEL, STREAM, calls, json_text, streamed, text

DOC = ROOT / "docs" / "migration.md"
BATCH_EMBED = "/v1beta/models/gemini-embedding-001:batchEmbedContents"
BATCH = f"/v1beta/models/{MODEL}:batchGenerateContent"
WEATHER = ("get_current_weather", {"location": "Boston"})


def blocks() -> list[str]:
    return python_blocks(DOC, "## Side by side")


def bodies(server: LoopbackServer, since: int) -> list[dict[str, Any]]:
    return [r.json() if r.body else {} for r in server.requests[since:]]


Check = Callable[[list[dict[str, Any]], str], None]


def nothing(sent: list[dict[str, Any]], out: str) -> None:
    assert sent == [] and out == ""


def check_text(sent: list[dict[str, Any]], out: str) -> None:
    assert sent[0]["contents"] == [{"role": "user", "parts": [{"text": "Why is the sky blue?"}]}]
    assert out == "Rayleigh scattering.\n"


def check_mix(sent: list[dict[str, Any]], out: str) -> None:
    parts = sent[0]["contents"][0]["parts"]
    assert parts[0] == {"text": "What is this image about?"}
    assert parts[1]["fileData"]["mimeType"] == "image/jpeg"


def check_config(sent: list[dict[str, Any]], out: str) -> None:
    assert sent[0]["systemInstruction"]["parts"] == [{"text": "I say high, you say low"}]
    assert sent[0]["generationConfig"] == {"maxOutputTokens": 3, "temperature": 0.3}
    assert out == "low\n"


def check_safety(sent: list[dict[str, Any]], out: str) -> None:
    assert sent[0]["safetySettings"] == [
        {"category": "HARM_CATEGORY_HATE_SPEECH", "threshold": "BLOCK_ONLY_HIGH"}
    ]


def check_afc(sent: list[dict[str, Any]], out: str) -> None:
    assert len(sent) == 2
    assert sent[0]["tools"][0]["functionDeclarations"][0]["name"] == "get_current_weather"
    answer = sent[1]["contents"][-1]["parts"][0]["functionResponse"]
    assert answer == {
        "id": "call-0",
        "name": "get_current_weather",
        "response": {"result": "sunny"},
    }
    assert out == "It is sunny in Boston.\n"


def check_afc_off(sent: list[dict[str, Any]], out: str) -> None:
    assert len(sent) == 1 and out == "get_current_weather\n"


def check_manual(sent: list[dict[str, Any]], out: str) -> None:
    assert [c["role"] for c in sent[1]["contents"]] == ["user", "model", "tool"]


def check_any(sent: list[dict[str, Any]], out: str) -> None:
    assert len(sent) == 2  # maximum_remote_calls=2: the second answer's call is returned
    assert sent[0]["toolConfig"] == {"functionCallingConfig": {"mode": "ANY"}}


def check_pydantic(sent: list[dict[str, Any]], out: str) -> None:
    assert sent[0]["generationConfig"]["responseJsonSchema"]["required"] == ["name", "population"]
    assert out == "United States\n"


def check_enum(sent: list[dict[str, Any]], out: str) -> None:
    assert sent[0]["generationConfig"]["responseMimeType"] == "text/x.enum"
    assert out == "InstrumentEnum.PERCUSSION\n"


def check_stream(sent: list[dict[str, Any]], out: str) -> None:
    assert out == "Once upon a time.\n"


def check_async(sent: list[dict[str, Any]], out: str) -> None:
    assert out == "A story.\nMore story.\n"


def check_count(sent: list[dict[str, Any]], out: str) -> None:
    assert out == "6\n"


def check_embed(sent: list[dict[str, Any]], out: str) -> None:
    requests = sent[0]["requests"]
    assert [r["content"]["parts"][0]["text"] for r in requests] == [
        "why is the sky blue?",
        "What is your age?",
    ]
    assert {r["model"] for r in requests} == {"models/gemini-embedding-001"}
    assert all(r["outputDimensionality"] == 10 for r in requests)
    assert out == "2\n"


def check_list(sent: list[dict[str, Any]], out: str) -> None:
    assert out == "models/a\nmodels/b\n"


def check_chat(sent: list[dict[str, Any]], out: str) -> None:
    assert len(sent[1]["contents"]) == 3
    assert out == "Story 1.\nStory 2.\n4\n"


def check_cache(sent: list[dict[str, Any]], out: str) -> None:
    cache, generate = sent
    assert cache["model"] == f"models/{MODEL}" and cache["ttl"] == "3600s"
    assert cache["systemInstruction"]["parts"] == [{"text": "What is the sum of the two pdfs?"}]
    assert cache["contents"][0]["parts"] == [{"text": "A long document..."}]
    assert generate["cachedContent"] == "cachedContents/abc"


def check_batch(sent: list[dict[str, Any]], out: str) -> None:
    batch = sent[0]["batch"]
    assert batch["displayName"] == "inlined-requests-job-1"
    assert (
        batch["inputConfig"]["requests"]["requests"][0]["request"]["contents"][0]["role"] == "user"
    )
    assert out == "batches/123\n"


def check_interaction(sent: list[dict[str, Any]], out: str) -> None:
    assert sent == [{"model": MODEL, "input": "Tell me a short joke about programming."}]
    assert out == "A joke.\n"


def check_error(sent: list[dict[str, Any]], out: str) -> None:
    assert out == "404 models/invalid-model-name is not found\n"


def check_extra_body(sent: list[dict[str, Any]], out: str) -> None:
    assert sent[0]["tool_config"] == {"function_calling_config": {"mode": "COMPOSITIONAL"}}
    declared = sent[0]["tools"][0]["functionDeclarations"][0]
    assert declared["name"] == "get_current_weather"


STEPS: list[tuple[list[tuple[str, Reply]], Check]] = [
    ([], nothing),
    ([(GENERATE, text("Rayleigh scattering."))], check_text),
    ([(GENERATE, text("Scones."))], check_mix),
    ([(GENERATE, text("low"))], check_config),
    ([(GENERATE, text("No."))], check_safety),
    ([(GENERATE, calls(WEATHER)), (GENERATE, text("It is sunny in Boston."))], check_afc),
    ([(GENERATE, calls(WEATHER))], check_afc_off),
    ([(GENERATE, calls(WEATHER)), (GENERATE, text("Sunny."))], check_manual),
    ([(GENERATE, calls(WEATHER)), (GENERATE, calls(WEATHER))], check_any),
    ([(GENERATE, json_text({"name": "United States", "population": 331}))], check_pydantic),
    ([(GENERATE, text("Percussion"))], check_enum),
    ([(STREAM, streamed("Once ", "upon a time."))], check_stream),
    ([(GENERATE, text("A story.")), (STREAM, streamed("More ", "story."))], check_async),
    ([(COUNT, Reply(json={"totalTokens": 6}))], check_count),
    (
        [(BATCH_EMBED, Reply(json={"embeddings": [{"values": [0.1]}, {"values": [0.2]}]}))],
        check_embed,
    ),
    (
        [
            (
                "/v1beta/models",
                Reply(json={"models": [{"name": "models/a"}], "nextPageToken": "n"}),
            ),
            ("/v1beta/models", Reply(json={"models": [{"name": "models/b"}]})),
        ],
        check_list,
    ),
    ([(GENERATE, text("Story 1.")), (STREAM, streamed("Story ", "2."))], check_chat),
    (
        [
            ("/v1beta/cachedContents", Reply(json={"name": "cachedContents/abc"})),
            (GENERATE, text("Sum.")),
        ],
        check_cache,
    ),
    (
        [
            (
                "/v1beta/interactions",
                Reply(json={"id": "i-1", "status": "completed", "output_text": "A joke."}),
            )
        ],
        check_interaction,
    ),
    ([(BATCH, Reply(json={"name": "batches/123", "done": False}))], check_batch),
    (
        [
            (
                "/v1beta/models/invalid-model-name:generateContent",
                Reply(
                    status=404,
                    json=error_body(404, "NOT_FOUND", "models/invalid-model-name is not found"),
                ),
            )
        ],
        check_error,
    ),
    ([(GENERATE, text("Sunny in both."))], check_extra_body),
]


def test_the_section_has_a_step_per_block() -> None:
    assert len(blocks()) == len(STEPS) == 22


def test_every_block_runs(
    server: LoopbackServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GOOGLE_API_KEY", KEY)
    monkeypatch.delenv("GEMINI_API_KEY", raising=False)
    point_clients_at(monkeypatch, server.url, max_retries=0)
    namespace: dict[str, Any] = {"__name__": "migration"}
    for i, (block, (replies, check)) in enumerate(zip(blocks(), STEPS, strict=True), start=1):
        for path, reply in replies:
            server.add(path, reply)
        since = len(server.requests)
        capsys.readouterr()
        exec(compile(block, f"{DOC.name} block {i}", "exec"), namespace)
        sent = bodies(server, since)
        try:
            check(sent, capsys.readouterr().out)
        except AssertionError as exc:
            raise AssertionError(f"block {i}: {exc}\n{json.dumps(sent, indent=1)[:2000]}") from exc


def mistakes() -> list[tuple[str, str]]:
    section = DOC.read_text(encoding="utf-8").split("## The 10 most common mistakes", 1)[1]
    rows = re.findall(r"^\| `?(.+?)`? \| `(.+)` \|$", section, flags=re.M)
    return [(code, message) for code, message in rows if code != "Mistake"]


async def my_tool() -> str:
    return "x"


MISTAKES: dict[str, Callable[[Client], object]] = {
    "types.GenerationConfig(tempreature=0.2)": lambda c: __import__(
        "gemini_client"
    ).types.GenerationConfig(tempreature=0.2),
    'config={"tempreature": 0.2}': lambda c: c.models.generate_content(
        model=MODEL, contents="x", config={"tempreature": 0.2}
    ),
    "generate_content(..., confg=...)": lambda c: c.models.generate_content(
        model=MODEL, contents="x", confg={}
    ),
    "client.models.generate_content_strem(...)": lambda c: c.models.generate_content_strem,
    'generation_config={"temprature": 1}` (dict key)': lambda c: c.models.generate_content(
        model=MODEL, contents="x", generation_config={"temprature": 1}
    ),
    'contents=[{"part": [...]}]': lambda c: c.models.generate_content(
        model=MODEL, contents=[{"part": [{"text": "x"}]}]
    ),
    'both `config={"temperature": 1}` and `generation_config=...': lambda c: (
        c.models.generate_content(
            model=MODEL,
            contents="x",
            config={"temperature": 1},
            generation_config={"top_k": 1},
        )
    ),
    "an `async def` tool on `Client": lambda c: c.chats.create(model=MODEL, tools=[my_tool]),
    'caches.update(cache, ttl="5 minutes")': lambda c: c.caches.update("c1", ttl="5 minutes"),
}


def test_ten_mistakes_listed() -> None:
    assert len(mistakes()) == 10


@pytest.mark.parametrize(("code", "message"), mistakes(), ids=[m[0] for m in mistakes()])
def test_each_mistake_gets_its_message(code: str, message: str) -> None:
    if code.startswith("async for"):  # Python's own message, as with google-genai
        return
    client = Client(api_key=KEY, base_url="http://127.0.0.1:9")
    kind, _, text_ = message.partition(": ")
    with pytest.raises(Exception) as info:
        MISTAKES[code](client)
    assert type(info.value).__name__ == kind or kind in [
        c.__name__ for c in type(info.value).__mro__
    ]
    assert str(info.value) == text_
