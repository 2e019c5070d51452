"""MkDocs hook: publish `cases/<slug>/` folders as case pages.

Thin adapter around the engine: the catalog loads and validates the cases,
compose builds each page's Markdown. Case files are served from where the
author keeps them (never copied into docs/), and invalid cases are reported
with file and line and left out of the site.
"""

from __future__ import annotations

import logging
from html import escape
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from casebook.render.case_index import render_case_list
from casebook.cases.catalog import Catalog, load_catalog
from casebook.render.compose import compose_case
from casebook.findings import Finding
from casebook.text.rawhtml import replace_marker

log = logging.getLogger("mkdocs.plugins.casebook.cases")

CASES_DIR = "cases"
INDEX_MARKER = "<!-- casebook:case-index -->"

_state: dict[str, object] = {}


def project_root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def report(logger: logging.Logger, findings: list[Finding]) -> None:
    """Errors and warnings both fail `mkdocs build --strict`; errors also say so in the log level."""
    for finding in sorted(findings):
        (logger.error if finding.is_error else logger.warning)(finding.text())


def on_files(files: Files, config: MkDocsConfig) -> Files:
    root = project_root(config)
    cases_dir = root / CASES_DIR
    catalog = load_catalog(cases_dir, root)
    report(log, catalog.findings)
    pages: dict[str, object] = {}
    for entry in catalog.entries:
        if entry.case is None:
            log.error("%s: this case has errors (above) and is left out of the site until they are fixed",
                      entry.path.relative_to(root).as_posix())
            continue
        folder = entry.path.parent
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and not _hidden(p, folder)):
            uri = path.relative_to(root).as_posix()
            if files.get_file_from_path(uri) is not None:
                log.warning("%s: a file with the same path exists in docs/; the case file wins", uri)
                files.remove(files.get_file_from_path(uri))
            files.append(File(uri, src_dir=str(root), dest_dir=config.site_dir,
                              use_directory_urls=config.use_directory_urls))
        pages[f"{CASES_DIR}/{entry.case.slug}/index.md"] = entry.case
    if cases_dir.is_dir():
        for folder in sorted(d for d in cases_dir.iterdir() if d.is_dir() and not d.name.startswith(".")):
            if not (folder / "index.md").is_file():
                log.warning("%s/: case folder has no index.md; add one (`make new`) or remove the folder",
                            folder.relative_to(root).as_posix())
    _state["pages"] = pages
    _state["catalog"] = catalog
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    pages = _state.get("pages", {})
    case = pages.get(page.file.src_uri)  # type: ignore[union-attr]
    if case is not None:
        meta = case.meta  # type: ignore[attr-defined]
        # Only spoiler-free fields reach the theme. Material prints title and description
        # unescaped, so they are escaped here, once.
        page.meta = {"title": escape(meta.title), "description": escape(meta.summary), "casebook_case": True}
        return compose_case(case)  # type: ignore[arg-type]
    if INDEX_MARKER in markdown:
        catalog: Catalog = _state["catalog"]  # type: ignore[assignment]
        return replace_marker(markdown, INDEX_MARKER, render_case_list(catalog.cases, page.file.src_uri))
    return None


def _hidden(path: Path, folder: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(folder).parts)
