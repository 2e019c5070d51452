"""Internal links and `#anchors`, checked from the Markdown sources without rendering.

`casebook check` must answer in seconds, so it cannot render every page the
way MkDocs does before MkDocs validates links. This module reads the sources
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
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Literal
from urllib.parse import unquote, urlsplit

from markdown.extensions.toc import slugify

from casebook.text.blocks import scan_blocks
from casebook.text.masking import code_spans, mask
from casebook.cases.etiology import BLOCK_NAME as ETIOLOGY_BLOCK
from casebook.findings import Finding

PageKind = Literal["doc", "case", "generated"]

#: Schemes a link may use; anything else is removed by the build (markdown_ext.SafeLinksTreeprocessor).
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
#: Files MkDocs leaves out of docs/ by default (`exclude_docs`): dot files and templates.
_EXCLUDED_PART_RE = re.compile(r"^\.")

# `[text](dest "title")` and `![alt](dest)`; one level of nested brackets in the text.
_LINK_RE = re.compile(
    r"(?P<bang>!?)\[(?P<text>(?:[^\[\]\\]|\\.|\[(?:[^\[\]\\]|\\.)*\])*)\]"
    r"\(\s*(?P<dest><[^<>\n]*>|(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))*)"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)"
)
_REF_DEF_RE = re.compile(r"^ {0,3}\[(?P<label>[^\]\n]+)\]:[ \t]*(?P<dest><[^<>\n]*>|\S+)", re.M)
_HTML_LINK_RE = re.compile(
    r"<(?P<tag>a|img|area|iframe|source|form|embed|object)\b[^>]*?\s(?P<attr>href|src|action|data)\s*=\s*"
    r"(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<uq>[^\s\"'>]+))",
    re.I | re.S,
)
_UNSAFE_HTML_RE = re.compile(
    r"<\s*(?P<tag>script|iframe|object|embed|frame|frameset|base|meta)\b"
    r"|<[a-z][\w-]*\b[^>]*?\s(?P<handler>on[a-z]+)\s*=",
    re.I | re.S,
)
_HTML_ID_RE = re.compile(r"<[a-z][\w-]*\b[^>]*?\s(?:id|name)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')", re.I | re.S)
_ATTR_LIST_ID_RE = re.compile(r"\{:?[ \t]*(?:[^{}\n]*?[ \t])?#(?P<id>[^\s{}#.]+)[^{}\n]*\}")
# Python-Markdown's own patterns (HashHeaderProcessor, SetextHeaderProcessor): no leading spaces,
# no space needed after the hashes, closing hashes dropped.
_ATX_RE = re.compile(r"^(?P<hashes>#{1,6})(?P<text>(?:\\.|[^\\])*?)#*$")
_SETEXT_RE = re.compile(r"^(?:=+|-+)[ ]*$")
_TRAILING_ATTR_RE = re.compile(r"[ \t]*\{:?[ \t]*(?P<attrs>[^{}\n]*)\}[ \t]*$")
_SCHEME_RE = re.compile(r"^(?P<scheme>[a-z][a-z0-9+.-]*):", re.I)


# --------------------------------------------------------------------------- masking


def mask_code(text: str) -> str:
    """Blank out front matter, fenced code, code spans and HTML comments, keeping positions.

    Links, headings, ids and unsafe HTML are all looked for in the masked text of
    the same page one after the other; `masking.mask` caches the last results.
    """
    return mask(text, front_matter=True)


class _Positions:
    """Offset -> (line, col), both 1-based."""

    def __init__(self, text: str, first_line: int = 1) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.first_line = first_line

    def __call__(self, offset: int) -> tuple[int, int]:
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return self.first_line + lo, offset - self.starts[lo] + 1


# --------------------------------------------------------------------------- links


@dataclass(frozen=True)
class Link:
    """One link or image in a source file; `line` is a line of that file."""

    target: str
    line: int
    col: int
    image: bool = False
    html: bool = False  # written as raw HTML (<a href>, <img src>): MkDocs does not resolve these
    alt: str | None = None  # the alt text of a Markdown image


def extract_links(text: str, first_line: int = 1) -> list[Link]:
    """Every link and image target in Markdown `text` (code, comments and front matter skipped)."""
    masked = mask_code(text)
    if "[" not in masked and "<" not in masked:
        return []
    where = _Positions(masked, first_line)
    found: list[Link] = []
    for m in _LINK_RE.finditer(masked):
        dest = m.group("dest")
        start = m.start("dest")
        if dest.startswith("<"):
            dest, start = dest[1:-1], start + 1
        line, col = where(start)
        image = bool(m.group("bang"))
        found.append(Link(_unescape(dest), line, col, image=image,
                          alt=_unescape(m.group("text")) if image else None))
    for m in _REF_DEF_RE.finditer(masked):
        if m.group("label").startswith("^"):  # a footnote definition, not a link
            continue
        dest = m.group("dest")
        start = m.start("dest")
        if dest.startswith("<"):
            dest, start = dest[1:-1], start + 1
        line, col = where(start)
        found.append(Link(_unescape(dest), line, col))
    if "<" in masked:
        for m in _HTML_LINK_RE.finditer(masked):
            group = next(g for g in ("dq", "sq", "uq") if m.group(g) is not None)
            line, col = where(m.start(group))
            found.append(Link(html.unescape(m.group(group)), line, col,
                              image=m.group("tag").lower() == "img", html=True))
    return sorted(found, key=lambda link: (link.line, link.col))


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def unsafe_html(text: str, first_line: int = 1) -> list[tuple[int, int, str]]:
    """Raw HTML that would run script in the reader's browser: (line, col, what)."""
    masked = mask_code(text)
    if "<" not in masked:
        return []
    where = _Positions(masked, first_line)
    out = []
    for m in _UNSAFE_HTML_RE.finditer(masked):
        what = f"<{m.group('tag').lower()}>" if m.group("tag") else f"the {m.group('handler').lower()}= attribute"
        out.append((*where(m.start()), what))
    return out


# --------------------------------------------------------------------------- headings and anchors


_IMAGE_RE = re.compile(r"!\[(?:[^\[\]]|\[[^\[\]]*\])*\]\([^)]*\)")
_MD_LINK_TEXT_RE = re.compile(r"\[(?P<text>(?:[^\[\]]|\[[^\[\]]*\])*)\](?:\([^)]*\)|\[[^\]]*\])")
_AUTOLINK_RE = re.compile(r"<(?P<url>(?:[a-z][a-z0-9+.-]*:|www\.)[^>\s]*)>", re.I)
_TAG_RE = re.compile(r"</?[a-zA-Z][^>]*>")
_UNDERSCORE_EMPHASIS_RE = re.compile(r"(?<![\w\\])(_{1,3})(?=\S)(?P<inner>.+?)(?<=\S)\1(?!\w)")
_CITATION_RE = re.compile(r"\[@[^\]]*\]")


def heading_text(raw: str) -> str:
    """The plain text Python-Markdown's toc would take from a heading's inline Markdown."""
    codes: list[str] = []
    parts: list[str] = []
    done = 0
    for start, end in code_spans(raw):
        codes.append(raw[start:end].strip("`").strip())
        parts += [raw[done:start], f"\x00{len(codes) - 1}\x00"]
        done = end
    text = "".join(parts) + raw[done:]
    text = _CITATION_RE.sub("", text)
    text = _IMAGE_RE.sub("", text)
    text = _AUTOLINK_RE.sub(lambda m: m.group("url"), text)
    previous = None
    while previous != text:  # links inside links' text
        previous, text = text, _MD_LINK_TEXT_RE.sub(lambda m: m.group("text"), text)
    text = _TAG_RE.sub("", text)
    text = _UNDERSCORE_EMPHASIS_RE.sub(lambda m: m.group("inner"), text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!<>])", r"\1", text)
    text = re.sub(r"\x00(\d+)\x00", lambda m: codes[int(m.group(1))], text)
    return html.unescape(" ".join(text.split()))


def unique_id(slug: str, used: set[str]) -> str:
    """toc's de-duplication: `intro`, `intro_1`, `intro_2` ..."""
    if slug in used or not slug:
        m = re.match(r"^(.*)_([0-9]+)$", slug)
        base, count = (m.group(1), int(m.group(2))) if m else (slug, 0)
        count += 1
        while f"{base}_{count}" in used:
            count += 1
        slug = f"{base}_{count}"
    used.add(slug)
    return slug


@dataclass(frozen=True)
class Heading:
    line: int  # line of the source file
    text: str
    explicit_id: str | None  # from `{#id}`


def find_headings(text: str, first_line: int = 1, skip: Iterable[tuple[int, int]] = ()) -> list[Heading]:
    """ATX and setext headings outside code; `skip` holds (start, end) source lines to ignore."""
    masked = mask_code(text)
    lines = masked.split("\n")
    raw_lines = text.split("\n")
    skipped = [(a, b) for a, b in skip]
    out: list[Heading] = []
    for i, line in enumerate(lines):
        number = first_line + i
        if any(a <= number <= b for a, b in skipped) or not line.strip():
            continue
        source = raw_lines[i] if i < len(raw_lines) else line
        title: str | None = None
        if _ATX_RE.match(line):
            # The unmasked line, so that code spans keep their text.
            title = (_ATX_RE.match(source) or _ATX_RE.match(line)).group("text")  # type: ignore[union-attr]
        elif (
            i + 1 < len(lines) and _SETEXT_RE.match(lines[i + 1])
            and (i == 0 or not lines[i - 1].strip() or _ATX_RE.match(lines[i - 1]))
            and not line.lstrip().startswith(("<", "|", "///", "!!!", "???"))
        ):
            title = source
        if title is None:
            continue
        explicit = None
        if am := _TRAILING_ATTR_RE.search(title):
            id_match = re.search(r"(?:^|\s)#([^\s#.}]+)", am.group("attrs"))
            explicit = id_match.group(1) if id_match else None
            title = title[: am.start()]
        out.append(Heading(number, title.strip(), explicit))
    return out


def explicit_ids(text: str) -> set[str]:
    """Ids set with attr_list (`{#id}`, `{: #id .class}`) anywhere outside code."""
    masked = mask_code(text)
    if "{" not in masked:
        return set()
    return {m.group("id") for m in _ATTR_LIST_ID_RE.finditer(masked)}


def html_ids(text: str) -> set[str]:
    """Ids (and `<a name>`) written as raw HTML: MkDocs counts them as anchors."""
    masked = mask_code(text)
    if "<" not in masked:
        return set()
    return {html.unescape(a or b) for a, b in _HTML_ID_RE.findall(masked)}


@dataclass
class Anchors:
    """The anchors a page has, and the headings that deliberately have none (inside the answer)."""

    ids: set[str] = field(default_factory=set)
    hidden: dict[str, int] = field(default_factory=dict)  # would-be id -> line of a heading inside the answer
    headings: list[str] = field(default_factory=list)  # the ids of headings, in order (for suggestions)


def doc_anchors(text: str) -> Anchors:
    """Anchors of an ordinary page in docs/."""
    used = explicit_ids(text)
    result = Anchors(ids=set(used) | html_ids(text))
    for heading in find_headings(text):
        if heading.explicit_id:
            result.ids.add(heading.explicit_id)
            result.headings.append(heading.explicit_id)
            continue
        anchor = unique_id(slugify(heading_text(heading.text), "-"), used)
        result.ids.add(anchor)
        result.headings.append(anchor)
    return result


def case_anchors(body: str, body_line: int, answer: tuple[int, int] | None, figures: int,
                 visible_refs: Iterable[str] = (), answer_refs: Iterable[str] = ()) -> Anchors:
    """Anchors of a composed case page (see compose.compose_case), from the author's body.

    `answer` is the (first, last) file line of the `/// answer` block;
    `visible_refs`/`answer_refs` are the known keys cited before / only inside it.
    """
    visible_refs, answer_refs = list(visible_refs), list(answer_refs)
    ref_ids = {f"ref-{key}" for key in visible_refs + answer_refs}
    # Ids in the Markdown tree before toc runs: these win over heading slugs.
    used = {"the-case", "answer"} | ref_ids | explicit_ids(body)
    if visible_refs:
        used.add("references")
    result = Anchors(ids=set(used) | html_ids(body) | {f"figure-{n}" for n in range(1, figures + 1)})
    raw_blocks = [(body_line - 1 + b.start, body_line - 1 + b.end) for b in scan_blocks(body)
                  if b.name == ETIOLOGY_BLOCK and b.end is not None]
    headings = find_headings(body, body_line, skip=raw_blocks)
    before = [h for h in headings if answer is None or h.line < answer[0]]
    inside = [h for h in headings if answer is not None and answer[0] <= h.line <= answer[1]]
    after = [h for h in headings if answer is not None and h.line > answer[1]]
    for heading in before:
        anchor = heading.explicit_id or unique_id(slugify(heading_text(heading.text), "-"), used)
        result.ids.add(anchor)
        result.headings.append(anchor)
    for heading in inside:  # named (they take part in de-duplication), then their ids are removed
        anchor = heading.explicit_id or unique_id(slugify(heading_text(heading.text), "-"), used)
        result.ids.discard(anchor)
        result.hidden.setdefault(anchor, heading.line)
    if answer_refs:
        title = "References cited in the answer" if visible_refs else "References"
        unique_id(slugify(title, "-"), used)
    for heading in after:
        anchor = heading.explicit_id or unique_id(slugify(heading_text(heading.text), "-"), used)
        result.ids.add(anchor)
        result.headings.append(anchor)
    return result


# --------------------------------------------------------------------------- the site


@dataclass
class Page:
    """A page of the site as MkDocs will know it."""

    uri: str  # MkDocs src_uri: `index.md`, `cases/<slug>/index.md`
    shown: str  # path in findings, relative to the project root
    kind: PageKind
    text: str = ""  # the whole source (front matter included, so lines are file lines)
    anchors: Anchors = field(default_factory=Anchors)
    body_line: int = 1  # first line that is Markdown (after front matter)


@dataclass
class Site:
    """Every file MkDocs will publish (by src_uri) and the pages among them."""

    files: set[str] = field(default_factory=set)
    pages: dict[str, Page] = field(default_factory=dict)

    def add_page(self, page: Page) -> None:
        self.pages[page.uri] = page
        self.files.add(page.uri)


def docs_files(docs_dir: Path) -> list[str]:
    """Every file under docs/ that MkDocs publishes (its default `exclude_docs` leaves out dot files)."""
    if not docs_dir.is_dir():
        return []
    out = []
    for path in docs_dir.rglob("*"):
        rel = path.relative_to(docs_dir)
        if path.is_file() and not any(_EXCLUDED_PART_RE.match(p) for p in rel.parts) \
                and rel.parts[0] != "templates":
            out.append(rel.as_posix())
    return sorted(out)


def target_uri(src_uri: str, path: str) -> str:
    """What MkDocs resolves a relative link to (mkdocs.structure.pages._RelativePathTreeprocessor)."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), path).lstrip("/"))


def check_page_links(page: Page, site: Site, *, check_images: bool) -> list[Finding]:
    """Findings for every link of one page: missing targets and anchors, unsafe schemes, images."""
    findings: list[Finding] = []
    shown = page.shown
    for line, col, what in unsafe_html(page.text):
        findings.append(Finding.error(
            shown, line, "html-unsafe",
            f"{what} runs script in the reader's browser; Casebook pages may not contain it "
            "(remove it; use Markdown for links and images)", col))
    for link in extract_links(page.text):
        findings += _check_link(page, link, site, check_images=check_images)
    return findings


def _check_link(page: Page, link: Link, site: Site, *, check_images: bool) -> list[Finding]:
    shown, line, col = page.shown, link.line, link.col
    raw = link.target.strip()
    what = "image" if link.image else "link"
    scheme = _SCHEME_RE.match(raw)
    if scheme and not re.match(r"^[a-z]:[\\/]", raw, re.I):
        if scheme.group("scheme").lower() not in SAFE_SCHEMES:
            return [Finding.error(
                shown, line, "link-unsafe",
                f"{what} target '{_short(raw)}' uses the '{scheme.group('scheme').lower()}:' scheme, which the "
                "site removes (only http, https, mailto and relative links are allowed)", col)]
        return []
    if link.html:
        return []  # MkDocs does not resolve raw HTML links; only their scheme matters
    image_problems: list[Finding] = []
    if link.image and check_images and link.alt is not None and not link.alt.strip():
        image_problems.append(Finding.error(
            shown, line, "image-alt",
            "image has no alt text: describe what it shows inside the brackets, ![like this](file.png)", col))
    if link.image and not check_images:
        return []  # case bodies: cases.py checks their images (they must sit in the case folder)
    if raw.startswith("//"):
        return image_problems  # protocol-relative: external
    try:
        parts = urlsplit(raw)
    except ValueError:
        return image_problems + [Finding.error(shown, line, "link-missing", f"{what} '{_short(raw)}' is not a "
                                               "valid address; check its brackets and characters", col)]
    if raw.startswith(("/", "\\")):
        return image_problems + [Finding.error(
            shown, line, "link-absolute",
            f"{what} '{_short(raw)}' is absolute; write it relative to this file "
            f"(e.g. '{_relative_suggestion(page.uri, parts.path)}') so it works wherever the site is hosted", col)]
    path, anchor = unquote(parts.path), parts.fragment
    if not path:
        if anchor and not link.image:
            return image_problems + _check_anchor(page, page, anchor, link)
        return image_problems
    uri = target_uri(page.uri, path)
    rule = "image-missing" if link.image else "link-missing"
    if uri.startswith("../") or uri == "..":
        return image_problems + [Finding.error(
            shown, line, rule, f"{what} '{_short(raw)}' points outside the site (docs/ and cases/); "
            "link to a page or file of the site", col)]
    if uri in site.files:
        target = site.pages.get(uri)
        if anchor and target is not None and not link.image:
            return image_problems + _check_anchor(page, target, anchor, link)
        return image_problems
    if not posixpath.splitext(path)[1]:
        index = posixpath.normpath(posixpath.join(uri, "index.md"))
        if index in site.files:
            fixed = posixpath.join(path.rstrip("/"), "index.md") + (f"#{anchor}" if anchor else "")
            return image_problems + [Finding.error(
                shown, line, rule, f"{what} '{_short(raw)}' points to a folder; link to its page file "
                f"'{fixed}' (MkDocs turns it into the right URL and can check it)", col)]
        if uri + ".md" in site.files:
            fixed = path.rstrip("/") + ".md" + (f"#{anchor}" if anchor else "")
            return image_problems + [Finding.error(
                shown, line, rule, f"{what} '{_short(raw)}' is not a file; link to the page file '{fixed}'", col)]
    return image_problems + [Finding.error(
        shown, line, rule,
        f"{what} '{_short(raw)}' points to '{uri}', which is not a page or file of the site"
        f"{_did_you_mean(uri, site.files, page.uri)}; check the name (it is case-sensitive)", col)]


def _check_anchor(page: Page, target: Page, anchor: str, link: Link) -> list[Finding]:
    anchors = target.anchors
    if anchor in anchors.ids:
        return []
    where = "this page" if target is page else f"'{target.uri}'"
    if anchor in anchors.hidden:
        message = (f"'#{anchor}' is a heading inside the answer on {where} (line {anchors.hidden[anchor]}); "
                   "headings there have no anchor, because it would give the diagnosis away in the URL; "
                   "link to '#answer' instead")
    else:
        suggestion = _did_you_mean(anchor, anchors.ids, None, prefix="#")
        listed = ", ".join(f"#{a}" for a in anchors.headings[:8])
        message = (f"link '{_short(link.target)}': {where} has no anchor '#{anchor}'{suggestion}"
                   + (f"; its headings are {listed}" if listed and not suggestion else ""))
    return [Finding.error(page.shown, link.line, "anchor-missing", message, link.col)]


def _did_you_mean(value: str, choices: Iterable[str], base: str | None, prefix: str = "") -> str:
    import difflib

    choices = list(choices)
    match = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    if not match:
        return ""
    shown = match[0]
    if base is not None:
        shown = posixpath.relpath(shown, posixpath.dirname(base) or ".")
    return f" (did you mean '{prefix}{shown}'?)"


def _relative_suggestion(src_uri: str, path: str) -> str:
    target = path.lstrip("/")
    if not posixpath.splitext(target)[1]:
        target = posixpath.join(target, "index.md") if target else "index.md"
    return posixpath.relpath(target, posixpath.dirname(src_uri) or ".")


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
