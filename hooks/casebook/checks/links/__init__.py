"""Internal links and `#anchors`, checked from the Markdown sources without rendering.

`casebook check` must answer in seconds, so it cannot render every page the
way MkDocs does before MkDocs validates links. This package reads the sources
instead: it finds Markdown links (skipping code and comments), resolves them
exactly as MkDocs 1.6 does (relative to the source file's `src_uri`, `.md`
targets, case pages at `cases/<slug>/index.md`), and computes each page's
anchors the way Python-Markdown's `toc` extension names headings (its
`slugify`, de-duplicated with `_1`, `_2`), plus explicit `{#id}` ids and the
ids Casebook generates on case pages (`the-case`, `answer`, `figure-N`,
`references`, `ref-<key>`).

Headings inside a case's answer have no id (an id there would be a spoiler in
the URL and the table of contents), so a link to one is reported with what to
link to instead. Links whose scheme could run code (`javascript:`, `data:`)
are errors; so is raw HTML that runs script (`<script>`, `onclick=`).

One concern per module:

- `extract`: the links, images and script-running HTML written in a source.
- `headings`: headings and ids, named as `toc` names them.
- `anchors`: the anchors a doc page or a composed case page will have.
- `site`: the site's files and pages (`SourcePage`), and how MkDocs resolves a link.
- `rules`: `check_page_links`, the findings and their suggested fixes.

This package re-exports the names callers use, so they import from
`casebook.checks.links` and the layout inside can change.
"""

from __future__ import annotations

from casebook.checks.links.anchors import Anchors, case_anchors, doc_anchors
from casebook.checks.links.extract import Link, extract_links, mask_code, unsafe_html
from casebook.checks.links.headings import (
    Heading,
    explicit_ids,
    find_headings,
    heading_text,
    html_ids,
    unique_id,
)
from casebook.checks.links.rules import SAFE_SCHEMES, check_page_links
from casebook.checks.links.site import PageKind, Site, SourcePage, docs_files, target_uri

__all__ = [
    "SAFE_SCHEMES",
    "Anchors",
    "Heading",
    "Link",
    "PageKind",
    "Site",
    "SourcePage",
    "case_anchors",
    "check_page_links",
    "doc_anchors",
    "docs_files",
    "explicit_ids",
    "extract_links",
    "find_headings",
    "heading_text",
    "html_ids",
    "mask_code",
    "target_uri",
    "unique_id",
    "unsafe_html",
]
