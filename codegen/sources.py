"""The files of a generation as sources: what each is made from, and how to make it; the slowest
(the types module) can be made in a forked process while the caller does the rest.

Kept apart from `codegen.format` so that forking happens before black is imported."""

from __future__ import annotations

import functools
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection


@dataclass(frozen=True)
class Source:
    """One file to produce: `key` is what it is made from; `make` gives its unformatted text
    (`slow`: made last, while the files already made are being formatted)."""

    key: str
    make: Callable[[], str]
    slow: bool = False


def can_fork() -> bool:
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1  # forking a threaded process can deadlock the child
    )


def _make_and_send(source: Source, conn: Connection) -> None:
    try:
        text: str | None = source.make()
    except BaseException:
        text = None  # made again by the parent, which raises the error itself
    conn.send(text)
    conn.close()


@contextmanager
def made_early(source: Source) -> Iterator[Source]:
    """`source`, its `make` started now in a forked process (the caller renders the rest
    meanwhile, on the other core); in this process when forking is not possible or failed."""
    if os.cpu_count() == 1 or not can_fork():
        yield source
        return
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_make_and_send, args=(source, send), daemon=True)
    child.start()
    send.close()

    def make() -> str:
        try:
            text = receive.recv()
        except (EOFError, OSError):
            text = None
        return text if isinstance(text, str) else source.make()

    try:
        yield Source(source.key, functools.cache(make), slow=source.slow)
    finally:
        receive.close()
        if child.is_alive():  # not read: the caller failed first, or it is still making
            child.terminate()
        child.join()
