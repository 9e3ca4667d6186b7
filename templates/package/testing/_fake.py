"""The fake API behind `gemini_client.testing`: routes requests to scripted answers and records them.

One handler serves both ways in: an httpx transport (sync and async, in process) and a loopback
HTTP server (`_server.py`). Requests are matched to the spec's methods (`_api.ROUTES`, generated),
answered from what a test scripted, or with a valid default of the method's response type.
"""

from __future__ import annotations

import datetime
import enum
import itertools
import json
import re
import threading
import types as pytypes
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import parse_qsl, unquote

import httpx
import pydantic

from .. import types
from .._core._exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    InternalServerError,
    _STATUS_ERRORS,
)

__all__ = ["FakeBase", "MethodFake", "Recorded", "ResourceFake", "Route"]

T = TypeVar("T")

_RPC_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    422: "INVALID_ARGUMENT",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}
_REDACTED = "<redacted>"


@dataclass(frozen=True)
class Route:
    """One API method as the fake matches it (generated from the spec, `_api.ROUTES`)."""

    access: Sequence[str]  # attributes from the client: ["tuned_models", "permissions"]
    resource: Sequence[str]  # wire names of the resource's nesting: ["tunedModels", "permissions"]
    method: str  # Python name: generate_content
    http_method: str
    version: str
    path: str  # "{model}:generateContent", placeholders by Python name
    prefixes: Mapping[str, str]  # path parameter -> its prefix ("models/")
    kind: str  # plain | stream | paginate | operation | empty | download
    response: str  # the type an answer is (a stream's chunk, a page, an operation's response)
    request: str = ""
    metadata: str = ""
    items: str = ""
    next_page_token: str = ""
    upload: bool = False
    stream_flag: str = ""  # a stream asked for with this body field / query parameter set to true

    def pattern(self) -> re.Pattern[str]:
        out, last = "^/" + re.escape(self.version) + "/", 0
        for m in re.finditer(r"\{(\w+)\}", self.path):
            out += re.escape(self.path[last : m.start()])
            prefix = self.prefixes.get(m.group(1), "")
            value = re.escape(prefix) + "[^/:]+" if prefix else "[^:]+?"
            out += f"(?P<{m.group(1)}>{value})"
            last = m.end()
        return re.compile(out + re.escape(self.path[last:]) + "$")

    def fits(self, params: Mapping[str, str]) -> int:
        """How well path values without a prefix fit this resource's nesting (-1: not at all):
        `tunedModels/x/permissions/y` names a permission of a tuned model, not a corpus's."""
        score = 0
        for name, value in params.items():
            if self.prefixes.get(name):
                continue
            collections = value.split("/")[::2]
            if collections != list(self.resource[: len(collections)]):
                return -1
            if len(collections) < len(self.resource) - 1:
                return -1
            score += len(collections)
        return score


@dataclass
class Recorded:
    """A request the fake received, for assertions: `fake.models.generate_content.calls[0].body`."""

    method: str  # "models.generate_content"
    http_method: str
    path: str
    params: dict[str, str]  # path parameters by Python name (`model`: "models/gemini-2.5-flash")
    query: dict[str, str]
    headers: dict[str, str]  # the API key shown as <redacted>
    body: Any  # the JSON body, or the bytes of an upload
    request: Any = None  # the body parsed as the method's request type, when it has one


@dataclass
class _Script:
    """What one answer is: a value, chunks, an error, or an operation that needs polls."""

    value: Any = None
    chunks: Sequence[Any] | None = None
    error: Any = None
    polls: int = 0
    name: str = ""  # an operation's name, when scripted


class MethodFake(Generic[T]):
    """One API method of the fake: script its answers, read its calls.

    Answers queue up; each call takes the next one and the last one stays, so
    `m.returns(text="a").returns(text="b")` answers "a" once and then "b" every time. With nothing
    scripted, a call gets a valid default of the method's response type."""

    def __init__(self, fake: FakeBase, route: Route) -> None:
        self._fake = fake
        self.route = route
        self._answers: list[_Script] = []
        self._served_last = False  # the one answer left has answered: the next script replaces it
        self.calls: list[Recorded] = []

    def __repr__(self) -> str:
        return f"<fake {'.'.join(self.route.access)}.{self.route.method}: {len(self.calls)} calls>"

    @property
    def last(self) -> Recorded:
        """The last call (AssertionError when there was none)."""
        assert self.calls, f"{self!r} was never called"
        return self.calls[-1]

    def returns(
        self,
        value: T | Mapping[str, Any] | None = None,
        /,
        *,
        polls: int = 0,
        operation: str = "",
        **fields: Any,
    ) -> MethodFake[T]:
        """Answer with `value` (a model of the response type, or a dict), or with a response built
        from `fields` (Python names; `text=` makes a model answer of that text). A long-running
        method's operation (named `operation`, else a made-up name) is done after `polls` polls."""
        with self._fake._lock:
            self._add(_Script(value=self._build(value, fields), polls=polls, name=operation))
        return self

    def streams(self, *chunks: T | Mapping[str, Any] | str) -> MethodFake[T]:
        """Answer a streaming method with these chunks (a str is a chunk of that text)."""
        built = [
            self._build(None, {"text": c}) if isinstance(c, str) else self._build(c, {})
            for c in chunks
        ]
        with self._fake._lock:
            self._add(_Script(chunks=built))
        return self

    def raises(self, error: Any, message: str = "", /) -> MethodFake[T]:
        """Answer with an error: an HTTP status (429), an error class of the client
        (`RateLimitError`, `APIConnectionError`, `APITimeoutError`) or an instance of one."""
        with self._fake._lock:
            self._add(_Script(error=(error, message)))
        return self

    def reset(self) -> None:
        """Forget the scripted answers and the recorded calls."""
        with self._fake._lock:
            self._answers.clear()
            self.calls.clear()

    def _add(self, script: _Script) -> None:
        if self._served_last:
            self._answers.clear()
            self._served_last = False
        self._answers.append(script)

    # -- answering -----------------------------------------------------------------------------

    def _type(self) -> type[Any] | None:
        return getattr(types, self.route.response, None) if self.route.response else None

    def _build(self, value: Any, fields: dict[str, Any]) -> Any:
        cls = self._type()
        if (
            "text" in fields
            and cls is not None
            and "candidates" in getattr(cls, "model_fields", {})
        ):
            text = fields.pop("text")
            fields.setdefault(
                "candidates",
                [
                    {
                        "content": {"role": "model", "parts": [{"text": text}]},
                        "finish_reason": "STOP",
                        "index": 0,
                    }
                ],
            )
        if value is None and not fields:
            return None
        if value is None:
            value = fields
        if cls is not None and isinstance(value, Mapping):
            value = cls.model_validate(dict(value))
        return value

    def _next(self) -> _Script:
        with self._fake._lock:
            if not self._answers:
                return _Script()
            if len(self._answers) > 1:
                return self._answers.pop(0)
            self._served_last = True
            return self._answers[0]

    def _default(self, recorded: Recorded | None = None) -> Any:
        cls = self._type()
        if cls is None:
            return {}
        sample = _SAMPLES.get(self.route.response)
        return cls.model_validate(sample(self._fake, recorded)) if sample else default_of(cls)


class ResourceFake:
    """A resource of the fake: its methods and nested resources as attributes."""


class FakeBase:
    """The routing, recording and answering shared by `FakeGemini`'s two ways in."""

    def __init__(self, routes: Iterable[Route]) -> None:
        self._lock = threading.RLock()
        self._routes = [(r, r.pattern()) for r in routes]
        self._methods: list[MethodFake[Any]] = []
        self._operations: dict[str, tuple[MethodFake[Any], _Script, int]] = {}
        self._uploads: dict[str, dict[str, Any]] = {}
        self._ids = itertools.count(1)
        self.calls: list[Recorded] = []
        """Every request, in order, whichever method it was."""
        for route in routes:
            owner: Any = self
            for attr in route.access:
                child = owner.__dict__.get(attr)
                if child is None:
                    child = ResourceFake()
                    setattr(owner, attr, child)
                owner = child
            method = MethodFake[Any](self, route)
            setattr(owner, route.method, method)
            self._methods.append(method)

    def reset(self) -> None:
        """Forget every script and recorded call."""
        with self._lock:
            for m in self._methods:
                m.reset()
            self.calls.clear()
            self._operations.clear()
            self._uploads.clear()

    # -- the handler ---------------------------------------------------------------------------

    def handle(self, request: httpx.Request, body: bytes) -> httpx.Response:
        """The answer to one request (`body`: its content, already read)."""
        path = unquote(request.url.path)
        query = dict(parse_qsl(request.url.query.decode("ascii", "replace")))
        upload = request.headers.get("x-goog-upload-command")
        if upload is not None and request.url.params.get("upload_id"):
            return self._upload_step(request, body, upload)
        with self._lock:
            operation = (
                self._operations.get(path.split("/", 2)[-1]) if request.method == "GET" else None
            )
        flags = _flags(request, body, query)
        found = self._match(request.method, path.removeprefix("/upload"), flags)
        if operation is not None:  # a poll of an operation the fake started
            if found is not None:
                self._record(found[0], request, path, found[1], query, body)
            return self._poll(path.split("/", 2)[-1], request)
        if found is None:
            return _error(404, f"the fake has no method for {request.method} {path}")
        method, params = found
        recorded = self._record(method, request, path, params, query, body)
        if upload is not None:
            return self._upload_start(method, request, recorded)
        return self._answer(method, recorded)

    def _match(
        self, http_method: str, path: str, flags: frozenset[str] = frozenset()
    ) -> tuple[MethodFake[Any], dict[str, str]] | None:
        best: tuple[int, bool, int] | None = None
        found = None
        for method, (route, pattern) in zip(self._methods, self._routes):
            if route.http_method != http_method:
                continue
            m = pattern.match(path)
            if m is None:
                continue
            params = m.groupdict()
            fit = route.fits(params)
            if fit < 0:
                continue
            if route.stream_flag and route.stream_flag not in flags:
                continue
            literal = len(re.sub(r"\{\w+\}", "", route.path)) + sum(
                map(len, route.prefixes.values())
            )
            rank = (literal, bool(route.stream_flag), fit)
            if best is None or rank > best:
                best, found = rank, (method, params)
        return found

    def _record(
        self,
        method: MethodFake[Any],
        request: httpx.Request,
        path: str,
        params: dict[str, str],
        query: dict[str, str],
        body: bytes,
    ) -> Recorded:
        headers = {
            k: (_REDACTED if k.lower() == "x-goog-api-key" else v)
            for k, v in request.headers.items()
        }
        data: Any = body
        parsed = None
        if "json" in request.headers.get("content-type", "") and body:
            data = json.loads(body)
            cls = getattr(types, method.route.request, None) if method.route.request else None
            if cls is not None and isinstance(data, dict):
                try:
                    parsed = cls.model_validate(data)
                except pydantic.ValidationError:
                    parsed = None  # recorded as sent; the test can look at `body`
        route = method.route
        recorded = Recorded(
            ".".join([*route.access, route.method]),
            request.method,
            path,
            params,
            query,
            headers,
            data,
            parsed,
        )
        with self._lock:
            method.calls.append(recorded)
            self.calls.append(recorded)
        return recorded

    def _answer(self, method: MethodFake[Any], recorded: Recorded) -> httpx.Response:
        script = method._next()
        if script.error is not None:
            return _failure(*script.error)
        route = method.route
        if route.kind == "stream":
            chunks = (
                script.chunks
                if script.chunks is not None
                else [script.value or method._default(recorded)]
            )
            data = b"".join(b"data: " + _json_bytes(c) + b"\r\n\r\n" for c in chunks)
            return httpx.Response(200, content=data, headers={"content-type": "text/event-stream"})
        if route.kind == "download":
            value = script.value if script.value is not None else b""
            return httpx.Response(
                200, content=bytes(value), headers={"content-type": "application/octet-stream"}
            )
        if route.kind == "empty":
            return _json_response({})
        if route.kind == "operation":
            return _json_response(self._start_operation(method, script, recorded))
        value = script.value if script.value is not None else method._default(recorded)
        return _json_response(value)

    # -- long-running operations ---------------------------------------------------------------

    def _start_operation(
        self, method: MethodFake[Any], script: _Script, recorded: Recorded
    ) -> dict[str, Any]:
        made_up = (
            f"{recorded.path.split('/', 2)[-1].split(':')[0]}/operations/fake-{next(self._ids)}"
        )
        name = script.name or made_up
        with self._lock:
            self._operations[name] = (method, script, script.polls)
        return self._operation(name)

    def _operation(self, name: str) -> dict[str, Any]:
        method, script, left = self._operations[name]
        if left > 0:
            return {"name": name, "done": False}
        if script.error is not None:
            err = _failure(*script.error)
            return {"name": name, "done": True, "error": json.loads(err.content)["error"]}
        value = script.value if script.value is not None else method._default()
        return {"name": name, "done": True, "response": _wire(value)}

    def _poll(self, name: str, request: httpx.Request) -> httpx.Response:
        with self._lock:
            method, script, left = self._operations[name]
            self._operations[name] = (method, script, max(0, left - 1))
            return _json_response(self._operation(name))

    # -- resumable uploads ---------------------------------------------------------------------

    def _upload_start(
        self, method: MethodFake[Any], request: httpx.Request, recorded: Recorded
    ) -> httpx.Response:
        upload_id = f"fake-{next(self._ids)}"
        size = int(request.headers.get("x-goog-upload-header-content-length", "0") or 0)
        with self._lock:
            self._uploads[upload_id] = {
                "method": method,
                "data": bytearray(),
                "size": size,
                "recorded": recorded,
            }
        url = request.url.copy_with(query=f"upload_id={upload_id}".encode())
        return httpx.Response(
            200, headers={"x-goog-upload-url": str(url), "x-goog-upload-status": "active"}
        )

    def _upload_step(self, request: httpx.Request, body: bytes, command: str) -> httpx.Response:
        upload_id = request.url.params["upload_id"]
        with self._lock:
            state = self._uploads.get(upload_id)
        if state is None:
            return _error(404, "no such upload")
        data: bytearray = state["data"]
        if "query" in command:
            return httpx.Response(
                200,
                headers={
                    "x-goog-upload-status": "active",
                    "x-goog-upload-size-received": str(len(data)),
                },
            )
        offset = int(request.headers.get("x-goog-upload-offset", "0"))
        if offset != len(data):
            return _error(400, f"upload offset {offset} but {len(data)} bytes received")
        drop = self._drop_after(state)
        if drop is not None and len(data) + len(body) > drop:
            data += body[: max(0, drop - len(data))]
            state["dropped"] = True
            raise httpx.ReadError("the fake dropped the connection mid-upload")
        data += body
        if "finalize" not in command:
            return httpx.Response(200, headers={"x-goog-upload-status": "active"})
        method: MethodFake[Any] = state["method"]
        state["recorded"].body = bytes(data)
        response = self._answer(method, state["recorded"])
        response.headers["x-goog-upload-status"] = "final"
        return response

    def _drop_after(self, state: dict[str, Any]) -> int | None:
        method: MethodFake[Any] = state["method"]
        after = getattr(method, "_drop_upload_after", None)
        return None if after is None or state.get("dropped") else int(after)


def _flags(request: httpx.Request, body: bytes, query: Mapping[str, str]) -> frozenset[str]:
    """The names set to true in the JSON body or the query: how a stream_flag method is asked for."""
    names = {k for k, v in query.items() if v.lower() == "true"}
    if body[:1] == b"{" and "json" in request.headers.get("content-type", ""):
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        if isinstance(data, dict):
            names |= {k for k, v in data.items() if v is True}
    return frozenset(names)


def interrupt_upload(method: MethodFake[Any], after: int) -> None:
    """Make the next upload of `method` lose its connection once `after` bytes arrived (the
    client then asks how much arrived and resumes)."""
    method._drop_upload_after = after  # type: ignore[attr-defined]


# -- answers -------------------------------------------------------------------------------------


def _wire(value: Any) -> Any:
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_none=True)
    return value


def _json_bytes(value: Any) -> bytes:
    return json.dumps(_wire(value), separators=(",", ":")).encode()


def _json_response(value: Any) -> httpx.Response:
    return httpx.Response(
        200, content=_json_bytes(value), headers={"content-type": "application/json"}
    )


def _error(status: int, message: str, rpc: str | None = None) -> httpx.Response:
    body = {
        "error": {
            "code": status,
            "message": message,
            "status": rpc or _RPC_STATUS.get(status, "UNKNOWN"),
        }
    }
    return httpx.Response(
        status, content=json.dumps(body).encode(), headers={"content-type": "application/json"}
    )


def _failure(error: Any, message: str) -> httpx.Response:
    if (
        isinstance(error, type)
        and issubclass(error, APITimeoutError)
        or isinstance(error, APITimeoutError)
    ):
        raise httpx.ReadTimeout(message or "the fake timed out")
    if (
        isinstance(error, type)
        and issubclass(error, APIConnectionError)
        or isinstance(error, APIConnectionError)
    ):
        raise httpx.ConnectError(message or "the fake refused the connection")
    if isinstance(error, int):
        return _error(error, message or f"the fake answered {error}")
    if isinstance(error, type) and issubclass(error, APIStatusError):
        codes = {cls: code for code, cls in _STATUS_ERRORS.items()}
        code = 500 if issubclass(error, InternalServerError) else codes.get(error, 400)
        return _error(code, message or error.__doc__ or error.__name__)
    if isinstance(error, APIStatusError):
        return _error(error.status_code, message or error.message, error.status)
    raise TypeError(
        f"raises(): expected an HTTP status or an error class of the client, got {error!r}"
    )


# -- defaults ------------------------------------------------------------------------------------


def _model_answer(fake: FakeBase, recorded: Recorded | None) -> dict[str, Any]:
    return {
        "candidates": [
            {
                "content": {"role": "model", "parts": [{"text": ""}]},
                "finishReason": "STOP",
                "index": 0,
            }
        ],
        "usageMetadata": {"promptTokenCount": 0, "candidatesTokenCount": 0, "totalTokenCount": 0},
    }


def _file(fake: FakeBase, recorded: Recorded | None) -> dict[str, Any]:
    name = f"files/fake-{next(fake._ids)}"
    headers = recorded.headers if recorded is not None else {}
    body = recorded.body if recorded is not None else None
    size = len(body) if isinstance(body, bytes) else 0
    return {
        "name": name,
        "uri": f"https://generativelanguage.googleapis.com/v1beta/{name}",
        "mimeType": headers.get("x-goog-upload-header-content-type", "application/octet-stream"),
        "sizeBytes": str(size),
        "state": "ACTIVE",
    }


# Realistic defaults where an empty answer would be useless: a model answer with (empty) text, a
# file that is ACTIVE. Every other type gets `default_of` (its required fields filled in).
_SAMPLES: dict[str, Any] = {
    "GenerateContentResponse": _model_answer,
    "File": _file,
    "CreateFileResponse": lambda fake, recorded: {"file": _file(fake, recorded)},
}


def default_of(annotation: Any, depth: int = 0) -> Any:
    """A valid value of `annotation`: a model with its required fields filled in, recursively."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, pytypes.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return None if len(args) < len(typing.get_args(annotation)) else default_of(args[0], depth)
    if origin is typing.Annotated:
        return default_of(typing.get_args(annotation)[0], depth)
    if origin is typing.Literal:
        return typing.get_args(annotation)[0]
    if origin in (list, tuple, set, frozenset, Sequence) or annotation in (list, tuple):
        return []
    if origin in (dict, Mapping) or annotation is dict:
        return {}
    if isinstance(annotation, type):
        if issubclass(annotation, pydantic.BaseModel):
            if depth > 20:
                return None
            return annotation.model_validate(
                {
                    f.alias or name: default_of(f.annotation, depth + 1)
                    for name, f in annotation.model_fields.items()
                    if f.is_required()
                }
            )
        if issubclass(annotation, enum.Enum):
            return next(iter(annotation))
        if issubclass(annotation, bool):
            return False
        if issubclass(annotation, (int, float)):
            return annotation(0)
        if issubclass(annotation, bytes):
            return b""
        if issubclass(annotation, str):
            return ""
        if issubclass(annotation, datetime.datetime):
            return datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
        if issubclass(annotation, datetime.timedelta):
            return datetime.timedelta(0)
    return None
