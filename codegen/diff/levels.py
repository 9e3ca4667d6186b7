"""A repository's own rule levels: `codegen-diff.yaml` moves any rule to another level, by rule id.

    # codegen-diff.yaml (at the repository root, or --levels FILE)
    levels:
      response-enum-value-added: breaking   # we match on FinishReason exhaustively
      field-description-changed: "off"      # not reported at all

Levels: `breaking`, `warning`, `non-breaking`, `docs`, or `off`. An unknown rule id or level is bad
input (`file:line: levels.ID: message`, exit 2), so a typo never silently keeps the default.
"""

from __future__ import annotations

from pathlib import Path

from codegen.spec.errors import Problem, SpecError, did_you_mean
from codegen.spec.loader import shown_path
from codegen.spec.yamlnodes import read_yaml

from codegen.compare.rules import DIFF as RULES
from codegen.compare.rules import DIFF_LEVELS as LEVELS

FILE_NAME = "codegen-diff.yaml"
OFF = "off"
CHOICES: tuple[str, ...] = (*LEVELS, OFF)


def load_levels(path: Path) -> dict[str, str]:
    """{rule id: level or "off"} from `path`; raises `SpecError` listing every problem."""
    shown = shown_path(path)
    tree, problems = read_yaml(path, shown)
    out: dict[str, str] = {}
    if tree is not None:
        if tree.kind != "mapping" or set(tree.items) - {"levels"}:
            problems.append(Problem(tree.loc, "expected a mapping with one key, 'levels'"))
        else:
            node = tree.items.get("levels")
            if node is not None and not (node.kind == "scalar" and node.value is None):
                if node.kind != "mapping":
                    problems.append(
                        Problem(
                            node.loc,
                            f"expected a mapping of rule id to level, got {node.describe()}",
                        )
                    )
                else:
                    for rule_id, child in node.items.items():
                        value = (
                            OFF if child.value is False else child.value
                        )  # YAML 1.1 reads `off` as false
                        if rule_id not in RULES:
                            problems.append(
                                Problem(
                                    child.loc,
                                    f"unknown rule '{rule_id}'{did_you_mean(rule_id, RULES)}",
                                )
                            )
                        elif child.kind != "scalar" or value not in CHOICES:
                            problems.append(
                                Problem(
                                    child.loc,
                                    f"level must be one of {', '.join(CHOICES)}, got {child.value!r}",
                                )
                            )
                        else:
                            out[rule_id] = str(value)
    if problems:
        raise SpecError(problems)
    return out
