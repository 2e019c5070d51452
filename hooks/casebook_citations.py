"""MkDocs hook: `[@key]` citations, AMA bibliographies and the site-wide bibliography page.

Thin adapter around the engine: `casebook.bibtex` reads `bib/*.bib` once per
build, `casebook.citations` renders citations (as a Markdown extension added
here), `casebook.bibliography` knows which case cites what. Every problem is
logged as a Finding (file:line) so `mkdocs build --strict` fails on it.
"""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from casebook.references.bibliography import (
    BIBLIOGRAPHY_MARKER,
    CaseCitations,
    bibliography_page,
    collect_case_citations,
    site_bibliography_html,
    visible_spoilers,
)
from casebook.references.lint import bib_source_findings, reference_findings
from casebook.references.bibtex import Library, load_library
from casebook.cases.catalog import load_catalog
from casebook.render.citations import CitationExtension, scan_citations
from casebook.findings import Finding, relative
from casebook.text.rawhtml import replace_marker

log = logging.getLogger("mkdocs.plugins.casebook.citations")

BIB_DIR = "bib"
CASES_DIR = "cases"
BIBLIOGRAPHY_PAGE = "bibliography.md"

_state: dict[str, object] = {}


def _report(findings: list[Finding]) -> None:
    for finding in sorted(findings):
        (log.error if finding.is_error else log.warning)(finding.text())


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    root = Path(config.config_file_path).resolve().parent
    paths = sorted((root / BIB_DIR).glob("*.bib"))
    library, findings = load_library(paths, root)
    findings += [f for path in paths for f in bib_source_findings(path, relative(path, root))]
    findings += [f for ref in library.values() for f in reference_findings(ref)]
    _report(findings)
    extension = CitationExtension(library=library, on_unknown=_unknown_key)
    config.markdown_extensions.append(extension)  # type: ignore[arg-type]
    _state.clear()
    _state.update(root=root, library=library, extension=extension, page=None, unknown=Counter(), cases=[])
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    root: Path = _state["root"]  # type: ignore[assignment]
    library: Library = _state["library"]  # type: ignore[assignment]
    # The cases hook has loaded (and cached) every case, valid or not: reuse its paths and front matter.
    loaded = {entry.path: entry.case for entry in load_catalog(root / CASES_DIR, root).entries}
    cases = collect_case_citations(loaded, root, loaded)
    _state["cases"] = cases
    by_uri: dict[str, CaseCitations] = {}
    for case in cases:
        by_uri.setdefault(case.uri, case)
    _state["by_uri"] = by_uri  # on_page_content looks a page up in O(1), not by scanning every case
    cited = {key for case in cases for key in case.keys}
    never = sorted(key for key in library if key not in cited)
    if never:
        # A warning in `casebook check`; in the build only a note, so a shared .bib does not fail the site.
        log.info("%d BibTeX entr%s never cited: %s", len(never), "y is" if len(never) == 1 else "ies are",
                 ", ".join(never))
    if files.get_file_from_path(BIBLIOGRAPHY_PAGE) is None:
        files.append(File.generated(config, BIBLIOGRAPHY_PAGE, content=bibliography_page()))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    _state["page"] = page
    _state["unknown"] = Counter()
    if BIBLIOGRAPHY_MARKER not in markdown:
        return None
    cases: list[CaseCitations] = _state["cases"]  # type: ignore[assignment]

    def url_for(case: CaseCitations) -> str | None:
        file = files.get_file_from_path(case.uri)
        return None if file is None else get_relative_url(file.url, page.file.url)

    listing = site_bibliography_html(_state["library"], cases, url_for)  # type: ignore[arg-type]
    return replace_marker(markdown, BIBLIOGRAPHY_MARKER, listing)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    by_uri: dict[str, CaseCitations] = _state.get("by_uri", {})  # type: ignore[assignment]
    case = by_uri.get(page.file.src_uri)
    if case is not None:
        _report(visible_spoilers(_state["library"], case))  # type: ignore[arg-type]
    return None


def _unknown_key(key: str) -> None:
    """Called by the extension for each unknown key it renders: log it at its line in the source."""
    page: Page | None = _state.get("page")  # type: ignore[assignment]
    library: Library = _state["library"]  # type: ignore[assignment]
    counts: Counter[str] = _state["unknown"]  # type: ignore[assignment]
    path, line, col = "<unknown page>", 1, 1
    if page is not None:
        source = page.file.abs_src_path
        path = relative(source, _state["root"]) if source else page.file.src_uri  # type: ignore[arg-type]
        if source and Path(source).is_file():
            places = [c for c in scan_citations(Path(source).read_text(encoding="utf-8", errors="replace"))
                      if c.key == key]
            if places:
                _, line, col = places[min(counts[key], len(places) - 1)]
    counts[key] += 1
    log.error(Finding.error(path, line, "cite-unknown-key", library.unknown_key_message(key), col=col).text())
