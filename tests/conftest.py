"""Settings for the whole test session, set once by the process that starts it.

The suite generates the same real and mini specs dozens of times, and black is most of a
generation's cost: `CODEGEN_FORMAT_CACHE` (see `codegen.format_cache`) names one temporary
directory for the session, which the xdist workers and every `codegen` subprocess a test starts
inherit with the environment. An entry is keyed by the exact text black is given, so a cached
answer is the answer black would give. Set the variable yourself to keep a cache between sessions,
or to an empty string to run black on every file.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

FORMAT_CACHE = "CODEGEN_FORMAT_CACHE"
_made = pytest.StashKey[str]()


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput") or FORMAT_CACHE in os.environ:
        return  # an xdist worker (the controller set it), or chosen by whoever runs the tests
    made = tempfile.mkdtemp(prefix="codegen-format-cache-")
    os.environ[FORMAT_CACHE] = made
    config.stash[_made] = made


def pytest_unconfigure(config: pytest.Config) -> None:
    made = config.stash.get(_made, None)
    if made is not None:
        shutil.rmtree(made, ignore_errors=True)
        if os.environ.get(FORMAT_CACHE) == made:
            del os.environ[FORMAT_CACHE]
