"""MkDocs hook: the reader's side of the site.

Thin adapter around the engine: the case index and the home page's latest
cases (`case_index`), the generated "browse by diagnosis" and etiology pages
(`reader_pages`, which reveal answers and are kept out of search), related
cases at the end of each answer (`related`), and spoiler-free Open Graph tags
and JSON-LD in every page's head (`jsonld`, placed by the `main.html` in
`casebook/templates`, which this hook puts in front of Material's templates).
"""

from __future__ import annotations

import logging
from html import escape, unescape
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

import casebook
from casebook.references.bibtex import Library, load_library
from casebook.render.case_index import render_case_list, thumbnail
from casebook.cases.catalog import load_catalog
from casebook.render.citations import scan_citations
from casebook.render.compose import RELATED_MARKER
from casebook.render.jsonld import case_jsonld, script_json
from casebook.cases.model import Case
from casebook.text.rawhtml import replace_marker
from casebook.render.reader_pages import DIAGNOSES_PAGE, ETIOLOGY_PAGE, diagnoses_page, etiology_page
from casebook.render.related import RelatedIndex
from casebook.cases.spoilers import leaked_term

log = logging.getLogger("mkdocs.plugins.casebook.reader")

CASES_DIR = "cases"
BIB_DIR = "bib"
LATEST_MARKER = "<!-- casebook:latest-cases -->"
LATEST_COUNT = 3
TEMPLATES = Path(casebook.__file__).resolve().parent / "templates"

_state: dict[str, object] = {}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    # After the project's own custom_dir (so a site can still override main.html), before Material.
    position = 1 if config.theme.custom_dir else 0
    if str(TEMPLATES) not in config.theme.dirs:
        config.theme.dirs.insert(position, str(TEMPLATES))
    root = Path(config.config_file_path).resolve().parent
    # For JSON-LD citations only; the citations hook reports problems in the .bib files.
    library, _ = load_library(sorted((root / BIB_DIR).glob("*.bib")), root)
    _state.clear()
    _state.update(root=root, library=library)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    root: Path = _state["root"]  # type: ignore[assignment]
    catalog = load_catalog(root / CASES_DIR, root)
    cases = catalog.cases
    for case in cases:
        _check_index_fields(case, root)
    for uri, content in ((DIAGNOSES_PAGE, diagnoses_page(cases)), (ETIOLOGY_PAGE, etiology_page(cases))):
        if files.get_file_from_path(uri) is None:
            files.append(File.generated(config, uri, content=content))
    _state.update(cases={f"{CASES_DIR}/{c.slug}/index.md": c for c in cases}, all_cases=cases,
                  related=RelatedIndex(cases))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    cases: dict[str, Case] = _state.get("cases", {})  # type: ignore[assignment]
    case = cases.get(page.file.src_uri)
    if case is not None:
        return replace_marker(markdown, RELATED_MARKER, _related_html(case, page, files))
    if LATEST_MARKER in markdown:
        latest = render_case_list(_state["all_cases"], page.file.src_uri,  # type: ignore[arg-type]
                                  filters=False, limit=LATEST_COUNT)
        return replace_marker(markdown, LATEST_MARKER, latest)
    return None


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: object) -> dict:
    cases: dict[str, Case] = _state.get("cases", {})  # type: ignore[assignment]
    page.meta["casebook_head"] = _head(page, config, cases.get(page.file.src_uri))
    return context


def _head(page: Page, config: MkDocsConfig, case: Case | None) -> str:
    """Open Graph tags (and JSON-LD on case pages) from spoiler-free fields only."""
    if case is not None:
        title, description = case.meta.title, case.meta.summary
    else:
        # Page titles and descriptions reach here already escaped by the theme's conventions.
        title = unescape(str(page.title or config.site_name))
        description = unescape(str(page.meta.get("description") or config.site_description or ""))
    url = page.canonical_url
    tags = [("og:type", "article" if case else "website"), ("og:site_name", config.site_name),
            ("og:title", title), ("og:description", description), ("og:url", url)]
    image = None
    if case is not None and url and (fig := thumbnail(case)) is not None:
        image = url + fig.file
        tags += [("og:image", image), ("og:image:alt", fig.alt)]
    lines = [f'<meta property="{name}" content="{escape(value)}">' for name, value in tags if value]
    if _search_excluded(page):
        # Pages kept out of the site search reveal answers; keep them out of web search snippets too.
        lines.insert(0, '<meta name="robots" content="noindex">')
    if case is not None:
        library: Library = _state["library"]  # type: ignore[assignment]
        keys = dict.fromkeys(c.key for c in scan_citations(case.body))
        refs = [library[k] for k in keys if k in library]
        data = case_jsonld(case, url=url, image=image, language=config.theme.get("language") or "en",
                           site_name=config.site_name, references=refs)
        lines.append(f'<script type="application/ld+json">{script_json(data)}</script>')
    return "\n".join(lines)


def _search_excluded(page: Page) -> bool:
    search = page.meta.get("search")
    return isinstance(search, dict) and bool(search.get("exclude"))


def _related_html(case: Case, page: Page, files: Files) -> str:
    index: RelatedIndex = _state["related"]  # type: ignore[assignment]
    items = []
    for rel in index.related(case):
        target = files.get_file_from_path(f"{CASES_DIR}/{rel.case.slug}/index.md")
        if target is None:
            continue
        href = get_relative_url(target.url, page.file.url)
        items.append(f'<li><a href="{escape(href)}">{escape(rel.case.meta.title)}</a> '
                     f'<span class="casebook-related-reason">({escape(rel.reason)})</span></li>')
    if not items:
        return ""
    return ('<div class="admonition note casebook-related">\n<p class="admonition-title">Related cases</p>\n'
            f'<ul>{"".join(items)}</ul>\n</div>')


def _check_index_fields(case: Case, root: Path) -> None:
    """Specialty, body sites and age appear on the index cards, so they must not name the answer either."""
    shown = case.path.relative_to(root).as_posix() if case.path.is_relative_to(root) else str(case.path)
    fields = [("specialty", case.meta.specialty), ("patient.age", case.meta.patient.age),
              *(("body_sites", site) for site in case.meta.body_sites)]
    for name, value in fields:
        if term := leaked_term(value, case.meta.spoiler_terms):
            log.error("%s:%d: error: the '%s' field is shown on the case index and reveals the diagnosis "
                      "(%r); reword it so the answer stays hidden [spoiler]",
                      shown, case.lines.get((name.split(".")[0],), 1), name, term)
