"""`client.models` with `.parsed` on `generate_content` answers (see `_structured`)."""

from __future__ import annotations

from ..resources import models
from ._structured import parses, parses_async

__all__ = ["AsyncModels", "Models"]


class Models(models.Models):
    __doc__ = models.Models.__doc__

    generate_content = parses(models.Models.generate_content)


class AsyncModels(models.AsyncModels):
    __doc__ = models.AsyncModels.__doc__

    generate_content = parses_async(models.AsyncModels.generate_content)
