"""Source checks on the images of published cases: what a file gives away, and whether it can be published.

Run by `casebook check` and the build alike (from `checks.run`). A finding
about a figure points at its entry in the case's front matter; an image used
only in the body points at the image file. The published copies never carry
the metadata reported here (`casebook.images`); these findings ask the author
to clean the repository too, where the original stays readable by anyone.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from casebook.cases.model import Case
from casebook.cases.spoilers import leaked_term
from casebook.findings import Finding, relative
from casebook.images.cache import Cache
from casebook.images.inspect import RASTER_SUFFIXES, BadImage, SourceInfo, inspect_source
from casebook.images.publish import Where, is_image
from casebook.images.svg import SvgRefused, sanitise
from casebook.project.load import Project


def image_locations(project: Project) -> dict[str, Where]:
    """Site path of each image of a published case -> where findings about it point."""
    return {uri: at for case in project.cases for uri, (_, at) in _case_images(project, case).items()}


def _case_images(project: Project, case: Case) -> dict[str, tuple[Path, Where]]:
    root, prefix = project.root, f"{project.settings.cases_uri}/{case.slug}/"
    found: dict[str, tuple[Path, Where]] = {}
    for path in sorted(case.folder.rglob("*")):
        rel = path.relative_to(case.folder).as_posix()
        if path.is_file() and is_image(rel) and not any(p.startswith(".") for p in rel.split("/")):
            found[prefix + rel] = (path, Where(relative(path, root), 1, f"'{rel}'"))
    shown = relative(case.path, root)
    for fig in case.meta.figures:
        if prefix + fig.file in found:
            found[prefix + fig.file] = (
                found[prefix + fig.file][0],
                Where(shown, fig.line, f"figure {fig.number} ({fig.file})"),
            )
    return found


def image_findings(project: Project, cache: Cache | None = None) -> list[Finding]:
    """Every image rule on every published case; with the build's image `cache`, unchanged files are not decoded."""
    inspect = cache.source_info if cache is not None else inspect_source
    findings: list[Finding] = []
    for case in project.cases:
        for uri, (path, at) in _case_images(project, case).items():
            findings += _check_one(project, case, uri, path, at, inspect)
    return findings


def _check_one(
    project: Project, case: Case, uri: str, path: Path, at: Where, inspect: Callable[[Path], SourceInfo]
) -> list[Finding]:
    if path.suffix.lower() == ".svg":
        try:
            clean = sanitise(path.read_bytes())
        except SvgRefused as exc:
            return [Finding.error(at.path, at.line, "svg-unsafe", f"{at.label} is not published: {exc}; remove it")]
        figure = next((f for f in case.meta.figures if uri.endswith(f"/{case.slug}/{f.file}")), None)
        if figure is not None and not figure.in_answer and (term := leaked_term(clean.text, case.meta.spoiler_terms)):
            return [
                Finding.error(
                    at.path,
                    at.line,
                    "spoiler",
                    f"{at.label}: the drawing's text names the diagnosis ({term!r}) before the answer is revealed; "
                    "reword the label or set 'in_answer: true'",
                )
            ]
        return []
    if path.suffix.lower() not in RASTER_SUFFIXES:
        return []
    try:
        info = inspect(path)
    except BadImage as exc:
        return [Finding.error(at.path, at.line, "image-unreadable", f"{at.label} {exc}")]
    findings = []
    shown = relative(path, project.root)
    if info.identifying.gps:
        findings.append(
            Finding.error(
                at.path,
                at.line,
                "image-gps",
                f"{at.label}: this photo records where it was taken: GPS latitude and longitude (not repeated "
                "here); the published copy drops it, but remove it from the repository too: "
                f"`exiftool -all= {shown}` or re-export",
            )
        )
    if info.identifying.fields:
        findings.append(
            Finding.warning(
                at.path,
                at.line,
                "image-metadata",
                f"{at.label}: this photo carries identifying metadata ({', '.join(info.identifying.fields)}); the "
                f"published copy drops it, but remove it from the repository too: `exiftool -all= {shown}` or "
                "re-export",
            )
        )
    limits = project.settings.images
    if info.long_side > limits.max_side or info.size_bytes > limits.max_mb * 1_000_000:
        findings.append(
            Finding.warning(
                at.path,
                at.line,
                "image-large",
                f"{at.label} is {info.width:,} x {info.height:,} px and {info.size_bytes / 1e6:.1f} MB, more than "
                f"the limit ({limits.max_side:,} px on the long side or {limits.max_mb:g} MB); the published copy is "
                f"resized to at most {limits.max_side:,} px, but keep the repository small: export it smaller",
            )
        )
    return findings
