from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from codegen.discovery.load import load_discovery
from codegen.discovery.normalise import Normalised, normalise

DATA = Path(__file__).resolve().parent.parent / "data"
OLD = DATA / "generativelanguage.v1beta.20260522.json"
NEW = DATA / "generativelanguage.v1beta.20260529.json"


@pytest.fixture(scope="session")
def new_doc() -> dict[str, Any]:
    return load_discovery(NEW).doc


@pytest.fixture(scope="session")
def old_doc() -> dict[str, Any]:
    return load_discovery(OLD).doc


@pytest.fixture(scope="session")
def new(new_doc: dict[str, Any]) -> Normalised:
    return normalise(new_doc)


@pytest.fixture(scope="session")
def old(old_doc: dict[str, Any]) -> Normalised:
    return normalise(old_doc)
