"""1. generate_content round trips: 1000 sequential calls, ~5 KB response, three clients, sync
and async (one awaited call after another on one event loop)."""

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
    calls, close = generate_callers(url)
    for name, call in calls.items():  # warm up: connections, lazy imports, pydantic schemas
        if call() != text:
            fail(f"{name} did not return the served text")

    def loop(call: Callable[[], object]) -> Callable[[], object]:
        return lambda: [call() for _ in range(CALLS)]

    times = measure_cpu({n: loop(c) for n, c in calls.items()}, rounds=ROUNDS)
    close()
    return times


def _async(url: str, text: str) -> Times:
    loop = asyncio.new_event_loop()
    calls, aclose = generate_callers(url, aio=True)
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
    loop.run_until_complete(aclose())
    loop.close()
    return times


if __name__ == "__main__":
    main()
