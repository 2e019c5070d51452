"""The `#anchors` a page will have once rendered, computed from its Markdown source.

Ordinary pages get toc's heading ids plus explicit and raw-HTML ids. Case
pages also get the ids Casebook's composition adds (`the-case`, `answer`,
`figure-N`, `references`, `ref-<key>`), and their headings inside the answer
get none (an id there would be a spoiler in the URL and the table of
contents): those are kept apart so a link to one can say what to link to.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from markdown.extensions.toc import slugify

from casebook.cases.etiology import BLOCK_NAME as ETIOLOGY_BLOCK
from casebook.checks.links.headings import Heading, explicit_ids, find_headings, heading_text, html_ids, unique_id
from casebook.text.blocks import scan_blocks

__all__ = ["Anchors", "case_anchors", "doc_anchors"]


@dataclass
class Anchors:
    """The anchors a page has, and the headings that deliberately have none (inside the answer)."""

    ids: set[str] = field(default_factory=set)
    hidden: dict[str, int] = field(default_factory=dict)  # would-be id -> line of a heading inside the answer
    headings: list[str] = field(default_factory=list)  # the ids of headings, in order (for suggestions)

    def add_headings(self, headings: Iterable[Heading], used: set[str]) -> None:
        """Name `headings` in order, as toc does, and keep their ids."""
        for heading in headings:
            anchor = _heading_id(heading, used)
            self.ids.add(anchor)
            self.headings.append(anchor)

    def hide_headings(self, headings: Iterable[Heading], used: set[str]) -> None:
        """Name `headings` (they still take part in de-duplication), then withhold their ids."""
        for heading in headings:
            anchor = _heading_id(heading, used)
            self.ids.discard(anchor)
            self.hidden.setdefault(anchor, heading.line)


def _heading_id(heading: Heading, used: set[str]) -> str:
    """The id toc gives `heading`: its `{#id}`, else its slug made unique among `used`."""
    return heading.explicit_id or unique_id(slugify(heading_text(heading.text), "-"), used)


def doc_anchors(text: str) -> Anchors:
    """Anchors of an ordinary page in docs/."""
    used = explicit_ids(text)
    result = Anchors(ids=set(used) | html_ids(text))
    result.add_headings(find_headings(text), used)
    return result


def case_anchors(
    body: str,
    body_line: int,
    answer: tuple[int, int] | None,
    figures: int,
    visible_refs: Iterable[str] = (),
    answer_refs: Iterable[str] = (),
) -> Anchors:
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
    raw_blocks = [
        (body_line - 1 + b.start, body_line - 1 + b.end)
        for b in scan_blocks(body)
        if b.name == ETIOLOGY_BLOCK and b.end is not None
    ]
    headings = find_headings(body, body_line, skip=raw_blocks)
    result.add_headings((h for h in headings if answer is None or h.line < answer[0]), used)
    if answer is not None:
        result.hide_headings((h for h in headings if answer[0] <= h.line <= answer[1]), used)
    if answer_refs:  # the heading of the answer's own reference list takes its slug
        title = "References cited in the answer" if visible_refs else "References"
        unique_id(slugify(title, "-"), used)
    if answer is not None:
        result.add_headings((h for h in headings if h.line > answer[1]), used)
    return result
