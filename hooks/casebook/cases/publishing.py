"""What a case folder may put on the site besides its index.md.

Everything in a case folder used to be published verbatim. Three kinds of file
escape every check Casebook makes on a case: a second Markdown file becomes a
page of its own (outside the answer, indexed by search), an HTML or script file
is served as active content from the site's origin, and a symlink can publish
a file from anywhere on the author's machine. Those are refused; figures and
other files the case links to are published as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CASE_FILE = "index.md"

#: A second page: MkDocs renders these as pages of their own.
_PAGE_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})
#: Served as active content by a browser (script runs with the site's origin).
_ACTIVE_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml", ".js", ".mjs", ".xml", ".xsl", ".swf"})


@dataclass(frozen=True)
class Refusal:
    """A file in a case folder that is not published, and what the author should do."""

    path: Path
    rule: str
    message: str


def refusal(path: Path, folder: Path, root: Path) -> Refusal | None:
    """Why `path` (a file inside the case `folder`) is not published, or None when it may be."""
    name = path.relative_to(folder).as_posix()
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return Refusal(path, "case-file-symlink", f"'{name}' is a broken symbolic link; replace it with the file")
        if not target.is_relative_to(root.resolve()):
            return Refusal(
                path,
                "case-file-symlink",
                f"'{name}' is a symbolic link to a file outside the project ({target}); "
                "copy the file into the case folder instead",
            )
    suffix = path.suffix.lower()
    if suffix in _PAGE_SUFFIXES and name != CASE_FILE:
        return Refusal(
            path,
            "case-extra-page",
            f"'{name}' would be published as a page of its own, outside the case's answer and its spoiler "
            f"checks; move its text into {CASE_FILE} or the file out of the cases folder",
        )
    if suffix in _ACTIVE_SUFFIXES:
        return Refusal(
            path,
            "case-file-active",
            f"'{name}' would be served as active content (HTML or script) from the site; "
            "cases may publish figures and documents only: remove it or link to it elsewhere",
        )
    return None
