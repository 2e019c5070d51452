"""URLs and styles as a browser reads them: the scheme it follows, what a `style` loads.

Pure functions shared by the source checks (raw HTML in Markdown, at the
author's line) and the output check (the rendered page), so both judge an
attribute value by one rule: entities already decoded, then the control
characters and whitespace a browser strips before reading a scheme.
"""

from __future__ import annotations

import re

#: Attributes whose value a browser follows or loads as a URL.
URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "xlink:href",
        "formaction",
        "action",
        "poster",
        "data",
        "background",
        "cite",
        "ping",
        "longdesc",
        "manifest",
        "codebase",
        "archive",
        "lowsrc",
        "dynsrc",
    }
)
#: Attributes holding a list of image candidates, each one a URL.
SRCSET_ATTRIBUTES = frozenset({"srcset", "imagesrcset"})
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
#: What a browser strips before reading a scheme: C0 controls and space at the ends, tab and newlines inside.
_STRIP_ENDS = "".join(chr(c) for c in range(0x21))
_INSIDE_RE = re.compile(r"[\t\n\r]")
_SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_STYLE_URL_RE = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I | re.S)
_CSS_ESCAPE_RE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.S)


def url_scheme(value: str) -> str | None:
    """The scheme a browser reads in a URL attribute's (already entity-decoded) value; None if relative."""
    cleaned = _INSIDE_RE.sub("", value.strip(_STRIP_ENDS))
    match = _SCHEME_RE.match(cleaned)
    return match.group(1).lower() if match else None


def unsafe_url(value: str, *, srcset: bool = False) -> str | None:
    """The offending URL in `value` (every candidate of a srcset), or None when all are safe."""
    candidates = [part.strip().split(" ")[0] for part in value.split(",")] if srcset else [value]
    for candidate in candidates:
        scheme = url_scheme(candidate)
        if scheme is not None and scheme not in SAFE_SCHEMES:
            return candidate
    return None


def _css_decoded(style: str) -> str:
    def one(match: re.Match[str]) -> str:
        if match.group(1):
            code = int(match.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF else ""
        return match.group(2)

    return _CSS_ESCAPE_RE.sub(one, style)


def style_problem(style: str) -> str | None:
    """What a `style` value loads or runs that it may not (a `url()` with another scheme, `expression()`)."""
    decoded = _css_decoded(style)
    if "expression(" in decoded.lower().replace(" ", ""):
        return "a CSS expression()"
    for _, url in _STYLE_URL_RE.findall(decoded):
        if unsafe_url(url) is not None:
            return f"url({url[:40]})"
    return None
