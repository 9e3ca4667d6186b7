"""The resumable upload engine against a real loopback server that speaks the protocol.

The server stores every byte it receives and counts the body bytes read off the wire, so these tests
check byte-exact storage and that a resumed upload sends each byte exactly once.
"""

from __future__ import annotations

import asyncio
import io
import os
import random
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import Field

from gemini_client._core import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    BadRequestError,
    BaseModel,
    InternalServerError,
    RequestOptions,
    UploadError,
    async_upload,
    guess_mime_type,
    upload,
)
from gemini_client._core._uploads import _PIECE
from support.upload_server import UploadServer

from .fakeapi import KEY, AsyncClient, Client
from .faultkit import own_http_client

ROUTE = "/upload/v1beta/files"
KIB = 1024


class File(BaseModel):
    name: str
    mime_type: str = Field(alias="mimeType")
    size_bytes: str = Field(alias="sizeBytes")
    display_name: str | None = Field(default=None, alias="displayName")


class CreateFileResponse(BaseModel):
    file: File


@pytest.fixture(scope="module")
def _upload_server() -> Iterator[UploadServer]:
    server = UploadServer().start()
    yield server
    server.stop()


@pytest.fixture
def ups(_upload_server: UploadServer) -> UploadServer:
    _upload_server.reset()
    return _upload_server


@pytest.fixture
def uclient(ups: UploadServer, sleeps: list[float]) -> Iterator[Client]:
    with Client(api_key=KEY, base_url=ups.url) as client:
        client._sleep = sleeps.append
        yield client


def payload(size: int, seed: int = 0) -> bytes:
    """``size`` bytes that never repeat a block, the same for the same seed."""
    return random.Random(seed).randbytes(size)


def send(client: Client, file: Any, **kwargs: Any) -> CreateFileResponse:
    kwargs.setdefault("metadata", {"file": {"displayName": "doc"}})
    return upload(
        client,
        client.base_url + ROUTE[1:],
        cast_to=CreateFileResponse,
        file=file,
        options=RequestOptions(),
        **kwargs,
    )


def test_several_chunks_byte_exact_with_progress(
    uclient: Client, ups: UploadServer, tmp_path: Path
) -> None:
    data = payload(1000 * KIB + 17)
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    progress: list[tuple[int, int]] = []

    result = send(uclient, path, chunk_size=256 * KIB, on_progress=lambda *a: progress.append(a))

    session = ups.only()
    assert ups.stored() == data
    assert session.wire_bytes == len(data)
    assert session.commands == ["upload"] * 3 + ["upload, finalize"]
    assert result.file.mime_type == "application/pdf" == session.mime_type
    assert result.file.size_bytes == str(len(data))
    assert result.file.display_name == "doc"
    assert progress == [(256 * KIB * i, len(data)) for i in (1, 2, 3)] + [(len(data), len(data))]
    start = ups.headers_seen[0]
    assert start["x-goog-upload-protocol"] == "resumable"
    assert start["x-goog-upload-header-content-length"] == str(len(data))
    assert start["x-goog-upload-header-content-type"] == "application/pdf"
    assert all(h["x-goog-api-key"] == KEY for h in ups.headers_seen)


def test_dropped_connection_resumes_from_what_the_server_kept(
    uclient: Client, ups: UploadServer, sleeps: list[float]
) -> None:
    data = payload(1024 * KIB, seed=1)
    ups.drop_at = {300 * KIB + 5, 700 * KIB}  # inside the second and the third chunk

    send(uclient, data, mime_type="video/mp4", chunk_size=256 * KIB)

    session = ups.only()
    assert ups.stored() == data
    assert session.wire_bytes == len(data), "every byte crossed the wire exactly once"
    assert session.commands.count("query") == 2
    assert len(sleeps) == 2
    # after the query the next chunk starts exactly where the server stopped
    offsets = [h.get("x-goog-upload-offset") for h in ups.headers_seen]
    assert str(300 * KIB + 5) in offsets and str(700 * KIB) in offsets


def test_retryable_status_queries_then_resumes(
    uclient: Client, ups: UploadServer, sleeps: list[float]
) -> None:
    data = payload(600 * KIB, seed=2)
    ups.chunk_statuses.extend([503, 500])

    send(uclient, data, mime_type="audio/mpeg", chunk_size=256 * KIB)

    assert ups.stored() == data
    assert ups.only().commands[:4] == ["upload", "query", "upload", "query"]
    assert len(sleeps) == 2


def test_retries_run_out_with_the_typed_error(uclient: Client, ups: UploadServer) -> None:
    ups.chunk_statuses.extend([503] * 3)  # max_retries=2: three failures in a row
    with pytest.raises(InternalServerError) as info:
        send(uclient, payload(10), mime_type="text/plain")
    assert info.value.status_code == 503
    assert ups.only().stored == 0


def test_non_retryable_status_is_raised_at_once(uclient: Client, ups: UploadServer) -> None:
    ups.chunk_statuses.append(400)
    with pytest.raises(BadRequestError):
        send(uclient, payload(10), mime_type="text/plain")
    assert "query" not in ups.only().commands


def test_query_offset_never_sent_is_a_clear_error(uclient: Client, ups: UploadServer) -> None:
    data = payload(512 * KIB, seed=3)
    ups.drop_at = {100 * KIB}
    ups.query_offset = 400 * KIB  # the client only ever sent up to 256 KiB
    with pytest.raises(
        UploadError, match=r"409600 bytes received, but the client has sent at most 262144"
    ):
        send(uclient, data, mime_type="video/mp4", chunk_size=256 * KIB)
    session = ups.only()
    assert not session.final
    assert ups.stored() == data[: 100 * KIB], "nothing was written past what the client sent"
    assert session.commands[-1] == "query", "the client sent no byte after the bad answer"


def test_query_offset_behind_resends_from_there(uclient: Client, ups: UploadServer) -> None:
    """A server that lost part of what it acknowledged: the source is re-read from its offset."""
    data = payload(512 * KIB, seed=4)
    ups.drop_at = {300 * KIB}
    send(uclient, io.BytesIO(data), mime_type="application/octet-stream", chunk_size=256 * KIB)
    assert ups.stored() == data


def test_zero_byte_file(uclient: Client, ups: UploadServer, tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = send(uclient, path)
    assert result.file.size_bytes == "0"
    assert ups.only().commands == ["upload, finalize"]
    assert ups.stored() == b""


def test_file_object_from_its_current_position(uclient: Client, ups: UploadServer) -> None:
    stream = io.BytesIO(b"HEADER" + b"body bytes")
    stream.seek(6)
    send(uclient, stream, mime_type="text/plain", chunk_size=4)
    assert ups.stored() == b"body bytes"


def test_granularity_rounds_the_chunk_size(uclient: Client, ups: UploadServer) -> None:
    ups.granularity = 256 * KIB
    send(uclient, payload(700 * KIB), mime_type="text/plain", chunk_size=300 * KIB)
    offsets = [h["x-goog-upload-offset"] for h in ups.headers_seen if "x-goog-upload-offset" in h]
    assert offsets == ["0", str(256 * KIB), str(512 * KIB)]


@pytest.mark.parametrize("host", ["localhost:{port}", "127.0.0.1:1", "127.0.0.1.nip.io:{port}"])
def test_upload_url_on_another_origin_is_refused_before_sending(
    uclient: Client, ups: UploadServer, host: str
) -> None:
    port = ups.url.rsplit(":", 1)[1]
    ups.upload_host = host.format(port=port)
    with pytest.raises(UploadError, match="not on the API's origin") as caught:
        send(uclient, b"abc", mime_type="text/plain")
    assert KEY not in str(caught.value)
    assert len(ups.headers_seen) == 1  # only the start request, to the API's own origin
    assert ups.stored() in (b"", None)


def test_missing_upload_url_is_an_upload_error(server: Any, client: Client) -> None:
    from support.server import Reply

    server.add(ROUTE, Reply(json={}))
    with pytest.raises(UploadError, match="X-Goog-Upload-URL"):
        send(client, b"x", mime_type="text/plain")


def test_unknown_status_header_is_an_upload_error(server: Any, client: Client) -> None:
    from support.server import Reply

    server.add(ROUTE, Reply(headers={"x-goog-upload-url": f"{server.url}/up"}))
    server.add("/up", Reply(json={}))  # 200 but no X-Goog-Upload-Status
    with pytest.raises(UploadError, match="X-Goog-Upload-Status None"):
        send(client, b"x", mime_type="text/plain")


def test_connection_refused_is_a_connection_error(sleeps: list[float]) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with Client(api_key=KEY, base_url=f"http://127.0.0.1:{port}", max_retries=1) as client:
        client._sleep = sleeps.append
        with pytest.raises(APIConnectionError) as info:
            send(client, b"x", mime_type="text/plain")
    assert KEY not in str(info.value)
    assert len(sleeps) == 1


@pytest.mark.parametrize(
    ("name", "mime"),
    [
        ("a.pdf", "application/pdf"),
        ("CLIP.MP4", "video/mp4"),
        ("song.mp3", "audio/mpeg"),
        ("x.png", "image/png"),
        ("notes.txt", "text/plain"),
        ("batch.jsonl", "application/jsonl"),
        ("dir.d/voice.wav", "audio/wav"),
    ],
)
def test_mime_guessing(name: str, mime: str) -> None:
    assert guess_mime_type(name) == mime


def test_unknown_mime_type_is_a_clear_error(
    uclient: Client, ups: UploadServer, tmp_path: Path
) -> None:
    path = tmp_path / "data.zzunknown"
    path.write_bytes(b"x")
    with pytest.raises(
        ValueError, match=r"cannot guess the MIME type of 'data.zzunknown': pass mime_type="
    ):
        send(uclient, path)
    with pytest.raises(ValueError, match="pass mime_type="):
        send(uclient, b"raw bytes")
    with pytest.raises(ValueError, match="not a MIME type"):
        send(uclient, b"x", mime_type="text/plain\r\nx-evil: 1")
    assert ups.sessions == {}, "nothing was sent"


def test_unseekable_file_object_is_refused(uclient: Client) -> None:
    read, write = os.pipe()
    os.close(write)
    with open(read, "rb", buffering=0) as pipe, pytest.raises(ValueError, match="seekable"):
        send(uclient, pipe, mime_type="text/plain")


def test_large_file_streams_in_bounded_memory(
    uclient: Client, ups: UploadServer, tmp_path: Path
) -> None:
    """The engine reads one chunk at a time: the largest read is the chunk size."""
    data = payload(3 * 256 * KIB + 1)
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    reads: list[int] = []

    class Spy(io.FileIO):
        def read(self, n: int = -1) -> bytes:  # type: ignore[override]
            reads.append(n)
            return super().read(n)

    with Spy(path, "rb") as spy:
        send(uclient, spy, mime_type="application/octet-stream", chunk_size=256 * KIB)
    assert ups.stored() == data
    assert max(reads) == 256 * KIB and -1 not in reads


@pytest.mark.asyncio
async def test_async_upload_resumes(ups: UploadServer, sleeps: list[float]) -> None:
    data = payload(800 * KIB, seed=5)
    ups.drop_at = {500 * KIB}

    async def sleep(delay: float) -> None:
        sleeps.append(delay)

    async with AsyncClient(api_key=KEY, base_url=ups.url) as client:
        client._sleep = sleep
        progress: list[int] = []
        result = await async_upload(
            client,
            client.base_url + ROUTE[1:],
            cast_to=CreateFileResponse,
            file=data,
            mime_type="image/png",
            metadata={},
            chunk_size=256 * KIB,
            on_progress=lambda done, total: progress.append(done),
            options=RequestOptions(),
        )
    assert result.file.size_bytes == str(len(data))
    assert ups.stored() == data
    assert ups.only().wire_bytes == len(data)
    # the second chunk's piece may or may not have gone out before the drop (512 KiB sent); then
    # the resume reports what the server kept, and the rest goes out
    resumed = progress.index(500 * KIB)
    assert progress[0] == 256 * KIB and set(progress[1:resumed]) <= {512 * KIB}
    assert progress[resumed:] == [500 * KIB, 756 * KIB, 800 * KIB]
    assert len(sleeps) == 1


def test_per_call_timeout_reaches_every_request(uclient: Client, ups: UploadServer) -> None:
    seen: list[Any] = []
    original = uclient._client.send

    def spy(request: httpx.Request, **kwargs: Any) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return original(request, **kwargs)

    uclient._client.send = spy  # type: ignore[method-assign]
    upload(
        uclient,
        uclient.base_url + ROUTE[1:],
        cast_to=CreateFileResponse,
        file=b"abcdef",
        mime_type="text/plain",
        metadata={},
        chunk_size=4,
        options=RequestOptions(timeout=7.0),
    )
    # each phase is the call's 7 s, cut to what is left of it when the request is sent
    assert len(seen) == 3 and all(6.0 < t["read"] <= 7.0 for t in seen)


def test_final_status_before_the_last_chunk_is_an_upload_error(server: Any, client: Client) -> None:
    from support.server import Reply

    server.add(ROUTE, Reply(headers={"x-goog-upload-url": f"{server.url}/up"}))
    server.add("/up", Reply(headers={"x-goog-upload-status": "final"}, json={"file": {}}))
    with pytest.raises(UploadError, match="'final' at offset 4 of 10"):
        send(client, b"0123456789", mime_type="text/plain", chunk_size=4)
    assert len(server.requests) == 2, "nothing more was sent"


@pytest.mark.parametrize(
    ("claimed", "shown"),
    [
        ("-1", "None"),
        ("", "None"),
        ("5.0", "None"),
        ("+5", "None"),
        ("\u00b2", "None"),  # a superscript two: a digit to str.isdigit, not to int()
        ("1e3", "None"),
        ("11", "11"),  # one more than the file
        ("9" * 40, "9" * 40),
    ],
    ids=["negative", "empty", "decimal", "plus", "non-ascii", "exponent", "past-end", "huge"],
)
def test_query_without_a_usable_size_is_an_upload_error(
    server: Any, client: Client, claimed: str, shown: str
) -> None:
    from support.server import Reply

    server.add(ROUTE, Reply(headers={"x-goog-upload-url": f"{server.url}/up"}))
    server.add(
        "/up",
        Reply(status=503, json={"error": {"code": 503, "status": "UNAVAILABLE"}}),
        Reply(headers={"x-goog-upload-status": "active", "x-goog-upload-size-received": claimed}),
    )
    with pytest.raises(UploadError, match=f"{shown} bytes received, but the client has sent"):
        send(client, b"0123456789", mime_type="text/plain")
    assert server.requests[-1].headers["x-goog-upload-command"] == "query"


def _upload_with_timeout(client: Client, data: bytes, timeout: float, chunk_size: int) -> Any:
    return upload(
        client,
        client.base_url + ROUTE[1:],
        cast_to=CreateFileResponse,
        file=data,
        mime_type="text/plain",
        metadata={},
        chunk_size=chunk_size,
        options=RequestOptions(timeout=timeout),
    )


def test_a_trickling_answer_ends_at_the_deadline(server: Any, client: Client) -> None:
    """Each byte of the answer comes well within the read timeout, but the whole does not come
    within the call's timeout: the deadline ends it, and the server was told the time left."""
    from support.server import Reply

    server.add(ROUTE, Reply(headers={"x-goog-upload-url": f"{server.url}/up"}))
    server.add(
        "/up",
        Reply(headers={"x-goog-upload-status": "final"}, chunks=[b" "] * 40, chunk_delay=0.05),
    )
    start = time.monotonic()
    with pytest.raises(APITimeoutError, match="deadline passed"):
        _upload_with_timeout(client, b"0123456789", timeout=0.2, chunk_size=100)
    assert time.monotonic() - start < 2.1  # 2 s of answer without the deadline
    # the start request is told the time left; the one carrying bytes is not (its deadline moves
    # as they go out: a fixed time would let the server cut off a long upload that keeps going)
    assert [r.headers.get("x-server-timeout") for r in server.requests] == ["1", None]


def test_the_deadline_starts_again_with_progress(server: Any, client: Client) -> None:
    """Three chunks answered 0.15 s late each take longer than the 0.3 s timeout together, but
    each one confirms progress: the upload completes."""
    from support.server import Reply

    active = {"x-goog-upload-status": "active"}
    server.add(ROUTE, Reply(headers={"x-goog-upload-url": f"{server.url}/up"}))
    server.add(
        "/up",
        Reply(headers=active, delay=0.15),
        Reply(headers=active, delay=0.15),
        Reply(
            headers={"x-goog-upload-status": "final"},
            json={"file": {"name": "files/t", "mimeType": "text/plain", "sizeBytes": "10"}},
            delay=0.15,
        ),
    )
    start = time.monotonic()
    result = _upload_with_timeout(client, b"0123456789", timeout=0.3, chunk_size=4)
    assert time.monotonic() - start > 0.45
    assert result.file.size_bytes == "10"
    assert [r.headers["x-goog-upload-offset"] for r in server.requests[1:]] == ["0", "4", "8"]


def test_a_lost_answer_to_a_chunk_is_retried_without_retry_after_send(
    uclient: Client, ups: UploadServer, sleeps: list[float]
) -> None:
    """A POST whose answer is lost is not retried by default (it may have been processed), but
    an upload step is: the client asks what the server kept before sending anything again."""
    assert not uclient.retry_after_send
    data = payload(512 * KIB, seed=7)
    ups.drop_at = {256 * KIB + 1}
    send(uclient, data, mime_type="video/mp4", chunk_size=256 * KIB)
    assert ups.stored() == data and len(sleeps) == 1


# --- the default: the bytes in one streamed request, read a piece at a time ---------------------


def _spy_file(
    path: Path, reads: list[int], seeks: list[tuple[int, int]] | None = None
) -> io.FileIO:
    """``path`` opened for reading, every ``read`` size recorded in ``reads`` (and every
    ``seek``'s arguments in ``seeks``)."""

    class Spy(io.FileIO):
        def read(self, n: int = -1) -> bytes:  # type: ignore[override]
            reads.append(n)
            return super().read(n)

        def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
            if seeks is not None:
                seeks.append((offset, whence))
            return super().seek(offset, whence)

    return Spy(path, "rb")


def _upload(client: Client | AsyncClient, file: Any, **kwargs: Any) -> Any:
    """``upload`` or ``async_upload`` (run to completion) with the test's defaults."""
    kwargs = {"mime_type": "application/octet-stream", "metadata": {}, **kwargs}
    kwargs.setdefault("options", RequestOptions())
    url = client.base_url + ROUTE[1:]
    if isinstance(client, AsyncClient):

        async def run() -> Any:
            async with client:
                return await async_upload(
                    client, url, cast_to=CreateFileResponse, file=file, **kwargs
                )

        return asyncio.run(run())
    with client:
        return upload(client, url, cast_to=CreateFileResponse, file=file, **kwargs)


@pytest.fixture(params=["sync", "async"])
def any_client(request: Any, ups: UploadServer, sleeps: list[float]) -> Client | AsyncClient:
    """A client of the upload server, sync or async, that records its retry delays."""
    if request.param == "sync":
        client: Client | AsyncClient = Client(api_key=KEY, base_url=ups.url)
        client._sleep = sleeps.append
        return client

    async def sleep(delay: float) -> None:
        sleeps.append(delay)

    aclient = AsyncClient(api_key=KEY, base_url=ups.url)
    aclient._sleep = sleep
    return aclient


@pytest.mark.parametrize("size", [0, 1, _PIECE - 1, _PIECE, _PIECE + 1, 2 * _PIECE + 5])
def test_one_request_reads_a_piece_at_a_time(
    any_client: Client | AsyncClient, ups: UploadServer, tmp_path: Path, size: int
) -> None:
    data = payload(size, seed=size)
    path = tmp_path / "one.bin"
    path.write_bytes(data)
    reads: list[int] = []
    progress: list[tuple[int, int]] = []
    with _spy_file(path, reads) as spy:
        result = _upload(any_client, spy, on_progress=lambda *a: progress.append(a))
    session = ups.only()
    assert ups.stored() == data and session.wire_bytes == size
    assert result.file.size_bytes == str(size)
    assert session.commands == ["upload, finalize"], "one request carried every byte"
    pieces = -(-size // _PIECE)
    assert reads == [min(_PIECE, size - i * _PIECE) for i in range(pieces)], "never more at once"
    # bytes sent after each piece but the last, then the whole once the server has it
    assert progress == [(i * _PIECE, size) for i in range(1, pieces)] + [(size, size)]
    start, data_request = ups.headers_seen[0], ups.headers_seen[1]
    assert "x-server-timeout" in start and "x-server-timeout" not in data_request
    assert data_request["x-goog-upload-offset"] == "0"
    assert data_request["content-length"] == str(size)


def test_a_drop_mid_stream_resumes_from_what_the_server_kept(
    any_client: Client | AsyncClient, ups: UploadServer, sleeps: list[float]
) -> None:
    """The server read past the drop point but lost 4 KiB of it: it says so when asked, and the
    client sends exactly those bytes again, in one request for the rest."""
    data = payload(3 * _PIECE + 7, seed=8)
    ups.drop_at = {_PIECE + 100}
    ups.drop_loses = 4 * KIB
    kept = _PIECE + 100 - 4 * KIB
    progress: list[int] = []

    _upload(any_client, data, on_progress=lambda sent, total: progress.append(sent))

    session = ups.only()
    assert ups.stored() == data
    assert session.wire_bytes == len(data) + 4 * KIB, "only the lost bytes went twice"
    assert session.commands == ["upload, finalize", "query", "upload, finalize"]
    offsets = [h["x-goog-upload-offset"] for h in ups.headers_seen if "x-goog-upload-offset" in h]
    assert offsets == ["0", str(kept)]
    assert kept in progress and progress[-1] == len(data)
    assert progress[progress.index(kept) :] == [kept, kept + _PIECE, kept + 2 * _PIECE, len(data)]
    assert len(sleeps) == 1


def test_the_source_is_sought_only_where_a_read_does_not_follow_the_last(
    any_client: Client | AsyncClient, ups: UploadServer, tmp_path: Path
) -> None:
    """Pieces in order are read one after the other, with no seek each: the file is sought to
    find its size, for the first piece and for the resume after a drop, and the bytes stored are
    still exactly the file's."""
    data = payload(4 * _PIECE + 3, seed=15)
    path = tmp_path / "sought.bin"
    path.write_bytes(data)
    ups.drop_at = {2 * _PIECE + 100}
    ups.drop_loses = 4 * KIB
    kept = 2 * _PIECE + 100 - 4 * KIB
    reads: list[int] = []
    seeks: list[tuple[int, int]] = []
    with _spy_file(path, reads, seeks) as spy:
        _upload(any_client, spy)
    assert ups.stored() == data
    assert seeks == [(0, io.SEEK_END), (0, io.SEEK_SET), (kept, io.SEEK_SET)]
    assert len(reads) > 5, "more pieces were read than there were seeks"


def test_a_caller_reading_the_file_during_the_upload_changes_no_byte_sent(
    any_client: Client | AsyncClient, ups: UploadServer, tmp_path: Path
) -> None:
    """The file object is the caller's: one read from it between two pieces (here in the progress
    callback) moves its position, and the next piece is still read from where the upload is."""
    data = payload(4 * _PIECE + 3, seed=16)
    path = tmp_path / "shared.bin"
    path.write_bytes(data)
    peeked: list[bytes] = []
    with open(path, "rb") as shared:
        _upload(any_client, shared, on_progress=lambda sent, total: peeked.append(shared.read(7)))
    assert ups.stored() == data
    assert len(peeked) > 3


def test_a_server_that_stops_reading_ends_at_the_deadline(
    any_client: Client | AsyncClient, ups: UploadServer
) -> None:
    """Bytes the connection never takes are no progress: the call ends with the typed timeout,
    the key nowhere in it, and nothing is sent again after the deadline."""
    ups.stall_at = _PIECE // 2
    with pytest.raises(APITimeoutError) as caught:
        _upload(any_client, payload(2 * _PIECE), options=RequestOptions(timeout=0.25))
    assert KEY not in str(caught.value) and KEY not in repr(caught.value)
    assert ups.only().commands[0] == "upload, finalize"
    assert "upload, finalize" not in ups.only().commands[1:]


def test_the_deadline_moves_with_every_piece_taken(
    any_client: Client | AsyncClient, ups: UploadServer
) -> None:
    """Sending takes longer than the timeout in all (each piece is slow to come from the
    source: here the progress callback), but each piece the connection takes is progress: the
    answer, 0.12 s after the last byte, comes well within the timeout that started then."""
    data = payload(2 * _PIECE + 1, seed=9)
    ups.answer_delay = 0.12
    _upload(
        any_client,
        data,
        options=RequestOptions(timeout=0.35),
        on_progress=lambda sent, total: time.sleep(0.2) if sent < total else None,
    )
    assert ups.stored() == data and ups.only().commands == ["upload, finalize"]


def test_a_file_that_shrinks_during_the_upload_is_a_clear_error(
    any_client: Client | AsyncClient, ups: UploadServer, tmp_path: Path
) -> None:
    path = tmp_path / "shrinking.bin"
    path.write_bytes(payload(3 * _PIECE))

    def shrink(sent: int, total: int) -> None:
        with path.open("r+b") as f:
            f.truncate(_PIECE + 10)

    with pytest.raises(ValueError, match=rf"the file changed during the upload: {_PIECE + 10} "):
        _upload(any_client, path, on_progress=shrink)
    # not retried (the source is not the same): a retry asks first, and a query the client saw
    # answered is recorded; the aborted request itself may not have been read yet
    assert not ups.only().final and "query" not in ups.only().commands


def test_a_file_that_grows_during_the_upload_sends_its_size_at_the_start(
    any_client: Client | AsyncClient, ups: UploadServer, tmp_path: Path
) -> None:
    data = payload(2 * _PIECE + 3, seed=10)
    path = tmp_path / "growing.log"
    path.write_bytes(data)

    def grow(sent: int, total: int) -> None:
        with path.open("ab") as f:
            f.write(b"appended later")

    result = _upload(any_client, path, on_progress=grow)
    assert ups.stored() == data and result.file.size_bytes == str(len(data))


def test_a_truncated_final_answer_is_asked_for_again_without_resending(
    any_client: Client | AsyncClient, ups: UploadServer
) -> None:
    """Every byte arrived but the answer was cut off: the query answers 'final' with the file, and
    no byte crosses the wire twice."""
    data = payload(_PIECE + 3, seed=12)
    ups.truncate_answers = 1
    result = _upload(any_client, data)
    session = ups.only()
    assert result.file.size_bytes == str(len(data)) and ups.stored() == data
    assert session.commands == ["upload, finalize", "query"]
    assert session.wire_bytes == len(data)


@pytest.mark.parametrize(
    "headers",
    [
        {"range": "bytes=0-99"},
        {"range": "bytes=-5"},
        {"range": "junk", "location": "http://127.0.0.1:1/elsewhere"},
    ],
)
def test_a_308_with_odd_range_headers_is_a_typed_error(
    any_client: Client | AsyncClient, ups: UploadServer, headers: dict[str, str]
) -> None:
    """This protocol never answers 308 (Google Cloud Storage's does): nothing is guessed from its
    Range, nothing is sent elsewhere, and the error names the status without the key."""
    ups.chunk_statuses.append((308, headers))
    with pytest.raises(APIStatusError) as caught:
        _upload(any_client, payload(1000))
    assert caught.value.status_code == 308
    assert KEY not in str(caught.value)
    assert ups.only().commands == ["upload, finalize"] and not ups.only().final


@pytest.mark.filterwarnings("ignore::gemini_client._core.DeadlineWarning")
def test_the_deadline_moves_on_a_callers_own_http_client(ups: UploadServer) -> None:
    """Without the clamping transport the answer is held to the deadline between body reads:
    to the one the pieces moved, not the one the request started with."""
    data = payload(2 * _PIECE + 1, seed=11)
    ups.answer_delay = 0.06
    with own_http_client("sync") as http:
        _upload(
            Client(api_key=KEY, base_url=ups.url, http_client=http),
            data,
            options=RequestOptions(timeout=0.3),
            on_progress=lambda sent, total: time.sleep(0.17) if sent < total else None,
        )
    assert ups.stored() == data and ups.only().commands == ["upload, finalize"]


def test_a_query_claiming_bytes_never_read_from_the_source_is_refused(
    any_client: Client | AsyncClient, ups: UploadServer, tmp_path: Path
) -> None:
    """In one request the client may have sent anything up to the whole size, but never a byte
    it has not read yet: a server claiming one more is lying, and nothing more is sent."""
    path = tmp_path / "big.bin"
    path.write_bytes(os.urandom(16 * _PIECE))  # more than the connection takes after a reset
    reads: list[int] = []
    ups.drop_at = {100 * KIB}
    ups.query_offset = lambda session: sum(reads) + 1
    with _spy_file(path, reads) as spy, pytest.raises(UploadError) as caught:
        _upload(any_client, spy)
    read = sum(reads)
    assert f"{read + 1} bytes received, but the client has sent at most {read} of" in str(
        caught.value
    )
    assert ups.only().commands == ["upload, finalize", "query"]
    assert not ups.only().final


@pytest.mark.parametrize("chunk_size", [0, -1])
def test_a_chunk_size_that_is_not_positive_is_refused_before_sending(
    uclient: Client, ups: UploadServer, chunk_size: int
) -> None:
    with pytest.raises(ValueError, match=r"chunk_size must be > 0 \(or None"):
        send(uclient, b"abc", mime_type="text/plain", chunk_size=chunk_size)
    assert ups.sessions == {} and ups.calls == []


def test_a_progress_callback_that_raises_stops_the_upload_and_the_client_stays_usable(
    any_client: Client | AsyncClient, ups: UploadServer
) -> None:
    """The caller's exception comes out as it is (not retried, not wrapped), and the connection it
    left mid-body is not reused for the next upload."""

    def fail(sent: int, total: int) -> None:
        raise RuntimeError(f"stop at {sent}")

    data = payload(2 * _PIECE + 1, seed=14)

    async def twice_async(client: AsyncClient) -> Any:
        async with client:
            url = client.base_url + ROUTE[1:]
            kwargs: dict[str, Any] = {"mime_type": "text/plain", "metadata": {}}
            with pytest.raises(RuntimeError, match=f"stop at {_PIECE}"):
                await async_upload(
                    client,
                    url,
                    cast_to=CreateFileResponse,
                    file=data,
                    on_progress=fail,
                    options=RequestOptions(),
                    **kwargs,
                )
            return await async_upload(
                client,
                url,
                cast_to=CreateFileResponse,
                file=data,
                options=RequestOptions(),
                **kwargs,
            )

    if isinstance(any_client, AsyncClient):
        result = asyncio.run(twice_async(any_client))
    else:
        with any_client:
            with pytest.raises(RuntimeError, match=f"stop at {_PIECE}"):
                send(any_client, data, mime_type="text/plain", on_progress=fail)
            result = send(any_client, data, mime_type="text/plain")
    first, second = (ups.sessions[f"upload-{i}"] for i in (1, 2))
    assert "query" not in first.commands and not first.final
    assert second.final and ups.stored("upload-2") == data
    assert result.file.size_bytes == str(len(data))
