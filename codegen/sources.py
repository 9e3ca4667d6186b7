"""The files of a generation as sources: what each is made from, and how to make it; the slowest
(the types module) can be made in a forked process while the caller does the rest.

Kept apart from `codegen.format` so that forking happens before black is imported."""

from __future__ import annotations

import functools
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Source:
    """One file to produce: `key` is what it is made from; `make` gives its unformatted text
    (`slow`: made last, while the files already made are being formatted; `guess`: what `make` will
    probably give, quickly, or None)."""

    key: str
    make: Callable[[], str]
    slow: bool = False
    guess: Callable[[], str | None] | None = None


def can_fork() -> bool:
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1  # forking a threaded process can deadlock the child
    )


# How long a process whose text was taken may go on with what it does after sending it
# (`after_sent`) once the caller is done, before it is ended.
AFTER_SENT_SECONDS = 0.5
_after_sending: list[Callable[[], None]] | None = None  # set in a started process


def after_sent(work: Callable[[], None]) -> None:
    """`work()` once this process sent its text, when it is one `started` (what its parent need
    not wait for; it may be ended before it finishes: never anything the output depends on);
    now, anywhere else."""
    if _after_sending is None:
        work()
    else:
        _after_sending.append(work)


def _make_and_send(make: Callable[[], str], conn: Connection) -> None:
    global _after_sending
    _after_sending = []
    try:
        text: str | None = make()
    except BaseException:
        text = None  # made again by the parent, which raises the error itself
    conn.send(text)
    conn.close()
    for work in _after_sending if text is not None else ():
        try:
            work()
        except Exception:
            pass


class Started:
    """A text being made in a forked process (`started`)."""

    def __init__(self, receive: Connection | None, child: BaseProcess | None) -> None:
        self._receive, self._child = receive, child
        self._taken = False

    def take(self, fallback: Callable[[], str]) -> str:
        """The text, once made; `fallback()` here when the process failed or never started."""
        text = None
        if self._receive is not None:
            try:
                text = self._receive.recv()
            except (EOFError, OSError):
                text = None
        if not isinstance(text, str):
            self.stop()
            return fallback()
        self._taken = True  # the process may finish what it does after sending (`stop`)
        self._close_receive()
        return text

    def _close_receive(self) -> None:
        if self._receive is not None:
            self._receive.close()
            self._receive = None

    def stop(self) -> None:
        """End the process: at once when its text is not needed; when it was taken, at
        `finish_started` (it may still be doing what it does after sending it)."""
        self._close_receive()
        if self._child is not None:
            if self._taken:
                _finishing.append(self._child)
            else:
                _end(self._child)
            self._child = None


_finishing: list[BaseProcess] = []  # processes whose text was taken (`Started.stop`)


def finish_started(seconds: float = AFTER_SENT_SECONDS) -> None:
    """End the processes whose text was taken, after at most `seconds` more for what they do after
    sending it (`after_sent`): called once the caller's own work is done."""
    deadline = time.monotonic() + seconds
    while _finishing:
        child = _finishing.pop()
        child.join(max(0.0, deadline - time.monotonic()))
        _end(child)


def _end(child: BaseProcess) -> None:
    if child.is_alive():
        child.terminate()
    child.join()


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


def taken_from(early: Started, source: Source) -> Source:
    """`source`, its text taken once from `early`'s process; made here when that process has
    none (forking not possible, or it failed)."""
    return Source(
        source.key,
        functools.cache(functools.partial(early.take, source.make)),
        slow=source.slow,
        guess=source.guess,
    )


class Waiting(Started, Generic[T]):
    """A forked process that makes a text once it is given what to make it from
    (`started_waiting`)."""

    def __init__(
        self, receive: Connection | None, child: BaseProcess | None, give: Connection | None
    ) -> None:
        super().__init__(receive, child)
        self._give = give

    def give(self, value: T) -> None:
        """Send `value` to the process (nothing when there is none, or it is gone: `take` then
        makes the text here)."""
        if self._give is not None:
            try:
                self._give.send(value)
            except (OSError, ValueError):
                pass
        self._close_give()

    def _close_give(self) -> None:
        if self._give is not None:
            self._give.close()
            self._give = None

    def take(self, fallback: Callable[[], str]) -> str:
        self._close_give()  # never given a value: the process ends without a text
        return super().take(fallback)

    def stop(self) -> None:
        self._close_give()
        super().stop()


def _prepare_and_make(
    prepare: Callable[[], object],
    make: Callable[[T], str],
    given: Connection,
    parents_end: Connection,
    conn: Connection,
) -> None:
    parents_end.close()  # else the parent's going away would never end `recv` here
    received: list[T] = []

    def receive() -> None:
        try:
            received.append(given.recv())
        except (EOFError, OSError):
            pass

    reader = threading.Thread(target=receive)  # the parent's send never waits for `prepare`
    reader.start()
    try:
        prepare()
    except Exception:
        pass  # only a head start: `make` imports what it needs itself
    reader.join()
    if not received:
        conn.close()  # never given: not needed
        return
    _make_and_send(functools.partial(make, received[0]), conn)


@contextmanager
def started_waiting(
    prepare: Callable[[], object], make: Callable[[T], str]
) -> Iterator[Waiting[T]]:
    """A process forked now runs `prepare()` (imports) while the caller works out what to make the
    text from, then `make(value)` once the caller gives it the value (`Waiting.give`); `take`
    and `stop` as for `started`. Nothing is started when forking is not possible."""
    if os.cpu_count() == 1 or not can_fork():
        yield Waiting(None, None, None)
        return
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    given, give = ctx.Pipe(duplex=False)
    child = ctx.Process(
        target=_prepare_and_make, args=(prepare, make, given, give, send), daemon=True
    )
    child.start()
    send.close()
    given.close()
    waiting: Waiting[T] = Waiting(receive, child, give)
    try:
        yield waiting
    finally:
        waiting.stop()
