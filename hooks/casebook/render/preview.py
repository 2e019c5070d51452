"""What `mkdocs serve` shows an author and a build never publishes: the draft banner, the error page.

While previewing, a case with errors is replaced by a page at its own address that
lists the findings (so the browser shows the mistake, not a 404, and live reload
brings the case back once it is fixed); a draft carries a visible "Draft" banner.
A build leaves both kinds of case out of the site.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from casebook.findings import Finding

#: The banner's and the error page's classes (docs/theme.md).
DRAFT_CLASS = "casebook-draft"
ERRORS_CLASS = "casebook-preview-errors"


def draft_banner() -> str:
    """The banner at the top of a draft case while previewing."""
    return (
        f'<div class="admonition warning {DRAFT_CLASS}" role="note">\n'
        '<p class="admonition-title">Draft</p>\n'
        "<p>This case has <code>draft: true</code> in its front matter: <code>mkdocs serve</code> shows it, "
        "<code>mkdocs build</code> leaves it out of the site, the case index, search and the bibliography. "
        "Delete that line to publish it.</p>\n"
        "</div>\n\n"
    )


def error_page(shown: str, findings: Iterable[Finding]) -> str:
    """The Markdown of the page served at a case's address while the case has errors."""
    items = "\n".join(
        f"<li><code>{_text(f.path)}:{f.line}:{f.col}</code> {_text(f.level)}: {_text(f.message)} "
        f"<code>[{_text(f.rule)}]</code></li>"
        for f in sorted(findings)
    )
    return (
        "---\n"
        f'title: "Errors in {_yaml_text(shown)}"\n'
        "search:\n  exclude: true\n"
        "---\n\n"
        f"# Errors in {_text(shown)}\n\n"
        f'<div class="admonition failure {ERRORS_CLASS}" role="alert">\n'
        '<p class="admonition-title">This case has errors and is not shown</p>\n'
        f"<ul>\n{items}\n</ul>\n"
        "<p>Fix them and save the file: this page reloads by itself and shows the case. "
        "<code>mkdocs build --strict</code> fails until they are fixed.</p>\n"
        "</div>\n"
    )


def _yaml_text(text: str) -> str:
    """`text` inside a double-quoted YAML scalar."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _text(text: str) -> str:
    """Text content of an element (quotes stay as written: they are not in an attribute)."""
    return escape(text, quote=False)
