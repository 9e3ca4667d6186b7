"""The templates are compiled once per process (`codegen.render.compiled`): a second render compiles
nothing, and a template edited since is rendered from its new text, even when its file keeps the
old modification time."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from codegen.render.compiled import CompiledTemplates
from codegen.render.package import render_package
from codegen.spec.loader import load_spec
from support.work import counted

from .conftest import MINI, TEMPLATES


def test_a_second_render_compiles_nothing_and_an_edit_is_seen(tmp_path: Path) -> None:
    templates = shutil.copytree(TEMPLATES, tmp_path / "templates")
    spec = load_spec(MINI)
    first, _ = render_package(spec, templates, types_module=False)
    (again, _), work = counted(lambda: render_package(spec, templates, types_module=False))
    assert again == first
    assert work.calls("jinja2/environment.py", "compile") == 0

    client = templates / "package" / "_client.py.jinja"
    stat = client.stat()
    client.write_text(client.read_text() + "\nEDITED = 1\n")
    os.utime(client, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the clock did not tick
    (edited, _), work = counted(lambda: render_package(spec, templates, types_module=False))
    assert edited["gemini_client/_client.py"].endswith("\nEDITED = 1\n")
    assert work.calls("jinja2/environment.py", "compile") == 1  # that template alone
    assert {p: t for p, t in edited.items() if p != "gemini_client/_client.py"} == {
        p: t for p, t in first.items() if p != "gemini_client/_client.py"
    }


def test_the_least_recently_used_are_dropped_beyond_the_bound(tmp_path: Path) -> None:
    import jinja2

    for name in "abc":
        (tmp_path / f"{name}.jinja").write_text(f"{name}={{{{ x }}}}")
    cache = CompiledTemplates(max_templates=2)
    loader = jinja2.FileSystemLoader(str(tmp_path))
    env = jinja2.Environment(loader=loader, bytecode_cache=cache, cache_size=0)
    for name in "abca":
        assert env.get_template(f"{name}.jinja").render(x=1) == f"{name}=1"
    _, work = counted(lambda: env.get_template("a.jinja"))
    assert work.calls("jinja2/environment.py", "compile") == 0  # used last: kept
    _, work = counted(lambda: env.get_template("b.jinja"))
    assert work.calls("jinja2/environment.py", "compile") == 1  # the oldest: dropped
