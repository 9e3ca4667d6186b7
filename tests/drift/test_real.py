"""The real pair: the spec (bootstrapped from 20260529) against both pinned revisions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from codegen.cli import main
from codegen.drift.command import drift
from codegen.drift.ignore import Rules
from codegen.spec.yamlnodes import LOADER  # libyaml: the spec files read as the loader reads them

from .conftest import NEW, OLD, REPO, SHOWN, SPEC_DIR

# The spec covers every method of the API but these (spec/drift-ignore.yaml).
PALM_LEFT_OUT = {
    "models.generateMessage",
    "models.countMessageTokens",
    "models.generateText",
    "models.countTextTokens",
    "models.embedText",
    "models.batchEmbedText",
    "tunedModels.generateText",
}
# spec/imagen.yaml types Imagen's and Veo's free-form instances/parameters: spec-only, not drift
IMAGEN_TYPES = set(
    yaml.load((SPEC_DIR / "imagen.yaml").read_text(encoding="utf-8"), Loader=LOADER)["types"]
)


def test_clean_against_the_revision_it_was_bootstrapped_from() -> None:
    result = drift(SPEC_DIR, str(NEW))
    o = result.outcome
    assert o.drift == []
    # files.download (Discovery describes no media download), the Imagen/Veo types of
    # spec/imagen.yaml, and the Live API's hand-written types and its v1alpha token resource
    # (spec/live.yaml), and the Interactions API (spec/interactions.yaml), none of which the v1beta
    # Discovery document describes.
    interactions = [
        j for j in o.spec_only if "/interactions.yaml:" in (j.finding.spec_location or "")
    ]
    assert {"interactions", "Interaction", "InteractionEvent", "CreateInteractionRequest"} <= {
        j.finding.key for j in interactions
    }
    live = [
        j
        for j in o.spec_only
        if j.finding.key not in {"files.download"} | IMAGEN_TYPES and j not in interactions
    ]
    assert {"files.download"} | IMAGEN_TYPES <= {j.finding.key for j in o.spec_only}
    assert live and all(
        j.finding.kind.endswith("-gone") and "/live.yaml:" in j.finding.spec_location for j in live
    )
    assert o.unused == []  # every rule in drift-ignore.yaml is still needed
    assert result.exit_code == 0
    ignored_methods = {j.finding.key for j in o.ignored if j.finding.kind == "method-missing"}
    assert ignored_methods == PALM_LEFT_OUT
    # The types only those methods need are ignored with them, never reported as drift.
    assert {j.finding.kind for j in o.ignored} == {"method-missing", "type-missing"}
    assert result.report.revision == "20260529"


def test_escalation_is_the_only_difference_from_20260522() -> None:
    result = drift(SPEC_DIR, str(OLD))
    [f] = result.outcome.drift
    assert (f.kind, f.where, f.item) == ("enum-value-gone", "Candidate.finishReason", "ESCALATION")
    assert f.category == "breaking"
    assert f.spec_location == f"{SHOWN}generation.yaml:576"
    assert f.discovery_path == "schemas.Candidate.properties.finishReason"
    assert str(f) == (
        "Candidate.finishReason: the spec has enum value ESCALATION (enum FinishReason), "
        f"the API lacks it ({SHOWN}generation.yaml:576)"
    )
    assert result.exit_code == 1


def test_the_other_way_round_escalation_is_new_surface(tmp_path: Path) -> None:
    """A spec without ESCALATION against 20260529: the API has a value the spec lacks."""
    import shutil

    spec_dir = tmp_path / "spec"
    shutil.copytree(SPEC_DIR, spec_dir)
    gen = spec_dir / "generation.yaml"
    lines = gen.read_text(encoding="utf-8").splitlines(keepends=True)
    gen.write_text("".join(line for line in lines if "ESCALATION:" not in line), encoding="utf-8")
    [f] = drift(spec_dir, str(NEW), suggest=True).outcome.drift
    assert (f.kind, f.key) == ("enum-value-missing", "Candidate.finishReason.ESCALATION")
    assert str(f).startswith("Candidate.finishReason: the API has enum value ESCALATION")
    assert f.discovery_path == "schemas.Candidate.properties.finishReason.enum[20]"
    assert f.spec_location is not None and f.spec_location.endswith("generation.yaml:553")


def test_cli_exit_codes_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["drift", "--discovery", str(NEW), "--spec", str(SPEC_DIR)]) == 0
    assert "no drift" in capsys.readouterr().out
    assert (
        main(["drift", "--discovery", str(OLD), "--spec", str(SPEC_DIR), "--format", "json"]) == 1
    )
    data = json.loads(capsys.readouterr().out)
    assert data["revision"] == "20260522"
    assert data["findings"] == [
        {
            "kind": "enum-value-gone",
            "where": "Candidate.finishReason.ESCALATION",
            "spec_location": f"{SHOWN}generation.yaml:576",
            "discovery_path": "schemas.Candidate.properties.finishReason",
            "message": "the spec has enum value ESCALATION (enum FinishReason), the API lacks it",
        }
    ]
    assert len(data["ignored"]) == 28 and all(i["reason"] for i in data["ignored"])


def test_without_rules_the_left_out_methods_are_new_surface(spec: object) -> None:
    from codegen.discovery.load import load_discovery
    from codegen.drift.command import check_spec

    result = check_spec(spec, load_discovery(NEW), None)  # type: ignore[arg-type]
    missing = {f.key for f in result.outcome.drift if f.kind == "method-missing"}
    assert missing == PALM_LEFT_OUT
    # Without rules, files.download, the Imagen/Veo types and the Live API's hand-written part
    # (spec/live.yaml) and the Interactions API (spec/interactions.yaml) are the only breaking ones.
    gone = [f for f in result.outcome.drift if f.category != "new"]
    assert {"files.download"} | IMAGEN_TYPES <= {f.key for f in gone}
    interactions = [f for f in gone if "/interactions.yaml:" in (f.spec_location or "")]
    assert interactions and all(f.kind.endswith("-gone") for f in interactions)
    live = [
        f for f in gone if f.key not in {"files.download"} | IMAGEN_TYPES and f not in interactions
    ]
    assert all(f.kind.endswith("-gone") and "/live.yaml:" in (f.spec_location or "") for f in live)
    assert isinstance(Rules(), Rules)


def test_dangling_media_resolution_ref_does_not_crash_or_drift() -> None:
    """Part.mediaResolution is a $ref to an undefined schema: normalised to `any` on both sides."""
    o = drift(SPEC_DIR, str(NEW)).outcome
    assert not [f for f in o.drift + [j.finding for j in o.ignored] if "mediaResolution" in f.where]


LATEST = NEW.with_name("generativelanguage.v1beta.20260731.json")


def test_the_committed_spec_describes_revision_20260731() -> None:
    """spec/ caught up with 20260731 (codegen sync plus the review): no drift, no stale rule; what
    only the spec has is the Imagen/Veo shapes, the Live messages Discovery does not describe,
    files.download, and the setup field `proactivity` Discovery's BidiGenerateContentSetup lacks."""
    result = drift(REPO / "spec", str(LATEST))
    o = result.outcome
    assert o.drift == [] and o.unused == []
    assert result.report.revision == "20260731"
    only = {j.finding.key for j in o.spec_only}
    assert "BidiGenerateContentSetup.proactivity" in only
    assert not only & {"authTokens", "AuthToken", "BidiGenerateContentSetup", "RealtimeInputConfig"}
