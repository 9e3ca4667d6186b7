"""JSON Lines read as they arrive: one object per line, never the whole file in memory."""

from __future__ import annotations

import json
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from typing import Any

from .._core import GeminiError

__all__ = ["aiter_jsonl", "iter_jsonl"]


class _Lines:
    """Splits byte chunks into lines; a line may span chunks (its pieces are joined once, when it
    ends, so a long line costs linear time)."""

    def __init__(self) -> None:
        self._pieces: list[bytes] = []
        self._number = 0

    def feed(self, chunk: bytes) -> Iterator[Any]:
        if b"\n" not in chunk:
            self._pieces.append(chunk)
            return
        first, *lines, rest = chunk.split(b"\n")
        self._pieces.append(first)
        line = b"".join(self._pieces)
        self._pieces = [rest]
        yield from self._parse(line)
        for line in lines:
            yield from self._parse(line)

    def close(self) -> Iterator[Any]:
        line = b"".join(self._pieces)
        self._pieces = []
        yield from self._parse(line)

    def _parse(self, line: bytes) -> Iterator[Any]:
        self._number += 1
        if not line.strip():
            return
        try:
            value = json.loads(line)
        except RecursionError:
            problem = "nested too deep"
        except ValueError as err:
            problem = f"not JSON: {err}"
        else:
            yield value
            return
        raise GeminiError(f"JSONL line {self._number} is {problem}")


def iter_jsonl(chunks: Iterable[bytes]) -> Iterator[Any]:
    """The JSON value of each non-blank line of ``chunks``."""
    lines = _Lines()
    for chunk in chunks:
        yield from lines.feed(chunk)
    yield from lines.close()


async def aiter_jsonl(chunks: AsyncIterable[bytes]) -> AsyncIterator[Any]:
    """The async twin of ``iter_jsonl``."""
    lines = _Lines()
    async for chunk in chunks:
        for value in lines.feed(chunk):
            yield value
    for value in lines.close():
        yield value
