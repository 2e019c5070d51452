"""The links, images and script-running HTML written in a Markdown source.

Found in the source, not the rendered page, so that `casebook check` answers
in seconds; code, comments and front matter are masked first so that a link
shown as an example is not checked, and positions stay those of the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from casebook.text.htmltags import Attribute, start_tags
from casebook.text.masking import mask
from casebook.text.urls import SRCSET_ATTRIBUTES, URL_ATTRIBUTES, style_problem, unsafe_url

__all__ = ["Link", "extract_links", "mask_code", "unsafe_html"]

# `[text](dest "title")` and `![alt](dest)`; one level of nested brackets in the text.
_LINK_RE = re.compile(
    r"(?P<bang>!?)\[(?P<text>(?:[^\[\]\\]|\\.|\[(?:[^\[\]\\]|\\.)*\])*)\]"
    r"\(\s*(?P<dest><[^<>\n]*>|(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))*)"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)"
)
_REF_DEF_RE = re.compile(r"^ {0,3}\[(?P<label>[^\]\n]+)\]:[ \t]*(?P<dest><[^<>\n]*>|\S+)", re.M)
#: Raw HTML tags whose URL attribute is a link MkDocs leaves alone (only its scheme is checked).
_HTML_LINK_ATTRS = {
    "a": "href",
    "img": "src",
    "area": "href",
    "iframe": "src",
    "source": "src",
    "form": "action",
    "embed": "src",
    "object": "data",
}
#: An attr_list: `{: ... }` or `{ ... }` holding at least one `key=value` (Python-Markdown's attr_list).
_ATTR_LIST_RE = re.compile(r"\{:?(?P<attrs>[^{}\n=]*+=[^{}\n]*+)\}")
#: Tags that run or load active content whatever their attributes.
_UNSAFE_TAGS = frozenset({"script", "iframe", "object", "embed", "frame", "frameset", "base", "meta"})


def mask_code(text: str) -> str:
    """Blank out front matter, fenced code, code spans and HTML comments, keeping positions.

    Links, headings, ids and unsafe HTML are all looked for in the masked text of
    the same page one after the other; `masking.mask` caches the last results.
    """
    return mask(text, front_matter=True)


class _Positions:
    """Offset -> (line, col), both 1-based: findings point into the author's file."""

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
    found = _inline_links(masked, where) + _reference_definitions(masked, where)
    if "<" in masked:
        found += _html_links(masked, where)
    return sorted(found, key=lambda link: (link.line, link.col))


def _inline_links(masked: str, where: _Positions) -> list[Link]:
    """`[text](dest)` and `![alt](dest)`; an image keeps its alt text for the alt-text rule."""
    found: list[Link] = []
    for m in _LINK_RE.finditer(masked):
        dest, start = _destination(m.group("dest"), m.start("dest"))
        line, col = where(start)
        image = bool(m.group("bang"))
        found.append(Link(_unescape(dest), line, col, image=image, alt=_unescape(m.group("text")) if image else None))
    return found


def _reference_definitions(masked: str, where: _Positions) -> list[Link]:
    """`[label]: dest` lines, which are links too (footnote definitions `[^1]:` are not)."""
    found: list[Link] = []
    for m in _REF_DEF_RE.finditer(masked):
        if m.group("label").startswith("^"):  # a footnote definition, not a link
            continue
        dest, start = _destination(m.group("dest"), m.start("dest"))
        line, col = where(start)
        found.append(Link(_unescape(dest), line, col))
    return found


def _html_links(masked: str, where: _Positions) -> list[Link]:
    """`href`/`src`/... of raw HTML tags: only their scheme is checked, MkDocs leaves them alone."""
    found: list[Link] = []
    for tag in start_tags(masked):
        name = _HTML_LINK_ATTRS.get(tag.name)
        attribute = tag.get(name) if name else None
        if attribute is None:
            continue
        line, col = where(attribute.offset)
        found.append(Link(attribute.value, line, col, image=tag.name == "img", html=True))
    return found


def _destination(dest: str, start: int) -> tuple[str, int]:
    """A destination without its `<...>` brackets, and where it starts."""
    if dest.startswith("<"):
        return dest[1:-1], start + 1
    return dest, start


def _unescape(text: str) -> str:
    """Markdown backslash escapes removed: `\\_` in a link is `_` in the URL."""
    return re.sub(r"\\(.)", r"\1", text)


def unsafe_html(text: str, first_line: int = 1) -> list[tuple[int, int, str]]:
    """Raw HTML that would run script in the reader's browser: (line, col, what).

    Attribute values are decoded as a browser decodes them (entities, then control
    characters and whitespace in the scheme), with the output check's own rules
    (`checks.output`), so the author hears at the line what the build would refuse.
    """
    masked = mask_code(text)
    if "<" not in masked and "{" not in masked:
        return []
    where = _Positions(masked, first_line)
    out = []
    for tag in start_tags(masked):
        if tag.name in _UNSAFE_TAGS:
            out.append((*where(tag.offset), f"<{tag.name}>"))
            continue
        # The tag's own link attribute is judged as a link (link-unsafe) by _html_links.
        out += _unsafe_attributes(tag.attributes, tag.offset, where, skip=_HTML_LINK_ATTRS.get(tag.name))
    # attr_list (`{: onclick=... }`, `{ href=... }`) sets attributes on the element before it.
    for block in _ATTR_LIST_RE.finditer(masked):
        fake = next(iter(start_tags("<x " + block.group("attrs") + ">")), None)
        if fake is None:
            continue
        shift = block.start("attrs") - 3
        moved = [Attribute(a.name, a.value, a.offset + shift) for a in fake.attributes]
        out += _unsafe_attributes(moved, block.start(), where, skip=None, attr_list=True)
    return sorted(out)


def _unsafe_attributes(
    attributes: Iterable[Attribute], at: int, where: _Positions, skip: str | None, attr_list: bool = False
) -> list[tuple[int, int, str]]:
    """Event handlers, URL attributes with a scheme that runs, and styles that load one."""
    out = []
    via = " (set by an attr_list)" if attr_list else ""
    for attribute in attributes:
        name = attribute.name.lower()
        if name.startswith("on") and len(name) > 2:
            out.append((*where(at if not attr_list else attribute.offset), f"the {attribute.name}= attribute{via}"))
            break
        if name == "style" and (problem := style_problem(attribute.value)) is not None:
            out.append((*where(attribute.offset), f"the style= attribute loading {problem}{via}"))
        elif (name in URL_ATTRIBUTES or name in SRCSET_ATTRIBUTES) and name != skip:
            bad = unsafe_url(attribute.value, srcset=name in SRCSET_ATTRIBUTES)
            if bad is not None:
                out.append((*where(attribute.offset), f"the {name}= '{bad[:40]}'{via}"))
    return out
