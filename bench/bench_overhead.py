"""2b. The clients' own cost, isolated from any server: every client sends through an httpx
``MockTransport`` that answers instantly with pre-built bytes, so what is timed is request
building, the client's protections and response parsing (issue #23.2).

Per call (the ~5 KB generate_content answer, sync and async), per streamed chunk (50 SSE events),
and per MB parsed (an ~8 MB answer holding one inline image). Raw httpx decodes with ``json``.
"""

from __future__ import annotations

import asyncio
import base64
import json
import random
import warnings
from collections.abc import AsyncIterator, Callable, Iterator

from _common import (
    API_KEY,
    BASELINE,
    CONTENTS,
    MODEL,
    STREAM_CHUNKS,
    fail,
    generate_content_response,
    measure,
    quick,
    report,
    require,
    stream_chunks,
    summarise,
)

CALLS = quick(2000, 200)
STREAMS = quick(200, 20)
BIG_CALLS = quick(5, 1)
ROUNDS = quick(7, 2)
URL = "http://api.test"
IMAGE_BYTES = 6 * 1024 * 1024  # base64 makes the answer ~8 MB


def _image_answer() -> bytes:
    data = random.Random(7).randbytes(IMAGE_BYTES)
    part = {"inlineData": {"mimeType": "image/png", "data": base64.b64encode(data).decode()}}
    answer = {
        "candidates": [{"content": {"parts": [part], "role": "model"}, "finishReason": "STOP"}],
        "modelVersion": MODEL,
    }
    return json.dumps(answer).encode()


def main() -> None:
    httpx = require("httpx")
    gemini_client = require("gemini_client")
    genai = require("google.genai")
    gtypes = require("google.genai.types")
    warnings.simplefilter("ignore", gemini_client._core.DeadlineWarning)

    answer = json.dumps(generate_content_response()).encode()
    events = [f"data: {json.dumps(c)}\r\n\r\n".encode() for c in stream_chunks()]
    image = _image_answer()
    megabytes = len(image) / 1e6
    json_head = {"content-type": "application/json"}
    sse_head = {"content-type": "text/event-stream"}

    class Events(httpx.SyncByteStream, httpx.AsyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            yield from events

        async def __aiter__(self) -> AsyncIterator[bytes]:
            for event in events:
                yield event

    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith(":streamGenerateContent"):
            return httpx.Response(200, headers=sse_head, stream=Events())
        if path.endswith(":generateContent"):
            big = MODEL + "-image" in path
            return httpx.Response(200, headers=json_head, content=image if big else answer)
        return httpx.Response(404, json={"error": {"code": 404, "status": "NOT_FOUND"}})

    def sync_http() -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(handler))

    def async_http() -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.MockTransport(handler))

    raw = sync_http()
    ours = gemini_client.Client(api_key=API_KEY, base_url=URL, http_client=sync_http())
    options = gtypes.HttpOptions(base_url=URL, httpx_client=sync_http())
    google = genai.Client(api_key=API_KEY, http_options=options)
    headers = {"x-goog-api-key": API_KEY}

    def endpoint(verb: str, model: str = MODEL) -> str:
        return f"{URL}/v1beta/models/{model}:{verb}"

    def text_of(r: object) -> str:
        return r.candidates[0].content.parts[0].text  # type: ignore[attr-defined]

    # --- per call --------------------------------------------------------------------------
    def raw_call() -> str:
        r = raw.post(endpoint("generateContent"), json={"contents": CONTENTS}, headers=headers)
        r.raise_for_status()
        return json.loads(r.content)["candidates"][0]["content"]["parts"][0]["text"]

    def raw_stream() -> list[str]:
        texts = []
        url = endpoint("streamGenerateContent") + "?alt=sse"
        with raw.stream("POST", url, json={"contents": CONTENTS}, headers=headers) as r:
            r.raise_for_status()
            for line in r.iter_lines():
                if line.startswith("data: "):
                    texts.append(
                        json.loads(line[6:])["candidates"][0]["content"]["parts"][0]["text"]
                    )
        return texts

    def raw_big() -> int:
        url = endpoint("generateContent", MODEL + "-image")
        r = raw.post(url, json={"contents": CONTENTS}, headers=headers)
        part = json.loads(r.content)["candidates"][0]["content"]["parts"][0]
        return len(base64.b64decode(part["inlineData"]["data"]))

    sync = {
        "call": {
            BASELINE: raw_call,
            "gemini_client": lambda: text_of(
                ours.models.generate_content(model=MODEL, contents=CONTENTS)
            ),
            "google-genai": lambda: text_of(
                google.models.generate_content(model=MODEL, contents=CONTENTS)
            ),
        },
        "stream": {
            BASELINE: raw_stream,
            "gemini_client": lambda: [
                text_of(c)
                for c in ours.models.stream_generate_content(model=MODEL, contents=CONTENTS)
            ],
            "google-genai": lambda: [
                text_of(c)
                for c in google.models.generate_content_stream(model=MODEL, contents=CONTENTS)
            ],
        },
        "big": {
            BASELINE: raw_big,
            "gemini_client": lambda: len(
                ours.models.generate_content(model=MODEL + "-image", contents=CONTENTS)
                .candidates[0]
                .content.parts[0]
                .inline_data.data
            ),
            "google-genai": lambda: len(
                google.models.generate_content(model=MODEL + "-image", contents=CONTENTS)
                .candidates[0]
                .content.parts[0]
                .inline_data.data
            ),
        },
    }
    expected = generate_content_response()["candidates"][0]["content"]["parts"][0]["text"]
    for name, call in sync["call"].items():
        if call() != expected:
            fail(f"{name} did not return the served text")
    for name, call in sync["stream"].items():
        if len(call()) != STREAM_CHUNKS:
            fail(f"{name} did not return {STREAM_CHUNKS} chunks")
    for name, call in sync["big"].items():
        if call() != IMAGE_BYTES:
            fail(f"{name} did not return the {IMAGE_BYTES}-byte image, got {call()}")

    def loop(call: Callable[[], object], n: int) -> Callable[[], object]:
        return lambda: [call() for _ in range(n)]

    per_call = summarise(measure({k: loop(c, CALLS) for k, c in sync["call"].items()}, ROUNDS))
    per_stream = summarise(
        measure({k: loop(c, STREAMS) for k, c in sync["stream"].items()}, ROUNDS)
    )
    per_big = summarise(measure({k: loop(c, BIG_CALLS) for k, c in sync["big"].items()}, ROUNDS))

    # --- async per call -------------------------------------------------------------------
    async def async_rows() -> dict[str, dict[str, float]]:
        araw = async_http()
        aours = gemini_client.AsyncClient(api_key=API_KEY, base_url=URL, http_client=async_http())
        aoptions = gtypes.HttpOptions(base_url=URL, httpx_async_client=async_http())
        agoogle = genai.Client(api_key=API_KEY, http_options=aoptions).aio

        async def raw_acall() -> str:
            r = await araw.post(
                endpoint("generateContent"), json={"contents": CONTENTS}, headers=headers
            )
            r.raise_for_status()
            return json.loads(r.content)["candidates"][0]["content"]["parts"][0]["text"]

        async def ours_acall() -> str:
            return text_of(await aours.models.generate_content(model=MODEL, contents=CONTENTS))

        async def google_acall() -> str:
            return text_of(await agoogle.models.generate_content(model=MODEL, contents=CONTENTS))

        calls = {BASELINE: raw_acall, "gemini_client": ours_acall, "google-genai": google_acall}
        for name, call in calls.items():
            if await call() != expected:
                fail(f"{name} (async) did not return the served text")
        names = list(calls)
        import time

        times: dict[str, list[float]] = {n: [] for n in names}
        for r in range(ROUNDS):
            for name in names[r % 3 :] + names[: r % 3]:
                start = time.perf_counter()
                for _ in range(CALLS):
                    await calls[name]()
                times[name].append(time.perf_counter() - start)
        return summarise(times)

    per_acall = asyncio.run(async_rows())

    def rows(title: str, stats: dict[str, dict[str, float]], n: float, unit: str) -> list[str]:
        base = stats[BASELINE]["median"] / n * 1e6
        out = []
        for name, s in stats.items():
            each = s["median"] / n * 1e6
            added = "" if name == BASELINE else f"{each - base:+.1f}"
            out.append(
                f"| {title} | {name} | {each:.1f} | {added} | {s['ratio']:.2f} "
                f"({s['ratio_min']:.2f}-{s['ratio_max']:.2f}) |"
            )
        return out

    lines = [
        "| measure | client | µs per unit (median) | µs added to raw httpx | x raw httpx (min-max) |",
        "|---|---|---:|---:|---:|",
        *rows("per call, sync (~5 KB answer)", per_call, CALLS, "call"),
        *rows("per call, async (~5 KB answer)", per_acall, CALLS, "call"),
        *rows(
            f"per streamed chunk ({STREAM_CHUNKS} a stream)",
            per_stream,
            STREAMS * STREAM_CHUNKS,
            "chunk",
        ),
        *rows(
            f"per MB parsed ({megabytes:.1f} MB inline-image answer)",
            per_big,
            BIG_CALLS * megabytes,
            "MB",
        ),
    ]
    body = (
        "Every client sends through `httpx.MockTransport` answering instantly with pre-built bytes "
        "(no socket, no server): what remains is each client's own work. gemini_client runs with "
        f"every protection on. Sync: {CALLS} calls, {STREAMS} streams of {STREAM_CHUNKS} chunks, "
        f"{BIG_CALLS} image answers per round; async: {CALLS} sequential awaited calls; {ROUNDS} "
        "rounds interleaved. Raw httpx decodes with `json.loads` (and `base64` for the image).\n\n"
        + "\n".join(lines)
        + "\n\nNo goal of its own: the per-call goals are ratios on loopback (sections 1 to 3);"
        " this table says where their numbers come from (what each client adds, without a server)."
    )
    raw.close()
    ours.close()
    report("2b. The clients' own cost (in-process transport)", body)


if __name__ == "__main__":
    main()
