"""Raw HTML in a case body that would carry the answer out of its container.

The answer is a `<details>` element. An author's stray `</details>` (or
`</div>`, `</section>`…) closes it early in the browser, and an unclosed
`<textarea>`, `<title>` or `<xmp>` turns the rest of the page, answer
included, into visible text; either way the diagnosis shows before the reveal.
The published page is checked again (`checks.output`); this finds the line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from casebook.text.htmltags import start_tags

#: Elements that hold (or sit around) the answer's `<details>`: closing one the author never opened
#: closes the answer, or its parents, in the browser.
_CONTAINERS = frozenset({"details", "summary", "div", "section", "article", "main", "aside", "body", "html"})
#: Elements whose content is raw text up to their end tag: unclosed, they swallow the rest of the page.
_RAW_TEXT = frozenset({"textarea", "title", "style", "script", "xmp", "iframe", "noembed", "noframes", "noscript"})
_END_TAG_RE = re.compile(r"</(?P<name>[A-Za-z][\w-]*+)[^<>]*+>?")
#: `<name` (then a space, `/` or the end) that reaches the next `<`, or the end, without a `>`.
_UNCLOSED_START_RE = re.compile(r"<(?P<name>[A-Za-z][\w-]*+)(?=[\s/]|$)[^<>]*+(?=<|$)")


def unclosed_start_tags(masked: str) -> tuple[int, str] | None:
    """(offset, message) for the first start tag never closed by `>`, counting the others.

    Such fragments are typos to a reader, and Python-Markdown's raw-HTML parser
    takes time quadratic in their number (100,000 of them is a build that never
    ends), so they are refused before rendering.
    """
    if "<" not in masked:
        return None
    found = _UNCLOSED_START_RE.finditer(masked)
    first = next(found, None)
    if first is None:
        return None
    more = sum(1 for _ in found)
    others = f" (and {more:,} more like it)" if more else ""
    return (
        first.start(),
        f"'<{first.group('name')}' starts an HTML tag that is never closed with '>'{others}; close the tag, "
        "or write &lt; for a '<' meant as text",
    )


def unbalanced_html(masked: str) -> Iterator[tuple[int, str]]:
    """(offset, message) for each stray container end tag and each unclosed raw-text element.

    `masked` is the case body with code and comments blanked (`text.masking`),
    positions kept; one linear pass over the tags.
    """
    if "<" not in masked:
        return
    lower = masked.lower()
    events: list[tuple[int, str, str]] = [
        (m.start(), "end", m.group("name").lower()) for m in _END_TAG_RE.finditer(masked)
    ]
    events += [(tag.offset, "start", tag.name) for tag in start_tags(masked) if tag.name in _CONTAINERS | _RAW_TEXT]
    events.sort()
    open_count: dict[str, int] = {}
    skip_to = -1
    for offset, kind, name in events:
        if offset < skip_to:
            continue
        if kind == "start" and name in _RAW_TEXT:
            close = lower.find(f"</{name}", offset)
            if close < 0:
                yield (
                    offset,
                    (
                        f"<{name}> is never closed: a browser shows everything after it, the answer included, "
                        f"as its text; add </{name}> or remove the tag"
                    ),
                )
                return
            skip_to = close + 1
        elif kind == "start":
            open_count[name] = open_count.get(name, 0) + 1
        elif name in _CONTAINERS:
            if open_count.get(name, 0) == 0:
                yield (
                    offset,
                    (
                        f"</{name}> closes an element this text never opened: in the browser it closes the answer "
                        "(or its page) early and shows the rest before the reveal; remove it"
                    ),
                )
            else:
                open_count[name] -= 1
