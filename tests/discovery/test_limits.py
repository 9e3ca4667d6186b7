"""Every Discovery input is read with bounded memory and time: files with the spec files' limits,
a URL's answer decoded with a cap, documents nested too deeply refused, and every reader linear."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from codegen.cli import main
from codegen.discovery.load import MAX_BYTES, MAX_DEPTH, DiscoveryError, parse_discovery
from codegen.discovery.text import MAX_DESCRIPTION, describe, summary
from codegen.drift import source
from codegen.drift.command import check_spec
from codegen.drift.source import check_refs, fetch
from codegen.spec.loader import load_spec

from .conftest import NEW

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))
from support.server import LoopbackServer, Reply  # noqa: E402

GIB = 2**30


def _refusal(
    argv: list[str], *, real_cli: bool, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    """Exit code and stderr of `argv` (`drift ...` or `bootstrap ...`): in a subprocess with a
    timeout where a regression would hang or crash the interpreter, else in this process."""
    if real_cli:
        module = "codegen.cli" if argv[0] == "drift" else "codegen.discovery.bootstrap"
        args = argv if argv[0] == "drift" else argv[1:]
        result = subprocess.run(
            [sys.executable, "-m", module, *args],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=REPO,
        )
        return result.returncode, result.stderr
    from codegen.discovery.bootstrap import main as bootstrap

    capsys.readouterr()
    code = main(argv) if argv[0] == "drift" else bootstrap(argv[1:])
    return code, capsys.readouterr().err


# A read of /dev/zero or of a FIFO with no writer never ends: those run as the real CLI, in a
# subprocess with a timeout. A directory or /dev/urandom (a read of it stops at the size cap) is
# safe to read in this process.
@pytest.mark.parametrize("target", ["/dev/zero", "/dev/urandom", "fifo", "directory"])
@pytest.mark.parametrize("command", ["drift", "bootstrap"])
def test_a_discovery_file_that_is_not_a_regular_file_is_refused_at_once(
    tmp_path: Path, target: str, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    if target == "fifo":
        os.mkfifo(tmp_path / "doc.json")
        path = str(tmp_path / "doc.json")
    elif target == "directory":
        path = str(tmp_path)
    else:
        path = target
    start = time.perf_counter()
    if command == "drift":
        argv = ["drift", "--spec", str(REPO / "spec"), "--discovery", path]
    else:
        argv = ["bootstrap", "--discovery", path, "--out", str(tmp_path / "spec-out")]
    code, err = _refusal(argv, real_cli=target in ("/dev/zero", "fifo"), capsys=capsys)
    assert code == 2, err
    (line,) = err.splitlines()
    assert "not a regular file" in line and path in line, line
    assert not (tmp_path / "spec-out").exists()
    assert time.perf_counter() - start < 30  # a subprocess start on a busy machine; was: forever


def test_a_discovery_file_over_the_cap_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as f:
        f.truncate(MAX_BYTES + 1)  # sparse
    assert main(["drift", "--spec", str(REPO / "spec"), "--discovery", str(big)]) == 2


def _bomb(wbits: int, gib: int = 2) -> bytes:
    """About 2 MB that inflate to `gib` GiB of zeros (identical full-flushed blocks, built in ms)."""
    c = zlib.compressobj(9, zlib.DEFLATED, wbits)
    zeros = bytes(2**20)
    head = c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)
    return head + block * (gib * 1024 - 1)


@pytest.fixture(scope="module")
def server() -> Iterator[LoopbackServer]:
    s = LoopbackServer().start()
    yield s
    s.stop()


@pytest.mark.parametrize(
    ("encoding", "wbits"),
    [("gzip", 31), ("deflate", 15), ("deflate", -15)],
    ids=["gzip", "deflate-zlib", "deflate-raw"],
)
def test_a_compression_bomb_from_the_url_ends_in_one_line_with_memory_bounded(
    server: LoopbackServer,
    tmp_path: Path,
    encoding: str,
    wbits: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Under a cap of 4 MB instead of MAX_BYTES (64 MB): the same bomb of 2 GiB, stopped as it
    inflates and held to the same multiple of the cap, without inflating 64 MB of zeros in each
    of the three (the real cap: `test_the_cli_says_the_bomb_in_one_line_exit_2`)."""
    cap = 4 * 2**20
    monkeypatch.setattr(source, "MAX_BYTES", cap)
    body = _bomb(wbits)
    assert len(body) < 3 * 2**20
    server.add("/bomb", Reply(body=body, headers={"content-encoding": encoding}))
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(DiscoveryError, match=r"larger than 4 MB once decoded"):
            fetch(f"{server.url}/bomb", cache_dir=tmp_path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 3 * cap, peak  # was 2 GiB and a MemoryError
    assert time.perf_counter() - start < 20
    assert not (tmp_path / "discovery.json").exists()


def test_the_cli_says_the_bomb_in_one_line_exit_2(
    server: LoopbackServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    server.add("/bomb", Reply(body=_bomb(31), headers={"content-encoding": "gzip"}))
    code = main(["drift", "--spec", str(REPO / "spec"), "--discovery", f"{server.url}/bomb"])
    (line,) = capsys.readouterr().err.splitlines()
    assert code == 2 and "larger than 64 MB once decoded" in line


@pytest.mark.parametrize(
    ("encoding", "wbits"), [("gzip", 31), ("deflate", 15), ("deflate", -15), ("identity", 0)]
)
def test_a_compressed_real_document_is_read(
    server: LoopbackServer, tmp_path: Path, encoding: str, wbits: int
) -> None:
    data = NEW.read_bytes()
    if wbits:
        c = zlib.compressobj(6, zlib.DEFLATED, wbits)
        data = c.compress(data) + c.flush()
    server.add("/doc", Reply(body=data, headers={"content-encoding": encoding}))
    got = fetch(f"{server.url}/doc", cache_dir=tmp_path)
    assert got.discovery.revision == "20260529"


@pytest.mark.parametrize("cut", ["truncated", "corrupt"])
def test_a_broken_compressed_body_is_one_line(
    server: LoopbackServer, tmp_path: Path, cut: str
) -> None:
    c = zlib.compressobj(6, zlib.DEFLATED, 31)
    data = c.compress(NEW.read_bytes()) + c.flush()
    data = data[: len(data) // 2] if cut == "truncated" else data[:100] + b"\xff" * 50 + data[150:]
    server.add("/doc", Reply(body=data, headers={"content-encoding": "gzip"}))
    with pytest.raises(DiscoveryError, match=r"(truncated|corrupt) gzip body"):
        fetch(f"{server.url}/doc", cache_dir=tmp_path)


def _deep(n: int) -> str:
    doc = json.loads(NEW.read_text())
    text = json.dumps(doc)
    return text[:-1] + ', "deep": ' + "[" * n + "]" * n + "}"


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 3000, 100_000])
def test_a_document_nested_too_deeply_exits_2(
    tmp_path: Path, depth: int, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "deep.json"
    doc.write_text(_deep(depth))
    argv = ["drift", "--spec", str(REPO / "spec"), "--discovery", str(doc)]
    # nested past the C stack's depth: the real CLI, where a crash would not take this process down
    code, err = _refusal(argv, real_cli=depth == 100_000, capsys=capsys)
    assert code == 2, err  # 1 would mean "drift found"
    (line,) = err.splitlines()
    assert "nested too deeply" in line


def test_a_document_just_under_the_depth_limit_is_read() -> None:
    assert parse_discovery(_deep(MAX_DEPTH - 3)).revision == "20260529"


# -- linear time --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(NEW.read_text())
    return doc


def _drift_seconds(doc: dict[str, Any]) -> float:
    spec = load_spec(REPO / "spec")
    start = time.perf_counter()
    disc = parse_discovery(json.dumps(doc))
    check_refs(disc.doc, "doc")
    check_spec(spec, disc, None)
    return time.perf_counter() - start


def test_drift_on_a_chain_of_4000_ref_aliases_is_linear(base: dict[str, Any]) -> None:
    doc = copy.deepcopy(base)
    n = 4000
    for i in range(n):
        doc["schemas"][f"Alias{i}"] = {"id": f"Alias{i}", "$ref": f"Alias{i + 1}"}
    doc["schemas"][f"Alias{n}"] = {"id": f"Alias{n}", "type": "object"}
    assert _drift_seconds(doc) < 10  # was minutes (cubic); ~1 s here


def test_a_ref_cycle_at_the_end_of_a_long_chain_is_found(base: dict[str, Any]) -> None:
    doc = copy.deepcopy(base)
    for i in range(4000):
        doc["schemas"][f"A{i}"] = {"id": f"A{i}", "$ref": f"A{i + 1}"}
    doc["schemas"]["A4000"] = {"id": "A4000", "$ref": "A3998"}
    start = time.perf_counter()
    with pytest.raises(DiscoveryError, match=r"\$ref cycle: A3998 -> A3999 -> A4000 -> A3998"):
        check_refs(doc, "doc")
    assert time.perf_counter() - start < 2


def test_drift_on_8000_schemas_with_inline_objects_is_linear(base: dict[str, Any]) -> None:
    doc = copy.deepcopy(base)
    inner = {"type": "object", "properties": {"x": {"type": "string", "enum": ["A", "B"]}}}
    for i in range(8000):
        doc["schemas"][f"S{i}"] = {
            "id": f"S{i}",
            "type": "object",
            "properties": {"inner": copy.deepcopy(inner)},
        }
        # half of them collide on the same inline name
        doc["schemas"][f"S{i}Inner"] = {"id": f"S{i}Inner", "type": "object"} if i % 2 else {}
    assert _drift_seconds(doc) < 15  # was about a minute (quadratic); ~2 s here


HOSTILE_TEXTS = [
    "Word (see a. B. c) x. " * 5000,
    "(A. " * 25_000,
    "[" * 100_000,
    "[x](" * 25_000,
    "[a][" * 25_000,
    "**a " * 25_000,
    "`A. B " * 20_000,
    "e.g. " * 20_000,
    "Required. " * 10_000 + "x",
    ". " * 50_000,
]


@pytest.mark.parametrize("text", HOSTILE_TEXTS, ids=lambda t: repr(t[:12]))
def test_a_100_kb_description_costs_milliseconds(text: str) -> None:
    start = time.perf_counter()
    out = describe(text).text
    assert time.perf_counter() - start < 2  # was minutes for some
    assert len(out) <= MAX_DESCRIPTION and len(summary(text)) <= 160


def test_the_summary_still_reads_like_before() -> None:
    assert summary("See [the docs](https://a.b/(c)d) now. Next.") == "See the docs now."
    assert summary("Use e.g. this one (a. B) here. Next.") == "Use e.g. this one (a. B) here."
    assert summary("Call `a. B` here. Then.") == "Call `a. B` here."
    assert describe("Required. Output only. The name. More.").text == "The name. More."


# -- text from the document never reaches spec/ raw ------------------------------------------------

UNSAFE = ["\u202e", "\u2066", "\u200b", "\x1b[31m", "\udc80", "\ud83d", "\ue000", "\u2028", "\x85"]


def test_unsafe_characters_in_descriptions_are_escaped_in_the_spec_written(
    base: dict[str, Any], tmp_path: Path
) -> None:
    """Bidi controls, escape sequences and lone surrogates (an undecodable character) in the
    document's prose become visible escapes; the files written are UTF-8 and load as a spec."""
    from codegen.discovery.bootstrap import main as bootstrap

    doc = copy.deepcopy(base)
    name = next(iter(doc["schemas"]))
    doc["schemas"][name]["description"] = "Evil " + "".join(UNSAFE) + " text. More."
    doc["title"] = "Gemini\u202e API"
    source = tmp_path / "doc.json"
    source.write_text(json.dumps(doc))  # ensure_ascii: the surrogates travel as \\udc80
    assert bootstrap(["--discovery", str(source), "--out", str(tmp_path / "spec")]) == 0
    written = "".join(
        p.read_bytes().decode("utf-8") for p in sorted((tmp_path / "spec").glob("*.yaml"))
    )
    for ch in UNSAFE:
        assert ch not in written, repr(ch)
    assert "Evil \\\\u202e\\\\u2066\\\\u200b\\\\x1b[31m\\\\udc80" in written or (
        "Evil \\u202e\\u2066\\u200b\\x1b[31m\\udc80" in written
    )
    assert describe("Evil \u202e x. Y").text == "Evil \\u202e x. Y"
