"""``client.files``: resumable uploads, downloads to disk, and waiting for a file to be ACTIVE.

```py
file = client.files.upload(file="talk.mp3")            # MIME type from the name
file = client.files.wait_active(file)                   # PROCESSING -> ACTIVE (FAILED raises)
client.models.generate_content(model=..., contents=[{"parts": [file, {"text": "Summarise."}]}])
client.files.download(video_uri, to="video.mp4")        # streamed to disk
```
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict, overload

from .._core import (
    NOT_GIVEN,
    AsyncBinaryResponse,
    BinaryResponse,
    Body,
    GeminiError,
    Headers,
    NotGiven,
    OperationTimeoutError,
    ProgressCallback,
    Query,
    RequestOptions,
    Timeout,
    UploadSource,
    async_upload,
    upload,
)
from ..resources import files as _files
from ._errors import FileProcessingError
from ._spellings import spelled, with_config

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from .. import types
    from .._core import AsyncPager, SyncPager


class UploadConfig(TypedDict, total=False):
    """google-genai's `config=` of `files.upload`: the same options as keywords."""

    mime_type: str
    display_name: str
    http_options: types.HttpOptions | types.HttpOptionsDict


__all__ = ["AsyncFiles", "FileProcessingError", "Files", "UploadConfig", "file_name"]

_FILE_NAME = re.compile(r"files/[^/:?#]+")


def file_name(file: types.File | str) -> str:
    """``files/abc`` from a ``File``, a name, a bare id, or a URI such as a Veo video's."""
    name = file if isinstance(file, str) else (file.name or "")
    if "://" in name:
        found = _FILE_NAME.search(name.split("?", 1)[0])
        if found is None:
            raise ValueError(f"not a file URI: {name!r}")
        return found.group(0)
    name = name if name.startswith("files/") else f"files/{name}"
    if not _FILE_NAME.fullmatch(name) or ".." in name:
        raise ValueError(f"not a file name: {name!r} (expected files/<id>)")
    return name


def _upload_url(base_url: str, api_version: str) -> str:
    return f"{base_url}upload/{api_version}/files" if api_version else f"{base_url}upload/files"


def _metadata(display_name: str | None) -> dict[str, object]:
    return {"file": {"displayName": display_name} if display_name else {}}


def _state(file: types.File) -> str:
    return str(file.state.value) if file.state is not None else ""


def _one(file: types.File | str | None, name: str | None) -> types.File | str:
    if file is not None and name is None:
        return file
    if file is None and name is not None:
        return name
    raise TypeError("download() takes the file or name=, exactly one")


def _part_path(to: str | os.PathLike[str]) -> tuple[Path, Path]:
    target = Path(to)
    return target, target.with_name(target.name + ".part")


@spelled
class Files(_files.Files):
    """Files: upload (resumable), get, list, delete, download, wait_active."""

    if TYPE_CHECKING:  # google-genai's `config=` (spread by `spelled`)

        def list(
            self,
            *,
            config: _files.ListOptions | None = None,
            **options: Unpack[_files.ListOptions],
        ) -> SyncPager[types.ListFilesResponse, types.File]: ...

    def upload(
        self,
        *,
        file: UploadSource,
        mime_type: str | None = None,
        display_name: str | None = None,
        chunk_size: int | None = None,
        on_progress: ProgressCallback | None = None,
        config: UploadConfig | None = None,
        extra_headers: Headers | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> types.File:
        """Upload a path, bytes or seekable binary file with the resumable protocol.

        The MIME type is guessed from the file name unless given. The bytes stream from the
        source in one request (``chunk_size=n``: requests of ``n`` bytes, for a proxy that limits
        a request's size); ``on_progress(sent, total)`` is called as they go out and with
        ``(total, total)`` once the server has them. A dropped connection or a 5xx resumes where
        the server stopped. ``timeout`` bounds the time without progress (it starts again
        whenever more bytes go out), so a long upload that keeps going is never cut off.
        """
        from .. import types

        given: dict[str, Any] = {"mime_type": mime_type, "display_name": display_name}
        given |= {"extra_headers": extra_headers, "timeout": timeout}
        a = with_config("Files.upload()", config, given)
        mime_type, display_name = a["mime_type"], a["display_name"]
        extra_headers, timeout = a["extra_headers"], a["timeout"]
        created = upload(
            self._client,
            _upload_url(self._client.base_url, self._client.api_version),
            cast_to=types.CreateFileResponse,
            file=file,
            mime_type=mime_type,
            metadata=_metadata(display_name),
            chunk_size=chunk_size,
            on_progress=on_progress,
            options=RequestOptions(extra_headers=extra_headers, timeout=timeout),
        )
        if created.file is None:
            raise GeminiError("the upload finished without a file in its answer")
        return created.file

    @overload
    def download(
        self,
        file: types.File | str | None = None,
        *,
        name: str | None = None,
        to: None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> BinaryResponse: ...
    @overload
    def download(
        self,
        file: types.File | str | None = None,
        *,
        name: str | None = None,
        to: str | os.PathLike[str],
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> Path: ...
    def download(
        self,
        file: types.File | str | None = None,
        *,
        name: str | None = None,
        to: str | os.PathLike[str] | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> BinaryResponse | Path:
        """A file's media (a generated file, a Veo video): given as a ``File``, a name or a
        download URI. Without ``to``, the streaming ``BinaryResponse`` (``read()`` it); with it,
        streamed into ``to`` via ``to.part``, renamed when complete, so an interrupted download
        never leaves a truncated file at ``to``."""
        media = super().download(
            name=file_name(_one(file, name)),
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
            timeout=timeout,
        )
        if to is None:
            return media
        target, part = _part_path(to)
        try:
            with media:
                media.write_to(part)
            os.replace(part, target)
        finally:
            part.unlink(missing_ok=True)
        return target

    def wait_active(
        self, file: types.File | str, *, timeout: float | None = 300.0, poll_interval: float = 1.0
    ) -> types.File:
        """Poll until the file is ``ACTIVE``; raises ``FileProcessingError`` when it is ``FAILED``
        and ``OperationTimeoutError`` after ``timeout`` seconds."""
        name = file_name(file)
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            current = self.get(name=name)
            if _state(current) == "ACTIVE":
                return current
            if _state(current) == "FAILED":
                raise FileProcessingError(current)
            delay = _next_delay(deadline, poll_interval, name)
            self._client._sleep(delay)


@spelled
class AsyncFiles(_files.AsyncFiles):
    """Files for asyncio: upload (resumable), get, list, delete, download, wait_active."""

    if TYPE_CHECKING:  # google-genai's `config=` (spread by `spelled`)

        def list(
            self,
            *,
            config: _files.ListOptions | None = None,
            **options: Unpack[_files.ListOptions],
        ) -> AsyncPager[types.ListFilesResponse, types.File]: ...

    async def upload(
        self,
        *,
        file: UploadSource,
        mime_type: str | None = None,
        display_name: str | None = None,
        chunk_size: int | None = None,
        on_progress: ProgressCallback | None = None,
        config: UploadConfig | None = None,
        extra_headers: Headers | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> types.File:
        """Upload a path, bytes or seekable binary file with the resumable protocol."""
        from .. import types

        given: dict[str, Any] = {"mime_type": mime_type, "display_name": display_name}
        given |= {"extra_headers": extra_headers, "timeout": timeout}
        a = with_config("AsyncFiles.upload()", config, given)
        mime_type, display_name = a["mime_type"], a["display_name"]
        extra_headers, timeout = a["extra_headers"], a["timeout"]
        created = await async_upload(
            self._client,
            _upload_url(self._client.base_url, self._client.api_version),
            cast_to=types.CreateFileResponse,
            file=file,
            mime_type=mime_type,
            metadata=_metadata(display_name),
            chunk_size=chunk_size,
            on_progress=on_progress,
            options=RequestOptions(extra_headers=extra_headers, timeout=timeout),
        )
        if created.file is None:
            raise GeminiError("the upload finished without a file in its answer")
        return created.file

    @overload
    async def download(
        self,
        file: types.File | str | None = None,
        *,
        name: str | None = None,
        to: None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> AsyncBinaryResponse: ...
    @overload
    async def download(
        self,
        file: types.File | str | None = None,
        *,
        name: str | None = None,
        to: str | os.PathLike[str],
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> Path: ...
    async def download(
        self,
        file: types.File | str | None = None,
        *,
        name: str | None = None,
        to: str | os.PathLike[str] | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> AsyncBinaryResponse | Path:
        """A file's media: the streaming ``AsyncBinaryResponse``, or streamed into ``to`` (via
        ``to.part``, renamed when complete)."""
        media = await super().download(
            name=file_name(_one(file, name)),
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
            timeout=timeout,
        )
        if to is None:
            return media
        target, part = _part_path(to)
        try:
            async with media:
                await media.write_to(part)
            os.replace(part, target)
        finally:
            part.unlink(missing_ok=True)
        return target

    async def wait_active(
        self, file: types.File | str, *, timeout: float | None = 300.0, poll_interval: float = 1.0
    ) -> types.File:
        """Poll until the file is ``ACTIVE``; raises ``FileProcessingError`` when it is ``FAILED``
        and ``OperationTimeoutError`` after ``timeout`` seconds."""
        name = file_name(file)
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            current = await self.get(name=name)
            if _state(current) == "ACTIVE":
                return current
            if _state(current) == "FAILED":
                raise FileProcessingError(current)
            await self._client._sleep(_next_delay(deadline, poll_interval, name))


def _next_delay(deadline: float | None, poll_interval: float, name: str) -> float:
    if deadline is None:
        return poll_interval
    left = deadline - time.monotonic()
    if left <= 0:
        raise OperationTimeoutError(f"file {name} is not ACTIVE yet after the timeout")
    return min(poll_interval, left)
