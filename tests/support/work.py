"""Work counted in Python function calls: the same number on a quiet and on a loaded machine.

A test that times code fails when the machine is busy; the number of Python functions the code
calls does not depend on the machine, and it grows with the work done. So "fast" is asserted as
"does a bounded amount of work": no more than another piece of work it is compared with (a refusal
costs no more than reading the spec), or linear (twice the input, at most about twice the calls).
Absolute speed is measured by the benchmarks under bench/.

    result, work = counted(lambda: drift(spec_dir, doc))
    assert work.calls("codegen/spec/loader.py", "read_spec") == 1
"""

from __future__ import annotations

import cProfile
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")

__all__ = ["Work", "counted"]


@dataclass
class Work:
    """The Python function calls made by one piece of code (in the thread that ran it)."""

    total: int = 0
    """Every call: Python functions and builtins."""
    by_function: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(file name, function name) -> calls, Python functions only."""

    def calls(self, path_end: str, name: str) -> int:
        """Calls of the functions called `name` in files whose path ends with `path_end`."""
        return sum(
            n
            for (file, fn), n in self.by_function.items()
            if fn == name and file.endswith(path_end)
        )


def counted(fn: Callable[[], T]) -> tuple[T, Work]:
    """`fn()` and the calls it made: of Python functions (generator resumptions included) and of
    builtins (`list.append`...), so a Python loop over a 5 MB text shows. A loop inside one C
    function (a regex, `str.join`) is one call: compare like with like.

    Counted by `cProfile` (the interpreter's profiling hook, as `sys.setprofile` gives it to a
    Python function, counted in C: the same numbers at a third less cost)."""
    profiler = cProfile.Profile(builtins=True)
    previous = sys.getprofile()
    profiler.enable()
    try:
        result = fn()
    finally:
        profiler.disable()
        sys.setprofile(previous)
    work = Work()
    for entry in profiler.getstats():
        work.total += entry.callcount
        code = entry.code
        if not isinstance(code, str):  # a builtin is named by a text
            work.by_function[(code.co_filename, code.co_name)] += entry.callcount
    return result, work
