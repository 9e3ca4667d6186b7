"""Format generated Python with the pinned black, in process."""

from __future__ import annotations

import black

LINE_LENGTH = 100
_MODE = black.Mode(target_versions={black.TargetVersion.PY310}, line_length=LINE_LENGTH)


class FormatError(Exception):
    """Generated code that black cannot parse: a generator bug, reported with the file name."""


def format_files(files: dict[str, str]) -> dict[str, str]:
    out = {}
    for path, text in files.items():
        if path.endswith(".py"):
            try:
                text = black.format_str(text, mode=_MODE)
            except black.InvalidInput as exc:
                raise FormatError(f"{path}: generated code is not valid Python: {exc}") from None
        out[path] = text
    return out
