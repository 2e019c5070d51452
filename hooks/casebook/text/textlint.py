"""Markup in plain-text fields: front matter and BibTeX are text, never HTML or links.

Casebook escapes every front-matter and BibTeX string, so `<script>` in a title
cannot run; but it would be shown to readers literally, and `javascript:` in a
text field never becomes a link. Either is almost always a paste from a web
page or an attempt to format text, so it is reported where it is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from casebook.findings import Finding

_TAG_RE = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?\s*>")
_SCHEME_RE = re.compile(r"\b(?:javascript|vbscript|data)\s*:", re.I)


def markup_in(text: str) -> str | None:
    """What looks like HTML or a script URL in `text` (for the message), or None."""
    if "<" in text and (m := _TAG_RE.search(text)):
        return m.group()[:40]
    if ":" in text and (m := _SCHEME_RE.search(text)):
        return m.group().replace(" ", "")
    return None


def markup_message(where: str, found: str) -> str:
    if found.startswith("<"):
        return (
            f"{where} contains HTML markup ('{found}'); it is plain text, so readers would see the markup "
            "itself: remove it (front matter and BibTeX fields cannot be formatted)"
        )
    return (
        f"{where} contains '{found}'; it is plain text and never becomes a link: remove it "
        "(only http and https addresses are linked)"
    )


def front_matter_strings(
    value: Any, key: tuple[Any, ...] = (), seen: set[int] | None = None
) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every string with its key path; a container shared through YAML aliases is visited once
    (`&a [*b, *b, ...]` nests exponentially many references to a few objects)."""
    if isinstance(value, str):
        yield key, value
        return
    if not isinstance(value, (dict, list)):
        return
    seen = set() if seen is None else seen
    if id(value) in seen:
        return
    seen.add(id(value))
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for name, item in items:
        yield from front_matter_strings(item, key + (name,), seen)


def lint_front_matter(data: dict[str, Any] | None, path: str | Path, line_of: Callable[..., int]) -> list[Finding]:
    """A warning for each front-matter string that contains HTML or a script URL."""
    if not isinstance(data, dict):
        return []
    findings = []
    for key, text in front_matter_strings(data):
        found = markup_in(text)
        if found:
            label = ".".join(f"[{k + 1}]" if isinstance(k, int) else str(k) for k in key).replace(".[", "[")
            findings.append(
                Finding.warning(path, line_of(*key), "markup-in-text", markup_message(f"field '{label}'", found))
            )
    return findings
