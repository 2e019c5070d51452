"""Citation keys in an author's Markdown: the `[@key]` grammar and the source scanner.

`scan_citations(text)` finds every cited key with its line and column, without
rendering, for `casebook check`, for locating an unknown key and for the
site-wide bibliography page. The Markdown extension that renders citations
(`casebook.render.citations`) uses the same grammar (`CITE_RE`, `parse_items`),
so both agree on what a citation is.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from casebook.references.bibtex import KEY_PATTERN
from casebook.text.masking import mask

__all__ = ["CITE_RE", "Citation", "CiteItem", "inside_url", "malformed_citations", "parse_items", "scan_citations"]

_ITEM = rf"@(?P<key>{KEY_PATTERN})(?:[ \t]*,[ \t]*(?P<locator>[^;\[\]\n]*?))?[ \t]*"
_ITEM_RE = re.compile(_ITEM)
#: `[@a]`, `[@a; @b]`, `[@a, p. 12; @b]`; not a link (`[@name](url)`) or reference link (`[@x][y]`).
CITE_RE = re.compile(
    rf"\[(?P<items>@{KEY_PATTERN}(?:[ \t]*,[ \t]*[^;\[\]\n]*?)?[ \t]*"
    rf"(?:;[ \t]*@{KEY_PATTERN}(?:[ \t]*,[ \t]*[^;\[\]\n]*?)?[ \t]*)*)\](?![(\[])"
)
#: What an author meant as a citation: `[@` up to the closing `]` on the same line (or the line's end).
_ATTEMPT_RE = re.compile(r"\[@[^\]\n]*+\]?+")
_AUTOLINK_RE = re.compile(r"<(?:[a-z][a-z0-9+.-]*:|www\.)[^>\s]*>", re.I)
_SPACE_RE = re.compile(r"[ \t]")


class Citation(NamedTuple):
    """One cited key in a source file (1-based line and column of its `@`)."""

    key: str
    line: int
    col: int


@dataclass(frozen=True)
class CiteItem:
    key: str
    locator: str = ""


def parse_items(items: str) -> list[CiteItem]:
    """The keys (and locators) of the inside of one `[...]` group."""
    out = []
    for part in items.split(";"):
        m = _ITEM_RE.fullmatch(part.strip())
        if m:
            out.append(CiteItem(m.group("key"), (m.group("locator") or "").strip()))
    return out


def inside_url(text: str, start: int, token_start: int | None = None) -> bool:
    """True if position `start` is inside a bare URL token (`https://x.org/[@a]`).

    `token_start` is where the whitespace-delimited token around `start` begins,
    if the caller knows (the scanner does: it finds each line's spaces once).
    """
    if token_start is None:
        token_start = start
        while token_start > 0 and text[token_start - 1] not in " \t\n":
            token_start -= 1
    token = text[token_start:start]
    return "://" in token or token.startswith(("<", "www.", "mailto:"))


def _escaped(text: str, index: int) -> bool:
    backslashes = 0
    while index - 1 - backslashes >= 0 and text[index - 1 - backslashes] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def scan_citations(text: str) -> list[Citation]:
    """Every cited key in a Markdown source, in order, with line and column.

    Skips YAML front matter, fenced code, inline code and HTML comments (as
    `casebook.text.masking` finds them, like every other scanner), autolinks and
    bare URLs, and escaped `\\[@...]`, exactly where the Markdown extension does
    not render a citation either. Remembered per text: a build scans each case
    from several rules, and `mkdocs serve` again on every rebuild.
    """
    return list(_scan_citations(text))


@lru_cache(maxsize=4096)
def _scan_citations(text: str) -> tuple[Citation, ...]:
    if "[@" not in text:
        return ()
    found: list[Citation] = []
    for number, line in enumerate(mask(text, front_matter=True).split("\n"), start=1):
        if "[@" not in line:
            continue
        masked = _AUTOLINK_RE.sub(lambda c: " " * len(c.group()), line)
        token_starts = [0] + [m.end() for m in _SPACE_RE.finditer(masked)]  # after each space or tab
        for group in CITE_RE.finditer(masked):
            token_start = token_starts[bisect_right(token_starts, group.start()) - 1]
            if _escaped(masked, group.start()) or inside_url(masked, group.start(), token_start):
                continue
            offset = group.start("items")
            for part in re.finditer(r"[^;]+", group.group("items")):
                item = _ITEM_RE.fullmatch(part.group().strip())
                if item:
                    col = offset + part.start() + (len(part.group()) - len(part.group().lstrip())) + 1
                    found.append(Citation(item.group("key"), number, col))
    return tuple(found)


def malformed_citations(text: str) -> list[tuple[int, int, str]]:
    """`[@...` groups the citation grammar does not read, as (line, col, text): shown literally otherwise.

    `[@key; ]`, `[@]` and an unclosed `[@key` would reach the page as plain text
    with no reference; links (`[@name](url)`) and escaped `\\[@` are not citations.
    """
    if "[@" not in text:
        return []
    found = []
    for number, line in enumerate(mask(text, front_matter=True).split("\n"), start=1):
        if "[@" not in line:
            continue
        masked = _AUTOLINK_RE.sub(lambda c: " " * len(c.group()), line)
        good = {m.start() for m in CITE_RE.finditer(masked)}
        for attempt in _ATTEMPT_RE.finditer(masked):
            start, end = attempt.span()
            if start in good or _escaped(masked, start) or inside_url(masked, start):
                continue
            if attempt.group().endswith("]") and masked[end : end + 1] in ("(", "["):
                continue  # a link or reference link whose text starts with '@'
            found.append((number, start + 1, attempt.group()))
    return found
