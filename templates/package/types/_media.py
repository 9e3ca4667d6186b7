"""Image and audio output: a part's inline data as a Pillow image or a file.

Pillow is optional (the `images` extra): it is imported only by `as_image`, and a clear error says
how to install it when it is missing.
"""

from __future__ import annotations

import io
import os
from typing import Any

__all__ = ["as_image", "save"]


def _inline(part: Any) -> tuple[bytes, str] | None:
    blob = part.inline_data
    if blob is None or blob.data is None:
        return None
    return blob.data, blob.mime_type or ""


def as_image(part: Any) -> Any:
    """The part's (a `Part`) inline image opened with Pillow, or None when it holds no image."""
    inline = _inline(part)
    if inline is None or not inline[1].startswith("image/"):
        return None
    try:  # by name, which mypy does not follow: Pillow is not analysed in every user's project
        pillow = __import__("PIL.Image", fromlist=["open"])
    except ImportError:
        raise ImportError(
            "Part.as_image() needs Pillow (an optional dependency: pip install pillow);"
            " part.inline_data.data holds the bytes without it"
        ) from None
    image = pillow.open(io.BytesIO(inline[0]))
    image.load()
    return image


def save(part: Any, path: str | os.PathLike[str]) -> None:
    """Write the part's inline bytes to `path` (a part without inline data is an error)."""
    inline = _inline(part)
    if inline is None:
        raise ValueError(
            "this part holds no inline data (text, a file reference...): nothing to save"
        )
    with open(path, "wb") as f:
        f.write(inline[0])
