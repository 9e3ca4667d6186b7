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
from multiprocessing.process import BaseProcess


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


def _make_and_send(make: Callable[[], str], conn: Connection) -> None:
    try:
        text: str | None = make()
    except BaseException:
        text = None  # made again by the parent, which raises the error itself
    conn.send(text)
    conn.close()


class Started:
    """A text being made in a forked process (`started`)."""

    def __init__(self, receive: Connection | None, child: BaseProcess | None) -> None:
        self._receive, self._child = receive, child

    def take(self, fallback: Callable[[], str]) -> str:
        """The text, once made; `fallback()` here when the process failed or never started."""
        text = None
        if self._receive is not None:
            try:
                text = self._receive.recv()
            except (EOFError, OSError):
                text = None
        self.stop()
        return text if isinstance(text, str) else fallback()

    def stop(self) -> None:
        """End the process (its text is not needed, or was taken)."""
        if self._receive is not None:
            self._receive.close()
            self._receive = None
        if self._child is not None:
            if self._child.is_alive():
                self._child.terminate()
            self._child.join()
            self._child = None


@contextmanager
def started(make: Callable[[], str]) -> Iterator[Started]:
    """`make()` started now in a forked process, while the caller does the rest on the other core
    (nothing is started when forking is not possible); the process ends with the block."""
    if os.cpu_count() == 1 or not can_fork():
        yield Started(None, None)
        return
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_make_and_send, args=(make, send), daemon=True)
    child.start()
    send.close()
    early = Started(receive, child)
    try:
        yield early
    finally:
        early.stop()


@contextmanager
def made_early(source: Source) -> Iterator[Source]:
    """`source`, its `make` started now in a forked process (`started`); in this process when
    forking is not possible or failed."""
    with started(source.make) as early:
        yield Source(
            source.key,
            functools.cache(functools.partial(early.take, source.make)),
            slow=source.slow,
        )
