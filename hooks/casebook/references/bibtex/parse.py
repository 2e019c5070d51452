"""One .bib file's text -> its references, the keys of blocks that failed, and findings.

bibtexparser 2 never raises on bad input: syntax errors, duplicate keys and
duplicate fields become `failed_blocks` that are easy to lose. Each of them
becomes a `Finding` here, with the line the author has to look at.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from bibtexparser import model as bm
from bibtexparser.entrypoint import parse_string
from bibtexparser.library import Library as _BpLibrary
from bibtexparser.middlewares import RemoveEnclosingMiddleware

from casebook.findings import Finding
from casebook.references.bibtex.coverage import unprinted_field_findings
from casebook.references.bibtex.entry import block_line, reference_from_entry
from casebook.references.bibtex.reference import Reference

__all__ = ["Broken", "parse_bib_text"]

_BLOCK_KEY_RE = re.compile(r"@\s*\w+\s*[{(]\s*([^,\s{}()=]+)\s*,")

#: key -> (path, line) of a block that could not be read, so a citation of it can say why.
Broken = dict[str, tuple[str, int]]


@dataclass
class _Parsed:
    """What one file gave so far."""

    refs: list[Reference] = field(default_factory=list)
    broken: Broken = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def add(self, ref: Reference | None, findings: list[Finding]) -> None:
        """Keep an entry's findings, and the entry if it is usable."""
        self.findings += findings
        if ref is not None:
            self.refs.append(ref)


def parse_bib_text(text: str, path: str) -> tuple[list[Reference], dict[str, tuple[str, int]], list[Finding]]:
    """Parse one file's text: its references, keys of failed blocks, and findings."""
    try:
        with _quiet_bibtexparser():
            parsed = parse_string(text)
    except Exception as exc:  # bibtexparser raises only on its own internal errors; still never a traceback
        return (
            [],
            {},
            [
                Finding.error(
                    path,
                    1,
                    "bib-syntax",
                    f"bibtexparser could not read this file ({type(exc).__name__}: {exc}); look for unbalanced "
                    "braces or quotes, or split the file to find the entry that causes it",
                )
            ],
        )
    result = _Parsed()
    strings = {s.key.strip().lower(): s.value for s in parsed.strings if isinstance(s.value, str)}
    after_failure = False  # the text after an entry that could not be read is part of that error
    for block in parsed.blocks:
        stray_allowed, after_failure = not after_failure, False
        # Both duplicate blocks are ParsingFailedBlocks too: they are told apart first.
        if isinstance(block, bm.DuplicateBlockKeyBlock):
            result.findings.append(_duplicate_key(block, path))
        elif isinstance(block, bm.DuplicateFieldKeyBlock):
            result.findings.append(_duplicate_fields(block, path))
            result.add(*_first_of_duplicate_fields(block, path))
        elif isinstance(block, bm.ParsingFailedBlock):
            result.findings.append(_syntax_error(block, text, path, result.broken))
            after_failure = True
        elif isinstance(block, bm.Entry):
            result.add(*reference_from_entry(block, path, strings))
        elif stray_allowed and isinstance(block, bm.ImplicitComment) and (stray := _stray_syntax(block, path)):
            result.findings.append(stray)
    result.findings += unprinted_field_findings(result.refs, path)
    return result.refs, result.broken, result.findings


def _stray_syntax(block: bm.ImplicitComment, path: str) -> Finding | None:
    """Text between entries is a comment to BibTeX; braces or `=` there are a mistake, not a remark."""
    for offset, line in enumerate((block.raw or block.comment).split("\n")):
        col = next((i for i, ch in enumerate(line) if ch in "{}="), None)
        if col is not None:
            return Finding.warning(
                path,
                block_line(block) + offset,
                "bib-stray-text",
                f"'{line.strip()[:40]}' is outside any entry, so BibTeX ignores it; an entry above may have "
                "closed too early (count its braces), or delete the stray text",
                col=col + 1,
            )
    return None


def _duplicate_key(block: bm.DuplicateBlockKeyBlock, path: str) -> Finding:
    """A key defined twice in one file: bibtexparser keeps the first."""
    previous = block_line(block.previous_block)
    return Finding.error(
        path,
        block_line(block),
        "bib-duplicate-key",
        f"duplicate BibTeX key '{block.key}': already defined on line {previous} of this file; "
        "rename one of them or delete the copy",
    )


def _duplicate_fields(block: bm.DuplicateFieldKeyBlock, path: str) -> Finding:
    """A field set twice in one entry, reported at the repeat."""
    entry = block.ignore_error_block
    assert isinstance(entry, bm.Entry)
    names = ", ".join(sorted(block.duplicate_keys))
    return Finding.error(
        path,
        _repeated_field_line(entry, block.duplicate_keys) or block_line(block),
        "bib-duplicate-field",
        f"entry '{entry.key}' sets {names} more than once; keep one (the first one is used)",
    )


def _first_of_duplicate_fields(block: bm.DuplicateFieldKeyBlock, path: str) -> tuple[Reference | None, list[Finding]]:
    """The entry of a duplicate-field block, still usable with the first of each field."""
    entry = block.ignore_error_block
    assert isinstance(entry, bm.Entry)
    unenclosed = RemoveEnclosingMiddleware().transform(_BpLibrary([entry])).entries
    if not unenclosed:
        return None, []
    return reference_from_entry(unenclosed[0], path)


def _repeated_field_line(entry: bm.Entry, names: set[str]) -> int | None:
    """The 1-based line of the first repeated field, where the author has to look."""
    seen: set[str] = set()
    for f in entry.fields:
        if f.key in names and f.key in seen and f.start_line is not None:
            return f.start_line + 1
        seen.add(f.key)
    return None


def _syntax_error(block: bm.ParsingFailedBlock, text: str, path: str, broken: Broken) -> Finding:
    """A block bibtexparser could not read; its key (if it has one) goes into `broken`."""
    line = block_line(block)
    key_match = _BLOCK_KEY_RE.match((block.raw or "").lstrip())
    what = f"entry '{key_match.group(1)}'" if key_match else "this block"
    if key_match:
        broken.setdefault(key_match.group(1), (path, line))
    reason = getattr(block.error, "abort_reason", "") or str(block.error) or "syntax error"
    end = getattr(block.error, "end_index", None)
    stop = ""
    if isinstance(end, int):
        stop_line = text.count("\n", 0, max(end, 0)) + 1
        if stop_line != line:
            stop = f" (noticed on line {stop_line})"
    return Finding.error(
        path,
        line,
        "bib-syntax",
        f"BibTeX syntax error in {what}{stop}: {reason.strip()}; the entry is skipped until it is fixed",
    )


@contextlib.contextmanager
def _quiet_bibtexparser() -> Iterator[None]:
    """bibtexparser logs each syntax error itself; we report them as Findings instead."""
    logger = logging.getLogger("bibtexparser")
    old = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(old)
