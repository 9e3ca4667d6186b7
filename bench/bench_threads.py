"""3b. Sync under concurrency: 200 threads calling generate_content through one shared client.

The sync twin of section 3: each batch is 200 calls submitted at once to a pool of 200 threads
(``ThreadPoolExecutor``), every thread sending through the same client. As there, each measure
comes right after one untimed batch through the same client, so every pool starts its timed
batches as steady load leaves it (not with connections expired while the others were timed).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

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

    with serve() as url, ThreadPoolExecutor(CONCURRENT) as threads:
        raw = httpx.Client(timeout=600)  # as gemini_client: a busy machine is no failure
        ours = gemini_client.Client(api_key=API_KEY, base_url=url)
        google = genai.Client(api_key=API_KEY, http_options=gtypes.HttpOptions(base_url=url))
        endpoint = f"{url}/v1beta/models/{MODEL}:generateContent"
        headers = {"x-goog-api-key": API_KEY}

        def call_raw(_: int) -> str:
            r = raw.post(endpoint, json={"contents": CONTENTS}, headers=headers)
            r.raise_for_status()
            return json.loads(r.content)["candidates"][0]["content"]["parts"][0]["text"]

        def call_ours(_: int) -> str:
            r = ours.models.generate_content(model=MODEL, contents=CONTENTS)
            return r.candidates[0].content.parts[0].text

        def call_google(_: int) -> str:
            r = google.models.generate_content(model=MODEL, contents=CONTENTS)
            return r.candidates[0].content.parts[0].text

        def batches(call: Callable[[int], str], count: int) -> Callable[[], None]:
            def run() -> None:
                for _ in range(count):
                    texts = list(threads.map(call, range(CONCURRENT)))
                    if texts.count(text) != CONCURRENT:
                        fail("a concurrent call did not return the served text")

            return run

        calls = {BASELINE: call_raw, "gemini_client": call_ours, "google-genai": call_google}
        wall, cpu = measure_cpu(
            {n: batches(c, BATCHES) for n, c in calls.items()},
            rounds=ROUNDS,
            warm={n: batches(c, 1) for n, c in calls.items()},
        )
        raw.close()
        ours.close()

    rows = summarise(wall)
    per = f" /{BATCHES}x{CONCURRENT} calls"
    body = (
        f"{BATCHES} batches of {CONCURRENT} concurrent `generate_content` calls, each batch "
        f"submitted at once to {CONCURRENT} threads (`ThreadPoolExecutor({CONCURRENT})`) that all "
        f"send through one shared sync client per measure, {ROUNDS} rounds interleaved, each "
        "measure right after one untimed batch through the same client (as in section 3); ~5 KB "
        "response. Each client with its defaults: raw httpx is `httpx.Client(timeout=600)` "
        "(httpcore's pool, 100 connections, 20 kept alive), gemini_client `Client(api_key=..., "
        "base_url=...)` (100 connections, all kept alive, every protection on), google-genai "
        "`genai.Client(...)`. CPU is this process's, every thread's (the server is another).\n\n"
        + table(rows, per=per, cpu=summarise(cpu))
        + "\n\n"
        + goal_line("gemini_client", rows["gemini_client"]["ratio"], GOAL, "x raw httpx")
    )
    report("3b. Sync under concurrency (threads)", body)


if __name__ == "__main__":
    main()
