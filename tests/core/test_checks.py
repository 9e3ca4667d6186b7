"""Inputs checked before anything is sent, pagers, event loops, headers and copies (issue #11)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from gemini_client._core import (
    SDK_VERSION,
    APIResponseValidationError,
    ArgumentError,
    ClientClosedError,
    GeminiError,
    check_path,
    path_param,
)
from support.server import LoopbackServer, Reply

from .fakeapi import GENERATE, KEY, LIST, AsyncClient, Client, reply
from .faultkit import CONTENTS, MODES, generate, list_names, own_http_client, run

# --- 11. path parameters ----------------------------------------------------------------------

ESCAPES = ["../../etc", "models/../files/x", "models/./x", "models//x", ".", "..", "models/", "/x"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("model", ESCAPES)
def test_path_escapes_are_rejected_before_sending(
    mode: str, server: LoopbackServer, model: str
) -> None:
    op = lambda c: c.models.generate_content(model, contents=CONTENTS)  # noqa: E731
    outcome = run(mode, server.url, op)
    assert isinstance(outcome.error, ArgumentError), outcome.error
    assert str(outcome.error).startswith("model: ")
    assert server.requests == []


def test_path_param_encodes_everything_but_slashes() -> None:
    assert path_param("a b?c#d%2e", name="model", prefix="models/") == "models/a%20b%3Fc%23d%252e"
    assert path_param("tunedModels/x", name="model", prefix="models/") == "tunedModels/x"
    for bad in ("", None, 3):
        with pytest.raises(ArgumentError, match="^model: "):
            path_param(bad, name="model")  # type: ignore[arg-type]


def test_every_request_path_is_checked() -> None:
    check_path("v1beta/models/x:generateContent")
    with pytest.raises(ArgumentError):
        check_path("v1beta/models/..:generateContent/../../x")


# --- 12. bad settings fail at construction or before sending ---------------------------------


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("base_url", "localhost:8080"),
        ("base_url", "generativelanguage.googleapis.com"),
        ("base_url", "ftp://example.com"),
        ("base_url", "http://"),
        ("base_url", "https://example.com/?key=x"),
        ("timeout", -1),
        ("timeout", 0),
        ("timeout", True),
        ("timeout", "10"),
        ("timeout", httpx.Timeout(5, read=-1)),
        ("max_retries", -1),
        ("max_retries", 1.5),
        ("api_key", ""),
        ("api_key", " \n"),
    ],
)
@pytest.mark.parametrize("cls", [Client, AsyncClient])
def test_bad_settings_fail_at_construction(cls: Any, setting: str, value: object) -> None:
    kwargs: dict[str, Any] = {"api_key": KEY, "base_url": "https://example.com"}
    kwargs[setting] = value
    with pytest.raises(ArgumentError, match=f"^{setting}: "):
        cls(**kwargs)


@pytest.mark.parametrize("mode", MODES)
def test_bad_per_call_timeout_fails_before_sending(mode: str, server: LoopbackServer) -> None:
    outcome = run(mode, server.url, generate(timeout=-1))
    assert isinstance(outcome.error, ArgumentError) and server.requests == []


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "extra",
    [
        {"extra_headers": {"x-name": "é"}},
        {"extra_body": {"when": object()}},
        {"extra_headers": {"user-agent": 3}},
    ],
)
def test_extras_that_cannot_be_sent_fail_before_sending(
    mode: str, server: LoopbackServer, extra: dict[str, Any]
) -> None:
    outcome = run(mode, server.url, generate(**extra))
    assert isinstance(outcome.error, ArgumentError), outcome.error
    assert server.requests == []


@pytest.mark.parametrize("mode", MODES)
def test_infinite_timeout_means_none(mode: str, server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(json=reply("a")))
    outcome = run(mode, server.url, generate(timeout=float("inf")))
    assert outcome.error is None and "x-server-timeout" not in server.requests[0].headers


# --- 9. pagers --------------------------------------------------------------------------------


def page(names: list[str], token: str | None) -> Reply:
    body: dict[str, Any] = {"models": [{"name": n} for n in names]}
    if token is not None:
        body["nextPageToken"] = token
    return Reply(json=body)


@pytest.mark.parametrize("mode", MODES)
def test_repeated_page_token_stops_the_pager(mode: str, server: LoopbackServer) -> None:
    server.add(LIST, page(["a"], "t1"), page(["b"], "t2"), page(["c"], "t1"), page(["d"], None))
    outcome = run(mode, server.url, list_names())
    assert isinstance(outcome.error, APIResponseValidationError)
    assert "repeated the page token 't1'" in str(outcome.error)
    assert len(server.requests) == 3


@pytest.mark.parametrize("mode", MODES)
def test_pager_follows_distinct_tokens(mode: str, server: LoopbackServer) -> None:
    server.add(LIST, page(["a"], "t1"), page(["b"], "t2"), page(["c"], None))
    outcome = run(mode, server.url, list_names())
    assert outcome.result == ["a", "b", "c"]
    assert [r.query.get("pageToken") for r in server.requests] == [None, ["t1"], ["t2"]]


# --- 15. await on the async pager -------------------------------------------------------------


@pytest.mark.asyncio
async def test_await_list_returns_the_pager_and_fetches_the_first_page_once(
    aclient: AsyncClient, server: LoopbackServer
) -> None:
    server.add(LIST, page(["a"], "t1"), page(["b"], None))
    pager = await aclient.models.list()
    assert len(server.requests) == 1
    assert [m.name async for m in pager] == ["a", "b"]
    assert len(server.requests) == 2
    first = await pager.first_page()
    assert [m.name for m in first.models or []] == ["a"] and len(server.requests) == 2


# --- 6. one AsyncClient, two event loops ------------------------------------------------------


def test_async_client_survives_a_second_asyncio_run(server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(json=reply("one")), Reply(json=reply("two")))
    client = AsyncClient(api_key=KEY, base_url=server.url)

    async def call() -> str:
        resp = await client.models.generate_content("gemini-test", contents=CONTENTS)
        return resp.text

    assert asyncio.run(call()) == "one"
    assert asyncio.run(call()) == "two"


def test_own_http_client_in_a_second_loop_raises_a_clear_error(server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(json=reply("one")))
    client = AsyncClient(api_key=KEY, base_url=server.url, http_client=own_http_client("async"))

    async def call() -> str:
        resp = await client.models.generate_content("gemini-test", contents=CONTENTS)
        return resp.text

    assert asyncio.run(call()) == "one"
    with pytest.raises(GeminiError, match="another event loop"):
        asyncio.run(call())


# --- 5. a call after close() ------------------------------------------------------------------


def test_call_after_close(server: LoopbackServer) -> None:
    client = Client(api_key=KEY, base_url=server.url)
    copy = client.with_options(max_retries=0)
    client.close()
    for c in (client, copy):
        with pytest.raises(ClientClosedError) as info:
            c.models.generate_content("gemini-test", contents=CONTENTS)
        assert isinstance(info.value, RuntimeError)
    assert server.requests == []


@pytest.mark.asyncio
async def test_async_call_after_close(server: LoopbackServer) -> None:
    client = AsyncClient(api_key=KEY, base_url=server.url)
    copy = client.with_options(max_retries=0)
    await client.aclose()
    for c in (client, copy):
        with pytest.raises(ClientClosedError):
            await c.models.generate_content("gemini-test", contents=CONTENTS)
    assert server.requests == []


# --- 13. SDK headers --------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_sdk_headers_and_user_headers_merge(mode: str, server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(json=reply("a")), Reply(json=reply("b")))
    run(mode, server.url, generate())
    headers = server.requests[0].headers
    assert headers["user-agent"] == f"gemini-codegen/{SDK_VERSION}"
    assert headers["x-goog-api-client"].startswith(f"gemini-codegen/{SDK_VERSION} gl-python/3.")
    run(
        mode,
        server.url,
        generate(extra_headers={"x-goog-api-client": "myframework/2"}),
        default_headers={"User-Agent": "myapp/1.0", "x-team": "t"},
    )
    headers = server.requests[1].headers
    assert headers["user-agent"] == f"myapp/1.0 gemini-codegen/{SDK_VERSION}"
    assert headers["x-goog-api-client"].startswith(f"myframework/2 gemini-codegen/{SDK_VERSION}")
    assert headers["x-team"] == "t" and headers["x-goog-api-key"] == KEY


@pytest.mark.parametrize("mode", MODES)
def test_the_time_left_is_sent_as_x_server_timeout(mode: str, server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(json=reply("a")), Reply(json=reply("b")))
    run(mode, server.url, generate(timeout=30.5))
    run(mode, server.url, generate(timeout=None))
    assert server.requests[0].headers["x-server-timeout"] == "31"
    assert "x-server-timeout" not in server.requests[1].headers


def test_sdk_version_is_the_generators() -> None:
    import codegen

    assert SDK_VERSION == codegen.__version__


# --- 16. with_options / copy ------------------------------------------------------------------


def test_with_options_shares_the_pool_and_merges_headers(server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(json=reply("a")))
    with Client(api_key=KEY, base_url=server.url, default_headers={"x-a": "1"}) as client:
        copy = client.with_options(timeout=5, max_retries=0, extra_headers={"x-b": "2"})
        assert copy._client is client._client
        assert (copy.timeout, copy.max_retries, client.max_retries) == (5.0, 0, 2)
        assert client.copy(default_headers={"x-c": "3"})._default_headers == {
            "x-a": "1",
            "x-c": "3",
        }
        copy.models.generate_content("gemini-test", contents=CONTENTS)
        copy.close()  # a copy never closes the shared pool
        assert not client._client.is_closed
    headers = server.requests[0].headers
    assert headers["x-a"] == "1" and headers["x-b"] == "2"


@pytest.mark.asyncio
async def test_async_with_options_shares_the_pool(server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(json=reply("a")))
    async with AsyncClient(api_key=KEY, base_url=server.url) as client:
        copy = client.copy(timeout=5, extra_headers={"x-b": "2"})
        assert copy._client is client._client
        await copy.models.generate_content("gemini-test", contents=CONTENTS)
    assert server.requests[0].headers["x-b"] == "2"


def test_redact_takes_a_key_or_its_forms() -> None:
    from urllib.parse import quote

    from gemini_client._core._exceptions import redact, secret_forms

    text = f"a {KEY} b {quote(KEY, safe='')} c {KEY.encode()!r} d ?key=abc"
    assert redact(text, KEY) == redact(text, secret_forms(KEY))
    assert KEY not in redact(text, KEY) and "abc" not in redact(text)
    assert redact("A z", KEY) == "A z"  # a str is one secret, not a set of characters


def test_copies_sharing_the_own_pool_send_their_own_headers_once(server: LoopbackServer) -> None:
    """The client's own httpx client holds the constant SDK headers; each request adds only what
    differs (the key, a copy's headers). Every request still carries each header once, with the
    value of the client that sent it, the original's unchanged by its copies."""
    server.add(GENERATE, *(Reply(json=reply(str(i))) for i in range(4)))
    sent: list[list[tuple[bytes, bytes]]] = []
    with Client(api_key=KEY, base_url=server.url) as client:
        client._client.event_hooks["request"].append(lambda r: sent.append(list(r.headers.raw)))
        copies = [
            client,
            client.with_options(default_headers={"User-Agent": "myapp/1.0"}),
            client.with_options(api_key="other-key", extra_headers={"Accept-Encoding": "gzip"}),
            client,
        ]
        for c in copies:
            c.models.generate_content(model="gemini-test", contents=CONTENTS)
    ua = f"gemini-codegen/{SDK_VERSION}"
    expected = [
        (ua, KEY, "gzip, deflate"),
        (f"myapp/1.0 {ua}", KEY, "gzip, deflate"),
        (ua, "other-key", "gzip"),
        (ua, KEY, "gzip, deflate"),
    ]
    for raw, (agent, key, encoding) in zip(sent, expected, strict=True):
        names = [k.lower() for k, _ in raw]
        assert len(names) == len(set(names)), names
        headers = {k.lower().decode(): v.decode() for k, v in raw}
        assert headers["user-agent"] == agent and headers["x-goog-api-key"] == key
        assert headers["accept-encoding"] == encoding
        assert headers["x-goog-api-client"].startswith(ua)
    assert [r.headers["x-goog-api-key"] for r in server.requests] == [KEY, KEY, "other-key", KEY]
