"""Online checks against a real HTTP server this test starts on 127.0.0.1.

No mock of the HTTP client: `casebook.online` talks HTTP to a
ThreadingHTTPServer that plays both doi.org's handle API and a few web sites
(200, 301, 404, 410, 429, 403, HEAD-405-then-GET, slow, flaky).  The server
records every request, so the tests can count retries, check the
per-host concurrency limit and prove that cached answers are not asked again.
All DOIs are synthetic, under the 10.5555 test prefix.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from casebook import __version__
from casebook.checks.online import (
    USER_AGENT,
    Target,
    check_online,
    collect_targets_from_bib,
    collect_targets_from_text,
    default_cache_path,
    parse_duration,
    run_online,
)
from casebook.findings import Finding

REGISTERED = {"10.5555/casebook-registered-1", "10.5555/casebook-registered-2"}
UNREGISTERED = "10.5555/casebook-unregistered-9"
API_BUSY = "10.5555/casebook-api-busy"


# --------------------------------------------------------------------------- server


@dataclass
class Recorder:
    """What the server saw: requests in order, and the most requests at once."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: list[tuple[str, str]] = field(default_factory=list)
    agents: set[str] = field(default_factory=set)
    active: int = 0
    max_active: int = 0
    hits: dict[str, int] = field(default_factory=dict)
    release: threading.Event = field(default_factory=threading.Event)
    crowd: threading.Condition = field(default_factory=threading.Condition)
    crowd_size: int = 0

    def count(self, method: str | None = None, path: str | None = None) -> int:
        with self.lock:
            return sum(1 for m, p in self.requests if (method is None or m == method) and (path is None or p == path))

    def reset(self) -> None:
        with self.lock:
            self.requests.clear()
            self.max_active = 0


class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, format: str, *args: object) -> None:  # keep pytest output clean
        pass

    def do_HEAD(self) -> None:
        self._route("HEAD")

    def do_GET(self) -> None:
        self._route("GET")

    def _send(
        self,
        status: int,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        content_type: str = "text/html; charset=utf-8",
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, data: object) -> None:
        self._send(status, json.dumps(data).encode(), content_type="application/json")

    def _route(self, method: str) -> None:
        rec = self.server.recorder
        path = unquote(urlsplit(self.path).path)
        with rec.lock:
            rec.requests.append((method, path))
            rec.agents.add(self.headers.get("User-Agent", ""))
            rec.hits[path] = rec.hits.get(path, 0) + 1
            hits = rec.hits[path]
        # Counted from here until just before the answer is sent: strictly inside the
        # time the client holds its per-host slot.
        with rec.crowd:
            rec.active += 1
            rec.max_active = max(rec.max_active, rec.active)
            rec.crowd.notify_all()
        try:
            respond = self._respond(method, path, hits)
        finally:
            with rec.crowd:
                rec.active -= 1
        respond()

    def _respond(self, method: str, path: str, hits: int):  # type: ignore[no-untyped-def]
        rec = self.server.recorder
        if path.startswith("/api/handles/"):
            handle = path[len("/api/handles/") :]
            if handle.lower() in REGISTERED:
                return lambda: self._json(
                    200,
                    {
                        "responseCode": 1,
                        "handle": handle,
                        "values": [
                            {
                                "index": 1,
                                "type": "URL",
                                "data": {"format": "string", "value": "https://example.invalid/"},
                            }
                        ],
                    },
                )
            if handle.lower() == API_BUSY:
                return lambda: self._send(503, b"busy")
            return lambda: self._json(404, {"responseCode": 100, "handle": handle})
        if path == "/ok" or path == "/new-home":
            return lambda: self._send(200, b"<p>ok</p>")
        if path == "/moved":
            return lambda: self._send(301, headers={"Location": "/new-home"})
        if path == "/moved-308":
            return lambda: self._send(308, headers={"Location": f"http://{self.headers['Host']}/new-home"})
        if path == "/moved-temp":
            return lambda: self._send(302, headers={"Location": "/ok"})
        if path == "/moved-to-missing":
            return lambda: self._send(301, headers={"Location": "/missing"})
        if path == "/loop":
            return lambda: self._send(301, headers={"Location": "/loop"})
        if path == "/missing":
            return lambda: self._send(404, b"not here")
        if path == "/gone":
            return lambda: self._send(410, b"gone")
        if path == "/forbidden":
            return lambda: self._send(403, b"no bots")
        if path == "/busy":
            return lambda: self._send(429, headers={"Retry-After": "0"})
        if path == "/busy-2s":
            return lambda: self._send(429, headers={"Retry-After": "2"})
        if path == "/busy-long":
            return lambda: self._send(429, headers={"Retry-After": "3600"})
        if path == "/no-head":
            if method == "HEAD":
                return lambda: self._send(405, headers={"Allow": "GET"})
            return lambda: self._send(200, b"<p>ok</p>")
        if path == "/flaky":
            return (lambda: self._send(503, b"try again")) if hits == 1 else (lambda: self._send(200, b"ok"))
        if path == "/slow":
            rec.release.wait(5)  # far longer than the client's timeout; ends at teardown
            return lambda: self._send(200, b"late")
        if path.startswith("/crowd/"):
            # Hold the request until `crowd_size` requests are in at once (or give up):
            # shows how many requests the client lets run together against one host.
            with rec.crowd:
                rec.crowd.wait_for(lambda: rec.active >= rec.crowd_size, timeout=0.3)
            return lambda: self._send(200, b"ok")
        return lambda: self._send(404, b"unknown test path")


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.recorder = Recorder()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    @property
    def api(self) -> str:
        return f"{self.base}/api/handles/"

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    srv = Server()
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.recorder.release.set()
        srv.shutdown()
        srv.server_close()
        thread.join(5)


class Sleeps:
    """Records the waits instead of waiting: tests say what was asked, not how long it took."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def check(server: Server, targets: list[Target], **options: object) -> list[Finding]:
    options.setdefault("doi_api_base", server.api)
    options.setdefault("timeout", 2.0)
    options.setdefault("backoff", 0.0)
    options.setdefault("sleep", Sleeps())
    return check_online(targets, **options)  # type: ignore[arg-type]


def url(server: Server, path: str, line: int = 3, file: str = "cases/demo/index.md") -> Target:
    return Target("url", server.url(path), file, line)


def doi(value: str, line: int = 7, file: str = "bib/synthetic.bib", context: str = "") -> Target:
    return Target("doi", value, file, line, 1, context)


def only(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, findings
    return findings[0]


# --------------------------------------------------------------------------- DOIs


def test_registered_doi_has_no_finding_and_asks_the_handle_api(server: Server) -> None:
    findings = check(server, [doi("10.5555/casebook-registered-1")])
    assert findings == []
    assert server.recorder.requests == [("GET", "/api/handles/10.5555/casebook-registered-1")]


def test_unregistered_doi_is_an_error_at_its_line(server: Server) -> None:
    finding = only(check(server, [doi(UNREGISTERED, line=12, context="entry 'synthetic17'")]))
    assert finding == Finding.error(
        "bib/synthetic.bib",
        12,
        "doi-unregistered",
        f"DOI {UNREGISTERED} (entry 'synthetic17') is not registered at doi.org "
        "(handle not found, responseCode 100); check it for typos against the article, or remove it",
    )


def test_doi_written_as_url_or_with_prefix_is_the_same_doi(server: Server) -> None:
    targets = [
        doi("doi:10.5555/CASEBOOK-registered-1", line=1),
        doi("https://doi.org/10.5555/casebook-registered-1", line=2),
        Target("url", "https://doi.org/10.5555/casebook-registered-1", "cases/a/index.md", 4),
    ]
    assert check(server, targets) == []
    # One check for the three spellings, at the handle API, never at doi.org or a publisher.
    assert server.recorder.count() == 1
    assert server.recorder.requests[0][1].lower() == "/api/handles/10.5555/casebook-registered-1"


def test_malformed_doi_is_an_error_without_a_request(server: Server) -> None:
    finding = only(check(server, [doi("not-a-doi", line=5)]))
    assert (finding.rule, finding.level, finding.line) == ("doi-malformed", "error", 5)
    assert "'not-a-doi' is not a DOI; write it as 10.NNNN/suffix" in finding.message
    assert server.recorder.count() == 0


def test_handle_api_trouble_is_a_warning_after_retries(server: Server) -> None:
    finding = only(check(server, [doi(API_BUSY)], retries=2))
    assert (finding.rule, finding.level) == ("doi-unverified", "warning")
    assert "HTTP 503 Service Unavailable after 3 attempts" in finding.message
    assert server.recorder.count("GET", f"/api/handles/{API_BUSY}") == 3


def test_same_doi_in_many_places_is_checked_once_and_reported_everywhere(server: Server) -> None:
    targets = [
        doi(UNREGISTERED, line=3, file="bib/a.bib"),
        doi(UNREGISTERED.upper(), line=9, file="bib/b.bib"),
        Target("url", f"https://doi.org/{UNREGISTERED}", "cases/x/index.md", 14),
    ]
    findings = check(server, targets)
    assert [(f.path, f.line, f.rule) for f in findings] == [
        ("bib/a.bib", 3, "doi-unregistered"),
        ("bib/b.bib", 9, "doi-unregistered"),
        ("cases/x/index.md", 14, "doi-unregistered"),
    ]
    assert server.recorder.count() == 1


# --------------------------------------------------------------------------- URLs


def test_working_links_have_no_findings(server: Server) -> None:
    targets = [url(server, "/ok"), url(server, "/moved-temp"), url(server, "/ok#section")]
    assert check(server, targets) == []
    # /ok and /ok#section are one page: asked once (plus once through the temporary redirect).
    assert server.recorder.count("HEAD", "/ok") == 2
    assert server.recorder.count("HEAD", "/moved-temp") == 1


def test_user_agent_names_casebook(server: Server) -> None:
    check(server, [url(server, "/ok"), doi("10.5555/casebook-registered-2")])
    assert server.recorder.agents == {USER_AGENT}
    assert USER_AGENT.startswith(f"Casebook/{__version__} ")  # one User-Agent, `casebook cite` sends it too


def test_head_refused_falls_back_to_get(server: Server) -> None:
    assert check(server, [url(server, "/no-head")]) == []
    assert server.recorder.requests == [("HEAD", "/no-head"), ("GET", "/no-head")]


@pytest.mark.parametrize(("path", "status"), [("/missing", "HTTP 404 Not Found"), ("/gone", "HTTP 410 Gone")])
def test_missing_page_is_an_error(server: Server, path: str, status: str) -> None:
    finding = only(check(server, [url(server, path, line=21)]))
    assert finding == Finding.error(
        "cases/demo/index.md",
        21,
        "url-broken",
        f"link {server.url(path)} is broken ({status}); fix or remove it",
    )
    # Not found is definitive: HEAD, the GET that confirms it, no retries.
    assert server.recorder.requests == [("HEAD", path), ("GET", path)]


@pytest.mark.parametrize(
    ("path", "code"), [("/moved", "HTTP 301 Moved Permanently"), ("/moved-308", "HTTP 308 Permanent Redirect")]
)
def test_permanent_redirect_is_a_warning_with_the_new_location(server: Server, path: str, code: str) -> None:
    finding = only(check(server, [url(server, path, line=8)]))
    assert finding == Finding.warning(
        "cases/demo/index.md",
        8,
        "url-redirect",
        f"link {server.url(path)} has moved permanently to {server.url('/new-home')} ({code}); update the link",
    )
    assert server.recorder.count("HEAD", "/new-home") == 1  # the new location is checked too


def test_permanent_redirect_to_a_missing_page_is_broken(server: Server) -> None:
    finding = only(check(server, [url(server, "/moved-to-missing")]))
    assert finding.rule == "url-broken" and finding.level == "error"
    assert f"reached through redirects at {server.url('/missing')}" in finding.message


def test_redirect_loop_is_unverified_not_endless(server: Server) -> None:
    finding = only(check(server, [url(server, "/loop")]))
    assert (finding.rule, finding.level) == ("url-unverified", "warning")
    assert "more than 5 redirects" in finding.message
    assert server.recorder.count("HEAD", "/loop") == 6


def test_403_is_unverified_host_refuses_bots(server: Server) -> None:
    finding = only(check(server, [url(server, "/forbidden", line=2)]))
    assert finding == Finding.warning(
        "cases/demo/index.md",
        2,
        "url-unverified",
        f"could not verify link {server.url('/forbidden')} (host refuses bots: HTTP 403 Forbidden); "
        "check it by hand in a browser",
    )
    assert server.recorder.requests == [("HEAD", "/forbidden"), ("GET", "/forbidden")]


def test_429_is_retried_then_unverified(server: Server) -> None:
    sleeps = Sleeps()
    finding = only(check(server, [url(server, "/busy")], retries=2, sleep=sleeps))
    assert (finding.rule, finding.level) == ("url-unverified", "warning")
    assert "host refuses bots: HTTP 429 Too Many Requests after 3 attempts" in finding.message
    assert server.recorder.requests == [("HEAD", "/busy")] * 3
    assert sleeps.calls == []  # Retry-After: 0 means no wait, and no extra backoff on top


def test_retry_after_is_respected(server: Server) -> None:
    sleeps = Sleeps()
    only(check(server, [url(server, "/busy-2s")], retries=2, backoff=0.25, sleep=sleeps))
    assert sleeps.calls == [2.0, 2.0]
    assert server.recorder.count("HEAD", "/busy-2s") == 3


def test_retry_after_longer_than_the_bound_gives_up_at_once(server: Server) -> None:
    sleeps = Sleeps()
    finding = only(check(server, [url(server, "/busy-long")], retries=2, max_retry_after=60, sleep=sleeps))
    assert "HTTP 429 Too Many Requests, asks to retry after 3600 s" in finding.message
    assert finding.level == "warning"
    assert sleeps.calls == []
    assert server.recorder.count() == 1


def test_transient_error_then_success_is_ok_with_backoff(server: Server) -> None:
    sleeps = Sleeps()
    assert check(server, [url(server, "/flaky")], retries=2, backoff=0.5, sleep=sleeps) == []
    assert server.recorder.requests == [("HEAD", "/flaky")] * 2
    assert sleeps.calls == [0.5]


def test_timeout_is_retried_then_unverified(server: Server) -> None:
    sleeps = Sleeps()
    finding = only(check(server, [url(server, "/slow")], timeout=0.2, retries=1, backoff=0.5, sleep=sleeps))
    assert (finding.rule, finding.level) == ("url-unverified", "warning")
    assert "timed out after 2 attempts" in finding.message
    assert server.recorder.count("HEAD", "/slow") == 2
    assert sleeps.calls == [0.5]


def test_connection_refused_is_unverified(server: Server) -> None:
    with socket.socket() as sock:  # a port that nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    finding = only(check(server, [Target("url", f"http://127.0.0.1:{port}/x", "docs/a.md", 4)], retries=1))
    assert (finding.rule, finding.level) == ("url-unverified", "warning")
    assert "connection refused after 2 attempts" in finding.message


def test_unknown_host_name_is_definitive_but_a_resolver_hiccup_is_not() -> None:
    """DNS verdicts, classified from the errors the resolver raises (no DNS query in tests)."""
    from casebook.checks.online import _classify_error

    assert _classify_error(socket.gaierror(socket.EAI_NONAME, "Name or service not known")) == (
        "host name not found",
        True,
    )
    detail, definitive = _classify_error(socket.gaierror(socket.EAI_AGAIN, "Temporary failure"))
    assert not definitive and detail.startswith("name lookup failed")
    assert _classify_error(TimeoutError("timed out")) == ("timed out", False)


def test_invalid_url_is_broken_without_a_request(server: Server) -> None:
    finding = only(check(server, [Target("url", "http://127.0.0.1:99999/x", "docs/a.md", 4)]))
    assert (finding.rule, finding.level) == ("url-broken", "error")
    assert "is not a valid URL" in finding.message


def test_per_host_concurrency_limit(server: Server) -> None:
    server.recorder.crowd_size = 3  # each request waits for a third one to arrive
    targets = [url(server, f"/crowd/{i}") for i in range(6)]
    assert check(server, targets, per_host=2, total_workers=8) == []
    assert server.recorder.count() == 6
    assert server.recorder.max_active == 2


def test_concurrency_measure_can_fail(server: Server) -> None:
    """The same server sees more than two at once when the client allows it."""
    server.recorder.crowd_size = 3
    targets = [url(server, f"/crowd/{i}") for i in range(6)]
    assert check(server, targets, per_host=4, total_workers=8) == []
    assert server.recorder.max_active >= 3


# --------------------------------------------------------------------------- cache


def mixed_targets(server: Server) -> list[Target]:
    return [
        doi("10.5555/casebook-registered-1", line=2),
        doi(UNREGISTERED, line=5),
        url(server, "/ok", line=1),
        url(server, "/missing", line=2),
        url(server, "/moved", line=3),
        url(server, "/busy", line=4),
    ]


def test_second_run_asks_nothing_for_cached_definitive_results(server: Server, tmp_path: Path) -> None:
    cache = tmp_path / ".cache" / "plugin" / "casebook" / "links.json"
    clock = [1_000_000.0]
    options = dict(cache_path=cache, max_cache_age=3600.0, now=lambda: clock[0], retries=1)

    first = check(server, mixed_targets(server), **options)
    assert {f.rule for f in first} == {"doi-unregistered", "url-broken", "url-redirect", "url-unverified"}
    data = json.loads(cache.read_text(encoding="utf-8"))
    assert data["version"] == 1
    entries = data["entries"]
    assert {k: v["status"] for k, v in entries.items()} == {
        "doi:10.5555/casebook-registered-1": "ok",
        f"doi:{UNREGISTERED}": "broken",
        f"url:{server.url('/ok')}": "ok",
        f"url:{server.url('/missing')}": "broken",
        f"url:{server.url('/moved')}": "redirect",
    }  # 429 is transient: not cached
    assert entries[f"url:{server.url('/moved')}"]["location"] == server.url("/new-home")
    assert all(v["checked"] == 1_000_000.0 for v in entries.values())

    server.recorder.reset()
    clock[0] += 600
    second = check(server, mixed_targets(server), **options)
    assert second == first  # same words from the cache
    assert server.recorder.requests == [("HEAD", "/busy")] * 2  # only the transient one, asked again
    assert list(cache.parent.iterdir()) == [cache]  # no temp files left


def test_aged_entry_is_checked_again(server: Server, tmp_path: Path) -> None:
    cache = tmp_path / "links.json"
    clock = [1_000_000.0]
    options = dict(cache_path=cache, max_cache_age=3600.0, now=lambda: clock[0])
    targets = [doi("10.5555/casebook-registered-1"), url(server, "/ok")]
    check(server, targets, **options)
    assert server.recorder.count() == 2

    server.recorder.reset()
    clock[0] += 3599
    check(server, targets, **options)
    assert server.recorder.count() == 0

    clock[0] += 2  # now older than max_cache_age
    check(server, targets, **options)
    assert sorted(server.recorder.requests) == [("GET", "/api/handles/10.5555/casebook-registered-1"), ("HEAD", "/ok")]
    entries = json.loads(cache.read_text())["entries"]
    assert {v["checked"] for v in entries.values()} == {1_000_000.0 + 3601}


def test_max_cache_age_zero_rechecks_everything(server: Server, tmp_path: Path) -> None:
    cache = tmp_path / "links.json"
    targets = [url(server, "/ok")]
    check(server, targets, cache_path=cache, max_cache_age=0, now=lambda: 5.0)
    check(server, targets, cache_path=cache, max_cache_age=0, now=lambda: 5.0)
    assert server.recorder.count("HEAD", "/ok") == 2


def test_unreadable_cache_is_a_warning_and_is_rewritten(server: Server, tmp_path: Path) -> None:
    cache = tmp_path / "links.json"
    cache.write_text("{ not json", encoding="utf-8")
    findings = check(server, [url(server, "/ok")], cache_path=cache)
    finding = only(findings)
    assert (finding.path, finding.rule, finding.level) == (str(cache), "online-cache", "warning")
    assert "link cache is unreadable" in finding.message
    assert json.loads(cache.read_text())["entries"][f"url:{server.url('/ok')}"]["status"] == "ok"


def test_cache_keeps_fresh_entries_of_other_targets(server: Server, tmp_path: Path) -> None:
    cache = tmp_path / "links.json"
    check(server, [url(server, "/ok")], cache_path=cache, now=lambda: 100.0)
    check(server, [url(server, "/gone")], cache_path=cache, now=lambda: 200.0)
    assert set(json.loads(cache.read_text())["entries"]) == {f"url:{server.url('/ok')}", f"url:{server.url('/gone')}"}


def test_run_online_uses_the_project_cache_and_env_api(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASEBOOK_DOI_API_BASE", server.api)
    findings = run_online([doi(UNREGISTERED)], tmp_path, max_cache_age="1d")
    assert only(findings).rule == "doi-unregistered"
    cache = default_cache_path(tmp_path)
    assert cache == tmp_path / ".cache" / "plugin" / "casebook" / "links.json"
    assert f"doi:{UNREGISTERED}" in json.loads(cache.read_text())["entries"]
    server.recorder.reset()
    assert run_online([doi(UNREGISTERED)], tmp_path, max_cache_age="1d") == findings
    assert server.recorder.count() == 0


# --------------------------------------------------------------------------- collecting targets


MARKDOWN = """\
---
title: Synthetic case 17
---
# Synthetic condition 17

See [the guideline](https://guidelines.example.org/a_(b) "title") and <https://example.net/auto>.
Inline `[code](https://code.example/)` is not a link.

```markdown
[fenced](https://fenced.example/)
```

<a class="ext" href="https://html.example/?a=1&amp;b=2">raw</a> and ![img](https://img.example/x.png).
[local](../other/) [mail](mailto:someone@example.org) [DOI](https://doi.org/10.5555/casebook-registered-1)
<!-- [hidden](https://comment.example/) -->

[ref]: https://ref.example/page
"""


def col_of(text: str, line: int, needle: str) -> int:
    """1-based column of `needle` on 1-based `line` of `text`, computed independently."""
    return text.split("\n")[line - 1].index(needle) + 1


def test_collect_targets_from_markdown() -> None:
    targets = collect_targets_from_text(MARKDOWN, "cases/synthetic-17/index.md")
    assert [(t.kind, t.value, t.line, t.col) for t in targets] == [
        ("url", "https://guidelines.example.org/a_(b)", 6, col_of(MARKDOWN, 6, "https://guidelines")),
        ("url", "https://example.net/auto", 6, col_of(MARKDOWN, 6, "https://example.net")),
        ("url", "https://html.example/?a=1&b=2", 13, col_of(MARKDOWN, 13, "https://html")),
        ("url", "https://img.example/x.png", 13, col_of(MARKDOWN, 13, "https://img")),
        ("doi", "10.5555/casebook-registered-1", 14, col_of(MARKDOWN, 14, "https://doi.org")),
        ("url", "https://ref.example/page", 17, 8),
    ]
    assert {t.path for t in targets} == {"cases/synthetic-17/index.md"}


def test_markdown_targets_check_end_to_end(server: Server) -> None:
    text = f"Intro\n\n[ok]({server.url('/ok')}) then [bad]({server.url('/missing')})\n"
    findings = check(server, collect_targets_from_text(text, "docs/index.md"))
    finding = only(findings)
    expected_col = col_of(text, 3, server.url("/missing"))
    assert (finding.path, finding.line, finding.col, finding.rule) == ("docs/index.md", 3, expected_col, "url-broken")
    assert server.url("/missing") in finding.message


def test_collect_targets_from_bib() -> None:
    targets = collect_targets_from_bib(
        [
            (
                "synthetic1",
                "10.5555/casebook-registered-1",
                "https://doi.org/10.5555/casebook-registered-1",
                "bib/seed.bib",
                3,
            ),
            ("synthetic2", None, "https://example.org/paper", Path("bib/seed.bib"), 11),
            ("synthetic3", "  ", "", "bib/seed.bib", 19),
            ("synthetic4", "doi:10.5555/casebook-x", "https://doi.org/10.5555/other", "bib/seed.bib", 27),
        ]
    )
    assert [(t.kind, t.value, t.line, t.context) for t in targets] == [
        ("doi", "10.5555/casebook-registered-1", 3, "entry 'synthetic1'"),
        ("url", "https://example.org/paper", 11, "entry 'synthetic2'"),
        ("doi", "doi:10.5555/casebook-x", 27, "entry 'synthetic4'"),
        ("doi", "10.5555/other", 27, "entry 'synthetic4'"),
    ]
    assert {t.path for t in targets} == {"bib/seed.bib"}


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("3600", 3600.0),
        ("30m", 1800.0),
        ("12h", 43200.0),
        ("7d", 604800.0),
        ("2w", 1209600.0),
        ("0", 0.0),
        ("1.5h", 5400.0),
    ],
)
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "-1", "7 days", "1y"])
def test_parse_duration_rejects_nonsense(text: str) -> None:
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration(text)


def test_work_is_spread_over_hosts() -> None:
    """Workers go round the hosts, so one slow host's queue does not hold up the others."""
    from casebook.checks.online import _interleave_hosts

    targets = [
        Target("url", "https://a.example/1", "x.md", 1),
        Target("url", "https://a.example/2", "x.md", 2),
        Target("url", "https://a.example/3", "x.md", 3),
        Target("url", "https://b.example/1", "x.md", 4),
        Target("doi", "10.5555/casebook-1", "x.bib", 5),
        Target("doi", "10.5555/casebook-2", "x.bib", 6),
    ]
    ordered = _interleave_hosts([(t.key, t) for t in targets], "https://doi.example/api/handles/")
    assert [t.line for _, t in ordered] == [1, 4, 5, 2, 6, 3]
