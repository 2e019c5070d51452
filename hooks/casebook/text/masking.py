"""What in a Markdown source is code or a comment: one answer for every scanner.

Casebook reads authors' sources without rendering them (markers, `/// blocks`,
citations, links, images, spoiler lint), and each reader must skip what Markdown
shows as code or hides: fenced code blocks, inline code spans and HTML comments.
They all ask this module, so they cannot disagree about where a fence ends.

- Fenced code (CommonMark, as pymdownx.superfences opens it): a line of three or
  more backticks or tildes, after any indentation (fences sit indented in
  admonitions and list items) and any `>` of a blockquote; a backtick fence's
  info string may not contain a backtick (```` ```x``` ```` is a code span).
  It is closed by a line of the same character, at least as long, with nothing
  but whitespace after it, at the same blockquote depth and indented at most
  three columns more than the opening line. A fence that is never closed runs to
  the end of the document (or of its blockquote: a non-blank line with fewer
  `>` ends it). A line like ```` ```not a close ```` inside a fence is code.
- Code spans: a run of N backticks up to the next run of exactly N backticks in
  the same paragraph (a blank line ends it); a backslash escapes the first
  backtick of an opening run; a run with no partner is literal text.
- HTML comments: `<!--` up to the next `-->` (or `--!>`), across lines, as a
  browser reads them (`<!-->` and `<!--->` are empty comments); one never
  closed is literal text (as Python-Markdown shows it).

Code spans and comments are found outside fenced code; whichever starts first
wins (a `<!--` in a code span is code, a backtick in a comment is comment).

Masking replaces every masked character by a space and keeps newlines, so line
and column numbers in the masked text are those of the source. Everything is
linear in the size of the input (no backtracking regex over unbounded text).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["code_spans", "fenced_lines", "mask", "outside_fences"]

#: A line that may open or close a fence: blockquote/indent prefix, the fence run, the rest.
_FENCE_RE = re.compile(r"(?P<prefix>[ \t>]*)(?P<fence>`{3,}|~{3,})(?P<rest>.*)", re.S)
_PREFIX_RE = re.compile(r"[ \t>]*")
_BACKTICKS_RE = re.compile(r"`+")
#: Lines that end a paragraph for code spans: empty, or only whitespace and `>`.
_BREAK_RE = re.compile(r"^[ \t>]*$", re.M)
_FRONT_OPEN_RE = re.compile(r"\A---[ \t]*\n")
_FRONT_CLOSE_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)
_NOT_NEWLINE_RE = re.compile(r"[^\n]+")

_TAB = 4


# --------------------------------------------------------------------------- fenced code


def _prefix(prefix: str) -> tuple[int, int]:
    """(blockquote depth, indentation in columns after the last `>`) of a line's leading `[ \\t>]*`."""
    quotes = indent = column = 0
    after_marker = False
    for char in prefix:
        if char == ">":
            quotes += 1
            indent = 0
            after_marker = True
            column += 1
            continue
        width = _TAB - column % _TAB if char == "\t" else 1
        column += width
        if after_marker and char == " ":  # the optional space after `>` belongs to the marker
            after_marker = False
            continue
        after_marker = False
        indent += width
    return quotes, indent


def _quote_depth(line: str) -> int:
    return _PREFIX_RE.match(line).group().count(">")  # type: ignore[union-attr]


def _fence_ranges(lines: Sequence[str], start: int = 0) -> list[tuple[int, int]]:
    """[first, end) line indexes of each fenced code block, fences included, in order."""
    ranges: list[tuple[int, int]] = []
    count = len(lines)
    i = start
    while i < count:
        opening = _FENCE_RE.match(lines[i])
        if opening is None or (opening.group("fence")[0] == "`" and "`" in opening.group("rest")):
            i += 1
            continue
        fence = opening.group("fence")
        quotes, indent = _prefix(opening.group("prefix"))
        j = i + 1
        while j < count:
            line = lines[j]
            if quotes and line.strip() and _quote_depth(line) < quotes:
                break  # the blockquote ended, and the fence with it; this line is not code
            j += 1
            closing = _FENCE_RE.match(line)
            if closing is None:
                continue
            run = closing.group("fence")
            if run[0] != fence[0] or len(run) < len(fence) or closing.group("rest").strip():
                continue
            close_quotes, close_indent = _prefix(closing.group("prefix"))
            if close_quotes == quotes and close_indent <= indent + 3:
                break
        ranges.append((i, j))
        i = j
    return ranges


def fenced_lines(lines: Sequence[str]) -> frozenset[int]:
    """Indexes of the lines (0-based) that are fences or inside fenced code."""
    return frozenset(index for first, end in _fence_ranges(lines) for index in range(first, end))


def outside_fences(lines: Sequence[str]) -> Iterator[tuple[int, str]]:
    """(index, line) of every line that is neither a code fence nor inside fenced code."""
    ranges = _fence_ranges(lines)
    position = 0
    for first, end in ranges + [(len(lines), len(lines))]:
        for index in range(position, first):
            yield index, lines[index]
        position = end


# --------------------------------------------------------------------------- spans and comments


def _comment_end(work: str, start: int) -> int:
    """Where the comment opened at `start` ends (exclusive), as a browser reads it; -1 if never.

    HTML5 ends `<!-->` and `<!--->` at once and also accepts `--!>`: `<!--> <img onerror=...> -->`
    is an empty comment and a live image to a browser, though Python-Markdown passes it on whole.
    """
    if work.startswith(">", start + 4):
        return start + 5
    if work.startswith("->", start + 4):
        return start + 6
    ends = [i for i in (work.find("-->", start + 4), work.find("--!>", start + 4)) if i != -1]
    if not ends:
        return -1
    first = min(ends)
    return first + (3 if work.startswith("-->", first) else 4)


def _escaped(text: str, index: int) -> bool:
    """True if the character at `index` follows an odd number of backslashes."""
    backslashes = 0
    while index - 1 - backslashes >= 0 and text[index - 1 - backslashes] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _inline(work: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(code spans, comments) of `work` (fenced code already blanked), as [start, end) offsets.

    One left-to-right pass: the earlier of the next `<!--` and the next backtick
    run decides. A run's partner is found through per-length lists of runs whose
    read positions only move forward, so unmatched runs cost nothing extra.
    """
    spans: list[tuple[int, int]] = []
    comments: list[tuple[int, int]] = []
    has_ticks = "`" in work
    has_comments = "<!--" in work
    if not has_ticks and not has_comments:
        return spans, comments
    runs = [(m.start(), m.end()) for m in _BACKTICKS_RE.finditer(work)] if has_ticks else []
    breaks = [m.start() for m in _BREAK_RE.finditer(work)] if runs else []
    paragraph = [bisect_right(breaks, start) for start, _ in runs]
    by_length: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(index)
    read = dict.fromkeys(by_length, 0)

    def partner(index: int, length: int) -> int | None:
        """The next run after `index` of exactly `length` backticks, in the same paragraph."""
        candidates = by_length.get(length)
        if not candidates:
            return None
        at = read[length]
        while at < len(candidates) and candidates[at] <= index:
            at += 1
        read[length] = at
        if at < len(candidates) and paragraph[candidates[at]] == paragraph[index]:
            return candidates[at]
        return None

    position = 0
    run = 0
    comment = work.find("<!--") if has_comments else -1
    while True:
        while run < len(runs) and runs[run][0] < position:
            run += 1
        if comment != -1 and comment < position:
            comment = work.find("<!--", position)
        if comment != -1 and (run >= len(runs) or comment < runs[run][0]):
            close = _comment_end(work, comment)
            if close == -1:  # never closed: literal text, and no later `<!--` can close either
                comment = -1
                continue
            comments.append((comment, close))
            position = close
            continue
        if run >= len(runs):
            break
        start, end = runs[run]
        opener = start + 1 if _escaped(work, start) else start
        closer = partner(run, end - opener) if end > opener else None
        if closer is None:
            position = end
            run += 1
            continue
        spans.append((opener, runs[closer][1]))
        position = runs[closer][1]
        run = closer + 1
    return spans, comments


# --------------------------------------------------------------------------- masking


@dataclass(frozen=True)
class _Layout:
    front_matter: tuple[tuple[int, int], ...]
    code: tuple[tuple[int, int], ...]
    spans: tuple[tuple[int, int], ...]
    comments: tuple[tuple[int, int], ...]


def _blank(text: str) -> str:
    return _NOT_NEWLINE_RE.sub(lambda m: " " * len(m.group()), text)


def _apply(text: str, ranges: Sequence[tuple[int, int]]) -> str:
    """`text` with every character in `ranges` (sorted by start, possibly overlapping) but newlines blanked."""
    if not ranges:
        return text
    out: list[str] = []
    done = 0
    for start, end in ranges:
        start = max(start, done)
        if end <= start:
            continue
        out.append(text[done:start])
        out.append(_blank(text[start:end]))
        done = end
    out.append(text[done:])
    return "".join(out)


def _front_matter_end(text: str) -> int:
    """Offset just after a leading YAML front matter block (`---` ... `---` or `...`), else 0."""
    opening = _FRONT_OPEN_RE.match(text)
    if opening is None:
        return 0
    closing = _FRONT_CLOSE_RE.search(text, opening.end())
    return closing.end() if closing else 0


def _find_layout(text: str, front_matter: bool) -> _Layout:
    front = _front_matter_end(text) if front_matter else 0
    code: list[tuple[int, int]] = []
    if "```" in text or "~~~" in text:
        lines = text.split("\n")
        starts = [0]
        for line in lines:
            starts.append(starts[-1] + len(line) + 1)
        first_line = text.count("\n", 0, front) + (1 if front else 0)
        for first, end in _fence_ranges(lines, first_line):
            code.append((starts[first], starts[end] - 1))  # up to the last line's end, not its newline
    fm = ((0, front),) if front else ()
    work = _apply(text, [*fm, *code])
    spans, comments = _inline(work)
    return _Layout(fm, tuple(code), tuple(spans), tuple(comments))


_layout = lru_cache(maxsize=16)(_find_layout)


@lru_cache(maxsize=32)
def mask(text: str, *, code: bool = True, spans: bool = True, comments: bool = True, front_matter: bool = False) -> str:
    """`text` with fenced code, code spans and/or HTML comments blanked, positions kept.

    `front_matter=True` also blanks a leading YAML front matter block (and never
    looks for code in it); give it whole files, not bodies. The last results are
    cached: several checks read the masked text of the same page in turn.
    """
    layout = _layout(text, front_matter)
    ranges = list(layout.front_matter)
    if code:
        ranges += layout.code
    if spans:
        ranges += layout.spans
    if comments:
        ranges += layout.comments
    ranges.sort()
    return _apply(text, ranges)


def code_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) offsets of the code spans of `text`, backticks included (outside fenced code)."""
    return list(_find_layout(text, False).spans)
