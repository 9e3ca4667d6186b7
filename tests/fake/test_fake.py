"""`gemini_client.testing`: the fake of the whole API, generated from the spec, as a user's tests
meet it: in process and on loopback, sync and async, scripted and recorded."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import socketserver
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest

from gemini_client import (
    APIConnectionError,
    Client,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    types,
)
from gemini_client.testing import FakeGemini, interrupt_upload
from gemini_client.testing._api import ROUTES

ROOT = Path(__file__).resolve().parents[2]
MODEL = "gemini-2.5-flash"


@pytest.fixture
def fake() -> FakeGemini:
    return FakeGemini()


def sample_path(route) -> str:  # type: ignore[no-untyped-def]
    """A path the route's client method would send, with plausible values for its parameters."""

    def value(m: re.Match[str]) -> str:
        name = m.group(1)
        prefix = route.prefixes.get(name, "")
        if prefix:
            return prefix + "x1"
        nested = "/".join(f"{r}/x{i}" for i, r in enumerate(route.resource))
        collection = name == "parent" or route.kind == "paginate"
        return nested.rsplit("/", 2)[0] if collection else nested

    return f"/{route.version}/" + re.sub(r"\{(\w+)\}", value, route.path)


def test_every_method_answers_a_valid_default_of_its_type(fake: FakeGemini) -> None:
    http = httpx.Client(transport=fake.transport, base_url="https://api.test")
    for route in ROUTES:
        path = sample_path(route)
        if route.upload:
            path = "/upload" + path
        body = {route.stream_flag: True} if route.stream_flag else {}
        query = (
            {route.stream_flag: "true"}
            if route.stream_flag and route.http_method == "GET"
            else None
        )
        response = http.request(
            route.http_method, path, json=body if route.http_method != "GET" else None, params=query
        )
        assert response.status_code == 200, (route.method, path, response.text)
        cls = getattr(types, route.response, None)
        if route.kind in ("plain", "paginate") and cls is not None and not route.upload:
            cls.model_validate(response.json())
        (recorded,) = [c for c in fake.calls if c.path == path][-1:]
        assert recorded.method == ".".join([*route.access, route.method]), path
    assert len({c.method for c in fake.calls}) == len(ROUTES)


def test_scripted_answers_in_order_the_last_one_stays(fake: FakeGemini) -> None:
    client = fake.client()
    fake.models.generate_content.returns(text="Paris").returns(text="Rome")
    got = [client.models.generate_content(model=MODEL, contents="?").text for _ in range(3)]
    assert got == ["Paris", "Rome", "Rome"]
    fake.models.generate_content.returns(text="Oslo")  # replaces the answer that stayed
    assert client.models.generate_content(model=MODEL, contents="?").text == "Oslo"


def test_requests_are_recorded_typed_without_the_key(fake: FakeGemini) -> None:
    client = fake.client(api_key="real-secret-key")
    client.models.generate_content(
        model=MODEL, contents="Capital of France?", generation_config={"temperature": 0.5}
    )
    call = fake.models.generate_content.last
    assert call.params == {"model": f"models/{MODEL}"}
    assert isinstance(call.request, types.GenerateContentRequest)
    assert call.request.contents[0].parts[0].text == "Capital of France?"
    assert call.request.generation_config.temperature == 0.5
    assert call.headers["x-goog-api-key"] == "<redacted>"
    assert "real-secret-key" not in repr(fake.calls)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (RateLimitError, RateLimitError),
        (429, RateLimitError),
        (404, NotFoundError),
        (InternalServerError, InternalServerError),
        (400, BadRequestError),
    ],
)
def test_raises_gives_the_client_s_typed_error(
    fake: FakeGemini, error: object, expected: type
) -> None:
    fake.models.generate_content.raises(error, "scripted")
    with pytest.raises(expected, match="scripted"):
        fake.client(max_retries=0).models.generate_content(model=MODEL, contents="x")


def test_a_failure_then_success_exercises_the_retry(fake: FakeGemini) -> None:
    fake.models.generate_content.raises(503).returns(text="ok")
    client = fake.client(max_retries=2)
    assert client.models.generate_content(model=MODEL, contents="x").text == "ok"
    assert len(fake.models.generate_content.calls) == 2
    [delay] = fake.sleeps  # the backoff the client asked for, recorded instead of slept
    assert delay > 0
    fake.reset()
    assert fake.sleeps == []


def test_an_async_retry_is_recorded_not_slept(fake: FakeGemini) -> None:
    fake.models.generate_content.raises(RateLimitError).raises(500).returns(text="ok")

    async def main() -> str | None:
        async with fake.async_client(max_retries=2) as client:
            return (await client.models.generate_content(model=MODEL, contents="x")).text

    assert asyncio.run(main()) == "ok"
    assert len(fake.sleeps) == 2 and all(delay > 0 for delay in fake.sleeps)


def test_a_connection_failure(fake: FakeGemini) -> None:
    fake.models.generate_content.raises(APIConnectionError)
    with pytest.raises(APIConnectionError):
        fake.client(max_retries=0).models.generate_content(model=MODEL, contents="x")


def test_streamed_chunks(fake: FakeGemini) -> None:
    fake.models.stream_generate_content.streams("Once ", "upon ", "a time")
    with fake.client().models.stream_generate_content(model=MODEL, contents="story") as stream:
        assert [c.text for c in stream] == ["Once ", "upon ", "a time"]


def test_a_long_running_operation_done_after_polls(fake: FakeGemini) -> None:
    # the operation's response is free-form in the spec: a wire (camelCase) dict
    video = {"generateVideoResponse": {"generatedSamples": [{"video": {"uri": "https://x/v.mp4"}}]}}
    fake.models.predict_long_running.returns(video, polls=2)
    client = fake.client()
    op = client.models.predict_long_running(model="veo-3", instances=[{"prompt": "a cat"}])
    assert not op.done
    result = op.wait(poll_interval=0.001, timeout=5)
    assert result == video
    polls = [c for c in fake.calls if c.http_method == "GET"]
    assert len(polls) == 2


@pytest.mark.parametrize("chunk_size", [None, 256 * 1024], ids=["one-request", "chunks"])
def test_an_upload_that_loses_its_connection_resumes(
    fake: FakeGemini, tmp_path: Path, chunk_size: int | None
) -> None:
    data = os.urandom(300_000)
    path = tmp_path / "talk.mp3"
    path.write_bytes(data)
    interrupt_upload(fake.media.upload, after=100_000)
    file = fake.client().files.upload(file=str(path), chunk_size=chunk_size)
    assert file.state == "ACTIVE" and file.size_bytes == len(data)
    assert fake.media.upload.last.body == data  # every byte once, in order


def test_async_client(fake: FakeGemini) -> None:
    async def main() -> list[str | None]:
        fake.models.generate_content.returns(text="a")
        fake.models.stream_generate_content.streams("x", "y")
        async with fake.async_client() as client:
            one = await client.models.generate_content(model=MODEL, contents="q")
            stream = await client.models.stream_generate_content(model=MODEL, contents="q")
            return [one.text] + [c.text async for c in stream]

    assert asyncio.run(main()) == ["a", "x", "y"]


@pytest.mark.filterwarnings("error")
def test_a_fake_client_warns_of_nothing(fake: FakeGemini, tmp_path: Path) -> None:
    """The fake answers in-process (no socket can outlast a deadline): a user's test run with
    warnings as errors stays green, sync, async, streamed and uploaded."""
    fake.models.generate_content.returns(text="a")
    fake.models.stream_generate_content.streams("x")
    with fake.client() as client:
        assert client.models.generate_content(model=MODEL, contents="q").text == "a"
        assert [
            c.text for c in client.models.stream_generate_content(model=MODEL, contents="q")
        ] == ["x"]
        (tmp_path / "f.txt").write_bytes(b"abc")
        assert client.files.upload(file=tmp_path / "f.txt").state == "ACTIVE"

    async def main() -> str | None:
        async with fake.async_client() as client:
            return (await client.models.generate_content(model=MODEL, contents="q")).text

    assert asyncio.run(main()) == "a"


def test_the_fake_on_loopback_answers_another_process(fake: FakeGemini) -> None:
    fake.models.generate_content.returns(text="from the fake")
    program = textwrap.dedent(
        """
        import sys
        from gemini_client import Client
        client = Client(api_key="k", base_url=sys.argv[1], max_retries=0)
        print(client.models.generate_content(model="gemini-2.5-flash", contents="hi").text)
        """
    )
    with fake.serve() as url:
        run = subprocess.run(
            [sys.executable, "-c", program, url],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
        )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "from the fake"
    assert fake.models.generate_content.last.request.contents[0].parts[0].text == "hi"


def test_the_fake_on_loopback_answers_a_kept_alive_connection_at_once(
    fake: FakeGemini, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An answer is two writes (head, body): with Nagle's algorithm on, each answer after the
    first on a kept-alive connection waited ~40 ms for the client's delayed ACK."""
    nodelay: list[int] = []
    setup = socketserver.StreamRequestHandler.setup

    def recorded(handler: socketserver.StreamRequestHandler) -> None:
        setup(handler)
        nodelay.append(handler.connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))

    monkeypatch.setattr(socketserver.StreamRequestHandler, "setup", recorded)
    fake.models.generate_content.returns(text="again")
    with fake.serve() as url, Client(api_key="k", base_url=url, max_retries=0) as client:
        texts = [client.models.generate_content(model=MODEL, contents="hi").text for _ in range(3)]
    assert texts == ["again"] * 3
    assert nodelay == [1]  # one connection, kept alive, Nagle's algorithm off


def test_nested_resources_are_told_apart(fake: FakeGemini) -> None:
    client = fake.client()
    client.tuned_models.permissions.get(name="tunedModels/t/permissions/p")
    client.corpora.permissions.get(name="corpora/c/permissions/p")
    client.tuned_models.get(name="tunedModels/t")
    assert [c.method for c in fake.calls] == [
        "tuned_models.permissions.get",
        "corpora.permissions.get",
        "tuned_models.get",
    ]


def test_an_unknown_path_is_a_404_naming_it(fake: FakeGemini) -> None:
    http = httpx.Client(transport=fake.transport, base_url="https://api.test")
    response = http.post("/v1beta/nothing:here", json={})
    assert response.status_code == 404 and "/v1beta/nothing:here" in response.text


def test_the_live_fake_speaks_the_websocket_protocol(fake: FakeGemini) -> None:
    fake.live.replies("Hello!", "Bye.")
    with fake:
        client = fake.client()
        with client.live.connect(
            model="gemini-live-2.5-flash", config={"response_modalities": ["TEXT"]}
        ) as session:
            session.send_client_content(turns="Hi")
            first = session.receive_text()
            session.send_client_content(turns="Leaving")
            second = session.receive_text()
    assert (first, second) == ("Hello!", "Bye.")
    (recorded,) = fake.live.sessions
    assert recorded.setup["model"] == "models/gemini-live-2.5-flash"
    assert recorded.headers["x-goog-api-key"] == "<redacted>"
    assert [m["clientContent"]["turns"][0]["parts"][0]["text"] for m in recorded.received] == [
        "Hi",
        "Leaving",
    ]


def test_the_docs_example_runs_as_written() -> None:
    from support.docblocks import python_blocks

    [block] = python_blocks(
        ROOT / "docs" / "testing.md", "# Testing your code: `gemini_client.testing`"
    )
    namespace: dict[str, object] = {}
    exec(compile(block, "docs/testing.md", "exec"), namespace)
    test = namespace["test_summary_retries_then_answers"]
    assert callable(test)
    test()
