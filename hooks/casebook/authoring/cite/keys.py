"""Citation keys: a stable `firstauthorYEARword` for each new entry, never one already in use.

A key derived from the metadata (not from a counter) stays the same when the
same article is cited again elsewhere, so authors can guess it; clashes get a
letter suffix, and a key the author asks for is checked, never silently changed.
"""

from __future__ import annotations

import re

from casebook.authoring.cite.bibfile import Bibliography
from casebook.authoring.cite.entry import NewEntry, first_family
from casebook.authoring.scaffold import fold_ascii
from casebook.errors import CasebookError
from casebook.references.bibtex import KEY_RE

__all__ = ["assign_key", "base_key", "check_requested_key"]

_STOPWORDS = frozenset(
    (
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "on",
        "in",
        "at",
        "to",
        "for",
        "from",
        "with",
        "by",
        "as",
        "is",
        "are",
        "be",
        "its",
        "into",
        "about",
        "over",
        "under",
        "vs",
        "versus",
        "part",
    )
)


def _ascii_word(text: str) -> str:
    """Lower-case ASCII letters and digits only: what a key may safely contain."""
    return re.sub(r"[^a-z0-9]", "", fold_ascii(text).lower())


def base_key(reference: NewEntry) -> str:
    """`firstauthorYEARword`: ASCII, lower case, first significant word of the title."""
    names = reference.fields.get("author") or reference.fields.get("editor") or ""
    family = _ascii_word(first_family(names)) or "anon"
    year = reference.fields.get("year", "") or "nd"
    words = [_ascii_word(w) for w in re.split(r"[\s\-\u2010-\u2015/]+", reference.fields.get("title", ""))]
    word = next((w for w in words if w and w not in _STOPWORDS), "")
    if family[0].isdigit():
        family = "ref" + family
    return f"{family}{year}{word}"


def check_requested_key(requested: str, bib: Bibliography) -> None:
    """Refuse a --key that cannot be cited or that a .bib file already uses (keys are compared ignoring case)."""
    if not KEY_RE.match(requested):
        raise CasebookError(
            f"--key {requested!r} cannot be cited as [@{requested}]: use letters, digits "
            "and : . / + - _ (starting and ending with a letter or digit)"
        )
    if requested.lower() in bib.keys:
        raise CasebookError(
            f"the key {requested!r} is already used in {bib.keys[requested.lower()]}; "
            "choose another --key. Nothing was written"
        )


def assign_key(reference: NewEntry, bib: Bibliography, requested: str | None = None) -> None:
    """Give `reference` a key no .bib file uses yet; refuse a requested key that is taken."""
    if requested is not None:
        check_requested_key(requested, bib)
        reference.key = requested
        return
    base = base_key(reference)
    key = base
    for suffix in "bcdefghijklmnopqrstuvwxyz":
        if key.lower() not in bib.keys:
            break
        key = base + suffix
    else:
        raise CasebookError(f"too many references already use the key {base!r}; pass --key")
    if key != base:
        reference.notes.append(
            f"the key {base} is already used by another reference (in {bib.keys[base.lower()]}), so this one is {key}"
        )
    reference.key = key
