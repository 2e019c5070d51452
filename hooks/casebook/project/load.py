"""The project model: every case, reference and page of a site, loaded once.

Data flows one way: files -> this model -> rendered pages -> checks on the
output. The plugin loads it once per build and keeps it on itself;
`casebook check` loads the same model with the same settings. Loading never
raises on bad input: what it could not read becomes a finding.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from casebook.cases.catalog import Catalog, load_catalog
from casebook.cases.model import Case
from casebook.checks.links import docs_files
from casebook.findings import Finding, Guard, relative
from casebook.project.settings import Settings
from casebook.references.bibliography import (
    BIBLIOGRAPHY_MARKER,
    CaseCitations,
    bibliography_page,
    collect_case_citations,
)
from casebook.references.bibtex import Library, load_library
from casebook.references.lint import bib_source_findings, reference_findings
from casebook.render.reader_pages import diagnoses_page, etiology_page
from casebook.render.urls import SiteUrls
from casebook.text.blocks import outside_fences
from casebook.text.frontmatter import read_source

#: Where a docs page asks for the case index (and where the browse pages link to).
CASE_INDEX_MARKER = "<!-- casebook:case-index -->"
LATEST_MARKER = "<!-- casebook:latest-cases -->"
#: Casebook's page markers; none may survive into the published HTML.
MARKER_PREFIX = "<!-- casebook:"


@dataclass(frozen=True)
class DocPage:
    """A Markdown page of docs/: its site path, file and text."""

    uri: str
    path: Path
    text: str


@dataclass
class Project:
    settings: Settings
    catalog: Catalog
    library: Library
    bib_paths: list[Path]
    docs: list[DocPage]
    docs_files: list[str]
    citations: list[CaseCitations]
    #: What loading found: cases, BibTeX, unreadable pages.
    findings: list[Finding] = field(default_factory=list)
    #: Whether `draft: true` cases are published too (`mkdocs serve` shows them; a build never does).
    drafts: bool = False
    #: generated_pages(), made once: the checks' link model and the plugin's files both ask for it.
    _generated: dict[str, str] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def root(self) -> Path:
        return self.settings.root

    @property
    def urls(self) -> SiteUrls:
        return SiteUrls(self.settings.use_directory_urls, self.settings.cases_uri)

    @property
    def cases(self) -> list[Case]:
        """The valid cases, the ones that are published (drafts only when previewing)."""
        return [case for case in self.catalog.cases if self.drafts or not case.meta.draft]

    @property
    def published_citations(self) -> list[CaseCitations]:
        """The citations of the published cases (the site bibliography lists no draft)."""
        uris = set(self.cases_by_uri)
        return [c for c in self.citations if c.uri in uris]

    def case_at(self, src_uri: str) -> Case | None:
        return self.cases_by_uri.get(src_uri)

    @property
    def cases_by_uri(self) -> dict[str, Case]:
        return {self.settings.case_uri(case.slug): case for case in self.cases}

    @property
    def case_index_uri(self) -> str | None:
        """The docs page that holds the case index, if any (the browse pages link to it)."""
        return next((page.uri for page in self.docs if has_marker(page.text, CASE_INDEX_MARKER)), None)

    def generated_pages(self) -> dict[str, str]:
        """The pages Casebook adds where docs/ has no page of that path (src_uri -> Markdown)."""
        if self._generated is None:
            self._generated = self._make_generated_pages()
        return dict(self._generated)

    def _make_generated_pages(self) -> dict[str, str]:
        pages = self.settings.pages
        generated: dict[str, str] = {}
        if pages.bibliography:
            generated[pages.bibliography] = bibliography_page()
        index = self.case_index_uri
        if pages.diagnoses:
            generated[pages.diagnoses] = diagnoses_page(self.cases, pages.diagnoses, self.urls, index)
        if pages.etiology:
            generated[pages.etiology] = etiology_page(self.cases, pages.etiology, self.urls, index)
        own = {page.uri for page in self.docs} | set(self.docs_files)
        return {uri: text for uri, text in generated.items() if uri not in own}


def has_marker(markdown: str, marker: str) -> bool:
    """Whether `marker` stands alone on a line outside fenced code (where it is replaced)."""
    return marker in markdown and any(line.rstrip() == marker for _, line in outside_fences(markdown.split("\n")))


def load_project(settings: Settings, guard: Guard | None = None, *, drafts: bool = False) -> Project:
    """Read the whole project; a crash in one file's loader becomes an `internal-error` finding.

    Drafts are always loaded and checked; `drafts` says whether they are published too.
    """
    findings: list[Finding] = []
    guard = guard or Guard(findings)
    root = settings.root
    catalog = guard.run(settings.cases_dir, lambda: load_catalog(settings.cases_path, root), Catalog(root))
    findings += catalog.findings
    bib_paths = settings.bib_paths()
    findings += _missing_bibliography(settings)
    library = _load_library(bib_paths, root, guard, findings)
    library.style = settings.citation_style
    for path in bib_paths:
        shown = relative(path, root)
        findings += guard.run(shown, partial(bib_source_findings, path, shown), [])
    for ref in library.values():
        findings += guard.run(ref.path, partial(reference_findings, ref), [])
    files = docs_files(settings.docs_path)
    docs = _docs_pages(settings, files, findings)
    loaded = {entry.path: entry.case for entry in catalog.entries}

    def uri_of(path: Path) -> str:
        return settings.case_uri(path.parent.name)

    no_citations: list[CaseCitations] = []
    citations = guard.run(
        settings.cases_dir, partial(collect_case_citations, loaded, root, loaded, uri_of), no_citations
    )
    return Project(settings, catalog, library, bib_paths, docs, files, citations, findings, drafts)


def _missing_bibliography(settings: Settings) -> list[Finding]:
    """A `.bib` file the settings name that is not there (a folder that is absent is no bibliography yet)."""
    return [
        Finding.error(
            entry,
            1,
            "bib-missing",
            f"the plugin setting 'bibliography' names {entry}, which does not exist; "
            "fix the path in mkdocs.yml or add the file",
        )
        for entry in settings.bibliography
        if entry.endswith(".bib") and not (settings.root / entry).exists()
    ]


def _load_library(paths: list[Path], root: Path, guard: Guard, findings: list[Finding]) -> Library:
    """All .bib files at once; if that fails, file by file so the failing file is named."""
    failed: tuple[Library, list[Finding]] | None = None
    result = Guard([]).run("bib", partial(load_library, paths, root), failed)
    if result is None:
        good = [p for p in paths if guard.run(relative(p, root), partial(load_library, [p], root), failed)]
        empty: tuple[Library, list[Finding]] = (Library(), [])
        result = guard.run("bib", partial(load_library, good, root), empty)
    library, bib_findings = result
    findings += bib_findings
    return library


def _docs_pages(settings: Settings, files: list[str], findings: list[Finding]) -> list[DocPage]:
    """Every Markdown page of docs/ (a byte-order mark is no finding: MkDocs reads them as utf-8-sig)."""
    pages = []
    for uri in files:
        if not uri.endswith(".md"):
            continue
        path = settings.docs_path / uri
        text, read_findings = read_source(path)
        shown = relative(path, settings.root)
        findings += [replace(f, path=shown) for f in read_findings if f.rule != "byte-order-mark"]
        pages.append(DocPage(uri, path, text if text is not None else ""))
    return pages


__all__ = [
    "BIBLIOGRAPHY_MARKER",
    "CASE_INDEX_MARKER",
    "LATEST_MARKER",
    "MARKER_PREFIX",
    "DocPage",
    "Project",
    "has_marker",
    "load_project",
]
