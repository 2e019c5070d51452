"""Project-wide view of citations: which case cites what, the checks, the site bibliography page.

Everything here works from the authors' sources (not rendered pages), so the
MkDocs hook and `casebook check` see the same citations with the same line
numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from casebook.cases.loader import find_answer
from casebook.cases.model import Case
from casebook.cases.spoilers import leaked_term
from casebook.findings import Finding, relative
from casebook.references.ama import format_reference, format_reference_text, preview_text
from casebook.references.bibtex import Library, Reference
from casebook.references.citekeys import scan_citations
from casebook.text.frontmatter import read_source, split_front_matter

BIBLIOGRAPHY_MARKER = "<!-- casebook:bibliography -->"


@dataclass
class CaseCitations:
    """The citations of one case source, split by whether the reader sees them before the reveal."""

    path: str  # as shown in findings
    uri: str  # `cases/<slug>/index.md`, the MkDocs src_uri
    title: str
    spoiler_terms: tuple[str, ...] = ()
    visible: dict[str, list[int]] = field(default_factory=dict)  # key -> lines
    answer: dict[str, list[int]] = field(default_factory=dict)

    @property
    def keys(self) -> set[str]:
        return set(self.visible) | set(self.answer)


def case_citations(
    path: Path, root: Path | None = None, case: Case | None = None, uri: str | None = None
) -> CaseCitations | None:
    """Scan one case file; None if it cannot be read (the cases hook reports why).

    `case` is the same file already loaded and validated (`cases.load_case`): its
    front matter is then not parsed a second time. Invalid cases (None) are still
    scanned from their source, so their unknown keys are reported too.
    """
    text, _ = read_source(path)
    if text is None:
        return None
    shown = relative(path, root)
    if case is not None:
        meta = case.meta
        title, terms, body, body_line = meta.title, [meta.diagnosis, *meta.synonyms], case.body, case.body_line
    else:
        fm = split_front_matter(text, shown)
        data = fm.data if isinstance(fm.data, dict) else {}
        title = str(data.get("title") or path.parent.name)
        terms = [data.get("diagnosis")] + list(data.get("synonyms") or [])
        body, body_line = fm.body, fm.body_line
    result = CaseCitations(
        path=shown,
        uri=uri or shown,
        title=title,
        spoiler_terms=tuple(t for t in terms if isinstance(t, str) and t.strip()),
    )
    answer = find_answer(body)
    first = last = 0
    if answer is not None:
        first = body_line - 1 + answer.start
        last = body_line - 1 + answer.end if answer.end is not None else 10**9
    for citation in scan_citations(text):
        hidden = first <= citation.line <= last and answer is not None
        (result.answer if hidden else result.visible).setdefault(citation.key, []).append(citation.line)
    return result


def collect_case_citations(
    paths: Iterable[Path],
    root: Path | None = None,
    loaded: Mapping[Path, Case | None] | None = None,
    uri_of: Callable[[Path], str] | None = None,
) -> list[CaseCitations]:
    """Every case's citations; `loaded` maps paths to cases already loaded (see `case_citations`).

    `uri_of` gives a case file's page path in the site (by default its path relative to `root`).
    """
    loaded = loaded or {}
    found = (case_citations(p, root, loaded.get(p), uri_of(p) if uri_of else None) for p in paths)
    return [c for c in found if c is not None]


def visible_spoilers(library: Library, case: CaseCitations) -> list[Finding]:
    """A reference cited before the reveal is listed (and previewed) before it: it must not name the answer."""
    findings = []
    for key, lines in case.visible.items():
        if key not in library:
            continue
        ref = library[key]
        term = leaked_term(
            format_reference_text(ref, library.style) + " " + preview_text(ref, library.style), case.spoiler_terms
        )
        if term:
            findings.append(
                Finding.error(
                    case.path,
                    lines[0],
                    "spoiler-reference",
                    f"[@{key}] is cited before the answer, so its reference is listed there, and it names the "
                    f"diagnosis ({term!r}); cite it only inside the '/// answer' block",
                )
            )
    return findings


def uncited(library: Library, cited: set[str]) -> list[Finding]:
    return [
        Finding.warning(
            ref.path, ref.line, "bib-uncited", f"BibTeX entry '{key}' is never cited; cite it as [@{key}] or remove it"
        )
        for key, ref in library.items()
        if key not in cited
    ]


def sort_key(ref: Reference) -> tuple[str, str, str]:
    people = ref.authors or ref.editors
    first = people[0].family if people else ref.get("title")
    return (first.casefold(), ref.year, ref.get("title").casefold())


def site_bibliography_html(
    library: Library, cases: list[CaseCitations], url_for: Callable[[CaseCitations], str | None]
) -> str:
    """Every cited reference once, alphabetically, with links to the cases citing it.

    Spoiler-safe: a reference cited only inside answers is listed inside a
    closed <details> excluded from search (its title may name a diagnosis), and
    a case that cites a reference only in its answer is linked behind one too
    (seeing which case a title belongs to would give its diagnosis away).
    Material's search parser compares elements by tag name only, so an excluded
    element must not contain another element of its tag that is excluded or is
    a <details> (closing the inner one would end the exclusion early): the
    exclusions sit on a <section> and on <div>s, never nested.
    """
    shown_cases = [(c, url_for(c)) for c in cases]
    shown = [(c, url) for c, url in shown_cases if url is not None]
    keys = {k for c, _ in shown for k in c.keys if k in library}
    if not keys:
        return '<p class="casebook-bibliography-empty">No case cites a reference yet.</p>'
    open_keys = {k for c, _ in shown for k in c.visible if k in library}
    refs = sorted((library[k] for k in keys), key=sort_key)
    out = []
    open_refs = [r for r in refs if r.key in open_keys]
    hidden_refs = [r for r in refs if r.key not in open_keys]
    if open_refs:
        out.append(_entry_list(open_refs, shown, style=library.style))
    if hidden_refs:
        n = len(hidden_refs)
        out.append(
            '<section class="casebook-bibliography-answers" data-search-exclude><details>'
            f"<summary>{n} reference{'s' if n != 1 else ''} cited only inside case answers "
            "(spoilers: their titles may name a diagnosis)</summary>"
            + _entry_list(hidden_refs, shown, exclude=False, style=library.style)
            + "</details></section>"
        )
    return "\n".join(out)


def _citing(
    shown: list[tuple[CaseCitations, str]],
) -> dict[str, tuple[list[tuple[CaseCitations, str]], list[tuple[CaseCitations, str]]]]:
    """key -> (cases citing it before the reveal, cases citing it only in the answer), in `shown` order.

    One pass over the citations instead of one pass over every case per reference
    (references x cases grew quadratically with the site).
    """
    citing: dict[str, tuple[list[tuple[CaseCitations, str]], list[tuple[CaseCitations, str]]]] = {}
    for c, u in shown:
        for key in c.visible:
            citing.setdefault(key, ([], []))[0].append((c, u))
        for key in c.answer:
            if key not in c.visible:
                citing.setdefault(key, ([], []))[1].append((c, u))
    return citing


def _entry_list(
    refs: list[Reference], shown: list[tuple[CaseCitations, str]], exclude: bool = True, style: str = "ama"
) -> str:
    items = []
    citing = _citing(shown)
    for ref in refs:
        visible, hidden = citing.get(ref.key, ([], []))
        parts = [format_reference(ref, style)]
        if visible:
            links = ", ".join(f'<a href="{escape(u)}">{escape(c.title)}</a>' for c, u in visible)
            parts.append(f'<br><span class="casebook-cited-in">Cited in: {links}</span>')
        if hidden:
            links = ", ".join(f'<a href="{escape(u)}#answer">{escape(c.title)}</a>' for c, u in hidden)
            n = len(hidden)
            parts.append(
                f'<div class="casebook-cited-in-answer"{" data-search-exclude" if exclude else ""}>'
                f"<details><summary>Cited in the "
                f"answer of {n} case{'s' if n != 1 else ''} (opening this shows which: a spoiler)</summary>"
                f"<p>{links}</p></details></div>"
            )
        items.append(f'<li id="ref-{escape(ref.key)}">{"".join(parts)}</li>')
    return '<ul class="casebook-bibliography">\n' + "\n".join(items) + "\n</ul>"


def bibliography_page() -> str:
    """The Markdown of the generated `bibliography.md`; the hook fills in the marker when rendering."""
    return (
        "# Bibliography\n\n"
        "Every reference cited by a case, alphabetically by first author. Each case numbers "
        "its own references (AMA style) on its page.\n\n" + BIBLIOGRAPHY_MARKER + "\n"
    )
