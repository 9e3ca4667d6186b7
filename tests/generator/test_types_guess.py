"""The guess of the types module after a change to templates/datamodel/ alone
(`codegen.render.types_guess`): recording what datamodel-code-generator passed each template leaves
the module unchanged; the guess is the module it then makes; a guess is only ever a head start for
black (a wrong, broken, damaged or missing one changes no byte of the output)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import Any

import pytest

import codegen.format as fmt
from codegen import format_cache
from codegen.render import types_guess
from codegen.render.package import TYPES_MODULE, job_source, types_module_job
from codegen.render.types_module import ModelsJob, render_types_module
from codegen.sources import Source
from codegen.spec.loader import load_spec
from codegen.write import read_tree
from support.work import counted

from .conftest import MINI, PROBE_SESSION_BLACK, REPO, TEMPLATES, probe_env

# The bench's "line of the model template" change, and one to the enum template.
CHANGES = {
    "pydantic_v2/BaseModel.jinja2": (
        '    """{{ field.extras.description |',
        '    """Field. {{ field.extras.description |',
    ),
    "Enum.jinja2": (
        "    {{ field.name }} = {{ value }}",
        "    {{ field.name }} = {{ value }}  # value",
    ),
}


def _changed_templates(root: Path) -> Path:
    templates = root / "templates"
    shutil.copytree(TEMPLATES, templates)
    for name, (old, new) in CHANGES.items():
        path = templates / "datamodel" / name
        text = path.read_text()
        assert old in text, f"update CHANGES: {name} no longer holds {old!r}"
        path.write_text(text.replace(old, new))
    return templates


@pytest.fixture(scope="module")
def jobs(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModelsJob, ModelsJob]:
    """The mini spec's types module job with the templates as they are, and changed."""
    spec = load_spec(MINI)
    changed = _changed_templates(tmp_path_factory.mktemp("guess"))
    return types_module_job(spec, TEMPLATES), types_module_job(spec, changed)


def test_recording_changes_nothing_and_a_template_change_is_guessed(
    cache: Path, jobs: tuple[ModelsJob, ModelsJob]
) -> None:
    before, after = jobs
    assert types_guess.guessed(after) is None  # nothing recorded yet
    made = types_guess.made_and_recorded(before)
    assert made == render_types_module(before)
    real = render_types_module(after)
    assert "Field. " in real and "  # value" in real  # both templates were used
    assert types_guess.guessed(after) == real
    assert types_guess.guessed(before) == made  # and unchanged templates: the module itself


def test_no_cache_no_record_and_a_record_is_per_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: tuple[ModelsJob, ModelsJob]
) -> None:
    before, after = jobs
    monkeypatch.setenv(format_cache.ENV, "")
    assert types_guess.made_and_recorded(before) == render_types_module(before)
    assert types_guess.guessed(after) is None
    monkeypatch.setenv(format_cache.ENV, str(tmp_path / "cache"))
    types_guess.made_and_recorded(before)
    other = ModelsJob(
        before.schema + " ", after.aliases, after.template_dir, after.bases, after.generic
    )
    assert types_guess.guessed(other) is None  # another schema: another key


@pytest.mark.parametrize(
    "record",
    [
        "not json",
        "[]",
        '[["a"], [["pydantic_v2/BaseModel.jinja2", {}]]]',  # one slot, no part after it
        '[["a", "b"], [["no-such-template.jinja2", {}]]]',
        '[["a", "b"], [["../../../etc/passwd", {}]]]',
        '[["a", "b"], [["pydantic_v2/BaseModel.jinja2", {"fields": 3}]]]',
        '{"parts": 1}',
    ],
)
def test_a_damaged_or_foreign_record_is_no_guess(
    cache: Path, jobs: tuple[ModelsJob, ModelsJob], record: str
) -> None:
    _, after = jobs
    types_guess._records().put(types_guess._record_key(after), record)  # type: ignore[union-attr]
    assert types_guess.guessed(after) is None


def test_an_altered_record_entry_is_ignored(cache: Path, jobs: tuple[ModelsJob, ModelsJob]) -> None:
    before, after = jobs
    types_guess.made_and_recorded(before)
    with sqlite3.connect(cache / format_cache.DATABASE) as db:
        db.execute("UPDATE entries SET body = substr(body, 1, length(body) - 1) || 'x'")
    assert types_guess.guessed(after) is None


class _InProcess(Executor):
    """An executor that runs each call at once, here (where `counted` sees it)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:
            future.set_exception(exc)
        return future


@pytest.fixture
def in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """`format_sources`'s workers as `_InProcess`; no format cache (black runs are counted)."""
    from contextlib import contextmanager

    @contextmanager
    def pool(chars: int) -> Iterator[Executor]:
        yield _InProcess()

    monkeypatch.setattr(fmt, "_pool", pool)
    monkeypatch.setattr(fmt, "PARALLEL_MIN_CHARS", 1)
    monkeypatch.setattr(fmt, "CHUNK_CHARS", 2000)  # the mini module in several runs
    monkeypatch.setenv(format_cache.ENV, "")


def _format_with_guess(job: ModelsJob, guess: str | None) -> tuple[dict[str, str], int, int]:
    """The module formatted, black's runs, and how often a text was cut into blocks (parsed)."""
    source = job_source(job)
    sources = {TYPES_MODULE: Source(source.key, source.make, slow=True, guess=lambda: guess)}
    out, work = counted(lambda: fmt.format_sources(sources))
    return (
        out,
        work.calls("codegen/format.py", "_black"),
        work.calls("codegen/format.py", "split_top_level"),
    )


def test_a_right_guess_formats_the_module_once_a_wrong_one_changes_nothing(
    in_process: None, jobs: tuple[ModelsJob, ModelsJob]
) -> None:
    _, job = jobs
    real = render_types_module(job)
    expected, alone, _ = _format_with_guess(job, None)
    assert alone > 1  # formatted in runs
    out, with_guess, cut = _format_with_guess(job, real)
    assert out == expected and with_guess == alone  # the module's blocks came from the guess's runs
    assert cut == 1  # the module is the guess: cut into blocks once
    wrong = real.replace('"""', '"""Wrong. ')  # the classes differ: formatted again
    out, with_wrong, cut = _format_with_guess(job, wrong)
    assert out == expected and with_wrong > alone and cut == 2
    half = real[: len(real) // 2] + "\n\nclass (:\n"  # not Python: its runs fail, nothing taken
    out, _, _ = _format_with_guess(job, half)
    assert out == expected


_PROBE = (
    PROBE_SESSION_BLACK
    + """
import sys
from codegen.render import types_guess
from codegen.pipeline import Paths, generate
fmt.PARALLEL_MIN_CHARS = 1  # the mini spec's module is small: the workers all the same
guesses = []
guessed = types_guess.guessed
types_guess.guessed = lambda job: guesses.append(guessed(job)) or guesses[-1]
spec, first, second = map(Path, sys.argv[1:4])
generate(Paths(spec, first, Path(sys.argv[4])))
assert guesses == [None], guesses  # a new cache: nothing recorded yet
generate(Paths(spec, second, Path(sys.argv[5])))
assert len(guesses) == 2 and "Field. " in guesses[1], guesses
"""
)


def test_a_full_build_after_a_template_change_is_the_same_with_the_guess(
    tmp_path: Path, session_format_cache: Path | None, session_black: Callable[[str], str]
) -> None:
    """In a fresh process (forks: the types module's process records, the workers format the
    guess), a build after the change next to one before it is byte for byte the build of the
    changed templates without any cache. Black's answers, in both processes, come from the test
    session's store where it holds the exact text (`session_black`), which is not the cache
    under test: the guess is still formatted by black in the workers, and stored there."""
    changed = _changed_templates(tmp_path)
    env = probe_env(session_format_cache)
    builds = tmp_path / "builds"
    subprocess.run(
        [sys.executable, "-c", _PROBE, str(MINI), str(TEMPLATES), str(changed)]
        + [str(builds / "before"), str(builds / "after")],
        cwd=REPO,
        env=env,
        check=True,
    )
    from codegen.pipeline import Paths, generate

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(format_cache.ENV, "")
        mp.setattr(fmt, "_black", session_black)
        generate(Paths(MINI, changed, tmp_path / "alone" / "out"))
    assert read_tree(builds / "after") == read_tree(tmp_path / "alone" / "out")
