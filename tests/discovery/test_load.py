from __future__ import annotations

import json
from pathlib import Path

import pytest

from codegen.discovery.load import DiscoveryError, load_discovery, parse_discovery

from .conftest import NEW, OLD


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "doc.json"
    p.write_text(text, encoding="utf-8")
    return p


def _minimal(**over: object) -> dict[str, object]:
    doc: dict[str, object] = {
        "kind": "discovery#restDescription",
        "discoveryVersion": "v1",
        "name": "generativelanguage",
        "version": "v1beta",
        "revision": "20260101",
        "schemas": {},
        "resources": {},
    }
    doc.update(over)
    return doc


def _error(tmp_path: Path, text: str) -> str:
    with pytest.raises(DiscoveryError) as info:
        load_discovery(_write(tmp_path, text))
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(tmp_path / "doc.json") + ": ")
    return message


def test_real_documents_load() -> None:
    assert load_discovery(NEW).revision == "20260529"
    assert load_discovery(str(OLD)).revision == "20260522"
    assert len(load_discovery(NEW).doc["schemas"]) == 195


def test_empty_file(tmp_path: Path) -> None:
    assert "empty file" in _error(tmp_path, "")
    assert "empty file" in _error(tmp_path, "  \n\t\n")


def test_truncated_json(tmp_path: Path) -> None:
    text = NEW.read_text(encoding="utf-8")
    assert "truncated JSON" in _error(tmp_path, text[: len(text) // 2])
    assert "truncated JSON" in _error(tmp_path, text[:-2])
    assert "truncated JSON" in _error(tmp_path, '{"kind": "discovery#rest')


def test_invalid_json(tmp_path: Path) -> None:
    assert "invalid JSON at line 1" in _error(tmp_path, '{"kind" 1}')


def test_json_array(tmp_path: Path) -> None:
    assert "expected a JSON object, found a JSON array" in _error(tmp_path, "[1, 2]")


def test_not_a_discovery_document(tmp_path: Path) -> None:
    assert "not a Discovery document" in _error(tmp_path, '{"openapi": "3.0.0"}')
    doc = _minimal()
    del doc["discoveryVersion"]
    assert "not a Discovery document" in _error(tmp_path, json.dumps(doc))


def test_another_api(tmp_path: Path) -> None:
    message = _error(tmp_path, json.dumps(_minimal(name="drive")))
    assert "another API" in message and "'drive'" in message


def test_another_version(tmp_path: Path) -> None:
    assert "'v1'" in _error(tmp_path, json.dumps(_minimal(version="v1")))


@pytest.mark.parametrize("key", ["schemas", "resources"])
def test_missing_section(tmp_path: Path, key: str) -> None:
    doc = _minimal()
    del doc[key]
    assert f"has no '{key}'" in _error(tmp_path, json.dumps(doc))


def test_section_of_wrong_kind(tmp_path: Path) -> None:
    assert "'schemas' must be a JSON object" in _error(tmp_path, json.dumps(_minimal(schemas=[])))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DiscoveryError, match="no such file"):
        load_discovery(tmp_path / "nope.json")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(DiscoveryError, match="is a directory"):
        load_discovery(tmp_path)


def test_parse_minimal() -> None:
    d = parse_discovery(json.dumps(_minimal()))
    assert d.revision == "20260101" and d.doc["schemas"] == {}
