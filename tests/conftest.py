"""Settings for the whole test session, set once by the process that starts it.

The suite generates the same real and mini specs dozens of times, and black is most of a
generation's cost: `CODEGEN_FORMAT_CACHE` (see `codegen.format_cache`) names one temporary
directory for the session, which the xdist workers and every `codegen` subprocess a test starts
inherit with the environment. An entry is keyed by the exact text black is given, so a cached
answer is the answer black would give. Set the variable yourself to keep a cache between sessions,
or to an empty string to run black on every file.
"""

from __future__ import annotations

import gc
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from _pytest.assertion import (
    rewrite,
)  # pytest's own rewriting (pytest is pinned): see _rewrite_share

pytest_plugins = ["support.fixtures"]  # the shared loopback-server fixtures

FORMAT_CACHE = "CODEGEN_FORMAT_CACHE"
_made = pytest.StashKey[str]()


# The cyclic garbage collector runs every this many allocations instead of every 700: the tests
# build and drop millions of small objects (parsed specs, syntax trees, pydantic models), and
# default collections cost a tenth of a run's CPU. Memory stays bounded: collections still happen.
GC_THRESHOLD = 100_000


def pytest_configure(config: pytest.Config) -> None:
    _keep_byte_code()
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])  # each xdist worker configures too
    if hasattr(config, "workerinput") or FORMAT_CACHE in os.environ:
        return  # an xdist worker (the controller set it), or chosen by whoever runs the tests
    made = tempfile.mkdtemp(prefix="codegen-format-cache-")
    os.environ[FORMAT_CACHE] = made
    config.stash[_made] = made


def _keep_byte_code() -> None:
    """The suite imports the same packages in hundreds of Python processes (xdist workers, `codegen`
    and `python -c` subprocesses): with PYTHONDONTWRITEBYTECODE set, as some shells and CI images
    set it, each would compile them again, which costs a third of a run. Byte code goes to
    `__pycache__/`, which git and `codegen generate` ignore."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.dont_write_bytecode = False


def pytest_unconfigure(config: pytest.Config) -> None:
    made = config.stash.get(_made, None)
    if made is not None:
        shutil.rmtree(made, ignore_errors=True)
        if os.environ.get(FORMAT_CACHE) == made:
            del os.environ[FORMAT_CACHE]


# The longest tests outside an xdist_group (over 1.5 CPU s each in a whole run on two workers,
# session 11), longest first, started first: xdist hands out the groups of several tests first,
# largest first (the mypy-cache group holds the history chain), then the rest in collection order,
# and a long test started last is the run's tail.
LONGEST_FIRST = (
    "tests/generator/test_injection.py::test_hostile_descriptions_never_change_code_structure",
    "tests/generator/test_format_bodies.py::test_the_real_specs_classes_are_blacks_output",
    "tests/generator/test_format_bodies.py::test_hostile_classes_are_blacks_output",
    "tests/generator/test_format_bodies.py::test_a_shape_black_leaves_alone_is_left_alone",
    "tests/generator/test_generation_cache.py::test_the_same_bytes_with_or_without_the_cache",
    "tests/sync/test_history.py::test_a_spec_of_one_revision_syncs_to_the_next[20240713-",
    "tests/generator/test_types_guess.py::test_a_full_build_after_a_template_change_is_the_same",
    "tests/generator/test_reserved_names.py::test_hostile_field_names_do_not_change_the_request",
    "tests/generator/test_format_cache.py::test_concurrent_processes_share_it_safely",
    "tests/generator/test_format_pieces.py::test_a_5_mb_docstring_is_one_block_stored_and_reused",
    "tests/generator/test_types_guess.py::test_a_right_guess_formats_the_module_once_a_wrong_one",
    "tests/drift/test_report.py::test_hostile_text_never_breaks_a_format",
)


def _rank(item: pytest.Item) -> int:
    return next(
        (i for i, start in enumerate(LONGEST_FIRST) if item.nodeid.startswith(start)),
        len(LONGEST_FIRST),
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=_rank)  # stable: the rest keep their order


@pytest.hookimpl(trylast=True)
def pytest_collection_finish() -> None:
    """What collection built (modules, items, parametrized values) lives as long as the session:
    kept out of every later full collection's walk."""
    gc.collect()
    gc.freeze()


@pytest.hookimpl(tryfirst=True)
def pytest_collection(session: pytest.Session) -> None:
    _rewrite_share(session.config)


def _rewrite_share(config: pytest.Config) -> None:
    """On a fresh clone every xdist worker rewrites the asserts of every test module it collects,
    the same modules at the same time: a few CPU seconds each, paid twice. Each worker first
    writes the rewritten byte code of its share of the modules, with pytest's own functions (the
    files pytest writes and reads, written atomically), and then collects, reading the other
    workers' share from their files; a module another worker has not written yet is rewritten as
    before."""
    worker = getattr(config, "workerinput", None)
    if worker is None or sys.dont_write_bytecode:
        return
    index, count = int(worker["workerid"].removeprefix("gw")), int(worker["workercount"])
    state = config.stash[rewrite.assertstate_key]
    here = config.invocation_params.dir  # absolute, as pytest names a module: its code's file name
    roots = [Path(os.path.abspath(here / arg.split("::")[0])) for arg in config.args]
    files = sorted({f for root in roots if root.is_dir() for f in root.rglob("test_*.py")})
    for source in files[index::count]:
        pyc = rewrite.get_cache_dir(source) / (source.name[:-3] + rewrite.PYC_TAIL)
        if rewrite.try_makedirs(pyc.parent) and rewrite._read_pyc(source, pyc) is None:
            stat, code = rewrite._rewrite_test(source, config)
            rewrite._write_pyc(state, code, stat, pyc)
