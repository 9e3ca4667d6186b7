"""Google renaming something on the wire while its Python name stays the same.

`authTokens` (hand-written) and Discovery's `auth_tokens` are both `client.auth_tokens`; a field
switched from `fooBar` to `foo_bar` is `foo_bar` either way. Drift sees one thing gone and one
thing new; applying the new one would give two definitions one Python name. Such a pair is one
finding: when the old one is hand-written (a `spec_only` rule names it), Discovery's wins, the
hand-written block and its rule go; otherwise it is left for a person as one rename.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from codegen import naming
from codegen.drift.findings import Finding

# gone kind -> (missing kinds, the Python name of the last part of `where`)
_PAIRS: dict[str, tuple[tuple[str, ...], Callable[[str], str]]] = {
    "resource-gone": (("resource-missing",), naming.resource_attr),
    "method-gone": (("method-missing",), naming.method_name),
    "field-gone": (("field-missing", "required-field-missing"), naming.field_name),
    "param-gone": (("param-missing", "required-param-missing"), naming.param_name),
}


@dataclass(frozen=True)
class Rename:
    gone: Finding
    new: Finding

    @property
    def message(self) -> str:
        return (
            f"the API renamed {self.gone.where} to {self.new.where} on the wire, same Python name: "
            f"rename the key in {self.gone.spec_location or 'the spec'} by hand"
        )


def renames(findings: list[Finding]) -> list[Rename]:
    """The (gone, new) pairs of one parent whose last names give one Python name."""
    out = []
    for gone in findings:
        pair = _PAIRS.get(gone.kind)
        if pair is None or gone.item:
            continue
        kinds, python = pair
        parent, _, name = gone.where.rpartition(".")
        for new in findings:
            nparent, _, nname = new.where.rpartition(".")
            if (
                new.kind in kinds
                and nparent == parent
                and nname != name
                and python(nname) == python(name)
            ):
                out.append(Rename(gone, new))
                break
    return out
