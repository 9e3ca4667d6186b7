"""The hand-written runtime of the generated client: HTTP, retries, errors, streams, pages."""

from typing import TYPE_CHECKING, Any

from ._base_client import AsyncAPIClient, AsyncAPIResource, SyncAPIClient, SyncAPIResource
from ._constants import (
    CONNECT_TIMEOUT,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    INITIAL_RETRY_DELAY,
    MAX_CONNECTIONS,
    MAX_RESPONSE_SIZE,
    MAX_RETRY_AFTER,
    MAX_RETRY_DELAY,
    RAW_RESPONSE_HEADER,
    SDK_VERSION,
)
from ._deadline import AsyncDeadlineTransport, DeadlineTransport, DeadlineWarning
from ._deprecation import deprecated_argument
from ._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    ArgumentError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ConflictError,
    GeminiError,
    InternalServerError,
    LiveSessionError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    UnprocessableEntityError,
    make_status_error,
)
from ._pagination import AsyncPager, SyncPager
from ._response import APIResponse, async_to_raw_response_wrapper, to_raw_response_wrapper
from ._streaming import AsyncStream, Stream
from ._types import NOT_GIVEN, Body, Headers, NotGiven, Query, RequestOptions, Timeout
from ._utils import (
    build_body,
    check_path,
    field_mask,
    path_param,
    strip_not_given,
    validate_arguments,
)

if TYPE_CHECKING:
    from ._calls import (
        AsyncBinaryResponse,
        BinaryResponse,
        async_request_empty,
        async_request_media,
        async_request_upload,
        request_empty,
        request_media,
        request_upload,
    )
    from ._models import BaseModel, Bytes, OpenEnum
    from ._operations import (
        AsyncOperation,
        Operation,
        OperationError,
        OperationNotDoneError,
        OperationTimeoutError,
        async_request_operation,
        request_operation,
    )
    from ._uploads import (
        ProgressCallback,
        UploadError,
        UploadSource,
        async_upload,
        guess_mime_type,
        upload,
    )

# Imported on first use: `BaseModel`, `Bytes` and `OpenEnum` load pydantic's model machinery; operations,
# uploads and downloads are needed only once a resource module is.
_LAZY = {
    "BaseModel": "_models",
    "Bytes": "_models",
    "OpenEnum": "_models",
    **dict.fromkeys(
        (
            "AsyncBinaryResponse",
            "BinaryResponse",
            "async_request_empty",
            "async_request_media",
            "async_request_upload",
            "request_empty",
            "request_media",
            "request_upload",
        ),
        "_calls",
    ),
    **dict.fromkeys(
        (
            "AsyncOperation",
            "Operation",
            "OperationError",
            "OperationNotDoneError",
            "OperationTimeoutError",
            "async_request_operation",
            "request_operation",
        ),
        "_operations",
    ),
    **dict.fromkeys(
        (
            "ProgressCallback",
            "UploadError",
            "UploadSource",
            "async_upload",
            "guess_mime_type",
            "upload",
        ),
        "_uploads",
    ),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CONNECT_TIMEOUT",
    "AsyncBinaryResponse",
    "AsyncDeadlineTransport",
    "AsyncOperation",
    "BinaryResponse",
    "Operation",
    "OperationError",
    "OperationNotDoneError",
    "OperationTimeoutError",
    "async_request_empty",
    "async_request_media",
    "async_request_operation",
    "async_request_upload",
    "field_mask",
    "request_empty",
    "request_media",
    "request_operation",
    "request_upload",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "INITIAL_RETRY_DELAY",
    "MAX_CONNECTIONS",
    "MAX_RESPONSE_SIZE",
    "MAX_RETRY_AFTER",
    "MAX_RETRY_DELAY",
    "NOT_GIVEN",
    "RAW_RESPONSE_HEADER",
    "SDK_VERSION",
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "ArgumentError",
    "AsyncAPIClient",
    "AsyncAPIResource",
    "AsyncPager",
    "AsyncStream",
    "AuthenticationError",
    "BadRequestError",
    "BaseModel",
    "Body",
    "Bytes",
    "ClientClosedError",
    "ConflictError",
    "DeadlineTransport",
    "DeadlineWarning",
    "GeminiError",
    "Headers",
    "InternalServerError",
    "LiveSessionError",
    "NotFoundError",
    "NotGiven",
    "OpenEnum",
    "PermissionDeniedError",
    "ProgressCallback",
    "Query",
    "RateLimitError",
    "RequestOptions",
    "ResponseTooLargeError",
    "Stream",
    "SyncAPIClient",
    "SyncAPIResource",
    "SyncPager",
    "Timeout",
    "UnprocessableEntityError",
    "UploadError",
    "UploadSource",
    "async_to_raw_response_wrapper",
    "async_upload",
    "build_body",
    "validate_arguments",
    "deprecated_argument",
    "check_path",
    "guess_mime_type",
    "make_status_error",
    "path_param",
    "strip_not_given",
    "to_raw_response_wrapper",
    "upload",
]
