"""2. Streaming: 100 answers of 50 SSE chunks each, consumed as typed chunks (raw: dicts), sync
and async (one awaited stream after another on one event loop)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable

from _common import (
    API_KEY,
    BASELINE,
    CONTENTS,
    MODEL,
    STREAM_CHUNKS,
    check_wire_shape,
    fail,
    goal_line,
    measure_cpu,
    quick,
    report,
    require,
    serve,
    stream_chunks,
    summarise,
    table,
)

ANSWERS = quick(100, 10)
ROUNDS = quick(7, 2)
GOAL = 1.25

Times = tuple[dict[str, list[float]], dict[str, list[float]]]


def main() -> None:
    chunks = stream_chunks()
    for chunk in chunks:
        check_wire_shape(chunk)
    expected = sum(len(c["candidates"][0]["content"]["parts"][0]["text"]) for c in chunks)
    with serve() as url:
        sync_wall, sync_cpu = _sync(url, expected)
        async_wall, async_cpu = _async(url, expected)

    per = f" /{ANSWERS} answers"
    sync_rows, async_rows = summarise(sync_wall), summarise(async_wall)
    body = (
        f"{ANSWERS} streamed answers of {STREAM_CHUNKS} SSE chunks each per round "
        f"({ANSWERS * STREAM_CHUNKS} chunks), {ROUNDS} rounds interleaved; every chunk parsed "
        "(typed for both SDKs, `json.loads` for raw httpx). CPU is this process's (the server is "
        "another).\n\nSync:\n\n"
        + table(sync_rows, per=per, cpu=summarise(sync_cpu))
        + "\n\n"
        + goal_line("gemini_client", sync_rows["gemini_client"]["ratio"], GOAL, "sync x raw httpx")
        + "\n\nAsync, each answer read to its end before the next is asked for, on one asyncio "
        "loop:\n\n"
        + table(async_rows, per=per, cpu=summarise(async_cpu))
        + "\n\n"
        + goal_line(
            "gemini_client", async_rows["gemini_client"]["ratio"], GOAL, "async x raw httpx"
        )
    )
    report("2. Streaming", body)


def _text(chunk: dict) -> str:
    return chunk["candidates"][0]["content"]["parts"][0]["text"]


def _sync(url: str, expected: int) -> Times:
    httpx = require("httpx")
    gemini_client = require("gemini_client")
    genai = require("google.genai")
    gtypes = require("google.genai.types")
    raw = httpx.Client()
    ours = gemini_client.Client(api_key=API_KEY, base_url=url)
    google = genai.Client(api_key=API_KEY, http_options=gtypes.HttpOptions(base_url=url))
    endpoint = f"{url}/v1beta/models/{MODEL}:streamGenerateContent"
    headers = {"x-goog-api-key": API_KEY}

    def answer_raw() -> int:
        n = 0
        with raw.stream(
            "POST", endpoint, params={"alt": "sse"}, json={"contents": CONTENTS}, headers=headers
        ) as r:
            r.raise_for_status()
            for line in r.iter_lines():
                if line.startswith("data:"):
                    n += len(_text(json.loads(line[5:])))
        return n

    def answer_ours() -> int:
        return sum(
            len(c.candidates[0].content.parts[0].text)
            for c in ours.models.stream_generate_content(model=MODEL, contents=CONTENTS)
        )

    def answer_google() -> int:
        return sum(
            len(c.candidates[0].content.parts[0].text)
            for c in google.models.generate_content_stream(model=MODEL, contents=CONTENTS)
        )

    answers = {BASELINE: answer_raw, "gemini_client": answer_ours, "google-genai": answer_google}
    for name, answer in answers.items():  # warm up, and check every chunk arrives
        if (got := answer()) != expected:
            fail(f"{name} read {got} characters of text, expected {expected}")

    def loop(answer: Callable[[], int]) -> Callable[[], object]:
        return lambda: [answer() for _ in range(ANSWERS)]

    times = measure_cpu({n: loop(a) for n, a in answers.items()}, rounds=ROUNDS)
    raw.close()
    ours.close()
    return times


def _async(url: str, expected: int) -> Times:
    httpx = require("httpx")
    gemini_client = require("gemini_client")
    genai = require("google.genai")
    gtypes = require("google.genai.types")
    loop = asyncio.new_event_loop()
    raw = httpx.AsyncClient()
    ours = gemini_client.AsyncClient(api_key=API_KEY, base_url=url)
    google = genai.Client(api_key=API_KEY, http_options=gtypes.HttpOptions(base_url=url)).aio
    endpoint = f"{url}/v1beta/models/{MODEL}:streamGenerateContent"
    headers = {"x-goog-api-key": API_KEY}

    async def answer_raw() -> int:
        n = 0
        async with raw.stream(
            "POST", endpoint, params={"alt": "sse"}, json={"contents": CONTENTS}, headers=headers
        ) as r:
            r.raise_for_status()
            async for line in r.aiter_lines():
                if line.startswith("data:"):
                    n += len(_text(json.loads(line[5:])))
        return n

    async def answer_ours() -> int:
        n = 0
        async for c in await ours.models.stream_generate_content(model=MODEL, contents=CONTENTS):
            n += len(c.candidates[0].content.parts[0].text)
        return n

    async def answer_google() -> int:
        n = 0
        async for c in await google.models.generate_content_stream(model=MODEL, contents=CONTENTS):
            n += len(c.candidates[0].content.parts[0].text)
        return n

    answers = {BASELINE: answer_raw, "gemini_client": answer_ours, "google-genai": answer_google}
    for name, answer in answers.items():
        if (got := loop.run_until_complete(answer())) != expected:
            fail(f"{name} (async) read {got} characters of text, expected {expected}")

    async def sequential(answer: Callable[[], Awaitable[object]]) -> None:
        for _ in range(ANSWERS):
            await answer()

    times = measure_cpu(
        {n: lambda a=a: loop.run_until_complete(sequential(a)) for n, a in answers.items()},
        rounds=ROUNDS,
    )
    loop.run_until_complete(raw.aclose())
    loop.run_until_complete(ours.aclose())
    loop.run_until_complete(google.aclose())
    loop.close()
    return times


if __name__ == "__main__":
    main()
