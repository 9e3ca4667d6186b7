"""OpenTelemetry for every call, as the GenAI semantic conventions describe it.

Only when ``opentelemetry-api`` is installed: nothing is imported, and a call pays one global
check, without it. Installed, it is imported by the first call made after something else imported
it (no SDK can be configured before that); with no SDK configured (its API would drop
everything), a call reads the API's two provider globals and builds no span. Each call is a
CLIENT span named ``{operation} {model}`` with the attributes
``opentelemetry-instrumentation-google-genai`` records for google-genai (``gen_ai.operation.name``,
``gen_ai.provider.name``/``gen_ai.system``, ``gen_ai.request.model`` and the generation settings,
``gen_ai.response.id``/``model``/``finish_reasons``, ``gen_ai.usage.input_tokens``/``output_tokens``,
``server.address``/``port``, ``error.type``), so dashboards built for it work; retries and stream
chunks are span events; ``gen_ai.client.operation.duration`` and ``gen_ai.client.token.usage`` are
recorded as histograms. Prompts and answers are recorded (``gen_ai.input.messages``,
``gen_ai.output.messages``, ``gen_ai.system_instructions``) only when
``OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT`` is ``true``; the API key never is (it travels
in a header, and no URL or header is recorded). ``GEMINI_CLIENT_TELEMETRY=off`` turns it all off.

Telemetry never fails a call or a client: an exception from OpenTelemetry or an SDK (a provider an
environment variable names that cannot be loaded, a span processor or exporter that raises) is
logged once, as a warning on the ``gemini_client`` logger, and that call goes on unobserved.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import sys
import time
from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterator, Mapping
from contextvars import ContextVar
from typing import Any, TypeVar
from urllib.parse import urlsplit

from ._constants import SDK_VERSION

__all__ = [
    "CURRENT",
    "Call",
    "observe_async_stream",
    "observe_stream",
    "start_call",
    "tracing",
]

T = TypeVar("T")

CURRENT: ContextVar[Call | None] = ContextVar("gemini_client_call", default=None)
"""The call being made, so that a retry deep in the send loop can be told to its span."""

_PROVIDER = "gcp.gemini"
_SYSTEM = "gemini"
_CONTENT_ENV = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"
# generationConfig -> gen_ai.request.* (the conventions' names for the settings google-genai records)
_SETTINGS = {
    "temperature": "gen_ai.request.temperature",
    "topP": "gen_ai.request.top_p",
    "topK": "gen_ai.request.top_k",
    "maxOutputTokens": "gen_ai.request.max_tokens",
    "stopSequences": "gen_ai.request.stop_sequences",
    "seed": "gen_ai.request.seed",
    "candidateCount": "gen_ai.request.choice.count",
    "frequencyPenalty": "gen_ai.request.frequency_penalty",
    "presencePenalty": "gen_ai.request.presence_penalty",
}
# The API's method -> gen_ai.operation.name (the conventions' well-known values where one fits).
_OPERATIONS = {
    "generateContent": "generate_content",
    "streamGenerateContent": "generate_content",
    "embedContent": "embeddings",
    "batchEmbedContents": "embeddings",
}
_DURATION_BUCKETS = [
    0.01,
    0.02,
    0.04,
    0.08,
    0.16,
    0.32,
    0.64,
    1.28,
    2.56,
    5.12,
    10.24,
    20.48,
    40.96,
    81.92,
]
_TOKEN_BUCKETS = [
    1,
    4,
    16,
    64,
    256,
    1024,
    4096,
    16384,
    65536,
    262144,
    1048576,
    4194304,
    16777216,
    67108864,
]
_MAX_CONTENT = 64 * 1024  # characters of prompt or answer recorded, at most
log = logging.getLogger("gemini_client")
_warned = False


def _failed(error: Exception) -> None:
    """An exception from OpenTelemetry, kept from the call: a warning the first time, then debug."""
    global _warned
    level = logging.DEBUG if _warned else logging.WARNING
    _warned = True
    log.log(level, "OpenTelemetry failed, the call goes on unobserved: %s", _error_type(error))


class _Instruments:
    """The tracer, the histograms and the span machinery of ``opentelemetry-api``."""

    def __init__(self, tracer_provider: Any = None, meter_provider: Any = None) -> None:
        """The global providers unless others are given (tests give in-memory ones)."""
        from opentelemetry import metrics, trace  # type: ignore[import-not-found, unused-ignore]

        self.trace = trace
        self.metrics = metrics
        self.global_providers = tracer_provider is None and meter_provider is None
        # What the API hands out while no SDK is configured: spans and metrics go nowhere.
        self.idle_tracers = (trace.ProxyTracerProvider, trace.NoOpTracerProvider)
        self.idle_meters: tuple[Any, ...] = (metrics.NoOpMeterProvider,)
        unset_meter = getattr(getattr(metrics, "_internal", None), "_PROXY_METER_PROVIDER", None)
        if unset_meter is not None:
            self.idle_meters = (*self.idle_meters, type(unset_meter))
        # Where the API keeps the providers an SDK sets (None until then): while both are None and
        # no environment variable names a provider, nothing records, which two attribute reads
        # tell a call; the API's look-up functions each read the environment (~3.5 µs). An API
        # without them is asked through its functions.
        self.meter_globals: Any = getattr(metrics, "_internal", None)
        self.unset_known = (
            hasattr(trace, "_TRACER_PROVIDER")
            and hasattr(self.meter_globals, "_METER_PROVIDER")
            and not {"OTEL_PYTHON_TRACER_PROVIDER", "OTEL_PYTHON_METER_PROVIDER"} & set(os.environ)
        )
        self.client_kind = trace.SpanKind.CLIENT
        self.tracer = trace.get_tracer("gemini_client", SDK_VERSION, tracer_provider)
        meter = metrics.get_meter("gemini_client", SDK_VERSION, meter_provider)
        self.duration = meter.create_histogram(
            "gen_ai.client.operation.duration",
            unit="s",
            description="GenAI operation duration",
            explicit_bucket_boundaries_advisory=_DURATION_BUCKETS,
        )
        self.tokens = meter.create_histogram(
            "gen_ai.client.token.usage",
            unit="{token}",
            description="Measures number of input and output tokens used",
            explicit_bucket_boundaries_advisory=_TOKEN_BUCKETS,
        )

    def recording(self) -> bool:
        """Whether a span or a metric goes anywhere: given providers, or global ones that an SDK
        configured (looked up per call: one may be set after the client was made)."""
        if self.global_providers is False:
            return True
        if (
            self.unset_known
            and self.trace._TRACER_PROVIDER is None
            and self.meter_globals._METER_PROVIDER is None
        ):
            return False
        try:
            return not (
                isinstance(self.trace.get_tracer_provider(), self.idle_tracers)
                and isinstance(self.metrics.get_meter_provider(), self.idle_meters)
            )
        except Exception as err:  # a provider named by the environment that cannot be loaded
            _failed(err)
            return False


_looked = False
_pending = False  # installed and not turned off, the instruments not built yet (see `start_call`)
_instruments: _Instruments | None = None
_API = ("opentelemetry.trace", "opentelemetry.metrics")
_NAMED = ("OTEL_PYTHON_TRACER_PROVIDER", "OTEL_PYTHON_METER_PROVIDER")


def _load() -> None:
    """Whether calls are traced, looked at once per process without importing OpenTelemetry (tens
    of milliseconds): the instruments are built by the first call that could record, unless an
    environment variable names a provider (loaded now, so a broken one is reported now)."""
    global _looked, _pending
    off = os.environ.get("GEMINI_CLIENT_TELEMETRY", "").strip().lower() in ("0", "false", "off")
    _pending = not off and _installed()
    _looked = True
    if _pending and any(name in os.environ for name in _NAMED):
        _build()


def _installed() -> bool:
    try:
        return importlib.util.find_spec(_API[0]) is not None  # imports the namespace package only
    except (ImportError, ValueError):
        return False


def _build() -> _Instruments | None:
    global _pending, _instruments
    _pending = False
    try:
        _instruments = _Instruments()
    except ImportError:
        _instruments = None
    except Exception as err:
        _failed(err)
        _instruments = None
    return _instruments


def _capture_content() -> bool:
    return os.environ.get(_CONTENT_ENV, "").strip().lower() == "true"


def _server(base_url: str) -> tuple[str, int]:
    parts = urlsplit(base_url)
    return parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)


def _operation(method: str, path: str) -> tuple[str, str]:
    """``(gen_ai.operation.name, model)`` of a call by its path: ``models/x:generateContent``."""
    resource, _, verb = path.partition(":")
    model = ""
    for prefix in ("models/", "tunedModels/"):
        at = resource.find(prefix)
        if at != -1 and (at == 0 or resource[at - 1] == "/"):
            model = resource[at:] if prefix == "tunedModels/" else resource[at + len(prefix) :]
            break
    if verb:
        name = _OPERATIONS.get(verb) or "".join("_" + c.lower() if c.isupper() else c for c in verb)
    else:
        name = f"{method.lower()} {resource.split('/', 1)[0]}" if resource else method.lower()
    return name, model.split("/", 3)[0] if model.startswith("models/") else model


def _text(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= _MAX_CONTENT else text[:_MAX_CONTENT] + "…"


def _dump(model: object) -> Any:
    dump = getattr(model, "model_dump", None)
    return dump(mode="json", by_alias=True, exclude_none=True) if dump else model


class Call:
    """One call's span: started before sending, ended with its answer or its error."""

    __slots__ = (
        "_ins",
        "_span",
        "_attrs",
        "_start",
        "_chunks",
        "_finish",
        "_usage",
        "_content",
        "_output",
        "_ended",
    )

    def __init__(
        self,
        ins: _Instruments,
        base_url: str,
        method: str,
        path: str,
        body: Mapping[str, object] | None,
    ) -> None:
        self._ins = ins
        operation, model = _operation(method, path)
        host, port = _server(base_url)
        self._attrs: dict[str, Any] = {
            "gen_ai.operation.name": operation,
            "gen_ai.provider.name": _PROVIDER,
            "gen_ai.system": _SYSTEM,
            "server.address": host,
            "server.port": port,
        }
        if model:
            self._attrs["gen_ai.request.model"] = model
        attributes = dict(self._attrs)
        config = body.get("generationConfig") if body else None
        if isinstance(config, Mapping):
            for key, name in _SETTINGS.items():
                value = config.get(key)
                if isinstance(value, (int, float, str)) and not isinstance(value, bool):
                    attributes[name] = value
                elif key == "stopSequences" and isinstance(value, (list, tuple)):
                    attributes[name] = [str(v) for v in value]
        self._content = _capture_content()
        if self._content and body:
            if "contents" in body:
                attributes["gen_ai.input.messages"] = _text(body["contents"])
            if "systemInstruction" in body:
                attributes["gen_ai.system_instructions"] = _text(body["systemInstruction"])
        self._span = ins.tracer.start_span(
            f"{operation} {model}" if model else operation,
            kind=ins.client_kind,
            attributes=attributes,
        )
        self._start = time.perf_counter()
        self._chunks = 0
        self._finish: list[str] = []
        self._usage: Any = None
        self._output: list[Any] = []
        self._ended = False

    def retry(self, attempt: int, delay: float, error: BaseException) -> None:
        try:
            self._span.add_event(
                "gen_ai.client.retry",
                {
                    "retry.attempt": attempt + 1,
                    "retry.delay": delay,
                    "error.type": _error_type(error),
                },
            )
        except Exception as err:
            _failed(err)

    def chunk(self, chunk: object) -> None:
        self._chunks += 1
        try:
            self._span.add_event(
                "gen_ai.client.stream.chunk", {"gen_ai.stream.chunk.index": self._chunks}
            )
            self._read(chunk)
        except Exception as err:
            _failed(err)

    def _read(self, value: object) -> None:
        span = self._span
        response_id = getattr(value, "response_id", None)
        if isinstance(response_id, str):
            span.set_attribute("gen_ai.response.id", response_id)
        version = getattr(value, "model_version", None)
        if isinstance(version, str):
            span.set_attribute("gen_ai.response.model", version)
        for candidate in getattr(value, "candidates", None) or ():
            reason = getattr(candidate, "finish_reason", None)
            if reason is not None:
                self._finish.append(str(getattr(reason, "value", reason)).lower())
        usage = getattr(value, "usage_metadata", None)
        if usage is not None:
            self._usage = usage  # a stream's last chunk carries the totals
        if self._content:
            self._output.extend(_dump(c) for c in getattr(value, "candidates", None) or ())

    def end(self, value: object = None, error: BaseException | None = None) -> None:
        if self._ended:
            return
        self._ended = True
        try:
            self._record(value, error)
        except Exception as err:
            _failed(err)

    def _record(self, value: object, error: BaseException | None) -> None:
        span = self._span
        if value is not None:
            self._read(value)
        if self._finish:
            span.set_attribute("gen_ai.response.finish_reasons", self._finish)
        if self._output:
            span.set_attribute("gen_ai.output.messages", _text(self._output))
        attrs = self._attrs
        if error is not None:
            attrs = {**attrs, "error.type": _error_type(error)}
            span.set_attribute("error.type", attrs["error.type"])
            # our errors' messages are already redacted of the key
            span.set_status(
                self._ins.trace.Status(self._ins.trace.StatusCode.ERROR, str(error)[:500])
            )
        usage = self._usage
        if usage is not None:
            tokens = {
                "input": getattr(usage, "prompt_token_count", None),
                "output": (getattr(usage, "candidates_token_count", None) or 0)
                + (getattr(usage, "thoughts_token_count", None) or 0)
                or None,
            }
            for kind, count in tokens.items():
                if isinstance(count, int):
                    span.set_attribute(f"gen_ai.usage.{kind}_tokens", count)
                    self._ins.tokens.record(count, {**attrs, "gen_ai.token.type": kind})
        self._ins.duration.record(time.perf_counter() - self._start, attrs)
        span.end()


def _error_type(error: BaseException) -> str:
    status = getattr(error, "status_code", None)
    return str(status) if isinstance(status, int) else type(error).__name__


def tracing() -> bool:
    """Whether calls are traced: ``opentelemetry-api`` is installed and not turned off."""
    if not _looked:
        _load()
    return _pending or _instruments is not None


def start_call(
    base_url: str, method: str, path: str, body: Mapping[str, object] | None
) -> Call | None:
    """A started call, or None when OpenTelemetry is not installed, turned off or has no SDK
    configured (its API would drop every span and metric: the call skips building them)."""
    ins = _instruments
    if ins is None:
        # No SDK can be configured before something imports the API: until then nothing records.
        if not _pending or not (_API[0] in sys.modules or _API[1] in sys.modules):
            return None
        ins = _build()
    if ins is None or not ins.recording():
        return None
    try:
        return Call(ins, base_url, method, path, body)
    except Exception as err:
        _failed(err)
        return None


def observe_stream(call: Call, chunks: Iterator[T]) -> Generator[T, None, None]:
    """``chunks`` told to ``call`` one by one; the call ends when they end, fail or are closed."""
    error: BaseException | None = None
    try:
        for chunk in chunks:
            call.chunk(chunk)
            yield chunk
    except BaseException as err:
        error = err
        raise
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
        call.end(error=error if not isinstance(error, GeneratorExit) else None)


async def observe_async_stream(call: Call, chunks: AsyncIterator[T]) -> AsyncGenerator[T, None]:
    """The async twin of ``observe_stream``."""
    error: BaseException | None = None
    try:
        async for chunk in chunks:
            call.chunk(chunk)
            yield chunk
    except BaseException as err:
        error = err
        raise
    finally:
        close = getattr(chunks, "aclose", None)
        if close is not None:
            await close()
        call.end(error=error if not isinstance(error, GeneratorExit) else None)
