"""Casebook's AMA references against an independent CSL processor, entry by entry (issue 13).

A developer tool, not run by the tests. It formats every entry of the real-world
bibliographies in ../shared/real-bib/ twice: with Casebook's AMA formatter (the
function the plugin uses, `format_reference_text`) and with pandoc's built-in
citeproc and the community style `american-medical-association.csl`. Both texts
are normalised (whitespace, the list number, italics markup, typographic
quotes, a final period), then every difference is put in a category (title
case, pages, dates, identifiers, ...) and printed per entry, grouped, with
counts.

The CSL file is read in place; a patched copy goes to a temporary folder only
because pandoc 2.17 ignores name options set on `<style>` when `<names>` has no
`<name/>` child (it would print full given names and no `et al`).

    .venv/bin/python benchmarks/csl_compare.py                 # summary and every diff
    .venv/bin/python benchmarks/csl_compare.py --summary       # counts only
    .venv/bin/python benchmarks/csl_compare.py --category pages --category title-case
    .venv/bin/python benchmarks/csl_compare.py --key Allen18   # one entry
"""

from __future__ import annotations

import argparse
import difflib
import html
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from casebook.references.ama import format_reference_text, reference_segments
from casebook.references.bibtex import parse_bib_text

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "real-bib"
FILES = ("ohdsi_book.bib", "survival_refer.bib", "harrelfe_excerpt.bib")
CSL = "american-medical-association.csl"
NOCITE = "---\nnocite: |\n  @*\n---\n"

_ENTRY_RE = re.compile(
    r'<div id="ref-(?P<key>[^"]+)" class="csl-entry"[^>]*>\s*(?:<div class="csl-left-margin">.*?</div>)?'
    r'\s*(?:<div class="csl-right-inline">)?(?P<body>.*?)</div>',
    re.S,
)
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"


def csl_copy(folder: Path) -> Path:
    """The style with `<name/>` inside `<names>`, so pandoc applies the style's name options."""
    text = (REAL / CSL).read_text(encoding="utf-8")
    text = text.replace('<names variable="author">', '<names variable="author"><name/>')
    text = text.replace('<names variable="editor">', '<names variable="editor"><name/>')
    path = folder / CSL
    path.write_text(text, encoding="utf-8")
    return path


def pandoc_entries(bib: Path, csl: Path, folder: Path) -> dict[str, str]:
    """key -> pandoc's AMA text for every entry of `bib` (nocite @*), as plain text."""
    source = folder / "nocite.md"
    source.write_text(NOCITE, encoding="utf-8")
    result = subprocess.run(
        ["pandoc", "--citeproc", "--csl", str(csl), "--bibliography", str(bib), "-t", "html", "--wrap=none"]
        + [str(source)],
        capture_output=True,
        check=True,
    )
    out = {}
    for m in _ENTRY_RE.finditer(result.stdout.decode("utf-8")):
        body = re.sub(r"<[^>]+>", "", m.group("body"))
        out[html.unescape(m.group("key"))] = html.unescape(body)
    return out


def casebook_entries(bib: Path) -> dict[str, tuple[str, str, str]]:
    """key -> (entry type, Casebook's AMA text, its author list as printed)."""
    refs, _, _ = parse_bib_text(bib.read_text(encoding="utf-8"), bib.name)
    out = {}
    for ref in refs:
        segments = reference_segments(ref)
        people = segments[0].text if segments and (ref.authors or ref.editors) else ""
        out[ref.key] = (ref.entry_type, format_reference_text(ref), people)
    return out


def normalise(text: str) -> str:
    """What is not a difference in AMA: spacing, the list number, quote glyphs, a final period."""
    text = re.sub(r"^\s*\d+\.\s+", "", text)
    text = text.replace("\u00a0", " ").replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"\s+", " ", text).strip()
    return text.rstrip(".")


def split_authors(ours: str, theirs: str, people: str) -> tuple[str, str, str, str]:
    """(our authors, our rest, their authors, their rest): theirs is cut where our rest begins."""
    if not people or not ours.startswith(people):
        return "", ours, "", theirs
    rest = ours[len(people) :].lstrip(". ")
    probe = rest[:25].lower()
    at = theirs.lower().find(probe) if probe else -1
    if at < 0:
        return people, rest, "", theirs
    return people, rest, theirs[:at].rstrip(". "), theirs[at:]


def _words(text: str) -> list[str]:
    return re.findall(r"\S+", text)


def categorise(ours: str, theirs: str, people: str) -> set[str]:
    """The kinds of difference between two normalised texts: the author lists, then the rest word by word."""
    our_people, our_rest, their_people, their_rest = split_authors(ours, theirs, people)
    kinds = {"authors"} if our_people != their_people else set()
    a, b = _words(our_rest), _words(their_rest)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            kinds.add(_kind(" ".join(a[i1:i2]), " ".join(b[j1:j2])))
    return kinds


def _kind(left: str, right: str) -> str:
    both = f"{left} {right}"
    if left.lower() == right.lower():
        return "title-case"
    if re.search(r"\bPMC?ID:|\bPMCID\b|arXiv:", both):
        return "identifiers"
    if re.search(r"Accessed|https?://|doi:", both):
        return "access-url-doi"
    if re.search(rf"\b(?:{_MONTHS})\b|Published|Originally|T00:00|\d{{4}}-\d{{2}}", both):
        return "dates"
    if re.search(r"\bed\b|\bedition\b|Edition", both, re.I):
        return "edition"
    if re.search(r"\d+-\d+|:\w*\d", both):
        return "pages-volume"
    if re.sub(r"[.;,\s]", "", left).lower() == re.sub(r"[.;,\s]", "", right).lower():
        return "punctuation"
    if not right:
        return "only-casebook"  # a field the CSL processor drops: note, report number, series, URL
    return "other"


def compare(files: tuple[str, ...]) -> list[tuple[str, str, str, str, str, set[str]]]:
    """Every entry of `files`: (file, key, type, ours, theirs, kinds); kinds empty when they agree."""
    if shutil.which("pandoc") is None:
        sys.exit("csl_compare: pandoc is not installed (apt-get install pandoc)")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csl = csl_copy(folder)
        for name in files:
            ours = casebook_entries(REAL / name)
            theirs = pandoc_entries(REAL / name, csl, folder)
            for key, (entry_type, text, people) in ours.items():
                mine, other = normalise(text), normalise(theirs.get(key, ""))
                kinds = set() if mine == other else categorise(mine, other, people) or {"other"}
                rows.append((name, key, entry_type, mine, other, kinds))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--summary", action="store_true", help="counts only, no per-entry diffs")
    parser.add_argument("--category", action="append", default=[], help="only entries with this kind of difference")
    parser.add_argument("--key", action="append", default=[], help="only this entry (repeatable)")
    args = parser.parse_args(argv)
    if not all((REAL / name).is_file() for name in (*FILES, CSL)):
        sys.exit(f"csl_compare: {REAL} does not hold {', '.join(FILES)} and {CSL}")
    rows = compare(FILES)
    differing = [r for r in rows if r[5]]
    counts: dict[str, int] = defaultdict(int)
    for row in differing:
        for kind in row[5]:
            counts[kind] += 1
    order = sorted(counts, key=lambda k: (-counts[k], k))
    print(f"{len(rows)} entries compared, {len(rows) - len(differing)} identical, {len(differing)} differ")
    print("entries with each kind of difference (an entry may have several):")
    for kind in order:
        print(f"  {kind:16} {counts[kind]:4}")
    if args.summary:
        return 0
    groups: dict[str, list[tuple[str, str, str, str, str, set[str]]]] = defaultdict(list)
    for row in differing:
        if args.key and row[1] not in args.key:
            continue
        if args.category and not row[5] & set(args.category):
            continue
        groups[next(k for k in order if k in row[5])].append(row)
    for kind in order:
        if not groups[kind]:
            continue
        print(f"\n== {kind} ({len(groups[kind])} shown here, under their most frequent kind)")
        for name, key, entry_type, mine, other, kinds in groups[kind]:
            print(f"\n-- {name} {key} @{entry_type} [{', '.join(sorted(kinds))}]")
            print(f"   casebook: {mine}")
            print(f"   csl:      {other}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
