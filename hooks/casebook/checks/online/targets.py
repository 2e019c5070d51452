"""What the online checks look at: the DOIs and external links written in the project's files.

Collecting is kept apart from checking so it can run (and be tested) without
a network: each `Target` carries the file, line and column its finding is
reported at, and a `key` so a link written in ten places is asked once.
"""

from __future__ import annotations

import html
import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from casebook.checks.links import mask_code
from casebook.references.doi import doi_key, normalize_doi

__all__ = ["Target", "TargetKind", "collect_targets_from_bib", "collect_targets_from_text", "doi_from_url"]

TargetKind = Literal["doi", "url"]


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
    return urllib.parse.urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


# Markdown: inline links and images `[t](url "title")`, reference definitions
# `[id]: url`, autolinks `<https://...>`, raw `<a href="...">`.
_INLINE_LINK_RE = re.compile(
    r"!?\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]"  # [text] with one level of nested brackets
    r"\(\s*(?:<(?P<angle>[^<>\n]*)>|(?P<bare>(?:[^()\s]|\((?:[^()\s])*\))+))"
    r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?\s*\)"
)
_REF_DEF_RE = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]*(?:<(?P<angle>[^<>\n]*)>|(?P<bare>\S+))", re.M)
_AUTOLINK_RE = re.compile(r"<(?P<url>https?://[^\s<>]*)>", re.I)
_A_HREF_RE = re.compile(
    r"<a\b[^<>]*?\bhref\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<uq>[^\s\"'>]+))",
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
    """A doi.org link is a DOI target (checked at the handle API); any other link a URL target."""
    doi = doi_from_url(url)
    if doi is not None:
        return Target("doi", doi, path, line, col, context)
    return Target("url", url, path, line, col, context)
