"""What a teacher gets on paper (issue 15, item 8): Chromium's own PDF of a case, on A4 and on Letter.

The screen tests (test_browser, test_reader_ui) look at the print stylesheet through
`emulate_media`; only the PDF says on which page something lands. Each PDF is read back page
by page with pypdf: page one holds the title, the facts, the history, Figure 1 and the question;
the answer key starts the answer on page two; a handout has no answer at all; no backlink glyph
is printed; the site bibliography keeps its answer-only section off paper. The texts looked for
are read from the page itself, so the tests follow the shipped case as it is edited.
"""

from __future__ import annotations

import io
import re

import pytest

import test_browser
from reader_sites import QUIZ_OPTIONS
from test_browser import QUIZ_CASE, REAL_CASE, REAL_META, NewPage, Page, answer_open, open_page, seen

pypdf = pytest.importorskip("pypdf", reason="pypdf (the test extra) is not installed")

#: test_browser's fixtures: the browser, a fresh page per test, and the two built sites.
pytest_plugins = ["test_browser"]

pytestmark = test_browser.pytestmark  # the browser mark, and skipped without Debian's chromium

PAPERS = ["A4", "Letter"]
HANDOUT = "Print as a handout (no answer)"
KEY = "Print with the answer"
BACKLINK_GLYPH = "↩"


def pdf_pages(page: Page, paper: str) -> list[str]:
    """The text of each page of Chromium's PDF, whitespace made single spaces."""
    page.emulate_media(media="print")
    reader = pypdf.PdfReader(io.BytesIO(page.pdf(format=paper)))
    return [" ".join(p.extract_text().split()) for p in reader.pages]


def first_page_with(pages: list[str], text: str) -> int | None:
    """The 1-based number of the first page showing `text`, or None."""
    wanted = " ".join(text.split())
    return next((n for n, t in enumerate(pages, start=1) if wanted in t), None)


def words(text: str, n: int = 6) -> str:
    """The first `n` words of a text: short enough to stay on one line of the PDF."""
    return " ".join(text.split()[:n])


def page_one_texts(page: Page) -> dict[str, str]:
    """What docs/reading.md promises on page one, as the case page shows it."""
    return {
        "title": words(page.locator("article h1").inner_text()),
        "facts": words(page.locator(".casebook-facts dd").first.inner_text()),
        "history": words(page.eval_on_selector("#figure-1", "f => f.previousElementSibling.textContent")),
        "Figure 1": words(page.inner_text("#figure-1 figcaption"), 5),
        "question": words(page.locator(".casebook-question > p").last.inner_text()),
    }


def print_with(page: Page, button: str) -> None:
    """Choose a print mode as a teacher does; the dialog itself is not part of the test."""
    page.evaluate("() => { window.print = () => {}; }")
    page.get_by_role("button", name=button).click()


def assert_page_one(pages: list[str], expected: dict[str, str], paper: str) -> None:
    for what, text in expected.items():
        assert first_page_with(pages, text) == 1, f"{what} ({text!r}) is not on page 1 of {paper}: {pages[:2]}"


def assert_no_glyphs(pages: list[str]) -> None:
    assert not [n for n, t in enumerate(pages, 1) if BACKLINK_GLYPH in t], "backlink glyphs on paper"
    for screen_only in ("Show the answer", "Hide the answer", HANDOUT, KEY):
        assert first_page_with(pages, screen_only) is None, f"{screen_only!r} printed"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("paper", PAPERS)
def test_the_answer_key_has_the_case_on_page_one_and_the_answer_from_page_two(
    sites: dict[str, str], new_page: NewPage, paper: str, javascript: bool
) -> None:
    """With JavaScript the teacher picks "Print with the answer"; without it the browser's Print is the key."""
    page = open_page(new_page(javascript), sites["real"] + REAL_CASE)
    expected = page_one_texts(page)
    if javascript:
        print_with(page, KEY)
    pages = pdf_pages(page, paper)
    assert_page_one(pages, expected, paper)
    diagnosis = REAL_META["diagnosis"]
    assert first_page_with(pages, "Diagnosis:") == 2, f"the answer starts on page 2 of {paper}: {pages[:3]}"
    assert first_page_with(pages, words(diagnosis)) == 2
    assert first_page_with(pages, "References") not in (None, 1), "the answer's references print, after page 1"
    assert_no_glyphs(pages)
    page.emulate_media(media="screen")
    assert not answer_open(page) and seen(page) == [], "printing the key is not revealing the answer"


@pytest.mark.parametrize("paper", PAPERS)
def test_a_handout_has_the_case_on_page_one_and_no_answer(sites: dict[str, str], new_page: NewPage, paper: str) -> None:
    page = open_page(new_page(), sites["real"] + REAL_CASE)
    expected = page_one_texts(page)
    answer_words = words(page.eval_on_selector("details.casebook-answer h2 + p", "p => p.textContent"))
    print_with(page, HANDOUT)
    pages = pdf_pages(page, paper)
    assert_page_one(pages, expected, paper)
    text = " ".join(pages)
    for left_out in ("Diagnosis:", words(REAL_META["diagnosis"]), "Figure 2.", answer_words, "References"):
        assert left_out not in text, f"the handout prints {left_out!r}"
    assert_no_glyphs(pages)
    # The mode lasts one printout: the browser's Print afterwards is the answer key again.
    assert first_page_with(pdf_pages(page, paper), "Diagnosis:") == 2


@pytest.mark.parametrize("paper", PAPERS)
def test_a_quiz_handout_prints_the_options_on_page_one_and_no_explanation(
    sites: dict[str, str], new_page: NewPage, paper: str
) -> None:
    page = open_page(new_page(), sites["synthetic"] + QUIZ_CASE)
    print_with(page, HANDOUT)
    pages = pdf_pages(page, paper)
    assert first_page_with(pages, words(page.locator(".casebook-question > p").first.inner_text())) == 1
    for option in QUIZ_OPTIONS:
        assert first_page_with(pages, option["option"]) == 1, f"{option['option']!r} not on page 1 of {paper}"
        assert first_page_with(pages, option["explanation"]) is None, "a handout explains no option"
    assert first_page_with(pages, "Check my answer") is None


@pytest.mark.parametrize("paper", PAPERS)
def test_printing_the_bibliography_keeps_its_answer_only_section_off_paper(
    sites: dict[str, str], new_page: NewPage, paper: str
) -> None:
    page = open_page(new_page(), sites["real"] + "bibliography/")
    hidden = page.locator(".casebook-bibliography-answers > details")
    assert hidden.count() == 1, "the shipped case cites references only inside its answer"
    summary = page.locator(".casebook-bibliography-answers > details > summary").inner_text()
    titles = page.eval_on_selector_all(
        ".casebook-bibliography-answers li", "lis => lis.map(li => li.textContent.split('. ')[1] || '')"
    )
    assert titles and all(titles)
    pages = pdf_pages(page, paper)
    text = " ".join(pages)
    assert words(summary) in text, "paper says what was left out"
    leaked = [t for t in titles if words(t, 4) in text]
    assert not leaked, f"references cited only in answers printed: {leaked}"
    assert not re.search(re.escape(words(REAL_META["diagnosis"], 3)), text, re.I), "the bibliography names a diagnosis"
    page.emulate_media(media="screen")
    assert not hidden.evaluate("d => d.open"), "the section is still closed on screen after printing"


def test_a_heading_is_never_left_at_the_foot_of_a_printed_page(sites: dict[str, str], new_page: NewPage) -> None:
    """Chromium's fragmentation honours break-after: avoid; the rule is what keeps a heading with its text."""
    page = open_page(new_page(), sites["real"] + REAL_CASE)
    page.emulate_media(media="print")
    breaks = page.eval_on_selector_all(
        "article h2, article h3, details.casebook-answer > summary",
        "els => [...new Set(els.map(e => getComputedStyle(e).breakAfter))]",
    )
    assert breaks == ["avoid"], breaks
