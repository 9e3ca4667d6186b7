"""`stream_flag`: a streaming method that asks with a request field set to true, not `?alt=sse`."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from codegen.pipeline import build
from codegen.spec.emit import method_data
from codegen.spec.errors import SpecError
from codegen.spec.loader import load_spec

from .conftest import paths

OLD = """        streaming: true
        params:
          model: {in: path, type: string, prefix: models/}
        request: GenerateContentRequest"""


def with_flag(spec: Path, replacement: str) -> None:
    text = (spec / "service.yaml").read_text()
    assert OLD in text, "test setup: the mini spec's streamGenerateContent changed"
    (spec / "service.yaml").write_text(text.replace(OLD, replacement, 1))


def problems(spec: Path) -> list[str]:
    with pytest.raises(SpecError) as info:
        load_spec(spec)
    return str(info.value).splitlines()


def test_flag_is_loaded_emitted_and_rendered(spec_copy: Callable[[], Path], tmp_path: Path) -> None:
    spec = spec_copy()
    with_flag(spec, OLD.replace("streaming: true", "streaming: true\n        stream_flag: stream"))
    loaded = load_spec(spec)
    method = loaded.resources["models"].method("streamGenerateContent")
    assert method is not None and method.stream_flag == "stream"
    assert method_data(method)["stream_flag"] == "stream"
    files = build(paths(spec, tmp_path / "out"))
    module = next(v for k, v in files.items() if k.endswith("resources/models.py")).decode()
    # sync and async both pass it; the plain generateContent does not
    assert module.count('flag="stream",') == 2
    assert len(re.findall(r"flag=", module)) == 2


@pytest.mark.parametrize(
    ("replacement", "expected"),
    [
        (
            OLD.replace("streaming: true", "stream_flag: stream"),
            r"service\.yaml:\d+: resources\.models\.methods\.streamGenerateContent\.stream_flag: 'stream_flag' needs 'streaming: true'",
        ),
        (
            OLD.replace("streaming: true", "streaming: true\n        stream_flag: contents"),
            r"stream_flag: 'contents' is already a parameter or request field of streamGenerateContent",
        ),
        (
            OLD.replace("streaming: true", "streaming: true\n        stream_flag: model"),
            r"stream_flag: 'model' is already a parameter or request field",
        ),
        (
            OLD.replace("streaming: true", 'streaming: true\n        stream_flag: "a b\\x1b"'),
            r"stream_flag: invalid stream_flag 'a b\\x1b': expected a field name like 'stream'",
        ),
        (
            OLD.replace("streaming: true", "streaming: true\n        stream_flag: true"),
            r"stream_flag: expected text, got",
        ),
    ],
    ids=["without-streaming", "clashes-with-field", "clashes-with-param", "bad-name", "not-text"],
)
def test_bad_flag_is_reported_with_file_line_and_path(
    spec_copy: Callable[[], Path], replacement: str, expected: str
) -> None:
    spec = spec_copy()
    with_flag(spec, replacement)
    lines = problems(spec)
    assert any(re.search(expected, line) for line in lines), lines
