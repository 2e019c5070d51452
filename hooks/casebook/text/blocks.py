"""Find `/// name` blocks (pymdownx.blocks syntax) in a case body, with line numbers.

The Markdown extensions render the blocks; this scanner exists so that the
build and `casebook check` can validate them and point at the right line
before any rendering happens. Fenced code is skipped, as Markdown would.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_OPEN_RE = re.compile(r"^(?P<fence>/{3,})[ \t]*(?P<name>[A-Za-z][\w-]*)[ \t]*(?:\|[ \t]*(?P<arg>.*?))?[ \t]*$")
_CLOSE_RE = re.compile(r"^(?P<fence>/{3,})[ \t]*$")


def outside_fences(lines: list[str]) -> Iterator[tuple[int, str]]:
    """(index, line) of every line that is neither a code fence nor inside fenced code."""
    fence: str | None = None
    for index, line in enumerate(lines):
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            continue
        if m := _FENCE_RE.match(line):
            fence = m.group(1)
            continue
        yield index, line


@dataclass
class SourceBlock:
    """A `/// name | argument` ... `///` block; lines are 1-based lines of the body."""

    name: str
    argument: str
    start: int  # line of the opening `/// name`
    end: int | None  # line of the closing `///`, None when never closed
    content: str = ""  # the raw lines between the opening and closing lines
    parent: "SourceBlock | None" = None


def scan_blocks(body: str) -> list[SourceBlock]:
    """Return every block in document order (nested ones too, with `parent` set)."""
    lines = body.split("\n")
    found: list[SourceBlock] = []
    stack: list[tuple[SourceBlock, str]] = []
    fence: str | None = None
    for number, line in enumerate(lines, start=1):
        if fence is not None:
            stripped = line.strip()
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = None
            continue
        if m := _FENCE_RE.match(line):
            fence = m.group(1)
            continue
        close = _CLOSE_RE.match(line)
        if close and stack and len(close.group("fence")) == len(stack[-1][1]):
            block, _ = stack.pop()
            block.end = number
            block.content = "\n".join(lines[block.start:number - 1]) + "\n"
            continue
        if opened := _OPEN_RE.match(line):
            block = SourceBlock(opened.group("name"), (opened.group("arg") or "").strip(), number, None,
                                parent=stack[-1][0] if stack else None)
            found.append(block)
            stack.append((block, opened.group("fence")))
    return found


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

    def height(block: SourceBlock) -> int:
        children = [b for b in blocks if b.parent is block]
        return 1 + max((height(c) for c in children), default=0)

    for block in blocks:
        fence = "/" * (2 + height(block))
        opening = lines[block.start - 1]
        lines[block.start - 1] = fence + opening.lstrip("/")
        lines[block.end - 1] = fence  # type: ignore[index]
    return "\n".join(lines)
