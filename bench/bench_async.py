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
from collections.abc import Awaitable, Callable

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
    loop = asyncio.new_event_loop()

    with serve() as url:
        # raw httpx with gemini_client's timeout: a busy machine is no failure
        calls, aclose = generate_callers(url, aio=True, raw_timeout=600)

        async def batches(call: Callable[[], Awaitable[str]]) -> None:
            for _ in range(BATCHES):
                texts = await asyncio.gather(*(call() for _ in range(CONCURRENT)))
                if texts.count(text) != CONCURRENT:
                    fail("a concurrent call did not return the served text")

        async def gather(call: Callable[[], Awaitable[str]]) -> None:
            await asyncio.gather(*(call() for _ in range(CONCURRENT)))

        wall, cpu = measure_cpu(
            {n: lambda c=c: loop.run_until_complete(batches(c)) for n, c in calls.items()},
            rounds=ROUNDS,
            warm={n: lambda c=c: loop.run_until_complete(gather(c)) for n, c in calls.items()},
        )
        loop.run_until_complete(aclose())
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
