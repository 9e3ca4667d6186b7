"""Long-running operations end to end (start, poll with backoff, typed result, typed failure,
timeout), uploads with bytes, downloads to a file, raw responses of the new kinds of method, and
`Client(api_version=...)`."""

from __future__ import annotations

import json
import time
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path

import pytest

import gemini_client
from gemini_client import AsyncClient, Client, types
from support.server import LoopbackServer, Reply

from .bodies import KEY

START = "/v1beta/models/gemini-2.5-flash:batchGenerateContent"
POLL = "/v1beta/batches/b1"
BATCH = {
    "displayName": "nightly",
    "model": "models/gemini-2.5-flash",
    "inputConfig": {"fileName": "files/in"},
}
RUNNING = {"name": "batches/b1", "metadata": {**BATCH, "state": "BATCH_STATE_RUNNING"}}
OUTPUT = {
    "@type": "type.googleapis.com/google.ai.generativelanguage.v1beta.GenerateContentBatchOutput",
    "responsesFile": "files/out",
}
DONE = {**RUNNING, "done": True, "response": OUTPUT}
FAILED = {
    **RUNNING,
    "done": True,
    "error": {
        "code": 3,
        "message": "input file is not JSONL",
        "details": [{"@type": "type.googleapis.com/google.rpc.BadRequest"}],
    },
}


def script_three_polls(server: LoopbackServer, last: dict[str, object]) -> None:
    server.add(START, Reply(json=RUNNING))
    server.add(POLL, Reply(json=RUNNING), Reply(json=RUNNING), Reply(json=last))


def check_polls(server: LoopbackServer) -> None:
    assert [(r.method, r.path) for r in server.requests] == [("POST", START)] + [("GET", POLL)] * 3
    assert all(r.body == b"" and r.headers["x-goog-api-key"] == KEY for r in server.requests[1:])


def test_done_after_three_polls_with_backoff(
    client: Client, server: LoopbackServer, sleeps: list[float]
) -> None:
    script_three_polls(server, DONE)
    op = client.models.batch_generate_content(model="gemini-2.5-flash", batch=BATCH)
    assert isinstance(op, gemini_client.Operation)
    assert (op.name, op.done, op.error) == ("batches/b1", False, None)
    assert isinstance(op.metadata, types.GenerateContentBatch)
    assert op.metadata.state == types.GenerateContentBatchState.BATCH_STATE_RUNNING
    with pytest.raises(gemini_client.OperationNotDoneError):
        op.result()
    output = op.wait(poll_interval=2.0)
    assert (
        isinstance(output, types.GenerateContentBatchOutput)
        and output.responses_file == "files/out"
    )
    assert op.done and op.result() == output
    check_polls(server)
    assert sleeps == [2.0, 3.0, 4.5]  # 1.5 times longer each time


@pytest.mark.asyncio
async def test_async_done_after_three_polls(
    aclient: AsyncClient, server: LoopbackServer, sleeps: list[float]
) -> None:
    script_three_polls(server, DONE)
    op = await aclient.models.batch_generate_content(model="gemini-2.5-flash", batch=BATCH)
    assert isinstance(op, gemini_client.AsyncOperation)
    output = await op.wait(poll_interval=1.0)
    assert (
        isinstance(output, types.GenerateContentBatchOutput)
        and output.responses_file == "files/out"
    )
    check_polls(server)
    assert sleeps == [1.0, 1.5, 2.25]


def test_poll_interval_is_capped(
    client: Client, server: LoopbackServer, sleeps: list[float]
) -> None:
    server.add(START, Reply(json=RUNNING))
    server.add(POLL, *[Reply(json=RUNNING)] * 9, Reply(json=DONE))
    client.models.batch_generate_content(model="gemini-2.5-flash", batch=BATCH).wait(
        poll_interval=10
    )
    assert len(sleeps) == 10 and max(sleeps) == 30.0 and sleeps[-1] == 30.0


def test_failed_operation_raises_a_typed_error(client: Client, server: LoopbackServer) -> None:
    script_three_polls(server, FAILED)
    op = client.models.batch_generate_content(model="gemini-2.5-flash", batch=BATCH)
    with pytest.raises(gemini_client.OperationError) as info:
        op.wait()
    err = info.value
    assert isinstance(err, gemini_client.APIError) and isinstance(err, gemini_client.GeminiError)
    assert (err.code, err.status, err.operation_name) == (3, "INVALID_ARGUMENT", "batches/b1")
    assert err.details == [{"@type": "type.googleapis.com/google.rpc.BadRequest"}]
    assert "input file is not JSONL" in str(err) and KEY not in str(err)
    assert op.done and isinstance(op.error, gemini_client.OperationError)
    with pytest.raises(gemini_client.OperationError):
        op.result()
    check_polls(server)


@pytest.mark.asyncio
async def test_async_failed_operation(aclient: AsyncClient, server: LoopbackServer) -> None:
    script_three_polls(server, FAILED)
    op = await aclient.models.batch_generate_content(model="gemini-2.5-flash", batch=BATCH)
    with pytest.raises(gemini_client.OperationError, match="INVALID_ARGUMENT|not JSONL"):
        await op.wait()


def test_wait_times_out_in_time(client: Client, server: LoopbackServer) -> None:
    client._sleep = time.sleep  # really wait
    server.add(START, Reply(json=RUNNING))
    server.add(POLL, *[Reply(json=RUNNING)] * 50)
    op = client.models.batch_generate_content(model="gemini-2.5-flash", batch=BATCH)
    start = time.monotonic()
    with pytest.raises(gemini_client.OperationTimeoutError) as info:
        op.wait(timeout=0.25, poll_interval=0.05)
    elapsed = time.monotonic() - start
    assert isinstance(info.value, TimeoutError) and "batches/b1" in str(info.value)
    assert 0.25 <= elapsed < 2.0
    polls = len(server.requests) - 1
    assert 2 <= polls <= 5  # 0.05, 0.075, 0.1125 s apart, then the time left
    assert not op.done


@pytest.mark.asyncio
async def test_async_wait_times_out(aclient: AsyncClient, server: LoopbackServer) -> None:
    import asyncio

    aclient._sleep = asyncio.sleep
    server.add(START, Reply(json=RUNNING))
    server.add(POLL, *[Reply(json=RUNNING)] * 50)
    op = await aclient.models.batch_generate_content(model="gemini-2.5-flash", batch=BATCH)
    start = time.monotonic()
    with pytest.raises(gemini_client.OperationTimeoutError):
        await op.wait(timeout=0.15, poll_interval=0.025)
    assert 0.15 <= time.monotonic() - start < 2.0


def test_refresh_is_one_get_and_a_free_form_operation_is_a_dict(
    client: Client, server: LoopbackServer
) -> None:
    server.add(
        "/v1beta/models/veo/operations/o1",
        Reply(json={"name": "models/veo/operations/o1"}),
        Reply(
            json={
                "name": "models/veo/operations/o1",
                "done": True,
                "response": {"generateVideoResponse": {}},
            }
        ),
    )
    op = client.models.operations.get(name="models/veo/operations/o1")
    assert op.refresh() is op and op.done
    assert op.result() == {"generateVideoResponse": {}}
    assert [r.path for r in server.requests] == ["/v1beta/models/veo/operations/o1"] * 2


def test_an_operation_that_is_not_a_json_object_is_a_typed_error(
    client: Client, server: LoopbackServer
) -> None:
    server.add(START, Reply(json=["not", "an", "operation"]))
    with pytest.raises(gemini_client.APIResponseValidationError):
        client.models.batch_generate_content(model="gemini-2.5-flash", batch=BATCH)


def test_a_response_that_does_not_fit_its_type_is_a_gemini_error(
    client: Client, server: LoopbackServer
) -> None:
    server.add(START, Reply(json={**DONE, "response": {"inlinedResponses": "not an object"}}))
    op = client.models.batch_generate_content(model="gemini-2.5-flash", batch=BATCH)
    with pytest.raises(gemini_client.GeminiError, match="GenerateContentBatchOutput"):
        op.result()


def test_raw_responses_of_operations_and_empty_methods(
    client: Client, server: LoopbackServer
) -> None:
    server.add(START, Reply(json=RUNNING, headers={"x-request-id": "r1"}))
    server.add(POLL, Reply(json={}))
    raw = client.models.with_raw_response.batch_generate_content(
        model="gemini-2.5-flash", batch=BATCH
    )
    assert isinstance(raw, gemini_client.APIResponse) and raw.headers["x-request-id"] == "r1"
    assert isinstance(raw.parse(), gemini_client.Operation) and raw.parse().name == "batches/b1"
    raw_empty = client.batches.with_raw_response.delete(name="b1")
    assert raw_empty.status_code == 200 and raw_empty.parse() is None


def test_upload_sends_metadata_and_bytes_in_one_multipart_request(
    client: Client, server: LoopbackServer
) -> None:
    data = b"\x00\x01binary\r\n--not-a-boundary\xff" * 100
    server.add(
        "/upload/v1beta/files", Reply(json={"file": {"name": "files/f1", "mimeType": "text/plain"}})
    )
    resp = client.media.upload(file={"display_name": "notes"}, media=data, media_type="text/plain")
    assert (
        isinstance(resp, types.CreateFileResponse)
        and resp.file is not None
        and resp.file.name == "files/f1"
    )
    [req] = server.requests
    assert (req.method, req.path, req.query) == (
        "POST",
        "/upload/v1beta/files",
        {"uploadType": ["multipart"]},
    )
    ctype = req.headers["content-type"]
    assert ctype.startswith("multipart/related; boundary=")
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {ctype}\r\n\r\n".encode() + req.body
    )
    meta, media = list(message.iter_parts())
    assert meta.get_content_type() == "application/json"
    assert json.loads(meta.get_payload(decode=True)) == {"file": {"displayName": "notes"}}
    assert media.get_content_type() == "text/plain" and media.get_payload(decode=True) == data


@pytest.mark.asyncio
async def test_async_upload_to_a_file_search_store_is_an_operation(
    aclient: AsyncClient, server: LoopbackServer
) -> None:
    server.add(
        "/upload/v1beta/fileSearchStores/s1:uploadToFileSearchStore",
        Reply(json={"name": "fileSearchStores/s1/upload/operations/o1"}),
    )
    op = await aclient.media.upload_to_file_search_store(
        file_search_store_name="s1", display_name="doc", media=b"hello", media_type="text/markdown"
    )
    assert isinstance(op, gemini_client.AsyncOperation) and op.name.endswith(
        "/upload/operations/o1"
    )
    [req] = server.requests
    assert (
        req.query == {"uploadType": ["multipart"]}
        and b"hello" in req.body
        and b'"displayName": "doc"' in req.body
    )


def test_upload_refuses_what_is_not_bytes_before_sending(
    client: Client, server: LoopbackServer
) -> None:
    with pytest.raises(TypeError, match="media must be bytes"):
        client.media.upload(media="text")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="media_type"):
        client.media.upload(media=b"x", media_type="text/plain\r\nX-Injected: 1")
    assert server.requests == []


def test_download_streams_to_a_file(client: Client, server: LoopbackServer, tmp_path: Path) -> None:
    data = bytes(range(256)) * 4096  # 1 MiB
    server.add("/v1beta/files/video1:download", Reply(body=data, content_type="video/mp4"))
    with client.files.download(name="video1") as media:
        assert media.write_to(tmp_path / "video.mp4") == len(data)
    assert (tmp_path / "video.mp4").read_bytes() == data
    [req] = server.requests
    assert req.query == {"alt": ["media"]}


@pytest.mark.asyncio
async def test_async_download_to_a_file(
    aclient: AsyncClient, server: LoopbackServer, tmp_path: Path
) -> None:
    server.add("/v1beta/files/v:download", Reply(body=b"abc" * 1000))
    media = await aclient.files.download(name="v")
    assert await media.write_to(tmp_path / "v.bin") == 3000
    assert (tmp_path / "v.bin").read_bytes() == b"abc" * 1000


def test_fieldmask_takes_a_list_or_a_string_and_nothing_else(
    client: Client, server: LoopbackServer
) -> None:
    with pytest.raises(TypeError, match="field mask"):
        client.tuned_models.permissions.patch(
            name="tunedModels/t/permissions/p", role="READER", update_mask=3
        )  # type: ignore[arg-type]
    assert server.requests == []


def test_api_version_is_configurable_and_joined_by_the_client(server: LoopbackServer) -> None:
    with Client(api_key=KEY, base_url=server.url, api_version="v1alpha") as client:
        assert client.api_version == "v1alpha"
        server.add(
            "/v1alpha/models/gemini-2.5-flash", Reply(json={"name": "models/gemini-2.5-flash"})
        )
        server.add("/upload/v1alpha/files", Reply(json={}))
        server.add("/v1alpha/batches/b1", Reply(json={"name": "batches/b1", "done": True}))
        assert client.models.get(name="gemini-2.5-flash").name == "models/gemini-2.5-flash"
        client.media.upload(media=b"x")
        client.batches.get(name="b1")
        copy = client.with_options(max_retries=0)
        assert copy.api_version == "v1alpha"
    assert [r.path for r in server.requests] == [
        "/v1alpha/models/gemini-2.5-flash",
        "/upload/v1alpha/files",
        "/v1alpha/batches/b1",
    ]
    assert Client(api_key=KEY).api_version == "v1beta"
    for bad in ("v1/../x", "V1", "v1beta/", "v1?key=x"):
        with pytest.raises(ValueError, match="api_version"):
            Client(api_key=KEY, api_version=bad)


def test_a_stalled_poll_does_not_outlast_wait(client: Client, server: LoopbackServer) -> None:
    """The server takes 5 s to answer a poll; wait(timeout=0.25) gives up in about that time."""
    client._sleep = time.sleep
    client.max_retries = 0
    server.add(START, Reply(json=RUNNING))
    server.add(POLL, Reply(json=RUNNING, delay=5))
    op = client.models.batch_generate_content(model="gemini-2.5-flash", batch=BATCH)
    start = time.monotonic()
    with pytest.raises(gemini_client.OperationTimeoutError):
        op.wait(timeout=0.25, poll_interval=0.05)
    assert time.monotonic() - start < 2.0


def test_hostile_names_never_leave_the_api_version_path(
    client: Client, server: LoopbackServer
) -> None:
    """A path parameter, or an operation name a lying server sends, that looks like a URL is
    refused before anything is sent (its empty segment after `https:`); one that looks like an
    upload path or a scheme stays a path under /v1beta/ on the same host."""
    server.add(START, Reply(json={"name": "https://evil.example/ops/1"}))
    server.add("/v1beta/upload/v1beta/files", Reply(json={}))
    server.add("/v1beta/https:evil.example/x", Reply(json={}))
    for hostile in ("https://evil.example/x", "//evil.example/x", "files/../upload/v1beta/files"):
        with pytest.raises(gemini_client.ArgumentError, match=r"^name: .* path segment"):
            client.files.get(name=hostile)
    op = client.models.batch_generate_content(model="gemini-2.5-flash", batch=BATCH)
    with pytest.raises(gemini_client.ArgumentError, match=r"^name: 'https://evil.example/ops/1'"):
        op.refresh()
    client.files.get(name="upload/v1beta/files")
    client.files.get(name="https:evil.example/x")
    assert [r.path for r in server.requests] == [
        START,
        "/v1beta/upload/v1beta/files",
        "/v1beta/https:evil.example/x",
    ]
    assert {r.headers["host"] for r in server.requests} == {server.url.split("//")[1].rstrip("/")}


def test_an_error_that_is_not_a_status_is_still_a_failure(
    client: Client, server: LoopbackServer
) -> None:
    server.add(START, Reply(json={"name": "batches/b1", "done": True, "error": "quota exceeded"}))
    op = client.models.batch_generate_content(model="gemini-2.5-flash", batch=BATCH)
    with pytest.raises(gemini_client.OperationError, match="quota exceeded"):
        op.result()


def test_wait_refuses_nonsense_before_polling(client: Client, server: LoopbackServer) -> None:
    server.add(START, Reply(json=RUNNING))
    op = client.models.batch_generate_content(model="gemini-2.5-flash", batch=BATCH)
    for kwargs in (
        {"poll_interval": 0},
        {"poll_interval": -1},
        {"timeout": -1},
        {"poll_interval": float("nan")},
    ):
        with pytest.raises(ValueError):
            op.wait(**kwargs)
    assert len(server.requests) == 1
