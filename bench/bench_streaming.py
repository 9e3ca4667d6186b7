"""2. Streaming: 100 answers of 50 SSE chunks each, consumed as typed chunks (raw: dicts)."""

from __future__ import annotations

import json

from _common import (
    API_KEY,
    BASELINE,
    CONTENTS,
    MODEL,
    STREAM_CHUNKS,
    check_wire_shape,
    fail,
    goal_line,
    measure,
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


def main() -> None:
    httpx = require("httpx")
    gemini_client = require("gemini_client")
    genai = require("google.genai")
    gtypes = require("google.genai.types")
    chunks = stream_chunks()
    for chunk in chunks:
        check_wire_shape(chunk)
    expected = sum(len(c["candidates"][0]["content"]["parts"][0]["text"]) for c in chunks)

    with serve() as url:
        raw = httpx.Client()
        ours = gemini_client.Client(api_key=API_KEY, base_url=url)
        google = genai.Client(api_key=API_KEY, http_options=gtypes.HttpOptions(base_url=url))
        endpoint = f"{url}/v1beta/models/{MODEL}:streamGenerateContent"
        headers = {"x-goog-api-key": API_KEY}

        def answer_raw() -> int:
            n = 0
            with raw.stream(
                "POST",
                endpoint,
                params={"alt": "sse"},
                json={"contents": CONTENTS},
                headers=headers,
            ) as r:
                r.raise_for_status()
                for line in r.iter_lines():
                    if line.startswith("data:"):
                        n += len(
                            json.loads(line[5:])["candidates"][0]["content"]["parts"][0]["text"]
                        )
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

        answers = {
            BASELINE: answer_raw,
            "gemini_client": answer_ours,
            "google-genai": answer_google,
        }
        for name, answer in answers.items():  # warm up, and check every chunk arrives
            if (got := answer()) != expected:
                fail(f"{name} read {got} characters of text, expected {expected}")

        def loop(answer):
            return lambda: [answer() for _ in range(ANSWERS)]

        times = measure({n: loop(a) for n, a in answers.items()}, rounds=ROUNDS)
        raw.close()
        ours.close()

    rows = summarise(times)
    body = (
        f"{ANSWERS} streamed answers of {STREAM_CHUNKS} SSE chunks each per round ({ANSWERS * STREAM_CHUNKS} chunks), "
        f"{ROUNDS} rounds interleaved; every chunk parsed (typed for both SDKs, `json.loads` for raw httpx).\n\n"
        + table(rows, per=f" /{ANSWERS} answers")
        + "\n\n"
        + goal_line("gemini_client", rows["gemini_client"]["ratio"], GOAL, "x raw httpx")
    )
    report("2. Streaming", body)


if __name__ == "__main__":
    main()
