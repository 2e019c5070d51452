"""Every rule, run on the project model: what both front ends report.

`casebook check` and the plugin's build call `run_checks` on the same
`Project` and keep the findings the registry gives their front end
(`registry.for_front_end`), so they agree by construction. The rules that
need rendered HTML run on the output in the plugin (`casebook.checks.output`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from casebook.cases.loader import CASE_FILE, find_answer
from casebook.cases.publishing import refusal
from casebook.checks.images import image_findings
from casebook.checks.links import Site, SourcePage, case_anchors, check_page_links, doc_anchors
from casebook.findings import Finding, Guard, relative, summary
from casebook.images.cache import Cache
from casebook.privacy.check import check_privacy
from casebook.privacy.lint import PrivacyResult
from casebook.project.load import Project, load_project
from casebook.project.settings import Settings
from casebook.references.bibliography import uncited, visible_spoilers
from casebook.references.citekeys import malformed_citations, scan_citations
from casebook.text.frontmatter import read_source, split_front_matter


@dataclass(frozen=True)
class OnlineOptions:
    """`--online` settings, passed through to casebook.checks.online."""

    max_cache_age: float
    doi_api_base: str
    cache_path: Path | None
    timeout: float = 10.0
    retries: int = 2
    per_host: int = 2


@dataclass
class CheckReport:
    """What one run found, with what it looked at (for the summary line)."""

    findings: list[Finding] = field(default_factory=list)
    cases: int = 0
    references: int = 0
    pages: int = 0
    #: Privacy findings that an opt-out comment allowed (`<!-- casebook: allow phi-… "reason" -->`).
    allowed: int = 0

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.is_error)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors

    def summary_line(self) -> str:
        return (
            f"{summary(self.findings)} in {self.cases} case{'s' if self.cases != 1 else ''}, "
            f"{self.references} reference{'s' if self.references != 1 else ''}, "
            f"{self.pages} other page{'s' if self.pages != 1 else ''}"
            + (
                f"; {self.allowed} privacy finding{'s' if self.allowed != 1 else ''} allowed by opt-out comments"
                if self.allowed
                else ""
            )
        )


def check_project(root: Path | Settings, *, online: OnlineOptions | None = None) -> CheckReport:
    """Load the project and run every rule; `root` alone means the default settings."""
    settings = root if isinstance(root, Settings) else Settings(root=Path(root).resolve())
    findings: list[Finding] = []
    guard = Guard(findings)
    project = load_project(settings, guard)
    return run_checks(project, guard, online=online)


def run_checks(
    project: Project,
    guard: Guard | None = None,
    *,
    online: OnlineOptions | None = None,
    images: Cache | None = None,
) -> CheckReport:
    """Every finding on `project` (both front ends' rules; filter with `registry.for_front_end`).

    `images`: the build's image cache, which remembers what each unchanged source image was judged.
    """
    findings: list[Finding] = list(guard.findings) if guard else []
    guard = Guard(findings)
    findings += project.findings
    findings += guard.run(project.settings.cases_dir, lambda: _case_folders(project), [])
    findings += guard.run(project.settings.cases_dir, lambda: _shadowed_docs(project), [])
    findings += guard.run(project.settings.cases_dir, lambda: _refused_files(project), [])
    findings += guard.run(project.settings.cases_dir, lambda: _citation_findings(project), [])
    findings += guard.run(project.settings.cases_dir, lambda: _citation_forms(project), [])
    findings += guard.run(project.settings.cases_dir, lambda: image_findings(project, images), [])
    privacy = guard.run(project.settings.cases_dir, lambda: check_privacy(project), PrivacyResult())
    findings += privacy.findings
    site = guard.run(project.settings.docs_dir, lambda: build_site(project), Site())
    for page in site.pages.values():
        if page.kind != "generated":
            findings += guard.run(
                page.shown, partial(check_page_links, page, site, check_images=page.kind == "doc"), []
            )
    if online is not None:
        findings += guard.run("(online checks)", lambda: _online(project, site, online), [])
    return CheckReport(
        sorted(set(findings)),
        cases=len(project.catalog.entries),
        references=len(project.library),
        pages=len(project.docs),
        allowed=privacy.allowed,
    )


def _case_folders(project: Project) -> list[Finding]:
    """A folder of the cases directory without index.md publishes nothing: say so."""
    cases_dir = project.settings.cases_path
    if not cases_dir.is_dir():
        return []
    return [
        Finding.warning(
            relative(folder, project.root) + "/",
            1,
            "case-no-index",
            f"case folder '{folder.name}' has no {CASE_FILE}, so it is not published; add one "
            "(`casebook new`) or remove the folder",
        )
        for folder in sorted(d for d in cases_dir.iterdir() if d.is_dir() and not d.name.startswith("."))
        if not (folder / CASE_FILE).is_file()
    ]


def case_files(project: Project) -> dict[str, Path]:
    """Every file a published case folder adds to the site: site path -> file (hidden and refused files left out)."""
    found: dict[str, Path] = {}
    for case in project.cases:
        for path in _folder_files(case.folder):
            if refusal(path, case.folder, project.root) is None:
                found[f"{project.settings.cases_uri}/{case.slug}/{path.relative_to(case.folder).as_posix()}"] = path
    return found


def _folder_files(folder: Path) -> list[Path]:
    """The files (and links to files) of a case folder, hidden ones left out."""
    return [
        path
        for path in sorted(folder.rglob("*"))
        if (path.is_file() or path.is_symlink())
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    ]


def _refused_files(project: Project) -> list[Finding]:
    """Files of case folders that would escape the case's checks (cases.publishing): errors at the file."""
    cases_dir = project.settings.cases_path
    if not cases_dir.is_dir():
        return []
    findings = []
    for folder in sorted(d for d in cases_dir.iterdir() if d.is_dir() and not d.name.startswith(".")):
        for path in _folder_files(folder):
            if (refused := refusal(path, folder, project.root)) is not None:
                findings.append(Finding.error(relative(path, project.root), 1, refused.rule, refused.message))
    return findings


def _shadowed_docs(project: Project) -> list[Finding]:
    docs = set(project.docs_files)
    return [
        Finding.warning(
            relative(path, project.root),
            1,
            "case-shadows-docs",
            f"{project.settings.docs_dir}/{uri} has the same site path as this case file, which "
            f"wins; delete or move {project.settings.docs_dir}/{uri}",
        )
        for uri, path in case_files(project).items()
        if uri in docs
    ]


def _citation_forms(project: Project) -> list[Finding]:
    """Citations the grammar cannot read, or written where they are not rendered (front matter, headings)."""
    findings: list[Finding] = []
    for case in project.catalog.cases:
        shown = relative(case.path, project.root)
        text = case.path.read_text(encoding="utf-8-sig")
        for line, col, written in malformed_citations(text):
            findings.append(
                Finding.error(
                    shown,
                    line,
                    "cite-malformed",
                    f"'{written}' is not a citation Casebook can read, so it would be printed as it is; "
                    "write [@key] or [@key1; @key2] (a locator after a comma: [@key, p. 12])",
                    col=col,
                )
            )
        for name in ("title", "summary"):
            value = getattr(case.meta, name)
            if "[@" in value:
                findings.append(
                    Finding.error(
                        shown,
                        case.lines.get((name,), 1),
                        "cite-outside-text",
                        f"the {name} is plain text (page title, link previews, search results), where a "
                        "citation is not rendered; cite in the case text instead",
                    )
                )
        for citation in scan_citations(case.body):
            source_line = case.body.split("\n")[citation.line - 1]
            if source_line.lstrip().startswith("#"):
                findings.append(
                    Finding.error(
                        shown,
                        case.body_line - 1 + citation.line,
                        "cite-in-heading",
                        f"[@{citation.key}] in a heading would go into the heading's anchor and the table of "
                        "contents; cite in the paragraph below the heading",
                        col=citation.col,
                    )
                )
    return findings


def _citation_findings(project: Project) -> list[Finding]:
    """Unknown keys and spoiling references (errors), uncited entries (warnings, check only)."""
    library = project.library
    findings: list[Finding] = []
    cited: set[str] = set()
    for case in project.citations:
        for part in (case.visible, case.answer):
            for key, lines in part.items():
                cited.add(key)
                if key not in library:
                    columns = _citation_columns(project.root / case.path, key)
                    findings += [
                        Finding.error(
                            case.path,
                            line,
                            "cite-unknown-key",
                            library.unknown_key_message(key),
                            col=columns.get(line, 1),
                        )
                        for line in lines
                    ]
        findings += visible_spoilers(library, case)
    for page in project.docs:
        for citation in scan_citations(page.text):
            cited.add(citation.key)
            if citation.key not in library:
                findings.append(
                    Finding.error(
                        relative(page.path, project.root),
                        citation.line,
                        "cite-unknown-key",
                        library.unknown_key_message(citation.key),
                        col=citation.col,
                    )
                )
    findings += uncited(library, cited)
    return findings


def _citation_columns(path: Path, key: str) -> dict[int, int]:
    """Line -> column of the first citation of `key` on that line."""
    text, _ = read_source(path)
    columns: dict[int, int] = {}
    for citation in scan_citations(text or ""):
        if citation.key == key:
            columns.setdefault(citation.line, citation.col)
    return columns


def build_site(project: Project) -> Site:
    """Every file and page the site will publish, with each page's anchors."""
    root, settings, library = project.root, project.settings, project.library
    site = Site()
    site.files.update(project.docs_files)
    for doc in project.docs:
        site.add_page(SourcePage(doc.uri, relative(doc.path, root), "doc", doc.text, doc_anchors(doc.text)))
    cited_anywhere: set[str] = set()
    for entry in project.catalog.entries:
        path, case = entry.path, entry.case
        folder = path.parent
        uri = settings.case_uri(folder.name)
        shown = relative(path, root)
        for file in folder.rglob("*"):
            rel = file.relative_to(folder)
            if file.is_file() and not any(part.startswith(".") for part in rel.parts):
                site.files.add(f"{settings.cases_uri}/{folder.name}/{rel.as_posix()}")
        if case is not None:
            body_line, body, figures = case.body_line, case.body, len(case.meta.figures)
        else:
            text, _ = read_source(path)
            fm = split_front_matter(text or "", shown)
            body_line, body = fm.body_line, fm.body
            raw_figures = (fm.data or {}).get("figures") if isinstance(fm.data, dict) else None
            figures = len(raw_figures) if isinstance(raw_figures, list) else 0
        block = find_answer(body)
        answer = None
        if block is not None:
            end = block.end if block.end is not None else body.count("\n") + 1
            answer = (body_line - 1 + block.start, body_line - 1 + end)
        visible: list[str] = []
        hidden: list[str] = []
        for citation in scan_citations(body):
            if citation.key not in library:
                continue
            line = body_line - 1 + citation.line
            inside = answer is not None and answer[0] <= line <= answer[1]
            (hidden if inside else visible).append(citation.key)
            cited_anywhere.add(citation.key)
        visible = list(dict.fromkeys(visible))
        hidden = [k for k in dict.fromkeys(hidden) if k not in visible]
        anchors = case_anchors(body, body_line, answer, figures, visible, hidden)
        site.add_page(SourcePage(uri, shown, "case", "\n" * (body_line - 1) + body, anchors, body_line))
    for uri, text in project.generated_pages().items():
        anchors = doc_anchors(text)
        if uri == settings.pages.bibliography:
            anchors.ids |= {f"ref-{key}" for key in cited_anywhere}
        site.add_page(SourcePage(uri, uri, "generated", text, anchors))
    return site


def _online(project: Project, site: Site, options: OnlineOptions) -> list[Finding]:
    from casebook.checks.online import check_online, collect_targets_from_bib, collect_targets_from_text

    targets = []
    for page in site.pages.values():
        if page.kind != "generated":
            targets += collect_targets_from_text(page.text, page.shown)
    targets += collect_targets_from_bib(
        (ref.key, ref.doi, ref.url, ref.path, ref.line) for ref in project.library.values()
    )
    return check_online(
        targets,
        doi_api_base=options.doi_api_base,
        timeout=options.timeout,
        retries=options.retries,
        per_host=options.per_host,
        cache_path=options.cache_path,
        max_cache_age=options.max_cache_age,
    )
