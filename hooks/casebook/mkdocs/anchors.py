"""The ids a rendered page really has, read with an HTML parser."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser


def present_ids(html: str) -> set[str]:
    """Every `id` and `name` attribute value in `html` (a page's content)."""
    tree = LexborHTMLParser(f"<body>{html}</body>")
    found: set[str] = set()
    for node in tree.css("[id], [name]"):
        for attr in ("id", "name"):
            value = node.attributes.get(attr)
            if value:
                found.add(value)
    return found
