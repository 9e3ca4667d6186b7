"""`gemini_client/api.md`, the API reference rendered from the spec: it names every resource,
method and type, its signatures are the generated methods' own, its links resolve, and spec text in
it stays inert markdown."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from codegen import naming
from codegen.pipeline import build
from codegen.render.package import render_package
from codegen.spec.loader import load_spec

from .conftest import MINI, TEMPLATES, paths

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "generated" / "gemini_client"
API_MD = PACKAGE / "api.md"


def method_blocks(text: str) -> dict[str, list[str]]:
    """`client.models.generate_content` -> the two signatures (sync, async) of its python block."""
    out: dict[str, list[str]] = {}
    for m in re.finditer(r"#### `([\w.]+)\(\)`.*?```python\n(.*?)```", text, re.S):
        out[m.group(1)] = re.split(r"\n\n# AsyncClient\n", m.group(2).strip())
    return out


def kwargs_of(signature: str) -> list[str]:
    return re.findall(r"^    (\w+): ", signature, re.M)


def test_every_resource_method_and_type_is_listed() -> None:
    text = API_MD.read_text(encoding="utf-8")
    spec = load_spec(REPO / "spec")
    blocks = method_blocks(text)
    expected = {
        "client."
        + ".".join(naming.resource_attr(p) for p in path.split("."))
        + "."
        + naming.method_name(m.name)
        for path, r in spec.all_resources()
        for m in r.methods
    }
    assert set(blocks) == expected
    for name in spec.types:
        assert f'<a id="type-{name.lower()}"></a>`{name}`' in text, name


def test_signatures_are_the_generated_methods() -> None:
    """Each listed keyword is the generated method's, in order, on Client and AsyncClient alike."""
    import gemini_client

    text = API_MD.read_text(encoding="utf-8")
    checked = 0
    clients = (gemini_client.Client(api_key="k"), gemini_client.AsyncClient(api_key="k"))
    for access, signatures in method_blocks(text).items():
        for client, sig in zip(clients, signatures, strict=True):
            *attrs, method = access.split(".")[1:]
            resource = client
            for attr in attrs:
                resource = getattr(resource, attr)
            # the generated class (lib/ may subclass it with conveniences of its own)
            generated = next(
                c
                for c in type(resource).__mro__
                if c.__module__.startswith("gemini_client.resources.")
            )
            target = getattr(generated, method)
            names = [
                p.name
                for p in inspect.signature(target).parameters.values()
                if p.kind is p.KEYWORD_ONLY
                and p.name not in ("extra_headers", "extra_query", "extra_body", "timeout")
            ]
            assert kwargs_of(sig) == names, (type(client).__name__, access)
            coroutine = inspect.iscoroutinefunction(inspect.unwrap(target))  # past @deprecated
            assert sig.startswith("async def") is coroutine, access
            checked += 1
    assert checked > 100


def test_internal_links_resolve() -> None:
    text = API_MD.read_text(encoding="utf-8")
    anchors = set(re.findall(r'<a id="([^"]+)"></a>', text))
    anchors |= {
        re.sub(r"[^a-z0-9_ -]", "", h.lower()).replace(" ", "-")  # GitHub's slugs keep "_"
        for h in re.findall(r"^#+ (.+)$", text, re.M)
    }
    for target in re.findall(r"\]\(#([^)]+)\)", text):
        assert target in anchors, target
    for target in re.findall(r"\]\((resources/[^)]+)\)", text):
        assert (PACKAGE / target).is_file(), target


def test_spec_text_is_inert_markdown(spec_copy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    spec = spec_copy(MINI)
    content = spec / "content.yaml"
    hostile = "<script>x</script> | [link](http://evil) `code` @someone\\n# heading"
    content.write_text(
        content.read_text().replace(
            "description: Multi-part content of a message.", f"description: {hostile!r}", 1
        )
    )
    files = build(paths(spec, tmp_path / "out"))
    api = files["gemini_client/api.md"].decode()
    row = next(line for line in api.splitlines() if 'id="type-content"' in line)
    assert "<script>" not in api and "[link](" not in row  # brackets escaped: no link
    assert row.count(" | ") == 3  # the pipe in the text does not add a column
    assert "&lt;script&gt;" in row


@pytest.mark.parametrize("spec_dir", [MINI, REPO / "spec"], ids=["mini", "spec"])
def test_the_reference_is_part_of_the_output(spec_dir: Path, tmp_path: Path) -> None:
    """A build writes the reference as rendered (black formats only the Python modules): checked
    on the mini spec's build; the real spec's is rendered alone, without formatting the package
    it documents, and is the committed one."""
    rendered = render_package(load_spec(spec_dir), TEMPLATES, types_module=False)[0]
    if spec_dir == MINI:
        files = build(paths(spec_dir, tmp_path / "out"))
        assert files["gemini_client/api.md"] == rendered["gemini_client/api.md"].encode()
    else:
        # codegen check keeps it fresh
        assert rendered["gemini_client/api.md"].encode() == API_MD.read_bytes()
    assert TEMPLATES.joinpath("package", "api.md.jinja").is_file()
