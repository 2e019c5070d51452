"""MkDocs hook: make `mkdocs build --strict` fail on what `casebook check` calls an error.

Thin adapter around `casebook.links`. MkDocs validates links and anchors
itself (mkdocs.yml `validation:`), with three gaps this hook closes:

- anchors: MkDocs collects a page's ids before Casebook removes the ids of
  headings inside the answer (they would be spoilers), so it would accept a
  link to one. After rendering, the page's anchors are cut down to the ids the
  HTML really has, and MkDocs' own anchor validation then reports the link.
- sources: script-running raw HTML (`<script>`, `onclick=`), unsafe link schemes
  (`javascript:`, `data:`, also in raw HTML, which MkDocs does not look at) and
  images without alt text in docs/ pages are reported with file and line.
- lines: MkDocs names the page of a missing link target, not the line; this hook
  reports missing targets and absolute links again, with line and column.
"""

from __future__ import annotations

import html
import logging
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from casebook.findings import relative
from casebook.text.frontmatter import read_source
from casebook.checks.links import Page as SourcePage
from casebook.checks.links import Site, check_page_links

log = logging.getLogger("mkdocs.plugins.casebook.checks")

#: Reported here with file and line. MkDocs' own `validation:` reports missing targets too, but
#: names only the page; anchors are left to it (they need every page rendered first).
BUILD_RULES = frozenset({"html-unsafe", "link-unsafe", "image-alt", "link-missing", "link-absolute",
                         "image-missing"})

_state: dict[str, Site] = {}


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Every file the site will publish, as MkDocs itself knows them (this hook runs last)."""
    _state["site"] = Site(files={f.src_uri for f in files})
    return files
_ID_RE = re.compile(r"<[a-zA-Z][\w-]*\s[^>]*?(?<=\s)(?:id|name)=\"([^\"]*)\"")


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    source = page.file.abs_src_path
    if not source or not page.file.src_uri.endswith(".md") or page.file.generated_by:
        return None
    path = Path(source)
    text, _ = read_source(path)
    if text is None:
        return None
    root = Path(config.config_file_path).resolve().parent
    is_case = page.file.src_uri.startswith("cases/")
    source_page = SourcePage(page.file.src_uri, relative(path, root), "case" if is_case else "doc", text)
    for finding in check_page_links(source_page, _state.get("site", Site()), check_images=not is_case):
        if finding.rule in BUILD_RULES:
            (log.error if finding.is_error else log.warning)(finding.text())
    return None


def on_page_content(html_text: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    if page.present_anchor_ids:
        present = {html.unescape(v) for v in _ID_RE.findall(html_text)}
        page.present_anchor_ids = {a for a in page.present_anchor_ids if a in present}
    return None
