"""A loopback server that speaks Google's resumable upload protocol and stores the bytes exactly.

``UploadServer`` implements the Files API's upload side the way the service behaves:

- ``POST /upload/v1beta/files`` with ``X-Goog-Upload-Command: start`` opens a session and answers
  its ``X-Goog-Upload-URL``;
- that URL takes ``upload`` / ``upload, finalize`` (the ``X-Goog-Upload-Offset`` must be what the
  server holds, else 400) and ``query`` (``X-Goog-Upload-Size-Received``);
- the finalize answer is ``{"file": {...}}``; ``GET /v1beta/files/{id}`` and
  ``GET /v1beta/files/{id}:download?alt=media`` serve what was stored;
- ``POST /raw`` stores a plain request body (the benchmark's one-request baseline);
- ``script(method, path, *replies)``: canned answers (JSON, or bytes as a download) for the rest of
  the API, taken in order before any of the above.

Every body byte read off the wire is counted (``Session.wire_bytes``), so a test can assert that
each byte arrived exactly once. Faults are scripted on the server:

- ``drop_at``: absolute offsets; the first chunk that crosses one is stored up to it, then the
  connection is dropped without an answer (each offset fires once);
- ``drop_loses``: bytes the server loses from what it stored at each drop (it then answers
  ``query`` with less than it had read: the client must send them again);
- ``stall_at``: an offset at which the server stores what came and then stops reading, never
  answering (until the next ``reset`` or ``stop``, which drop the connection);
- ``chunk_statuses``: statuses (or ``(status, headers)``) answered to the next chunk requests
  instead of storing them;
- ``query_offset``: what ``query`` claims, whatever the server holds (a server that lies), or a
  function of the session giving it;
- ``answer_delay``: seconds the server waits after a chunk's bytes before answering it;
- ``truncate_answers``: how many of the next chunk answers are cut off halfway through their body
  (the bytes were stored; only the answer is lost).

It is a plain asyncio server (no framework) so that it costs little next to the client: the
benchmark runs it in a subprocess with ``python upload_server.py --serve DIR``.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import sys
import tempfile
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

__all__ = ["Session", "UploadServer"]

_PIECE = 1 << 20


@dataclass
class Session:
    """One resumable upload."""

    id: str
    size: int
    mime_type: str
    display_name: str | None
    path: Path
    stored: int = 0
    wire_bytes: int = 0
    """Body bytes received for this session, including those of requests that failed."""
    commands: list[str] = field(default_factory=list)
    final: bool = False
    sha256: Any = field(default_factory=hashlib.sha256)

    def resource(self) -> dict[str, Any]:
        name = f"files/{self.id}"
        return {
            "name": name,
            "displayName": self.display_name,
            "mimeType": self.mime_type,
            "sizeBytes": str(self.stored),
            "sha256Hash": base64.b64encode(self.sha256.digest()).decode(),
            "uri": f"{{base}}/v1beta/{name}",
            "state": "ACTIVE",
            "source": "UPLOADED",
        }


class _Drop(Exception):
    """Drop the connection without an answer."""


class _Truncated(Exception):
    """Send the first ``len(args[0])`` bytes of an answer, then drop the connection."""


class UploadServer:
    def __init__(self, directory: Path | None = None, *, store: bool = True) -> None:
        self.store = store
        """False: keep only the size and SHA-256 of each upload (the benchmark)."""
        self._tmp = None if directory else tempfile.TemporaryDirectory()
        self.directory = directory or Path(self._tmp.name)  # type: ignore[union-attr]
        self.sessions: dict[str, Session] = {}
        self.raw_bytes = 0
        self.drop_at: set[int] = set()
        self.drop_loses = 0
        self.stall_at: int | None = None
        self.chunk_statuses: deque[int | tuple[int, dict[str, str]]] = deque()
        self.query_offset: int | Callable[[Session], int] | None = None
        self.answer_delay = 0.0
        self.truncate_answers = 0
        self.granularity: int | None = None
        self.upload_host: str | None = None
        """Answer upload URLs on this host:port instead of the server's own."""
        self._stalls: set[asyncio.Event] = set()
        self.headers_seen: list[dict[str, str]] = []
        self.calls: list[str] = []
        """``"METHOD /path"`` of every request, in order."""
        self._scripted: dict[str, deque[Any]] = {}
        self._writers: set[asyncio.StreamWriter] = set()
        self.url = ""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle -------------------------------------------------------------------------

    def start(self) -> UploadServer:
        """Serve in a background thread (tests)."""
        ready = threading.Event()

        def run() -> None:
            self._loop = asyncio.new_event_loop()
            self._loop.run_until_complete(self._listen())
            ready.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("upload server did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None:
            asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)
        if self._loop is not None:
            self._loop.close()
        if self._tmp is not None:
            self._tmp.cleanup()

    async def _shutdown(self) -> None:
        """Close the listener and every open connection, then let their handlers end."""
        self._release_stalls()
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=2)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

    def _release_stalls(self) -> None:
        for stall in self._stalls:
            stall.set()
        self._stalls.clear()

    def reset(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._release_stalls)
        for session in self.sessions.values():
            session.path.unlink(missing_ok=True)
        self.sessions.clear()
        self.raw_bytes = 0
        self.drop_at = set()
        self.drop_loses = 0
        self.stall_at = None
        self.chunk_statuses.clear()
        self.query_offset = None
        self.answer_delay = 0.0
        self.truncate_answers = 0
        self.granularity = None
        self.upload_host = None
        self.headers_seen.clear()
        self.calls.clear()
        self._scripted.clear()

    def script(self, method: str, path: str, *replies: Any) -> None:
        """Answer ``method path`` with ``replies`` in order: a JSON value, or bytes (a download)."""
        self._scripted.setdefault(f"{method} {path}", deque()).extend(replies)

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0, limit=1 << 20)
        self.url = f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"

    def stored(self, session_id: str | None = None) -> bytes:
        """The bytes stored for a session (the only one when not named)."""
        session = self.sessions[session_id] if session_id else self.only()
        return session.path.read_bytes()

    def only(self) -> Session:
        (session,) = self.sessions.values()
        return session

    # --- HTTP ------------------------------------------------------------------------------

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                    return
                lines = head.decode("latin-1").split("\r\n")
                method, target, _ = lines[0].split(" ", 2)
                headers: dict[str, str] = {}
                for line in lines[1:]:
                    if line:
                        name, _, value = line.partition(":")
                        headers[name.strip().lower()] = value.strip()
                self.headers_seen.append(headers)
                status, out_headers, body = await self._route(method, target, headers, reader)
                writer.write(_response(status, out_headers, body))
                await writer.drain()
        except _Truncated as cut:
            writer.write(cut.args[0])
            await writer.drain()
            writer.transport.abort()
        except _Drop:
            writer.transport.abort()
        except ConnectionError:
            pass
        finally:
            self._writers.discard(writer)
            writer.close()

    async def _route(
        self, method: str, target: str, headers: dict[str, str], reader: asyncio.StreamReader
    ) -> tuple[int, dict[str, str], bytes]:
        split = urlsplit(target)
        query = parse_qs(split.query)
        self.calls.append(f"{method} {split.path}")
        canned = self._scripted.get(f"{method} {split.path}")
        if canned:
            await _consume(reader, headers)
            reply = canned.popleft()
            if isinstance(reply, bytes):
                return 200, {"content-type": "application/octet-stream"}, reply
            return 200, {}, json.dumps(reply).encode()
        if split.path == "/raw":
            digest = hashlib.sha256()
            self.raw_bytes += await _consume(reader, headers, digest)
            return (
                200,
                {},
                json.dumps({"sha256Hash": base64.b64encode(digest.digest()).decode()}).encode(),
            )
        if split.path == "/upload/v1beta/files" and "upload_id" in query:
            return await self._upload(query["upload_id"][0], headers, reader)
        if split.path == "/upload/v1beta/files" and method == "POST":
            return self._start(json.loads(await _read_body(reader, headers) or b"{}"), headers)
        await _consume(reader, headers)
        if split.path.startswith("/v1beta/files/") and method == "GET":
            session = self.sessions.get(split.path.removeprefix("/v1beta/files/").split(":")[0])
            if session is None or not session.final:
                return _error(404, "NOT_FOUND")
            if split.path.endswith(":download"):
                return 200, {"content-type": "application/octet-stream"}, session.path.read_bytes()
            return 200, {}, self._file_json(session)
        return _error(404, "NOT_FOUND", f"no route for {method} {split.path}")

    def _file_json(self, session: Session) -> bytes:
        return json.dumps(session.resource()).replace("{base}", self.url).encode()

    def _start(
        self, body: dict[str, Any], headers: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        if (
            headers.get("x-goog-upload-protocol") != "resumable"
            or headers.get("x-goog-upload-command") != "start"
        ):
            return _error(400, "INVALID_ARGUMENT", "not a resumable upload start")
        size = headers.get("x-goog-upload-header-content-length", "")
        mime = headers.get("x-goog-upload-header-content-type", "")
        if not size.isdigit() or not mime:
            return _error(400, "INVALID_ARGUMENT", "size and type headers are required")
        session_id = f"upload-{len(self.sessions) + 1}"
        path = self.directory / session_id
        path.write_bytes(b"")
        display = (body.get("file") or {}).get("displayName")
        self.sessions[session_id] = Session(session_id, int(size), mime, display, path)
        host = self.upload_host or self.url.removeprefix("http://")
        out = {
            "x-goog-upload-status": "active",
            "x-goog-upload-url": f"http://{host}/upload/v1beta/files?upload_id={session_id}&upload_protocol=resumable",
        }
        if self.granularity:
            out["x-goog-upload-chunk-granularity"] = str(self.granularity)
        return 200, out, b""

    async def _upload(
        self, session_id: str, headers: dict[str, str], reader: asyncio.StreamReader
    ) -> tuple[int, dict[str, str], bytes]:
        session = self.sessions.get(session_id)
        if session is None:
            await _consume(reader, headers)
            return _error(404, "NOT_FOUND", "no such upload")
        command = headers.get("x-goog-upload-command", "")
        session.commands.append(command)
        if command == "query":
            await _consume(reader, headers)
            received = self.query_offset if self.query_offset is not None else session.stored
            if callable(received):
                received = received(session)
            out = {
                "x-goog-upload-status": "final" if session.final else "active",
                "x-goog-upload-size-received": str(received),
            }
            return 200, out, self._final_body(session) if session.final else b""
        if command not in ("upload", "upload, finalize"):
            await _consume(reader, headers)
            return _error(400, "INVALID_ARGUMENT", f"unknown command {command!r}")
        if self.chunk_statuses:
            session.wire_bytes += await _consume(reader, headers)
            status = self.chunk_statuses.popleft()
            if isinstance(status, tuple):
                return status[0], status[1], b""
            return _error(status, "UNAVAILABLE", "scripted failure")
        if session.final or headers.get("x-goog-upload-offset") != str(session.stored):
            session.wire_bytes += await _consume(reader, headers)
            return _error(400, "INVALID_ARGUMENT", f"offset must be {session.stored}")
        length = int(headers.get("content-length", "0"))
        stops = [*self.drop_at, *([self.stall_at] if self.stall_at is not None else [])]
        drop = min((d for d in stops if session.stored < d < session.stored + length), default=None)
        with session.path.open("ab") as out_file:
            remaining = length if drop is None else drop - session.stored
            while remaining:
                piece = await reader.read(min(remaining, _PIECE))
                if not piece:
                    raise _Drop
                if self.store:
                    out_file.write(piece)
                session.sha256.update(piece)
                session.stored += len(piece)
                session.wire_bytes += len(piece)
                remaining -= len(piece)
        if drop is not None and drop == self.stall_at:
            stall = asyncio.Event()
            self._stalls.add(stall)
            await stall.wait()
            raise _Drop
        if drop is not None:
            self.drop_at.discard(drop)
            self._lose(session, self.drop_loses)
            raise _Drop
        await asyncio.sleep(self.answer_delay)
        if session.stored > session.size:
            return _error(400, "INVALID_ARGUMENT", "more bytes than announced")
        if command == "upload":
            answer: tuple[int, dict[str, str], bytes] = (
                200,
                {"x-goog-upload-status": "active"},
                b"",
            )
        elif session.stored != session.size:
            answer = _error(
                400, "INVALID_ARGUMENT", f"finalized at {session.stored} of {session.size}"
            )
        else:
            session.final = True
            answer = 200, {"x-goog-upload-status": "final"}, self._final_body(session)
        if self.truncate_answers:
            self.truncate_answers -= 1
            whole = _response(*answer)
            raise _Truncated(whole[: len(whole) - len(answer[2]) // 2 - 1])
        return answer

    @staticmethod
    def _lose(session: Session, n: int) -> None:
        """Forget the last ``n`` stored bytes (the file and its SHA-256 follow)."""
        if not n:
            return
        session.stored = max(0, session.stored - n)
        with session.path.open("r+b") as f:
            f.truncate(session.stored)
        session.sha256 = hashlib.sha256(session.path.read_bytes())

    def _final_body(self, session: Session) -> bytes:
        return b'{"file": ' + self._file_json(session) + b"}"


def _response(status: int, headers: dict[str, str], body: bytes) -> bytes:
    head = [f"HTTP/1.1 {status} X", f"content-length: {len(body)}"]
    if "content-type" not in headers:
        head.append("content-type: application/json")
    head += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def _error(code: int, status: str, message: str = "error") -> tuple[int, dict[str, str], bytes]:
    return (
        code,
        {},
        json.dumps({"error": {"code": code, "status": status, "message": message}}).encode(),
    )


async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str]) -> bytes:
    return await reader.readexactly(int(headers.get("content-length", "0")))


async def _consume(
    reader: asyncio.StreamReader, headers: dict[str, str], digest: Any = None
) -> int:
    """Read the body (Content-Length or chunked) into ``digest`` or nowhere; its size."""
    total = 0
    if "chunked" in headers.get("transfer-encoding", ""):
        while (size := int((await reader.readline()).split(b";")[0], 16)) > 0:
            piece = (await reader.readexactly(size + 2))[:-2]
            if digest is not None:
                digest.update(piece)
            total += size
        await reader.readline()
        return total
    remaining = int(headers.get("content-length", "0"))
    while remaining:
        piece = await reader.read(min(remaining, _PIECE))
        if not piece:
            raise _Drop
        if digest is not None:
            digest.update(piece)
        remaining -= len(piece)
        total += len(piece)
    return total


if __name__ == "__main__" and sys.argv[1:2] == ["--serve"]:
    server = UploadServer(Path(sys.argv[2]), store=False)

    async def main() -> None:
        await server._listen()
        print(server.url, flush=True)
        assert server._server is not None
        async with server._server:
            await server._server.serve_forever()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
