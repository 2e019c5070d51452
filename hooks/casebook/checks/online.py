"""Online checks (`casebook check --online`): are the DOIs registered, do the links work?

Projects that publish references usually give up on checking DOIs in CI,
because resolving a DOI ends at a publisher's page and publishers answer bots
with 403/429.  Casebook asks where a DOI is *registered* instead: the DOI
handle API (`https://doi.org/api/handles/<doi>`, `responseCode` 1 = found,
100 = not found, HTTP 404 when not found).  No publisher is involved, so a
DOI either is registered or is not, and the answer can be cached.

External URLs get HEAD (then GET when HEAD is refused), retries with backoff,
a per-host concurrency limit and timeouts.  A host that refuses bots
(403/429) makes the link *unverified* (a warning), never *broken* (an error):
the build must not fail because a web site dislikes CI.  Permanent redirects
are reported with their new location, so authors can update the link.

Definitive answers (registered / not found / gone / moved permanently) go into
a small JSON cache with the time they were checked, so repeated CI runs do not
ask again until `max_cache_age` has passed.  Transient answers (429,
timeouts, 5xx) are never cached.

Only the standard library is used (urllib, a thread pool, one semaphore per
host): see docs/checks-online.md for why not lychee.
"""

from __future__ import annotations

import email.utils
import errno
import html
import json
import os
import re
import socket
import ssl
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Literal

from casebook.references.doi import DOI_FORM, doi_key, normalize_doi
from casebook.findings import Finding
from casebook.checks.links import mask_code

__all__ = [
    "CACHE_VERSION",
    "DEFAULT_CACHE_PATH",
    "DEFAULT_DOI_API_BASE",
    "DEFAULT_MAX_CACHE_AGE",
    "USER_AGENT",
    "Target",
    "check_online",
    "collect_targets_from_bib",
    "collect_targets_from_text",
    "default_cache_path",
    "parse_duration",
    "run_online",
]

TargetKind = Literal["doi", "url"]

DEFAULT_DOI_API_BASE = "https://doi.org/api/handles/"
USER_AGENT = "Casebook-linkcheck/0.1 (documentation link checker)"
#: Relative to the project root; git-ignored, never inside cases/, bib/ or docs/.
DEFAULT_CACHE_PATH = Path(".casebook-cache") / "links.json"
DEFAULT_MAX_CACHE_AGE = 7 * 24 * 3600.0
CACHE_VERSION = 1
#: Environment variable that points `run_online` at another handle API (end-to-end tests).
DOI_API_ENV = "CASEBOOK_DOI_API_BASE"

_MAX_REDIRECTS = 5
_MAX_BODY = 1 << 20  # the handle API answers in a few hundred bytes
_PERMANENT = frozenset({301, 308})
_TEMPORARY = frozenset({302, 303, 307})
_GONE = frozenset({404, 410})
_REFUSES_BOTS = frozenset({403, 429})
_RETRY_STATUS = frozenset({408, 429, 500, 502, 503, 504})
# HEAD answers that say more about the server's HEAD support than about the page.
_HEAD_FALLBACK = frozenset({400, 403, 404, 405, 406, 410, 501})


# --------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class Target:
    """One DOI or external URL, at one place in an author's file."""

    kind: TargetKind
    value: str
    path: str
    line: int
    col: int = 1
    context: str = ""  # e.g. "entry 'smith2020'": named in the message

    @property
    def key(self) -> str:
        """What is checked once, however many places mention it."""
        if self.kind == "doi":
            return "doi:" + doi_key(self.value)
        doi = doi_from_url(self.value)
        if doi is not None:
            return "doi:" + doi_key(doi)
        return "url:" + _url_key(self.value)

    @property
    def doi(self) -> str:
        """The bare DOI of a DOI target (as written, if it is not a valid DOI)."""
        if self.kind == "url":
            return doi_from_url(self.value) or self.value
        return normalize_doi(self.value) or self.value.strip()


_DOI_URL_RE = re.compile(r"^https?://(?:dx\.|www\.)?doi\.org/(?P<doi>[^?#]+)", re.I)


def doi_from_url(url: str) -> str | None:
    """The DOI of a doi.org link: such links are checked at the handle API, not the publisher."""
    match = _DOI_URL_RE.match(url.strip())
    if not match:
        return None
    return normalize_doi(urllib.parse.unquote(match.group("doi")))


def _url_key(url: str) -> str:
    """Same page, same check: drop the fragment, lower-case scheme and host."""
    parts = urllib.parse.urlsplit(url.strip())
    return urllib.parse.urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, "")
    )


# Markdown: inline links and images `[t](url "title")`, reference definitions
# `[id]: url`, autolinks `<https://...>`, raw `<a href="...">`.
_INLINE_LINK_RE = re.compile(
    r"!?\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]"  # [text] with one level of nested brackets
    r"\(\s*(?:<(?P<angle>[^<>\n]*)>|(?P<bare>(?:[^()\s]|\((?:[^()\s])*\))+))"
    r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?\s*\)"
)
_REF_DEF_RE = re.compile(
    r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]*(?:<(?P<angle>[^<>\n]*)>|(?P<bare>\S+))", re.M
)
_AUTOLINK_RE = re.compile(r"<(?P<url>https?://[^\s<>]*)>", re.I)
_A_HREF_RE = re.compile(
    r"<a\b[^>]*?\bhref\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<uq>[^\s\"'>]+))",
    re.I,
)
_EXTERNAL_RE = re.compile(r"^https?://", re.I)
def collect_targets_from_text(text: str, path: str | Path) -> list[Target]:
    """External http(s) links in a Markdown file, with line and column.

    doi.org links become DOI targets, so they are checked at the handle API.
    Links inside code blocks, code spans and HTML comments are skipped.
    """
    masked = mask_code(text)  # links in code, comments and front matter are examples, not links
    line_starts = [0] + [m.end() for m in re.finditer(r"\n", masked)]

    def position(offset: int) -> tuple[int, int]:
        lo, hi = 0, len(line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if line_starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1, offset - line_starts[lo] + 1

    found: list[tuple[int, str]] = []
    for match in _INLINE_LINK_RE.finditer(masked):
        group = "angle" if match.group("angle") is not None else "bare"
        found.append((match.start(group), match.group(group)))
    for match in _REF_DEF_RE.finditer(masked):
        group = "angle" if match.group("angle") is not None else "bare"
        found.append((match.start(group), match.group(group)))
    for match in _AUTOLINK_RE.finditer(masked):
        found.append((match.start("url"), match.group("url")))
    for match in _A_HREF_RE.finditer(masked):
        group = next(g for g in ("dq", "sq", "uq") if match.group(g) is not None)
        found.append((match.start(group), html.unescape(match.group(group))))

    targets: list[Target] = []
    seen: set[tuple[int, str]] = set()
    for offset, raw in sorted(found):
        url = raw.strip()
        if not _EXTERNAL_RE.match(url) or (offset, url) in seen:
            continue
        seen.add((offset, url))
        line, col = position(offset)
        targets.append(_target_for_url(url, str(path), line, col))
    return targets


def collect_targets_from_bib(
    entries: Iterable[tuple[str, str | None, str | None, str | Path, int]],
) -> list[Target]:
    """DOI and URL targets from already-parsed BibTeX entries.

    Each entry is `(key, doi, url, path, line)`: the citation engine parses
    the .bib files; this function only needs these plain values, so it does
    not depend on the engine's types.  A `url` that is a doi.org link is
    checked as a DOI (and only once when it repeats the `doi` field).
    """
    targets: list[Target] = []
    for key, doi, url, path, line in entries:
        context = f"entry '{key}'"
        doi_key: str | None = None
        if doi and doi.strip():
            target = Target("doi", doi.strip(), str(path), line, 1, context)
            doi_key = target.key
            targets.append(target)
        if url and url.strip():
            target = _target_for_url(url.strip(), str(path), line, 1, context)
            if target.key != doi_key:
                targets.append(target)
    return targets


def _target_for_url(url: str, path: str, line: int, col: int, context: str = "") -> Target:
    doi = doi_from_url(url)
    if doi is not None:
        return Target("doi", doi, path, line, col, context)
    return Target("url", url, path, line, col, context)


# --------------------------------------------------------------------------- outcomes

Status = Literal["ok", "broken", "redirect", "unverified", "malformed"]
_CACHEABLE: frozenset[str] = frozenset({"ok", "broken", "redirect"})


@dataclass(frozen=True)
class Outcome:
    """What one check found out; cached when definitive."""

    status: Status
    detail: str = ""
    location: str = ""  # new address of a permanently moved link
    keep: bool = True  # False: a verdict we show but do not trust enough to cache

    @property
    def cacheable(self) -> bool:
        return self.keep and self.status in _CACHEABLE

    def to_json(self, checked: float) -> dict[str, Any]:
        entry: dict[str, Any] = {"status": self.status, "checked": checked, "detail": self.detail}
        if self.location:
            entry["location"] = self.location
        return entry


def _findings_for(target: Target, outcome: Outcome) -> list[Finding]:
    """The finding for one occurrence: same words whether fresh or from the cache."""
    where = f" ({target.context})" if target.context else ""
    path, line, col = target.path, target.line, target.col
    if target.kind == "doi" or target.key.startswith("doi:"):
        doi = target.doi
        if outcome.status == "broken":
            return [Finding.error(path, line, "doi-unregistered",
                                  f"DOI {doi}{where} is not registered at doi.org ({outcome.detail}); "
                                  "check it for typos against the article, or remove it", col)]
        if outcome.status == "malformed":
            return [Finding.error(path, line, "doi-malformed",
                                  f"'{doi}'{where} is not a DOI; write it as {outcome.detail}", col)]
        if outcome.status == "unverified":
            return [Finding.warning(path, line, "doi-unverified",
                                    f"could not verify DOI {doi}{where} at doi.org ({outcome.detail}); "
                                    "run the online check again later", col)]
        return []
    url = target.value
    if outcome.status == "broken":
        return [Finding.error(path, line, "url-broken",
                              f"link {url}{where} is broken ({outcome.detail}); fix or remove it", col)]
    if outcome.status == "malformed":
        return [Finding.error(path, line, "url-broken",
                              f"link {url}{where} is not a valid URL ({outcome.detail}); fix it", col)]
    if outcome.status == "redirect":
        return [Finding.warning(path, line, "url-redirect",
                                f"link {url}{where} has moved permanently to {outcome.location} "
                                f"({outcome.detail}); update the link", col)]
    if outcome.status == "unverified":
        return [Finding.warning(path, line, "url-unverified",
                                f"link {url}{where} is unverified ({outcome.detail}); "
                                "check it by hand in a browser", col)]
    return []


# --------------------------------------------------------------------------- HTTP


@dataclass(frozen=True)
class _Reply:
    """One HTTP exchange: a status with headers, or a network failure."""

    status: int | None  # None: no HTTP answer (timeout, DNS, refused, TLS)
    headers: dict[str, str]
    body: bytes = b""
    failure: str = ""  # why there was no answer
    definitive: bool = False  # a failure that retrying will not change (e.g. unknown host)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report redirects instead of following them: permanent ones are findings."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


def _to_ascii_url(url: str) -> str:
    """IRIs (non-ASCII hosts or paths) as the ASCII URL a client must send."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    try:
        host.encode("ascii")
    except UnicodeEncodeError:
        netloc = parts.netloc.lower().replace(host, host.encode("idna").decode("ascii"))
    else:
        netloc = parts.netloc
    safe = "/%:@!$&'()*+,;=-._~"
    return urllib.parse.urlunsplit((
        parts.scheme, netloc, urllib.parse.quote(parts.path, safe=safe),
        urllib.parse.quote(parts.query, safe=safe + "?"), "",
    ))


def _classify_error(reason: BaseException) -> tuple[str, bool]:
    """(what went wrong, is it definitive) for a failure without an HTTP answer."""
    if isinstance(reason, urllib.error.URLError) and isinstance(reason.reason, BaseException):
        reason = reason.reason
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "timed out", False
    if isinstance(reason, socket.gaierror):
        # EAI_NONAME/EAI_NODATA: the name does not exist.  EAI_AGAIN is a resolver
        # hiccup (or no network at all): not a verdict on the link.
        codes = {getattr(socket, n) for n in ("EAI_NONAME", "EAI_NODATA") if hasattr(socket, n)}
        if reason.errno in codes:
            return "host name not found", True
        return f"name lookup failed: {reason.strerror or reason}", False
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"TLS certificate problem: {reason.verify_message or reason}", False
    if isinstance(reason, ConnectionRefusedError) or getattr(reason, "errno", None) == errno.ECONNREFUSED:
        return "connection refused", False
    if isinstance(reason, ConnectionError):
        return f"connection failed: {reason.__class__.__name__}", False
    text = str(reason) or reason.__class__.__name__
    return f"request failed: {text}", False


def _request(url: str, method: str, timeout: float, accept: str, read_body: bool) -> _Reply:
    request = urllib.request.Request(
        url, method=method, headers={"User-Agent": USER_AGENT, "Accept": accept}
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            body = response.read(_MAX_BODY) if read_body else b""
            return _Reply(response.status, dict(response.headers.items()), body)
    except urllib.error.HTTPError as error:
        try:
            body = error.read(_MAX_BODY) if read_body else b""
        except (OSError, ValueError):
            body = b""
        finally:
            error.close()
        return _Reply(error.code, dict(error.headers.items()) if error.headers else {}, body)
    except (urllib.error.URLError, OSError, ValueError) as error:
        # ValueError: http.client refuses some URLs (control characters, bad ports).
        if isinstance(error, ValueError) and not isinstance(error, UnicodeError):
            return _Reply(None, {}, failure=f"invalid URL: {error}", definitive=True)
        failure, definitive = _classify_error(error)
        return _Reply(None, {}, failure=failure, definitive=definitive)
    except Exception as error:  # http.client.HTTPException and friends: a broken server
        return _Reply(None, {}, failure=f"bad HTTP answer: {error.__class__.__name__}")


def _header(reply: _Reply, name: str) -> str | None:
    for key, value in reply.headers.items():
        if key.lower() == name.lower():
            return value
    return None


def _retry_after(reply: _Reply, now: float) -> float | None:
    """Seconds the server asks us to wait (`Retry-After`: seconds or an HTTP date)."""
    value = _header(reply, "Retry-After")
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - now)


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


class _Checker:
    """Runs the requests for one `check_online` call: retries, backoff, per-host limits."""

    def __init__(self, *, doi_api_base: str, timeout: float, retries: int, backoff: float,
                 per_host: int, max_retry_after: float, now: Callable[[], float],
                 sleep: Callable[[float], None]) -> None:
        self.doi_api_base = doi_api_base if doi_api_base.endswith("/") else doi_api_base + "/"
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = max(0.0, backoff)
        self.per_host = max(1, per_host)
        self.max_retry_after = max_retry_after
        self.now = now
        self.sleep = sleep
        self._hosts: dict[str, threading.Semaphore] = {}
        self._hosts_lock = threading.Lock()

    def _host_slot(self, url: str) -> threading.Semaphore:
        host = urllib.parse.urlsplit(url).netloc.lower()
        with self._hosts_lock:
            slot = self._hosts.get(host)
            if slot is None:
                slot = self._hosts[host] = threading.Semaphore(self.per_host)
            return slot

    def _exchange(self, url: str, method: str, accept: str, read_body: bool) -> _Reply:
        with self._host_slot(url):
            return _request(url, method, self.timeout, accept, read_body)

    def _with_retries(self, attempt: Callable[[], _Reply]) -> tuple[_Reply, int, str]:
        """Call `attempt` until it gives a non-transient answer or retries run out.

        Returns the last reply, the number of attempts and, when we stopped
        because the server asked for a longer wait than we allow, why.
        """
        tries = 0
        while True:
            reply = attempt()
            tries += 1
            transient = (reply.status in _RETRY_STATUS) if reply.status is not None else not reply.definitive
            if not transient or tries > self.retries:
                return reply, tries, ""
            wait = _retry_after(reply, self.now()) if reply.status is not None else None
            if wait is None:
                wait = self.backoff * (2 ** (tries - 1))
            elif wait > self.max_retry_after:
                return reply, tries, f"asks to retry after {wait:.0f} s"
            if wait > 0:
                self.sleep(wait)

    # -- DOIs

    def check_doi(self, written: str) -> Outcome:
        doi = normalize_doi(written)
        if doi is None:
            return Outcome("malformed", DOI_FORM)
        url = self.doi_api_base + urllib.parse.quote(doi, safe="/")
        reply, tries, gave_up = self._with_retries(
            lambda: self._exchange(url, "GET", "application/json", read_body=True)
        )
        code: Any = None
        try:
            data = json.loads(reply.body.decode("utf-8")) if reply.body else None
        except (UnicodeDecodeError, ValueError):
            data = None
        if isinstance(data, dict):
            code = data.get("responseCode")
        if reply.status == 200 and code in (1, 200):
            return Outcome("ok", "handle found")
        if code == 100:
            return Outcome("broken", "handle not found, responseCode 100")
        if reply.status == 404:
            # A 404 without the API's JSON may be a wrong `doi_api_base`: report it, but do
            # not cache it, so fixing the address fixes the next run.
            return Outcome("broken", "handle not found, HTTP 404", keep=False)
        return Outcome("unverified", _unverified_detail(reply, tries, gave_up, "the DOI handle API"))

    # -- URLs

    def _probe(self, url: str) -> _Reply:
        """HEAD, then GET when HEAD is refused or unsupported (many servers get HEAD wrong)."""
        accept = "text/html,application/xhtml+xml,*/*;q=0.8"
        reply = self._exchange(url, "HEAD", accept, read_body=False)
        if reply.status in _HEAD_FALLBACK:
            return self._exchange(url, "GET", accept, read_body=False)
        return reply

    def check_url(self, url: str) -> Outcome:
        try:
            current = _to_ascii_url(url.split("#", 1)[0])
            parts = urllib.parse.urlsplit(current)
            _ = parts.port  # raises ValueError for a bad port
        except (ValueError, UnicodeError) as error:
            return Outcome("malformed", str(error) or "cannot parse")
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return Outcome("malformed", "only http(s) URLs with a host name can be checked")

        original = current
        moved_to = ""  # end of the chain of *permanent* redirects
        moved_code = 0
        only_permanent = True
        for _hop in range(_MAX_REDIRECTS + 1):
            reply, tries, gave_up = self._with_retries(lambda: self._probe(current))
            status = reply.status
            via = f", reached through redirects at {current}" if current != original else ""
            if status is not None and 300 <= status < 400 and _header(reply, "Location"):
                target = urllib.parse.urljoin(current, _header(reply, "Location") or "")
                if status in _PERMANENT and only_permanent:
                    moved_to, moved_code = target, status
                elif status not in _PERMANENT:
                    only_permanent = False
                if urllib.parse.urlsplit(target).scheme.lower() not in ("http", "https"):
                    return Outcome("unverified", f"redirects to a non-web address {target}")
                current = target
                continue
            if status is not None and 200 <= status < 400:
                if moved_to:
                    return Outcome("redirect", _reason(moved_code), moved_to)
                return Outcome("ok", _reason(status))
            if status in _GONE:
                return Outcome("broken", _reason(status) + via)
            if status is None and reply.definitive:
                if reply.failure.startswith("invalid URL"):
                    return Outcome("malformed", reply.failure)
                return Outcome("broken", reply.failure + via)
            return Outcome("unverified", _unverified_detail(reply, tries, gave_up, "host") + via)
        return Outcome("unverified", f"more than {_MAX_REDIRECTS} redirects")


def _unverified_detail(reply: _Reply, tries: int, gave_up: str, who: str) -> str:
    attempts = f"{tries} attempt{'s' if tries != 1 else ''}"
    if reply.status is None:
        return f"{reply.failure} after {attempts}"
    reason = _reason(reply.status)
    if gave_up:
        reason = f"{reason}, {gave_up}"
    elif reply.status in _RETRY_STATUS:
        reason = f"{reason} after {attempts}"
    if reply.status == 401:
        return f"{reason}: the page needs a login"
    if reply.status in _REFUSES_BOTS and who == "host":
        return f"{who} refuses bots: {reason}"
    return reason


# --------------------------------------------------------------------------- cache


def default_cache_path(root: str | Path) -> Path:
    """`.casebook-cache/links.json` under the project root (git-ignored)."""
    return Path(root) / DEFAULT_CACHE_PATH


def _load_cache(path: Path) -> tuple[dict[str, dict[str, Any]], list[Finding]]:
    if not path.exists():
        return {}, []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
            raise ValueError(f"not a version {CACHE_VERSION} cache")
        entries = data.get("entries")
        if not isinstance(entries, dict):
            raise ValueError("no 'entries' object")
    except (OSError, UnicodeDecodeError, ValueError) as error:
        return {}, [Finding.warning(path, 1, "online-cache",
                                    f"link cache is unreadable ({error}); ignoring it, it will be rewritten")]
    good = {
        key: entry for key, entry in entries.items()
        if isinstance(entry, dict) and entry.get("status") in _CACHEABLE
        and isinstance(entry.get("checked"), (int, float))
    }
    return good, []


def _fresh(entry: dict[str, Any], now: float, max_age: float) -> bool:
    age = now - float(entry["checked"])
    return 0 <= age < max_age


def _write_cache(path: Path, entries: dict[str, dict[str, Any]]) -> None:
    """Write atomically: a reader (or a crash) never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps({"version": CACHE_VERSION, "entries": dict(sorted(entries.items()))},
                         indent=1, ensure_ascii=False) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# --------------------------------------------------------------------------- entry points


def check_online(
    targets: Iterable[Target],
    *,
    doi_api_base: str = DEFAULT_DOI_API_BASE,
    timeout: float = 10.0,
    retries: int = 2,
    backoff: float = 0.5,
    per_host: int = 2,
    total_workers: int = 8,
    cache_path: Path | None = None,
    max_cache_age: float = DEFAULT_MAX_CACHE_AGE,
    max_retry_after: float = 60.0,
    now: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Finding]:
    """Check every distinct DOI and URL once; report a finding at each place it occurs.

    `retries` is the number of *extra* attempts after a transient failure
    (429, 408, 5xx, timeout, connection problems); waits follow `Retry-After`
    when the server sends one (up to `max_retry_after` seconds, else we give up
    at once, as asked) and `backoff * 2**n` otherwise.  At most `per_host`
    requests run against one host at a time, `total_workers` overall.
    """
    targets = list(targets)
    by_key: dict[str, Target] = {}
    for target in targets:
        by_key.setdefault(target.key, target)

    findings: list[Finding] = []
    problems: list[Finding] = []
    cache: dict[str, dict[str, Any]] = {}
    if cache_path is not None:
        cache, problems = _load_cache(Path(cache_path))
        findings.extend(problems)
    start = now()
    cache = {key: entry for key, entry in cache.items() if _fresh(entry, start, max_cache_age)}

    outcomes: dict[str, Outcome] = {}
    todo: list[tuple[str, Target]] = []
    for key, target in by_key.items():
        entry = cache.get(key)
        if entry is not None:
            outcomes[key] = Outcome(entry["status"], str(entry.get("detail", "")), str(entry.get("location", "")))
        else:
            todo.append((key, target))

    checker = _Checker(doi_api_base=doi_api_base, timeout=timeout, retries=retries, backoff=backoff,
                       per_host=per_host, max_retry_after=max_retry_after, now=now, sleep=sleep)

    def run(target: Target) -> Outcome:
        if target.key.startswith("doi:"):
            return checker.check_doi(target.doi)
        return checker.check_url(target.value)

    if todo:
        todo = _interleave_hosts(todo, doi_api_base)
        with ThreadPoolExecutor(max_workers=max(1, total_workers), thread_name_prefix="casebook-link") as pool:
            futures = {key: pool.submit(run, target) for key, target in todo}
            for key, future in futures.items():
                try:
                    outcomes[key] = future.result()
                except Exception as error:  # a bug here must not hide every other result
                    outcomes[key] = Outcome("unverified", f"internal error: {error!r}")

    if cache_path is not None:
        checked = now()
        for key, _target in todo:
            if outcomes[key].cacheable:
                cache[key] = outcomes[key].to_json(checked)
        if todo or problems:
            _write_cache(Path(cache_path), cache)

    seen: set[Finding] = set()
    for target in targets:
        for finding in _findings_for(target, outcomes[target.key]):
            if finding not in seen:
                seen.add(finding)
                findings.append(finding)
    return sorted(findings)


def _interleave_hosts(todo: list[tuple[str, Target]], doi_api_base: str) -> list[tuple[str, Target]]:
    """Round-robin over hosts, so workers waiting on one busy host's slots do not starve the others."""
    api_host = urllib.parse.urlsplit(doi_api_base).netloc.lower()
    queues: dict[str, list[tuple[str, Target]]] = {}
    for key, target in todo:
        host = api_host if key.startswith("doi:") else urllib.parse.urlsplit(target.value).netloc.lower()
        queues.setdefault(host, []).append((key, target))
    ordered: list[tuple[str, Target]] = []
    for round_ in range(max(len(q) for q in queues.values())):
        ordered.extend(q[round_] for q in queues.values() if round_ < len(q))
    return ordered


_DURATION_RE = re.compile(r"^\s*(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>[smhdw]?)\s*$", re.I)
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_duration(text: str | float | int) -> float:
    """`--max-cache-age` values: seconds, or a number with s/m/h/d/w (`0` re-checks everything)."""
    if isinstance(text, (int, float)):
        if text < 0:
            raise ValueError("a duration cannot be negative")
        return float(text)
    match = _DURATION_RE.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a duration; use e.g. 3600, 30m, 12h, 7d or 2w")
    return float(match.group("n")) * _UNITS[match.group("unit").lower()]


def run_online(
    targets: Iterable[Target],
    root: str | Path,
    *,
    max_cache_age: float | str = DEFAULT_MAX_CACHE_AGE,
    use_cache: bool = True,
    doi_api_base: str | None = None,
    timeout: float = 10.0,
    retries: int = 2,
) -> list[Finding]:
    """What `casebook check --online` calls: the defaults of a real run.

    Cache at `<root>/.casebook-cache/links.json`; the handle API from
    `doi_api_base`, else `$CASEBOOK_DOI_API_BASE`, else doi.org.  Raises
    ValueError for a bad `max_cache_age` string (a usage error for the CLI).
    """
    base = doi_api_base or os.environ.get(DOI_API_ENV) or DEFAULT_DOI_API_BASE
    return check_online(
        targets,
        doi_api_base=base,
        timeout=timeout,
        retries=retries,
        cache_path=default_cache_path(root) if use_cache else None,
        max_cache_age=parse_duration(max_cache_age),
    )
