"""Links between pages, as MkDocs will publish them, without importing MkDocs.

Casebook writes some links as finished HTML (case cards, browse pages), which
MkDocs does not rewrite. They must follow the site's `use_directory_urls`
exactly as MkDocs' own `File.url` does, or they point at folders that do not
exist.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass


def page_url(src_uri: str, use_directory_urls: bool = True) -> str:
    """The URL MkDocs gives `src_uri` (relative to the site root): `a/b.md` -> `a/b/` or `a/b.html`."""
    stem, ext = posixpath.splitext(src_uri)
    if ext.lower() != ".md":
        return src_uri
    folder, name = posixpath.split(stem)
    if name in {"index", "README"}:
        prefix = f"{folder}/" if folder else ""
        return prefix if use_directory_urls else f"{prefix}index.html"
    return f"{stem}/" if use_directory_urls else f"{stem}.html"


def relative_url(url: str, from_url: str) -> str:
    """`url` as seen from the page at `from_url` (both site-root relative), as MkDocs' get_relative_url."""
    base = from_url if from_url.endswith("/") or not from_url else posixpath.dirname(from_url) + "/"
    base = base.rstrip("/") or "."
    target = url or "."
    rel = posixpath.relpath(target, base)
    if url.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return rel


@dataclass(frozen=True)
class SiteUrls:
    """Relative links from one page's source path to another's (or to a file's)."""

    use_directory_urls: bool = True
    #: The site folder case pages are published in (the cases directory).
    cases_uri: str = "cases"

    def case_page(self, slug: str) -> str:
        """The src_uri of a case page."""
        return f"{self.cases_uri}/{slug}/index.md"

    def to_case(self, from_src_uri: str, slug: str, file: str | None = None) -> str:
        """A link from a page to a case page, or to one of the case's files."""
        target = self.case_page(slug) if file is None else f"{self.cases_uri}/{slug}/{file}"
        return self.href(from_src_uri, target)

    def url(self, src_uri: str) -> str:
        return page_url(src_uri, self.use_directory_urls)

    def href(self, from_src_uri: str, to_src_uri: str) -> str:
        return relative_url(self.url(to_src_uri), self.url(from_src_uri))
