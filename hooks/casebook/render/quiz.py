"""The optional multiple-choice differential, split so the answer stays hidden.

Before the answer the page holds only the options, in the author's order, as
radio buttons in a `<fieldset>`: nothing in that markup (no class, attribute
or order) says which one is right, and it is excluded from the search index
because one of the options names the diagnosis. Which option is correct and
why each one is or is not lives inside the answer `<details>` as an ordinary
list, readable with or without JavaScript. `casebook-reader.js` reads that
list after the reader has picked, marks the options (each explanation is then
shown once, beside its option, and the list in the answer is hidden), locks the
choice, moves the focus to the result and offers "Try again".
Without JavaScript the "Check" button stays hidden and disabled (so pressing
Enter does not submit a form), a line says to open the answer to check the
pick, and the question is the plain reveal.
"""

from __future__ import annotations

from html import escape

from casebook.cases.model import DifferentialOption
from casebook.project.settings import Labels


def quiz_html(options: tuple[DifferentialOption, ...], labels: Labels | None = None) -> str:
    """The options before the answer: no correctness information at all."""
    if not options:
        return ""
    labels = labels or Labels()
    items = "".join(
        f'<li class="casebook-quiz-option" data-option="{n}">'
        f'<input type="radio" name="casebook-quiz" id="casebook-quiz-{n}" value="{n}">'
        f'<label for="casebook-quiz-{n}">{escape(o.option)}</label>'
        f'<p class="casebook-quiz-feedback" data-option-feedback="{n}" hidden></p></li>'
        for n, o in enumerate(options, start=1)
    )
    return (
        '<form class="casebook-quiz" data-casebook-quiz data-search-exclude>\n'
        f"<fieldset><legend>{escape(labels.quiz_legend)}</legend>"
        f'<ul class="casebook-quiz-options">{items}</ul>'
        f'<p class="casebook-quiz-no-js" data-casebook-quiz-no-js>{escape(labels.quiz_no_js)}</p>'
        f'<button type="submit" class="md-button md-button--primary casebook-quiz-check" disabled hidden>'
        f"{escape(labels.quiz_check)}</button>"
        f'<button type="button" class="md-button casebook-quiz-retry" data-casebook-quiz-retry hidden>'
        f"{escape(labels.quiz_try_again)}</button>"
        '<p class="casebook-quiz-result" data-casebook-quiz-result role="status" aria-live="polite" tabindex="-1"></p>'
        "</fieldset>\n</form>"
    )


def verdicts_html(options: tuple[DifferentialOption, ...], labels: Labels | None = None) -> str:
    """Inside the answer: each option, whether it is right, and why."""
    if not options:
        return ""
    labels = labels or Labels()
    right, wrong = escape(labels.quiz_correct), escape(labels.quiz_not_best)
    items = "".join(
        f'<li class="casebook-verdict" data-option="{n}" '
        f'data-verdict="{"correct" if o.correct else "incorrect"}">'
        f'<strong class="casebook-verdict-option">{escape(o.option)}</strong> '
        f'<span class="casebook-verdict-label">{right if o.correct else wrong}</span> '
        f'<span class="casebook-verdict-explanation">{escape(o.explanation)}</span></li>'
        for n, o in enumerate(options, start=1)
    )
    return (
        '<div class="admonition info casebook-quiz-verdicts" data-casebook-verdicts>\n'
        f'<p class="admonition-title">{escape(labels.quiz_options_explained)}</p>\n'
        f"<ol>{items}</ol>\n</div>"
    )
