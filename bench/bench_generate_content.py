"""1. generate_content round trips: 1000 sequential calls, ~5 KB response, three clients, sync
and async (one awaited call after another on one event loop)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable

from _common import (
    API_KEY,
    BASELINE,
    CONTENTS,
    MODEL,
    check_wire_shape,
    fail,
    generate_content_response,
    goal_line,
    measure_cpu,
    quick,
    report,
    require,
    serve,
    summarise,
    table,
)

CALLS = quick(1000, 100)
ASYNC_CALLS = quick(500, 100)  # async calls cost more (all three clients): `make bench` time
ROUNDS = quick(7, 2)
GOAL = 1.10

Times = tuple[dict[str, list[float]], dict[str, list[float]]]


def main() -> None:
    expected = generate_content_response()
    check_wire_shape(expected)
    text = expected["candidates"][0]["content"]["parts"][0]["text"]
    with serve() as url:
        sync_wall, sync_cpu = _sync(url, text)
        async_wall, async_cpu = _async(url, text)

    sync_rows, async_rows = summarise(sync_wall), summarise(async_wall)
    body = (
        f"Sequential `generate_content` calls ({CALLS} sync, {ASYNC_CALLS} async per round), "
        f"{ROUNDS} rounds interleaved; ~5 KB response. CPU is this process's (the server is "
        "another).\n\nSync (`httpx.Client`, `gemini_client.Client`, `genai.Client`):\n\n"
        + table(sync_rows, per=f" /{CALLS} calls", cpu=summarise(sync_cpu))
        + "\n\n"
        + goal_line("gemini_client", sync_rows["gemini_client"]["ratio"], GOAL, "sync x raw httpx")
        + "\n\nAsync, each call awaited before the next on one asyncio loop (`httpx.AsyncClient`, "
        "`gemini_client.AsyncClient`, `genai.Client(...).aio`):\n\n"
        + table(async_rows, per=f" /{ASYNC_CALLS} calls", cpu=summarise(async_cpu))
        + "\n\n"
        + goal_line(
            "gemini_client", async_rows["gemini_client"]["ratio"], GOAL, "async x raw httpx"
        )
    )
    report("1. generate_content round trips", body)


def _sync(url: str, text: str) -> Times:
    httpx = require("httpx")
    gemini_client = require("gemini_client")
    genai = require("google.genai")
    gtypes = require("google.genai.types")
    raw = httpx.Client()
    ours = gemini_client.Client(api_key=API_KEY, base_url=url)
    google = genai.Client(api_key=API_KEY, http_options=gtypes.HttpOptions(base_url=url))
    endpoint = f"{url}/v1beta/models/{MODEL}:generateContent"
    headers = {"x-goog-api-key": API_KEY}

    def call_raw() -> str:
        r = raw.post(endpoint, json={"contents": CONTENTS}, headers=headers)
        r.raise_for_status()
        return json.loads(r.content)["candidates"][0]["content"]["parts"][0]["text"]

    def call_ours() -> str:
        r = ours.models.generate_content(model=MODEL, contents=CONTENTS)
        return r.candidates[0].content.parts[0].text

    def call_google() -> str:
        r = google.models.generate_content(model=MODEL, contents=CONTENTS)
        return r.candidates[0].content.parts[0].text

    calls = {BASELINE: call_raw, "gemini_client": call_ours, "google-genai": call_google}
    for name, call in calls.items():  # warm up: connections, lazy imports, pydantic schemas
        if call() != text:
            fail(f"{name} did not return the served text")

    def loop(call: Callable[[], str]) -> Callable[[], object]:
        return lambda: [call() for _ in range(CALLS)]

    times = measure_cpu({n: loop(c) for n, c in calls.items()}, rounds=ROUNDS)
    raw.close()
    ours.close()
    return times


def _async(url: str, text: str) -> Times:
    httpx = require("httpx")
    gemini_client = require("gemini_client")
    genai = require("google.genai")
    gtypes = require("google.genai.types")
    loop = asyncio.new_event_loop()
    raw = httpx.AsyncClient()
    ours = gemini_client.AsyncClient(api_key=API_KEY, base_url=url)
    google = genai.Client(api_key=API_KEY, http_options=gtypes.HttpOptions(base_url=url)).aio
    endpoint = f"{url}/v1beta/models/{MODEL}:generateContent"
    headers = {"x-goog-api-key": API_KEY}

    async def call_raw() -> str:
        r = await raw.post(endpoint, json={"contents": CONTENTS}, headers=headers)
        r.raise_for_status()
        return json.loads(r.content)["candidates"][0]["content"]["parts"][0]["text"]

    async def call_ours() -> str:
        r = await ours.models.generate_content(model=MODEL, contents=CONTENTS)
        return r.candidates[0].content.parts[0].text

    async def call_google() -> str:
        r = await google.models.generate_content(model=MODEL, contents=CONTENTS)
        return r.candidates[0].content.parts[0].text

    calls = {BASELINE: call_raw, "gemini_client": call_ours, "google-genai": call_google}
    for name, call in calls.items():
        if loop.run_until_complete(call()) != text:
            fail(f"{name} (async) did not return the served text")

    async def sequential(call: Callable[[], Awaitable[object]]) -> None:
        for _ in range(ASYNC_CALLS):
            await call()

    times = measure_cpu(
        {n: lambda c=c: loop.run_until_complete(sequential(c)) for n, c in calls.items()},
        rounds=ROUNDS,
    )
    loop.run_until_complete(raw.aclose())
    loop.run_until_complete(ours.aclose())
    loop.run_until_complete(google.aclose())
    loop.close()
    return times


if __name__ == "__main__":
    main()
