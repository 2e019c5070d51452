"""HTML that Casebook composed itself passes through Python-Markdown as it is.

Facts, figures, the question, lists of cases and the site bibliography are
built as finished, escaped HTML. Given to Markdown as raw HTML blocks, every
tag of them would be parsed again by md_in_html (about a sixth of the time
Markdown takes for a case page, half of it for the generated pages). Wrapped
by `passthrough`, they are stored as they are by the Markdown extension
(`markdown_ext.PassthroughPreprocessor`). Without the extension the wrappers
are ordinary HTML comments and the HTML is rendered as raw HTML, so the page
is the same either way.
"""

from __future__ import annotations

from collections.abc import Callable

from casebook.text.masking import outside_fences

OPEN = "<!-- casebook:html -->"
CLOSE = "<!-- /casebook:html -->"


def passthrough(html: str) -> str:
    """`html` (complete, escaped, block-level) marked to pass through Markdown untouched."""
    return f"{OPEN}\n{html}\n{CLOSE}" if html else html


def stash_passthrough(lines: list[str], store: Callable[[str], str]) -> list[str]:
    """`lines` with each marked region replaced by `store(its HTML)`, a paragraph of its own.

    `store` is Python-Markdown's `htmlStash.store`, which returns the placeholder
    Markdown later swaps for the HTML. An unclosed marker is left as text.
    """
    if OPEN not in lines:
        return lines
    out: list[str] = []
    i = 0
    while i < len(lines):
        if lines[i] == OPEN:
            try:
                end = lines.index(CLOSE, i + 1)
            except ValueError:
                out.extend(lines[i:])
                break
            out += ["", store("\n".join(lines[i + 1 : end])), ""]
            i = end + 1
        else:
            out.append(lines[i])
            i += 1
    return out


def replace_marker(markdown: str, marker: str, html: str) -> str:
    """Put `html` (passed through) where `marker` stands alone on a line, outside fenced code.

    A marker quoted in running text or in a code example (as the docs do) is
    left as it is (fenced code is found by `casebook.text.masking`, as for every scanner).
    """
    if marker not in markdown:
        return markdown
    lines = markdown.split("\n")
    for index, line in outside_fences(lines):
        if line.rstrip() == marker:
            lines[index] = passthrough(html)
    return "\n".join(lines)
