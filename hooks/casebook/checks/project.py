"""`casebook check` (and `make check`): every source check, offline, in seconds, without a build.

The build finds problems too, but only after rendering every page, and it
stops at the first broken case. `check` reads the sources once and reports
everything at once, one line per finding (`path:line:col: level: message
[rule]`), for editors, CI annotations (`--format github`) and tools
(`--format json`). It is pure orchestration: the same functions the MkDocs
hooks use decide what is wrong, so `check` and `mkdocs build --strict` agree
(docs/checks.md lists, per rule, what the strict build does).

- cases: front matter schema, blocks, figures and images, spoilers (cases.load_case);
- BibTeX: syntax, duplicate keys and fields, required fields, DOI/URL/PMID syntax
  (bibtex.load_library), plus empty files, `crossref`, undefined `@string` macros,
  markup in fields;
- citations: unknown keys, references that spoil the answer, uncited entries (bibliography);
- links: internal links, `#anchors`, images in docs/, unsafe schemes and HTML (links);
- `--online`: DOIs at the doi.org handle API and external links (online).

Exit status: 0 no errors, 1 errors (or warnings with `--strict`), 2 usage error.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Sequence, TypeVar

from casebook.references.lint import bib_source_findings, reference_findings
from casebook.references.bibtex import Library, load_library
from casebook.cases.loader import CASE_FILE, discover_cases, find_answer, load_case
from casebook.findings import Finding, format_findings, relative, summary
from casebook.text.frontmatter import read_source, split_front_matter
from casebook.checks.links import Anchors, Page, Site, case_anchors, check_page_links, doc_anchors, docs_files
from casebook.cases.model import Case

PROG = "casebook check"
CASES_DIR = "cases"
BIB_DIR = "bib"
DOCS_DIR = "docs"

T = TypeVar("T")


@dataclass
class CheckReport:
    """What one run found, with what it looked at (for the summary line)."""

    findings: list[Finding] = field(default_factory=list)
    cases: int = 0
    references: int = 0
    pages: int = 0

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.is_error)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors

    def summary_line(self) -> str:
        return (f"{summary(self.findings)} in {self.cases} case{'s' if self.cases != 1 else ''}, "
                f"{self.references} reference{'s' if self.references != 1 else ''}, "
                f"{self.pages} other page{'s' if self.pages != 1 else ''}")


@dataclass(frozen=True)
class OnlineOptions:
    """`--online` settings, passed through to casebook.online."""

    max_cache_age: float
    doi_api_base: str
    cache_path: Path | None
    timeout: float = 10.0
    retries: int = 2


class _Guard:
    """Turn an unexpected exception into an `internal-error` finding naming the file at hand."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings

    def run(self, where: str, fn: Callable[[], T], default: T) -> T:
        try:
            return fn()
        except Exception as exc:  # a bug in Casebook must not hide every other finding
            frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
            at = f" at {Path(frame.filename).name}:{frame.lineno}" if frame else ""
            self.findings.append(Finding.error(
                where, 1, "internal-error",
                f"Casebook failed while checking this file ({type(exc).__name__}: {exc}{at}); the other checks "
                "still ran. Please report this with the file attached"))
            return default


def check_project(root: Path, *, online: OnlineOptions | None = None) -> CheckReport:
    """Run every check on the project at `root`; never raises on bad input."""
    root = Path(root).resolve()
    report = CheckReport()
    guard = _Guard(report.findings)
    findings = report.findings

    # --- cases
    cases_dir = root / CASES_DIR
    case_paths = discover_cases(cases_dir)
    loaded: dict[Path, Case | None] = {}
    for path in case_paths:
        shown = relative(path, root)
        case, case_findings = guard.run(shown, lambda p=path: load_case(p, root), (None, []))
        loaded[path] = case
        findings += case_findings
    report.cases = len(case_paths)
    if cases_dir.is_dir():
        for folder in sorted(d for d in cases_dir.iterdir() if d.is_dir() and not d.name.startswith(".")):
            if not (folder / CASE_FILE).is_file():
                findings.append(Finding.warning(
                    relative(folder, root) + "/", 1, "case-no-index",
                    f"case folder '{folder.name}' has no {CASE_FILE}, so it is not published; add one "
                    "(`casebook new`) or remove the folder"))

    # --- BibTeX
    bib_paths = sorted((root / BIB_DIR).glob("*.bib")) if (root / BIB_DIR).is_dir() else []
    library = _load_library(bib_paths, root, guard)
    report.references = len(library)
    for path in bib_paths:
        shown = relative(path, root)
        findings += guard.run(shown, lambda p=path, s=shown: bib_source_findings(p, s), [])
    for ref in library.values():
        findings += guard.run(ref.path, lambda r=ref: reference_findings(r), [])

    # --- citations
    docs_pages = guard.run(DOCS_DIR, lambda: _docs_pages(root, findings), [])
    findings += guard.run(CASES_DIR, lambda: _citation_findings(library, case_paths, root, docs_pages, loaded), [])

    # --- links
    site = guard.run(DOCS_DIR, lambda: _site(root, docs_pages, loaded, library), Site())
    report.pages = len(docs_pages)
    for page in site.pages.values():
        if page.kind == "generated":
            continue
        findings += guard.run(page.shown, lambda p=page: check_page_links(p, site, check_images=p.kind == "doc"), [])

    # --- network
    if online is not None:
        findings += guard.run("(online checks)", lambda: _online(root, site, library, online), [])

    report.findings = sorted(set(findings))
    return report


def run_check(root: Path, *, online: bool = False, max_cache_age: float | str = 7 * 24 * 3600.0,
              doi_api_base: str | None = None, cache_path: Path | None = None) -> list[Finding]:
    """The findings of `casebook check` for the project at `root` (see `check_project`)."""
    options = None
    if online:
        from casebook.checks.online import DEFAULT_DOI_API_BASE, DOI_API_ENV, default_cache_path, parse_duration

        options = OnlineOptions(
            max_cache_age=parse_duration(max_cache_age),
            doi_api_base=doi_api_base or os.environ.get(DOI_API_ENV) or DEFAULT_DOI_API_BASE,
            cache_path=cache_path or default_cache_path(root))
    return check_project(root, online=options).findings


# --------------------------------------------------------------------------- BibTeX


def _load_library(paths: list[Path], root: Path, guard: _Guard) -> Library:
    """All .bib files at once; if that fails, file by file so the failing file is named."""
    holder: list[Finding] = []
    result = _Guard(holder).run(BIB_DIR, lambda: load_library(paths, root), None)
    if result is not None:
        library, bib_findings = result
        guard.findings.extend(bib_findings)
        return library
    good: list[Path] = []
    for path in paths:
        ok = guard.run(relative(path, root), lambda p=path: load_library([p], root), None)
        if ok is not None:
            good.append(path)
    library, bib_findings = guard.run(BIB_DIR, lambda: load_library(good, root), (Library(), []))
    guard.findings.extend(bib_findings)
    return library


# --------------------------------------------------------------------------- citations


def _docs_pages(root: Path, findings: list[Finding]) -> list[tuple[str, Path, str]]:
    """(src_uri, path, text) of every Markdown page in docs/.

    A byte-order mark is not reported here: MkDocs reads docs/ pages as utf-8-sig.
    """
    docs_dir = root / DOCS_DIR
    pages = []
    for uri in docs_files(docs_dir):
        if not uri.endswith(".md"):
            continue
        path = docs_dir / uri
        text, read_findings = read_source(path)
        findings.extend(replace(f, path=relative(path, root)) for f in read_findings if f.rule != "byte-order-mark")
        pages.append((uri, path, text if text is not None else ""))
    return pages


def _citation_findings(library: Library, case_paths: list[Path], root: Path,
                       docs_pages: list[tuple[str, Path, str]],
                       loaded: dict[Path, Case | None] | None = None) -> list[Finding]:
    """Unknown keys and spoiling references (errors), uncited entries (warnings): as the build."""
    from casebook.references.bibliography import collect_case_citations, uncited, visible_spoilers
    from casebook.render.citations import scan_citations

    findings: list[Finding] = []
    cited: set[str] = set()
    for case in collect_case_citations(case_paths, root, loaded):
        for part in (case.visible, case.answer):
            for key, lines in part.items():
                cited.add(key)
                if key not in library:
                    columns = _citation_columns(root / case.path, key)
                    findings += [Finding.error(case.path, line, "cite-unknown-key", library.unknown_key_message(key),
                                               col=columns.get(line, 1)) for line in lines]
        findings += visible_spoilers(library, case)
    for _uri, path, text in docs_pages:
        for citation in scan_citations(text):
            cited.add(citation.key)
            if citation.key not in library:
                findings.append(Finding.error(relative(path, root), citation.line, "cite-unknown-key",
                                              library.unknown_key_message(citation.key), col=citation.col))
    findings += uncited(library, cited)
    return findings


def _citation_columns(path: Path, key: str) -> dict[int, int]:
    """Line -> column of the first citation of `key` on that line (the build reports the column too)."""
    from casebook.render.citations import scan_citations

    text, _ = read_source(path)
    columns: dict[int, int] = {}
    for citation in scan_citations(text or ""):
        if citation.key == key:
            columns.setdefault(citation.line, citation.col)
    return columns


# --------------------------------------------------------------------------- links


def _site(root: Path, docs_pages: list[tuple[str, Path, str]], loaded: dict[Path, Case | None],
          library: Library) -> Site:
    """Every file and page MkDocs will publish, with each page's anchors."""
    from casebook.render.citations import scan_citations

    site = Site()
    site.files.update(docs_files(root / DOCS_DIR))
    for uri, path, text in docs_pages:
        site.add_page(Page(uri, relative(path, root), "doc", text, doc_anchors(text)))
    cited_anywhere: set[str] = set()
    for path, case in loaded.items():
        folder = path.parent
        uri = relative(path, root)
        for file in folder.rglob("*"):
            rel = file.relative_to(folder)
            if file.is_file() and not any(part.startswith(".") for part in rel.parts):
                site.files.add(relative(file, root))
        if case is not None:
            body_line, body, figures = case.body_line, case.body, len(case.meta.figures)
        else:
            text, _ = read_source(path)
            fm = split_front_matter(text or "", uri)
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
        site.add_page(Page(uri, uri, "case", "\n" * (body_line - 1) + body, anchors, body_line))
    valid = [case for case in loaded.values() if case is not None]
    for uri, text in generated_pages(valid).items():
        if uri not in site.files:
            anchors = doc_anchors(text)
            if uri == "bibliography.md":
                anchors.ids |= {f"ref-{key}" for key in cited_anywhere}
            site.add_page(Page(uri, uri, "generated", text, anchors))
    return site


def generated_pages(cases: list[Case]) -> dict[str, str]:
    """The pages the hooks add when docs/ has no page of that name (src_uri -> Markdown)."""
    from casebook.references.bibliography import bibliography_page

    pages = {"bibliography.md": bibliography_page()}
    try:  # the reader pages (casebook_reader.py): browse by diagnosis, etiology index
        from casebook.render.reader_pages import DIAGNOSES_PAGE, ETIOLOGY_PAGE, diagnoses_page, etiology_page
    except ImportError:
        return pages
    pages[DIAGNOSES_PAGE] = diagnoses_page(cases)
    pages[ETIOLOGY_PAGE] = etiology_page(cases)
    return pages


# --------------------------------------------------------------------------- online


def _online(root: Path, site: Site, library: Library, options: OnlineOptions) -> list[Finding]:
    from casebook.checks.online import check_online, collect_targets_from_bib, collect_targets_from_text

    targets = []
    for page in site.pages.values():
        if page.kind != "generated":
            targets += collect_targets_from_text(page.text, page.shown)
    targets += collect_targets_from_bib(
        (ref.key, ref.doi, ref.url, ref.path, ref.line) for ref in library.values())
    return check_online(targets, doi_api_base=options.doi_api_base, timeout=options.timeout,
                        retries=options.retries, cache_path=options.cache_path,
                        max_cache_age=options.max_cache_age)


# --------------------------------------------------------------------------- command line


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=PROG,
        description="Check cases, BibTeX, citations, links and spoilers without building the site. "
                    "Prints one line per finding (path:line:col: level: message [rule]) and a summary; "
                    "exits 1 if there is an error. Rules: docs/checks.md.")
    p.add_argument("--root", type=Path, default=Path("."), help="project folder (default: the current folder)")
    p.add_argument("--format", choices=("text", "github", "json"), default="text",
                   help="text (default), github (GitHub Actions annotations) or json")
    p.add_argument("--strict", action="store_true", help="warnings fail the check too (exit 1)")
    online = p.add_argument_group("online checks (off by default)")
    online.add_argument("--online", action="store_true",
                        help="also check that DOIs are registered (doi.org handle API) and external links work")
    online.add_argument("--max-cache-age", default="7d", metavar="AGE",
                        help="re-check cached results older than this: seconds or 30m, 12h, 7d, 2w (default 7d; "
                             "0 re-checks everything)")
    online.add_argument("--doi-api-base", metavar="URL",
                        help="DOI handle API (default: $CASEBOOK_DOI_API_BASE or https://doi.org/api/handles/)")
    online.add_argument("--cache", type=Path, metavar="FILE",
                        help="link cache file (default: .casebook-cache/links.json in the project)")
    online.add_argument("--no-cache", action="store_true", help="neither read nor write the link cache")
    online.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS", help="per request (default 10)")
    online.add_argument("--retries", type=int, default=2, metavar="N",
                        help="extra attempts after a transient failure (default 2)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """`casebook check ...`: returns the exit status (0 clean, 1 errors, 2 usage)."""
    parser = build_parser()
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return int(exc.code or 0)
    root = args.root
    if not root.is_dir():
        print(f"{PROG}: error: --root {root} is not a folder", file=sys.stderr)
        return 2
    if not any((root / name).exists() for name in ("mkdocs.yml", CASES_DIR, BIB_DIR, DOCS_DIR)):
        print(f"{PROG}: error: {root.resolve()} is not a Casebook project (no mkdocs.yml, cases/, bib/ or docs/); "
              "run it in the project folder or pass --root", file=sys.stderr)
        return 2
    options = None
    if args.online:
        from casebook.checks.online import DEFAULT_DOI_API_BASE, DOI_API_ENV, default_cache_path, parse_duration

        try:
            max_age = parse_duration(args.max_cache_age)
        except ValueError as exc:
            print(f"{PROG}: error: --max-cache-age: {exc}", file=sys.stderr)
            return 2
        base = args.doi_api_base or os.environ.get(DOI_API_ENV) or DEFAULT_DOI_API_BASE
        if not re.match(r"^https?://", base):
            print(f"{PROG}: error: --doi-api-base must be an http(s) URL, not {base!r}", file=sys.stderr)
            return 2
        cache = None if args.no_cache else (args.cache or default_cache_path(root.resolve()))
        options = OnlineOptions(max_cache_age=max_age, doi_api_base=base, cache_path=cache,
                                timeout=args.timeout, retries=max(0, args.retries))
    started = time.monotonic()
    try:
        report = check_project(root, online=options)
    except Exception as exc:  # last resort: still one line, never a traceback
        print(f"{PROG}: internal error: {type(exc).__name__}: {exc}; please report it", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    elapsed = time.monotonic() - started
    output = format_findings(report.findings, args.format)
    if output:
        print(output)
    line = f"{report.summary_line()} ({elapsed:.1f} s)"
    print(line, file=sys.stderr if args.format == "json" else sys.stdout)
    failed = report.errors > 0 or (args.strict and report.warnings > 0)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
