"""Formatting in pieces and in parallel gives exactly black's output for the whole module."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import black
import pytest

import codegen.format as fmt
from codegen import format_cache, sources
from codegen.format import format_sources, join_formatted, split_top_level
from codegen.render.package import render_package
from codegen.sources import Source
from codegen.spec.loader import load_spec

from .conftest import TEMPLATES, black_passes

_CLASS = (
    "class C{n}(Base):\n    x: int = 'a'\n    y: list[str] = Field(None, description='{desc}')\n"
)

TRICKY = [
    # plain classes, one blank line between (black makes two)
    "import os\n\n" + "\n".join(_CLASS.format(n=i, desc="d" * 90) for i in range(12)),
    # a comment, a decorator, a stub def without a blank line, a nested def, an if block
    "x = 1\nclass A: pass\n# about B\nclass B: pass\n\n@dec\nclass C: pass\n"
    "def f(): ...\ndef g(): ...\n\ndef h():\n    def inner(): pass\n    return inner\n"
    "if x:\n    class D: pass\nelse:\n    pass\nclass E:\n    '''doc\nclass NotAClass:\n'''\n",
    # a class body ending in a comment, then a class
    "class A:\n    x = 1\n    # trailing\n\nclass B:\n    y = 2\n\n\n\n\nclass C:\n    z = 3\n",
    # form feeds and other line breaks inside strings are kept whole
    "class A:\n    s = 'a\\x0cb'\n\x0c\nclass B:\n    t = 1\n\nclass C: u = 'x\x0by'\n",
    # fmt: off regions are never cut
    "class A:\n    x = [1,\n      2]\n# fmt: off\nclass B:\n    y = [1,\n 2]\n# fmt: on\nclass C:\n    z = 1\n",
    # a class right after imports and a module docstring
    '"""Module."""\nfrom a import b\nclass A:\n    """Doc."""\nclass B:\n    """Doc."""\n    x = 1\n',
    # decorated defs after stub defs, async defs, overloads
    "@overload\ndef f(x: int) -> int: ...\n@overload\ndef f(x: str) -> str: ...\ndef f(x): return x\n\n"
    "async def g():\n    await h()\nasync def k(): pass\n\n\nclass Z: ...\nclass Y: ...\n\nclass X: ...\n",
]


@pytest.mark.parametrize("text", TRICKY)
def test_pieces_format_exactly_as_the_whole(text: str) -> None:
    whole = black.format_str(text, mode=fmt._MODE)
    pieces = split_top_level(text, size=1)  # cut wherever a cut is allowed
    assert "".join(pieces) == text
    assert join_formatted([black.format_str(p, mode=fmt._MODE) for p in pieces]) == whole


REPO = Path(__file__).resolve().parents[2]


def test_the_plain_classes_are_cut_and_the_rest_kept_whole() -> None:
    assert len(split_top_level(TRICKY[0], size=1)) == 12
    assert len(split_top_level(TRICKY[0], size=10**6)) == 1
    assert split_top_level("def broken(:\n" * 5, size=1) == ["def broken(:\n" * 5]
    assert len(split_top_level(TRICKY[4], size=1)) == 1  # fmt: directive


def test_parallel_formatting_equals_sequential(monkeypatch: pytest.MonkeyPatch) -> None:
    """Enough text for the two worker processes; a slow source made last; same result as one by one."""
    monkeypatch.setattr(fmt, "PARALLEL_MIN_CHARS", 1)
    monkeypatch.setattr(fmt, "CHUNK_CHARS", 200)
    texts = {f"m{i}.py": TRICKY[i % len(TRICKY)] for i in range(9)} | {"notes.txt": "x  =  1\n"}
    sources = {p: Source(p, lambda t=t: t) for p, t in texts.items()}
    sources["slow.py"] = Source("slow", lambda: TRICKY[0], slow=True)
    expected = {p: fmt.format_text(p, s.make()) for p, s in sources.items()}
    assert format_sources(sources) == expected
    # the workers really run in a process without threads (a test worker may have some: then
    # formatting is sequential, as the module documents)
    probe = "import codegen.format as f\nwith f._pool(10**6) as p:\n    assert p is not None"
    assert subprocess.run([sys.executable, "-c", probe], cwd=REPO).returncode == 0
    assert expected["notes.txt"] == "x  =  1\n"


def test_a_worker_failure_is_the_format_error_of_its_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fmt, "PARALLEL_MIN_CHARS", 1)
    sources = {"ok.py": Source("a", lambda: "x=1\n"), "bad.py": Source("b", lambda: "def (:\n")}
    with pytest.raises(fmt.FormatError, match=r"^bad\.py: generated code is not valid Python"):
        format_sources(sources)


# Texts whose first black pass adds or removes tokens (trailing commas, optional parentheses,
# backslashes, semicolons), so that black's second pass is needed, next to texts where it is not.
SECOND_PASS = [
    "def f(a,):\n    return g(aaaaaaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbbbbbbbbbbbbbb, cccccccccccccccccccc, dddddddddddddddddd)\n",
    "x = {'k': [1, 2, 3], 'long_key_' + 'x' * 10: call_something(with_args, and_more_args, and_even_more_args)}\n",
    "if x:\n    return some_function_name(argument_number_one, argument_number_two)[index_value_xxxxxxxxxxxxxxxxx]\n",
    "print((yield))\nfor (x) in (y): pass\nwith (open(f)) as g: pass\nreturn (not x)\n",
    "def f(): \\\n        # comment after a continuation\n    pass\n\n\ndef g(): \\\n  \\\n  # c\n    pass\n",
    "a = 1; b = 2\nassert xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx, 'message that is long enough to split the line ok'\n",
    "class A(B,):\n    x: int = Field(default=None, validation_alias='a_long_alias_name', serialization_alias='a_long_alias', description='and one more argument')\n",
    "def f(\n    a,\n    b,\n):\n    return {\n        'a': 1,\n    }\n",
]


@pytest.mark.parametrize("text", SECOND_PASS + TRICKY)
def test_one_pass_where_safe_is_exactly_black(text: str) -> None:
    assert fmt._black(text) == black.format_str(text, mode=fmt._MODE)


def test_the_second_pass_runs_only_when_tokens_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    passes = black_passes(monkeypatch)
    fmt._black('x  =  "a"\n\n\n\n\ny = [1,2]\n')  # whitespace and blank lines only
    assert len(passes) == 1
    passes.clear()
    fmt._black("x = 'a'\n")  # quotes changed: a docstring's may change again
    assert len(passes) == 2
    passes.clear()
    fmt._black(SECOND_PASS[6])  # a trailing comma added by the first pass
    assert len(passes) == 2 and passes[1].count(",") > passes[0].count(",")
    passes.clear()
    fmt._black("x = 1\n")  # already formatted
    assert len(passes) == 1


def _method_text(name: str, annotation: str, api_version: str = "") -> str:
    from codegen.render.package import environment
    from codegen.render.view import Kwarg, MethodView

    kwarg = Kwarg(name=name, wire=name, annotation=annotation, required=False, where="query")
    m = MethodView(
        name="get",
        doc="Get it.",
        http_method="GET",
        path_fstring="things",
        kwargs=(kwarg,),
        request_type=None,
        response_type="types.Thing",
        kind="plain",
        api_version=api_version,
    )
    template = environment(REPO / "templates").from_string(
        '{% import "macros/method.jinja" as macros %}class Things:\n    {{ macros.method(m, False) }}'
    )
    return template.render(m=m)


@pytest.mark.parametrize(
    "annotation",
    [
        "types.{x} | types.{x}Dict",
        "Sequence[types.{x} | types.{x}Dict]",
        "dict[str, {x}]",
        "{x}",
    ],
)
def test_the_method_template_writes_blacks_layout(annotation: str) -> None:
    """Around each length where black's layout of an argument changes (the line stops fitting;
    the annotation alone stops fitting), the template writes what black writes for the one-line
    form, and black's first pass adds no token (its second is skipped)."""
    for name in ("a", "generation_config_xx"):
        lengths = {len(annotation.format(x="X" * n)): n for n in range(1, 90)}
        for target in (66, 67, 77, 78, 85):
            n = lengths.get(target - len(name) if target < 70 else target)
            if n is None:
                continue
            ann = annotation.format(x="X" * n)
            text = _method_text(name, ann, api_version="v1" if n % 2 else "")
            split = ann.replace(" | ", "\n            | ")
            flat = text.replace(
                f"{name}: (\n            {ann} | NotGiven\n        ) = NOT_GIVEN,",
                f"{name}: {ann} | NotGiven = NOT_GIVEN,",
            ).replace(
                f"{name}: (\n            {split}\n            | NotGiven\n        ) = NOT_GIVEN,",
                f"{name}: {ann} | NotGiven = NOT_GIVEN,",
            )
            once = fmt._format_once(text, mode=fmt._MODE)
            assert once == black.format_str(flat, mode=fmt._MODE), (name, ann)
            if len(ann) <= 77 or "[" not in ann:
                assert all(once.count(c) == text.count(c) for c in fmt._SPLIT_TOKENS), ann


def test_only_the_classes_that_changed_tokens_are_formatted_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calm = 'class Calm{n}(Base):\n    x: int = "a"\n'
    busy = (
        'class Busy(Base):\n    x: int = Field(default=None, validation_alias="a_long_alias_name",'
        ' serialization_alias="a_long_alias", description="and one more argument")\n'
    )
    text = "\n".join([calm.format(n=1), calm.format(n=2), busy, calm.format(n=3)])
    passes = black_passes(monkeypatch)
    assert fmt._black(text) == black.format_str(text, mode=fmt._MODE)
    assert len(passes) == 2 and passes[1].startswith("class Busy") and "Calm" not in passes[1]


def _fail() -> str:
    raise ValueError("the generator's own error")


@contextmanager
def _made_early(source: Source) -> Iterator[Source]:
    try:
        with sources.started(source.make) as early:
            yield sources.taken_from(early, source)
    finally:
        sources.finish_started()  # as generate does once it wrote


def test_a_source_made_early_is_the_same_and_its_error_the_same() -> None:
    """In the forked process or not (a test worker may have threads), a source taken from a
    started process gives what `make` gives, raises what it raises, and leaves no process behind."""
    import multiprocessing

    with _made_early(Source("k", lambda: "x = 1\n", slow=True)) as early:
        assert early.make() == "x = 1\n" and early.key == "k" and early.slow
    with _made_early(Source("k", _fail)) as early:
        with pytest.raises(ValueError, match="the generator's own error"):
            early.make()
    with pytest.raises(RuntimeError):
        with _made_early(Source("k", lambda: "y" * 10**6)):
            raise RuntimeError("the caller failed before reading")  # the child is blocked in send
    assert multiprocessing.active_children() == []


_STARTED = """
import multiprocessing, os, time
from codegen.sources import started
with started(lambda: f"child {os.getpid()}") as early:  # made in another process, taken
    text = early.take(lambda: "fallback")
assert text.startswith("child ") and text != f"child {os.getpid()}", text
def fail():
    raise ValueError("the generator's own error")
with started(fail) as early:  # failed there: made here (where the error is raised)
    assert early.take(lambda: "made here") == "made here"
start = time.monotonic()
with started(lambda: time.sleep(60) or "late") as early:  # not needed: ended at once
    early.stop()
    assert early.take(lambda: "made here") == "made here"
assert time.monotonic() - start < 30
from codegen.sources import finish_started
finish_started()  # the taken one's process: ended now (generate does so once it wrote)
assert multiprocessing.active_children() == []
print("ok")
"""


def test_a_text_started_in_a_forked_process_is_taken_or_stopped() -> None:
    """In a fresh process (forking is off in a test worker that has threads)."""
    proc = subprocess.run(
        [sys.executable, "-c", _STARTED], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert proc.stdout == "ok\n", proc.stderr


_WAITING = """
import multiprocessing, os, pathlib, sys, tempfile, time
from codegen.sources import started_waiting
flag = pathlib.Path(tempfile.mkdtemp()) / "given"
def prepare():  # ends only once the parent's give() has returned: give never waits for it
    while not flag.exists():
        time.sleep(0.01)
big = "x" * (4 * 1024 * 1024)  # far more than a pipe holds
with started_waiting(prepare, lambda v: f"{os.getpid()} {len(v)} {v[:1]}") as w:
    w.give(big)
    flag.touch()
    text = w.take(lambda: "fallback")
pid, size, first = text.split()
assert pid != str(os.getpid()) and size == str(len(big)) and first == "x", text
def broken():
    raise ImportError("prepare failed: only a head start")
with started_waiting(broken, lambda v: "made " + v) as w:
    w.give("there")
    assert w.take(lambda: "fallback") == "made there"
def fail(v):
    raise ValueError("the generator's own error")
with started_waiting(lambda: None, fail) as w:  # failed there: made here
    w.give("v")
    assert w.take(lambda: "made here") == "made here"
with started_waiting(lambda: None, lambda v: "never") as w:  # never given: made here
    assert w.take(lambda: "made here") == "made here"
with started_waiting(lambda: time.sleep(60), lambda v: "late") as w:  # not needed: ended at once
    w.stop()
    w.give("too late")
    assert w.take(lambda: "made here") == "made here"
assert multiprocessing.active_children() == []
print("ok")
"""


def test_a_text_made_from_what_it_is_given_later_in_a_forked_process() -> None:
    """`started_waiting`: the process prepares while the caller works out the value, makes the
    text from it there; never given, failed or stopped, the caller makes it (a fresh process:
    forking is off in a test worker that has threads)."""
    proc = subprocess.run(
        [sys.executable, "-c", _WAITING], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert proc.stdout == "ok\n", proc.stderr


def test_the_resource_template_writes_blacks_layout_of_nested_imports(
    spec_copy: Callable[[], Path],
) -> None:
    """Around the length where a nested resource's import stops fitting on one line, the template
    writes what black writes (so on the real spec black's first pass changes no token there, and
    its second pass over the class is skipped)."""
    spec = spec_copy()
    tuning = spec / "tuning.yaml"
    original = tuning.read_text()
    seen = set()
    for n in range(6):
        name = "permissions" + "x" * n  # the import line: 93 + 3n characters
        tuning.write_text(original.replace("      permissions:\n", f"      {name}:\n"))
        rendered, _ = render_package(load_spec(spec), TEMPLATES, types_module=False)
        text = rendered["gemini_client/resources/tuned_models.py"]
        block = text[
            text.index("if TYPE_CHECKING:") : text.index("\n\n", text.index("if TYPE_CHECKING:"))
        ]
        seen.add(max(len(line) for line in block.splitlines()) <= 100 and "(" not in block)
        once = fmt._format_once(text, mode=fmt._MODE)
        assert block in once, block
    assert seen == {True, False}  # both layouts were written


# Texts for the per-block format cache: black's output of the whole, whatever is cached.
HOSTILE_BLOCKS = {
    "decorators": "@dec\nclass A: pass\n\n\nclass B: pass\n\n@dec2\ndef f( ): pass\n\ndef g(): pass\n"
    "\n\n@a.b(c)\nasync def h(): pass\n\nasync  def k(x ,): pass\n",
    "comments between": "class A:\n  x=1\n# about B\nclass B:\n  y=2\n\n\n# d\n\ndef f(): pass\n\n"
    "def g(): pass  # trailing\n\n    # indented comment\ndef h(): pass\n",
    "fmt directives": "class A:\n  x=[1,\n 2]\n\n# fmt: off\nclass B:\n    y = [1,\n 2]\n# fmt: on\n\n"
    "class C:\n  z=[1,\n 2]  # fmt: skip\n\nclass D:\n  w=1\n",
    "carriage returns": "class A:\r\n  x=1\r\n\r\nclass B:\r\n  y=2\r\n\r\ndef f(): pass\r\n",
    "a lone carriage return": "class A:\n  s='a'\r\n\nclass B:\n  y=2\n",
    "form feeds": "class A:\n  x=1\n\x0c\nclass B:\n  y=2\n\nclass C: pass\n\x0c\n\ndef f(): pass\n",
    "not UTF-8": "class A:\n  s='\udcff'\n\nclass B:\n  t='\ud800'\n\nclass C:\n  u=1\n",
    "the same name twice": "class A: pass\nclass A: pass\n\n\nclass B:\n x=1\n\nclass A:\n  y=1\n",
    "a block inside a string": 'class A:\n  s = """\n\n\nclass B:\n"""\n\nclass B:\n  x=1\n\n'
    "class C:\n  '''\n\n\ndef f(x):\n'''\n\ndef f(x): pass\n",
    "unicode names": "class Ünïcode:\n  x=1\n\nclass 名前:\n  y=2\n\ndef ƒ(): pass\n",
    "second pass": "class A(B,):\n    x: int = Field(default=None, validation_alias='a_long_alias_name',"
    " serialization_alias='a_long_alias', description='and one more argument')\n\n"
    "class C:\n  x = 'a'\n\ndef f(a,):\n    return g(aaaaaaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbbbbbbbbbbbbbb,"
    " cccccccccccccccccccc, dddddddddddddddddd)\n",
    "empty": "",
    "blank": "\n\n  \n",
}


def _counting_black(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = fmt._black

    def counting(text: str) -> str:
        seen.append(text)
        return real(text)

    monkeypatch.setattr(fmt, "_black", counting)
    return seen


@pytest.mark.parametrize("name", HOSTILE_BLOCKS)
def test_the_block_cache_gives_blacks_output_of_the_whole(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cold, warm, and with one block changed (only it formatted again): black's output of the
    whole text every time."""
    monkeypatch.setenv(format_cache.ENV, str(tmp_path / "cache"))
    text = HOSTILE_BLOCKS[name]
    seen = _counting_black(monkeypatch)
    try:
        expected = black.format_str(text, mode=fmt._MODE)
    except UnicodeEncodeError:  # black's own refusal of a lone surrogate: the same, nothing kept
        with pytest.raises(UnicodeEncodeError):
            fmt.format_text("m.py", text)
        assert not (tmp_path / "cache").exists() or not len(
            format_cache.FormatCache(tmp_path / "cache", fmt._CACHE_SALT)
        )
        return
    assert fmt.format_text("m.py", text) == expected
    blocks = split_top_level(text, size=1)
    seen.clear()
    assert fmt.format_text("m.py", text) == black.format_str(text, mode=fmt._MODE)
    stored = format_cache.from_env(fmt._CACHE_SALT)
    assert stored is not None
    # where black's output cannot be cut for sure, nothing is stored and the text formatted again
    every_block_stored = all(hit is not None for hit in stored.get_many(blocks))
    assert every_block_stored != (name in ("the same name twice", "a block inside a string"))
    assert (seen == []) == every_block_stored
    for i, block in enumerate(blocks):
        end = len(block.rstrip())
        edited = block[:end] + "  # changed" + block[end:]  # at the end of its last line
        changed = "".join(blocks[:i] + [edited] + blocks[i + 1 :])
        seen.clear()
        assert fmt.format_text("m.py", changed) == black.format_str(changed, mode=fmt._MODE), i
        if every_block_stored:
            assert seen == [edited]


def test_a_block_that_does_not_parse_is_the_modules_error_every_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(format_cache.ENV, str(tmp_path / "cache"))
    good = "class A:\n  x=1\n\nclass B:\n  y=2\n"
    fmt.format_text("m.py", good)
    for _ in range(2):
        with pytest.raises(fmt.FormatError, match=r"^m\.py: generated code is not valid Python"):
            fmt.format_text("m.py", good + "\nclass C(:\n  z\n")


def test_only_the_changed_block_of_a_module_is_formatted_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The blocks before and after a grown one are cache hits (no cut moves); the misses on either
    side of a hit are formatted as separate runs."""
    monkeypatch.setenv(format_cache.ENV, str(tmp_path / "cache"))
    classes = [_CLASS.format(n=i, desc="d" * 30) for i in range(40)]
    text = "import os\n\n" + "\n".join(classes)
    fmt.format_text("m.py", text)
    seen = _counting_black(monkeypatch)
    grown = text.replace("class C7(Base):\n", "class C7(Base):\n    z: int = 1\n" * 1).replace(
        "class C30(Base):\n", "class C30(Base):\n    w: str = 'w'\n"
    )
    assert fmt.format_text("m.py", grown) == black.format_str(grown, mode=fmt._MODE)
    # C7 and C30 (their skeletons: codegen.format_bodies), and the one statement of theirs the
    # cache lacks (`x`, no longer their first)
    batches = [s for s in seen if s.startswith("class _codegen_stmt_")]
    assert [s.split("(")[0] for s in seen if s not in batches] == ["class C7", "class C30"]
    assert len(batches) == 1 and batches[0].count("\n    x: int = 'a'\n") == 1
    assert all(len(s) < 200 for s in seen)


def test_a_5_mb_docstring_is_one_block_stored_and_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, session_black: Callable[[str], str]
) -> None:
    """The format cache under test starts empty; black's answer for the 5 MB text comes from the
    session's store where it has it (2 s of black otherwise: what is tested is what is stored)."""
    monkeypatch.setenv(format_cache.ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(fmt, "_black", session_black)
    doc = "x" * 5_000_000
    text = f'class A:\n    """{doc}"""\n\nclass B:\n  x=1\n'
    seen = _counting_black(monkeypatch)
    assert fmt.format_text("m.py", text) == f'class A:\n    """{doc}"""\n\n\nclass B:\n    x = 1\n'
    seen.clear()
    changed = text.replace("x=1", "x=[1,2]")
    assert (
        fmt.format_text("m.py", changed)
        == f'class A:\n    """{doc}"""\n\n\nclass B:\n    x = [1, 2]\n'
    )
    assert seen == ["class B:\n  x=[1,2]\n"]


@pytest.mark.parametrize(
    "formatted, blocks",
    [
        # a block starts inside a string too: which one is the block's cannot be told
        (
            'class A:\n    s = """\n\n\nclass B:\n"""\n\n\nclass B:\n    x = 1\n',
            ['class A:\n  s = """\n\n\nclass B:\n"""\n\n', "class B:\n  x=1\n"],
        ),
        # black separated two classes the sources did not: the same name twice
        (
            "class A:\n    pass\n\n\nclass A:\n    pass\n\n\nclass A:\n    pass\n",
            ["class A: pass\nclass A: pass\n\n", "class A: pass\n"],
        ),
        # the second block's name is not where black's output says
        ("class A:\n    pass\n\n\nclass C:\n    pass\n", ["class A: pass\n\n", "class B: pass\n"]),
        # out of order
        (
            "class B:\n    pass\n\n\nclass A:\n    pass\n\n\nclass C:\n    pass\n",
            ["class B: pass\n\n", "class C: pass\n\n", "class A: pass\n"],
        ),
        # three blank lines: not black's
        (
            "class A:\n    pass\n\n\n\nclass B:\n    pass\n",
            ["class A: pass\n\n", "class B: pass\n"],
        ),
    ],
)
def test_answers_are_stored_per_block_only_when_the_cut_is_certain(
    formatted: str, blocks: list[str]
) -> None:
    assert fmt.formatted_blocks(formatted, blocks) is None


def test_black_output_cut_into_blocks() -> None:
    blocks = split_top_level(TRICKY[0], size=1) + []
    formatted = black.format_str(TRICKY[0], mode=fmt._MODE)
    pieces = fmt.formatted_blocks(formatted, blocks)
    assert pieces == [black.format_str(b, mode=fmt._MODE) for b in blocks]


_AFTER_SENT = """
import multiprocessing, pathlib, sys, tempfile, time
from codegen import sources
done = pathlib.Path(tempfile.mkdtemp())
sources.after_sent(lambda: (done / "here").touch())  # not in a started process: at once
assert (done / "here").exists()
def make():
    def later():  # waits for the parent to have taken the text
        while not (done / "taken").exists():
            time.sleep(0.001)
        (done / "later").touch()
        time.sleep(60)
    sources.after_sent(later)
    return "made"
start = time.monotonic()
with sources.started(make) as early:
    assert early.take(lambda: "fallback") == "made"  # sent before `later` ran
    (done / "taken").touch()
    while not (done / "later").exists():
        time.sleep(0.001)
assert multiprocessing.active_children() != []  # the block's end leaves it to finish_started
sources.finish_started()
assert time.monotonic() - start < 30  # then ended, not waited for
def failing():
    sources.after_sent(lambda: (done / "failed").touch())
    raise ValueError("no text")
with sources.started(failing) as early:
    assert early.take(lambda: "made here") == "made here"
assert not (done / "failed").exists()  # no text sent: nothing done after
sources.finish_started()
assert multiprocessing.active_children() == []
print("ok")
"""


def test_what_a_started_process_does_after_sending_its_text() -> None:
    """`sources.after_sent`: in a started process, after its text was sent (the caller does not
    wait for it, only for up to `AFTER_SENT_SECONDS` at `finish_started`); anywhere else, at once.
    In a fresh process (forking is off in a test worker that has threads)."""
    proc = subprocess.run(
        [sys.executable, "-c", _AFTER_SENT], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert proc.stdout == "ok\n", proc.stderr
