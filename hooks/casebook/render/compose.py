"""Compose a case page's Markdown from its validated model and the author's body.

Everything taken from front matter is HTML-escaped here and emitted as
finished HTML (marked with `rawhtml.passthrough`), so no front-matter string is
ever interpreted as Markdown or HTML.
The answer block keeps the author's Markdown; the diagnosis, answer-only
figures and key points are injected at its top and bottom.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from pathlib import PurePosixPath

from casebook.cases.loader import find_answer
from casebook.cases.model import Case, CaseMeta, Figure
from casebook.images.publish import Rendition, Variant
from casebook.privacy.optout import strip_optouts
from casebook.project.settings import Labels
from casebook.render.picture import figure_picture
from casebook.render.quiz import quiz_html, verdicts_html
from casebook.text.blocks import normalise_fences
from casebook.text.rawhtml import passthrough

#: Replaced by the reader hook with links to related cases (inside the answer, so spoiler-safe).
RELATED_MARKER = "<!-- casebook:related-cases -->"


def compose_case(case: Case, labels: Labels | None = None, images: Mapping[str, Rendition] | None = None) -> str:
    """The Markdown MkDocs renders for a case page (`images`: the published figures, by file name)."""
    labels = labels or Labels()
    images = images or {}
    meta = case.meta
    body = normalise_fences(strip_optouts(case.body))  # the privacy opt-outs are notes to authors
    lines = body.split("\n")
    answer = find_answer(body)
    if answer is None or answer.end is None:  # load_case rejects this; stay total anyway
        return body
    before = "\n".join(lines[: answer.start - 1]).strip("\n")
    opening = lines[answer.start - 1]
    inside = "\n".join(lines[answer.start : answer.end - 1]).strip("\n")
    closing = lines[answer.end - 1]
    after = "\n".join(lines[answer.end :]).strip("\n")

    parts = [passthrough(facts_html(meta, labels))]
    if meta.learning_objectives:
        parts.append(
            passthrough(_list_box(labels.learning_objectives, "abstract casebook-objectives", meta.learning_objectives))
        )
    parts.append(f"## {_heading_text(labels.the_case)} {{#the-case}}")
    if before:
        parts.append(before)
    shown = [f for f in meta.figures if not f.in_answer]
    parts += [passthrough(figure_html(f, images.get(f.file), eager=i == 0)) for i, f in enumerate(shown)]
    parts.append(passthrough(question_html(meta.question, case.slug, labels)))
    if meta.differential:
        parts.append(passthrough(quiz_html(meta.differential, labels)))
    answer_parts = [opening, passthrough(diagnosis_html(meta, labels))]
    if meta.differential:
        answer_parts.append(passthrough(verdicts_html(meta.differential, labels)))
    answer_parts += [passthrough(figure_html(f, images.get(f.file))) for f in meta.figures if f.in_answer]
    if inside:
        answer_parts.append(inside)
    if meta.key_points:
        answer_parts.append(passthrough(_list_box(labels.key_points, "tip casebook-key-points", meta.key_points)))
    answer_parts.append(RELATED_MARKER)
    answer_parts.append(closing)
    parts.append("\n\n".join(answer_parts))
    if after:
        parts.append(after)
    return "\n\n".join(parts) + "\n"


def facts_html(meta: CaseMeta, labels: Labels | None = None) -> str:
    """The case's at-a-glance facts, spoiler-free by schema and lint."""
    labels = labels or Labels()
    sex = labels.sex_unspecified if meta.patient.sex == "unspecified" else meta.patient.sex
    patient = f"{meta.patient.age}, {sex}"
    rows = [
        ("Patient", escape(patient)),
        ("Presenting complaint", escape(meta.presenting_complaint)),
        ("Specialty", escape(meta.specialty)),
        ("Published", f'<time datetime="{meta.date.isoformat()}">{meta.date.strftime("%-d %B %Y")}</time>'),
        ("Authors", escape(", ".join(meta.authors))),
    ]
    # The spaces keep labels and values apart in the search index's text ("Patient 12 months").
    items = " ".join(f"<div><dt>{k}</dt> <dd>{v}</dd></div>" for k, v in rows)
    return f'<dl class="casebook-facts">{items}</dl>'


def figure_html(fig: Figure, rendition: Rendition | None = None, *, eager: bool = False) -> str:
    """A numbered figure: its published sizes in a zoom link (`render.picture`), else the file itself.

    Without a rendition (an image the build could not publish, which is an error already), glightbox
    wraps the plain image in a zoom link at build time.
    """
    label = f"Figure {fig.number}"
    # Separate lightbox galleries, so "next" on a figure of the case never shows one from the answer.
    gallery = "casebook-answer" if fig.in_answer else "casebook-case"
    credit = f' <span class="casebook-credit">{escape(fig.credit)}</span>' if fig.credit else ""
    # GLightbox reads a description starting with "." as a selector and inserts the element's HTML: point
    # it at this figure's own escaped caption, so an author's caption is never a selector nor markup.
    caption_class = f"casebook-caption-{fig.number}"
    description = f".{caption_class}"
    if rendition is not None:
        folder = PurePosixPath(rendition.source_uri[: -len(fig.file)] or ".")

        def url(variant: Variant) -> str:
            return PurePosixPath(variant.uri).relative_to(folder).as_posix()

        image = figure_picture(
            rendition, url, alt=fig.alt, title=label, description=description, gallery=gallery, eager=eager
        )
    else:
        image = (
            f'<img src="{escape(fig.file)}" alt="{escape(fig.alt)}" loading="lazy" '
            f'data-title="{label}" data-description="{description}" data-gallery="{gallery}">'
        )
    return (
        # Inside the answer the id is held back (markdown_ext.AnswerIdsTreeprocessor says why).
        f'<figure class="casebook-figure" {"data-casebook-id" if fig.in_answer else "id"}="figure-{fig.number}">\n'
        f"{image}\n"
        f'<figcaption><span class="casebook-figure-label">{label}.</span> '
        f'<span class="{caption_class}">{escape(fig.caption)}</span>{credit}</figcaption>\n'
        f"</figure>"
    )


def question_html(question: str, slug: str | None = None, labels: Labels | None = None) -> str:
    """The question; `data-casebook-page-case` tells the reader script which case this page is."""
    labels = labels or Labels()
    page_case = f' data-casebook-page-case="{escape(slug)}"' if slug else ""
    return (
        f'<div class="admonition question casebook-question"{page_case}>\n'
        f'<p class="admonition-title">{escape(labels.question)}</p>\n'
        f"<p>{escape(question)}</p>\n"
        "</div>"
    )


def diagnosis_html(meta: CaseMeta, labels: Labels | None = None) -> str:
    labels = labels or Labels()
    also = ""
    if meta.synonyms:
        also = (
            f' <span class="casebook-synonyms">({escape(labels.also_called)} {escape("; ".join(meta.synonyms))})</span>'
        )
    return (
        f'<p class="casebook-diagnosis"><strong>{escape(labels.diagnosis)}:</strong> '
        f'<span class="casebook-diagnosis-name">{escape(meta.diagnosis)}</span>{also}</p>'
    )


def _heading_text(text: str) -> str:
    """A label as the text of a Markdown heading: escaped, and no character Markdown would act on."""
    return escape(text, quote=False).translate({ord(ch): f"\\{ch}" for ch in "\\`*_{}[]#!|"})


def _list_box(title: str, classes: str, items: tuple[str, ...]) -> str:
    lis = "".join(f"<li>{escape(item)}</li>" for item in items)
    return (
        f'<div class="admonition {classes}">\n<p class="admonition-title">{escape(title)}</p>\n<ul>{lis}</ul>\n</div>'
    )
