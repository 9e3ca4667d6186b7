"""Report formats: stable JSON, grouped text, and hostile text that never breaks any format."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from codegen.drift.findings import KINDS, Finding, Suggestion
from codegen.drift.ignore import Judged, Outcome, Rule
from codegen.drift.report import Report, clean, md, render
from codegen.spec.model import EnumValue, Field, Location, TypeRef
from codegen.spec.yamlnodes import LOADER  # libyaml: the spec files read as the loader reads them

from .conftest import OLD, SHOWN, SPEC_DIR
from .test_mutations import add_enum_value, add_field, change_http_method, remove_field

Doc = dict[str, Any]
UNSAFE = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}


def _spec_only() -> int:
    """What Discovery never describes (spec_only rules): every type and resource of the hand-written
    spec/live.yaml (Live API, ephemeral tokens), spec/imagen.yaml (Imagen, Veo shapes) and
    spec/interactions.yaml (Interactions API), each reported once (a resource as a whole), plus the
    one method `files.download`."""
    count = 1
    for name in ("live.yaml", "imagen.yaml", "interactions.yaml"):
        data = yaml.load((SPEC_DIR / name).read_text(encoding="utf-8"), Loader=LOADER)
        count += len(data.get("types") or {}) + len(data.get("resources") or {})
    return count


SPEC_ONLY = _spec_only()


def unsafe_chars(text: str) -> list[str]:
    return [c for c in text if c != "\n" and unicodedata.category(c) in UNSAFE]


def unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)(?:\\\\)*\|", line))


def test_json_is_stable_sorted_and_shaped(new_doc: Doc, outcome: Callable[[Doc], Outcome]) -> None:
    for mutate in (add_field, remove_field, add_enum_value, change_http_method):
        mutate(new_doc)
    outs = []
    for _ in range(2):
        o = outcome(new_doc)
        outs.append(render(Report(o, "20260529", "d.json"), "json"))
    assert outs[0] == outs[1]
    data = json.loads(outs[0])
    assert data["revision"] == "20260529"
    found = data["findings"]
    assert [set(f) for f in found] == [
        {"kind", "where", "spec_location", "discovery_path", "message"}
    ] * len(found)
    assert [f["where"] for f in found] == sorted(f["where"] for f in found)
    assert data["summary"] == {
        "breaking": 2,
        "new": 2,
        "changed": 0,
        "findings": 4,
        "ignored": 28,
        "spec_only": SPEC_ONLY,
    }


def test_text_groups_and_summary() -> None:
    from codegen.drift.command import drift

    out = render(drift(SPEC_DIR, str(OLD)).report, "text")
    lines = out.splitlines()
    assert lines[2] == "Breaking for the client (1):"
    assert lines[3] == (
        "  Candidate.finishReason: the spec has enum value ESCALATION (enum FinishReason), "
        f"the API lacks it ({SHOWN}generation.yaml:576)"
    )
    assert "New API surface: none" in lines
    assert lines[-1] == (
        f"drift: 1 finding (1 breaking, 0 new, 0 other); 28 ignored, {SPEC_ONLY} spec-only; "
        "Discovery revision 20260522"
    )


def test_markdown_escapes() -> None:
    assert md("a|b") == "a\\|b"
    assert md("`x`") == "\\`x\\`"
    assert md("<script>&") == "&lt;script&gt;&amp;"
    assert md("line\nbreak\x1b[31m") == "line\\\\x0abreak\\\\x1b\\[31m"
    assert clean("ok\u202eevil\x00") == "ok\\u202eevil\\x00"
    assert clean("plain text é") == "plain text é"


hostile = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("|`<>&*_[]()#!@\\\n\r\t\x1b\x07\x9b\u202e\u2028\u200b\ufeff")),
        st.characters(),
    ),
    max_size=40,
)


# The strategies `outcomes` draws from, built once: a strategy made inside a draw is validated
# again on every example (most of this test's time), and the values drawn are the same.
_KINDS = st.sampled_from(sorted(KINDS))
_MAYBE_HOSTILE = st.none() | hostile
_SUGGESTIONS = (
    st.none()
    | st.builds(
        Suggestion,
        hostile,
        st.just("types.X.fields"),
        st.builds(lambda n, d: Field("f", TypeRef("primitive", "string"), d), hostile, hostile),
    )
    | st.builds(
        Suggestion,
        hostile,
        st.just("types.E.enum"),
        st.builds(lambda d: EnumValue("V", d), hostile),
    )
)
_HOW_MANY = st.integers(0, 4)


@st.composite
def outcomes(draw: st.DrawFn) -> Outcome:
    findings = [
        Finding(
            draw(_KINDS),
            draw(hostile),
            draw(hostile),
            draw(_MAYBE_HOSTILE),
            draw(_MAYBE_HOSTILE),
            draw(hostile),
            suggestion=draw(_SUGGESTIONS),
        )
        for _ in range(draw(_HOW_MANY))
    ]
    rule = Rule("ignore", "x", draw(hostile) or "r", loc=Location(draw(hostile), 3, ""))
    ignored = [Judged(Finding("method-missing", draw(hostile), draw(hostile)), "ignored", rule)]
    return Outcome(findings, ignored, [], [rule])


@settings(max_examples=150, deadline=None)
@given(o=outcomes(), revision=hostile, source=hostile)
def test_hostile_text_never_breaks_a_format(o: Outcome, revision: str, source: str) -> None:
    report = Report(o, revision, source, suggest=True)

    text = render(report, "text")
    assert unsafe_chars(text) == []

    markdown = render(report, "markdown")
    assert unsafe_chars(markdown) == []
    in_fence = False
    for line in markdown.splitlines():
        if line.startswith("```"):
            in_fence = not in_fence
            continue
        if in_fence:  # YAML in a code fence: shown verbatim, and no line can close the fence
            assert not line.startswith("```")
            continue
        if line.startswith("|"):
            assert unescaped_pipes(line) in (4, 6), line  # 3 or 5 columns, nothing more
        assert "<" not in line or line.startswith(("<details><summary>", "</details>")), line
        if line.startswith("<details><summary>"):
            assert line.count("<") == 3
        assert re.search(r"(?<!\\)`", line) is None, line
    assert not in_fence

    data = json.loads(render(report, "json"))
    assert render(report, "json").isascii()
    assert [f["message"] for f in data["findings"]] == [f.message for f in o.drift]
    assert [f["where"] for f in data["findings"]] == [f.key for f in o.drift]


def test_hostile_names_from_a_real_document(
    new_doc: Doc, outcome: Callable[[Doc], Outcome]
) -> None:
    """Discovery enum values and method names are arbitrary strings: they reach every format safely."""
    p = new_doc["schemas"]["Candidate"]["properties"]["finishReason"]
    p["enum"].append("EVIL|`<img src=x>`\x1b]0;pwned\x07\u202e")
    p["enumDescriptions"].append("desc\n| injected | row |")
    m = dict(new_doc["resources"]["models"]["methods"]["get"])
    m["path"] = "v1beta/{+name}:x\x1b[2J|<b>"
    new_doc["resources"]["models"]["methods"]["get\x1b[31m"] = m
    report = Report(outcome(new_doc), "r", "s", suggest=True)
    for fmt in ("text", "markdown", "json"):
        out = render(report, fmt)
        assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    markdown = render(report, "markdown")
    rows = [line for line in markdown.splitlines() if line.startswith("| ") and "EVIL" in line]
    assert rows and all(unescaped_pipes(r) == 6 for r in rows)
    outside = re.sub(r"(?ms)^```yaml\n.*?^```$", "", markdown)
    assert "<img" not in outside and "EVIL\\|\\`&lt;img" in outside
