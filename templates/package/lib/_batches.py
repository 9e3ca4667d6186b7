"""``client.batches``: batch mode for generateContent and embedContent, and its results.

```py
batch = client.batches.create(model="gemini-2.5-flash", requests={"a": {...}, "b": {...}})
batch.wait()                                   # polls until done
for key, result in client.batches.results(batch):
    ...                                        # a GenerateContentResponse, or an OperationError
```

Results are read from the finished batch whether they are inlined or in a responses file; a
responses file is downloaded as a stream and parsed line by line.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict, TypeVar

from .._core import (
    NOT_GIVEN,
    AsyncOperation,
    AsyncPager,
    Body,
    GeminiError,
    Headers,
    NotGiven,
    Operation,
    OperationError,
    OperationNotDoneError,
    Query,
    SyncPager,
    Timeout,
    path_param,
)
from ..resources import batches as _batches
from ..resources import files as _files
from ..resources import models as _models
from ._files import file_name
from ._jsonl import aiter_jsonl, iter_jsonl
from ._spellings import spelled, with_config

if TYPE_CHECKING:
    import pydantic

    from .. import types

__all__ = ["AsyncBatches", "BatchConfig", "BatchRequests", "Batches"]

R = TypeVar("R", bound="pydantic.BaseModel")

BatchRequests: TypeAlias = "Mapping[str, Any] | Sequence[Any]"
"""Requests by key (``{"key": request}``), or a list of requests (keyed ``"0"``, ``"1"``, ...)
or of ``{"request": ..., "metadata": {"key": ...}}`` entries."""


def _inlined(requests: BatchRequests, model: str | None) -> list[dict[str, Any]]:
    def entry(key: str, request: Any) -> dict[str, Any]:
        body = request.to_dict() if hasattr(request, "to_dict") else dict(request)
        if model is not None:
            body.setdefault("model", model)
        return {"request": body, "metadata": {"key": key}}

    if isinstance(requests, Mapping):
        return [entry(str(k), r) for k, r in requests.items()]
    out = []
    for i, item in enumerate(requests):
        raw = item.to_dict() if hasattr(item, "to_dict") else item
        out.append(
            dict(raw) if isinstance(raw, Mapping) and "request" in raw else entry(str(i), raw)
        )
    return out


class BatchConfig(TypedDict, total=False):
    """google-genai's `config=` of `batches.create`: the same options as keywords."""

    display_name: str
    http_options: types.HttpOptions | types.HttpOptionsDict


def _google_genai_form(
    where: str,
    requests: BatchRequests | NotGiven,
    src: BatchRequests | str | NotGiven,
    config: BatchConfig | None,
    display_name: str | NotGiven,
    extra_headers: Headers | None,
    timeout: Timeout | NotGiven,
) -> tuple[BatchRequests | NotGiven, dict[str, Any]]:
    """google-genai's `src=` (inline requests, or a `files/...` name) as `requests=`, and its
    `config=` spread onto the keywords."""
    if not isinstance(src, NotGiven):
        if not isinstance(requests, NotGiven):
            raise TypeError(f"{where}: pass requests= or src=, not both")
        requests = src
    given = {"display_name": display_name, "extra_headers": extra_headers, "timeout": timeout}
    return requests, with_config(where, config, given)


def _batch_body(
    model: str,
    requests: BatchRequests | NotGiven,
    file: types.File | str | NotGiven,
    display_name: str | NotGiven,
    *,
    embeddings: bool,
) -> Any:
    if isinstance(requests, str):  # google-genai's src="files/..."
        requests, file = NOT_GIVEN, requests
    if isinstance(requests, NotGiven) == isinstance(file, NotGiven):
        raise ValueError("pass exactly one of requests= (inline) or file= (a JSONL file)")
    model_name = path_param(model, name="model", prefix="models/")
    if isinstance(file, NotGiven):
        assert not isinstance(requests, NotGiven)
        entries = _inlined(requests, model_name if embeddings else None)
        if not entries:
            raise ValueError("requests= is empty")
        config: dict[str, Any] = {"requests": {"requests": entries}}
    else:
        config = {"fileName": file_name(file)}
    body: dict[str, Any] = {"model": model_name, "inputConfig": config}
    if not isinstance(display_name, NotGiven):
        body["displayName"] = display_name
    return body


def _output(batch: Operation[Any] | AsyncOperation[Any]) -> dict[str, Any]:
    """The finished batch's output: its ``response``, else its ``metadata.output``."""
    batch.result()  # raises the batch's OperationError, or OperationNotDoneError
    raw = batch.raw
    response = raw.get("response")
    if isinstance(response, Mapping) and (
        "inlinedResponses" in response or "responsesFile" in response
    ):
        return dict(response)
    metadata = raw.get("metadata")
    output = metadata.get("output") if isinstance(metadata, Mapping) else None
    if isinstance(output, Mapping):
        return dict(output)
    raise OperationNotDoneError(f"batch {batch.name} is done but has no output")


def _inlined_results(output: Mapping[str, Any]) -> list[Any] | None:
    for key in ("inlinedResponses", "inlinedEmbedContentResponses"):
        box = output.get(key)
        if isinstance(box, Mapping):
            entries = box.get("inlinedResponses")
            return list(entries) if isinstance(entries, list) else []
    return None


def _responses_file(output: Mapping[str, Any], batch: str) -> str:
    name = output.get("responsesFile")
    if not isinstance(name, str) or not name:
        raise GeminiError(f"batch {batch} has neither inlined responses nor a responses file")
    return name


def _result(entry: Any, index: int, cls: type[R], batch: str) -> tuple[str, R | OperationError]:
    if not isinstance(entry, Mapping):
        raise GeminiError(f"batch {batch}: result {index} is not a JSON object")
    metadata = entry.get("metadata")
    key = entry.get("key", metadata.get("key") if isinstance(metadata, Mapping) else None)
    key = str(key) if key is not None else str(index)
    error = entry.get("error")
    if isinstance(error, Mapping):
        return key, OperationError(f"{batch} (request {key})", error)
    try:
        return key, cls.model_validate(entry.get("response") or {})
    except Exception as err:  # pydantic.ValidationError, without importing pydantic here
        raise GeminiError(f"batch {batch}: result {key!r} is not a valid {cls.__name__}") from err


@spelled
class Batches(_batches.Batches):
    """Batch mode: create (inline requests or a JSONL file), get, list, cancel, delete, results."""

    def create(
        self,
        *,
        model: str,
        requests: BatchRequests | NotGiven = NOT_GIVEN,
        file: types.File | str | NotGiven = NOT_GIVEN,
        display_name: str | NotGiven = NOT_GIVEN,
        src: BatchRequests | str | NotGiven = NOT_GIVEN,
        config: BatchConfig | None = None,
        extra_headers: Headers | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> Operation[types.GenerateContentBatchOutput]:
        """Start a batch of generateContent requests; ``wait()`` on the returned operation."""
        requests, a = _google_genai_form(
            "create()", requests, src, config, display_name, extra_headers, timeout
        )
        display_name, extra_headers, timeout = a["display_name"], a["extra_headers"], a["timeout"]
        return _models.Models(self._client).batch_generate_content(
            model=model,
            batch=_batch_body(model, requests, file, display_name, embeddings=False),
            extra_headers=extra_headers,
            timeout=timeout,
        )

    def create_embeddings(
        self,
        *,
        model: str,
        requests: BatchRequests | NotGiven = NOT_GIVEN,
        file: types.File | str | NotGiven = NOT_GIVEN,
        display_name: str | NotGiven = NOT_GIVEN,
        src: BatchRequests | str | NotGiven = NOT_GIVEN,
        config: BatchConfig | None = None,
        extra_headers: Headers | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> Operation[types.EmbedContentBatchOutput]:
        """Start a batch of embedContent requests (``asyncBatchEmbedContent``)."""
        requests, a = _google_genai_form(
            "create_embeddings()", requests, src, config, display_name, extra_headers, timeout
        )
        display_name, extra_headers, timeout = a["display_name"], a["extra_headers"], a["timeout"]
        return _models.Models(self._client).async_batch_embed_content(
            model=model,
            batch=_batch_body(model, requests, file, display_name, embeddings=True),
            extra_headers=extra_headers,
            timeout=timeout,
        )

    def list(
        self,
        *,
        name: str = "batches",
        filter: str | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
        page_token: str | NotGiven = NOT_GIVEN,
        return_partial_success: bool | NotGiven = NOT_GIVEN,
        config: _batches.ListOptions | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> SyncPager[types.ListOperationsResponse, types.Operation]:
        """Every batch, page by page (``config=``: google-genai's, the same options)."""
        given = {
            "filter": filter,
            "page_size": page_size,
            "page_token": page_token,
            "return_partial_success": return_partial_success,
            "extra_headers": extra_headers,
            "extra_query": extra_query,
            "extra_body": extra_body,
            "timeout": timeout,
        }
        return super().list(name=name, **with_config("Batches.list()", config, given))

    def results(
        self, batch: Operation[Any] | str
    ) -> Iterator[tuple[str, types.GenerateContentResponse | OperationError]]:
        """``(key, response or error)`` of each request of a finished generateContent batch."""
        from .. import types

        return self._results(batch, types.GenerateContentResponse)

    def embedding_results(
        self, batch: Operation[Any] | str
    ) -> Iterator[tuple[str, types.EmbedContentResponse | OperationError]]:
        """``(key, response or error)`` of each request of a finished embedding batch."""
        from .. import types

        return self._results(batch, types.EmbedContentResponse)

    def _results(
        self, batch: Operation[Any] | str, cls: type[R]
    ) -> Iterator[tuple[str, R | OperationError]]:
        op = self.get(name=batch) if isinstance(batch, str) else batch
        output = _output(op)
        inlined = _inlined_results(output)
        if inlined is not None:
            for i, entry in enumerate(inlined):
                yield _result(entry, i, cls, op.name)
            return
        media = _files.Files(self._client).download(name=_responses_file(output, op.name))
        with media:
            for i, entry in enumerate(iter_jsonl(media.iter_bytes())):
                yield _result(entry, i, cls, op.name)


@spelled
class AsyncBatches(_batches.AsyncBatches):
    """Batch mode for asyncio: create, get, list, cancel, delete, results."""

    async def create(
        self,
        *,
        model: str,
        requests: BatchRequests | NotGiven = NOT_GIVEN,
        file: types.File | str | NotGiven = NOT_GIVEN,
        display_name: str | NotGiven = NOT_GIVEN,
        src: BatchRequests | str | NotGiven = NOT_GIVEN,
        config: BatchConfig | None = None,
        extra_headers: Headers | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> AsyncOperation[types.GenerateContentBatchOutput]:
        """Start a batch of generateContent requests; ``await wait()`` on the returned operation."""
        requests, a = _google_genai_form(
            "create()", requests, src, config, display_name, extra_headers, timeout
        )
        display_name, extra_headers, timeout = a["display_name"], a["extra_headers"], a["timeout"]
        return await _models.AsyncModels(self._client).batch_generate_content(
            model=model,
            batch=_batch_body(model, requests, file, display_name, embeddings=False),
            extra_headers=extra_headers,
            timeout=timeout,
        )

    async def create_embeddings(
        self,
        *,
        model: str,
        requests: BatchRequests | NotGiven = NOT_GIVEN,
        file: types.File | str | NotGiven = NOT_GIVEN,
        display_name: str | NotGiven = NOT_GIVEN,
        src: BatchRequests | str | NotGiven = NOT_GIVEN,
        config: BatchConfig | None = None,
        extra_headers: Headers | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> AsyncOperation[types.EmbedContentBatchOutput]:
        """Start a batch of embedContent requests (``asyncBatchEmbedContent``)."""
        requests, a = _google_genai_form(
            "create_embeddings()", requests, src, config, display_name, extra_headers, timeout
        )
        display_name, extra_headers, timeout = a["display_name"], a["extra_headers"], a["timeout"]
        return await _models.AsyncModels(self._client).async_batch_embed_content(
            model=model,
            batch=_batch_body(model, requests, file, display_name, embeddings=True),
            extra_headers=extra_headers,
            timeout=timeout,
        )

    def list(
        self,
        *,
        name: str = "batches",
        filter: str | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
        page_token: str | NotGiven = NOT_GIVEN,
        return_partial_success: bool | NotGiven = NOT_GIVEN,
        config: _batches.ListOptions | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> AsyncPager[types.ListOperationsResponse, types.Operation]:
        """Every batch, page by page (``config=``: google-genai's, the same options)."""
        given = {
            "filter": filter,
            "page_size": page_size,
            "page_token": page_token,
            "return_partial_success": return_partial_success,
            "extra_headers": extra_headers,
            "extra_query": extra_query,
            "extra_body": extra_body,
            "timeout": timeout,
        }
        return super().list(name=name, **with_config("AsyncBatches.list()", config, given))

    def results(
        self, batch: AsyncOperation[Any] | str
    ) -> AsyncIterator[tuple[str, types.GenerateContentResponse | OperationError]]:
        """``(key, response or error)`` of each request of a finished generateContent batch."""
        from .. import types

        return self._results(batch, types.GenerateContentResponse)

    def embedding_results(
        self, batch: AsyncOperation[Any] | str
    ) -> AsyncIterator[tuple[str, types.EmbedContentResponse | OperationError]]:
        """``(key, response or error)`` of each request of a finished embedding batch."""
        from .. import types

        return self._results(batch, types.EmbedContentResponse)

    async def _results(
        self, batch: AsyncOperation[Any] | str, cls: type[R]
    ) -> AsyncIterator[tuple[str, R | OperationError]]:
        op = await self.get(name=batch) if isinstance(batch, str) else batch
        output = _output(op)
        inlined = _inlined_results(output)
        if inlined is not None:
            for i, entry in enumerate(inlined):
                yield _result(entry, i, cls, op.name)
            return
        media = await _files.AsyncFiles(self._client).download(
            name=_responses_file(output, op.name)
        )
        async with media:
            i = 0
            async for entry in aiter_jsonl(media.iter_bytes()):
                yield _result(entry, i, cls, op.name)
                i += 1
