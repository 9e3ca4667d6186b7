"""9. OpenTelemetry's cost per call: generate_content on an in-process transport answering instantly
(httpx's MockTransport, the ~5 KB answer), with tracing off (GEMINI_CLIENT_TELEMETRY=off, as when
opentelemetry-api is not installed), with the API's no-op default (installed, no SDK configured),
and with the SDK recording every span and metric in memory."""

from __future__ import annotations

import json

from _common import (
    API_KEY,
    CONTENTS,
    MODEL,
    fail,
    goal_line,
    generate_content_response,
    measure,
    quick,
    report,
    require,
    summarise,
)

CALLS = quick(2000, 200)
ROUNDS = quick(7, 2)
GOAL_IDLE = 1.03


def main() -> None:
    httpx = require("httpx")
    gemini_client = require("gemini_client")
    telemetry = require("gemini_client._core._telemetry")
    sdk_trace = require("opentelemetry.sdk.trace")
    sdk_metrics = require("opentelemetry.sdk.metrics")
    export = require("opentelemetry.sdk.trace.export")
    memory = require("opentelemetry.sdk.trace.export.in_memory_span_exporter")
    metrics_export = require("opentelemetry.sdk.metrics.export")
    body = json.dumps(generate_content_response()).encode()
    text = generate_content_response()["candidates"][0]["content"]["parts"][0]["text"]

    def answer(request):  # type: ignore[no-untyped-def]
        return httpx.Response(200, content=body, headers={"content-type": "application/json"})

    def client_with(instruments):  # type: ignore[no-untyped-def]
        telemetry._instruments, telemetry._looked = instruments, True
        return gemini_client.Client(
            api_key=API_KEY, http_client=httpx.Client(transport=httpx.MockTransport(answer))
        )

    spans = memory.InMemorySpanExporter()
    provider = sdk_trace.TracerProvider()
    provider.add_span_processor(export.SimpleSpanProcessor(spans))
    meters = sdk_metrics.MeterProvider(metric_readers=[metrics_export.InMemoryMetricReader()])
    # The instruments are the module's, read per call: each measure installs its own first.
    setups = {
        "tracing off": None,
        "opentelemetry-api, no SDK": telemetry._Instruments(),
        "SDK, in-memory exporter": telemetry._Instruments(provider, meters),
    }
    clients = {name: client_with(instruments) for name, instruments in setups.items()}
    for name, c in clients.items():
        telemetry._instruments = setups[name]
        if c.models.generate_content(model=MODEL, contents=CONTENTS).text != text:
            fail(f"{name}: the answer was not the served text")
    spans.clear()
    telemetry._instruments = setups["SDK, in-memory exporter"]
    clients["SDK, in-memory exporter"].models.generate_content(model=MODEL, contents=CONTENTS)
    if len(spans.get_finished_spans()) != 1:
        fail("the SDK measure records no span")

    def loop(name):  # type: ignore[no-untyped-def]
        c = clients[name]

        def run() -> None:
            telemetry._instruments = setups[name]
            for _ in range(CALLS):
                c.models.generate_content(model=MODEL, contents=CONTENTS)
            spans.clear()

        return run

    rows = summarise(measure({n: loop(n) for n in clients}, ROUNDS), "tracing off")
    lines = [
        "| tracing | µs per call (median) | min-max µs | x tracing off |",
        "|---|---:|---:|---:|",
    ]
    for name, s in rows.items():
        lines.append(
            f"| {name} | {s['median'] / CALLS * 1e6:.1f} | {s['min'] / CALLS * 1e6:.1f}-"
            f"{s['max'] / CALLS * 1e6:.1f} | {s['ratio']:.3f} |"
        )
    idle = rows["opentelemetry-api, no SDK"]["ratio"]
    report(
        "9. OpenTelemetry's cost per call",
        f"{CALLS} `generate_content` calls per round on httpx's MockTransport, {ROUNDS} rounds "
        "interleaved.\n\n"
        + "\n".join(lines)
        + "\n\n"
        + goal_line("opentelemetry-api, no SDK", idle, GOAL_IDLE, "x tracing off")
        + " (installed but not configured, a call builds no span)",
        extra_packages=("opentelemetry-api", "opentelemetry-sdk"),
    )


if __name__ == "__main__":
    main()
