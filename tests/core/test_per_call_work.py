"""What a call does once, not per call, pinned by counting the work of a repeated call; and what
each shortcut must keep (cookies, an http client's own headers, query parameters and cookies, an
overridden ``build_request``)."""

from __future__ import annotations

import warnings
from typing import Any

import httpx
import pytest

from gemini_client._core import DeadlineWarning
from gemini_client._core._deadline import tls_context
from support.server import LoopbackServer, Reply
from support.work import counted

from .fakeapi import GENERATE, KEY, STREAM, AsyncClient, Client, reply

VERIFY = tls_context()
"""The TLS context of the callers' own httpx clients below: the one httpx builds by default,
built once (building it loads the CA bundle, ~50 ms each; these loopback tests use plain HTTP)."""

CONTENTS = [{"role": "user", "parts": [{"text": "hi"}]}]

pytestmark = pytest.mark.filterwarnings("ignore::gemini_client._core.DeadlineWarning")


def _generate(client: Client) -> str:
    return client.models.generate_content("gemini-test", contents=CONTENTS).text


def test_a_repeated_call_parses_its_url_merges_headers_and_reads_cookies_once(
    client: Client, server: LoopbackServer
) -> None:
    server.add(GENERATE, *[Reply(json=reply("ok")) for _ in range(4)])
    _generate(client)
    text, work = counted(lambda: _generate(client))
    assert text == "ok"
    assert work.calls("httpx/_urlparse.py", "urlparse") == 0
    assert work.calls("httpx/_models.py", "update") == 0  # the headers' merge
    assert work.calls("http/cookiejar.py", "extract_cookies") == 0  # no Set-Cookie: nothing to read
    # the same on a call through a copy with its own options
    other = client.with_options(max_retries=1)
    _generate(other)
    _, work = counted(lambda: _generate(other))
    assert work.calls("httpx/_urlparse.py", "urlparse") == 0
    assert work.calls("httpx/_models.py", "update") == 0
    headers = server.requests[-1].headers
    assert headers["x-goog-api-key"] == KEY and headers["x-server-timeout"].isdigit()
    assert headers["user-agent"].startswith("gemini-codegen/")


def test_a_repeated_stream_and_query_parse_their_url_once(
    client: Client, server: LoopbackServer
) -> None:
    events = [b'data: {"candidates": [{"content": {"parts": [{"text": "s"}]}}]}\r\n\r\n']
    server.add(STREAM, *[Reply(chunks=events, content_type="text/event-stream") for _ in range(2)])

    def stream() -> list[str]:
        chunks = client.models.stream_generate_content("gemini-test", contents=CONTENTS)
        return [chunk.text for chunk in chunks]

    assert stream() == ["s"]
    texts, work = counted(stream)
    assert texts == ["s"] and work.calls("httpx/_urlparse.py", "urlparse") == 0
    assert [r.query for r in server.requests] == [{"alt": ["sse"]}] * 2
    # a repeated parameter (a list: no cache key) is sent as ever
    server.add(GENERATE, Reply(json=reply("q")))
    query = {"tag": ["a", "b"], "n": 1, "on": True}
    client.models.generate_content("gemini-test", contents=CONTENTS, extra_query=query)
    assert server.requests[-1].query == {"tag": ["a", "b"], "n": ["1"], "on": ["true"]}
    # a long URL is parsed afresh, not kept: the cache's memory stays bounded
    from gemini_client._core._httpx_paths import parsed_url

    looked_up = parsed_url.cache_info()
    server.add(GENERATE, Reply(json=reply("long")))
    long = "v" * 5000
    client.models.generate_content("gemini-test", contents=CONTENTS, extra_query={"long": long})
    assert server.requests[-1].query == {"long": [long]}
    assert parsed_url.cache_info()[:2] == looked_up[:2]  # no hit, no miss: never looked up


def test_a_cookie_the_server_sets_is_kept_and_sent_back(
    client: Client, server: LoopbackServer
) -> None:
    server.add(
        GENERATE,
        Reply(json=reply("a"), headers={"set-cookie": "session=s1; Path=/"}),
        Reply(json=reply("b")),
    )
    _, work = counted(lambda: _generate(client))
    assert work.calls("http/cookiejar.py", "extract_cookies") == 1
    assert _generate(client) == "b"
    assert "cookie" not in server.requests[0].headers
    assert server.requests[1].headers["cookie"] == "session=s1"


@pytest.mark.asyncio
async def test_a_cookie_the_server_sets_is_kept_and_sent_back_async(
    server: LoopbackServer,
) -> None:
    server.add(
        GENERATE,
        Reply(json=reply("a"), headers={"set-cookie": "session=s2; Path=/"}),
        Reply(json=reply("b")),
    )
    async with AsyncClient(api_key=KEY, base_url=server.url) as client:
        for _ in range(2):
            await client.models.generate_content("gemini-test", contents=CONTENTS)
    assert server.requests[1].headers["cookie"] == "session=s2"


class _Tagging(httpx.Client):
    def build_request(self, *args: Any, **kwargs: Any) -> httpx.Request:
        request = super().build_request(*args, **kwargs)
        request.headers["x-tagged"] = "yes"
        return request


@pytest.mark.parametrize(
    ("http_client", "expected"),
    [
        (lambda: httpx.Client(headers={"x-team": "a"}, verify=VERIFY), {"x-team": "a"}),
        (lambda: httpx.Client(params={"tenant": "t1"}, verify=VERIFY), {"?tenant": "t1"}),
        (lambda: httpx.Client(cookies={"pref": "p1"}, verify=VERIFY), {"cookie": "pref=p1"}),
        (lambda: _Tagging(verify=VERIFY), {"x-tagged": "yes"}),
    ],
    ids=["headers", "params", "cookies", "own-build-request"],
)
def test_what_a_callers_http_client_adds_reaches_every_request(
    server: LoopbackServer, http_client: Any, expected: dict[str, str]
) -> None:
    with Client(api_key=KEY, base_url=server.url, http_client=http_client()) as client:
        server.add(GENERATE, Reply(json=reply("1")), Reply(json=reply("2")))
        assert [_generate(client), _generate(client)] == ["1", "2"]
    for request in server.requests:
        seen = {**request.headers, **{"?" + k: v[0] for k, v in request.query.items()}}
        assert {k: seen.get(k) for k in expected} == expected
        assert request.headers["x-goog-api-key"] == KEY


def test_a_change_to_the_http_clients_headers_reaches_the_next_request(
    server: LoopbackServer,
) -> None:
    http = httpx.Client(headers={"x-team": "a"}, verify=VERIFY)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeadlineWarning)
        client = Client(api_key=KEY, base_url=server.url, http_client=http)
    server.add(GENERATE, *[Reply(json=reply(str(i))) for i in range(3)])
    _generate(client)
    http.headers["x-team"] = "b"
    _generate(client)
    http.headers = httpx.Headers({"x-other": "c"})
    _generate(client)
    assert [r.headers.get("x-team") for r in server.requests] == ["a", "b", None]
    assert server.requests[2].headers["x-other"] == "c"
    assert all(r.headers["x-goog-api-key"] == KEY for r in server.requests)
    http.close()


@pytest.mark.parametrize(
    "client_headers",
    [
        {},
        {"X-Team": "a", "user-agent": "their-app/1"},
        {"x-goog-api-key": "another-key", "Accept": "application/json", "x-multi": "1"},
    ],
    ids=["defaults", "own-agent", "key-and-accept"],
)
def test_a_request_built_once_is_the_one_build_request_builds(
    server: LoopbackServer, client_headers: dict[str, str]
) -> None:
    """The shortcut's request equals httpx's build_request's: method, URL, every header (case,
    order and duplicates aside), body, extensions; the client's key overrides one set on the
    http client."""
    from gemini_client._core import RequestOptions

    http = httpx.Client(headers=client_headers, verify=VERIFY)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeadlineWarning)
        client = Client(api_key=KEY, base_url=server.url, http_client=http)
    body = {"contents": CONTENTS, "note": "é"}
    query = {"alt": "sse", "n": 2}
    ours, _ = client._build_request("POST", "v1beta/models/m:x", body, query, RequestOptions())
    theirs = http.build_request(
        "POST",
        server.url + "/v1beta/models/m:x",
        params=query,
        headers=client._plain[0],
        json=body,
        timeout=client._phases,
        extensions=client._plain[1],
    )

    def seen(request: httpx.Request) -> list[tuple[str, str]]:
        return sorted((k.lower(), v) for k, v in request.headers.multi_items())

    assert (ours.method, ours.url, seen(ours), ours.content) == (
        theirs.method,
        theirs.url,
        seen(theirs),
        theirs.content,
    )
    assert ours.extensions == theirs.extensions
    assert ours.headers["x-goog-api-key"] == KEY
    http.close()
