"""The ids a rendered page really has, read with an HTML parser."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser


def present_ids(html: str) -> set[str]:
    """Every `id` and `name` attribute value in `html` (a page's content).

    An id held back inside the answer (`data-casebook-id`) counts: the reader script follows links to it.
    """
    tree = LexborHTMLParser(f"<body>{html}</body>")
    found: set[str] = set()
    for node in tree.css("[id], [name], [data-casebook-id]"):
        for attr in ("id", "name", "data-casebook-id"):
            value = node.attributes.get(attr)
            if value:
                found.add(value)
    return found
