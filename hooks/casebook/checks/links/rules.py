"""The link rules: what is wrong with each link of a page, and what to write instead.

Every finding names the fix (the page file to link to, the anchor that
exists, a close match for a typo), because the author sees only the source,
not the URL MkDocs would have made of it.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from casebook.checks.links.extract import Link, extract_links, unsafe_html
from casebook.checks.links.site import Site, SourcePage, target_uri
from casebook.findings import Finding
from casebook.text.urls import url_scheme

__all__ = ["SAFE_SCHEMES", "check_page_links"]

#: Schemes a link may use; anything else is removed by the build (markdown_ext.SafeLinksTreeprocessor).
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME_RE = re.compile(r"^(?P<scheme>[a-z][a-z0-9+.-]*):", re.I)
#: `C:\...` or `c:/...`: a Windows path, not a scheme.
_DRIVE_RE = re.compile(r"^[a-z]:[\\/]", re.I)


def check_page_links(page: SourcePage, site: Site, *, check_images: bool) -> list[Finding]:
    """Findings for every link of one page: missing targets and anchors, unsafe schemes, images."""
    findings: list[Finding] = []
    shown = page.shown
    for line, col, what in unsafe_html(page.text):
        findings.append(
            Finding.error(
                shown,
                line,
                "html-unsafe",
                f"{what} runs script in the reader's browser; Casebook pages may not contain it "
                "(remove it; use Markdown for links and images)",
                col,
            )
        )
    for link in extract_links(page.text):
        findings += _check_link(page, link, site, check_images=check_images)
    return findings


def _check_link(page: SourcePage, link: Link, site: Site, *, check_images: bool) -> list[Finding]:
    """One link: its scheme, then (for the links MkDocs resolves) its alt text and its target."""
    raw = link.target.strip()
    # Raw HTML is read as a browser reads it (`java&#9;script:` is javascript:); Markdown as written.
    scheme = url_scheme(raw) if link.html else (m.group("scheme").lower() if (m := _SCHEME_RE.match(raw)) else None)
    if scheme and not _DRIVE_RE.match(raw):
        return _check_scheme(page, link, raw, scheme)
    if link.html:
        return []  # MkDocs does not resolve raw HTML links; only their scheme matters
    if link.image and not check_images:
        return []  # case bodies: cases.py checks their images (they must sit in the case folder)
    return _check_alt(page, link) + _check_target(page, link, raw, site)


def _check_scheme(page: SourcePage, link: Link, raw: str, scheme: str) -> list[Finding]:
    """An absolute URL is fine if the site keeps it; other schemes could run code."""
    if scheme in SAFE_SCHEMES:
        return []
    return [
        Finding.error(
            page.shown,
            link.line,
            "link-unsafe",
            f"{_what(link)} target '{_short(raw)}' uses the '{scheme}:' scheme, which the "
            "site removes (only http, https, mailto and relative links are allowed)",
            link.col,
        )
    ]


def _check_alt(page: SourcePage, link: Link) -> list[Finding]:
    """A Markdown image needs alt text: screen readers and broken images show nothing else."""
    if link.image and link.alt is not None and not link.alt.strip():
        return [
            Finding.error(
                page.shown,
                link.line,
                "image-alt",
                "image has no alt text: describe what it shows inside the brackets, ![like this](file.png)",
                link.col,
            )
        ]
    return []


def _check_target(page: SourcePage, link: Link, raw: str, site: Site) -> list[Finding]:
    """A relative target must be a file of the site, and its `#anchor` one the page will have."""
    if raw.startswith("//"):
        return []  # protocol-relative: external
    try:
        parts = urlsplit(raw)
    except ValueError:
        return [
            Finding.error(
                page.shown,
                link.line,
                "link-missing",
                f"{_what(link)} '{_short(raw)}' is not a valid address; check its brackets and characters",
                link.col,
            )
        ]
    if raw.startswith(("/", "\\")):
        return [
            Finding.error(
                page.shown,
                link.line,
                "link-absolute",
                f"{_what(link)} '{_short(raw)}' is absolute; write it relative to this file "
                f"(e.g. '{_relative_suggestion(page.uri, parts.path)}') so it works wherever the site is hosted",
                link.col,
            )
        ]
    path, anchor = unquote(parts.path), parts.fragment
    if not path:
        return _check_anchor(page, page, anchor, link) if anchor and not link.image else []
    uri = target_uri(page.uri, path)
    if not _outside(uri) and uri in site.files:
        target = site.pages.get(uri)
        if anchor and target is not None and not link.image:
            return _check_anchor(page, target, anchor, link)
        return []
    return [_unpublished(page, link, raw, path, anchor, uri, site.files)]


def _outside(uri: str) -> bool:
    """True if a resolved target climbs out of the site (docs/ and cases/)."""
    return uri.startswith("../") or uri == ".."


def _unpublished(page: SourcePage, link: Link, raw: str, path: str, anchor: str, uri: str, files: set[str]) -> Finding:
    """A target that is no file of the site: outside it, a folder, a page without `.md`, or a typo."""
    what = _what(link)
    rule = "image-missing" if link.image else "link-missing"
    if _outside(uri):
        return Finding.error(
            page.shown,
            link.line,
            rule,
            f"{what} '{_short(raw)}' points outside the site (docs/ and cases/); link to a page or file of the site",
            link.col,
        )
    if not posixpath.splitext(path)[1]:
        index = posixpath.normpath(posixpath.join(uri, "index.md"))
        if index in files:
            fixed = posixpath.join(path.rstrip("/"), "index.md") + (f"#{anchor}" if anchor else "")
            return Finding.error(
                page.shown,
                link.line,
                rule,
                f"{what} '{_short(raw)}' points to a folder; link to its page file "
                f"'{fixed}' (MkDocs turns it into the right URL and can check it)",
                link.col,
            )
        if uri + ".md" in files:
            fixed = path.rstrip("/") + ".md" + (f"#{anchor}" if anchor else "")
            return Finding.error(
                page.shown,
                link.line,
                rule,
                f"{what} '{_short(raw)}' is not a file; link to the page file '{fixed}'",
                link.col,
            )
    return Finding.error(
        page.shown,
        link.line,
        rule,
        f"{what} '{_short(raw)}' points to '{uri}', which is not a page or file of the site"
        f"{_did_you_mean(uri, files, page.uri)}; check the name (it is case-sensitive)",
        link.col,
    )


def _check_anchor(page: SourcePage, target: SourcePage, anchor: str, link: Link) -> list[Finding]:
    """`#anchor` must be an id of `target`; one inside a case's answer has none, on purpose."""
    anchors = target.anchors
    if anchor in anchors.ids:
        return []
    where = "this page" if target is page else f"'{target.uri}'"
    if anchor in anchors.hidden:
        message = (
            f"'#{anchor}' is a heading inside the answer on {where} (line {anchors.hidden[anchor]}); "
            "headings there have no anchor, because it would give the diagnosis away in the URL; "
            "link to '#answer' instead"
        )
    else:
        suggestion = _did_you_mean(anchor, anchors.ids, None, prefix="#")
        listed = ", ".join(f"#{a}" for a in anchors.headings[:8])
        message = f"link '{_short(link.target)}': {where} has no anchor '#{anchor}'{suggestion}" + (
            f"; its headings are {listed}" if listed and not suggestion else ""
        )
    return [Finding.error(page.shown, link.line, "anchor-missing", message, link.col)]


def _did_you_mean(value: str, choices: Iterable[str], base: str | None, prefix: str = "") -> str:
    """` (did you mean '...'?)` for the closest choice, relative to page `base` if given; else ""."""
    match = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    if not match:
        return ""
    shown = match[0]
    if base is not None:
        shown = posixpath.relpath(shown, posixpath.dirname(base) or ".")
    return f" (did you mean '{prefix}{shown}'?)"


def _relative_suggestion(src_uri: str, path: str) -> str:
    """What an absolute link `path` would be written as relative to page `src_uri`."""
    target = path.lstrip("/")
    if not posixpath.splitext(target)[1]:
        target = posixpath.join(target, "index.md") if target else "index.md"
    return posixpath.relpath(target, posixpath.dirname(src_uri) or ".")


def _what(link: Link) -> str:
    """How findings name the link: "image" or "link"."""
    return "image" if link.image else "link"


def _short(text: str, limit: int = 80) -> str:
    """`text` cut to `limit` characters with an ellipsis, so one finding stays one line."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
