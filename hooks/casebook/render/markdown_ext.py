"""Python-Markdown extension for case pages: the answer reveal and the etiology table.

Written against Python-Markdown and pymdownx.blocks only (no MkDocs), so the
same extension works under any site generator that uses Python-Markdown.
Enable it as `casebook.markdown_ext` in `markdown_extensions`.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as etree
from html import escape
from typing import Any, ClassVar

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from pymdownx.blocks import BlocksExtension
from pymdownx.blocks.block import Block, type_string

from casebook.cases.etiology import BLOCK_NAME as ETIOLOGY_BLOCK
from casebook.cases.etiology import parse_table
from casebook.text.blocks import normalise_fences
from casebook.text.rawhtml import stash_passthrough

log = logging.getLogger("mkdocs.plugins.casebook.markdown")

ANSWER_CLASS = "casebook-answer"
ETIOLOGY_CLASS = "casebook-etiology"
PRINT_LABEL = "Answer"
SAFE_SCHEME_RE = re.compile(r"^(?:https?:|mailto:|#|/|\.|[^:/?#]*(?:[/?#]|$))", re.I)


class AnswerBlock(Block):
    """`/// answer`: a <details> the reader opens; excluded from Material's search index."""

    NAME = "answer"
    ARGUMENT = None
    OPTIONS: ClassVar[dict[str, list[Any]]] = {"summary": ["", type_string]}
    #: Set per Markdown instance by CasebookBlocksExtension (the site's labels).
    reveal_label = "Show the answer"
    hide_label = "Hide the answer"
    print_label = PRINT_LABEL

    def on_create(self, parent: etree.Element) -> etree.Element:
        details = etree.SubElement(
            parent,
            "details",
            {
                "class": f"{ANSWER_CLASS} success",
                "id": "answer",
                "data-search-exclude": "",
            },
        )
        summary = etree.SubElement(details, "summary")
        # On paper there is nothing to click: the print stylesheet swaps the label for "Answer".
        label = etree.SubElement(summary, "span", {"class": "casebook-reveal-label"})
        label.text = self.argument or self.options["summary"] or self.reveal_label
        # Shown instead while the answer is open (CSS only, so it works without JavaScript).
        hide = etree.SubElement(summary, "span", {"class": "casebook-hide-label"})
        hide.text = self.hide_label
        printed = etree.SubElement(summary, "span", {"class": "casebook-print-label", "hidden": "hidden"})
        printed.text = self.print_label
        return details


class EtiologyTableBlock(Block):
    """`/// etiology-table | Caption`: YAML rows rendered as an accessible table."""

    NAME = ETIOLOGY_BLOCK
    ARGUMENT = None

    def on_markdown(self) -> str:
        return "raw"

    def on_create(self, parent: etree.Element) -> etree.Element:
        return etree.SubElement(parent, "div", {"class": "casebook-table-wrapper"})

    def on_end(self, block: etree.Element) -> None:
        content = str(block.text or "")
        block.text = None
        table, findings = parse_table(self.argument or "", content)
        if table is None:
            # The build already reported the error with its file and line (cases.load_case).
            p = etree.SubElement(block, "p", {"class": "casebook-error"})
            p.text = f"This table could not be read: {findings[0].message if findings else 'invalid data'}"
            return
        el = etree.SubElement(block, "table", {"class": ETIOLOGY_CLASS})
        caption = etree.SubElement(el, "caption")
        caption.text = _markdown_text(table.caption)
        head = etree.SubElement(etree.SubElement(el, "thead"), "tr")
        for column in table.columns:
            th = etree.SubElement(head, "th", {"scope": "col"})
            th.text = _markdown_text(column)
        body = etree.SubElement(el, "tbody")
        for row in table.rows:
            tr = etree.SubElement(body, "tr")
            for index, cell in enumerate(row):
                td = etree.SubElement(tr, "th" if index == 0 else "td", {"scope": "row"} if index == 0 else {})
                td.text = _markdown_text(cell)


def _markdown_text(text: str) -> str:
    """Cell text keeps its Markdown (emphasis, citations) but never its raw HTML."""
    return escape(text, quote=False)


class AnswerHeadingsTreeprocessor(Treeprocessor):
    """Headings inside the answer lose their ids and TOC entries: both are visible pre-reveal."""

    def run(self, root: etree.Element) -> None:
        removed: set[str] = set()
        for details in root.iter("details"):
            if ANSWER_CLASS not in details.get("class", "").split():
                continue
            for el in details.iter():
                if el.tag in {"h1", "h2", "h3", "h4", "h5", "h6"} and "id" in el.attrib:
                    removed.add(el.attrib.pop("id"))
                    for link in [a for a in el if a.tag == "a" and "headerlink" in a.get("class", "")]:
                        el.remove(link)
        if removed and hasattr(self.md, "toc_tokens"):
            self.md.toc_tokens = _prune(self.md.toc_tokens, removed)


def _prune(tokens: list[dict[str, Any]], removed: set[str]) -> list[dict[str, Any]]:
    kept = []
    for token in tokens:
        if token.get("id") in removed:
            continue
        kept.append({**token, "children": _prune(token.get("children", []), removed)})
    return kept


#: Where an id inside the answer is kept until the reader opens it (casebook-reader.js reads it).
HELD_ID = "data-casebook-id"
HELD_DESCRIBEDBY = "data-casebook-describedby"


class AnswerIdsTreeprocessor(Treeprocessor):
    """No element inside the answer has an id: a URL fragment naming it would open the answer.

    Browsers open a closed `<details>` when a link's fragment (`#figure-2`, `#ref-key`, `#cite-3`)
    targets something inside it, with or without JavaScript. The ids are kept as `data-casebook-id`
    (and `aria-describedby` as `data-casebook-describedby`); the reader script follows in-answer
    links without changing the URL and gives the citation previews their ids back after load.
    """

    def run(self, root: etree.Element) -> None:
        for details in root.iter("details"):
            if ANSWER_CLASS not in details.get("class", "").split():
                continue
            for el in details.iter():
                if el is details:
                    continue
                if "id" in el.attrib:
                    el.set(HELD_ID, el.attrib.pop("id"))
                if "aria-describedby" in el.attrib:
                    el.set(HELD_DESCRIBEDBY, el.attrib.pop("aria-describedby"))


class GalleryTreeprocessor(Treeprocessor):
    """Put every body image in the same lightbox gallery as the figures around it.

    GLightbox opens the wrong image (the first figure's) when a page mixes images with a
    `data-gallery` and images without one; mkdocs-glightbox copies an image's `data-gallery`
    to its zoom link. Images in the answer get the answer's gallery, so "next" before the
    reveal never shows one of them.
    """

    def run(self, root: etree.Element) -> None:
        in_answer: set[int] = set()
        for details in root.iter("details"):
            if ANSWER_CLASS in details.get("class", "").split():
                in_answer.update(id(el) for el in details.iter("img"))
        for img in root.iter("img"):
            if "data-gallery" not in img.attrib:
                img.set("data-gallery", "casebook-answer" if id(img) in in_answer else "casebook-case")


class SafeLinksTreeprocessor(Treeprocessor):
    """Drop `javascript:`, `data:` and other script-capable URLs from links and images."""

    def run(self, root: etree.Element) -> None:
        for el in root.iter():
            attr = {"a": "href", "img": "src"}.get(el.tag) if isinstance(el.tag, str) else None
            value = el.get(attr) if attr else None
            if value is None or SAFE_SCHEME_RE.match(value.strip()):
                continue
            # Reported at its line by the source rule `link-unsafe` (and the output check judges the
            # page); a warning here would name no file, line or rule.
            log.debug("Removed an unsafe link target %r", value[:60])
            # Keep the words, lose the link: the element becomes plain text.
            alt = el.get("alt", "")
            el.attrib.clear()
            if el.tag == "img":
                el.text = alt
            el.tag = "span"


class NestedFencesPreprocessor(Preprocessor):
    """Let authors close nested blocks with plain `///` (pymdownx.blocks wants longer outer fences)."""

    def run(self, lines: list[str]) -> list[str]:
        return normalise_fences("\n".join(lines)).split("\n")


class PassthroughPreprocessor(Preprocessor):
    """Store HTML that Casebook composed (see `rawhtml`) as it is, instead of parsing it again."""

    def run(self, lines: list[str]) -> list[str]:
        return stash_passthrough(lines, self.md.htmlStash.store)


class CasebookBlocksExtension(BlocksExtension):
    def __init__(self, reveal_label: str, print_label: str, hide_label: str = AnswerBlock.hide_label) -> None:
        super().__init__()
        # A subclass per site, so two sites' labels never mix in one process.
        self.answer_block = type(
            "AnswerBlock",
            (AnswerBlock,),
            {"reveal_label": reveal_label, "print_label": print_label, "hide_label": hide_label},
        )

    def extendMarkdownBlocks(self, md: Markdown, block_mgr: Any) -> None:
        block_mgr.register(self.answer_block, {})
        block_mgr.register(EtiologyTableBlock, {})


class CasebookExtension(Extension):
    """The answer reveal, the etiology table, composed HTML passed through, answer-safe TOC and link safety.

    Options: `reveal_label` (the answer's summary, "Show the answer"), `hide_label`
    (the summary of an open answer, "Hide the answer") and `print_label` (what paper
    shows instead, "Answer").
    """

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "reveal_label": ["Show the answer", "the summary of a closed answer"],
            "hide_label": [AnswerBlock.hide_label, "the summary of an open answer"],
            "print_label": [PRINT_LABEL, "the answer's heading on paper"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtensions(
            [
                CasebookBlocksExtension(
                    self.getConfig("reveal_label"), self.getConfig("print_label"), self.getConfig("hide_label")
                )
            ],
            {},
        )
        # After whitespace normalisation (30), before superfences stashes code (25): the scanner skips code itself.
        md.preprocessors.register(NestedFencesPreprocessor(md), "casebook-nested-fences", 28)
        # After fenced code is stashed (25) and MkDocs has collected the raw HTML's ids (21),
        # before md_in_html parses raw HTML (20).
        md.preprocessors.register(PassthroughPreprocessor(md), "casebook-passthrough", 20.5)
        # toc runs at priority 5; ours run after it so its ids and tokens exist.
        md.treeprocessors.register(AnswerHeadingsTreeprocessor(md), "casebook-answer-headings", 4)
        # After the citations (6) have numbered their groups and previews.
        md.treeprocessors.register(AnswerIdsTreeprocessor(md), "casebook-answer-ids", 3.5)
        md.treeprocessors.register(SafeLinksTreeprocessor(md), "casebook-safe-links", 3)
        md.treeprocessors.register(GalleryTreeprocessor(md), "casebook-galleries", 2.9)


def makeExtension(**kwargs: Any) -> CasebookExtension:
    return CasebookExtension(**kwargs)
