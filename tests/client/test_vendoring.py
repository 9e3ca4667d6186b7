"""The package works when copied under another package path, as docs/client.md describes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROGRAM = """
import sys
from myapp._vendor.gemini_client import Client, RateLimitError, types

client = Client(api_key="k", base_url="http://127.0.0.1:9")
assert repr(client) == "Client(base_url='http://127.0.0.1:9/', max_retries=2)"
part = types.Part(inline_data=types.Blob(mime_type="image/jpeg", data="AAAA"))
assert part.to_dict() == {"inlineData": {"mimeType": "image/jpeg", "data": "AAAA"}}
assert client.models.__class__.__module__.startswith("myapp._vendor.gemini_client.")
assert issubclass(RateLimitError, Exception)
leaked = sorted(m for m in sys.modules if m.split(".")[0] in ("gemini_client", "codegen"))
assert not leaked, leaked
print("ok")
"""


def test_vendored_copy_imports_only_itself(tmp_path: Path) -> None:
    vendor = tmp_path / "myapp" / "_vendor"
    shutil.copytree(
        ROOT / "generated" / "gemini_client",
        vendor / "gemini_client",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    (tmp_path / "myapp" / "__init__.py").write_text("")
    (vendor / "__init__.py").write_text("")
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
