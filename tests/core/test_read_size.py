"""The deadline transport's socket reads: a bulk body (a download) is read in growing pieces up to
1 MiB, so httpcore and h11 run once a MiB rather than every 64 KiB; a small answer never grows them.
Counted on the stream the transport wraps, sync and async (the downloads themselves, over real
sockets, are tests/core/test_hostile_bounds.py and tests/helpers' file tests)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpcore
import pytest

from gemini_client._core._deadline import MAX_READ, _backends

ASK = 64 * 1024  # what httpcore's HTTP/1.1 connection asks for


class _Socket:
    """A connected stream holding ``body``, which records the size of every read asked of it."""

    def __init__(self, body: bytes, short_every: int = 0) -> None:
        self.body = body
        self.asked: list[int] = []
        self.short_every = short_every

    def take(self, max_bytes: int) -> bytes:
        self.asked.append(max_bytes)
        size = max_bytes
        if self.short_every and len(self.asked) % self.short_every == 0:
            size = max_bytes // 2  # the network delivered less than asked this time
        piece, self.body = self.body[:size], self.body[size:]
        return piece


class _SyncStream(httpcore.NetworkStream):
    def __init__(self, socket: _Socket) -> None:
        self.socket = socket

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.socket.take(max_bytes)


class _AsyncStream(httpcore.AsyncNetworkStream):
    def __init__(self, socket: _Socket) -> None:
        self.socket = socket

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.socket.take(max_bytes)


class _SyncBackend(httpcore.NetworkBackend):
    def __init__(self, socket: _Socket) -> None:
        self.socket = socket

    def connect_tcp(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        return _SyncStream(self.socket)


class _AsyncBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, socket: _Socket) -> None:
        self.socket = socket

    async def connect_tcp(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        return _AsyncStream(self.socket)


def _read_all(mode: str, socket: _Socket) -> bytes:
    """Read ``socket`` to its end through the deadline transport's stream, asking 64 KiB a read."""
    sync_backend, async_backend = _backends()
    if mode == "sync":
        stream = sync_backend(_SyncBackend(socket)).connect_tcp("api.test", 443)
        pieces = []
        while piece := stream.read(ASK):
            pieces.append(piece)
        return b"".join(pieces)

    async def main() -> bytes:
        stream = await async_backend(_AsyncBackend(socket)).connect_tcp("api.test", 443)
        pieces = []
        while piece := await stream.read(ASK):
            pieces.append(piece)
        return b"".join(pieces)

    return asyncio.run(main())


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_full_reads_grow_to_a_mib_and_every_byte_arrives_once(mode: str) -> None:
    body = bytes(range(256)) * (40 * 1024)  # 10 MiB
    socket = _Socket(body)
    assert _read_all(mode, socket) == body
    assert socket.asked[:6] == [ASK, 2 * ASK, 4 * ASK, 8 * ASK, MAX_READ, MAX_READ]
    assert max(socket.asked) == MAX_READ == 1 << 20
    assert len(socket.asked) < 20  # 160 at 64 KiB a read


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_short_read_starts_again_from_what_httpcore_asks(mode: str) -> None:
    body = b"x" * (3 * MAX_READ)
    socket = _Socket(body, short_every=3)
    assert _read_all(mode, socket) == body
    assert socket.asked[:4] == [ASK, 2 * ASK, 4 * ASK, ASK]  # the third read came back half full


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_small_answer_never_grows_the_reads(mode: str) -> None:
    socket = _Socket(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}")
    _read_all(mode, socket)
    assert socket.asked == [ASK, ASK]
