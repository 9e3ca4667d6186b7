"""Spec diff: compare two specs as the public surface of the client they generate.

`sources` reads each side (a directory or a git ref), `compare` lists the changes, each classified
by one rule of the registry (`codegen.compare.rules`), and `report` renders them; `command` is `codegen diff`.
"""

from __future__ import annotations

from .compare import Change, diff
from ..compare.rules import DIFF as RULES
from ..compare.rules import Rule
from .sources import DiffInputError, Side, load_side

__all__ = ["Change", "DiffInputError", "RULES", "Rule", "Side", "diff", "load_side"]
