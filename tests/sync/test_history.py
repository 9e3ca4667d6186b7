"""The real history of Google's Discovery document, replayed the way the daily workflow meets it.

- The chain: the spec as committed at revision 20260529 (`tests/data/specs/v20260529`), synced
  through every later revision in order.
- The pairs: for every two consecutive revisions, a spec bootstrapped from the older one, synced
  to the newer one (20240713 -> 20260522 is what a team that never synced for 22 months meets).

At every step: exit 0 or 1 (never 2); nothing invented (every type, resource and method sync adds
is one the document has); drift afterwards names only what sync listed for a person; a second
sync changes nothing. The generated client (generate, check, import, `mypy --strict`) is built at
the chain's end and for the largest pair, where most changed: the steps in between only add what
those build on. The chain's client is built as `codegen generate` builds it, black included, and
type-checked; the pair's is imported and compiled module by module, so black's layout, which
changes no statement, is left out of it (black formats the chain's client and every generator
test's: `tests/generator/`).
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from codegen.discovery import load
from codegen.discovery import normalise as normalise_module
from codegen.discovery.bootstrap import main as bootstrap
from codegen.drift.compare import resource_tree
from codegen.drift.names import google_name
from codegen.pipeline import Paths, check, generate
from codegen.spec import loader
from generator.conftest import black_left_out
from support import mypy_run

from .conftest import REPO, Run, snapshot

HISTORY = REPO / "tests" / "data" / "history"
START = REPO / "tests" / "data" / "specs" / "v20260529"
REVISIONS = sorted(p.name.split(".")[2] for p in HISTORY.glob("*.json.gz"))
LATER = [r for r in REVISIONS if r > "20260529"]
PAIRS = list(zip(REVISIONS, REVISIONS[1:]))
BIGGEST = ("20240713", "20260522")
TIMES: dict[str, float] = {}


def _surface(rev: str) -> tuple[object, object]:
    data = json.loads(
        gzip.decompress((HISTORY / f"generativelanguage.v1beta.{rev}.json.gz").read_bytes())
    )
    return data.get("schemas"), data.get("resources")


@functools.cache
def repeats() -> set[str]:
    """Revisions whose schemas and resources are those of the revision before (28 of the 46): in
    the chain one sync shows they change nothing (the step before proved its second sync a no-op).
    Worked out by the chain alone, not at collection by every worker; two revisions at a time, the
    parsed documents compared as they are (dicts compare whatever their order)."""
    found, before = set(), _surface(REVISIONS[0])
    for rev in REVISIONS[1:]:
        now = _surface(rev)
        if now == before:
            found.add(rev)
        before = now
    return found


@pytest.fixture(scope="session")
def documents(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where each revision's document is written, once per worker: the same file (so the same
    source name) in every test, so the tests' shared loads (`support.shared_loads`) parse and
    normalise a revision once though two pairs and the chain read it. Never written to by sync."""
    return tmp_path_factory.mktemp("discovery")


def document(rev: str, into: Path) -> Path:
    path = into / f"discovery.{rev}.json"
    if not path.exists():
        gz = HISTORY / f"generativelanguage.v1beta.{rev}.json.gz"
        path.write_bytes(gzip.decompress(gz.read_bytes()))
    return path


def _listed(out: str) -> list[str]:
    """The `where` of each item sync left for a person (`  ! where: message`; a wire rename is
    one item naming both: `the API renamed OLD to NEW`)."""
    out_lines = [line[4:] for line in out.splitlines() if line.startswith("  ! ")]
    listed = [line.split(": ", 1)[0] for line in out_lines]
    listed += [
        line.split("renamed ", 1)[1].split(" ")[0] for line in out_lines if " renamed " in line
    ]
    return listed


_NAMES: dict[tuple[tuple[str, bytes], ...], tuple[set[str], set[str]]] = {}


def _names(spec_dir: Path) -> tuple[set[str], set[str]]:
    """The Google names of the spec's types, and its resources and methods: loaded once per content
    of its files (a step's spec before is the one the step before left)."""
    key = tuple(snapshot(spec_dir).items())
    if key not in _NAMES:
        spec = loader.load_spec(spec_dir)
        tree = resource_tree(spec)
        methods = {f"{p}.{m.name}" for p, r in tree.items() for m in r.methods}
        _NAMES.clear()  # only the last is asked for again
        _NAMES[key] = {google_name(t) for t in spec.types.values()}, set(tree) | methods
    types, surface = _NAMES[key]
    return set(types), set(surface)


def step(cli: Callable[..., Run], spec_dir: Path, doc: Path) -> str:
    """One sync, checked; the report."""
    before_types, before_surface = _names(spec_dir)
    start = time.perf_counter()
    run = cli("sync", "--discovery", str(doc), "--spec", str(spec_dir), "--no-generate")
    assert run.code in (0, 1), run.err
    assert not run.err.strip(), run.err
    TIMES[doc.name] = time.perf_counter() - start
    # Nothing invented: what sync added, the document has.
    api = normalise_module.normalise(load.load_discovery(doc).doc, keep_unspellable=True).spec
    api_tree = resource_tree(api)
    api_surface = set(api_tree) | {f"{p}.{m.name}" for p, r in api_tree.items() for m in r.methods}
    after_types, after_surface = _names(spec_dir)
    assert after_types - before_types <= set(api.types)
    assert after_surface - before_surface <= api_surface
    # A second sync changes nothing.
    files = snapshot(spec_dir)
    again = cli("sync", "--discovery", str(doc), "--spec", str(spec_dir), "--no-generate")
    assert again.code == run.code, again.out
    assert snapshot(spec_dir) == files
    # Drift names only what sync listed.
    drift = cli("drift", "--discovery", str(doc), "--spec", str(spec_dir), "--format", "json")
    assert drift.code in (0, 1), drift.err
    listed = _listed(run.out)
    for f in json.loads(drift.out)["findings"]:
        where = f["where"]
        # an item, or a new resource whose methods were each listed (long-running)
        assert any(
            where == x or where.startswith(x + ".") or x.startswith(where + ".") for x in listed
        ), f"drift reports {f['where']} ({f['kind']}), which sync did not list:\n{run.out}"
    return run.out


def repeat(cli: Callable[..., Run], spec_dir: Path, doc: Path, code: int) -> None:
    """A revision that repeats the one before: one sync, which changes nothing."""
    files = snapshot(spec_dir)
    run = cli("sync", "--discovery", str(doc), "--spec", str(spec_dir), "--no-generate")
    assert run.code == code, run.out + run.err
    assert snapshot(spec_dir) == files


def build(spec_dir: Path, out: Path, *, mypy: bool) -> None:
    """Generate, check, import and either `mypy --strict` the client of `spec_dir` (black's layout
    included, as mypy reads it) or compile each of its modules (black's layout left out: it moves
    no statement, and every module is still parsed, as black would parse it)."""
    paths = Paths(spec=spec_dir, templates=REPO / "templates", out=out)
    with contextlib.nullcontext() if mypy else black_left_out():
        generate(paths)
        assert check(paths) == []
    # Without black, every module is compiled first (byte code written: the import reads it).
    compiled = (
        ""
        if mypy
        else "import compileall; assert compileall.compile_dir('gemini_client', quiet=1); "
    )
    env = {**os.environ, "PYTHONPATH": str(out)}
    imported = subprocess.run(
        [sys.executable, "-c", compiled + "import gemini_client.types; gemini_client.Client"],
        cwd=out,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert imported.returncode == 0, imported.stdout + imported.stderr
    if mypy:
        # As `history_client` (support.mypy_run.vendored: its entries never replace the real
        # package's), in the tests' one mypy cache: the libraries are analysed by the first run of
        # the session alone, and the same replay's client is trusted as it was on a warm cache.
        where = out.parent / "typed"
        mypy_run.vendored(out / "gemini_client", "history_client", where)
        checked = subprocess.run(
            mypy_run.command("history_client"),
            cwd=where,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert checked.returncode == 0, checked.stdout[-3000:]


@pytest.mark.xdist_group("mypy-cache")  # support.mypy_run's cache: one writer at a time
def test_the_committed_spec_follows_every_later_revision(
    tmp_path: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, documents: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    spec_dir = Path("spec")
    shutil.copytree(START, spec_dir)
    code = 0
    for rev in LATER:
        if rev in repeats():
            repeat(cli, spec_dir, document(rev, documents), code)
        else:
            out = step(cli, spec_dir, document(rev, documents))
            code = 1 if "needs a person" in out else 0
    build(spec_dir, tmp_path / "generated", mypy=True)


@pytest.mark.parametrize("older,newer", PAIRS, ids=[f"{a}-{b}" for a, b in PAIRS])
def test_a_spec_of_one_revision_syncs_to_the_next(
    older: str,
    newer: str,
    tmp_path: Path,
    cli: Callable[..., Run],
    monkeypatch: pytest.MonkeyPatch,
    documents: Path,
) -> None:
    monkeypatch.chdir(tmp_path)
    spec_dir = Path("spec")
    assert bootstrap(["--discovery", str(document(older, documents)), "--out", str(spec_dir)]) == 0
    _names(spec_dir)  # bootstrap writes only what its loader accepts (load_spec)
    # (never a repeat here: a bootstrapped spec lacks what bootstrap leaves out, which sync adds)
    step(cli, spec_dir, document(newer, documents))
    if (older, newer) == BIGGEST:
        build(spec_dir, tmp_path / "generated", mypy=False)
