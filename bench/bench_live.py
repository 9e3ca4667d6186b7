"""7. Live API: 1,000 small text turns over one WebSocket session (raw: `websockets` and dicts).

The server (a subprocess, so it runs on the other core) answers the setup with setupComplete and
every later client message with ``PIECES`` serverContent messages of model text and one with
turnComplete, as binary frames like Google's server. Each client reads every message of every turn:
typed for both SDKs, ``json.loads`` for raw websockets, and checks the text it got.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from _common import API_KEY, fail, goal_line, quick, report, require, summarise, table

TURNS = quick(1000, 100)
PIECES = 2
ROUNDS = quick(7, 2)
GOAL = 1.2
MODEL = "gemini-live-2.5-flash-preview"
BASELINE = "raw websockets"
PATH = "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent"
PIECE_TEXTS = [f"piece {i} of the answer. " for i in range(PIECES)]
EXPECTED = "".join(PIECE_TEXTS)


def piece(text: str) -> bytes:
    return json.dumps(
        {"serverContent": {"modelTurn": {"role": "model", "parts": [{"text": text}]}}}
    ).encode()


async def _serve(cert: str, key: str) -> None:
    import ssl

    from websockets.asyncio.server import serve

    answer = [piece(t) for t in PIECE_TEXTS] + [
        json.dumps({"serverContent": {"turnComplete": True}}).encode()
    ]

    async def handle(ws) -> None:  # type: ignore[no-untyped-def]
        if ws.request.path != PATH or ws.request.headers.get("x-goog-api-key") != API_KEY:
            await ws.close(1008, "bad path or key")
            return
        setup = json.loads(await ws.recv())
        if "setup" not in setup:
            await ws.close(1007, "setup must come first")
            return
        await ws.send(b'{"setupComplete": {}}')
        async for _ in ws:
            for message in answer:
                await ws.send(message)

    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    async with (
        serve(handle, "127.0.0.1", 0) as plain,
        serve(handle, "127.0.0.1", 0, ssl=tls) as secure,
    ):
        print(plain.sockets[0].getsockname()[1], secure.sockets[0].getsockname()[1], flush=True)
        await asyncio.Event().wait()


@contextmanager
def serve() -> Iterator[tuple[str, str]]:
    """The Live server in a subprocess, over ws:// and wss:// (a throwaway certificate for 127.0.0.1,
    trusted through SSL_CERT_FILE); yields both base URLs (``http``/``https``, as clients take them).
    """
    with tempfile.TemporaryDirectory() as tmp:
        cert, key = f"{tmp}/cert.pem", f"{tmp}/key.pem"
        try:
            subprocess.run(
                [
                    "openssl",
                    "req",
                    "-x509",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-days",
                    "1",
                    "-keyout",
                    key,
                    "-out",
                    cert,
                    "-subj",
                    "/CN=127.0.0.1",
                    "-addext",
                    "subjectAltName=IP:127.0.0.1",
                ],
                check=True,
                capture_output=True,
                timeout=60,
            )
        except (OSError, subprocess.SubprocessError) as err:
            fail(f"cannot make a TLS certificate with openssl: {err}")
        os.environ["SSL_CERT_FILE"] = cert  # read by ssl.create_default_context() and google-genai
        proc = subprocess.Popen(
            [sys.executable, str(Path(__file__)), "--serve", cert, key],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            ports = (proc.stdout.readline() if proc.stdout else "").split()
            if len(ports) != 2 or not all(p.isdigit() for p in ports):
                fail(f"the Live server did not start (exit code {proc.poll()}, said {ports!r})")
            yield f"http://127.0.0.1:{ports[0]}", f"https://127.0.0.1:{ports[1]}"
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def turn_message(i: int) -> dict[str, object]:
    return {
        "clientContent": {
            "turns": [{"role": "user", "parts": [{"text": f"turn {i}"}]}],
            "turnComplete": True,
        }
    }


def contenders(base_url: str) -> dict[str, Callable[[], Awaitable[int]]]:
    """One session of ``TURNS`` turns per client against ``base_url``; each returns the good turns."""
    websockets_client = require("websockets.asyncio.client")
    gemini_client = require("gemini_client")
    genai = require("google.genai")
    gtypes = require("google.genai.types")
    ws_url = base_url.replace("http", "ws", 1) + PATH

    async def raw() -> int:
        async with websockets_client.connect(
            ws_url, additional_headers={"x-goog-api-key": API_KEY}
        ) as ws:
            setup = {
                "setup": {
                    "model": f"models/{MODEL}",
                    "generationConfig": {"responseModalities": ["TEXT"]},
                }
            }
            await ws.send(json.dumps(setup))
            if "setupComplete" not in json.loads(await ws.recv(decode=False)):
                fail("raw websockets: no setupComplete")
            good = 0
            for i in range(TURNS):
                await ws.send(json.dumps(turn_message(i)))
                texts = []
                while True:
                    message = json.loads(await ws.recv(decode=False))
                    content = message.get("serverContent", {})
                    for part in content.get("modelTurn", {}).get("parts", []):
                        if "text" in part:
                            texts.append(part["text"])
                    if content.get("turnComplete"):
                        break
                good += "".join(texts) == EXPECTED
            return good

    # Each SDK's client is made once, as a program would; each round opens a new session.
    our_client = gemini_client.AsyncClient(api_key=API_KEY, base_url=base_url)
    options = gtypes.HttpOptions(base_url=base_url, api_version="v1beta")
    google_client = genai.Client(api_key=API_KEY, http_options=options)

    async def ours() -> int:
        config = {"generation_config": {"response_modalities": ["TEXT"]}}
        async with our_client.live.connect(model=MODEL, config=config) as session:
            good = 0
            for i in range(TURNS):
                await session.send_client_content(turns=f"turn {i}")
                good += await session.receive_text() == EXPECTED
            return good

    async def google() -> int:
        async with google_client.aio.live.connect(
            model=MODEL, config={"response_modalities": ["TEXT"]}
        ) as session:
            good = 0
            for i in range(TURNS):
                await session.send_client_content(
                    turns=gtypes.Content(role="user", parts=[gtypes.Part(text=f"turn {i}")])
                )
                texts = [m.text async for m in session.receive() if m.text is not None]
                good += "".join(texts) == EXPECTED
            return good

    clients: dict[str, Callable[[], Awaitable[int]]] = {BASELINE: raw, "gemini_client": ours}
    if base_url.startswith("https"):  # google-genai always speaks wss://, whatever the base URL
        clients["google-genai"] = google
    return clients


def run(base_url: str) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, float]]]:
    """Wall-clock and client CPU time of each contender: ``ROUNDS`` interleaved rounds, the order
    rotated per round. CPU time (this process only; the server is another) is the steadier measure
    of a client's own cost on a shared machine."""
    sessions = contenders(base_url)
    for name, session in sessions.items():  # warm up, and check every turn's text arrives
        if (got := asyncio.run(session())) != TURNS:
            fail(f"{name} read the expected text in {got} of {TURNS} turns ({base_url})")
    names = list(sessions)
    wall: dict[str, list[float]] = {n: [] for n in names}
    cpu: dict[str, list[float]] = {n: [] for n in names}
    for r in range(ROUNDS):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            w0, c0 = time.perf_counter(), time.process_time()
            asyncio.run(sessions[name]())
            wall[name].append(time.perf_counter() - w0)
            cpu[name].append(time.process_time() - c0)
    return summarise(wall, baseline=BASELINE), summarise(cpu, baseline=BASELINE)


def main() -> None:
    with serve() as (plain, secure):
        tls_wall, tls_cpu = run(secure)
        plain_wall, plain_cpu = run(plain)

    def show(rows: dict[str, dict[str, float]]) -> str:
        return table(rows, per=f" /{TURNS} turns").replace("raw httpx", BASELINE)

    body = (
        f"One Live session per round: setup, then {TURNS} text turns, each answered with {PIECES + 1} "
        f"serverContent messages ({PIECES} of text, then turnComplete); {ROUNDS} rounds interleaved. "
        "Every message parsed (typed for both SDKs, `json.loads` for raw websockets). Wall-clock time, "
        "then the client process's CPU time (the server is another process): on a shared machine the "
        "CPU time is the steadier measure of what a client costs.\n\n"
        "Over `wss://` (TLS, as in production; google-genai always uses `wss://`, so it is only here), wall clock:\n\n"
        + show(tls_wall)
        + "\n\nOver `wss://`, client CPU time:\n\n"
        + show(tls_cpu)
        + "\n\nOver plain `ws://` (no TLS cost to dilute the client's own), wall clock:\n\n"
        + show(plain_wall)
        + "\n\nOver plain `ws://`, client CPU time:\n\n"
        + show(plain_cpu)
        + "\n\n"
        + goal_line(
            "gemini_client",
            plain_wall["gemini_client"]["ratio"],
            GOAL,
            f"x {BASELINE} (ws://, wall)",
        )
        + "\n"
        + goal_line(
            "gemini_client", plain_cpu["gemini_client"]["ratio"], GOAL, f"x {BASELINE} (ws://, CPU)"
        )
        + "\n"
        + goal_line(
            "gemini_client",
            tls_wall["gemini_client"]["ratio"],
            GOAL,
            f"x {BASELINE} (wss://, wall)",
        )
    )
    report("7. Live API", body, extra_packages=("websockets",))


if __name__ == "__main__" and sys.argv[1:2] == ["--serve"]:
    try:
        asyncio.run(_serve(*sys.argv[2:4]))
    except KeyboardInterrupt:
        pass
elif __name__ == "__main__":
    main()
