"""Errors of the helpers layer (importing this module costs nothing: no models are built)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._core import APIError

if TYPE_CHECKING:
    from .. import types

__all__ = ["FileProcessingError"]


class FileProcessingError(APIError):
    """The service could not process an uploaded file: its state is ``FAILED``."""

    file: types.File

    def __init__(self, file: types.File) -> None:
        error = file.error
        message = (error.message if error is not None else None) or "processing failed"
        super().__init__(f"file {file.name} is FAILED: {message}", body=file.to_dict())
        self.file = file
