"""The Casebook MkDocs plugin: `plugins: [search, casebook]` is the whole set-up.

One object owns the build. In `on_config` it registers what a Casebook site
needs (its Markdown extensions, templates, stylesheets and scripts, the
lightbox); in `on_files` it loads the project model once and reports every
rule the registry gives the build (the same rules `casebook check` runs);
page events only render. Event order is stated with `@event_priority`, never
left to the order of `plugins:`. All state lives on the instance.
"""

from __future__ import annotations

import json
import logging
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from html import escape, unescape
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.templates import TemplateContext

import casebook
from casebook.cases.model import Case
from casebook.cases.spoilers import leaked_term
from casebook.checks.images import image_locations
from casebook.checks.output import locate, spoilers_in_page, surviving_markers, unsafe_output
from casebook.checks.registry import for_front_end
from casebook.checks.run import case_files, run_checks
from casebook.findings import Finding
from casebook.images.cache import CACHE_DIR, Cache
from casebook.images.publish import Publication, Rendition, Where, is_image, publish_images, verify_published
from casebook.mkdocs.anchors import present_ids
from casebook.mkdocs.config import CasebookConfig, to_settings
from casebook.mkdocs.lightbox import add_lightbox, script_after_content
from casebook.mkdocs.linked_file import LinkedFile
from casebook.mkdocs.live_preview import SearchEntries, Snapshot, dependents, mark_modified, snapshot
from casebook.mkdocs.search_view import SearchView, is_material_search
from casebook.project.load import CASE_INDEX_MARKER, LATEST_MARKER, Project, has_marker, load_project
from casebook.project.settings import Settings
from casebook.project.site_dir import unsafe_site_dir
from casebook.references.bibliography import BIBLIOGRAPHY_MARKER, CaseCitations, site_bibliography_html
from casebook.references.bibtex import Library
from casebook.references.citekeys import scan_citations
from casebook.render.assets import SCRIPTS, STYLESHEETS, Bundle, package_bundles
from casebook.render.case_index import render_case_list, thumbnail
from casebook.render.case_nav import CaseOrder, case_nav_html
from casebook.render.citations import CitationExtension
from casebook.render.compose import RELATED_MARKER, compose_case
from casebook.render.feed import atom_feed, feed_cases, feed_texts
from casebook.render.jsonld import case_jsonld, script_json
from casebook.render.markdown_ext import CasebookExtension
from casebook.render.preview import draft_banner, error_page
from casebook.render.related import RelatedIndex
from casebook.render.search_note import search_note_html
from casebook.text.rawhtml import passthrough, replace_marker

log = logging.getLogger("mkdocs.plugins.casebook")

PACKAGE = Path(casebook.__file__).resolve().parent
TEMPLATES = PACKAGE / "templates"
ASSETS = PACKAGE / "assets"
#: Where the assets are published in the site.
ASSETS_URI = "assets"
#: What Casebook's pages need of Python-Markdown (added when the site does not list them).
REQUIRED_EXTENSIONS = ("toc", "attr_list", "md_in_html", "admonition", "pymdownx.details", "pymdownx.superfences")
#: Source rules whose findings the output check (`output-unsafe`) does not repeat at the same line.
SOURCE_SAFETY_RULES = frozenset({"html-unsafe", "link-unsafe"})


class CasebookPlugin(BasePlugin[CasebookConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.settings = Settings()
        self.project: Project | None = None
        self.citations = CitationExtension()
        self.related: RelatedIndex | None = None
        self.case_order = CaseOrder([])
        self.citations_by_uri: dict[str, CaseCitations] = {}
        self.unsafe_lines: set[tuple[str, int]] = set()
        self.spoiler_files: set[str] = set()
        self.case_urls: dict[str, Case] = {}
        self.files = Files([])
        #: The published images (re-encoded, verified in on_post_build) and where findings about them point.
        self.images = Publication()
        self.image_where: dict[str, Where] = {}
        self.figure_images: dict[tuple[str, str], Rendition] = {}
        #: `mkdocs serve`: drafts are shown (with a banner) and a case with errors gets a page listing them.
        self.previewing = False
        self.search_view = SearchView()
        #: src_uri -> published case, computed once per build (Project.cases_by_uri builds a new dict per call).
        self.cases_by_uri: dict[str, Case] = {}
        #: `mkdocs serve --dirty` (`make serve`): rebuild the edited case and its dependents only (live_preview.py).
        self.dirty = False
        self.preview_snapshot: Snapshot | None = None
        self.search_entries = SearchEntries()
        #: Where the feed is published (pages.feed), "" when there is none.
        self.feed_uri = ""
        #: Casebook's stylesheet and script (render/assets.py), made in on_config.
        self.bundles: tuple[Bundle, ...] = ()

    # ------------------------------------------------------------------ configuration

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this instance across the rebuilds of one `mkdocs serve`.
        self.previewing = command == "serve"
        self.dirty = dirty and command == "serve"

    def on_shutdown(self) -> None:
        # MkDocs keeps this instance for the rest of the process: the next build is a build again.
        self.previewing = False
        self.dirty = False
        self.preview_snapshot = None

    @event_priority(50)  # before other plugins read markdown_extensions, the theme or extra assets
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.settings = to_settings(self.config, config)
        sources = (
            self.settings.cases_path,
            self.settings.docs_path,
            *(self.settings.root / entry for entry in self.settings.bibliography),
        )
        if (why := unsafe_site_dir(Path(config.site_dir), self.settings.root, sources)) is not None:
            raise PluginError(why)
        self.search_view = SearchView(enabled=any(map(is_material_search, config.plugins.values())))
        labels = self.settings.labels
        for name in REQUIRED_EXTENSIONS:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        self.citations = CitationExtension(
            library=Library(),
            references_label=labels.references,
            references_in_answer_label=labels.references_in_answer,
            cite_label=labels.cite_label,
        )
        # MkDocs passes this list to Python-Markdown, which takes extension instances as well as names.
        extensions: list[Any] = config.markdown_extensions
        extensions.append(
            CasebookExtension(reveal_label=labels.show_answer, print_label=labels.answer, hide_label=labels.hide_answer)
        )
        extensions.append(self.citations)
        # After the project's own custom_dir (so a site can still override main.html), before Material.
        if str(TEMPLATES) not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(TEMPLATES))
        self.bundles = package_bundles(ASSETS)
        stylesheet, script = self.bundles
        docs = Path(config.docs_dir)
        stale = _replace_sources(config.extra_css, f"{ASSETS_URI}/{stylesheet.name}", STYLESHEETS, docs)
        stale += _replace_sources(config.extra_javascript, f"{ASSETS_URI}/{script.name}", SCRIPTS, docs)
        if stale:
            log.info(
                "mkdocs.yml lists %s: Casebook's stylesheets and scripts are now one file each (%s/%s, %s/%s), "
                "added by the plugin; remove these from extra_css and extra_javascript",
                ", ".join(stale),
                ASSETS_URI,
                stylesheet.name,
                ASSETS_URI,
                script.name,
            )
        if self.config.lightbox:
            add_lightbox(config)
        # `mkdocs serve` rebuilds when a case or a .bib changes, as it does for docs/.
        for path in (self.settings.cases_path, *(self.settings.root / entry for entry in self.settings.bibliography)):
            if path.exists() and str(path) not in config.watch:
                config.watch.append(str(path))
        return config

    # ------------------------------------------------------------------ the project model

    @event_priority(50)  # before other plugins see the files, so they see the cases and generated pages too
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        project = load_project(self.settings, drafts=self.previewing)
        self.project = project
        self.cases_by_uri = project.cases_by_uri
        self.case_urls = {}
        image_cache = Cache(self.settings.root / CACHE_DIR)  # one index read, for the checks and publishing
        report = run_checks(project, images=image_cache)
        _report(for_front_end(report.findings, "build"))
        _log_reference_notes(report.findings)
        if report.allowed:  # said by `casebook check` on its summary line
            plural = "" if report.allowed == 1 else "s"
            log.info("%d privacy finding%s allowed by opt-out comments", report.allowed, plural)
        # Lines the source checks already reported as unsafe: the output check does not say it twice.
        self.unsafe_lines = {(f.path, f.line) for f in report.findings if f.rule in SOURCE_SAFETY_RULES}
        self.spoiler_files = {f.path for f in report.findings if f.rule in {"spoiler", "spoiler-reference"}}
        self.citations.library = project.library
        self.related = RelatedIndex(project.cases, self.settings.labels)
        self.case_order = CaseOrder(project.cases)
        self.citations_by_uri = {c.uri: c for c in project.citations}
        for entry in project.catalog.entries:
            shown = Path(entry.path).relative_to(project.root).as_posix()
            if entry.case is None:
                # A note, not a finding: the errors above are what fails the build.
                log.info("%s: this case has errors (above) and is left out of the site until they are fixed", shown)
                if self.previewing:
                    uri = self.settings.case_uri(entry.path.parent.name)
                    page = error_page(shown, for_front_end(entry.findings, "build"))
                    files.append(File.generated(config, uri, content=page))
            elif entry.case.meta.draft and not self.previewing:
                log.info("%s: draft (draft: true), left out of the site", shown)
        self._publish_images(project, report.findings, image_cache)
        for uri in case_files(project):
            # Served from where the author keeps it; nothing is copied into docs/. A docs/ file of the
            # same path was reported (`case-shadows-docs`) and gives way. `uri` is the file's path
            # relative to the project root (cases_dir is a folder of it). Images are never copied:
            # their re-encoded outputs are published instead (below).
            existing = files.get_file_from_path(uri)
            if existing is not None:
                files.remove(existing)
            if uri in self.images.replaced:
                continue
            files.append(
                File(
                    uri,
                    src_dir=str(project.root),
                    dest_dir=config.site_dir,
                    use_directory_urls=config.use_directory_urls,
                )
            )
        for uri, path in self.images.files.items():
            if (existing := files.get_file_from_path(uri)) is not None:
                files.remove(existing)
            files.append(LinkedFile.generated(config, uri, abs_src_path=str(path)))
        for uri, content in project.generated_pages().items():
            if files.get_file_from_path(uri) is None:
                files.append(File.generated(config, uri, content=content))
        self.feed_uri = self._add_feed(project, files, config)
        for asset in self.bundles:
            if files.get_file_from_path(f"{ASSETS_URI}/{asset.name}") is None:
                files.append(File.generated(config, f"{ASSETS_URI}/{asset.name}", content=asset.content))
        _log_uncited(project)
        self.files = files
        self.search_entries.built = []
        if self.dirty:
            self._mark_dependents(project, files)
        return files

    def _add_feed(self, project: Project, files: Files, config: MkDocsConfig) -> str:
        """The Atom feed of the published cases at `pages.feed` ("" when left out or docs/ has that file)."""
        uri = self.settings.pages.feed
        if not uri:
            return ""
        if files.get_file_from_path(uri) is None:
            feed = atom_feed(
                project.cases,
                site_name=config.site_name,
                site_url=config.site_url,
                urls=project.urls,
                feed_uri=uri,
                index_uri=project.case_index_uri,
                site_author=config.site_author,
            )
            files.append(File.generated(config, uri, content=feed))
        return uri

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        # main.html links the feed from every page's head (`<link rel="alternate">`).
        env.globals["casebook_feed"] = self.feed_uri
        return env

    def _mark_dependents(self, project: Project, files: Files) -> None:
        """Dirty rebuild: the pages showing a changed case are rebuilt with it (see live_preview.py)."""
        limit = self.settings.related_cases
        related, order = self.related, self.case_order

        def shown_slugs(case: Case) -> list[str]:
            """The cases this case's page names: its related cases and its older and newer neighbours."""
            shown = [r.case.slug for r in related.related(case, limit)] if related is not None else []
            return shown + [n.slug for n in order.neighbours(case) if n is not None]

        now = snapshot(project.cases, shown_slugs)
        before, self.preview_snapshot = self.preview_snapshot, now
        if before is None:
            return
        found = dependents(before, now)
        if not found.any:
            return
        markers = (CASE_INDEX_MARKER, LATEST_MARKER, BIBLIOGRAPHY_MARKER)
        uris = {page.uri for page in project.docs if any(has_marker(page.text, m) for m in markers)}
        uris |= {self.settings.case_uri(slug) for slug in found.case_slugs}
        marked = mark_modified(f.abs_dest_path for f in files if f.src_uri in uris)
        log.info("casebook: %d changed case(s); %d dependent page(s) rebuilt with them", len(found.changed), marked)

    # ------------------------------------------------------------------ pages

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        project = self._project()
        uri = page.file.src_uri
        case = self._case_at(uri)
        if case is not None:
            meta = case.meta
            # Only spoiler-free fields reach the theme. Material prints title and description
            # unescaped, so they are escaped here, once.
            page.meta = {"title": escape(meta.title), "description": escape(meta.summary), "casebook_case": True}
            composed = compose_case(case, self.settings.labels, self._figures_of(case))
            if meta.draft:  # only previews publish drafts
                composed = draft_banner() + composed
            composed = replace_marker(composed, RELATED_MARKER, self._related_html(case, page, files))
            # After the answer: the newer and older case, by title (Material's footer has no cases).
            nav = case_nav_html(case, self.case_order, project.urls, self.settings.labels)
            return composed + ("\n" + passthrough(nav) + "\n" if nav else "")
        # A docs page's own front matter too: Material prints `title` and `description` into <title>
        # and <meta> without escaping them.
        for key in ("title", "description"):
            if isinstance(page.meta.get(key), str):
                page.meta[key] = escape(page.meta[key])
        labels, urls = self.settings.labels, project.urls
        if has_marker(markdown, CASE_INDEX_MARKER) or has_marker(markdown, LATEST_MARKER):
            page.meta["casebook_lists_cases"] = True
        if CASE_INDEX_MARKER in markdown:
            index = render_case_list(project.cases, uri, urls=urls, labels=labels, images=self.figure_images)
            markdown = replace_marker(markdown, CASE_INDEX_MARKER, index)
        if LATEST_MARKER in markdown:
            latest = render_case_list(
                project.cases,
                uri,
                urls=urls,
                labels=labels,
                filters=False,
                limit=self.settings.latest_cases,
                images=self.figure_images,
            )
            markdown = replace_marker(markdown, LATEST_MARKER, latest)
        if BIBLIOGRAPHY_MARKER in markdown:

            def url_for(citing: CaseCitations) -> str | None:
                file = files.get_file_from_path(citing.uri)
                return None if file is None else get_relative_url(file.url, page.file.url)

            markdown = replace_marker(
                markdown,
                BIBLIOGRAPHY_MARKER,
                site_bibliography_html(project.library, project.published_citations, url_for),
            )
        return markdown

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if page.present_anchor_ids:
            # MkDocs collected the ids before Casebook removed those inside the answer (they would be
            # spoilers): keep only the ids the HTML has, so MkDocs' anchor validation reports links to them.
            present = present_ids(html)
            page.present_anchor_ids = {a for a in page.present_anchor_ids if a in present}
        if "<img" not in html and "glightbox" not in page.meta:
            # No image to zoom: mkdocs-glightbox's documented page switch keeps its 56 KB script off this page.
            page.meta["glightbox"] = False
        return None

    def _page_head(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        page.meta["casebook_head"] = self._head(page, config, self._case_at(page.file.src_uri))
        page.meta["casebook_search_note"] = self._search_note(page)
        return context

    def _search_note(self, page: Page) -> str:
        """Where to look instead of the search (which never finds an answer): the index and browse pages."""
        pages = self.settings.pages
        wanted = [uri for uri in (self._project().case_index_uri, pages.diagnoses, pages.etiology) if uri]
        links = []
        for uri in wanted:
            file = self.files.get_file_from_path(uri)
            if file is None or file.page is None or file.page is page:
                continue
            links.append((unescape(str(file.page.title or uri)), get_relative_url(file.url, page.file.url)))
        return search_note_html(links, self.settings.labels)

    @event_priority(10)  # before Material's search plugin (0) parses page.content: see search_view.py
    def _search_hide(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        page.content = self.search_view.hide(page.file.src_uri, page.content)
        return context

    @event_priority(-10)  # after the search plugin, before the template renders the page
    def _search_restore(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        page.content = self.search_view.restore(page.file.src_uri, page.content)
        return context

    on_page_context = CombinedEvent(_search_hide, _page_head, _search_restore)

    @event_priority(-100)  # after every other plugin has changed the page: judge what is published
    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str | None:
        self.search_entries.page_built(page.url)
        output = script_after_content(output, page.url)
        shown = self._shown(page)
        findings = [
            Finding.error(
                shown,
                1,
                "output-marker",
                f"the published page still contains {marker!r}: Casebook did not replace it "
                "(is it inside raw HTML or indented?); put the marker alone on its own line",
            )
            for marker in surviving_markers(output)
        ]
        findings += self._output_spoilers(output, page, shown)
        problems = unsafe_output(output)
        if problems:
            source = _source_text(page)
            for problem in problems:
                line, col = locate(source, problem.needles)
                if (shown, line) in self.unsafe_lines:
                    continue
                findings.append(Finding.error(shown, line, "output-unsafe", problem.message, col=col))
        _report(findings)
        return output

    @event_priority(10)  # before Material's search plugin (0) writes its index
    def _search_complete(self, config: MkDocsConfig) -> None:
        """A dirty rebuild's index is the full build's: the last build's entries for pages not rebuilt."""
        search = next((p for p in config.plugins.values() if is_material_search(p)), None)
        index = getattr(search, "search_index", None)
        entries = getattr(index, "entries", None)
        if search is None or index is None or not isinstance(entries, list):
            return
        index.entries = self.search_entries.merge(entries, self.dirty)
        if self.dirty:
            search.search_index_prev = None  # its own merge keeps one page's entries only

    @event_priority(-100)  # after the search plugin has written its index
    def _post_build_checks(self, config: MkDocsConfig) -> None:
        # What was written, read back: no image may leave with metadata, whoever wrote it last.
        _report(verify_published(Path(config.site_dir), self.images, self.image_where))
        self._feed_spoilers(Path(config.site_dir))
        index = Path(config.site_dir) / "search" / "search_index.json"
        if not index.is_file() or not self.case_urls:
            return
        try:
            docs = json.loads(index.read_text(encoding="utf-8")).get("docs", [])
        except (OSError, ValueError):
            return
        findings = []
        for doc in docs:
            case = self.case_urls.get(str(doc.get("location", "")).split("#")[0])
            if case is None or Path(case.path).relative_to(self.settings.root).as_posix() in self.spoiler_files:
                continue
            text = f"{doc.get('title', '')} {doc.get('text', '')}"
            if term := leaked_term(text, case.meta.spoiler_terms):
                findings.append(
                    Finding.error(
                        Path(case.path).relative_to(self.settings.root).as_posix(),
                        1,
                        "output-spoiler",
                        f"the site search index entry of this case names the diagnosis ({term!r}); keep it inside "
                        "the answer (text after the answer block is indexed too)",
                    )
                )
        _report(sorted(set(findings)))

    def _feed_spoilers(self, site: Path) -> None:
        """The feed as written, read back: like the case lists, no entry may name any case's diagnosis."""
        path = site / self.feed_uri
        if not self.feed_uri or not path.is_file():
            return
        cases = [c for c in self._project().cases if self._shown_case(c) not in self.spoiler_files]
        terms = tuple(t for c in cases for t in c.meta.spoiler_terms)
        try:
            texts = feed_texts(path.read_bytes())
        except (OSError, ET.ParseError) as exc:
            _report(
                [Finding.error(self.feed_uri, 1, "output-unsafe", f"the published feed cannot be read back: {exc}")]
            )
            return
        listed = feed_cases(self._project().cases)
        findings = []
        for i, text in enumerate(texts):
            if not (term := leaked_term(text, terms)):
                continue
            case = listed[i] if len(listed) == len(texts) else None
            where = self._shown_case(case) if case is not None else self.feed_uri
            source = Path(case.path).read_text(encoding="utf-8") if case is not None else ""
            line, col = locate(source, (term, "summary:"))
            findings.append(
                Finding.error(
                    where,
                    line,
                    "output-spoiler",
                    f"the feed ({self.feed_uri}) entry of this case names a diagnosis ({term!r}): feed readers show a "
                    "case's title and summary, so keep every case's diagnosis out of them",
                    col=col,
                )
            )
        _report(sorted(set(findings)))

    def _shown_case(self, case: Case) -> str:
        return Path(case.path).relative_to(self.settings.root).as_posix()

    def _output_spoilers(self, output: str, page: Page, shown: str) -> list[Finding]:
        """The case's own terms on its page outside the answer; every case's on the case lists."""
        project = self._project()
        case = self._case_at(page.file.src_uri)
        if case is not None:
            self.case_urls[page.url] = case
            if shown in self.spoiler_files:  # the source check has said where; the build fails already
                return []
            terms = case.meta.spoiler_terms
        elif page.meta.get("casebook_lists_cases"):
            terms = tuple(t for c in project.cases for t in c.meta.spoiler_terms)
        else:
            return []
        source = _source_text(page)
        findings = []
        for where, term in spoilers_in_page(output, terms):
            line, col = locate(source, (term,))
            findings.append(
                Finding.error(
                    shown,
                    line,
                    "output-spoiler",
                    f"{where} names the diagnosis ({term!r}) before the answer is revealed; move it inside the answer "
                    "or reword it",
                    col=col,
                )
            )
        return findings

    on_post_build = CombinedEvent(_search_complete, _post_build_checks)

    # ------------------------------------------------------------------ helpers

    def _publish_images(self, project: Project, reported: list[Finding], cache: Cache) -> None:
        """Re-encode (or take from the cache) every image of the published cases; say what failed."""
        self.image_where = image_locations(project)
        sources = {uri: path for uri, path in case_files(project).items() if is_image(uri)}
        self.images = publish_images(sources, self.image_where, cache, self.settings.images.max_side)
        said = {(f.path, f.line, f.rule) for f in reported}  # the source checks name most of these already
        _report(f for f in self.images.findings if (f.path, f.line, f.rule) not in said)
        prefix = f"{self.settings.cases_uri}/"
        self.figure_images = {}
        for case in project.cases:
            for fig in case.meta.figures:
                if (rendition := self.images.renditions.get(f"{prefix}{case.slug}/{fig.file}")) is not None:
                    self.figure_images[(case.slug, fig.file)] = rendition

    def _figures_of(self, case: Case) -> dict[str, Rendition]:
        found = ((fig.file, self.figure_images.get((case.slug, fig.file))) for fig in case.meta.figures)
        return {file: r for file, r in found if r is not None}

    def _project(self) -> Project:
        if self.project is None:  # page events come after on_files; a plugin used out of order says so
            raise RuntimeError("casebook: page event before on_files")
        return self.project

    def _case_at(self, src_uri: str) -> Case | None:
        self._project()
        return self.cases_by_uri.get(src_uri)

    def _shown(self, page: Page) -> str:
        source = page.file.abs_src_path
        if source and Path(source).is_relative_to(self.settings.root):
            return Path(source).relative_to(self.settings.root).as_posix()
        return page.file.src_uri

    def _related_html(self, case: Case, page: Page, files: Files) -> str:
        if self.related is None:
            return ""
        items = []
        for rel in self.related.related(case, self.settings.related_cases):
            target = files.get_file_from_path(self.settings.case_uri(rel.case.slug))
            if target is None:
                continue
            href = get_relative_url(target.url, page.file.url)
            items.append(
                f'<li><a href="{escape(href)}">{escape(rel.case.meta.title)}</a> '
                f'<span class="casebook-related-reason">({escape(rel.reason)})</span></li>'
            )
        if not items:
            return ""
        return (
            '<div class="admonition note casebook-related">\n'
            f'<p class="admonition-title">{escape(self.settings.labels.related_cases)}</p>\n'
            f"<ul>{''.join(items)}</ul>\n</div>"
        )

    def _head(self, page: Page, config: MkDocsConfig, case: Case | None) -> str:
        """Open Graph tags (and JSON-LD on case pages) from spoiler-free fields only."""
        if case is not None:
            title, description = case.meta.title, case.meta.summary
        else:
            # Page titles and descriptions reach here already escaped by the theme's conventions.
            title = unescape(str(page.title or config.site_name))
            description = unescape(str(page.meta.get("description") or config.site_description or ""))
        url = page.canonical_url
        tags = [
            ("og:type", "article" if case else "website"),
            ("og:site_name", config.site_name),
            ("og:title", title),
            ("og:description", description),
            ("og:url", url),
        ]
        image = None
        if case is not None and url and (fig := thumbnail(case)) is not None:
            shown_image = self.figure_images.get((case.slug, fig.file))
            folder = len(shown_image.source_uri) - len(fig.file) if shown_image else 0
            image = url + (fig.file if shown_image is None else shown_image.display.uri[folder:])
            tags += [("og:image", image), ("og:image:alt", fig.alt)]
        lines = [f'<meta property="{name}" content="{escape(value)}">' for name, value in tags if value]
        search = page.meta.get("search")
        if isinstance(search, dict) and search.get("exclude"):
            # Pages kept out of the site search reveal answers; keep them out of web search snippets too.
            lines.insert(0, '<meta name="robots" content="noindex">')
        # What the reader script says, in the site's words where the site changed them (else English).
        if script_labels := self.settings.labels.for_script():
            labels = json.dumps(script_labels, ensure_ascii=False).replace("<", "\\u003c")
            lines.append(f'<script type="application/json" id="casebook-labels">{labels}</script>')
        if case is not None:
            library = self._project().library
            keys = dict.fromkeys(c.key for c in scan_citations(case.body))
            refs = [library[k] for k in keys if k in library]
            data = case_jsonld(
                case,
                url=url,
                image=image,
                language=config.theme.get("language") or "en",
                site_name=config.site_name,
                references=refs,
            )
            lines.append(f'<script type="application/ld+json">{script_json(data)}</script>')
        return "\n".join(lines)


def _report(findings: Iterable[Finding]) -> None:
    """Errors and warnings both fail `mkdocs build --strict`; errors also say so in the log level."""
    for finding in sorted(findings):
        (log.error if finding.is_error else log.warning)(finding.text())


def _log_reference_notes(findings: Iterable[Finding]) -> None:
    """Check-only BibTeX advice (fields no style prints, written-out journals): one note per rule in the build."""
    for rule in ("bib-field-ignored", "bib-journal-not-abbreviated"):
        found = sorted(f for f in findings if f.rule == rule)
        if found:
            log.info(
                "%d BibTeX finding%s [%s], first %s:%d (`casebook check` lists them)",
                len(found),
                "" if len(found) == 1 else "s",
                rule,
                found[0].path,
                found[0].line,
            )


def _log_uncited(project: Project) -> None:
    cited = {key for case in project.citations for key in case.keys}
    never = sorted(key for key in project.library if key not in cited)
    if never:
        # `bib-uncited` is a warning in `casebook check`; in the build only a note (registry: check only).
        log.info(
            "%d BibTeX entr%s never cited: %s", len(never), "y is" if len(never) == 1 else "ies are", ", ".join(never)
        )


def _source_text(page: Page) -> str:
    """The page's source as the author wrote it (a generated page: its generated Markdown)."""
    source = page.file.abs_src_path
    if source and Path(source).is_file():
        return Path(source).read_text(encoding="utf-8", errors="replace")
    return page.file.content_string if page.file.generated_by else ""


def _replace_sources(items: list[Any], path: str, sources: tuple[str, ...], docs: Path) -> list[str]:
    """Put the bundle at `path` first in `items` (a site's own files come after and win); return stale entries.

    An entry naming one of the bundled source files (the names before they were bundled) is
    dropped, since nothing is published there, unless docs/ has a file of that path: then it
    is the site's own stylesheet or script and stays.
    """
    stale = [
        str(item)
        for item in items
        if str(item) in {f"{ASSETS_URI}/{name}" for name in sources} and not (docs / str(item)).is_file()
    ]
    items[:] = [item for item in items if str(item) not in stale and str(item) != path]
    items.insert(0, path)
    return stale
