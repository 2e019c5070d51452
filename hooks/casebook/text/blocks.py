"""Find `/// name` blocks (pymdownx.blocks syntax) in a case body, with line numbers.

The Markdown extensions render the blocks; this scanner exists so that the
build and `casebook check` can validate them and point at the right line
before any rendering happens. Fenced code is skipped, as Markdown would
(`casebook.text.masking` decides where it is, for every scanner).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from casebook.text.masking import fenced_lines, outside_fences

__all__ = ["MAX_BLOCK_DEPTH", "SourceBlock", "depth", "normalise_fences", "outside_fences", "scan_blocks"]

_OPEN_RE = re.compile(r"^(?P<fence>/{3,})[ \t]*(?P<name>[A-Za-z][\w-]*)[ \t]*(?:\|[ \t]*(?P<arg>.*?))?[ \t]*$")
_CLOSE_RE = re.compile(r"^(?P<fence>/{3,})[ \t]*$")


@dataclass
class SourceBlock:
    """A `/// name | argument` ... `///` block; lines are 1-based lines of the body."""

    name: str
    argument: str
    start: int  # line of the opening `/// name`
    end: int | None  # line of the closing `///`, None when never closed
    content: str = ""  # the raw lines between the opening and closing lines
    parent: SourceBlock | None = None


def scan_blocks(body: str) -> list[SourceBlock]:
    """Return every block in document order (nested ones too, with `parent` set)."""
    lines = body.split("\n")
    found: list[SourceBlock] = []
    stack: list[tuple[SourceBlock, str]] = []
    code = fenced_lines(lines)
    for number, line in enumerate(lines, start=1):
        if number - 1 in code:
            continue
        close = _CLOSE_RE.match(line)
        if close and stack and len(close.group("fence")) == len(stack[-1][1]):
            block, _ = stack.pop()
            block.end = number
            block.content = "\n".join(lines[block.start : number - 1]) + "\n"
            continue
        if opened := _OPEN_RE.match(line):
            block = SourceBlock(
                opened.group("name"),
                (opened.group("arg") or "").strip(),
                number,
                None,
                parent=stack[-1][0] if stack else None,
            )
            found.append(block)
            stack.append((block, opened.group("fence")))
    return found


#: Deeper nesting is refused with a located error (`block-nested-too-deep`): the Markdown
#: extensions recurse once per level, and no case needs more than a few.
MAX_BLOCK_DEPTH = 12


def depth(block: SourceBlock) -> int:
    """How many blocks contain `block`, itself included."""
    level = 1
    while block.parent is not None:
        block, level = block.parent, level + 1
    return level


def normalise_fences(body: str) -> str:
    """Give each block a fence longer than every block nested in it.

    Authors nest blocks naturally (`/// etiology-table` inside `/// answer`,
    each closed by `///`); pymdownx.blocks needs the outer fence to be longer.
    The scanner already paired openings with closings, so rewrite by depth.
    Lines keep their numbers.
    """
    blocks = [b for b in scan_blocks(body) if b.end is not None]
    if not any(b.parent is not None for b in blocks):
        return body
    lines = body.split("\n")
    # Children come after their parent in document order: one pass from the end gives every height,
    # without recursion (a hostile body may nest thousands of blocks).
    heights: dict[int, int] = {}
    for block in reversed(blocks):
        mine = heights.setdefault(id(block), 1)
        if block.parent is not None:
            heights[id(block.parent)] = max(heights.get(id(block.parent), 1), mine + 1)

    for block in blocks:
        fence = "/" * (2 + heights[id(block)])
        opening = lines[block.start - 1]
        lines[block.start - 1] = fence + opening.lstrip("/")
        assert block.end is not None  # only closed blocks are rewritten
        lines[block.end - 1] = fence
    return "\n".join(lines)
