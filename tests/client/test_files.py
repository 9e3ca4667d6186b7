"""client.files: resumable upload to a loopback upload service, download, wait_active, and a File
in a prompt. The upload service stores every byte and counts what crossed the wire."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from gemini_client import APIConnectionError, AsyncClient, Client, types
from gemini_client import FileProcessingError
from gemini_client.lib._files import file_name
from gemini_client._core import OperationTimeoutError
from gemini_client._core._uploads import _PIECE
from support.server import LoopbackServer, Reply
from support.upload_server import UploadServer

from .bodies import GENERATE, KEY, MODEL

KIB = 1024


def data(size: int) -> bytes:
    out = bytearray()
    i = 0
    while len(out) < size:
        out += hashlib.sha256(str(i).encode()).digest()
        i += 1
    return bytes(out[:size])


@pytest.fixture(scope="module")
def _ups() -> Iterator[UploadServer]:
    server = UploadServer().start()
    yield server
    server.stop()


@pytest.fixture
def ups(_ups: UploadServer) -> UploadServer:
    _ups.reset()
    return _ups


@pytest.fixture
def uclient(ups: UploadServer, sleeps: list[float]) -> Iterator[Client]:
    with Client(api_key=KEY, base_url=ups.url) as client:
        client._sleep = sleeps.append
        yield client


@pytest_asyncio.fixture
async def auclient(ups: UploadServer, sleeps: list[float]) -> AsyncIterator[AsyncClient]:
    async def sleep(delay: float) -> None:
        sleeps.append(delay)

    async with AsyncClient(api_key=KEY, base_url=ups.url) as client:
        client._sleep = sleep
        yield client


def test_upload_resumes_after_a_drop_and_downloads_byte_identical(
    uclient: Client, ups: UploadServer, tmp_path: Path
) -> None:
    payload = data(900 * KIB + 3)
    source = tmp_path / "lecture.mp3"
    source.write_bytes(payload)
    ups.drop_at = {450 * KIB}  # halfway through the one request that carries the bytes
    progress: list[int] = []

    file = uclient.files.upload(
        file=source, display_name="Lecture", on_progress=lambda sent, total: progress.append(sent)
    )

    assert isinstance(file, types.File)
    assert (file.name, file.display_name, file.mime_type) == (
        "files/upload-1",
        "Lecture",
        "audio/mpeg",
    )
    assert file.size_bytes == len(payload)
    session = ups.only()
    assert ups.stored() == payload and session.wire_bytes == len(payload)
    assert session.commands == ["upload, finalize", "query", "upload, finalize"]
    # after the drop: what the server kept, each piece sent from there, then all of it
    kept = 450 * KIB
    after = progress[progress.index(kept) :]
    assert after == [kept, *range(kept + _PIECE, len(payload), _PIECE), len(payload)]
    assert all(sent % _PIECE == 0 for sent in progress[: progress.index(kept)])
    assert uclient.files.get(name=file.name or "").sha256_hash == file.sha256_hash
    assert uclient.files.download(file).read() == payload
    out = uclient.files.download(file.name or "", to=tmp_path / "copy.mp3")
    assert out.read_bytes() == payload and not (tmp_path / "copy.mp3.part").exists()


def test_upload_of_bytes_needs_a_mime_type(uclient: Client, ups: UploadServer) -> None:
    with pytest.raises(ValueError, match="pass mime_type="):
        uclient.files.upload(file=b"%PDF-1.7")
    file = uclient.files.upload(file=b"%PDF-1.7", mime_type="application/pdf")
    assert file.mime_type == "application/pdf" and ups.stored() == b"%PDF-1.7"


def test_zero_byte_upload(uclient: Client, ups: UploadServer, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    file = uclient.files.upload(file=tmp_path / "empty.txt")
    assert file.size_bytes == 0 and ups.only().commands == ["upload, finalize"]


@pytest.mark.asyncio
async def test_async_upload_and_download(
    auclient: AsyncClient, ups: UploadServer, tmp_path: Path
) -> None:
    payload = data(600 * KIB)
    ups.drop_at = {300 * KIB}
    file = await auclient.files.upload(file=payload, mime_type="video/mp4", chunk_size=256 * KIB)
    assert ups.stored() == payload and ups.only().wire_bytes == len(payload)
    assert await (await auclient.files.download(file)).read() == payload
    target = await auclient.files.download(file, to=tmp_path / "v.mp4")
    assert target.read_bytes() == payload


def test_interrupted_download_leaves_no_file(
    server: LoopbackServer, client: Client, tmp_path: Path
) -> None:
    server.add(
        "/v1beta/files/abc:download",
        Reply(
            chunks=[b"x" * 1000],
            abort=True,
            content_type="video/mp4",
            headers={"content-length": "5000"},
        ),
    )
    with pytest.raises(APIConnectionError):
        client.files.download("files/abc", to=tmp_path / "v.mp4")
    assert list(tmp_path.iterdir()) == []


def file_json(state: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": "files/abc",
        "mimeType": "video/mp4",
        "uri": "https://x/v1beta/files/abc",
        "state": state,
        **extra,
    }


def test_wait_active_polls_until_active(
    server: LoopbackServer, client: Client, sleeps: list[float]
) -> None:
    server.add(
        "/v1beta/files/abc",
        Reply(json=file_json("PROCESSING")),
        Reply(json=file_json("PROCESSING")),
        Reply(json=file_json("ACTIVE")),
    )
    file = client.files.wait_active("abc", poll_interval=0.5)
    assert file.state == types.FileState.ACTIVE
    assert sleeps == [0.5, 0.5] and len(server.requests) == 3


def test_wait_active_raises_on_failed(server: LoopbackServer, client: Client) -> None:
    server.add(
        "/v1beta/files/abc",
        Reply(json=file_json("PROCESSING")),
        Reply(json=file_json("FAILED", error={"code": 3, "message": "unsupported codec"})),
    )
    with pytest.raises(FileProcessingError, match="files/abc is FAILED: unsupported codec") as info:
        client.files.wait_active("files/abc")
    assert info.value.file.state == "FAILED"


def test_wait_active_times_out(server: LoopbackServer, client: Client) -> None:
    server.add("/v1beta/files/abc", *[Reply(json=file_json("PROCESSING"))] * 3)
    with pytest.raises(OperationTimeoutError):
        client.files.wait_active("abc", timeout=0.0)


def test_list_files_pages(server: LoopbackServer, client: Client) -> None:
    server.add(
        "/v1beta/files",
        Reply(
            json={
                "files": [file_json("ACTIVE"), file_json("ACTIVE", name="files/b")],
                "nextPageToken": "p2",
            }
        ),
        Reply(json={"files": [file_json("PROCESSING", name="files/c")]}),
    )
    assert [f.name for f in client.files.list(page_size=2)] == ["files/abc", "files/b", "files/c"]
    assert server.requests[1].query == {"pageSize": ["2"], "pageToken": ["p2"]}


def test_delete(server: LoopbackServer, client: Client) -> None:
    server.add("/v1beta/files/abc", Reply(json={}))
    assert client.files.delete(name="abc") is None
    assert server.requests[0].method == "DELETE"


def test_file_in_contents_becomes_a_file_data_part(server: LoopbackServer, client: Client) -> None:
    server.add(GENERATE, Reply(json={"candidates": []}))
    file = types.File.model_validate(file_json("ACTIVE"))
    client.models.generate_content(
        model=MODEL, contents=[file, {"role": "user", "parts": [file, {"text": "Describe."}]}]
    )
    part = {"fileData": {"fileUri": "https://x/v1beta/files/abc", "mimeType": "video/mp4"}}
    assert server.requests[0].json()["contents"] == [
        {"role": "user", "parts": [part]},
        {"role": "user", "parts": [part, {"text": "Describe."}]},
    ]


def test_part_from_file(server: LoopbackServer, client: Client) -> None:
    server.add(GENERATE, Reply(json={"candidates": []}))
    file = types.File.model_validate(file_json("ACTIVE"))
    part = types.Part.from_file(file)
    assert part.file_data is not None
    assert (part.file_data.file_uri, part.file_data.mime_type) == (file.uri, "video/mp4")
    client.models.generate_content(model=MODEL, contents=[part, "Describe."])
    assert server.requests[0].json()["contents"] == [
        {
            "role": "user",
            "parts": [
                {"fileData": {"fileUri": "https://x/v1beta/files/abc", "mimeType": "video/mp4"}},
                {"text": "Describe."},
            ],
        }
    ]
    with pytest.raises(ValueError, match="has no uri: get\\(\\) it once it is ACTIVE"):
        types.Part.from_file(
            types.File.model_validate({"name": "files/new", "state": "PROCESSING"})
        )


@pytest.mark.parametrize(
    ("given", "name"),
    [
        ("abc", "files/abc"),
        ("files/abc", "files/abc"),
        (
            "https://generativelanguage.googleapis.com/v1beta/files/abc:download?alt=media",
            "files/abc",
        ),
    ],
)
def test_file_name(given: str, name: str) -> None:
    assert file_name(given) == name


@pytest.mark.parametrize(
    "bad", ["", "files/", "files/../models/x", "files/a/b", "https://host/v1beta/models/x"]
)
def test_bad_file_names_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="not a file"):
        file_name(bad)
