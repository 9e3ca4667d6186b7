"""``client.models``: ``config=`` and automatic function calling on ``generate_content`` (and its
stream), several contents embedded at once, ``.parsed`` on answers, Imagen and Veo.

```py
client.models.generate_content(model="gemini-2.5-flash", contents="Hi", config={"temperature": 0})
images = client.models.generate_images(model="imagen-4.0-generate-001", prompt="a robot", number_of_images=2)
images[0].data, images[0].mime_type            # bytes, "image/png"
op = client.models.generate_videos(model="veo-3.0-generate-001", prompt="a sunrise")
video = op.wait(timeout=600).generate_video_response.generated_samples[0].video
client.files.download(video.uri, to="sunrise.mp4")
```

Each wrapper takes the generated method's options as ``**options: Unpack[<Method>Options]`` (the
TypedDict the generator emits), so a field added to the spec reaches it.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast, overload

import pydantic

from .._core import (
    NOT_GIVEN,
    AsyncOperation,
    AsyncStream,
    GeminiError,
    Headers,
    NotGiven,
    Operation,
    Stream,
    Timeout,
    validate_arguments,
)
from .._core._exceptions import describe_validation_error
from ..resources import models as _models
from . import _afc
from ._spellings import config_arguments, spelled, takes
from ._structured import parses, parses_async, parses_stream, parses_stream_async

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from .. import types
    from ..types._bases import ParsedT
    from ..types._configs import ParsedConfigDict
    from .._core import AsyncPager, SyncPager

__all__ = ["AsyncModels", "GeneratedImage", "Models"]

_generate = parses(_models.Models.generate_content)
_generate_async = parses_async(_models.AsyncModels.generate_content)
_stream = parses_stream(_models.Models.stream_generate_content)
_stream_async = parses_stream_async(_models.AsyncModels.stream_generate_content)

AfcSetting = Any  # types.AutomaticFunctionCallingConfig | its dict | bool | None


def _keys(options: type) -> frozenset[str]:
    return frozenset(options.__required_keys__ | options.__optional_keys__)  # type: ignore[attr-defined]


def generate_arguments(where: str, config: Any, options: dict[str, Any]) -> dict[str, Any]:
    """The generated `generate_content`'s keyword arguments from `config=` and the flat options,
    plus `automatic_function_calling` (google-genai's `GenerateContentConfig` is flat: its
    `GenerationConfig` fields go into `generation_config`)."""
    if config is None:
        return options
    from .. import types

    params = {
        k: None for k in _keys(_models.GenerateContentOptions) | {"automatic_function_calling"}
    }
    nested = ("generation_config", frozenset(types.GenerationConfig.model_fields))
    out = config_arguments(where, config, params, options, nested=nested)
    python_tools = getattr(config, "python_tools", None)
    if python_tools is not None and "tools" not in options:
        out["tools"] = python_tools
    python_type = getattr(config, "response_type", None)
    if python_type is not None and isinstance(out.get("generation_config"), dict):
        generation = types.GenerationConfig.model_validate(out["generation_config"])
        generation._response_type = python_type
        out["generation_config"] = generation
    return out


def _turns(contents: Any) -> list[types.Content]:
    """`contents` as validated turns (short forms, unknown keys named), for adding AFC turns."""
    from .. import types

    request = {"model": "-", "contents": contents}
    return validate_arguments(types.GenerateContentRequest, request).contents or []


def _exchange(
    arguments: dict[str, Any], contents: Any, remote: dict[str, Any] | None = None
) -> _afc.Exchange | None:
    """The AFC exchange of this call, or None when there is nothing to run (no Python function
    or MCP tool among the tools, or AFC off): the call is then made once, as given."""
    setting = arguments.pop("automatic_function_calling", None)
    tools = arguments.get("tools")
    if setting is None and not remote and (tools is None or isinstance(tools, NotGiven)):
        return None  # no tool at all: nothing to run
    afc = _afc.Afc.of(setting)
    try:
        functions = {**_afc.callable_tools(arguments.get("tools")), **(remote or {})}
    except TypeError:  # a function that cannot be declared: building the request names it
        return None
    if not functions or afc.max_calls <= 1:
        return None
    return _afc.Exchange(_turns(contents), afc, functions)


def _sessions(arguments: dict[str, Any]) -> list[Any]:
    """The MCP sessions among the tools (`_mcp` is imported only when one may be there)."""
    tools = arguments.get("tools")
    if not tools or isinstance(tools, NotGiven):
        return []
    maybe = [t for t in tools if hasattr(t, "list_tools") and hasattr(t, "call_tool")]
    if not maybe:
        return []
    from ._mcp import is_mcp_session

    return [t for t in maybe if is_mcp_session(t)]


def _refuse_sessions(arguments: dict[str, Any]) -> None:
    if _sessions(arguments):
        raise TypeError("an MCP ClientSession is asynchronous: use it with AsyncClient")


async def _list_mcp_tools(arguments: dict[str, Any]) -> dict[str, Any]:
    """The MCP sessions among the tools replaced by their tools' declarations; their tools as
    `RemoteTool`s for AFC (tool resolution, `lib/_afc.py`)."""
    sessions = _sessions(arguments)
    if not sessions:
        return {}
    from ._mcp import McpToolset

    toolset = await McpToolset.load(sessions)
    rest = [t for t in arguments["tools"] if not any(t is s for s in sessions)]
    arguments["tools"] = [*rest, toolset.tool]
    return {d["name"]: _afc.RemoteTool(d["name"], toolset.call) for d in toolset.declarations}


def _embed_requests(model: str, contents: Any, options: dict[str, Any]) -> list[dict[str, Any]]:
    """One `EmbedContentRequest` per content (google-genai's `contents=`: a string or a list)."""
    items = (
        [contents] if isinstance(contents, str) or not isinstance(contents, Sequence) else contents
    )
    shared = {k: v for k, v in options.items() if not k.startswith("extra_") and k != "timeout"}
    name = model if "/" in model else f"models/{model}"
    return [{"model": name, "content": item, **shared} for item in items]


def embed_arguments(where: str, config: Any, options: dict[str, Any]) -> dict[str, Any]:
    """`embed_content`'s options from `config=` (the API's `EmbedContentConfig` or a dict): the
    request's own fields as they are, the others into `embed_content_config`."""
    from .. import types

    params = {k: None for k in _keys(_models.EmbedContentOptions)}
    inner = frozenset(types.EmbedContentConfig.model_fields) - params.keys()
    return config_arguments(where, config, params, options, nested=("embed_content_config", inner))


def count_arguments(where: str, model: str, config: Any, options: dict[str, Any]) -> dict[str, Any]:
    """`count_tokens`'s arguments: with `config=` (google-genai's `CountTokensConfig`), the
    tokens of the `generate_content` request it describes (`generate_content_request`)."""
    if config is None:
        return options
    contents = options.pop("contents", NOT_GIVEN)
    request = generate_arguments(where, config, {})
    request.pop("automatic_function_calling", None)
    full = {"model": model if "/" in model else f"models/{model}", **request}
    if not isinstance(contents, NotGiven):
        full["contents"] = contents
    return {"generate_content_request": full, **options}


@dataclass(frozen=True)
class GeneratedImage:
    """One Imagen image: its bytes and MIME type, and the typed prediction it came from."""

    data: bytes
    mime_type: str
    prediction: types.GeneratedImagePrediction


_GOOGLE_GENAI_MEDIA_NAMES = {
    # google-genai's GenerateImagesConfig / GenerateVideosConfig names -> the wire's
    "number_of_images": ("sampleCount",),
    "number_of_videos": ("sampleCount",),
    "safety_filter_level": ("safetySetting",),
    "output_mime_type": ("outputOptions", "mimeType"),
    "output_compression_quality": ("outputOptions", "compressionQuality"),
}


def media_config(config: Any) -> dict[str, Any]:
    """An Imagen / Veo `config=` (the wire's parameters model, or a dict with its names or
    google-genai's flat ones) as the wire's parameters dict."""
    if config is None:
        return {}
    if hasattr(config, "to_dict"):
        return dict(config.to_dict())
    out: dict[str, Any] = {}
    for key, value in dict(config).items():
        path = _GOOGLE_GENAI_MEDIA_NAMES.get(key)
        if path is None:
            out[key] = value
        elif len(path) == 1:
            out[path[0]] = value
        else:
            out.setdefault(path[0], {})[path[1]] = value
    return out


def _drop_unset(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None and not isinstance(v, NotGiven)}


def _image_request(prompt: str, config: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    from .. import types

    instance = types.GenerateImagesInstance(prompt=prompt).to_dict()
    return [instance], types.GenerateImagesParameters.model_validate(config).to_dict()


def _images(predictions: Sequence[Any]) -> list[GeneratedImage]:
    from .. import types

    out = []
    for i, raw in enumerate(predictions):
        try:  # the bytes field decodes the base64
            prediction = types.GeneratedImagePrediction.model_validate(raw)
        except pydantic.ValidationError as err:
            problem = describe_validation_error(err)
        else:
            if prediction.bytes_base64_encoded is not None:  # else filtered: raiFilteredReason
                mime_type = prediction.mime_type or "image/png"
                out.append(GeneratedImage(prediction.bytes_base64_encoded, mime_type, prediction))
            continue
        raise GeminiError(f"prediction {i}: {problem}")
    return out


def _video_request(prompt: str | None, image: Any, config: Any) -> tuple[list[Any], dict[str, Any]]:
    from .. import types

    if isinstance(image, (bytes, bytearray)):
        raise TypeError("image= takes a {'bytesBase64Encoded', 'mimeType'} dict or a PredictImage")
    instance = types.GenerateVideosInstance.model_validate(
        _drop_unset({"prompt": prompt, "image": image})
    )
    parameters = types.GenerateVideosParameters.model_validate(media_config(config))
    return [instance.to_dict()], parameters.to_dict()


@spelled
class Models(_models.Models):
    """Generative models, plus Imagen (``generate_images``) and Veo (``generate_videos``);
    ``generate_content`` also sets ``.parsed`` (structured output)."""

    if TYPE_CHECKING:  # google-genai's `get(model=)` and `list(config=)` (see `spelled`)

        @overload
        def get(self, *, name: str, **options: Unpack[_models.GetOptions]) -> types.Model: ...
        @overload
        def get(self, *, model: str, **options: Unpack[_models.GetOptions]) -> types.Model: ...
        def get(
            self, *, name: str = "", model: str = "", **options: Unpack[_models.GetOptions]
        ) -> types.Model: ...

        def list(
            self,
            *,
            config: _models.ListOptions | None = None,
            **options: Unpack[_models.ListOptions],
        ) -> SyncPager[types.ListModelsResponse, types.Model]: ...

    @takes(_models.GenerateContentOptions)
    def generate_content(
        self,
        *,
        model: str,
        contents: types.ContentListUnion,
        config: (
            types.GenerateContentConfig[ParsedT]
            | ParsedConfigDict[ParsedT]
            | types.GenerateContentConfigDict
            | None
        ) = None,
        automatic_function_calling: AfcSetting = None,
        **options: Unpack[_models.GenerateContentOptions],
    ) -> types.GenerateContentResponse[ParsedT]:
        """Generate an answer. Python functions among ``tools`` are run when the model calls
        them (automatic function calling, see ``lib/_afc.py``); ``config=`` takes google-genai's
        ``GenerateContentConfig`` (or its dict) besides the flat options."""
        kwargs = generate_arguments("generate_content()", config, {**options})
        kwargs.setdefault("automatic_function_calling", automatic_function_calling)
        _refuse_sessions(kwargs)
        exchange = _exchange(kwargs, contents)
        if exchange is None:
            return _generate(self, model=model, contents=contents, **kwargs)
        _afc.refuse_coroutines(exchange.functions)
        return _afc.loop(lambda c: _generate(self, model=model, contents=c, **kwargs), exchange)

    @takes(_models.StreamGenerateContentOptions)
    def stream_generate_content(
        self,
        *,
        model: str,
        contents: types.ContentListUnion,
        config: (
            types.GenerateContentConfig[ParsedT]
            | ParsedConfigDict[ParsedT]
            | types.GenerateContentConfigDict
            | None
        ) = None,
        automatic_function_calling: AfcSetting = None,
        **options: Unpack[_models.StreamGenerateContentOptions],
    ) -> Stream[types.GenerateContentResponse[ParsedT]]:
        """``generate_content`` streamed (google-genai's ``generate_content_stream``): the chunks
        of every answer; with automatic function calling, the calls run between answers."""
        kwargs = generate_arguments("stream_generate_content()", config, {**options})
        kwargs.setdefault("automatic_function_calling", automatic_function_calling)
        _refuse_sessions(kwargs)
        exchange = _exchange(kwargs, contents)
        if exchange is None:
            return _stream(self, model=model, contents=contents, **kwargs)
        _afc.refuse_coroutines(exchange.functions)
        first = _stream(self, model=model, contents=exchange.contents, **kwargs)
        first._iterator = _afc.stream_loop(
            first._iterator,
            lambda c: _stream(self, model=model, contents=c, **kwargs),
            exchange,
        )
        return first

    generate_content_stream = stream_generate_content  # google-genai's name (lib/_spellings.py)

    @overload
    def embed_content(
        self,
        *,
        model: str,
        content: types.ContentUnion,
        config: types.EmbedContentConfig | types.EmbedContentConfigDict | None = None,
        **options: Unpack[_models.EmbedContentOptions],
    ) -> types.EmbedContentResponse: ...

    @overload
    def embed_content(
        self,
        *,
        model: str,
        contents: types.ContentUnion | Sequence[types.ContentUnion],
        config: types.EmbedContentConfig | types.EmbedContentConfigDict | None = None,
        **options: Unpack[_models.EmbedContentOptions],
    ) -> types.BatchEmbedContentsResponse: ...

    @takes(_models.EmbedContentOptions)
    def embed_content(
        self,
        *,
        model: str,
        content: Any = NOT_GIVEN,
        contents: Any = NOT_GIVEN,
        config: Any = None,
        **options: Unpack[_models.EmbedContentOptions],
    ) -> types.EmbedContentResponse | types.BatchEmbedContentsResponse:
        """One embedding of ``content``; or, as google-genai, ``contents=`` (a string or a list)
        embedded one embedding each (``batchEmbedContents``; ``.embeddings`` on both answers)."""
        kwargs = embed_arguments("embed_content()", config, {**options})
        if isinstance(contents, NotGiven):
            return super().embed_content(model=model, content=content, **kwargs)
        requests = _embed_requests(model, contents, kwargs)
        extra = {k: v for k, v in kwargs.items() if k.startswith("extra_") or k == "timeout"}
        return self.batch_embed_contents(model=model, requests=cast(Any, requests), **extra)

    @takes(_models.CountTokensOptions)
    def count_tokens(
        self,
        *,
        model: str,
        config: types.CountTokensConfig | types.CountTokensConfigDict | None = None,
        **options: Unpack[_models.CountTokensOptions],
    ) -> types.CountTokensResponse:
        """Count the tokens of ``contents``; with ``config=`` (google-genai's), of the whole
        ``generate_content`` request it describes (system instruction, tools...)."""
        kwargs = count_arguments("count_tokens()", model, config, {**options})
        return super().count_tokens(model=model, **kwargs)

    def generate_images(
        self,
        *,
        model: str,
        prompt: str,
        number_of_images: int | None = None,
        aspect_ratio: str | None = None,
        person_generation: types.PersonGeneration | str | None = None,
        negative_prompt: str | None = None,
        image_size: str | None = None,
        config: types.GenerateImagesParameters | dict[str, Any] | None = None,
        extra_headers: Headers | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> builtins.list[GeneratedImage]:
        """Imagen on ``predict``: the images as bytes with their MIME types (filtered ones left
        out). ``config`` takes any other ``GenerateImagesParameters`` field."""
        params = _parameters(
            config, number_of_images, aspect_ratio, person_generation, negative_prompt, image_size
        )
        instances, parameters = _image_request(prompt, params)
        response = self.predict(
            model=model,
            instances=instances,
            parameters=parameters,
            extra_headers=extra_headers,
            timeout=timeout,
        )
        return _images(response.predictions or [])

    def generate_videos(
        self,
        *,
        model: str,
        prompt: str | None = None,
        image: types.PredictImage | dict[str, Any] | None = None,
        config: types.GenerateVideosParameters | dict[str, Any] | None = None,
        extra_headers: Headers | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> Operation[types.GenerateVideosResponse]:
        """Veo on ``predictLongRunning``: an operation; once done, each video's ``uri`` is
        downloadable with ``client.files.download``."""
        from .. import types

        instances, parameters = _video_request(prompt, image, config)
        op = self.predict_long_running(
            model=model,
            instances=instances,
            parameters=parameters,
            extra_headers=extra_headers,
            timeout=timeout,
        )
        return Operation(self._client, op.raw, response_cls=types.GenerateVideosResponse)


@spelled
class AsyncModels(_models.AsyncModels):
    """Generative models for asyncio, plus Imagen and Veo; ``generate_content`` also sets
    ``.parsed``."""

    if TYPE_CHECKING:  # google-genai's `get(model=)` and `list(config=)` (see `spelled`)

        @overload
        async def get(self, *, name: str, **options: Unpack[_models.GetOptions]) -> types.Model: ...
        @overload
        async def get(
            self, *, model: str, **options: Unpack[_models.GetOptions]
        ) -> types.Model: ...
        async def get(
            self, *, name: str = "", model: str = "", **options: Unpack[_models.GetOptions]
        ) -> types.Model: ...

        def list(
            self,
            *,
            config: _models.ListOptions | None = None,
            **options: Unpack[_models.ListOptions],
        ) -> AsyncPager[types.ListModelsResponse, types.Model]: ...

    @takes(_models.GenerateContentOptions)
    async def generate_content(
        self,
        *,
        model: str,
        contents: types.ContentListUnion,
        config: (
            types.GenerateContentConfig[ParsedT]
            | ParsedConfigDict[ParsedT]
            | types.GenerateContentConfigDict
            | None
        ) = None,
        automatic_function_calling: AfcSetting = None,
        **options: Unpack[_models.GenerateContentOptions],
    ) -> types.GenerateContentResponse[ParsedT]:
        """``Models.generate_content`` for asyncio: coroutine functions among the tools are
        awaited."""
        kwargs = generate_arguments("generate_content()", config, {**options})
        kwargs.setdefault("automatic_function_calling", automatic_function_calling)
        exchange = _exchange(kwargs, contents, await _list_mcp_tools(kwargs))
        if exchange is None:
            return await _generate_async(self, model=model, contents=contents, **kwargs)
        return await _afc.loop_async(
            lambda c: _generate_async(self, model=model, contents=c, **kwargs), exchange
        )

    @takes(_models.StreamGenerateContentOptions)
    async def stream_generate_content(
        self,
        *,
        model: str,
        contents: types.ContentListUnion,
        config: (
            types.GenerateContentConfig[ParsedT]
            | ParsedConfigDict[ParsedT]
            | types.GenerateContentConfigDict
            | None
        ) = None,
        automatic_function_calling: AfcSetting = None,
        **options: Unpack[_models.StreamGenerateContentOptions],
    ) -> AsyncStream[types.GenerateContentResponse[ParsedT]]:
        """``Models.stream_generate_content`` for asyncio."""
        kwargs = generate_arguments("stream_generate_content()", config, {**options})
        kwargs.setdefault("automatic_function_calling", automatic_function_calling)
        exchange = _exchange(kwargs, contents, await _list_mcp_tools(kwargs))
        if exchange is None:
            return await _stream_async(self, model=model, contents=contents, **kwargs)
        first = await _stream_async(self, model=model, contents=exchange.contents, **kwargs)
        first._iterator = _afc.stream_loop_async(
            first._iterator,
            lambda c: _stream_async(self, model=model, contents=c, **kwargs),
            exchange,
        )
        return first

    generate_content_stream = stream_generate_content  # google-genai's name (lib/_spellings.py)

    @overload
    async def embed_content(
        self,
        *,
        model: str,
        content: types.ContentUnion,
        config: types.EmbedContentConfig | types.EmbedContentConfigDict | None = None,
        **options: Unpack[_models.EmbedContentOptions],
    ) -> types.EmbedContentResponse: ...

    @overload
    async def embed_content(
        self,
        *,
        model: str,
        contents: types.ContentUnion | Sequence[types.ContentUnion],
        config: types.EmbedContentConfig | types.EmbedContentConfigDict | None = None,
        **options: Unpack[_models.EmbedContentOptions],
    ) -> types.BatchEmbedContentsResponse: ...

    @takes(_models.EmbedContentOptions)
    async def embed_content(
        self,
        *,
        model: str,
        content: Any = NOT_GIVEN,
        contents: Any = NOT_GIVEN,
        config: Any = None,
        **options: Unpack[_models.EmbedContentOptions],
    ) -> types.EmbedContentResponse | types.BatchEmbedContentsResponse:
        """``Models.embed_content`` for asyncio."""
        kwargs = embed_arguments("embed_content()", config, {**options})
        if isinstance(contents, NotGiven):
            return await super().embed_content(model=model, content=content, **kwargs)
        requests = _embed_requests(model, contents, kwargs)
        extra = {k: v for k, v in kwargs.items() if k.startswith("extra_") or k == "timeout"}
        return await self.batch_embed_contents(model=model, requests=cast(Any, requests), **extra)

    @takes(_models.CountTokensOptions)
    async def count_tokens(
        self,
        *,
        model: str,
        config: types.CountTokensConfig | types.CountTokensConfigDict | None = None,
        **options: Unpack[_models.CountTokensOptions],
    ) -> types.CountTokensResponse:
        """``Models.count_tokens`` for asyncio."""
        kwargs = count_arguments("count_tokens()", model, config, {**options})
        return await super().count_tokens(model=model, **kwargs)

    async def generate_images(
        self,
        *,
        model: str,
        prompt: str,
        number_of_images: int | None = None,
        aspect_ratio: str | None = None,
        person_generation: types.PersonGeneration | str | None = None,
        negative_prompt: str | None = None,
        image_size: str | None = None,
        config: types.GenerateImagesParameters | dict[str, Any] | None = None,
        extra_headers: Headers | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> builtins.list[GeneratedImage]:
        """Imagen on ``predict``: the images as bytes with their MIME types."""
        params = _parameters(
            config, number_of_images, aspect_ratio, person_generation, negative_prompt, image_size
        )
        instances, parameters = _image_request(prompt, params)
        response = await self.predict(
            model=model,
            instances=instances,
            parameters=parameters,
            extra_headers=extra_headers,
            timeout=timeout,
        )
        return _images(response.predictions or [])

    async def generate_videos(
        self,
        *,
        model: str,
        prompt: str | None = None,
        image: types.PredictImage | dict[str, Any] | None = None,
        config: types.GenerateVideosParameters | dict[str, Any] | None = None,
        extra_headers: Headers | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> AsyncOperation[types.GenerateVideosResponse]:
        """Veo on ``predictLongRunning``: an operation; the videos download with ``files.download``."""
        from .. import types

        instances, parameters = _video_request(prompt, image, config)
        op = await self.predict_long_running(
            model=model,
            instances=instances,
            parameters=parameters,
            extra_headers=extra_headers,
            timeout=timeout,
        )
        return AsyncOperation(self._client, op.raw, response_cls=types.GenerateVideosResponse)


def _parameters(
    config: Any,
    number_of_images: int | None,
    aspect_ratio: str | None,
    person_generation: Any,
    negative_prompt: str | None,
    image_size: str | None,
) -> dict[str, Any]:
    base = media_config(config)
    named = {
        "sampleCount": number_of_images,
        "aspectRatio": aspect_ratio,
        "personGeneration": person_generation,
        "negativePrompt": negative_prompt,
        "imageSize": image_size,
    }
    return {**base, **_drop_unset(named)}
