"""The emitter: hand-written style, safe quoting, snippets, and the round trip through the loader."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import importlib.util
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from codegen.discovery import topics
from codegen.discovery.bootstrap import PALM_METHODS, bootstrap_spec, main, render
from codegen.spec import emit
from codegen.spec.emit import emit_enum_value, emit_field, emit_method, emit_type
from codegen.spec.model import (
    NOWHERE,
    EnumType,
    EnumValue,
    Field,
    Method,
    ObjectType,
    Pagination,
    Parameter,
    Spec,
    TypeRef,
)

from .conftest import NEW


def test_field_short_and_long_form() -> None:
    assert emit_field(Field("role", TypeRef("primitive", "string"))) == "role: string\n"
    assert (
        emit_field(Field("parts", TypeRef("list", item=TypeRef("named", "Part"))))
        == "parts: list[Part]\n"
    )
    f = Field(
        "data",
        TypeRef("primitive", "bytes"),
        "Raw bytes.",
        required=True,
        output_only=True,
        deprecated=True,
    )
    assert emit_field(f) == (
        "data:\n  type: bytes\n  required: true\n  output_only: true\n  deprecated: true\n  description: Raw bytes.\n"
    )


def test_type_key_order() -> None:
    t = ObjectType(
        "Blob",
        (Field("mimeType", TypeRef("primitive", "string"), "The MIME type."),),
        "Raw media bytes.",
        True,
    )
    assert emit_type(t) == (
        "Blob:\n  description: Raw media bytes.\n  deprecated: true\n  fields:\n"
        "    mimeType:\n      type: string\n      description: The MIME type.\n"
    )
    assert emit_type(ObjectType("Empty", ())) == "Empty:\n  fields: {}\n"


def test_enum_values() -> None:
    assert (
        emit_enum_value(EnumValue("STOP", "Natural stop point.")) == "STOP: Natural stop point.\n"
    )
    assert emit_enum_value(EnumValue("OLD", "Replaced: by STOP.", deprecated=True)) == (
        "OLD:\n  description: 'Replaced: by STOP.'\n  deprecated: true\n"
    )
    # values YAML would read as something else are quoted by YAML itself
    e = EnumType("T", tuple(EnumValue(v) for v in ("NULL", "OFF", "ON", "YES", "unspecified")))
    assert yaml.safe_load(emit_type(e)) == {"T": {"enum": {v.name: "" for v in e.values}}}


def test_method_snippet() -> None:
    m = Method(
        "list",
        "GET",
        "v1beta/models",
        (Parameter("pageToken", "query", TypeRef("primitive", "string")),),
        response="ListModelsResponse",
        pagination=Pagination("models"),
    )
    assert emit_method(m) == (
        "list:\n  http: GET v1beta/models\n  params:\n    pageToken:\n      in: query\n      type: string\n"
        "  response: ListModelsResponse\n  paginated:\n    items: models\n"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Output only: the value.",
        "`Schema` object.",
        "- a list?",
        "# not a comment",
        "'quoted' start",
        '"double"',
        "yes",
        "null",
        "1.5",
        "ends with colon:",
        "{braces}",
        "[brackets]",
        "a #hash",
        "@at and %percent",
        "!tag",
        "&anchor *alias",
        "|literal",
        ">folded",
        "tab\there",
        "two\nlines",
        "nel\x85",
        "crlf\r\nx",
        "sep\u2028x",
        "unicode é ✓ 𝄞",
        "lone \ud800 surrogate",  # libyaml's parser refuses the escape PyYAML writes for it
        "",
    ],
)
def test_quoting_is_safe(text: str) -> None:
    f = Field("x", TypeRef("primitive", "string"), text)
    out = emit_field(f)
    assert yaml.safe_load(out) == (
        {"x": "string"} if not text else {"x": {"type": "string", "description": text}}
    )
    assert out.count("\n") == (1 if not text else 3)  # one line each


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=200))
@example("0" * 81)  # folded: an unbreakable word over 80 characters
@example("word " * 40)  # folded over several lines
def test_any_description_round_trips(text: str) -> None:
    f = Field("x", TypeRef("primitive", "string"), text)
    out = emit_field(f)
    assert yaml.safe_load(out) == {"x": {"type": "string", "description": text}}
    # whatever it holds, the description is one scalar under its key: one line, or (over 80
    # characters) folded onto lines indented below it, where no text can start a key of its own
    lines = out.splitlines()
    assert lines[:2] == ["x:", "  type: string"] and lines[2].startswith("  description: ")
    assert len(lines) == 3 or all(line.startswith("    ") for line in lines[3:]), lines
    v = EnumValue("V", text)
    out = emit_enum_value(v)
    assert yaml.safe_load(out) == {"V": text}
    lines = out.splitlines()
    assert lines[0].startswith("V: ")
    assert len(lines) == 1 or all(line.startswith("  ") for line in lines[1:]), lines


# Text both emitters see: YAML's indicators, quotes, non-ASCII in and out of the Basic
# Multilingual Plane, control characters and line breaks, words to fold on.
_CHARS = st.sampled_from(
    [*" :-#'\"`&*!|>%@?,[]{}\\/~.=\xa0é’\ufeff\U0001d11e\t\n\x85\x00", *"abcde    "]
)
_TEXT = st.lists(st.text(_CHARS, max_size=12), max_size=40).map(" ".join) | st.text(_CHARS)
_KEY = _TEXT.filter(bool) | st.sampled_from(["description", "NULL", "on", "1", "~", "-"])
_LEAF = _TEXT | st.booleans() | st.integers()
_DATA = st.recursive(
    st.dictionaries(_KEY, _LEAF, min_size=1, max_size=4),
    lambda inner: st.dictionaries(_KEY, inner | _LEAF, min_size=1, max_size=4),
    max_leaves=10,
)


def _pyyaml_dump(data: Any) -> str:
    """What `dump` wrote before libyaml's emitter took the common case: PyYAML's own emitter."""
    text = emit._dump(data, emit._Folding, emit.FOLD)
    if yaml.load(text, Loader=yaml.SafeLoader) != data:
        text = emit._dump(data, emit._Dumper, 1 << 30)
    return text


# 60 here (each example runs both emitters): the comparison was run on 8,000 such mappings and on
# every bootstrapped history revision when libyaml's path was added; this keeps it honest.
@settings(max_examples=60, deadline=None)
@given(_DATA)
@example({"a": {"description": "word " * 30 + "end"}})  # folded over several lines, libyaml's path
@example({"a": {"b": "abcdef" + " word" * 30}})  # a word ending at column 80 exactly: not wrapped
@example({"a": {"b": "abcdef  " + "word  " * 30}})  # two spaces: never wrapped there
@example({"a": " starts with a space " + "x " * 40})  # an indentation indicator: PyYAML's path
def test_dump_writes_what_pyyamls_emitter_writes(data: dict[str, Any]) -> None:
    assert emit.dump(data) == _pyyaml_dump(data)


@pytest.mark.parametrize(
    "char", ["\ud800", "\udfff", "\x00", "\x85", "\u2028", "\ufeff", "\ufffe", "\U0010ffff"]
)
def test_dump_never_fails_on_text_libyaml_cannot_read_back(char: str) -> None:
    # a lone surrogate reaches `dump` only from code handing it raw text (normalised Discovery
    # text is escaped first); a report of it must still be written, never raise
    for data in ({"k": char}, {char: "v"}, {"k": {"description": ("word " * 20) + char}}):
        assert yaml.load(emit.dump(data), Loader=yaml.SafeLoader) == data


def test_bootstrap_covers_the_whole_api_but_palm() -> None:
    from codegen.discovery.load import load_discovery

    spec, warnings = bootstrap_spec(load_discovery(NEW).doc)
    assert list(spec.resources) == [
        "batches",
        "models",
        "tunedModels",
        "dynamic",
        "cachedContents",
        "media",
        "files",
        "generatedFiles",
        "fileSearchStores",
        "corpora",
    ]
    paths = [p for p, _ in spec.all_resources()]
    assert {
        "tunedModels.permissions",
        "models.operations",
        "fileSearchStores.upload.operations",
        "corpora.permissions",
        "generatedFiles.operations",
    } <= set(paths)
    methods = {f"{p}.{m.name}" for p, r in spec.all_resources() for m in r.methods}
    assert len(methods) == 72 and not methods & set(PALM_METHODS)
    batch = spec.resources["models"].method("batchGenerateContent")
    assert batch is not None and batch.long_running is not None
    assert (batch.long_running.response, batch.long_running.metadata) == (
        "GenerateContentBatchOutput",
        "GenerateContentBatch",
    )
    upload = spec.resources["media"].method("uploadToFileSearchStore")
    assert upload is not None and upload.upload and upload.long_running is not None
    assert len(spec.types) == 202
    assert {"Operation", "CachedContent", "Permission", "Empty"} <= spec.types.keys()
    assert "GenerateTextRequest" not in spec.types  # only PaLM methods reach it
    assert spec.service.api_key_env == ("GEMINI_API_KEY", "GOOGLE_API_KEY")
    assert [w.loc.path for w in warnings] == [
        "schemas.Part.properties.mediaResolution",
        "schemas.GenerationConfig.properties._responseJsonSchema",
    ]


def test_bootstrap_a_selection_nested_included(tmp_path: Path) -> None:
    from codegen.discovery.load import load_discovery

    doc = load_discovery(NEW).doc
    spec, _ = bootstrap_spec(doc, {"corpora.permissions": ["get"], "models": ["list"]})
    assert [p for p, _ in spec.all_resources()] == ["corpora", "corpora.permissions", "models"]
    assert spec.resources["corpora"].methods == ()
    assert [m.name for m in spec.resources["corpora"].resources[0].methods] == ["get"]
    assert (
        main(
            [
                "--discovery",
                str(NEW),
                "--out",
                str(tmp_path),
                "--resource",
                "tunedModels.permissions",
            ]
        )
        == 0
    )
    text = (tmp_path / "tunedModels.yaml").read_text()
    assert "    resources:\n      permissions:\n" in text
    assert main(["--discovery", str(NEW), "--out", str(tmp_path), "--resource", "nope.x"]) == 2


@dataclasses.dataclass(frozen=True)
class Written:
    code: int
    out: str
    dir: Path


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Written:
    """`python -m codegen.discovery.bootstrap` run once on revision 20260529 (its exit code, what
    it printed, and the directory it wrote), for the tests that read what it wrote."""
    out = tmp_path_factory.mktemp("bootstrapped")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = main(["--discovery", str(NEW), "--out", str(out)])
    return Written(code, printed.getvalue(), out)


def test_bootstrap_writes_topic_files(written: Written) -> None:
    assert written.code == 0
    tmp_path = written.dir
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "batches.yaml",
        "cachedContents.yaml",
        "content.yaml",
        "corpora.yaml",
        "dynamic.yaml",
        "embeddings.yaml",
        "fileSearchStores.yaml",
        "files.yaml",
        "generatedFiles.yaml",
        "generation.yaml",
        "grounding.yaml",
        "media.yaml",
        "models.yaml",
        "operations.yaml",
        "permissions.yaml",
        "safety.yaml",
        "service.yaml",
        "tokens.yaml",
        "tools.yaml",
        "tunedModels.yaml",
    ]
    assert "202 types" in written.out
    service = yaml.safe_load((tmp_path / "service.yaml").read_text())
    assert service == {
        "service": {
            "name": "generativelanguage",
            "title": "Gemini API",
            "description": "The Gemini API allows developers to build generative AI applications using Gemini models.",
            "base_url": "https://generativelanguage.googleapis.com",
            "version": "v1beta",
            "auth": {"header": "x-goog-api-key", "env": ["GEMINI_API_KEY", "GOOGLE_API_KEY"]},
        }
    }
    assert "env: [GEMINI_API_KEY, GOOGLE_API_KEY]" in (tmp_path / "service.yaml").read_text()
    content = yaml.safe_load((tmp_path / "content.yaml").read_text())
    assert {"Content", "Part", "Blob", "FileData"} <= content["types"].keys()
    models = yaml.safe_load((tmp_path / "models.yaml").read_text())
    assert list(models["types"]) == [
        "Model",
        "ListModelsResponse",
        "PredictRequest",
        "PredictResponse",
        "PredictLongRunningRequest",
    ]
    assert models["resources"]["models"]["methods"]["list"]["paginated"] == {"items": "models"}
    assert models["resources"]["models"]["methods"]["streamGenerateContent"]["streaming"] is True
    for path in tmp_path.iterdir():
        text = path.read_text()
        assert "\t" not in text and not any(line.endswith(" ") for line in text.splitlines())
        assert "\n\n\n" not in text
    # nothing falls into the default file
    assert not (tmp_path / topics.DEFAULT_FILE).exists()


def test_bootstrap_is_deterministic(written: Written) -> None:
    """What the command wrote (`written`, a run of its own) is what a second run renders."""
    from codegen.discovery.load import load_discovery

    assert written.code == 0
    a = {p.name: p.read_text(encoding="utf-8") for p in written.dir.iterdir()}
    disc = load_discovery(NEW)
    b = render(bootstrap_spec(disc.doc)[0], disc.revision)
    assert a == b


def _strip(value: Any) -> Any:
    """The value with every `loc` set to NOWHERE, recursively."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            v = getattr(value, f.name)
            changes[f.name] = NOWHERE if f.name == "loc" else _strip(v)
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(_strip(v) for v in value)
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items()}
    return value


_HAS_LOADER = importlib.util.find_spec("codegen.spec.loader") is not None


@pytest.mark.skipif(not _HAS_LOADER, reason="codegen/spec/loader.py has not landed yet")
def test_emit_then_load_gives_the_same_model(tmp_path: Path) -> None:
    from codegen.discovery.load import load_discovery
    from codegen.spec.loader import load_spec

    disc = load_discovery(NEW)
    spec, _ = bootstrap_spec(disc.doc)
    for name, text in render(spec, disc.revision).items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    loaded: Spec = load_spec(tmp_path)
    a, b = _strip(spec), _strip(loaded)
    assert a.service == b.service
    assert a.types.keys() == b.types.keys()
    for name in a.types:
        assert a.types[name] == b.types[name], name
    assert a.resources == b.resources
    assert a == b
    # locations point into the written files
    part = loaded.types["Part"]
    assert part.loc.file.endswith("content.yaml") and part.loc.line > 0


@pytest.mark.skipif(not _HAS_LOADER, reason="codegen/spec/loader.py has not landed yet")
def test_committed_spec_loads() -> None:
    from codegen.spec.loader import load_spec

    spec_dir = Path(__file__).resolve().parents[2] / "spec"
    spec = load_spec(spec_dir)
    assert "models" in spec.resources and "GenerateContentRequest" in spec.types


def test_the_spec_is_the_bootstrap_of_its_revision_field_for_field(written: Written) -> None:
    """spec/ is exactly what bootstrapping revision 20260529 writes, plus files.download (a
    method Discovery does not describe), imagen.yaml (the Imagen/Veo shapes Discovery leaves
    free-form), live.yaml (the Live API and its tokens) and interactions.yaml (the Interactions
    API), which Discovery does not describe, so every method and type is as Google documents it."""
    assert written.code == 0
    tmp_path = written.dir
    spec_dir = Path(__file__).resolve().parents[2] / "tests" / "data" / "specs" / "v20260529"
    written = sorted(p.name for p in tmp_path.iterdir())
    hand_written = {"drift-ignore.yaml", "imagen.yaml", "live.yaml", "interactions.yaml"}
    assert written == sorted(p.name for p in spec_dir.glob("*.yaml") if p.name not in hand_written)
    for name in written:
        ours = (spec_dir / name).read_text(encoding="utf-8")
        theirs = (tmp_path / name).read_text(encoding="utf-8")
        if name == "files.yaml":
            assert ours.startswith(theirs) and "\n      download:\n" in ours[len(theirs) :]
        else:
            assert ours == theirs, name
