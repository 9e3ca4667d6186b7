"""Formatting in pieces and in parallel gives exactly black's output for the whole module."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import black
import pytest

import codegen.format as fmt
from codegen import sources
from codegen.format import format_sources, join_formatted, split_top_level
from codegen.render.package import render_package
from codegen.sources import Source
from codegen.spec.loader import load_spec

from .conftest import TEMPLATES

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
    passes: list[str] = []
    real = fmt._format_once

    def counting(text: str, *, mode: black.Mode) -> str:
        passes.append(text)
        return real(text, mode=mode)

    monkeypatch.setattr(fmt, "_format_once", counting)
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
    passes: list[str] = []
    real = fmt._format_once

    def counting(t: str, *, mode: black.Mode) -> str:
        passes.append(t)
        return real(t, mode=mode)

    monkeypatch.setattr(fmt, "_format_once", counting)
    assert fmt._black(text) == black.format_str(text, mode=fmt._MODE)
    assert len(passes) == 2 and passes[1].startswith("class Busy") and "Calm" not in passes[1]


def _fail() -> str:
    raise ValueError("the generator's own error")


def test_a_source_made_early_is_the_same_and_its_error_the_same() -> None:
    """In the forked process or not (a test worker may have threads), `made_early` gives what
    `make` gives, raises what it raises, and leaves no process behind."""
    import multiprocessing

    with sources.made_early(Source("k", lambda: "x = 1\n", slow=True)) as early:
        assert early.make() == "x = 1\n" and early.key == "k" and early.slow
    with sources.made_early(Source("k", _fail)) as early:
        with pytest.raises(ValueError, match="the generator's own error"):
            early.make()
    with pytest.raises(RuntimeError):
        with sources.made_early(Source("k", lambda: "y" * 10**6)):
            raise RuntimeError("the caller failed before reading")  # the child is blocked in send
    assert multiprocessing.active_children() == []


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
