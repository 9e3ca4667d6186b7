"""Hand-written stand-ins for generated code: a few models, one resource, sync and async clients."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from pydantic import Field

from gemini_client._core import (
    NOT_GIVEN,
    AsyncAPIClient,
    AsyncAPIResource,
    AsyncPager,
    AsyncStream,
    BaseModel,
    Body,
    Headers,
    NotGiven,
    OpenEnum,
    Query,
    RequestOptions,
    Stream,
    SyncAPIClient,
    SyncAPIResource,
    SyncPager,
    Timeout,
    async_to_raw_response_wrapper,
    build_body,
    path_param,
    strip_not_given,
    to_raw_response_wrapper,
)

KEY = "AIzaSy-test-secret-key-0123456789"
AUTH_HEADER = "x-goog-api-key"
GENERATE = "/v1beta/models/gemini-test:generateContent"
STREAM = "/v1beta/models/gemini-test:streamGenerateContent"
LIST = "/v1beta/models"


class FinishReason(OpenEnum):
    FINISH_REASON_UNSPECIFIED = "FINISH_REASON_UNSPECIFIED"
    STOP = "STOP"
    MAX_TOKENS = "MAX_TOKENS"


class Part(BaseModel):
    text: str | None = None
    inline_data: dict[str, Any] | None = Field(default=None, alias="inlineData")


class Content(BaseModel):
    role: str | None = None
    parts: list[Part] | None = None


class Candidate(BaseModel):
    content: Content | None = None
    finish_reason: FinishReason | None = Field(default=None, alias="finishReason")


class GenerateContentResponse(BaseModel):
    candidates: list[Candidate] | None = None
    response_id: str | None = Field(default=None, alias="responseId")

    @property
    def text(self) -> str:
        return "".join(
            p.text or ""
            for c in self.candidates or []
            for p in (c.content and c.content.parts) or []
        )


class GenerationConfig(BaseModel):
    temperature: float | None = None
    max_output_tokens: int | None = Field(default=None, alias="maxOutputTokens")


class GenerateContentRequest(BaseModel):
    contents: list[Content]
    generation_config: GenerationConfig | None = Field(default=None, alias="generationConfig")


class Model(BaseModel):
    name: str
    display_name: str | None = Field(default=None, alias="displayName")


class ListModelsResponse(BaseModel):
    models: list[Model] | None = None
    next_page_token: str | None = Field(default=None, alias="nextPageToken")


def reply(text: str, **extra: Any) -> dict[str, Any]:
    """A GenerateContentResponse on the wire."""
    return {
        "candidates": [{"content": {"role": "model", "parts": [{"text": text}]}, **extra}],
        "responseId": "r1",
    }


def _options(
    extra_headers: Headers | None,
    extra_query: Query | None,
    extra_body: Body | None,
    timeout: Timeout | NotGiven,
) -> RequestOptions:
    return RequestOptions(
        extra_headers=extra_headers, extra_query=extra_query, extra_body=extra_body, timeout=timeout
    )


class Models(SyncAPIResource):
    @cached_property
    def with_raw_response(self) -> ModelsWithRawResponse:
        return ModelsWithRawResponse(self)

    def generate_content(
        self,
        model: str,
        *,
        contents: list[Content] | list[dict[str, Any]],
        generation_config: GenerationConfig | dict[str, Any] | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> GenerateContentResponse:
        return self._client.request(
            "POST",
            f"v1beta/{path_param(model, name='model', prefix='models/')}:generateContent",
            cast_to=GenerateContentResponse,
            body=build_body(
                GenerateContentRequest,
                {"contents": contents, "generation_config": generation_config},
            ),
            options=_options(extra_headers, extra_query, extra_body, timeout),
        )

    def stream_generate_content(
        self,
        model: str,
        *,
        contents: list[Content] | list[dict[str, Any]],
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> Stream[GenerateContentResponse]:
        return self._client.stream(
            "POST",
            f"v1beta/{path_param(model, name='model', prefix='models/')}:streamGenerateContent",
            cast_to=GenerateContentResponse,
            body=build_body(GenerateContentRequest, {"contents": contents}),
            options=_options(extra_headers, extra_query, extra_body, timeout),
        )

    def list(
        self,
        *,
        page_size: int | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> SyncPager[ListModelsResponse, Model]:
        return self._client.paginate(
            "GET",
            "v1beta/models",
            page_cls=ListModelsResponse,
            items="models",
            query=strip_not_given({"pageSize": page_size}),
            options=_options(extra_headers, extra_query, extra_body, timeout),
        )


class ModelsWithRawResponse:
    def __init__(self, models: Models) -> None:
        self.generate_content = to_raw_response_wrapper(models.generate_content)
        self.stream_generate_content = to_raw_response_wrapper(models.stream_generate_content)


class AsyncModels(AsyncAPIResource):
    @cached_property
    def with_raw_response(self) -> AsyncModelsWithRawResponse:
        return AsyncModelsWithRawResponse(self)

    async def generate_content(
        self,
        model: str,
        *,
        contents: list[Content] | list[dict[str, Any]],
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> GenerateContentResponse:
        return await self._client.request(
            "POST",
            f"v1beta/{path_param(model, name='model', prefix='models/')}:generateContent",
            cast_to=GenerateContentResponse,
            body=build_body(GenerateContentRequest, {"contents": contents}),
            options=_options(extra_headers, extra_query, extra_body, timeout),
        )

    async def stream_generate_content(
        self,
        model: str,
        *,
        contents: list[Content] | list[dict[str, Any]],
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> AsyncStream[GenerateContentResponse]:
        return await self._client.stream(
            "POST",
            f"v1beta/{path_param(model, name='model', prefix='models/')}:streamGenerateContent",
            cast_to=GenerateContentResponse,
            body=build_body(GenerateContentRequest, {"contents": contents}),
            options=_options(extra_headers, extra_query, extra_body, timeout),
        )

    def list(
        self,
        *,
        page_size: int | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> AsyncPager[ListModelsResponse, Model]:
        return self._client.paginate(
            "GET",
            "v1beta/models",
            page_cls=ListModelsResponse,
            items="models",
            query=strip_not_given({"pageSize": page_size}),
            options=_options(extra_headers, extra_query, extra_body, timeout),
        )


class AsyncModelsWithRawResponse:
    def __init__(self, models: AsyncModels) -> None:
        self.generate_content = async_to_raw_response_wrapper(models.generate_content)
        self.stream_generate_content = async_to_raw_response_wrapper(models.stream_generate_content)


class Client(SyncAPIClient):
    def __init__(self, *, api_key: str, base_url: str, **kwargs: Any) -> None:
        super().__init__(api_key=api_key, base_url=base_url, auth_header=AUTH_HEADER, **kwargs)

    @cached_property
    def models(self) -> Models:
        return Models(self)


class AsyncClient(AsyncAPIClient):
    def __init__(self, *, api_key: str, base_url: str, **kwargs: Any) -> None:
        super().__init__(api_key=api_key, base_url=base_url, auth_header=AUTH_HEADER, **kwargs)

    @cached_property
    def models(self) -> AsyncModels:
        return AsyncModels(self)
