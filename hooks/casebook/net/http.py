"""The one HTTP client of Casebook: every request names Casebook and its version.

Two features talk HTTP: the online checks (`casebook check --online`, DOIs at
the handle API and external links) and `casebook cite` (metadata from doi.org
and PubMed).  Both build their requests here, so servers see one
User-Agent and a maintainer looking at their logs can tell what Casebook asked.
Each caller keeps its own reading of the errors, because they differ: a link
check turns a failure into a finding, `cite` into a message for the author.

Only the standard library (urllib) is used.
"""

from __future__ import annotations

import http.client
import urllib.request

from casebook import __version__

__all__ = ["USER_AGENT", "open_url"]

USER_AGENT = f"Casebook/{__version__} (teaching-case site: link checks and reference import)"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report redirects (as HTTPError with the 3xx status) instead of following them."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


def open_url(
    url: str, *, accept: str, timeout: float, method: str = "GET", follow_redirects: bool = True
) -> http.client.HTTPResponse:
    """Send one request with Casebook's User-Agent; the caller closes the response (`with`).

    urllib's own behaviour otherwise: an HTTP status of 400 or more (and, with
    `follow_redirects=False`, a redirect) raises `urllib.error.HTTPError`; no
    answer at all raises `URLError`/`OSError`; a URL http.client refuses raises
    ValueError.  The link checker needs redirects unfollowed (a permanent one
    is a finding); `cite` follows them (doi.org sends it to the agency).
    """
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": accept})
    opener = urllib.request.build_opener(*([] if follow_redirects else [_NoRedirect]))
    response: http.client.HTTPResponse = opener.open(request, timeout=timeout)
    return response
