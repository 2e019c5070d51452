"""`casebook check --online` without a network: nothing is "broken", nothing is cached as broken.

The machine's name lookups are replaced by one that fails the way an offline
resolver does (EAI_NONAME, "Name or service not known"), so no request leaves it.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from casebook.checks.online import check_online
from casebook.checks.online.targets import Target

DOI_API = "https://doi.org/api/handles/"
GONE_HOST = "https://no-such-host.invalid/page"


def _offline(monkeypatch: pytest.MonkeyPatch, reachable: frozenset[str] = frozenset()) -> None:
    """Every name fails to resolve except `reachable` (which resolve to an address nobody dials)."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)

    def getaddrinfo(host: object, port: object, *args: object, **kwargs: object) -> list[object]:
        if host in reachable:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.0.2.1", 443))]
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def _check(tmp_path: Path) -> list[str]:
    targets = [Target("url", GONE_HOST, "cases/synthetic-case/index.md", 12, 5)]
    findings = check_online(
        targets, doi_api_base=DOI_API, timeout=1.0, backoff=0.0, sleep=lambda _: None, cache_path=tmp_path / "c.json"
    )
    return [f.text() for f in findings]


def test_without_a_network_an_unknown_host_is_could_not_verify_and_not_cached(monkeypatch, tmp_path):
    _offline(monkeypatch)
    assert _check(tmp_path) == [
        f"cases/synthetic-case/index.md:12:5: warning: could not verify link {GONE_HOST} (host name not found, "
        "and neither is doi.org: no network?); check it by hand in a browser [url-unverified]"
    ]
    cache = tmp_path / "c.json"
    entries = json.loads(cache.read_text(encoding="utf-8")) if cache.exists() else {}
    assert "broken" not in json.dumps(entries), entries


def test_with_a_network_an_unknown_host_is_still_broken(monkeypatch, tmp_path):
    """The contrast: when other names resolve, a name that does not is a verdict on the link."""
    _offline(monkeypatch, reachable=frozenset({"doi.org"}))
    assert _check(tmp_path) == [
        f"cases/synthetic-case/index.md:12:5: error: link {GONE_HOST} is broken (host name not found); "
        "fix or remove it [url-broken]"
    ]
