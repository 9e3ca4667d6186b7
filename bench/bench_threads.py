"""3b. Sync under concurrency: 200 threads calling generate_content through one shared client.

The sync twin of section 3: each batch is 200 calls submitted at once to a pool of 200 threads
(``ThreadPoolExecutor``), every thread sending through the same client. As there, each measure
comes right after one untimed batch through the same client, so every pool starts its timed
batches as steady load leaves it (not with connections expired while the others were timed).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from _common import (
    generate_callers,
    check_wire_shape,
    fail,
    generate_content_response,
    goal_line,
    measure_cpu,
    quick,
    report,
    serve,
    summarise,
    table,
)

CONCURRENT = 200
BATCHES = quick(3, 1)  # per measure, so each figure is long enough to time
ROUNDS = quick(7, 2)
GOAL = 1.10


def main() -> None:
    expected = generate_content_response()
    check_wire_shape(expected)
    text = expected["candidates"][0]["content"]["parts"][0]["text"]

    with serve() as url, ThreadPoolExecutor(CONCURRENT) as threads:
        # raw httpx with gemini_client's timeout: a busy machine is no failure
        calls, close = generate_callers(url, raw_timeout=600)

        def batches(call: Callable[[], str], count: int) -> Callable[[], None]:
            def run() -> None:
                for _ in range(count):
                    texts = list(threads.map(lambda _: call(), range(CONCURRENT)))
                    if texts.count(text) != CONCURRENT:
                        fail("a concurrent call did not return the served text")

            return run

        wall, cpu = measure_cpu(
            {n: batches(c, BATCHES) for n, c in calls.items()},
            rounds=ROUNDS,
            warm={n: batches(c, 1) for n, c in calls.items()},
        )
        close()

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
