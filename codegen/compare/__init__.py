"""The one comparison engine's shared parts: the rule registry (`rules`), the doc tables rendered
from it (`docs`) and the matching of types and methods across two specs (`match`).

`codegen.diff` (spec vs. spec) and `codegen.drift` (spec vs. normalised Discovery, then ignore
rules) both classify every difference by a rule of `rules.TABLE` and format it from its template.
"""
