"""The TLS context of the client's own httpx clients: certificates and host names checked, the CA
bundle loaded once per process (it cost every client ~50 ms to build), and the environment that
httpx reads (``SSL_CERT_FILE``, ``SSL_CERT_DIR``, ``SSLKEYLOGFILE``) still honoured."""

from __future__ import annotations

import asyncio
import ssl
from pathlib import Path
from typing import Any

import certifi
import httpx
import pytest

from gemini_client._core import AsyncDeadlineTransport, DeadlineTransport
from support.work import counted

from .fakeapi import KEY, AsyncClient, Client

URL = "https://generativelanguage.googleapis.com"


def _context(transport: Any) -> ssl.SSLContext:
    context = transport._pool._ssl_context
    assert isinstance(context, ssl.SSLContext)
    return context


def _sync_context() -> ssl.SSLContext:
    with Client(api_key=KEY, base_url=URL) as client:
        return _context(client._client._transport)


def _async_context() -> ssl.SSLContext:
    async def main() -> ssl.SSLContext:
        async with AsyncClient(api_key=KEY, base_url=URL) as client:
            return _context(client._httpx()._transport)

    return asyncio.run(main())


def test_every_client_verifies_with_one_context_loaded_once() -> None:
    first = _sync_context()
    contexts, work = counted(lambda: [_sync_context(), _async_context()])
    assert work.calls("httpx/_config.py", "create_ssl_context") == 0
    assert all(context is first for context in contexts)
    assert first.verify_mode == ssl.CERT_REQUIRED and first.check_hostname
    assert first.get_ca_certs() or first.cert_store_stats()["x509_ca"] > 0


def test_the_tls_environment_is_read_when_a_client_is_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    default = _sync_context()
    log = tmp_path / "keys.log"
    monkeypatch.setenv("SSLKEYLOGFILE", str(log))
    logged = _async_context()
    assert logged is not default and logged.keylog_filename == str(log)
    assert logged.verify_mode == ssl.CERT_REQUIRED and logged.check_hostname
    monkeypatch.undo()
    bundle = tmp_path / "one.pem"
    bundle.write_text(Path(certifi.where()).read_text().split("-----END CERTIFICATE-----")[0])
    bundle.write_text(bundle.read_text() + "-----END CERTIFICATE-----\n")
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    own_bundle = _sync_context()
    assert own_bundle is not default and own_bundle.cert_store_stats()["x509_ca"] == 1
    monkeypatch.undo()  # the environment as it was: the context built first again
    assert _sync_context() is default


@pytest.mark.parametrize("transport", [DeadlineTransport, AsyncDeadlineTransport])
def test_a_transport_keeps_the_callers_verify(transport: Any) -> None:
    unverified = _context(transport(verify=False))
    assert unverified.verify_mode == ssl.CERT_NONE and not unverified.check_hostname
    own = httpx.create_ssl_context()
    assert _context(transport(verify=own)) is own
