"""Format generated Python with the pinned black, each file only when its source changed.

Black is the slow part of a generation (seconds on the whole API), so `format_changed` keeps the
file of the current output whose source is unchanged (`codegen.manifest`); of the rest, each
top-level class or function the format cache holds is taken from it (`format_text`), and only the
others are formatted, in runs of about `CHUNK_CHARS`, on two processes when it pays. A plain class
(the types, the typed dicts) is put together from black's output of its skeleton and of each of its
assignments and attribute docstrings (`codegen.format_bodies`), each formatted once and kept.
"""

from __future__ import annotations

import ast
import functools
import itertools
import json
import multiprocessing
import os
import re
from collections.abc import Iterator, Mapping
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from importlib import metadata

from typing import TYPE_CHECKING

from . import format_bodies, format_cache
from .manifest import LINE_LENGTH, MANIFEST, previously_made, remember, sha, source_hash
from .sources import Source, can_fork

if TYPE_CHECKING:
    import black

# What a cached answer depends on: black's version and its mode (`_mode`: fixed by black's version
# and this module), and `_black`'s way of running black (the tag: change it with it). Black itself
# is imported only when there is something to format (a build the caches answer never pays it).
_CACHE_SALT = (
    f"black=={metadata.version('black')};py310;line-length={LINE_LENGTH};"
    "second-pass-per-top-level-v2"
)
# What black's first pass adds or removes when it splits or joins lines (the tokens its second
# pass exists for), and quotes: a docstring whose quotes it changed can change again (see `_black`).
_SPLIT_TOKENS = ",()[]{};\\\"'"
# Below this much text to format, worker processes cost more than they save.
PARALLEL_MIN_CHARS = 64 * 1024
CHUNK_CHARS = 16 * 1024  # what the cache lacks of a module goes to the workers in runs of this size


class FormatError(Exception):
    """Generated code that black cannot parse: a generator bug, reported with the file name."""


@functools.cache
def _mode() -> black.Mode:
    """The mode the output is formatted in (black imported now)."""
    import black
    from black.mode import TargetVersion

    return black.Mode(target_versions={TargetVersion.PY310}, line_length=LINE_LENGTH)


def __getattr__(name: str) -> object:
    if name == "_MODE":  # `_mode()`, as an attribute (the tests' name for it)
        return _mode()
    raise AttributeError(name)


def _format_once(text: str, *, mode: black.Mode) -> str:
    """One pass of black (`black.format_str` is two of these)."""
    from black import _format_str_once

    return _format_str_once(text, mode=mode)


def format_text(path: str, text: str) -> str:
    """`text` as black formats it (unchanged unless `path` is a Python module).

    The text is cut into its top-level blocks (`split_top_level(text, size=1)`); through the
    `codegen.format_cache` when there is one (`CODEGEN_FORMAT_CACHE`, or the one `codegen
    generate` keeps), each block is looked up by its own text and only the runs of blocks it lacks
    are formatted, each run at once (a plain class through its statements), then stored block by
    block (`_format_run`)."""
    if not path.endswith(".py"):
        return text
    blocks = _blocks(text)
    cache = format_cache.from_env(_CACHE_SALT)
    found: list[str | None] = cache.get_many(blocks) if cache is not None else [None] * len(blocks)
    parts: list[str] = []
    stored: list[tuple[str, str]] = []
    for hit, run in _runs(blocks, found, size=None):
        if hit is not None:
            parts.append(hit)
            continue
        for formatted, answers in _format_run(path, run, cache):
            parts.append(formatted)
            if answers is not None:
                stored += answers
    if cache is not None and stored:
        cache.put_many(stored)
    return parts[0] if len(parts) == 1 else join_formatted(parts)


_presplit: list[list[str]] = []  # the blocks of the text `format_text` is given, when known


def _blocks(text: str) -> list[str]:
    known = _presplit[-1] if _presplit else None
    return known if known is not None and "".join(known) == text else split_top_level(text, size=1)


def _runs(
    blocks: list[str], found: list[str | None], size: int | None
) -> Iterator[tuple[str | None, list[str]]]:
    """Each hit as (its formatted text, [block]); each run of consecutive misses as (None, blocks),
    cut where it reaches `size` characters (None: never)."""
    run: list[str] = []
    chars = 0
    for block, hit in zip(blocks, found):
        if hit is None:
            run.append(block)
            chars += len(block)
            if size is not None and chars >= size:
                yield None, run
                run, chars = [], 0
            continue
        if run:
            yield None, run
            run, chars = [], 0
        yield hit, [block]
    if run:
        yield None, run


Answers = list[tuple[str, str]]  # (block, black's output of it): what the cache may store


def _format_run(
    path: str, blocks: list[str], cache: format_cache.FormatCache | None
) -> Iterator[tuple[str, Answers | None]]:
    """Black's output of consecutive `blocks`, in consecutive parts (to join), each with what it
    is black's output of, block by block, when that is known. A plain class is made from its
    skeleton and its statements (`_by_statements`); the others, and any the way fails for, are
    formatted as they stand, each run of them at once."""
    made = _by_statements(blocks, cache)
    run: list[str] = []
    for block in [*blocks, None]:
        formatted = made.get(block) if block is not None else None
        if block is not None and formatted is None:
            run.append(block)
            continue
        if run:
            text = _format_blocks(path, run)
            answers = formatted_blocks(text, run)
            yield text, list(zip(run, answers)) if answers is not None else None
            run = []
        if block is not None and formatted is not None:
            yield formatted, [(block, formatted)]


def _format_blocks(path: str, blocks: list[str]) -> str:
    from black.parsing import InvalidInput

    _presplit.append(blocks)  # for `_black`'s second pass
    try:
        return _black("".join(blocks))
    except InvalidInput as exc:
        raise FormatError(f"{path}: generated code is not valid Python: {exc}") from None
    finally:
        _presplit.pop()


def _statements_cache() -> format_cache.FormatCache | None:
    return format_cache.from_env(f"{_CACHE_SALT};class-body-statement-v1")


def _by_statements(blocks: list[str], cache: format_cache.FormatCache | None) -> dict[str, str]:
    """Black's output of each of `blocks` with classes to plan (`codegen.format_bodies`): its
    skeleton, statements and methods each taken from the format cache or formatted once, all the
    statements and methods the cache lacks at once (a statement of a shape black leaves alone
    needs none), then all the skeletons; a block the way fails for is left out."""
    plans = {b: p for b in dict.fromkeys(blocks) if (p := format_bodies.plan(b)) is not None}
    if not plans:
        return {}
    statements = list(dict.fromkeys(s for p in plans.values() for s in p.statements))
    methods = list(dict.fromkeys(m for p in plans.values() for m in p.methods))
    kept = _statements_cache() if cache is not None else None
    asked = statements + methods
    found = kept.get_many(asked) if kept is not None else [None] * len(asked)
    known = {s: f for s, f in zip(asked, found) if f is not None}
    missing = [s for s in statements if s not in known]
    missing_methods = [m for m in methods if m not in known]
    fixed = _fixed_shapes(missing, cache)
    known_shapes = set(fixed)
    try:
        made = format_bodies.format_statements(missing, _format_each, fixed) if missing else []
        made_methods = (
            format_bodies.format_methods(missing_methods, _format_each) if missing_methods else []
        )
    except FormatError:
        return {}  # black's parser refuses what `ast` took: the blocks say why, formatted whole
    if made is None or made_methods is None:
        return {}
    new = [*zip(missing, made), *zip(missing_methods, made_methods)]
    known.update(new)
    if kept is not None and new:
        kept.put_many(new)
    shapes = _shapes_cache(cache)
    if shapes is not None and fixed - known_shapes:
        shapes.put_many((k, k) for k in sorted(fixed - known_shapes))  # an entry holds its key
    skeletons = list(dict.fromkeys(p.skeleton for p in plans.values()))
    found = cache.get_many(skeletons) if cache is not None else [None] * len(skeletons)
    done = {s: f for s, f in zip(skeletons, found) if f is not None}
    todo = [s for s, f in zip(skeletons, found) if f is None]
    try:
        answers = _format_each(todo) if todo else []
    except FormatError:
        return {}
    if answers is None:
        return {}
    done.update(zip(todo, answers))
    if cache is not None and todo:
        cache.put_many(zip(todo, answers))
    out = {}
    for block, p in plans.items():
        whole = format_bodies.put_back(p, done[p.skeleton], known)
        if whole is not None:
            out[block] = whole
    return out


def _shapes_cache(cache: format_cache.FormatCache | None) -> format_cache.FormatCache | None:
    return format_cache.from_env(f"{_CACHE_SALT};class-body-shape-v1") if cache else None


def _fixed_shapes(statements: list[str], cache: format_cache.FormatCache | None) -> set[str]:
    """Of the shapes of `statements` (`format_bodies.shape`), those the format cache holds as
    shapes black leaves as they are (learnt by the builds and processes before: nowhere else)."""
    kept = _shapes_cache(cache)
    asked = sorted({k for s in statements if (k := format_bodies.shape(s)) is not None})
    if kept is None or not asked:
        return set()
    return {k for k, f in zip(asked, kept.get_many(asked)) if f == k}


def _format_each(blocks: list[str]) -> list[str] | None:
    """Black's output of each of consecutive top-level `blocks`, formatted at once (None when it
    cannot be cut back into them)."""
    return formatted_blocks(_format_blocks("", blocks), blocks)


# Where black's output of consecutive blocks may start the next one: two blank lines, then a
# top-level `class <name>`, `def <name>` or `async def <name>` (inside a string too: see below).
_NEXT_BLOCK = re.compile(r"\n\n\n(?=((?:class|def|async def) [^\W\d]\w*)[(:\[])")
_STARTS = re.compile(r"(class|def|async\s+def)\s+([^\W\d]\w*)")


def formatted_blocks(formatted: str, blocks: list[str]) -> list[str] | None:
    """Black's output `formatted` of `"".join(blocks)` (consecutive blocks of `split_top_level`,
    size 1) cut into black's output of each block, or None when that cannot be told for sure.

    Black formats such blocks as it formats their join (`split_top_level`): its output is each
    block's output, two blank lines apart, each from the second on starting with that block's
    `class <name>`/`def <name>`. So the start of each block is a place `_NEXT_BLOCK` finds, with
    that keyword and name; where it finds the same keyword and name more than once (inside a
    string, or a class not cut off from the one before it), which one starts the block cannot be
    told: None (then nothing is stored per block)."""
    if len(blocks) == 1:
        return [formatted]
    found: dict[str, int | None] = {}
    for candidate in _NEXT_BLOCK.finditer(formatted):
        start = candidate[1]
        found[start] = None if start in found else candidate.start()
    cuts: list[int] = []
    for block in blocks[1:]:
        m = _STARTS.match(block)
        cut = (
            found.get(f"{'async def' if m[1].startswith('async') else m[1]} {m[2]}") if m else None
        )
        if cut is None or (cuts and cut <= cuts[-1]):
            return None
        cuts.append(cut)
    pieces = [formatted[a : b + 1] for a, b in zip([0, *(c + 3 for c in cuts)], cuts)]
    pieces.append(formatted[cuts[-1] + 3 :])
    return pieces if join_formatted(pieces) == formatted else None


def _black(text: str) -> str:
    """`black.format_str(text)`, in one pass where black's second pass cannot change anything.

    black formats a text twice when its first pass changed it: a trailing comma that pass added
    is a "magic" one on the next pass, and can change how optional parentheses split a line.
    Where the first pass added or removed no comma, bracket, semicolon, backslash or quote, the
    second pass would parse the same tokens and make the same choices, so it is skipped if `compile`
    accepts the output (black's second pass was also its check that its output parses). This is
    decided for each top-level block (`split_top_level`, or the blocks `_format_run` was given)
    when black's output cuts into the same blocks (`formatted_blocks`, else `split_top_level`):
    only those that changed are formatted again."""
    once = _format_once(text, mode=_mode())
    if once == text or _second_pass_idle(text, once):
        return once
    sources = _blocks(text)
    if len(sources) == 1:
        return _format_once(once, mode=_mode())
    outputs = formatted_blocks(once, sources)  # cut like the sources without parsing again
    if outputs is None:
        outputs = split_top_level(once, size=1)
        if len(sources) != len(outputs) or join_formatted(outputs) != once:
            return _format_once(once, mode=_mode())
    return join_formatted(
        [
            o if _second_pass_idle(s, o) else _format_once(o, mode=_mode())
            for s, o in zip(sources, outputs)
        ]
    )


def _second_pass_idle(source: str, once: str) -> bool:
    """Whether black's first pass turned `source` into `once` without changing a token its second
    pass depends on, and `once` parses."""
    if any(once.count(c) != source.count(c) for c in _SPLIT_TOKENS):
        return False
    try:
        compile(once, "<black output>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except (SyntaxError, ValueError):
        return False  # newer syntax than this Python's, or black's bug: its second pass says
    return True


def format_files(files: dict[str, str]) -> dict[str, str]:
    return {path: format_text(path, text) for path, text in files.items()}


def split_top_level(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """`text` cut into pieces of about `size` that black formats exactly as it formats the whole.

    A cut is made only before an undecorated top-level `class`/`def` that follows another one
    after blank lines only (no comment, no decorator): black puts exactly two blank lines there
    whatever surrounds it, so `join_formatted` of the formatted pieces is black's output for the
    whole text. Text that does not parse, or that holds a `fmt:` directive, stays in one piece."""
    if len(text) <= size or "fmt:" in text or "\r" in text:
        return [text]
    try:
        body = ast.parse(text).body
    except (SyntaxError, ValueError):
        return [text]
    lines = text.splitlines(keepends=True)
    if len(lines) != text.count("\n") + (not text.endswith("\n")):  # other line breaks: keep whole
        return [text]
    blocks = (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    offsets = list(itertools.accumulate(map(len, lines), initial=0))
    pieces, start = [], 0
    for prev, node in zip(body, body[1:]):
        first, gap = node.lineno - 1, lines[(prev.end_lineno or prev.lineno) : node.lineno - 1]
        if (
            offsets[first] - offsets[start] >= size
            and isinstance(prev, blocks)
            and isinstance(node, blocks)
            and not node.decorator_list
            and gap
            and all(not line.strip() for line in gap)
        ):
            pieces.append("".join(lines[start:first]))
            start = first
    pieces.append("".join(lines[start:]))
    return pieces


def join_formatted(pieces: list[str]) -> str:
    """The formatted pieces of `split_top_level` as one module: two blank lines between them."""
    return "\n\n\n".join(p.rstrip("\n") for p in pieces) + "\n"


def _format_piece(path: str, blocks: list[str]) -> str:
    """`format_text` of consecutive blocks of a module (in a worker process), told the blocks."""
    _presplit.append(blocks)
    try:
        return format_text(path, "".join(blocks))  # looked up at call time: tests replace it
    finally:
        _presplit.pop()


@contextmanager
def _pool(chars: int) -> Iterator[Executor | None]:
    """Two worker processes when there is enough to format and the platform can fork, else None."""
    workers = min(2, os.cpu_count() or 1)
    if chars < PARALLEL_MIN_CHARS or workers < 2 or not can_fork():
        yield None
        return
    _mode()  # black imported once, here, before the workers are forked
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        yield pool


def format_sources(sources: Mapping[str, Source]) -> dict[str, str]:
    """Each source made and formatted; the blocks the format cache lacks formatted in pieces of
    about `CHUNK_CHARS`, on two processes when they are enough to pay for them.

    The slow sources are made last, in this process, while the workers format the others."""
    paths = sorted(sources, key=lambda p: (sources[p].slow, p))
    quick = {p: sources[p].make() for p in paths if not sources[p].slow}
    cache = format_cache.from_env(_CACHE_SALT)
    looked_up: dict[str, tuple[list[str], list[str | None]]] = {}

    def look_up(
        path: str,
        text: str,
        known: Mapping[str, str] | None = None,
        blocks: list[str] | None = None,
    ) -> int:
        """How much of `text` the cache (or `known`) lacks (all of it when the cache is off);
        `blocks`: its blocks, when known."""
        if not path.endswith(".py"):
            return 0
        blocks = blocks if blocks is not None else split_top_level(text, size=1)
        found: list[str | None] = (
            cache.get_many(blocks) if cache is not None else [None] * len(blocks)
        )
        if known:
            found = [known.get(b) if hit is None else hit for b, hit in zip(blocks, found)]
        looked_up[path] = (blocks, found)
        return sum(len(b) for b, hit in zip(blocks, found) if hit is None)

    missing = sum(look_up(p, quick[p]) for p in quick)
    out: dict[str, str] = {}
    slow = any(s.slow for s in sources.values())
    with _pool(missing + PARALLEL_MIN_CHARS * slow) as pool:
        pending: dict[str, list[str | Future[str]]] = {}

        def submit(path: str, text: str, parallel: bool) -> None:
            if path not in looked_up:
                out[path] = format_text(path, text)
                return
            blocks, found = looked_up.pop(path)
            if pool is None or not parallel:  # here; each run between the blocks found, at once
                parts = [
                    _format_piece(path, run) if hit is None else hit
                    for hit, run in _runs(blocks, found, size=None)
                ]
                out[path] = parts[0] if len(parts) == 1 else join_formatted(parts)
                return
            pending[path] = [
                hit if hit is not None else pool.submit(_format_piece, path, run)
                for hit, run in _runs(blocks, found, size=CHUNK_CHARS)
            ]

        for path in sorted(quick, key=lambda p: -len(quick[p])):  # the longest first
            submit(path, quick[path], missing >= PARALLEL_MIN_CHARS)
        made_last = [p for p in paths if sources[p].slow]
        ahead = {p: _format_ahead(pool, p, sources[p], cache) for p in made_last}
        for path in made_last:
            text = sources[path].make()
            guess, guessed, runs = ahead.pop(path)
            blocks = guessed if text == guess else split_top_level(text, size=1)
            missing += look_up(path, text, _formatted_ahead(runs, blocks), blocks)
            submit(path, text, missing >= PARALLEL_MIN_CHARS)
        for path, parts in pending.items():
            done = [p if isinstance(p, str) else p.result() for p in parts]
            out[path] = done[0] if len(done) == 1 else join_formatted(done)
    return out


Runs = list[tuple[list[str], "Future[str]"]]


def _format_ahead(
    pool: Executor | None, path: str, source: Source, cache: format_cache.FormatCache | None
) -> tuple[str | None, list[str], Runs]:
    """`source`'s guess (`Source.guess`), its blocks, and the runs of those the cache lacks,
    being formatted on the workers (as `format_sources` does) while `source` is made."""
    if pool is None or source.guess is None or not path.endswith(".py"):
        return None, [], []
    guess = source.guess()
    if guess is None:
        return None, [], []
    blocks = split_top_level(guess, size=1)
    found: list[str | None] = cache.get_many(blocks) if cache is not None else [None] * len(blocks)
    return (
        guess,
        blocks,
        [
            (run, pool.submit(_format_piece, path, run))
            for hit, run in _runs(blocks, found, size=CHUNK_CHARS)
            if hit is None
        ],
    )


def _formatted_ahead(ahead: Runs, blocks: list[str]) -> dict[str, str]:
    """Black's output for each block formatted ahead (`_format_ahead`) that is one of `blocks`
    (the module as it was made). A run none of whose blocks is wanted is dropped (cancelled if it
    has not started); one that failed (a guess is not always Python) gives nothing."""
    wanted = set(blocks)
    known: dict[str, str] = {}
    for run, future in ahead:
        if wanted.isdisjoint(run):
            future.cancel()
            continue
        try:
            formatted = future.result()
        except Exception:
            continue
        answers = formatted_blocks(formatted, run)
        if answers is not None:
            known.update((b, a) for b, a in zip(run, answers) if b in wanted)
    return known


def format_changed(sources: Mapping[str, Source], previous: Mapping[str, bytes]) -> dict[str, str]:
    """Every file of `sources`, formatted, reusing a file made before from the same source (in
    `previous`, the output as it is now, or in the format cache: `previously_made`); plus the new
    manifest under `MANIFEST`."""
    out: dict[str, str] = {}
    keys = {path: source_hash(sources[path].key) for path in sources}
    todo: dict[str, Source] = {}
    for path in sorted(sources):
        kept = previously_made(path, sources[path], previous)
        if kept is not None:
            out[path] = kept
        else:
            todo[path] = sources[path]
    made = format_sources(todo)
    for path, text in made.items():
        remember(path, todo[path], text)
    out.update(made)
    manifest = {path: [keys[path], sha(out[path])] for path in sorted(sources)}
    out = {path: out[path] for path in sorted(out)}
    out[MANIFEST] = json.dumps({"files": manifest}, indent=1, sort_keys=True) + "\n"
    return out
