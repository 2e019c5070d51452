"""Raw HTML start tags in author text, found in one linear pass.

The source checks (links, ids, unsafe HTML) need each tag's name, its attributes
and where it starts, so that a finding names the author's line. A real HTML5
parser gives no source positions, and ``html.parser`` takes minutes on 10,000
unclosed ``<b`` fragments (it re-scans the rest of the text at every ``<``).
These patterns use possessive quantifiers, so no character is read more than a
bounded number of times: 100,000 hostile fragments take well under a second.
The published page is judged again with a real parser (``checks.output``); this
scan only lets the author hear about it at the right line, earlier.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

# A start tag as a browser tokenises it: a quoted value may hold '<' and '>', an
# unclosed quote or a missing '>' ends the tag at the next '<' or at the end.
_TAG_RE = re.compile(
    r"<(?P<name>[A-Za-z][^\s/>\"'<]*+)(?P<attrs>(?:[^<>\"']++|\"[^\"]*+\"|'[^']*+')*+)",
)
_ATTR_RE = re.compile(
    r"(?P<name>[^\s\"'>/=]++)(?:\s*+=\s*+(?:\"(?P<dq>[^\"]*+)\"|'(?P<sq>[^']*+)'|(?P<uq>[^\s>]++)))?",
)


@dataclass(frozen=True)
class Attribute:
    """One attribute of a raw HTML tag; `value` is decoded as a browser decodes it."""

    name: str
    value: str
    offset: int  # where the value (or, without one, the name) starts in the text


@dataclass(frozen=True)
class StartTag:
    """A raw HTML start tag: lower-case name, attributes in source order, offset of its '<'."""

    name: str
    attributes: tuple[Attribute, ...]
    offset: int

    def get(self, name: str) -> Attribute | None:
        """The first attribute called `name` (the one a browser keeps)."""
        return next((a for a in self.attributes if a.name == name), None)


def start_tags(text: str) -> Iterator[StartTag]:
    """Every start tag in `text`; code and comments should already be masked by the caller."""
    if "<" not in text:
        return
    for m in _TAG_RE.finditer(text):
        attributes = []
        base = m.start("attrs")
        for a in _ATTR_RE.finditer(m.group("attrs")):
            group = next((g for g in ("dq", "sq", "uq") if a.group(g) is not None), None)
            value = html.unescape(a.group(group)) if group else ""
            offset = base + (a.start(group) if group else a.start("name"))
            attributes.append(Attribute(a.group("name").lower(), value, offset))
        yield StartTag(m.group("name").lower(), tuple(attributes), m.start())
