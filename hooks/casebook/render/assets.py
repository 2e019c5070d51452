"""Casebook's stylesheets and scripts, published as one file each with a content hash in the name.

Four stylesheets in a page's head are four render-blocking requests; one file costs one. The
print rules travel inside it (casebook-print.css wraps every rule in `@media print`). The
name carries a hash of the content, so a host may cache the files forever: a release that
changes them publishes new names, and no reader keeps a stale copy. The sources stay
separate files in the package, one concern each.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

#: The package's stylesheets, in cascade order (the print rules last).
STYLESHEETS = ("casebook.css", "casebook-citations.css", "casebook-reader.css", "casebook-print.css")
#: The package's scripts; each is a self-contained IIFE, so joining them changes no scope.
SCRIPTS = ("casebook-citations.js", "casebook-reader.js")
#: Hex digits of the SHA-256 kept in the name: enough that two releases never collide.
HASH_LENGTH = 10


@dataclass(frozen=True)
class Bundle:
    """One published asset: its file name (`casebook.<hash>.css`) and its text."""

    name: str
    content: str


def bundle(stem: str, suffix: str, parts: Sequence[tuple[str, str]]) -> Bundle:
    """`parts` (name, text) joined in order, each after a comment naming its source file."""
    content = "".join(f"/* {name} */\n{text.rstrip()}\n\n" for name, text in parts)
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:HASH_LENGTH]
    return Bundle(f"{stem}.{digest}{suffix}", content)


def package_bundles(assets: Path) -> tuple[Bundle, Bundle]:
    """Casebook's stylesheet and script, made from the files in `assets`."""

    def parts(names: Sequence[str]) -> list[tuple[str, str]]:
        return [(name, (assets / name).read_text(encoding="utf-8")) for name in names]

    return bundle("casebook", ".css", parts(STYLESHEETS)), bundle("casebook", ".js", parts(SCRIPTS))
