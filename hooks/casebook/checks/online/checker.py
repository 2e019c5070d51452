"""How one DOI or one URL is checked: the verdict rules, retries, backoff, per-host limits.

A DOI is asked at the DOI handle API, never at the publisher: `responseCode`
1 is registered, 100 (or HTTP 404) is not.  A URL gets HEAD, then GET when
HEAD is refused; redirects are followed by hand, so a permanent one becomes a
`redirect` outcome with its new address.  A host that refuses bots (403/429)
makes a link *unverified*, never *broken*: a web site that dislikes CI must
not fail the build.  Only transient answers (408, 429, 5xx, no answer) are
retried, following `Retry-After` when the server sends one.
"""

from __future__ import annotations

import functools
import json
import socket
import threading
import urllib.parse
from collections.abc import Callable
from typing import Any

from casebook.checks.online.exchange import (
    HOST_NOT_FOUND,
    Reply,
    describe_status,
    header,
    request,
    retry_after,
    to_ascii_url,
)
from casebook.checks.online.outcomes import Outcome
from casebook.references.doi import DOI_FORM, normalize_doi

__all__ = ["Checker"]

_MAX_REDIRECTS = 5
_PERMANENT = frozenset({301, 308})
_GONE = frozenset({404, 410})
_REFUSES_BOTS = frozenset({403, 429})
_RETRY_STATUS = frozenset({408, 429, 500, 502, 503, 504})
# HEAD answers that say more about the server's HEAD support than about the page.
_HEAD_FALLBACK = frozenset({400, 403, 404, 405, 406, 410, 501})


class Checker:
    """Runs the requests for one `check_online` call: retries, backoff, per-host limits."""

    def __init__(
        self,
        *,
        doi_api_base: str,
        timeout: float,
        retries: int,
        backoff: float,
        per_host: int,
        max_retry_after: float,
        now: Callable[[], float],
        sleep: Callable[[float], None],
    ) -> None:
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
        self._resolves: bool | None = None

    def _host_slot(self, url: str) -> threading.Semaphore:
        """The semaphore of `url`'s host: at most `per_host` requests to it at a time."""
        host = urllib.parse.urlsplit(url).netloc.lower()
        with self._hosts_lock:
            slot = self._hosts.get(host)
            if slot is None:
                slot = self._hosts[host] = threading.Semaphore(self.per_host)
            return slot

    def _exchange(self, url: str, method: str, accept: str, read_body: bool) -> Reply:
        """One request, holding a slot of its host while it runs."""
        with self._host_slot(url):
            return request(url, method, self.timeout, accept, read_body)

    def _with_retries(self, attempt: Callable[[], Reply]) -> tuple[Reply, int, str]:
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
            wait = retry_after(reply, self.now()) if reply.status is not None else None
            if wait is None:
                wait = self.backoff * (2 ** (tries - 1))
            elif wait > self.max_retry_after:
                return reply, tries, f"asks to retry after {wait:.0f} s"
            if wait > 0:
                self.sleep(wait)

    # -- DOIs

    def check_doi(self, written: str) -> Outcome:
        """Is `written` (a DOI as the author wrote it) registered at the handle API?"""
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

    # -- the network

    def _reference_host(self) -> str:
        return urllib.parse.urlsplit(self.doi_api_base).hostname or "doi.org"

    def _names_resolve(self) -> bool:
        """Whether this machine can look up host names at all (the DOI API's, once per run)."""
        if self._resolves is None:
            try:
                socket.getaddrinfo(self._reference_host(), 443)
                self._resolves = True
            except OSError:
                self._resolves = False
        return self._resolves

    # -- URLs

    def _probe(self, url: str) -> Reply:
        """HEAD, then GET when HEAD is refused or unsupported (many servers get HEAD wrong)."""
        accept = "text/html,application/xhtml+xml,*/*;q=0.8"
        reply = self._exchange(url, "HEAD", accept, read_body=False)
        if reply.status in _HEAD_FALLBACK:
            return self._exchange(url, "GET", accept, read_body=False)
        return reply

    def check_url(self, url: str) -> Outcome:
        """Does `url` answer, and has it moved permanently?  Redirects are followed here, hop by hop."""
        try:
            current = to_ascii_url(url.split("#", 1)[0])
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
            reply, tries, gave_up = self._with_retries(functools.partial(self._probe, current))
            status = reply.status
            via = f", reached through redirects at {current}" if current != original else ""
            if status is not None and 300 <= status < 400 and header(reply, "Location"):
                target = urllib.parse.urljoin(current, header(reply, "Location") or "")
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
                    return Outcome("redirect", describe_status(moved_code), moved_to)
                return Outcome("ok", describe_status(status))
            if status in _GONE:
                return Outcome("broken", describe_status(status) + via)
            if status is None and reply.definitive:
                if reply.failure.startswith("invalid URL"):
                    return Outcome("malformed", reply.failure)
                if reply.failure == HOST_NOT_FOUND and not self._names_resolve():
                    # Without a network every name is "not found": no verdict on the link, and none cached.
                    return Outcome(
                        "unverified", f"{reply.failure}, and neither is {self._reference_host()}: no network?"
                    )
                return Outcome("broken", reply.failure + via)
            return Outcome("unverified", _unverified_detail(reply, tries, gave_up, "host") + via)
        return Outcome("unverified", f"more than {_MAX_REDIRECTS} redirects")


def _unverified_detail(reply: Reply, tries: int, gave_up: str, who: str) -> str:
    """Why no verdict could be reached, with the attempts made, in the finding's words."""
    attempts = f"{tries} attempt{'s' if tries != 1 else ''}"
    if reply.status is None:
        return f"{reply.failure} after {attempts}"
    reason = describe_status(reply.status)
    if gave_up:
        reason = f"{reason}, {gave_up}"
    elif reply.status in _RETRY_STATUS:
        reason = f"{reason} after {attempts}"
    if reply.status == 401:
        return f"{reason}: the page needs a login"
    if reply.status in _REFUSES_BOTS and who == "host":
        return f"{who} refuses bots: {reason}"
    return reason
