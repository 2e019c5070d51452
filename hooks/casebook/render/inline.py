"""A short author text (an etiology table cell) as inline HTML: emphasis, strong and code only.

The generated browse pages show cells outside Python-Markdown's own pass (they are
composed HTML), so `*Synthetic polka-dot erythema*` would show its asterisks. The text
is HTML-escaped first, so raw HTML stays text; links and images are not made (a cell's
links belong to the case page, where the link rules check them).
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape

from markdown import Markdown

#: Python-Markdown's inline patterns that are dropped: links, images, raw HTML, entities, line breaks.
_DROPPED_INLINE = (
    "reference",
    "link",
    "image_link",
    "image_reference",
    "short_reference",
    "short_image_ref",
    "autolink",
    "automail",
    "linebreak",
    "html",
    "entity",
)
#: Every block parser but the paragraph: "1. ", "# ", "> " at the start of a cell are not blocks.
_DROPPED_BLOCKS = (
    "empty",
    "indent",
    "code",
    "hashheader",
    "setextheader",
    "hr",
    "olist",
    "ulist",
    "quote",
    "reference",
)
_PARAGRAPH_RE = re.compile(r"^<p>(.*)</p>$", re.S)


def _markdown() -> Markdown:
    md = Markdown(extensions=[])
    for name in _DROPPED_INLINE:
        md.inlinePatterns.deregister(name, strict=False)
    for name in _DROPPED_BLOCKS:
        md.parser.blockprocessors.deregister(name, strict=False)
    return md


_MD = _markdown()


#: The characters the inline patterns kept above start with (code, escapes, emphasis).
_MARKUP_CHARS = re.compile(r"[`\\*_]")


@lru_cache(maxsize=16384)
def inline_html(text: str) -> str:
    """`text`'s inline Markdown as HTML, on one line; anything else stays escaped text.

    Cached, and plain text (no character an inline pattern starts with) is only escaped: the
    etiology index shows thousands of cells, most of them plain, and most of them repeated.
    """
    plain = escape(" ".join(text.split()), quote=False)
    if not _MARKUP_CHARS.search(plain):
        return plain
    _MD.reset()
    html = _MD.convert(plain)
    match = _PARAGRAPH_RE.match(html)
    return match.group(1) if match else html
