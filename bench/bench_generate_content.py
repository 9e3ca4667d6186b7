"""1. generate_content round trips: 1000 sequential calls, ~5 KB response, three clients."""

from __future__ import annotations

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

CALLS = quick(1000, 100)
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

    with serve() as url:
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

        def loop(call):
            return lambda: [call() for _ in range(CALLS)]

        times = measure({n: loop(c) for n, c in calls.items()}, rounds=ROUNDS)
        raw.close()
        ours.close()

    rows = summarise(times)
    body = (
        f"{CALLS} sequential `generate_content` calls per round, {ROUNDS} rounds interleaved; "
        f"~5 KB response. Times are per {CALLS} calls.\n\n"
        + table(rows, per=f" /{CALLS} calls")
        + "\n\n"
        + goal_line("gemini_client", rows["gemini_client"]["ratio"], GOAL, "x raw httpx")
    )
    report("1. generate_content round trips", body)


if __name__ == "__main__":
    main()
