"""Headings and ids in a Markdown source, named the way Python-Markdown's `toc` names them.

An `#anchor` link is right only if the rendered page will have that id, so the
heading text is reduced to what `toc` slugifies (inline Markdown removed, code
spans kept) and de-duplicated with `_1`, `_2` exactly as `toc` does.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from casebook.checks.links.extract import mask_code
from casebook.text.htmltags import start_tags
from casebook.text.masking import code_spans

__all__ = ["Heading", "explicit_ids", "find_headings", "heading_text", "html_ids", "unique_id"]

_ATTR_LIST_ID_RE = re.compile(r"\{:?[ \t]*(?:[^{}\n]*?[ \t])?#(?P<id>[^\s{}#.]+)[^{}\n]*\}")
# Python-Markdown's own patterns (HashHeaderProcessor, SetextHeaderProcessor): no leading spaces,
# no space needed after the hashes, closing hashes dropped.
_ATX_RE = re.compile(r"^(?P<hashes>#{1,6})(?P<text>(?:\\.|[^\\])*?)#*$")
_SETEXT_RE = re.compile(r"^(?:=+|-+)[ ]*$")
_TRAILING_ATTR_RE = re.compile(r"[ \t]*\{:?[ \t]*(?P<attrs>[^{}\n]*)\}[ \t]*$")
#: Lines that look like a setext title but open something else (HTML, a table, a block).
_NOT_SETEXT_TITLE = ("<", "|", "///", "!!!", "???")

_IMAGE_RE = re.compile(r"!\[(?:[^\[\]]|\[[^\[\]]*\])*\]\([^)]*\)")
_MD_LINK_TEXT_RE = re.compile(r"\[(?P<text>(?:[^\[\]]|\[[^\[\]]*\])*)\](?:\([^)]*\)|\[[^\]]*\])")
_AUTOLINK_RE = re.compile(r"<(?P<url>(?:[a-z][a-z0-9+.-]*:|www\.)[^>\s]*)>", re.I)
_TAG_RE = re.compile(r"</?[a-zA-Z][^<>]*+>")
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
    """One heading of a source file, before toc names it."""

    line: int  # line of the source file
    text: str
    explicit_id: str | None  # from `{#id}`


def find_headings(text: str, first_line: int = 1, skip: Iterable[tuple[int, int]] = ()) -> list[Heading]:
    """ATX and setext headings outside code; `skip` holds (start, end) source lines to ignore."""
    lines = mask_code(text).split("\n")
    raw_lines = text.split("\n")
    skipped = list(skip)
    out: list[Heading] = []
    for i, line in enumerate(lines):
        number = first_line + i
        if any(a <= number <= b for a, b in skipped) or not line.strip():
            continue
        title = _title(lines, raw_lines[i] if i < len(raw_lines) else line, i)
        if title is not None:
            title, explicit = _split_attrs(title)
            out.append(Heading(number, title.strip(), explicit))
    return out


def _title(lines: list[str], source: str, i: int) -> str | None:
    """The title written on masked line `i` if it is a heading; `source` is that line unmasked."""
    line = lines[i]
    if _ATX_RE.match(line):
        # The unmasked line, so that code spans keep their text.
        return (_ATX_RE.match(source) or _ATX_RE.match(line)).group("text")  # type: ignore[union-attr]
    if (
        i + 1 < len(lines)
        and _SETEXT_RE.match(lines[i + 1])
        and (i == 0 or not lines[i - 1].strip() or _ATX_RE.match(lines[i - 1]))
        and not line.lstrip().startswith(_NOT_SETEXT_TITLE)
    ):
        return source
    return None


def _split_attrs(title: str) -> tuple[str, str | None]:
    """A title without its trailing `{: #id .class}`, and the id it sets (attr_list)."""
    am = _TRAILING_ATTR_RE.search(title)
    if not am:
        return title, None
    id_match = re.search(r"(?:^|\s)#([^\s#.}]+)", am.group("attrs"))
    return title[: am.start()], id_match.group(1) if id_match else None


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
    return {a.value for tag in start_tags(masked) for a in tag.attributes if a.name in ("id", "name") and a.value}
