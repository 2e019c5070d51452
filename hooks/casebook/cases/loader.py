"""Find and load cases: `cases/<slug>/index.md` -> a validated Case plus findings.

This is the one place that decides whether a case is well-formed, used by both
the MkDocs build and `casebook check`, so they can never disagree.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from casebook.cases.etiology import BLOCK_NAME as ETIOLOGY_BLOCK
from casebook.cases.etiology import parse_table
from casebook.cases.model import Case, CaseMeta, Figure, Patient
from casebook.cases.schema import validate_case_meta
from casebook.cases.spoilers import lint_case
from casebook.findings import Finding, relative
from casebook.text.blocks import MAX_BLOCK_DEPTH, SourceBlock, depth, scan_blocks
from casebook.text.frontmatter import FrontMatter, read_source, split_front_matter
from casebook.text.htmlbalance import unbalanced_html, unclosed_start_tags
from casebook.text.masking import mask
from casebook.text.textlint import front_matter_strings, lint_front_matter

CASE_FILE = "index.md"
ANSWER_BLOCK = "answer"
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".tif", ".tiff"}
#: The scaffold's placeholders all start with this word (`casebook.authoring.scaffold.PLACEHOLDER`).
PLACEHOLDER_RE = re.compile(r"\bTODO\b")
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
    findings += _check_html_balance(fm.body, fm.body_line, shown)
    if not (isinstance(fm.data, dict) and fm.data.get("draft") is True):
        findings += _placeholders(fm, text, shown)
    # Every independent mistake in one run: the figures and spoilers are checked on what could be read
    # even when a field is wrong.
    checked = meta or _readable_meta(fm)
    if checked is None:
        return None, findings
    findings += _check_figures(checked.figures, path.parent, shown)
    findings += lint_case(checked, slug, outside_answer(fm.body, answer), shown, fm.lines, fm.body_line)
    if meta is None or any(f.is_error for f in findings):
        return None, findings
    return Case(slug=slug, path=path, meta=meta, body=fm.body, body_line=fm.body_line, lines=fm.lines), findings


def _check_html_balance(body: str, body_line: int, shown: str) -> list[Finding]:
    """Raw HTML that would take the answer out of its `<details>` (text.htmlbalance), at its line."""
    masked = mask(body)

    def at(offset: int) -> tuple[int, int]:
        line_start = masked.rfind("\n", 0, offset) + 1
        return body_line + masked.count("\n", 0, offset), offset - line_start + 1

    findings = []
    for offset, message in unbalanced_html(masked):
        line, col = at(offset)
        findings.append(Finding.error(shown, line, "html-unbalanced", message, col=col))
    if (unclosed := unclosed_start_tags(masked)) is not None:
        line, col = at(unclosed[0])
        findings.append(Finding.error(shown, line, "html-tag-unclosed", unclosed[1], col=col))
    return sorted(findings)


def find_answer(body: str) -> SourceBlock | None:
    """The case's top-level `/// answer` block (validated by load_case)."""
    return next((b for b in scan_blocks(body) if b.name == ANSWER_BLOCK and b.parent is None), None)


def _check_blocks(body: str, body_line: int, shown: str) -> tuple[SourceBlock | None, list[Finding]]:
    findings: list[Finding] = []
    blocks = scan_blocks(body)
    to_file = body_line - 1
    too_deep = next((b for b in blocks if b.parent is not None and depth(b) > MAX_BLOCK_DEPTH), None)
    if too_deep is not None:
        # Reported once, at the first block too deep; nothing of the case is rendered.
        message = (
            f"blocks are nested more than {MAX_BLOCK_DEPTH} deep here ('/// {too_deep.name}'); "
            "a case needs only a few levels: close the blocks above or un-nest them"
        )
        return None, [Finding.error(shown, to_file + too_deep.start, "block-nested-too-deep", message)]
    misread = _misclosed_tables(blocks, shown, to_file)
    for table, outer in misread:
        assert table.end is not None  # only closed tables are misread
        findings.append(
            Finding.error(
                shown,
                to_file + table.start,
                "block-unclosed",
                f"the '/// {table.name}' block opened here is never closed: the '///' on line "
                f"{to_file + table.end}, meant for the '/// {outer.name}' block, closes it instead; "
                "add a line '///' after the table's last row",
            )
        )
    for block in blocks:
        if block.end is None and not any(block is outer for _, outer in misread):
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
        if block.name == ETIOLOGY_BLOCK and block.end is not None and not any(block is t for t, _ in misread):
            _, table_findings = parse_table(block.argument, block.content, shown, to_file + block.start + 1)
            findings += table_findings
    return (answers[0] if answers else None), findings


def _misclosed_tables(blocks: list[SourceBlock], shown: str, to_file: int) -> list[tuple[SourceBlock, SourceBlock]]:
    """Tables that took the closing `///` of the unclosed block around them: (table, that block).

    The scanner pairs each `///` with the nearest open block, so a table missing its own `///`
    swallows the rest of the answer (which then reads as invalid YAML) and leaves the answer
    unclosed. Said as it is, at the table's opening line, it is one mistake, not two.
    """
    found: list[tuple[SourceBlock, SourceBlock]] = []
    for outer in (b for b in blocks if b.end is None):
        children = [b for b in blocks if b.parent is outer and b.name == ETIOLOGY_BLOCK and b.end is not None]
        if children:
            last = children[-1]
            _, table_findings = parse_table(last.argument, last.content, shown, to_file + last.start + 1)
            if table_findings:
                found.append((last, outer))
    return found


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
        return f"image file '{file}' does not exist in {folder.name}/; check the name{_similar_file(target)}"
    return None


def _similar_file(target: Path) -> str:
    """' (did you mean ...?)' naming the closest image next to `target`, else the case-sensitivity hint."""
    folder = target.parent
    images = sorted(p.name for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES) if folder.is_dir() else []
    same = [name for name in images if name.lower() == target.name.lower()]
    match = same or difflib.get_close_matches(target.name, images, n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else " (it is case-sensitive)"


def _readable_meta(fm: FrontMatter) -> CaseMeta | None:
    """What a reader would see of a case whose front matter has a wrong field, for the spoiler and figure checks.

    None when there is no diagnosis to look for (or no mapping at all).
    """
    data = fm.data
    if not isinstance(data, dict) or not isinstance(data.get("diagnosis"), str) or not data["diagnosis"].strip():
        return None

    def text(value: Any) -> str:
        return value if isinstance(value, str) else ""

    def texts(value: Any) -> tuple[str, ...]:
        items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        return tuple(item for item in items if isinstance(item, str))

    raw_patient, raw_figures = data.get("patient"), data.get("figures")
    patient: dict[str, Any] = raw_patient if isinstance(raw_patient, dict) else {}
    figures = []
    for index, item in enumerate(raw_figures if isinstance(raw_figures, list) else []):
        if isinstance(item, dict) and text(item.get("file")):
            figures.append(
                Figure(
                    number=index + 1,
                    file=text(item.get("file")),
                    alt=text(item.get("alt")),
                    caption=text(item.get("caption")),
                    credit=text(item.get("credit")) or None,
                    in_answer=item.get("in_answer") is True,
                    line=fm.line_of("figures", index),
                )
            )
    return CaseMeta(
        title=text(data.get("title")),
        summary=text(data.get("summary")),
        date=dt.date.min,
        authors=texts(data.get("authors")),
        specialty=text(data.get("specialty")),
        patient=Patient(age=text(patient.get("age")), sex=text(patient.get("sex"))),
        presenting_complaint=text(data.get("presenting_complaint")),
        question=text(data.get("question")),
        diagnosis=data["diagnosis"],
        synonyms=texts(data.get("synonyms")),
        figures=tuple(figures),
        body_sites=texts(data.get("body_sites")),
        learning_objectives=texts(data.get("learning_objectives")),
    )


def outside_answer(body: str, answer: SourceBlock | None) -> str:
    """The body a reader can see before the reveal, lines kept: all of it but the answer's content.

    Text after the answer is shown (and indexed) before the reveal too, and so is the answer's
    summary (`/// answer | ...`). HTML comments stay: they ship in the page source.
    """
    if answer is None:
        return body
    lines = body.split("\n")
    end = len(lines) if answer.end is None else answer.end
    kept = [*lines[: answer.start - 1], answer.argument]
    kept += [""] * (end - answer.start)
    return "\n".join(kept + lines[end:])


def _placeholders(fm: FrontMatter, text: str, shown: str) -> list[Finding]:
    """`TODO` left from the scaffold in a case about to be published (a draft may keep them)."""
    lines = text.split("\n")
    found: list[tuple[int, int]] = []
    for key, value in front_matter_strings(fm.data or {}):
        if PLACEHOLDER_RE.search(value):
            number = fm.line_of(*key)
            where = PLACEHOLDER_RE.search(lines[number - 1]) if number <= len(lines) else None
            found.append((number, where.start() + 1 if where else 1))
    for index, line in enumerate(mask(fm.body).split("\n")):
        for match in PLACEHOLDER_RE.finditer(line):
            found.append((fm.body_line + index, match.start() + 1))
    return [
        Finding.error(
            shown,
            line,
            "case-todo",
            "a 'TODO' placeholder from `casebook new` is still here; replace it with the case's own text, "
            "or add 'draft: true' to the front matter to keep the case out of the site until it is ready",
            col=col,
        )
        for line, col in sorted(set(found))
    ]
