"""Shared fixtures for the drift checker's tests: the real spec, the pinned documents, one-call runs.

No test here touches the network: documents are the pinned files (or deep copies of them, mutated),
and the fetch logic runs against `httpx.MockTransport`.
"""

from __future__ import annotations

import os
import json
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from codegen.discovery.load import Discovery, check_discovery
from codegen.discovery.normalise import normalise
from codegen.drift.compare import compare
from codegen.drift.findings import Finding
from codegen.drift.ignore import Outcome, Rules, apply, load_rules
from codegen.spec.loader import load_spec
from codegen.spec.model import Spec

REPO = Path(__file__).resolve().parents[2]
SPEC_DIR = (
    REPO / "tests" / "data" / "specs" / "v20260529"
)  # the spec as it was at 20260529 (spec/ has moved on)
DATA = REPO / "tests" / "data"
OLD = DATA / "generativelanguage.v1beta.20260522.json"
NEW = DATA / "generativelanguage.v1beta.20260529.json"

Doc = dict[str, Any]


@pytest.fixture(scope="session")
def spec() -> Spec:
    return load_spec(SPEC_DIR)


@pytest.fixture(scope="session")
def rules() -> Rules:
    return load_rules(SPEC_DIR / "drift-ignore.yaml")


@pytest.fixture(scope="session")
def _new_doc() -> bytes:
    """The 20260529 document, pickled: unpickling makes a fresh copy several times faster than
    `copy.deepcopy` of the parsed document (JSON data: the same dicts, lists and scalars)."""
    return pickle.dumps(dict(json.loads(NEW.read_text(encoding="utf-8"))))


@pytest.fixture
def new_doc(_new_doc: bytes) -> Doc:
    """A deep copy of the 20260529 document, free to mutate."""
    doc: Doc = pickle.loads(_new_doc)
    return doc


def find(spec: Spec, doc: Doc) -> list[Finding]:
    check_discovery(doc)
    return compare(normalise(doc).spec, spec)


@pytest.fixture
def outcome(spec: Spec, rules: Rules) -> Callable[[Doc], Outcome]:
    """Compare a (mutated) document with the real spec and apply spec/drift-ignore.yaml."""

    def run(doc: Doc) -> Outcome:
        return apply(find(spec, doc), rules)

    return run


def discovery(doc: Doc, source: str = "<test>") -> Discovery:
    return Discovery(doc=doc, revision=str(doc.get("revision", "")), source=source)


SHOWN = (
    os.path.relpath(SPEC_DIR) + os.sep
)  # how locations in SPEC_DIR are named, from the repo root
