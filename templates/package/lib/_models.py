"""``client.models`` with Imagen, Veo and ``.parsed`` on ``generate_content`` answers.

```py
images = client.models.generate_images(model="imagen-4.0-generate-001", prompt="a robot", number_of_images=2)
images[0].data, images[0].mime_type            # bytes, "image/png"
op = client.models.generate_videos(model="veo-3.0-generate-001", prompt="a sunrise")
video = op.wait(timeout=600).generate_video_response.generated_samples[0].video
client.files.download(video.uri, to="sunrise.mp4")
```
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pydantic

from .._core import (
    NOT_GIVEN,
    AsyncOperation,
    GeminiError,
    Headers,
    NotGiven,
    Operation,
    Timeout,
)
from .._core._exceptions import describe_validation_error
from ..resources import models as _models
from ._structured import parses, parses_async, parses_stream, parses_stream_async

if TYPE_CHECKING:
    from .. import types

__all__ = ["AsyncModels", "GeneratedImage", "Models"]


@dataclass(frozen=True)
class GeneratedImage:
    """One Imagen image: its bytes and MIME type, and the typed prediction it came from."""

    data: bytes
    mime_type: str
    prediction: types.GeneratedImagePrediction


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
    parameters = types.GenerateVideosParameters.model_validate(config or {})
    return [instance.to_dict()], parameters.to_dict()


class Models(_models.Models):
    """Generative models, plus Imagen (``generate_images``) and Veo (``generate_videos``);
    ``generate_content`` also sets ``.parsed`` (structured output)."""

    generate_content = parses(_models.Models.generate_content)
    stream_generate_content = parses_stream(_models.Models.stream_generate_content)

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
    ) -> list[GeneratedImage]:
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


class AsyncModels(_models.AsyncModels):
    """Generative models for asyncio, plus Imagen and Veo; ``generate_content`` also sets
    ``.parsed``."""

    generate_content = parses_async(_models.AsyncModels.generate_content)
    stream_generate_content = parses_stream_async(_models.AsyncModels.stream_generate_content)

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
    ) -> list[GeneratedImage]:
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
    base = config.to_dict() if hasattr(config, "to_dict") else dict(config or {})
    named = {
        "sampleCount": number_of_images,
        "aspectRatio": aspect_ratio,
        "personGeneration": person_generation,
        "negativePrompt": negative_prompt,
        "imageSize": image_size,
    }
    return {**base, **_drop_unset(named)}
