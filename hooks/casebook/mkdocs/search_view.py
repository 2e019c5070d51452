"""What Material's search plugin parses of a page: only the parts it may index.

Material's search plugin (`material.plugins.search`) reads `page.content` in its
`on_page_context` (priority 0) and skips every element marked
`data-search-exclude` -- but only after its `HTMLParser` has walked every tag
inside it. On a case page that is the answer, its reference list and the
etiology table: about half of the page's tags. `SearchView.hide` (run before
the search plugin) swaps each such element for a placeholder comment, and
`SearchView.restore` (run after it, before the template renders) puts the
elements back, so the published page is unchanged and the index never saw the
answer at all: faster, and spoiler-safe by construction rather than only by
the attribute, which stays in the HTML as a second guard.

The search plugin also strips non-empty `data-search-*="..."` attributes from
what it parsed (its own regex, applied to the placeholders); `restore`
applies the same to the restored parts so the page is byte-identical.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field

#: A start tag with a `data-search-exclude` attribute (bare, or with any value).
EXCLUDED_START_RE = re.compile(
    r"<([a-zA-Z][a-zA-Z0-9-]*)(?=[\s/])[^<>]*?\sdata-search-exclude(?=[\s=/>])[^<>]*>", re.IGNORECASE
)
#: What Material's search plugin removes from a page it indexed (material/plugins/search/plugin.py).
SEARCH_ATTR_RE = re.compile(r"\s?data-search-\w+=\"[^\"]+\"")
VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


def _end_of_element(html: str, tag: str, start: int) -> int | None:
    """Index just past the end tag matching the element opened before `start` (None: unbalanced)."""
    depth = 1
    pattern = re.compile(rf"<(/?){re.escape(tag)}(?=[\s/>])[^<>]*>", re.IGNORECASE)
    for match in pattern.finditer(html, start):
        if match.group(1):
            depth -= 1
            if depth == 0:
                return match.end()
        elif not match.group(0).endswith("/>"):
            depth += 1
    return None


def split_excluded(html: str, token: str) -> tuple[str, list[str]]:
    """`html` with each outermost excluded element replaced by `<!--{token}:{n}-->`, and the elements."""
    if "data-search-exclude" not in html:
        return html, []
    parts: list[str] = []
    out: list[str] = []
    pos = 0
    while (match := EXCLUDED_START_RE.search(html, pos)) is not None:
        tag = match.group(1).lower()
        if tag in VOID_TAGS or match.group(0).endswith("/>"):
            out.append(html[pos : match.end()])
            pos = match.end()
            continue
        end = _end_of_element(html, tag, match.end())
        if end is None:  # not HTML Casebook or Markdown wrote: leave it to the search plugin as it is
            out.append(html[pos : match.end()])
            pos = match.end()
            continue
        out.append(html[pos : match.start()])
        out.append(f"<!--{token}:{len(parts)}-->")
        parts.append(html[match.start() : end])
        pos = end
    out.append(html[pos:])
    return "".join(out), parts


def join_excluded(html: str, token: str, parts: list[str], *, strip_search_attrs: bool) -> str:
    """Undo `split_excluded` (with the search plugin's own attribute clean-up when it ran)."""
    if not parts:
        return html

    def put_back(match: re.Match[str]) -> str:
        part = parts[int(match.group(1))]
        return SEARCH_ATTR_RE.sub("", part) if strip_search_attrs else part

    return re.sub(rf"<!--{re.escape(token)}:(\d+)-->", put_back, html)


@dataclass
class SearchView:
    """Per build: the excluded parts of each page between `hide` and `restore`."""

    enabled: bool = False
    token: str = field(default_factory=lambda: f"casebook-search-cut-{secrets.token_hex(8)}")
    _parts: dict[str, list[str]] = field(default_factory=dict)

    def hide(self, key: str, content: str | None) -> str | None:
        """The content the search plugin should parse (the same content when nothing is excluded)."""
        if not self.enabled or content is None:
            return content
        shown, parts = split_excluded(content, self.token)
        if parts:
            self._parts[key] = parts
        return shown

    def restore(self, key: str, content: str | None) -> str | None:
        """The page's content with its excluded parts back, as the search plugin would have left them."""
        parts = self._parts.pop(key, None)
        if content is None or not parts:
            return content
        return join_excluded(content, self.token, parts, strip_search_attrs=True)


def is_material_search(plugin: object) -> bool:
    """Material's search plugin (the one whose indexer honours `data-search-exclude`), enabled."""
    if not type(plugin).__module__.startswith("material.plugins.search"):
        return False
    config = getattr(plugin, "config", None)
    return bool(getattr(config, "enabled", True))
