"""Citations: `[@key]` in Markdown -> numbered AMA superscripts and a spoiler-safe bibliography.

`CitationExtension` renders them: an inline processor turns each group into a
`<sup>` of placeholders, and a late treeprocessor numbers the whole page. The
grammar (`CITE_RE`) and the scanner that finds citations in an author's source
without rendering (`scan_citations`) are in `casebook.references.citekeys`.

Numbering is spoiler-safe: references cited where the reader can see them are
numbered first (1..k, in order of first citation there) and listed at the end
of the page; references cited only inside the hidden answer continue the
numbering (k+1...) and are listed at the end of the answer, inside it. So the
visible list never shows a title that belongs to the answer, and its numbers
have no gaps that hint at hidden references.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

from casebook.references.ama import Segments, preview_text, reference_segments
from casebook.references.bibtex import Library
from casebook.references.citekeys import CITE_RE, inside_url, parse_items

ANSWER_CLASS = "casebook-answer"
REFERENCES_CLASS = "casebook-references"
CITE_CLASS = "casebook-cite"
GROUP_CLASS = "casebook-cites"


def format_locator(locator: str) -> str:
    """AMA page locators: `p. 12` -> `p12`, `pp. 3-5` -> `pp3-5`; anything else as written."""
    m = re.fullmatch(r"(pp?)\.?\s*(.+)", locator.strip())
    if m and re.fullmatch(r"[\w\s,–-]+", m.group(2)) and re.search(r"\d", m.group(2)):
        return m.group(1) + re.sub(r"\s*[–-]\s*", "-", m.group(2)).replace(" ", "")
    return locator.strip()


# --- Markdown extension ---------------------------------------------------------------------------


@dataclass
class PageCitations:
    """What the last rendered page cited: for the hooks (spoiler checks, site-wide page)."""

    visible: list[str] = field(default_factory=list)  # numbered 1..k, listed at the end of the page
    answer_only: list[str] = field(default_factory=list)  # numbered k+1..., listed inside the answer
    unknown: list[str] = field(default_factory=list)


class CitationInlineProcessor(InlineProcessor):
    """`[@a; @b]` -> `<sup class="casebook-cites">` with one placeholder link per key."""

    def __init__(self, pattern: str, md: Markdown, ext: CitationExtension) -> None:
        super().__init__(pattern, md)
        self.ext = ext

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        if inside_url(data, m.start()):
            return None, None, None
        sup = etree.Element("sup", {"class": GROUP_CLASS})
        for item in parse_items(m.group("items")):
            if item.key in self.ext.library:
                etree.SubElement(
                    sup,
                    "a",
                    {
                        "class": CITE_CLASS,
                        "href": f"#ref-{item.key}",
                        "data-casebook-key": item.key,
                        "data-casebook-locator": item.locator,
                    },
                )
            else:
                missing = etree.SubElement(sup, "span", {"class": "casebook-cite-unknown"})
                missing.text = f"[@{item.key}?]"
                self.ext.report_unknown(item.key)
        return sup, m.start(), m.end()


class CitationTreeprocessor(Treeprocessor):
    """Number the page's citations, collapse runs, add previews, bibliographies and backlinks."""

    def __init__(self, md: Markdown, ext: CitationExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        groups: list[tuple[etree.Element, etree.Element, bool]] = []  # (parent, sup, in_answer)
        answer: list[etree.Element] = []
        _collect(root, False, groups, answer)
        result = PageCitations(unknown=list(self.ext.unknown_on_page))
        self.ext.unknown_on_page.clear()
        if not groups:
            self.ext.last_page = result
            return

        def keys_in(hidden: bool) -> list[str]:
            return [
                a.get("data-casebook-key", "")
                for _, sup, h in groups
                if h == hidden
                for a in sup
                if a.get("data-casebook-key")
            ]

        visible = _unique(keys_in(False))
        answer_only = [k for k in _unique(keys_in(True)) if k not in visible]
        number = {key: i for i, key in enumerate(visible + answer_only, start=1)}
        result.visible, result.answer_only = visible, answer_only

        places: dict[str, list[tuple[str, bool]]] = {}
        for index, (parent, sup, hidden) in enumerate(groups, start=1):
            group_id = f"cite-{index}"
            items = [
                (
                    number[a.get("data-casebook-key", "")],
                    a.get("data-casebook-key", ""),
                    a.get("data-casebook-locator", ""),
                )
                for a in sup
                if a.get("data-casebook-key")
            ]
            unknown = [el for el in sup if el.get("class") == "casebook-cite-unknown"]
            for el in list(sup):
                sup.remove(el)
            sup.text = None
            if items:
                sup.set("id", group_id)
            for _, key, _ in items:
                if (group_id, hidden) not in places.setdefault(key, []):
                    places[key].append((group_id, hidden))
            self._render_group(sup, items, group_id)
            for el in unknown:
                sup.append(el)
            _strip_space_before(parent, sup)

        library = self.ext.library
        if visible:
            heading = etree.SubElement(root, "h2", {"id": "references", "class": "casebook-references-heading"})
            heading.text = self.ext.references_label
            self._render_list(root, visible, 1, places, library)
        if answer_only and answer:
            details = answer[0]
            heading = etree.SubElement(details, "h2", {"class": "casebook-references-heading"})
            heading.text = self.ext.references_label if not visible else self.ext.references_in_answer_label
            self._render_list(details, answer_only, len(visible) + 1, places, library)
        self.ext.last_page = result

    def _render_group(self, sup: etree.Element, items: list[tuple[int, str, str]], group_id: str) -> None:
        """`1-3,5`: runs of three or more consecutive numbers collapse; a locator breaks a run."""
        seen: set[tuple[int, str]] = set()
        ordered = []
        for item in sorted(items, key=lambda i: i[0]):
            if (item[0], item[2]) not in seen:
                seen.add((item[0], item[2]))
                ordered.append(item)
        runs: list[list[tuple[int, str, str]]] = []
        for item in ordered:
            run = runs[-1] if runs else None
            if run and not item[2] and not run[-1][2] and item[0] == run[-1][0] + 1:
                run.append(item)
            else:
                runs.append([item])
        last: etree.Element | None = None
        first = True

        def text(value: str) -> None:
            if last is None:
                sup.text = (sup.text or "") + value
            else:
                last.tail = (last.tail or "") + value

        for run in runs:
            shown = [run[0], run[-1]] if len(run) >= 3 else run
            for position, (num, key, locator) in enumerate(shown):
                if not first:
                    text("-" if len(run) >= 3 and position == 1 else ",")
                first = False
                last = self._cite(sup, num, key, locator, f"{group_id}-{num}")

    def _cite(self, sup: etree.Element, num: int, key: str, locator: str, tip_id: str) -> etree.Element:
        ref = self.ext.library[key]
        wrap = etree.SubElement(sup, "span", {"class": "casebook-cite-item"})
        link = etree.SubElement(wrap, "a", {"class": CITE_CLASS, "href": f"#ref-{key}", "aria-describedby": tip_id})
        link.text = str(num)
        # "3" alone says nothing to a screen reader: the link is named "Reference 3".
        link.set("aria-label", self.ext.cite_label.replace("{n}", str(num)))
        if locator:
            loc = etree.SubElement(wrap, "span", {"class": "casebook-cite-locator"})
            loc.text = f"({format_locator(locator)})"
        # `hidden` keeps the preview out of the text without CSS; the stylesheet shows it on hover
        # and keyboard focus, and aria-describedby lets screen readers announce it with the number.
        tip = etree.SubElement(
            wrap, "span", {"class": "casebook-cite-preview", "role": "tooltip", "id": tip_id, "hidden": "hidden"}
        )
        tip.text = preview_text(ref, self.ext.library.style)
        return wrap

    def _render_list(
        self,
        parent: etree.Element,
        keys: list[str],
        start: int,
        places: dict[str, list[tuple[str, bool]]],
        library: Library,
    ) -> None:
        attrs = {"class": REFERENCES_CLASS}
        if start != 1:
            attrs["start"] = str(start)
        ol = etree.SubElement(parent, "ol", attrs)
        for key in keys:
            li = etree.SubElement(ol, "li", {"id": f"ref-{key}"})
            append_segments(li, reference_segments(library[key], library.style))
            _backlinks(li, places.get(key, []), start + keys.index(key))


def _collect(
    el: etree.Element,
    in_answer: bool,
    groups: list[tuple[etree.Element, etree.Element, bool]],
    answer: list[etree.Element],
) -> None:
    """Citation groups in document order, each with its parent and whether it is in the answer."""
    for child in el:
        hidden = in_answer
        if child.tag == "details" and ANSWER_CLASS in (child.get("class") or "").split():
            hidden = True
            answer.append(child)
        if child.tag == "sup" and child.get("class") == GROUP_CLASS:
            groups.append((el, child, hidden))
            continue
        _collect(child, hidden, groups, answer)


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _strip_space_before(parent: etree.Element, sup: etree.Element) -> None:
    """AMA superscripts sit right after the word or punctuation: `in 1855 [@a].` -> `in 1855¹.`"""
    children = list(parent)
    index = children.index(sup)
    if index == 0:
        if parent.text:
            parent.text = parent.text.rstrip(" \t")
    else:
        previous = children[index - 1]
        if previous.tail:
            previous.tail = previous.tail.rstrip(" \t")


def _backlinks(li: etree.Element, places: list[tuple[str, bool]], number: int) -> None:
    """`↩` (one place) or `↩ a, b` (several), each back to the citation in the text."""
    if not places:
        return
    box = etree.SubElement(li, "span", {"class": "casebook-backlinks"})
    box.text = " "
    if len(places) == 1:
        group_id, hidden = places[0]
        a = etree.SubElement(
            box,
            "a",
            {
                "class": "casebook-backlink",
                "href": f"#{group_id}",
                "aria-label": f"Back to citation {number}" + (" (in the answer)" if hidden else ""),
            },
        )
        a.text = "↩"
        return
    box.text = " ↩ "
    last: etree.Element | None = None
    for i, (group_id, hidden) in enumerate(places):
        if last is not None:
            last.tail = ", "
        label = _letters(i)
        last = etree.SubElement(
            box,
            "a",
            {
                "class": "casebook-backlink",
                "href": f"#{group_id}",
                "aria-label": f"Back to citation {number}, place {label}" + (" (in the answer)" if hidden else ""),
            },
        )
        last.text = label


def _letters(index: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa (like footnote backlinks)."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(ord("a") + rem) + out
    return out


def append_segments(parent: etree.Element, segments: Segments) -> None:
    """Build the formatter's segments as elements (text stays text: the serializer escapes it)."""
    last: etree.Element | None = None
    for seg in segments:
        if seg.kind == "text":
            if last is None:
                parent.text = (parent.text or "") + seg.text
            else:
                last.tail = (last.tail or "") + seg.text
            continue
        if seg.kind == "title":
            last = etree.SubElement(parent, "cite")
        else:
            last = etree.SubElement(parent, "a", {"href": seg.href})
        last.text = seg.text


_SORTED_CITE_RE = re.compile(
    r'<a aria-describedby="([^"<>]*)" aria-label="([^"<>]*)" class="casebook-cite" href="([^"<>]*)">'
)


class CiteAttributeOrderPostprocessor(Postprocessor):
    """Python-Markdown writes attributes sorted; put class and href first, as the HTML contract shows.

    `<a class="casebook-cite" href="#ref-key" aria-describedby=... aria-label=...>` is what themes, tests and
    scripts match on, so it should not depend on the serializer's ordering.
    """

    def run(self, text: str) -> str:
        return _SORTED_CITE_RE.sub(r'<a class="casebook-cite" href="\3" aria-describedby="\1" aria-label="\2">', text)


class CitationExtension(Extension):
    """Python-Markdown extension: `CitationExtension(library=..., on_unknown=callback)`.

    The labels are the References headings (a site in another language translates them).
    """

    def __init__(
        self,
        library: Library | None = None,
        on_unknown: Callable[[str], None] | None = None,
        *,
        references_label: str = "References",
        references_in_answer_label: str = "References cited in the answer",
        cite_label: str = "Reference {n}",
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)
        self.library = library if library is not None else Library()
        self.on_unknown = on_unknown
        self.references_label = references_label
        self.references_in_answer_label = references_in_answer_label
        self.cite_label = cite_label
        self.unknown_on_page: list[str] = []
        self.last_page = PageCitations()

    def report_unknown(self, key: str) -> None:
        self.unknown_on_page.append(key)
        if self.on_unknown is not None:
            self.on_unknown(key)

    def extendMarkdown(self, md: Markdown) -> None:
        self.unknown_on_page = []
        self.last_page = PageCitations()
        # After backslash escapes (180) so `\[@a]` stays text; before links (160), which
        # would otherwise try `[@a]` as a reference link.
        md.inlinePatterns.register(CitationInlineProcessor(CITE_RE.pattern, md, self), "casebook-citations", 175)
        # After inline (20) and attr_list (8), before toc (5): the References heading joins the TOC,
        # and the answer's heading loses its id with the other answer headings (priority 4).
        md.treeprocessors.register(CitationTreeprocessor(md, self), "casebook-citations", 6)
        md.postprocessors.register(CiteAttributeOrderPostprocessor(md), "casebook-citations", 5)
