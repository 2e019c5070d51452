"""Find and load cases: `cases/<slug>/index.md` -> a validated Case plus findings.

This is the one place that decides whether a case is well-formed, used by both
the MkDocs build and `casebook check`, so they can never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from casebook.cases.etiology import BLOCK_NAME as ETIOLOGY_BLOCK
from casebook.cases.etiology import parse_table
from casebook.cases.model import Case, Figure
from casebook.cases.schema import validate_case_meta
from casebook.cases.spoilers import lint_case
from casebook.findings import Finding, relative
from casebook.text.blocks import SourceBlock, scan_blocks
from casebook.text.frontmatter import read_source, split_front_matter
from casebook.text.masking import mask
from casebook.text.textlint import lint_front_matter

CASE_FILE = "index.md"
ANSWER_BLOCK = "answer"
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif"}
_MD_IMAGE_RE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src><[^>]*>|[^)\s]+)(?:\s+\"[^\"]*\")?\)")


def discover_cases(cases_dir: Path) -> list[Path]:
    """Every `cases/<slug>/index.md`, in a stable order."""
    if not cases_dir.is_dir():
        return []
    return sorted(p for p in cases_dir.glob(f"*/{CASE_FILE}") if p.is_file())


def load_case(path: Path, root: Path | None = None) -> tuple[Case | None, list[Finding]]:
    """Read, parse and validate one case; never raises on bad input."""
    shown = relative(path, root)
    text, read_findings = read_source(path)
    findings = [replace(f, path=shown) for f in read_findings]  # read_source names the absolute path
    if text is None:
        return None, findings
    fm = split_front_matter(text, shown)
    findings += fm.findings
    meta, schema_findings = validate_case_meta(fm, shown)
    findings += schema_findings
    findings += lint_front_matter(fm.data, shown, fm.line_of)
    slug = path.parent.name
    if not SLUG_RE.match(slug):
        findings.append(
            Finding.error(
                shown,
                1,
                "case-slug",
                f"case folder '{slug}' must be lower-case letters, digits and hyphens (it becomes the URL)",
            )
        )
    answer, block_findings = _check_blocks(fm.body, fm.body_line, shown)
    findings += block_findings
    findings += _check_body_images(fm.body, fm.body_line, path.parent, shown)
    if meta is None:
        return None, findings
    findings += _check_figures(meta.figures, path.parent, shown)
    pre_answer = fm.body if answer is None else "\n".join(fm.body.split("\n")[: answer.start - 1])
    findings += lint_case(meta, slug, _strip_comments(pre_answer), shown, fm.lines, fm.body_line)
    if any(f.is_error for f in findings):
        return None, findings
    return Case(slug=slug, path=path, meta=meta, body=fm.body, body_line=fm.body_line, lines=fm.lines), findings


def find_answer(body: str) -> SourceBlock | None:
    """The case's top-level `/// answer` block (validated by load_case)."""
    return next((b for b in scan_blocks(body) if b.name == ANSWER_BLOCK and b.parent is None), None)


def _check_blocks(body: str, body_line: int, shown: str) -> tuple[SourceBlock | None, list[Finding]]:
    findings: list[Finding] = []
    blocks = scan_blocks(body)
    to_file = body_line - 1
    for block in blocks:
        if block.end is None:
            findings.append(
                Finding.error(
                    shown,
                    to_file + block.start,
                    "block-unclosed",
                    f"the '/// {block.name}' block is never closed; add a line '///' where it ends",
                )
            )
    answers = [b for b in blocks if b.name == ANSWER_BLOCK]
    if not answers:
        findings.append(
            Finding.error(
                shown,
                body_line,
                "answer-missing",
                "the case has no answer: put the diagnosis discussion between '/// answer' and '///'",
            )
        )
    for extra in answers[1:]:
        findings.append(
            Finding.error(
                shown,
                to_file + extra.start,
                "answer-duplicate",
                f"a case has one answer block; merge this one into the first (line {to_file + answers[0].start})",
            )
        )
    for nested in (b for b in answers if b.parent is not None):
        findings.append(
            Finding.error(
                shown, to_file + nested.start, "answer-nested", "the answer block must not be inside another block"
            )
        )
    for block in blocks:
        if block.name == ETIOLOGY_BLOCK and block.end is not None:
            _, table_findings = parse_table(block.argument, block.content, shown, to_file + block.start + 1)
            findings += table_findings
    return (answers[0] if answers else None), findings


def _check_figures(figures: Iterable[Figure], folder: Path, shown: str) -> list[Finding]:
    findings: list[Finding] = []
    for fig in figures:
        problem = _image_problem(fig.file, folder)
        if problem:
            findings.append(Finding.error(shown, fig.line, "figure-missing", f"figure {fig.number}: {problem}"))
    return findings


def _check_body_images(body: str, body_line: int, folder: Path, shown: str) -> list[Finding]:
    """Markdown images outside code and comments (which the reader never sees as images)."""
    findings: list[Finding] = []
    if "![" not in body:
        return findings
    for index, line in enumerate(mask(body).split("\n")):
        if "![" not in line:
            continue
        number = body_line + index
        for image in _MD_IMAGE_RE.finditer(line):
            col = image.start() + 1
            if not image.group("alt").strip():
                findings.append(
                    Finding.error(
                        shown,
                        number,
                        "image-alt",
                        "image has no alt text: describe what it shows inside the brackets, ![like this](file.png)",
                        col=col,
                    )
                )
            src = image.group("src").strip("<>")
            if not re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I):
                problem = _image_problem(src.split("#")[0].split("?")[0], folder)
                if problem:
                    findings.append(Finding.error(shown, number, "image-missing", problem, col=col))
    return findings


def _image_problem(file: str, folder: Path) -> str | None:
    if re.match(r"^[a-z][a-z0-9+.-]*:", file, re.I) or file.startswith("/"):
        return f"'{file}' must be a file in the case folder, not a URL or absolute path"
    target = folder / file
    # A plain name that is not a symlink is inside the folder; only other paths need resolving.
    if "/" in file or "\\" in file or file in {".", ".."} or target.is_symlink():
        target = target.resolve()
        try:
            target.relative_to(folder.resolve())
        except ValueError:
            return f"'{file}' is outside the case folder; put the image next to index.md"
    if target.suffix.lower() not in IMAGE_SUFFIXES:
        return f"'{file}' is not an image ({', '.join(sorted(IMAGE_SUFFIXES))})"
    if not target.is_file():
        return f"image file '{file}' does not exist in {folder.name}/; check the name (it is case-sensitive)"
    return None


def _strip_comments(text: str) -> str:
    """HTML comments are not shown to readers, so they may mention the answer (blanked, lines kept)."""
    return mask(text, code=False, spans=False)
