"""The resource template's `used_in` test (a module imports only the names its body uses): the name
as a word, not preceded by a dot, exactly as the plain regular expression says."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from codegen.render.package import _used_in


def _plain(name: str, text: str) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(name)}\b", text) is not None


names = st.sampled_from(["_dt", "Any", "types", "a", "a.b", "é", "x_1", "(", "Mapping"])
texts = st.lists(
    st.one_of(names, st.sampled_from([".", "_", " ", "\n", "1", "é", "(", "x"])), max_size=12
).map("".join)


@settings(max_examples=300, deadline=None)
@given(name=names, text=texts)
@example(name="types", text="types")
@example(name="types", text="_types types")
@example(name="Any", text="x.Any\nAny")
@example(name="Any", text="AnyOf")
def test_used_in_is_the_name_as_a_word(name: str, text: str) -> None:
    assert _used_in(name, text) == _plain(name, text)
