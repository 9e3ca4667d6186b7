"""Fetching the live document and caching it with its ETag: httpx.MockTransport, never the network."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from codegen.discovery.load import DiscoveryError
from codegen.drift.command import drift
from codegen.drift.source import CACHE_NAME, DEFAULT_URL, META_NAME, fetch, read_source

from .conftest import NEW, OLD, SPEC_DIR

NEW_TEXT = NEW.read_text(encoding="utf-8")
OLD_TEXT = OLD.read_text(encoding="utf-8")


class Server:
    """Answers like the Discovery service: 200 with an ETag, 304 when If-None-Match matches."""

    def __init__(self, text: str = NEW_TEXT, etag: str = '"rev-29"') -> None:
        self.text, self.etag = text, etag
        self.requests: list[httpx.Request] = []
        self.status: int | None = None  # force a status
        self.fail: Exception | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.fail is not None:
            raise self.fail
        if self.status is not None:
            return httpx.Response(self.status)
        if request.headers.get("if-none-match") == self.etag:
            return httpx.Response(304, headers={"etag": self.etag})
        return httpx.Response(200, text=self.text, headers={"etag": self.etag})

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self))


@pytest.fixture
def server() -> Server:
    return Server()


def test_first_fetch_caches_document_and_etag(tmp_path: Path, server: Server) -> None:
    got = fetch(DEFAULT_URL, cache_dir=tmp_path, client=server.client())
    assert not got.from_cache and got.discovery.revision == "20260529"
    assert "if-none-match" not in server.requests[0].headers
    assert (tmp_path / CACHE_NAME).read_text(encoding="utf-8") == NEW_TEXT
    assert json.loads((tmp_path / META_NAME).read_text(encoding="utf-8")) == {
        "url": DEFAULT_URL,
        "etag": '"rev-29"',
    }


def test_second_fetch_sends_if_none_match_and_uses_the_cache_on_304(
    tmp_path: Path, server: Server
) -> None:
    fetch(DEFAULT_URL, cache_dir=tmp_path, client=server.client())
    got = fetch(DEFAULT_URL, cache_dir=tmp_path, client=server.client())
    assert server.requests[1].headers["if-none-match"] == '"rev-29"'
    assert got.from_cache and got.discovery.revision == "20260529" and got.note == ""


def test_a_new_revision_replaces_the_cache(tmp_path: Path, server: Server) -> None:
    fetch(DEFAULT_URL, cache_dir=tmp_path, client=server.client())
    server.text, server.etag = OLD_TEXT, '"rev-22"'
    got = fetch(DEFAULT_URL, cache_dir=tmp_path, client=server.client())
    assert not got.from_cache and got.discovery.revision == "20260522"
    assert json.loads((tmp_path / META_NAME).read_text(encoding="utf-8"))["etag"] == '"rev-22"'


def test_the_cache_of_another_url_is_not_used(tmp_path: Path, server: Server) -> None:
    fetch(DEFAULT_URL, cache_dir=tmp_path, client=server.client())
    other = "https://example.test/discovery?version=v1beta"
    fetch(other, cache_dir=tmp_path, client=server.client())
    assert "if-none-match" not in server.requests[1].headers


def test_offline_with_a_cache_uses_it_and_says_so(tmp_path: Path, server: Server) -> None:
    fetch(DEFAULT_URL, cache_dir=tmp_path, client=server.client())
    server.fail = httpx.ConnectError("[Errno -3] Temporary failure in name resolution")
    got = fetch(DEFAULT_URL, cache_dir=tmp_path, client=server.client())
    assert got.from_cache and got.discovery.revision == "20260529"
    assert (
        got.note.startswith("warning: cannot reach")
        and "cached copy" in got.note
        and "\n" not in got.note
    )


@pytest.mark.parametrize(
    "error",
    [
        httpx.ConnectError("[Errno -3] Temporary failure\nin name resolution"),
        httpx.ReadTimeout("timed out"),
    ],
)
def test_offline_without_a_cache_is_one_line(
    tmp_path: Path, server: Server, error: Exception
) -> None:
    server.fail = error
    with pytest.raises(DiscoveryError) as e:
        fetch(DEFAULT_URL, cache_dir=tmp_path, client=server.client())
    assert "\n" not in str(e.value)
    assert str(e.value).startswith(f"{DEFAULT_URL}: cannot fetch (") and "no cached copy" in str(
        e.value
    )


def test_http_error_is_one_line(tmp_path: Path, server: Server) -> None:
    server.status = 503
    with pytest.raises(DiscoveryError, match=r"HTTP 503 Service Unavailable$"):
        fetch(DEFAULT_URL, cache_dir=tmp_path, client=server.client())


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (NEW_TEXT[:1000], "truncated JSON"),
        ("[]", "found a JSON array"),
        (NEW_TEXT.replace('"name": "generativelanguage"', '"name": "drive"'), "another API"),
    ],
)
def test_a_bad_body_is_refused_and_never_cached(
    tmp_path: Path, server: Server, body: str, message: str
) -> None:
    fetch(DEFAULT_URL, cache_dir=tmp_path, client=server.client())
    server.text, server.etag = body, '"broken"'
    with pytest.raises(DiscoveryError, match=message):
        fetch(DEFAULT_URL, cache_dir=tmp_path, client=server.client())
    assert (tmp_path / CACHE_NAME).read_text(encoding="utf-8") == NEW_TEXT


def test_an_unwritable_cache_is_no_failure(tmp_path: Path, server: Server) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    got = fetch(DEFAULT_URL, cache_dir=blocker / "cache", client=server.client())
    assert got.discovery.revision == "20260529"


def test_a_corrupt_cache_is_ignored(tmp_path: Path, server: Server) -> None:
    (tmp_path / META_NAME).write_text("{not json", encoding="utf-8")
    got = fetch(DEFAULT_URL, cache_dir=tmp_path, client=server.client())
    assert not got.from_cache and "if-none-match" not in server.requests[0].headers


def test_whole_check_from_a_url(tmp_path: Path, server: Server) -> None:
    warnings: list[str] = []
    result = drift(
        SPEC_DIR, DEFAULT_URL, cache_dir=tmp_path, client=server.client(), warn=warnings.append
    )
    assert result.exit_code == 0 and result.report.source == DEFAULT_URL
    server.fail = httpx.ConnectError("offline")
    result = drift(
        SPEC_DIR, DEFAULT_URL, cache_dir=tmp_path, client=server.client(), warn=warnings.append
    )
    assert result.exit_code == 0 and len(warnings) == 1


def test_local_paths_never_touch_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network used")

    monkeypatch.setattr(httpx.Client, "send", refuse)
    assert read_source(str(NEW)).revision == "20260529"


def test_cli_offline_is_exit_2_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The default source, with no network and an empty cache: one line, exit 2."""
    from codegen.cli import main

    def offline(self: httpx.Client, request: httpx.Request, **kwargs: object) -> httpx.Response:
        raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution", request=request)

    monkeypatch.setattr(httpx.Client, "send", offline)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert main(["drift", "--spec", str(SPEC_DIR)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1
    assert "cannot fetch" in err and DEFAULT_URL in err
