"""3. Async under concurrency: 200 concurrent generate_content calls through one client.

Every measure is preceded, untimed, by one batch through the same client: each pool starts its
timed batches in the state steady load leaves it in. Without that, a client whose connections
expired while the other two were timed (httpx's default keep-alive expiry is 5 s, about as long as
the others take) rebuilt them in the timed run, and with httpcore 1.x's pool (raw httpx's)
that round cost up to 3x the CPU of one on a warm pool: the rows were bimodal, set by how long
the other rows took.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

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

CONCURRENT = 200
BATCHES = quick(3, 1)  # per measure, so each figure is long enough to time
ROUNDS = quick(7, 2)
GOAL = 1.10


def main() -> None:
    httpx = require("httpx")
    gemini_client = require("gemini_client")
    genai = require("google.genai")
    gtypes = require("google.genai.types")
    expected = generate_content_response()
    check_wire_shape(expected)
    text = expected["candidates"][0]["content"]["parts"][0]["text"]
    loop = asyncio.new_event_loop()

    with serve() as url:
        raw = httpx.AsyncClient(timeout=600)  # as gemini_client: a busy machine is no failure
        ours = gemini_client.AsyncClient(api_key=API_KEY, base_url=url)
        google = genai.Client(api_key=API_KEY, http_options=gtypes.HttpOptions(base_url=url))
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
            r = await google.aio.models.generate_content(model=MODEL, contents=CONTENTS)
            return r.candidates[0].content.parts[0].text

        async def batches(call) -> None:
            for _ in range(BATCHES):
                texts = await asyncio.gather(*(call() for _ in range(CONCURRENT)))
                if texts.count(text) != CONCURRENT:
                    fail("a concurrent call did not return the served text")

        async def gather(call: Callable[[], object]) -> None:
            await asyncio.gather(*(call() for _ in range(CONCURRENT)))

        calls = {BASELINE: call_raw, "gemini_client": call_ours, "google-genai": call_google}
        wall, cpu = measure_cpu(
            {n: lambda c=c: loop.run_until_complete(batches(c)) for n, c in calls.items()},
            rounds=ROUNDS,
            warm={n: lambda c=c: loop.run_until_complete(gather(c)) for n, c in calls.items()},
        )
        loop.run_until_complete(raw.aclose())
        loop.run_until_complete(ours.aclose())
        loop.run_until_complete(google.aio.aclose())
    loop.close()

    rows, cpu_rows = summarise(wall), summarise(cpu)
    per = f" /{BATCHES}x{CONCURRENT} calls"
    body = (
        f"{BATCHES} batches of {CONCURRENT} concurrent `generate_content` calls (`asyncio.gather`) "
        f"through one async client per measure, {ROUNDS} rounds interleaved, each measure right "
        f"after one untimed batch through the same client (its pool as steady load leaves it: "
        f"connections idle past the 5 s keep-alive expiry while the others ran would otherwise be "
        f"rebuilt in some rounds and not others); ~5 KB response. Each client with its defaults: "
        f"raw httpx is `httpx.AsyncClient(timeout=600)` (httpcore's pool, 100 connections, 20 kept "
        f"alive), gemini_client `AsyncClient(api_key=..., base_url=...)` (its own pool, 100 "
        f"connections, all kept alive, every protection on), google-genai `genai.Client(...).aio` "
        f"(httpx2 and its httpcore2 pool when httpx2 is installed, as here). The server is one "
        f"asyncio process on the other core.\n\n"
        "Wall clock:\n\n"
        + table(rows, per=per)
        + "\n\nClient CPU time (this process; the server is another), the steadier measure of "
        "what a client costs on a shared machine:\n\n"
        + table(cpu_rows, per=per)
        + "\n\n"
        + goal_line("gemini_client", rows["gemini_client"]["ratio"], GOAL, "x raw httpx")
    )
    report("3. Async under concurrency", body)


if __name__ == "__main__":
    main()
