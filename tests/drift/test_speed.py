"""The comparison on the 330 KB document does work linear in the document, and the whole command
does nothing beyond its parts: each read once. Counted in Python calls, which machine load does not
change (`support.work`); the seconds (goal: 0.5) are bench/bench_drift.py's."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from codegen.discovery.load import load_discovery
from codegen.discovery.normalise import normalise
from codegen.drift.command import check_spec, drift
from codegen.drift.compare import compare
from codegen.drift.ignore import Rules, apply
from codegen.drift.report import Report, render
from codegen.spec.loader import load_spec
from codegen.spec.model import Spec
from support.work import counted

from .conftest import NEW, SPEC_DIR

LINEAR = 2.5  # twice the input: 2x the calls when linear, 4x when quadratic


COPIED = ("cachedContents", "files")  # and the schemas they use: new surface for drift to report


def _with_copies(doc: dict[str, Any], n: int) -> dict[str, Any]:
    """The document plus `n` renamed copies of the `COPIED` resources and of every schema (only
    those a copied resource uses are kept), each copy referring to its own copies."""
    out = copy.deepcopy(doc)
    for i in range(1, n + 1):
        for key, names in (("schemas", list(doc["schemas"])), ("resources", COPIED)):
            part = json.dumps({k: doc[key][k] for k in names})
            part = re.sub(r'"(\$ref|id)": "([\w.]+)"', rf'"\1": "\2Copy{i}"', part)
            out[key].update({f"{k}Copy{i}": v for k, v in json.loads(part).items()})
    return out


def test_document_to_report_is_linear_in_the_document(spec: Spec, rules: Rules) -> None:
    """Normalise, compare, apply rules, render with suggestions: twice the new surface in the
    document, at most about twice the extra work."""
    assert NEW.stat().st_size > 300_000
    doc = load_discovery(NEW).doc

    def once(d: dict[str, Any]) -> str:
        outcome = apply(compare(normalise(d).spec, spec), rules)
        return render(Report(outcome, "r", "s", suggest=True), "text")

    base, one, two = doc, _with_copies(doc, 1), _with_copies(doc, 2)
    once(one)  # first-use caches (compiled patterns...) are not the comparison's work
    work = {}
    for name, d in (("base", base), ("one", one), ("two", two)):
        report, work[name] = counted(lambda d=d: once(d))
    assert "CachedContentCopy2" in report  # the copies are compared and reported, not dropped
    added, added_twice = (work[k].total - work["base"].total for k in ("one", "two"))
    assert 0 < added and added_twice < LINEAR * added, (work["base"].total, added, added_twice)


def test_whole_command_reads_each_input_once_and_adds_nothing() -> None:
    """`drift` = load the spec + read the document + the comparison, within 10%."""
    spec, load = counted(lambda: load_spec(SPEC_DIR))  # (the parts first: imports are not work)
    _, rest = counted(lambda: check_spec(spec, load_discovery(NEW), SPEC_DIR / "drift-ignore.yaml"))
    _, whole = counted(lambda: drift(SPEC_DIR, str(NEW)))
    assert whole.calls("codegen/spec/loader.py", "read_spec") == 1
    assert whole.calls("codegen/discovery/normalise.py", "normalise") == 1
    assert whole.calls("codegen/drift/compare.py", "compared") == 1
    assert whole.total < 1.1 * (load.total + rest.total), (whole.total, load.total, rest.total)
