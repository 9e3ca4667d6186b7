"""Every kind of bad input names its file, line and YAML path, all problems at once, no traceback."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from codegen.spec.errors import SpecError
from codegen.spec.loader import load_spec

from .conftest import REPO

# (what, file, text to find in it, replacement, expected "line: path: message" regex)
CASES = [
    (
        "yaml syntax",
        "content.yaml",
        "      role: string",
        "      role: [string",
        r"content\.yaml:\d+: YAML syntax error",
    ),
    (
        "unknown type",
        "content.yaml",
        "        type: Blob\n",
        "        type: Blobb\n",
        r"content\.yaml:12: types\.Part\.fields\.inlineData\.type: unknown type 'Blobb' \(did you mean 'Blob'\?\)",
    ),
    (
        "unknown type in list",
        "content.yaml",
        "parts: list[Part]",
        "parts: list[Prat]",
        r"types\.Content\.fields\.parts: unknown type 'Prat' \(did you mean 'Part'\?\)",
    ),
    (
        "duplicate type",
        "content.yaml",
        "  Model:\n",
        "  Blob:\n    fields: {}\n  Model:\n",
        r"content\.yaml:\d+: types\.Blob: duplicate type 'Blob' \(first defined at line 17\)",
    ),
    (
        "duplicate field",
        "content.yaml",
        "      role: string\n",
        "      role: string\n      role: string\n",
        r"types\.Content\.fields\.role: duplicate field 'role'",
    ),
    (
        "duplicate method",
        "service.yaml",
        "      get:\n",
        "      list:\n        http: GET v1beta/models\n        response: Model\n      get:\n",
        r"resources\.models\.methods\.list: duplicate method 'list'",
    ),
    (
        "duplicate enum value",
        "content.yaml",
        "      STOP: Natural stop.\n",
        "      STOP: Natural stop.\n      STOP: Again.\n",
        r"types\.FinishReason\.enum\.STOP: duplicate enum value 'STOP'",
    ),
    (
        "invalid type name",
        "content.yaml",
        "  Model:\n",
        "  bad-name:\n    fields: {}\n  Model:\n",
        r"types\.bad-name: invalid type name 'bad-name'",
    ),
    (
        "invalid field name",
        "content.yaml",
        "      role: string",
        '      "ro le": string',
        r"types\.Content\.fields\.ro le: invalid field name 'ro le'",
    ),
    (
        "invalid enum value",
        "content.yaml",
        "      STOP: Natural stop.",
        '      "STOP NOW": Natural stop.',
        r"types\.FinishReason\.enum\.STOP NOW: invalid enum value",
    ),
    (
        "path param missing from path",
        "service.yaml",
        "          name: {in: path, type: string, prefix: models/}",
        "          name: {in: path, type: string, prefix: models/}\n          other: {in: path, type: string}",
        r"resources\.models\.methods\.get\.params\.other: path parameter 'other' does not appear in the path",
    ),
    (
        "path param undeclared",
        "service.yaml",
        "http: GET v1beta/{+name}",
        "http: GET v1beta/{+name}/{version}",
        r"resources\.models\.methods\.get\.http: the path names '\{version\}' but no parameter 'version' is declared",
    ),
    (
        "wrong kind: bool",
        "content.yaml",
        "        required: true\n",
        "        required: maybe\n",
        r"types\.Blob\.fields\.data\.required: expected true or false, got text",
    ),
    (
        "wrong kind: mapping",
        "content.yaml",
        "    fields:\n      parts: list[Part]\n      role: string\n",
        "    fields: [parts, role]\n",
        r"content\.yaml:4: types\.Content\.fields: expected a mapping of fields, got a sequence",
    ),
    (
        "unknown key typo",
        "content.yaml",
        "        required: true\n",
        "        requried: true\n",
        r"content\.yaml:\d+: types\.Blob\.fields\.data\.requried: unknown key 'requried' \(did you mean 'required'\?\)",
    ),
    (
        "bad http verb",
        "service.yaml",
        "http: GET v1beta/models",
        "http: FETCH v1beta/models",
        r"resources\.models\.methods\.list\.http: expected 'VERB path'",
    ),
    (
        "paginated items not a list",
        "service.yaml",
        "paginated: {items: models}",
        "paginated: {items: nextPageToken}",
        r"resources\.models\.methods\.list\.paginated\.items: 'nextPageToken' is not a list field",
    ),
    (
        "enum as request",
        "service.yaml",
        "        request: GenerateContentRequest\n        response: GenerateContentResponse\n      streamGenerateContent",
        "        request: FinishReason\n        response: GenerateContentResponse\n      streamGenerateContent",
        r"resources\.models\.methods\.generateContent\.request: 'FinishReason' is an enum",
    ),
    # nested resources and traits (tests/data/specs/mini/tuning.yaml)
    (
        "nested unknown type",
        "tuning.yaml",
        "            response: Permission\n",
        "            response: Permision\n",
        r"tuning\.yaml:\d+: resources\.tunedModels\.resources\.permissions\.methods\.create\.response: unknown type 'Permision' \(did you mean 'Permission'\?\)",
    ),
    (
        "nested unknown key",
        "tuning.yaml",
        "        description: Who may use a tuned model.\n",
        "        descripton: Who may use a tuned model.\n",
        r"resources\.tunedModels\.resources\.permissions\.descripton: unknown key 'descripton' \(did you mean 'description'\?\)",
    ),
    (
        "nested resource named like a method",
        "tuning.yaml",
        "      operations:\n        methods:\n",
        "      delete:\n        methods:\n",
        r"resources\.tunedModels\.resources\.delete: Python method or attribute 'delete' is also the name of resources\.tunedModels\.methods\.delete",
    ),
    (
        "nested resource class collides",
        "tuning.yaml",
        "  files:\n    description: Only a paginated method.\n",
        "  tunedModelsOperations:\n    description: Only a paginated method.\n",
        r"resource class 'TunedModelsOperations' is also the name of",
    ),
    (
        "too deep",
        "tuning.yaml",
        "      operations:\n        methods:\n",
        "      operations:\n        resources:\n          a:\n            resources:\n              b:\n                resources:\n                  c: {}\n        methods:\n",
        r"resources\.tunedModels\.resources\.operations\.resources\.a\.resources\.b\.resources: resources nest at most 4 levels deep",
    ),
    (
        "long_running unknown type",
        "tuning.yaml",
        "long_running: {response: TunedModel, metadata: CreateTunedModelMetadata}",
        "long_running: {response: TunedModle}",
        r"resources\.tunedModels\.methods\.create\.long_running\.response: unknown type 'TunedModle' \(did you mean 'TunedModel'\?\)",
    ),
    (
        "long_running empty",
        "tuning.yaml",
        "long_running: {response: TunedModel, metadata: CreateTunedModelMetadata}",
        "long_running: {response: ''}",
        r"resources\.tunedModels\.methods\.create\.long_running\.response: empty: name the type the operation holds, or 'object'",
    ),
    (
        "long_running and paginated",
        "tuning.yaml",
        "        paginated: {items: files}\n",
        "        paginated: {items: files}\n        long_running: {response: object}\n",
        r"resources\.files\.methods\.list\.long_running: 'paginated' and 'long_running' cannot be combined",
    ),
    (
        "upload and streaming",
        "tuning.yaml",
        "        upload: true\n",
        "        upload: true\n        streaming: true\n",
        r"resources\.media\.methods\.upload\.upload: 'upload' combines only with 'long_running'",
    ),
    (
        "upload with GET",
        "tuning.yaml",
        "        http: POST v1beta/files\n        upload: true",
        "        http: GET v1beta/files\n        upload: true",
        r"resources\.media\.methods\.upload\.upload: an upload sends a body",
    ),
    (
        "upload field named media_type",
        "tuning.yaml",
        "  CreateFileRequest:\n    fields:\n",
        "  CreateFileRequest:\n    fields:\n      mediaType: string\n",
        r"types\.CreateFileRequest\.fields\.mediaType: keyword argument of upload\(\) 'media_type' is also the name of resources\.media\.methods\.upload\.upload",
    ),
    (
        "download with a response",
        "tuning.yaml",
        "        download: true\n",
        "        download: true\n        response: File\n",
        r"resources\.media\.methods\.download: a download returns bytes",
    ),
    (
        "download not a GET",
        "tuning.yaml",
        "        http: GET v1beta/{+name}:download",
        "        http: POST v1beta/{+name}:download",
        r"resources\.media\.methods\.download\.download: a download is a GET",
    ),
    (
        "keyword type name",
        "tuning.yaml",
        "  Empty:\n",
        "  None:\n    fields: {}\n  Empty:\n",
        r"tuning\.yaml:\d+: types\.None: 'None' is a Python keyword: it cannot name a type",
    ),
    (
        "python name collision",
        "content.yaml",
        "      role: string\n",
        "      role: string\n      Role: string\n",
        r"types\.Content\.fields\.Role: Python attribute 'role' is also the name of types\.Content\.fields\.role",
    ),
]


@pytest.mark.parametrize(
    ("what", "file", "old", "new", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_bad_spec_reports_file_line_and_path(
    spec_copy: Callable[[], Path], what: str, file: str, old: str, new: str, expected: str
) -> None:
    spec = spec_copy()
    text = (spec / file).read_text()
    assert old in text, f"test setup: {old!r} not in {file}"
    (spec / file).write_text(text.replace(old, new, 1))
    with pytest.raises(SpecError) as info:
        load_spec(spec)
    lines = str(info.value).splitlines()
    assert any(re.search(expected, line) for line in lines), lines
    assert all(re.match(r"^\S+\.yaml:\d+: ", line) for line in lines), lines


def test_all_problems_are_reported_together(spec_copy: Callable[[], Path]) -> None:
    spec = spec_copy()
    text = (spec / "content.yaml").read_text()
    text = text.replace("        required: true\n", "        requried: true\n", 1).replace(
        "      role: string\n", "      role: string\n      role: string\n"
    )
    (spec / "content.yaml").write_text(text)
    with pytest.raises(SpecError) as info:
        load_spec(spec)
    assert len(info.value.problems) == 2


def test_keywords_as_names_are_renamed_not_rejected(spec_copy: Callable[[], Path]) -> None:
    from codegen.naming import field_name, param_name

    spec = load_spec(spec_copy())
    part = spec.types["Part"]
    assert [field_name(f.name) for f in part.fields] == ["text", "inline_data", "from_"]  # type: ignore[union-attr]
    assert (
        param_name("class") == "class_"
        and param_name("timeout") == "timeout_"
        and param_name("type") == "type"
    )


def test_cli_exits_2_with_one_line_per_problem_and_no_traceback(
    spec_copy: Callable[[], Path], tmp_path: Path
) -> None:
    spec = spec_copy()
    (spec / "content.yaml").write_text(
        (spec / "content.yaml").read_text().replace("type: Blob\n", "type: Blobb\n")
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "codegen.cli",
            "generate",
            "--spec",
            str(spec),
            "--out",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "unknown type 'Blobb'" in result.stderr
    assert not (tmp_path / "out").exists()


def test_missing_spec_directory_is_bad_input(tmp_path: Path) -> None:
    from codegen.cli import main

    assert main(["generate", "--spec", str(tmp_path / "nope"), "--out", str(tmp_path / "out")]) == 2
