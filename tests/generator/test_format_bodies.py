"""A plain class made from its skeleton and its statements (`codegen.format_bodies`) is black's output
of the whole class: on the real spec's classes, on hostile classes hypothesis makes, with the format
cache cold, warm and damaged; a statement of a shape black left alone elsewhere is black's output
of it; any doubt formats the class whole; only what changed is formatted again."""

from __future__ import annotations

import functools
import keyword
import sqlite3
from pathlib import Path

import black
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import codegen.format as fmt
from codegen import format_bodies, format_cache
from codegen.format import format_text, split_top_level
from codegen.render.package import render_package
from codegen.spec.loader import load_spec

from .conftest import REPO, TEMPLATES, black_passes


def _black(text: str) -> str:
    return black.format_str(text, mode=fmt._MODE)


CLASS = '''class Part{n}(BaseModel):
    """A part of a message{n}."""

    text: str | None = None
    """Inline text{n}."""

    data: Accepts[Blob | None, "Blob | BlobDict | None"] = Field(default=NONE, validation_alias="inlineData", serialization_alias="inlineData")
    """Inline "media" bytes,
    over two lines."""

    kind: Literal["a", "b"] | None = None
    model_config = ConfigDict(extra="allow")
'''


def test_the_real_specs_classes_are_blacks_output() -> None:
    """Every plain class the real spec renders to (the typed dicts, the resources' classes...),
    formatted through its statements with no cache, is black's output of the class: a module's
    blocks formatted whole at once, as the build did before it formatted classes by their
    statements (`_format_each`; each block alone where that output cannot be cut back)."""
    rendered, _ = render_package(load_spec(REPO / "spec"), TEMPLATES, types_module=False)
    planned = 0
    for path, text in sorted(rendered.items()):
        if not path.endswith(".py"):
            continue
        blocks = split_top_level(text, size=1)
        made = fmt._by_statements(blocks, None)
        if not made:
            continue
        planned += len(made)
        whole = fmt._format_each(blocks) or [_black(b) for b in blocks]
        for block, formatted in zip(blocks, whole):
            if block in made:
                assert made[block] == formatted, (path, block[:80])
    assert planned > 150  # the typed dicts at least


def test_a_class_cold_warm_and_changed_is_black_output(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "\n\n".join(CLASS.format(n=n) for n in range(3))
    expected = _black(text)
    assert format_text("m.py", text) == expected  # cold: statements, shapes and skeletons stored
    seen = black_passes(monkeypatch)
    assert format_text("m.py", text) == expected and seen == []  # warm: whole blocks
    # every attribute docstring reworded (a line of the model template): only they are formatted
    changed = text.replace('    """Inline', '    """Field. Inline')  # not the class docstrings
    assert format_text("m.py", changed) == _black(changed)
    # no black at all: the skeletons and the fields are cached, and a docstring alone is its
    # own output (`format_bodies.lone_string`)
    assert seen == []
    # the same with a docstring black changes (a trailing space): that one alone is formatted
    spaced = changed.replace('Inline text1."""', 'Inline text1."""  ')
    assert format_text("m.py", spaced) == _black(spaced)
    assert len(seen) == 1 and seen[0].count('"""') == 2 and "text1" in seen[0]


def test_one_statement_of_each_shape_is_formatted(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fields = "".join(f"    field_{n}: list[Item{n}] | None = None\n" for n in range(40))
    text = f'class Many(BaseModel):\n    """Many fields."""\n\n{fields}'
    seen = black_passes(monkeypatch)
    assert format_text("m.py", text) == _black(text)
    statements = [t for t in seen if t.startswith("class _codegen_stmt_")]
    assert sum(t.count("field_") for t in statements) == 1  # the first; the other 39 by shape
    again = text.replace("Item", "Other").replace("Many", "More")
    seen.clear()
    assert format_text("m.py", again) == _black(again)
    assert not any("field_" in t for t in seen)  # the shape is known from the cache


def test_a_shape_black_changes_is_formatted_each_time(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fields = "".join(f"    field_{n}:list[Item{n}]=None\n" for n in range(5))  # not black's layout
    text = f"class Many(BaseModel):\n    x: int = 1\n{fields}"
    seen = black_passes(monkeypatch)
    assert format_text("m.py", text) == _black(text)
    assert sum(t.count("field_") for t in seen) == 5


@pytest.mark.parametrize(
    "statement",
    [
        '    x: int = "a"\n',
        "    x: int = 1\n",
        "    x = y\n",
        "    return_: Return | None = None\n",
        "    type: str | None = None\n",  # a soft keyword stays
        "    match: Literal['a'] = None\n",  # a single quote: no shape
    ],
)
def test_shapes(statement: str) -> None:
    shaped = format_bodies.shape(statement)
    if "'" in statement:
        assert shaped is None
        return
    assert shaped is not None and "x" not in shaped.replace("None", "")
    assert shaped.count('"S"') == statement.count('"') // 2
    assert ("type" in shaped) == ("type" in statement)


@pytest.mark.parametrize(
    "statement",
    [
        '    x: int = b"a"\n',  # a prefixed string is another token
        '    x: int = f"a{b}"\n',
        "    x: int = a ** b\n",  # the power operator's hugging looks at its operands
        "    x: int = 1  # a comment\n",
        "    x: int = 1; y = 2\n",
        '    x: int = "a\\\\b"\n',
        "    x: int = 'a'\n",
        "    x: str = '\u00e9'\n",
        "    x: int = [\n        1,\n    ]\n",  # more than one line
        "    x: " + "int | " * 20 + "None = None\n",  # longer than a line
        "\tx: int = 1\n",
    ],
)
def test_no_shape(statement: str) -> None:
    assert format_bodies.shape(statement) is None


_NAMES = st.sampled_from(["a", "b_c", "Item", "value", "NONE", "type", "match", "_"]).map(
    lambda n: n if n not in keyword.kwlist else n + "_"
)
_SPACE = st.sampled_from(["", " ", "  "])


_LEAF = st.one_of(
    _NAMES,
    st.sampled_from(["None", "True", "1", "-1", "0x1F", "1.5e3", "...", '""', '"text"']),
    st.text("abc XYZ.,:", max_size=30).map(lambda t: f'"{t}"'),
)
# The strategies below are made once, not on every draw: hypothesis checks each new strategy on its
# first use, which cost more than the examples' black runs.


@functools.cache
def _expressions_at(depth: int) -> st.SearchStrategy[str]:
    return _expressions(depth)


@st.composite
def _expressions(draw: st.DrawFn, depth: int = 0) -> str:
    """Expressions of names, strings, numbers and keywords, with any spacing."""
    if depth >= 3:
        return draw(_LEAF)
    sub = _expressions_at(depth + 1)
    s1, s2 = draw(_SPACE), draw(_SPACE)
    form = draw(st.integers(0, 9))
    if form == 0:
        return f"{draw(sub)}{s1}|{s2}{draw(sub)}"
    if form == 1:
        items = draw(st.lists(sub, min_size=1, max_size=4))
        comma = draw(_COMMA)
        return f"{draw(_NAMES)}[{(',' + s1).join(items)}{comma}]"
    if form == 2:
        args = draw(st.lists(st.tuples(_NAMES, sub), max_size=3))
        return f"{draw(_NAMES)}({(',' + s1).join(f'{k}{s2}={s2}{v}' for k, v in args)})"
    if form == 3:
        return f"({draw(sub)})"
    if form == 4:
        return f"{draw(sub)}.{draw(_NAMES)}"
    if form == 5:
        return f"not {draw(sub)}"
    if form == 6:
        return f"{draw(sub)} if {draw(sub)} else {draw(sub)}"
    if form == 7:
        return f"[{(',' + s1).join(draw(st.lists(sub, max_size=3)))}]"
    return draw(_LEAF)


_COMMA = st.sampled_from(["", ","])
_QUOTE = st.sampled_from(['"', '"""', "'"])


@st.composite
def _statements(draw: st.DrawFn) -> str:
    target = draw(_NAMES)
    s1, s2 = draw(_SPACE), draw(_SPACE)
    form = draw(st.integers(0, 3))
    if form == 0:
        return f"    {target}{s1}:{s2}{draw(_expressions_at(0))}\n"
    if form == 1:
        return f"    {target}:{s2}{draw(_expressions_at(0))}{s1}={s2}{draw(_expressions_at(0))}\n"
    if form == 2:
        return f"    {target}{s1}={s2}{draw(_expressions_at(0))}\n"
    quote = draw(_QUOTE)
    body = draw(st.text('ab \\\n"', max_size=40))
    return f"    {quote}{body}{quote}\n"


_STATEMENTS = _statements()


def _renamed(statement: str, n: int) -> str:
    """`statement` with each name and string text made longer or shorter (the same shape)."""
    import re

    statement = re.sub(r'"([^"\\\n]*)"', lambda m: '"' + m[1][: n % 7] + "x" * n + '"', statement)
    return re.sub(
        r"\b[A-Za-z_]\w*\b",
        lambda m: (
            m[0]
            if m[0] in keyword.kwlist or m[0] in keyword.softkwlist or m[0] in {"x", "xx"}
            else m[0][:1] + "z" * n
        ),
        statement,
    )


def _valid(text: str) -> bool:
    try:
        compile(text, "<test>", "exec")
        _black(text)
    except Exception:
        return False
    return True


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # "\\ " in hostile strings
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(statement=_STATEMENTS, n=st.integers(0, 30))
def test_a_shape_black_leaves_alone_is_left_alone_whatever_its_names(
    statement: str, n: int
) -> None:
    """Black leaves a statement unchanged exactly when it leaves another of its shape unchanged
    (both in a class body, both fitting a line): hypothesis's statement, and black's output of it
    when that is one line, each against itself with its names and strings shorter or longer."""
    head = "class A:\n    pass\n"
    if not _valid(head + statement):
        return
    for one in {statement, _black(head + statement)[len(head) :]}:
        other = _renamed(one, n)
        shaped = format_bodies.shape(one)
        if shaped is None or format_bodies.shape(other) != shaped or not _valid(head + other):
            continue
        assert (_black(head + one) == head + one) == (_black(head + other) == head + other)


_DECORATOR = st.sampled_from(["", "    @property\n", "    @overload\n    @x.y(1)\n"])
_DEF = st.sampled_from(["def", "async def"])


@st.composite
def _methods(draw: st.DrawFn) -> str:
    """A method: decorated or not, async or not, a signature short or long, a docstring with a
    blank line or not, a body of statements."""
    decorator = draw(_DECORATOR)
    head = draw(_DEF)
    params = ", ".join(draw(st.lists(_NAMES, max_size=12, unique=True)))
    lines = [f"{decorator}    {head} m(self, {params}) -> {draw(_expressions_at(0))}:\n"]
    if draw(st.booleans()):
        lines.append('        """Doc.\n\n        More."""\n')
    for _ in range(draw(st.integers(1, 3))):
        lines.append("\n" * draw(st.integers(0, 2)))
        lines.append("    " + draw(_STATEMENTS))
    return "".join(lines)


_METHODS = _methods()
_BEFORE = st.sampled_from(["", "import os\n\n", "# c\n", "@dec\n"])
_CLASS_NAME = st.sampled_from(["A", "B", "Model"])


@st.composite
def _classes(draw: st.DrawFn) -> str:
    """A class of statements, strings, blank lines and, sometimes, what makes it not plain."""
    lines = [draw(_BEFORE)]
    lines.append(f"class {draw(_CLASS_NAME)}({draw(_NAMES)}):\n")
    if draw(st.booleans()):
        lines.append('    """Doc."""\n')
    for _ in range(draw(st.integers(1, 8))):
        lines.append("\n" * draw(st.integers(0, 3)))
        kind = draw(st.integers(0, 12))
        if kind == 0:
            lines.append("    # a comment\n")
        elif kind == 1:
            lines.append(draw(_METHODS))
        elif kind == 2:
            lines.append("    @property\n    def g(self): ...\n")
        elif kind == 3:
            lines.append("    x = 1; y = 2\n")
        elif kind == 4:
            lines.append("    pass\n")
        elif kind == 5:
            lines.append(
                "    long: "
                + " | ".join(draw(st.lists(_NAMES, min_size=10, max_size=30)))
                + " = None\n"
            )
        elif kind == 6:
            lines.append('    """a\n\n    blank line inside"""\n')
        else:
            lines.append(draw(_STATEMENTS))
    return "".join(lines)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(classes=st.lists(_classes(), min_size=1, max_size=3))
def test_hostile_classes_are_blacks_output(classes: list[str]) -> None:
    text = "\n\n".join(classes)
    if not _valid(text):
        return
    blocks = split_top_level(text, size=1)
    made = fmt._by_statements(blocks, None)
    for block, formatted in made.items():
        assert formatted == _black(block)


def test_what_comes_back_wrong_formats_the_class_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """A skeleton whose placeholders do not come back exactly once, or statements that do not
    cut back, or a statement black's parser refuses: the class is formatted whole."""
    block = CLASS.format(n=1)
    assert fmt._by_statements([block], None) == {block: _black(block)}
    with monkeypatch.context() as patch:
        patch.setattr(format_bodies, "put_back", lambda *a: None)
        assert fmt._by_statements([block], None) == {}
    with monkeypatch.context() as patch:  # black joining two statements: they do not cut back
        real = fmt._black
        patch.setattr(fmt, "_black", lambda t: real(t).replace("\n\n    kind", "\n    kind", 1))
        assert fmt._by_statements([block], None) == {}
    plan = format_bodies.plan(block)
    assert plan is not None
    formatted = _black(plan.skeleton)
    assert format_bodies.put_back(plan, formatted.replace("_codegen_stmt_0", "x"), {}) is None
    twice = formatted.replace("    _codegen_stmt_0\n", "    _codegen_stmt_0\n" * 2)
    assert format_bodies.put_back(plan, twice, {}) is None
    refused = "class A:\n    x: int = 1\n    print >> sys.stderr, 'x'\n"  # black refuses it
    assert fmt._by_statements([refused], None) == {}


def test_not_planned() -> None:
    for block in [
        "class A:\n    x = 1\n    y = 2  # comment\n",
        "def f():\n    x = 1\n    y = 2\n",
        "class A:\n    x = 1\n    y = \\\n        2\n",
        "class A:\n    x = 1\n    y = _codegen_stmt_0\n",
        "class A:\n    x = 1\r\n    y = 2\n",
        "class A:\n    x = 1\n    y = 2; z = 3\n",
        "class A:\n    x = 1\n",  # nothing after its first statement
        "class A:\n    def f(self): ...\n    def g(self):\n        ...\n",  # stubs
        "class A:\n    def f(self):\n        def g(): pass\n        return g\n",  # a def inside
        "class A:\n    def f(self):  # comment\n        return 1\n",
        "class A:\n    x = 1\n    # fmt: off\n    y = 2\n",
    ]:
        assert format_bodies.plan(block) is None, block


def test_planned_around_what_is_kept() -> None:
    """Imports, comments, decorators and the first statement stay in the skeleton; statements
    and methods of each top-level class are taken."""
    block = (
        "# header\nimport os\n\n\n@dec\nclass A(B):\n    x = 1  # kept\n    y = 2\n\n"
        '    @property\n    def f(self) -> int:\n        """Doc.\n\n        More."""\n'
        "        return 1\n\n    async def g(self):\n        await h()\n\n\nclass C:\n    z = 3\n"
    )
    made = format_bodies.plan(block)
    assert made is not None and made.statements == ["    y = 2\n"] and len(made.methods) == 2
    assert "# header" in made.skeleton and "@dec" in made.skeleton
    assert fmt._by_statements([block], None) == {block: _black(block)}


def test_a_damaged_or_false_statement_or_shape_entry_is_ignored(cache: Path) -> None:
    text = CLASS.format(n=1)
    expected = _black(text)
    assert format_text("m.py", text) == expected
    with sqlite3.connect(cache / format_cache.DATABASE) as db:  # every entry damaged
        db.execute("UPDATE entries SET body = substr(body, 1, length(body) - 1) || 'x'")
    assert format_text("m.py", text) == expected
    # a shape entry that does not hold its own key is no shape black leaves alone
    (cache / format_cache.DATABASE).unlink()
    shapes = format_cache.FormatCache(cache, f"{fmt._CACHE_SALT};class-body-shape-v1")
    ugly = "class A:\n    x: int = 1\n    field:list[int]=None\n"
    shape = format_bodies.shape("    field:list[int]=None\n")
    assert shape is not None
    shapes.put(shape, "anything")
    assert format_text("m.py", ugly) == _black(ugly)


def test_no_cache_learns_nothing_between_calls(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without a format cache each call formats one statement of each shape (nothing is kept in
    the process: a test's stand-in for black teaches nothing to the next)."""
    monkeypatch.setenv(format_cache.ENV, "")
    seen = black_passes(monkeypatch)
    text = "class A:\n    x: int = 1\n" + "".join(f"    f{n}: int = 0\n" for n in range(9))
    for _ in range(2):
        seen.clear()
        assert format_text("m.py", text) == _black(text)
        assert sum(t.count("    f") for t in seen if t.startswith("class _codegen")) == 1


def test_blank_lines_between_statements_are_blacks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = 'class A:\n    """Doc."""\n    x: int = 1\n\n\n\n    y: int = 2\n    z = 3\n\n    """z."""\n'
    assert fmt._by_statements([text], None) == {text: _black(text)}


_WARM_BUILD = """
import sys
from pathlib import Path
from codegen.pipeline import Paths, generate
spec, templates, first, second = map(Path, sys.argv[1:5])
generate(Paths(spec, templates, first))  # the format cache filled (the test session's, if any)
for name in [m for m in sys.modules if m.startswith(("black", "blib2to3", "codegen.format"))]:
    del sys.modules[name]  # imported again as the second build needs them
generate(Paths(spec, templates, second))  # the format cache answers every block
assert "black" not in sys.modules, "black imported by a build the format cache answers"
"""


def test_a_build_the_cache_answers_never_imports_black(tmp_path: Path) -> None:
    import subprocess
    import sys

    from .conftest import MINI

    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _WARM_BUILD,
            str(MINI),
            str(TEMPLATES),
            *(str(tmp_path / d) for d in "ab"),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.text(
        st.sampled_from(["a", " ", '"', "'", "\\", "\n", "\t", "é", "{", "#"]), max_size=60
    ),
    tail=st.sampled_from(["", " ", "  "]),
)
def test_a_lone_string_black_leaves_alone(text: str, tail: str) -> None:
    """A triple-quoted string alone (not first in its body) that `lone_string` takes as its own
    output is black's output of it: any text, any length, any lines."""
    statement = f'    """{text}"""{tail}\n'
    head = "class A:\n    pass\n"
    if not _valid(head + statement):
        return
    if format_bodies.lone_string(statement):
        assert _black(head + statement) == head + statement
    else:
        assert tail or "\\" in text or '"""' in text[:-1] or text.endswith('"') or text == ""
