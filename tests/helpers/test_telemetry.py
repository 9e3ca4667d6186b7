"""OpenTelemetry, the GenAI semantic conventions' way: one CLIENT span per call with the attributes
google-genai's instrumentation records, retries and stream chunks as events, the duration and
token-usage histograms, content only when opted in, never the key; nothing without the package."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from gemini_client import AsyncClient, Client, NotFoundError
from gemini_client._core import _telemetry
from support.server import LoopbackServer, Reply, error_body, sse

from .replies import GENERATE, KEY, MODEL, STREAM, answer, text

ROOT = Path(__file__).resolve().parents[2]


class Otel:
    def __init__(self) -> None:
        self.spans = InMemorySpanExporter()
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(self.spans))
        self.metrics = InMemoryMetricReader()
        self.instruments = _telemetry._Instruments(
            provider, MeterProvider(metric_readers=[self.metrics])
        )

    def finished(self) -> tuple[ReadableSpan, ...]:
        return tuple(self.spans.get_finished_spans())

    def points(self, name: str) -> list[Any]:
        data = self.metrics.get_metrics_data()
        return [
            point
            for rm in (data.resource_metrics if data else ())
            for sm in rm.scope_metrics
            for metric in sm.metrics
            if metric.name == name
            for point in metric.data.data_points
        ]


@pytest.fixture
def otel(monkeypatch: pytest.MonkeyPatch) -> Iterator[Otel]:
    o = Otel()
    monkeypatch.setattr(_telemetry, "_instruments", o.instruments)
    monkeypatch.setattr(_telemetry, "_looked", True)
    monkeypatch.delenv("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", raising=False)
    yield o


@pytest.fixture
def traced(otel: Otel, server: LoopbackServer) -> Iterator[Client]:
    with Client(api_key=KEY, base_url=server.url, max_retries=1) as client:
        client._sleep = lambda delay: None  # a retry's backoff is not what these tests time
        yield client


def everything_recorded(span: ReadableSpan) -> str:
    return json.dumps(
        [
            dict(span.attributes or {}),
            [(e.name, dict(e.attributes or {})) for e in span.events],
            span.status.description,
        ],
        default=str,
    )


def test_a_call_is_one_client_span_with_the_genai_attributes(
    otel: Otel, traced: Client, server: LoopbackServer
) -> None:
    server.add(GENERATE, text("hi"))
    traced.models.generate_content(
        model=MODEL,
        contents="hello",
        generation_config={"temperature": 0.2, "max_output_tokens": 9},
    )
    (span,) = otel.finished()
    assert span.name == f"generate_content {MODEL}"
    assert span.kind is SpanKind.CLIENT
    attrs = dict(span.attributes or {})
    host, port = server.url.split("//")[1].rstrip("/").split(":")
    assert attrs == {
        "gen_ai.operation.name": "generate_content",
        "gen_ai.provider.name": "gcp.gemini",
        "gen_ai.system": "gemini",
        "gen_ai.request.model": MODEL,
        "gen_ai.request.temperature": 0.2,
        "gen_ai.request.max_tokens": 9,
        "server.address": host,
        "server.port": int(port),
        "gen_ai.response.model": MODEL,
        "gen_ai.response.finish_reasons": ("stop",),
        "gen_ai.usage.input_tokens": 3,
        "gen_ai.usage.output_tokens": 5,
    }
    assert span.status.status_code is StatusCode.UNSET
    (duration,) = otel.points("gen_ai.client.operation.duration")
    assert duration.count == 1 and 0 < duration.sum < 10
    assert duration.attributes["gen_ai.operation.name"] == "generate_content"
    tokens = {
        p.attributes["gen_ai.token.type"]: p.sum for p in otel.points("gen_ai.client.token.usage")
    }
    assert tokens == {"input": 3, "output": 5}


def test_a_retry_is_an_event_of_the_one_span(
    otel: Otel, traced: Client, server: LoopbackServer
) -> None:
    server.add(GENERATE, Reply(503, error_body(503, "UNAVAILABLE", "busy")), text("hi"))
    traced.with_options(timeout=30).models.generate_content(model=MODEL, contents="x")
    (span,) = otel.finished()
    (event,) = span.events
    assert event.name == "gen_ai.client.retry"
    assert dict(event.attributes or {})["error.type"] == "503"


def test_an_error_sets_the_status_and_error_type_without_the_key(
    otel: Otel, traced: Client, server: LoopbackServer
) -> None:
    server.add(GENERATE, Reply(404, error_body(404, "NOT_FOUND", f"no model for key {KEY}")))
    with pytest.raises(NotFoundError):
        traced.models.generate_content(model=MODEL, contents="x")
    (span,) = otel.finished()
    assert span.status.status_code is StatusCode.ERROR
    assert dict(span.attributes or {})["error.type"] == "404"
    assert KEY not in everything_recorded(span)
    (duration,) = otel.points("gen_ai.client.operation.duration")
    assert duration.attributes["error.type"] == "404"


def test_a_stream_span_ends_with_the_stream_and_counts_chunks(
    otel: Otel, traced: Client, server: LoopbackServer
) -> None:
    chunk = answer({"text": "a"}, finish="STOP")
    server.add(STREAM, Reply(body=sse(chunk, chunk, chunk), content_type="text/event-stream"))
    with traced.models.stream_generate_content(model=MODEL, contents="x") as stream:
        first = next(stream)
        assert first.text == "a"
        assert otel.finished() == ()  # still open while the stream is read
        rest = list(stream)
    assert len(rest) == 2
    (span,) = otel.finished()
    assert [e.name for e in span.events] == ["gen_ai.client.stream.chunk"] * 3
    assert dict(span.attributes or {})["gen_ai.usage.output_tokens"] == 5  # the last chunk's totals


def test_a_stream_closed_early_still_ends_its_span(
    otel: Otel, traced: Client, server: LoopbackServer
) -> None:
    chunk = answer({"text": "a"})
    server.add(STREAM, Reply(body=sse(chunk, chunk, chunk), content_type="text/event-stream"))
    with traced.models.stream_generate_content(model=MODEL, contents="x") as stream:
        for _ in stream:
            break
    (span,) = otel.finished()
    assert span.status.status_code is StatusCode.UNSET
    assert len(span.events) == 1


def test_content_only_when_opted_in(
    otel: Otel, traced: Client, server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.add(GENERATE, text("the answer"), text("the answer"))
    traced.models.generate_content(
        model=MODEL, contents="the prompt", system_instruction="be brief"
    )
    monkeypatch.setenv("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true")
    traced.models.generate_content(
        model=MODEL, contents="the prompt", system_instruction="be brief"
    )
    off, on = otel.finished()
    assert "the prompt" not in everything_recorded(off) and "the answer" not in everything_recorded(
        off
    )
    attrs = dict(on.attributes or {})
    assert "the prompt" in attrs["gen_ai.input.messages"]
    assert "be brief" in attrs["gen_ai.system_instructions"]
    assert "the answer" in attrs["gen_ai.output.messages"]
    assert KEY not in everything_recorded(on)


def test_calls_outside_request_are_spans_too(
    otel: Otel, traced: Client, server: LoopbackServer
) -> None:
    server.add("/v1beta/files/abc", Reply(json={}))
    traced.files.delete(name="files/abc")
    (span,) = otel.finished()
    assert span.name == "delete files"
    assert dict(span.attributes or {})["gen_ai.operation.name"] == "delete files"


@pytest.mark.asyncio
async def test_async_calls_and_streams(otel: Otel, server: LoopbackServer) -> None:
    chunk = answer({"text": "a"})
    server.add(GENERATE, text("hi"))
    server.add(STREAM, Reply(body=sse(chunk, chunk), content_type="text/event-stream"))
    async with AsyncClient(api_key=KEY, base_url=server.url, max_retries=0) as client:
        await client.models.generate_content(model=MODEL, contents="x")
        stream = await client.models.stream_generate_content(model=MODEL, contents="x")
        async with stream:
            got = [c async for c in stream]
    assert len(got) == 2
    plain, streamed = otel.finished()
    assert plain.name == streamed.name == f"generate_content {MODEL}"
    assert len(streamed.events) == 2
    assert dict(plain.attributes or {})["gen_ai.usage.input_tokens"] == 3


_PROBE = """
import sys
{block}
import httpx
from gemini_client import Client
def answer(request):
    return httpx.Response(200, json={{"candidates": []}})
client = Client(api_key="k", http_client=httpx.Client(transport=httpx.MockTransport(answer)))
client.models.generate_content(model="m", contents="x")
print(sorted(m for m in sys.modules if m.split(".")[0] == "opentelemetry"))
"""
_NOT_INSTALLED = """
class NoOtel:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "opentelemetry":
            raise ImportError(name)
sys.meta_path.insert(0, NoOtel())
"""


@pytest.mark.parametrize(
    ("block", "env"),
    [(_NOT_INSTALLED, {}), ("", {"GEMINI_CLIENT_TELEMETRY": "off"})],
    ids=["not-installed", "turned-off"],
)
def test_nothing_is_imported_without_it(block: str, env: dict[str, str]) -> None:
    run = subprocess.run(
        [sys.executable, "-c", _PROBE.format(block=block)],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


_IDLE_THEN_CONFIGURED = """
import httpx
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from gemini_client import Client
from gemini_client._core import _telemetry
started = []
class Counted(_telemetry.Call):
    __slots__ = ()
    def __init__(self, *args):
        started.append(args[3])
        super().__init__(*args)
_telemetry.Call = Counted
def answer(request):
    return httpx.Response(200, json={"candidates": [], "responseId": "r1"})
client = Client(api_key="k", http_client=httpx.Client(transport=httpx.MockTransport(answer)))
client.models.generate_content(model="m", contents="x")
print(len(started))
spans = InMemorySpanExporter()
provider = TracerProvider()
provider.add_span_processor(SimpleSpanProcessor(spans))
trace.set_tracer_provider(provider)
client.models.generate_content(model="m", contents="x")
print(len(started), [s.name for s in spans.get_finished_spans()])
"""


def test_no_span_is_built_until_an_sdk_is_configured() -> None:
    """With the API installed but no SDK, every span and metric would be dropped: the call builds
    none. A provider configured after the client was made is used from the next call on."""
    run = subprocess.run(
        [sys.executable, "-c", _IDLE_THEN_CONFIGURED],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("OTEL_")},
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split("\n")[:2] == ["0", "1 ['generate_content m']"]


@pytest.mark.parametrize("named_by_env", [False, True], ids=["unset", "provider-named-by-env"])
def test_with_no_sdk_a_call_asks_the_api_nothing(
    named_by_env: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While no SDK has set a provider, a call learns that nothing records from two attribute
    reads, not from the API's look-up functions (each reads the environment); when a variable
    names a provider, those functions (which load it) are asked, as before."""
    from opentelemetry import metrics, trace

    for name in ("OTEL_PYTHON_TRACER_PROVIDER", "OTEL_PYTHON_METER_PROVIDER"):
        monkeypatch.delenv(name, raising=False)
    if named_by_env:
        monkeypatch.setenv("OTEL_PYTHON_TRACER_PROVIDER", "no_such_provider")
    asked: list[str] = []

    def proxy_tracers() -> object:
        asked.append("tracer")
        return trace.ProxyTracerProvider()

    def proxy_meters() -> object:
        asked.append("meter")
        return metrics.NoOpMeterProvider()

    monkeypatch.setattr(trace, "get_tracer_provider", proxy_tracers)
    monkeypatch.setattr(metrics, "get_meter_provider", proxy_meters)
    instruments = _telemetry._Instruments()  # its tracer from the look-up above, not the variable's
    asked.clear()
    assert [instruments.recording() for _ in range(3)] == [False] * 3
    assert asked == (["tracer", "meter"] * 3 if named_by_env else [])


_NAMED_BUT_MISSING = """
import logging, os, sys
logging.basicConfig(level=logging.WARNING, format="%(name)s %(levelname)s %(message)s")
from gemini_client import Client
with Client(api_key="k", base_url=os.environ["SERVER_URL"], max_retries=0) as client:
    for _ in range(3):
        print(client.models.generate_content(model="{model}", contents="x").text)
"""


@pytest.mark.parametrize("variable", ["OTEL_PYTHON_TRACER_PROVIDER", "OTEL_PYTHON_METER_PROVIDER"])
def test_a_provider_named_by_the_environment_that_cannot_load_fails_no_call(
    variable: str, server: LoopbackServer
) -> None:
    """OpenTelemetry raises when a variable names a provider it cannot load: the client is still
    made, every call answers, and one warning says telemetry is skipped (never the key)."""
    server.add(GENERATE, text("a"), text("b"), text("c"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    run = subprocess.run(
        [sys.executable, "-c", _NAMED_BUT_MISSING.format(model=MODEL)],
        capture_output=True,
        text=True,
        env={**env, variable: "no_such_provider", "SERVER_URL": server.url},
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["a", "b", "c"]
    warnings = [line for line in run.stderr.splitlines() if line.startswith("gemini_client ")]
    assert warnings == [
        "gemini_client WARNING OpenTelemetry failed, the call goes on unobserved: StopIteration"
    ]


class _Raising(SpanProcessor):
    """A span processor that raises where the SDK calls it (the SDK does not catch it)."""

    def __init__(self, where: str) -> None:
        self.where = where

    def on_start(self, span: Any, parent_context: Any = None) -> None:
        if self.where == "start":
            raise RuntimeError("processor broke on start")

    def on_end(self, span: ReadableSpan) -> None:
        if self.where == "end":
            raise RuntimeError("processor broke on end")


@pytest.mark.parametrize("where", ["start", "end"])
@pytest.mark.asyncio
async def test_an_sdk_that_raises_fails_no_call_and_no_stream(
    where: str,
    server: LoopbackServer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    provider = TracerProvider()
    provider.add_span_processor(_Raising(where))
    monkeypatch.setattr(_telemetry, "_instruments", _telemetry._Instruments(provider))
    monkeypatch.setattr(_telemetry, "_looked", True)
    monkeypatch.setattr(_telemetry, "_warned", False)
    chunk = answer({"text": "a"})
    streamed = Reply(body=sse(chunk, chunk), content_type="text/event-stream")
    server.add(GENERATE, Reply(503, error_body(503, "UNAVAILABLE", "busy")), text("hi"), text("hi"))
    server.add(STREAM, streamed, streamed)
    with caplog.at_level("DEBUG", logger="gemini_client"):
        with Client(api_key=KEY, base_url=server.url, max_retries=1) as client:
            client._sleep = lambda delay: None
            assert client.models.generate_content(model=MODEL, contents="x").text == "hi"
            with client.models.stream_generate_content(model=MODEL, contents="x") as stream:
                assert [c.text for c in stream] == ["a", "a"]
        async with AsyncClient(api_key=KEY, base_url=server.url, max_retries=0) as aclient:
            assert (await aclient.models.generate_content(model=MODEL, contents="x")).text == "hi"
            stream = await aclient.models.stream_generate_content(model=MODEL, contents="x")
            async with stream:
                assert [c.text async for c in stream] == ["a", "a"]
    failed = [r for r in caplog.records if r.getMessage().startswith("OpenTelemetry failed")]
    assert [r.levelname for r in failed] == ["WARNING"] + ["DEBUG"] * 3
    assert all(r.getMessage().endswith(": RuntimeError") for r in failed)
    assert KEY not in caplog.text


_CONFIGURED_AFTER_THE_FIRST_CALL = """
import os, sys
from gemini_client import Client
client = Client(api_key="k", base_url=os.environ["SERVER_URL"], max_retries=0)
client.models.generate_content(model="{model}", contents="x")
print(sorted(m for m in sys.modules if m.startswith("opentelemetry.")))
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
spans = InMemorySpanExporter()
provider = TracerProvider()
provider.add_span_processor(SimpleSpanProcessor(spans))
trace.set_tracer_provider(provider)
client.models.generate_content(model="{model}", contents="x")
print([s.name for s in spans.get_finished_spans()])
"""


def test_the_api_is_imported_only_once_something_else_imported_it(server: LoopbackServer) -> None:
    """Installed but not imported by anyone, no SDK can be configured: a client and its calls
    import none of it (tens of milliseconds); an SDK configured later is used by the next call."""
    server.add(GENERATE, text("a"), text("b"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "GEMINI_CLIENT_"))}
    run = subprocess.run(
        [sys.executable, "-c", _CONFIGURED_AFTER_THE_FIRST_CALL.format(model=MODEL)],
        capture_output=True,
        text=True,
        env={**env, "SERVER_URL": server.url},
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["[]", f"['generate_content {MODEL}']"]
