"""Compiled templates kept in the format cache (`CompiledTemplates(persistent=True)`): a new
process compiles no template compiled before, and renders exactly what compiling gives; an edited
template, another environment's options, a damaged entry or no cache mean compiling again."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import jinja2
import pytest

from codegen import format_cache
from codegen.render.compiled import CompiledTemplates
from support.work import counted

TEMPLATE = "{% for x in xs %}{{ x | upper }}{% if not loop.last %}, {% endif %}{% endfor %}\n"


def _render(root: Path, name: str = "t.jinja", **options: object) -> tuple[str, int]:
    """Rendered in an environment as a new process has it (nothing compiled in memory), and the
    templates compiled meanwhile."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(root)),
        bytecode_cache=CompiledTemplates(persistent=True),
        **options,  # type: ignore[arg-type]
    )
    text, work = counted(lambda: env.get_template(name).render(xs=["a", "b"]))
    return text, work.calls("jinja2/environment.py", "compile")


@pytest.fixture
def templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(format_cache.ENV, str(tmp_path / "cache"))
    root = tmp_path / "templates"
    root.mkdir()
    (root / "t.jinja").write_text(TEMPLATE)
    return root


def test_a_new_process_compiles_nothing_compiled_before(templates: Path, tmp_path: Path) -> None:
    assert _render(templates) == ("A, B", 1)
    assert _render(templates) == ("A, B", 0)
    other = tmp_path / "copy"  # the same template elsewhere (a copy of templates/)
    other.mkdir()
    (other / "t.jinja").write_text(TEMPLATE)
    assert _render(other) == ("A, B", 0)


def test_an_edit_or_other_options_compile_again(templates: Path) -> None:
    _render(templates)
    assert _render(templates, trim_blocks=True) == ("A, B", 1)
    assert _render(templates, keep_trailing_newline=True) == ("A, B\n", 1)
    (templates / "t.jinja").write_text(TEMPLATE.replace("upper", "lower"))
    assert _render(templates) == ("a, b", 1)


def test_a_damaged_entry_or_no_cache_compiles_again(
    templates: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _render(templates)
    with sqlite3.connect(tmp_path / "cache" / format_cache.DATABASE) as db:
        db.execute("UPDATE entries SET body = substr(body, 1, length(body) - 4) || 'AAAA'")
    assert _render(templates) == ("A, B", 1)
    monkeypatch.setenv(format_cache.ENV, "")
    assert _render(templates) == ("A, B", 1)
    assert _render(templates) == ("A, B", 1)


@pytest.mark.parametrize("stored", ["not base64!", "AAAA", "YWJj"])  # nor marshal, nor code
def test_an_entry_that_does_not_load_compiles_again(templates: Path, stored: str) -> None:
    """Sound entries (their digest matches) that hold no compiled code."""
    _render(templates)
    body = stored.encode()
    with sqlite3.connect(templates.parent / "cache" / format_cache.DATABASE) as db:
        db.execute("UPDATE entries SET body = ?", (hashlib.sha256(body).digest() + body,))
    assert _render(templates) == ("A, B", 1)
