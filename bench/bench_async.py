"""3. Async under concurrency: 200 concurrent generate_content calls through one client."""

from __future__ import annotations

import asyncio
import json

from _common import (
    API_KEY,
    BASELINE,
    CONTENTS,
    MODEL,
    check_wire_shape,
    fail,
    generate_content_response,
    goal_line,
    measure,
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

        calls = {BASELINE: call_raw, "gemini_client": call_ours, "google-genai": call_google}
        for call in calls.values():  # warm up: open the pools' connections, lazy imports
            loop.run_until_complete(batches(call))
        times = measure(
            {n: (lambda c=c: loop.run_until_complete(batches(c))) for n, c in calls.items()},
            rounds=ROUNDS,
        )
        loop.run_until_complete(raw.aclose())
        loop.run_until_complete(ours.aclose())
        loop.run_until_complete(google.aio.aclose())
    loop.close()

    rows = summarise(times)
    body = (
        f"{BATCHES} batches of {CONCURRENT} concurrent `generate_content` calls (`asyncio.gather`) through one "
        f"async client per measure, {ROUNDS} rounds interleaved; ~5 KB response; default connection pools.\n\n"
        + table(rows, per=f" /{BATCHES}x{CONCURRENT} calls")
        + "\n\n"
        + goal_line("gemini_client", rows["gemini_client"]["ratio"], GOAL, "x raw httpx")
    )
    report("3. Async under concurrency", body)


if __name__ == "__main__":
    main()
