"""The author's .bib file: what is already in it, and appending to it without ever breaking it.

The bibliography is the author's file.  It is read with the same BibTeX
reader as the build, so "already there" means what the citation engine will
see; it is written in one atomic replace (casebook.fileio) after every
identifier has been fetched and checked, so a failed run leaves it byte for
byte as it was, and a file changed meanwhile (an editor saving it) is never
overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from casebook.errors import CasebookError
from casebook.fileio import write_atomically
from casebook.findings import relative
from casebook.references.bibtex import parse_bib_text
from casebook.references.doi import doi_key

__all__ = ["DEFAULT_BIB", "Bibliography", "append_entries", "read_bibliography"]

DEFAULT_BIB = Path("bib/references.bib")
# Problems in the target .bib that would hide a duplicate: refuse to append until they are fixed.
_BLOCKING_RULES = frozenset({"bib-syntax", "bib-duplicate-key", "bib-duplicate-field"})


@dataclass
class Bibliography:
    """Keys and DOIs already used by the site's .bib files (the target and its neighbours)."""

    keys: dict[str, str] = field(default_factory=dict)  # lower-case key -> "file"
    dois: dict[str, tuple[str, str]] = field(default_factory=dict)  # doi_key -> (key, file)
    pmids: dict[str, tuple[str, str]] = field(default_factory=dict)


def read_bibliography(target: Path, shown: str) -> tuple[bytes, Bibliography]:
    """The target's exact bytes, plus the keys and DOIs of every .bib file next to it.

    Parsed by the same reader as the build (bibtex.parse_bib_text), so "already
    there" means what the citation engine will see.
    """
    original = target.read_bytes() if target.exists() else b""
    bib = Bibliography()
    files = sorted({target, *target.parent.glob("*.bib")})
    for path in files:
        label = shown if path == target else relative(path, Path.cwd())
        try:
            text = (original if path == target else path.read_bytes()).decode("utf-8-sig")
        except UnicodeDecodeError:
            if path == target:
                raise CasebookError(f"{shown} is not UTF-8 text; save it as UTF-8 and try again") from None
            continue
        references, broken, findings = parse_bib_text(text, label)
        blocking = [f for f in findings if f.is_error and f.rule in _BLOCKING_RULES]
        if path == target and blocking:
            first = blocking[0]
            raise CasebookError(
                f"{first.path}:{first.line}: {first.message}. Fix it before adding references "
                "(so duplicates can be found); nothing was written"
            )
        for key in [r.key for r in references] + list(broken):
            bib.keys.setdefault(key.lower(), label)
        for ref in references:
            if ref.doi:
                bib.dois.setdefault(doi_key(ref.doi), (ref.key, label))
            if ref.pmid:
                bib.pmids.setdefault(ref.pmid.strip(), (ref.key, label))
    return original, bib


def append_entries(target: Path, original: bytes, entries: list[str], shown: str) -> None:
    """Write original + entries to `target` atomically, in the file's own line endings.

    Refuses (CasebookError, nothing written) when `target` no longer holds
    `original`; any OSError becomes a CasebookError naming `shown`.
    """
    newline = "\r\n" if b"\r\n" in original else "\n"
    addition = ""
    if original and not original.endswith(b"\n"):
        addition += newline
    if original.strip():
        addition += newline
    addition += newline.join(entry.replace("\n", newline) for entry in entries)
    data = original + addition.encode("utf-8")

    def unchanged() -> None:
        """Last look before the rename: never overwrite what someone saved meanwhile."""
        if target.exists() and target.read_bytes() != original:
            raise CasebookError(
                f"{shown} changed while the references were being fetched; run the command again. Nothing was written"
            )

    try:
        write_atomically(target, data, before_replace=unchanged)
    except OSError as exc:
        raise CasebookError(f"cannot write {shown}: {exc.strerror or exc}; nothing was written") from None
