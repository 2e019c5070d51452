"""One HTTP exchange of the link checker, as a `Reply` that never raises.

The checker decides from a status, headers and a body, or from why there was
no answer at all; this module turns urllib's exceptions into that `Reply` and
says whether a failure is definitive (an unknown host name) or worth a retry
(a timeout).  The request itself goes through casebook.net.http, the HTTP
client `casebook cite` uses too; redirects are not followed, because a
permanent one is a finding.
"""

from __future__ import annotations

import email.utils
import errno
import socket
import ssl
import urllib.error
import urllib.parse
from dataclasses import dataclass
from datetime import datetime
from http import HTTPStatus

from casebook.net.http import open_url

__all__ = [
    "MAX_BODY",
    "Reply",
    "classify_error",
    "describe_status",
    "header",
    "request",
    "retry_after",
    "to_ascii_url",
]

MAX_BODY = 1 << 20  # the handle API answers in a few hundred bytes


@dataclass(frozen=True)
class Reply:
    """One HTTP exchange: a status with headers, or a network failure."""

    status: int | None  # None: no HTTP answer (timeout, DNS, refused, TLS)
    headers: dict[str, str]
    body: bytes = b""
    failure: str = ""  # why there was no answer
    definitive: bool = False  # a failure that retrying will not change (e.g. unknown host)


def to_ascii_url(url: str) -> str:
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
    return urllib.parse.urlunsplit(
        (
            parts.scheme,
            netloc,
            urllib.parse.quote(parts.path, safe=safe),
            urllib.parse.quote(parts.query, safe=safe + "?"),
            "",
        )
    )


#: The one definitive network failure; `Checker` still asks whether names resolve at all (offline).
HOST_NOT_FOUND = "host name not found"


def classify_error(reason: BaseException) -> tuple[str, bool]:
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
            return HOST_NOT_FOUND, True
        return f"name lookup failed: {reason.strerror or reason}", False
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"TLS certificate problem: {reason.verify_message or reason}", False
    if isinstance(reason, ConnectionRefusedError) or getattr(reason, "errno", None) == errno.ECONNREFUSED:
        return "connection refused", False
    if isinstance(reason, ConnectionError):
        return f"connection failed: {reason.__class__.__name__}", False
    text = str(reason) or reason.__class__.__name__
    return f"request failed: {text}", False


def request(url: str, method: str, timeout: float, accept: str, read_body: bool) -> Reply:
    """`method` on `url` without following redirects; the body (up to MAX_BODY) only if `read_body`."""
    try:
        with open_url(url, method=method, accept=accept, timeout=timeout, follow_redirects=False) as response:
            body = response.read(MAX_BODY) if read_body else b""
            return Reply(response.status, dict(response.headers.items()), body)
    except urllib.error.HTTPError as error:
        try:
            body = error.read(MAX_BODY) if read_body else b""
        except (OSError, ValueError):
            body = b""
        finally:
            error.close()
        return Reply(error.code, dict(error.headers.items()) if error.headers else {}, body)
    except (urllib.error.URLError, OSError, ValueError) as error:
        # ValueError: http.client refuses some URLs (control characters, bad ports).
        if isinstance(error, ValueError) and not isinstance(error, UnicodeError):
            return Reply(None, {}, failure=f"invalid URL: {error}", definitive=True)
        failure, definitive = classify_error(error)
        return Reply(None, {}, failure=failure, definitive=definitive)
    except Exception as error:  # http.client.HTTPException and friends: a broken server
        return Reply(None, {}, failure=f"bad HTTP answer: {error.__class__.__name__}")


def header(reply: Reply, name: str) -> str | None:
    """A header of the reply, whatever case the server wrote its name in."""
    for key, value in reply.headers.items():
        if key.lower() == name.lower():
            return value
    return None


def retry_after(reply: Reply, now: float) -> float | None:
    """Seconds the server asks us to wait (`Retry-After`: seconds or an HTTP date)."""
    value = header(reply, "Retry-After")
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when: datetime | None = email.utils.parsedate_to_datetime(value)  # None checked defensively
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - now)


def describe_status(status: int) -> str:
    """`HTTP 404 Not Found`: the status as findings name it."""
    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"
