"""What a reader meets on a case page, in Debian's chromium at desktop (1280 px) and phone (390 px) widths.

The quiz after a check, the reveal's words and icon, figures' zoom links, and URLs that point
into a closed answer (`#answer`, `#figure-2`, `#ref-…`, `#cite-…`, `#:~:text=`), which must not
open it with or without JavaScript. The browser, page and site fixtures are test_browser's.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

import test_browser
from reader_sites import QUIZ_OPTIONS
from test_browser import (
    CORRECT,
    QUIZ_CASE,
    REAL_CASE,
    SUMMARY,
    NewPage,
    Page,
    answer_open,
    assert_no_axe_violations,
    body_text,
    open_page,
    seen,
    shot,
)

#: test_browser's fixtures: the browser, a fresh page per test, and the two built sites.
pytest_plugins = ["test_browser"]

pytestmark = test_browser.pytestmark  # the browser mark, and skipped without Debian's chromium

WIDTHS = {"desktop": 1280, "phone": 390}
TEEN_CASE = "cases/synthetic-teen-case/"
#: Text that is only inside the teen case's answer (its discussion) and its diagnosis.
ANSWER_TEXT = "Synthetic discussion paragraph"
TEEN_DIAGNOSIS = "Synthetic condition zeta"
NOTICE = "[data-casebook-answer-notice]"


def sized(new_page: NewPage, width: str, javascript: bool = True, scheme: str = "light") -> Page:
    page = new_page(javascript, scheme)
    page.set_viewport_size({"width": WIDTHS[width], "height": 844 if width == "phone" else 900})
    return page


def in_viewport(page: Page, selector: str) -> bool:
    return page.eval_on_selector(
        selector,
        "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight && r.height > 0; }",
    )


# The quiz --------------------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_checking_moves_focus_to_the_result_locks_the_pick_and_explains_each_option_once(
    sites: dict[str, str], new_page: NewPage, width: str
) -> None:
    page = open_page(sized(new_page, width), sites["synthetic"] + QUIZ_CASE)
    page.get_by_label(QUIZ_OPTIONS[0]["option"]).check()
    page.get_by_role("button", name="Check my answer").click()
    result = "[data-casebook-quiz-result]"
    assert page.evaluate(f"() => document.activeElement === document.querySelector('{result}')"), "focus on result"
    assert in_viewport(page, result), f"the result is on screen at {WIDTHS[width]} px"
    assert answer_open(page)
    # The pick is locked; the only way on is "Try again".
    radios = page.locator('input[name="casebook-quiz"]')
    assert all(radios.nth(i).is_disabled() for i in range(radios.count()))
    assert not page.get_by_role("button", name="Check my answer").is_visible()
    retry = page.get_by_role("button", name="Try again")
    assert retry.is_visible()
    text = body_text(page)
    for option in QUIZ_OPTIONS:
        assert text.count(option["explanation"]) == 1, f"shown once: {option['explanation']!r}"
    shot(page, f"quiz-checked-{width}")
    assert_no_axe_violations(page, f"the checked quiz at {WIDTHS[width]} px")

    retry.click()
    assert page.evaluate("() => document.activeElement.name === 'casebook-quiz'"), "focus back on the options"
    assert all(radios.nth(i).is_enabled() and not radios.nth(i).is_checked() for i in range(radios.count()))
    assert not page.locator("[data-option-feedback]:visible").count()
    assert page.inner_text(result) == ""
    assert answer_open(page), "trying again does not hide what the reader has seen"
    text = body_text(page)
    for option in QUIZ_OPTIONS:
        assert text.count(option["explanation"]) == 1, "the answer's list of explanations is back"
    correct = QUIZ_OPTIONS[CORRECT - 1]["option"]
    page.get_by_label(correct).check()
    page.get_by_role("button", name="Check my answer").click()
    assert page.inner_text(result).startswith(f"Correct: {correct}.")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_without_javascript_a_line_says_to_open_the_answer(
    sites: dict[str, str], new_page: NewPage, javascript: bool
) -> None:
    page = open_page(new_page(javascript), sites["synthetic"] + QUIZ_CASE)
    line = page.get_by_text("To check your pick, open the answer below: it explains every option.")
    assert line.is_visible() == (not javascript)


# The reveal and figures ------------------------------------------------------------------


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("width", WIDTHS)
def test_the_summary_says_hide_the_answer_when_open(
    sites: dict[str, str], new_page: NewPage, width: str, javascript: bool
) -> None:
    page = open_page(sized(new_page, width, javascript), sites["real"] + REAL_CASE)
    summary = page.locator(SUMMARY)
    assert summary.inner_text().strip() == "Show the answer"
    summary.click()
    assert answer_open(page)
    assert summary.inner_text().strip() == "Hide the answer"
    summary.click()
    assert summary.inner_text().strip() == "Show the answer"


@pytest.mark.parametrize("width", WIDTHS)
def test_the_reveal_icon_is_an_eye_not_a_checkmark(sites: dict[str, str], new_page: NewPage, width: str) -> None:
    page = open_page(sized(new_page, width), sites["real"] + REAL_CASE)
    mask = page.eval_on_selector(SUMMARY, "s => getComputedStyle(s, '::before').maskImage")
    success = page.evaluate(
        "() => getComputedStyle(document.documentElement).getPropertyValue('--md-admonition-icon--success')"
    )
    assert "M12 5C6.5 5" in mask, mask[:120]
    assert success.strip() and success.strip() not in mask


@pytest.mark.parametrize("width", WIDTHS)
def test_zoom_links_are_named_enlarge_figure_n(sites: dict[str, str], new_page: NewPage, width: str) -> None:
    page = open_page(sized(new_page, width), sites["synthetic"] + TEEN_CASE)
    assert page.get_by_role("link", name="Enlarge Figure 1", exact=True).is_visible()
    page.click(SUMMARY)
    assert page.get_by_role("link", name="Enlarge Figure 2", exact=True).is_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_index_thumbnails_are_decorative(sites: dict[str, str], new_page: NewPage, width: str) -> None:
    page = open_page(sized(new_page, width), sites["synthetic"] + "cases/")
    thumbs = page.locator("img.casebook-card-thumb")
    assert thumbs.count() >= 1
    assert {thumbs.nth(i).get_attribute("alt") for i in range(thumbs.count())} == {""}
    card = page.locator('.casebook-case-card[data-casebook-case="synthetic-teen-case"]')
    assert card.get_by_role("img").count() == 0, "an empty alt takes the thumbnail out of the accessibility tree"
    assert card.get_by_role("link", name="Synthetic teenager case: a test ache").count() == 1


# Deep links ------------------------------------------------------------------------------


def held_ids(page: Page, prefix: str) -> list[str]:
    return page.eval_on_selector_all(
        f'details.casebook-answer [data-casebook-id^="{prefix}"]', "els => els.map(e => e.dataset.casebookId)"
    )


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("target", ["answer", "figure-2", "text"])
def test_a_url_into_the_answer_does_not_open_it(
    sites: dict[str, str], new_page: NewPage, target: str, width: str, javascript: bool
) -> None:
    fragment = f"#:~:text={quote(ANSWER_TEXT)}" if target == "text" else f"#{target}"
    page = open_page(sized(new_page, width, javascript), sites["synthetic"] + TEEN_CASE + fragment)
    page.wait_for_timeout(300)  # the browser reveals a fragment's target after load; give it the chance
    assert not answer_open(page), f"{fragment} opened the answer"
    assert TEEN_DIAGNOSIS not in body_text(page) and ANSWER_TEXT not in body_text(page)
    notice = page.locator(NOTICE)
    if not javascript:
        assert not notice.count()
        return
    if target == "text":  # a text directive is not in location.hash: nothing to point out
        return
    assert notice.is_visible() and in_viewport(page, NOTICE)
    assert "points into the answer" in notice.inner_text()
    shot(page, f"deep-link-{target}-{width}")
    assert_no_axe_violations(page, f"a case opened at {fragment} ({WIDTHS[width]} px)")
    notice.get_by_role("button", name="Show the answer").click()
    assert answer_open(page) and not notice.is_visible()
    if target == "figure-2":
        assert page.evaluate("() => document.activeElement.dataset.casebookId") == "figure-2"
        assert in_viewport(page, '[data-casebook-id="figure-2"] figcaption')
    assert seen(page) == ["synthetic-teen-case"], "opening from the notice is the reader revealing the answer"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("prefix", ["ref-", "cite-"])
def test_a_url_naming_a_reference_or_citation_in_the_answer_does_not_open_it(
    sites: dict[str, str], new_page: NewPage, prefix: str, javascript: bool
) -> None:
    page = open_page(new_page(javascript=False), sites["real"] + REAL_CASE)
    ids = held_ids(page, prefix)
    assert ids, f"the seed case cites references inside its answer ({prefix}…)"
    assert not page.locator("details.casebook-answer [id]").count(), "no id inside the answer in the HTML"
    page = open_page(new_page(javascript), sites["real"] + REAL_CASE + "#" + ids[-1])
    page.wait_for_timeout(300)
    assert not answer_open(page), f"#{ids[-1]} opened the answer"
    assert page.locator(NOTICE).is_visible() == javascript


def test_something_else_opening_the_answer_is_undone(sites: dict[str, str], new_page: NewPage) -> None:
    """Material opens a <details> when the URL's fragment changes to something inside it; so does find-in-page."""
    page = open_page(new_page(), sites["synthetic"] + TEEN_CASE)
    page.evaluate("() => { document.querySelector('details.casebook-answer').open = true; }")
    page.wait_for_timeout(100)
    assert not answer_open(page)
    assert page.locator(NOTICE).is_visible()
    assert seen(page) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_following_a_citation_in_the_open_answer_leaves_no_fragment_in_the_url(
    sites: dict[str, str], new_page: NewPage, width: str
) -> None:
    url = sites["real"] + REAL_CASE
    page = open_page(sized(new_page, width), url)
    page.click(SUMMARY)
    cite = page.locator("details.casebook-answer a.casebook-cite").last
    key = cite.get_attribute("href").removeprefix("#")
    cite.click()
    assert page.url == url, "no fragment that would open the answer for whoever gets the link"
    assert page.evaluate("() => document.activeElement.dataset.casebookId") == key
    assert in_viewport(page, f'[data-casebook-id="{key}"]')
    back = page.locator(f'[data-casebook-id="{key}"] a.casebook-backlink').first
    target = back.get_attribute("href").removeprefix("#")
    back.click()
    assert page.url == url
    assert page.evaluate("() => document.activeElement.dataset.casebookId") == target
    # The previews of the answer's citations keep their accessible description.
    cite.focus()
    described = cite.get_attribute("aria-describedby")
    assert described and page.locator(f"#{described}").is_visible()
    assert re.sub(r"\s+", " ", page.inner_text(f"#{described}")).strip()


# Printing --------------------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_a_teacher_prints_a_handout_without_the_answer_or_the_key_with_it(
    sites: dict[str, str], new_page: NewPage, width: str
) -> None:
    page = open_page(sized(new_page, width), sites["real"] + REAL_CASE)
    # The browser's print dialog is not part of the test: record the call instead.
    page.evaluate("() => { window.print = () => { window.casebookPrinted = (window.casebookPrinted || 0) + 1; }; }")
    page.get_by_role("button", name="Print as a handout (no answer)").click()
    assert page.evaluate("() => window.casebookPrinted") == 1
    page.emulate_media(media="print")
    assert page.locator(".casebook-question").is_visible()
    assert not page.locator("details.casebook-answer").is_visible(), "a handout has no answer"
    assert not page.locator(".casebook-print-modes").is_visible()
    assert not page.locator(".casebook-backlinks:visible").count(), "no backlink glyphs on paper"
    shot(page, f"print-handout-{width}")
    page.emulate_media(media="screen")
    page.get_by_role("button", name="Print with the answer").click()
    page.emulate_media(media="print")
    assert page.locator(".casebook-diagnosis").is_visible(), "the answer key has the answer"
    assert not page.locator(".casebook-backlinks:visible").count()
    page.emulate_media(media="screen")
    assert not answer_open(page) and seen(page) == [], "printing is not revealing"


# Navigation ------------------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_the_newer_and_older_case_links_lead_on_by_title(sites: dict[str, str], new_page: NewPage, width: str) -> None:
    page = open_page(sized(new_page, width), sites["synthetic"] + "cases/synthetic-infant-case/")
    nav = page.get_by_role("navigation", name="Other cases")
    assert nav.is_visible()
    assert nav.inner_text().split("\n") == [
        "Newer case:",
        "Synthetic quiz case: a test rash",
        "Older case:",
        "Synthetic adult case: a test cough",
    ]
    assert_no_axe_violations(page, f"a case page with its newer/older links ({WIDTHS[width]} px)")
    nav.get_by_role("link", name="Older case: Synthetic adult case: a test cough").click()
    page.wait_for_url("**/cases/synthetic-adult-case/")
    assert not answer_open(page)


# Search ----------------------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_a_search_that_finds_nothing_says_answers_are_left_out_and_links_the_browse_pages(
    sites: dict[str, str], new_page: NewPage, width: str
) -> None:
    page = open_page(sized(new_page, width), sites["synthetic"])
    dialog = page.locator(".md-search[role='dialog']")
    assert dialog.get_attribute("aria-label") == "Search this site"
    if width == "phone":  # on a desktop the search box is in the header already
        page.click("label.md-header__button[for='__search']")
    search = page.locator(".md-search__input")
    search.press_sequentially("zeta")  # only in an answer: never indexed (Material searches on key presses)
    note = page.locator(".md-search-result .casebook-search-none")
    note.wait_for(state="visible")
    assert "Answers are kept out of the search on purpose" in note.inner_text()
    assert note.get_by_role("link", name="Browse by diagnosis").get_attribute("href") == "browse/diagnoses/"
    shot(page, f"search-none-{width}")
    assert_no_axe_violations(page, f"the search dialog with no results ({WIDTHS[width]} px)")
    search.fill("")
    search.press_sequentially("Synthetic")
    page.locator(".md-search-result__item").first.wait_for(state="visible")
    assert not note.is_visible(), "only when nothing is found"


def test_without_javascript_a_note_replaces_the_search_box(sites: dict[str, str], new_page: NewPage) -> None:
    page = open_page(new_page(javascript=False), sites["synthetic"] + QUIZ_CASE)
    assert not page.locator(".md-search").is_visible()
    note = page.locator(".casebook-search-no-js")
    assert note.is_visible()
    assert note.inner_text().startswith("Search needs JavaScript, which is off in this browser. Browse instead:")
    assert note.get_by_role("link", name="Cases").get_attribute("href") == "../"
    assert not page.locator(".casebook-search-none:visible").count()
    page = open_page(new_page(), sites["synthetic"] + QUIZ_CASE)
    assert not page.locator(".casebook-search-no-js").is_visible(), "with JavaScript the search box is there"


# Keyboard and screen readers -------------------------------------------------------------


def tab_stops(page: Page, count: int) -> list[str]:
    """Where `count` presses of Tab from the top of the page land (a short description of each)."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    stops = []
    for _ in range(count):
        page.keyboard.press("Tab")
        stops.append(
            page.evaluate(
                """() => { const e = document.activeElement;
                return (e.closest('.md-sidebar--primary') ? 'drawer:' : '') + e.tagName + ':' +
                (e.getAttribute('aria-label') || e.textContent.trim().slice(0, 30)); }"""
            )
        )
    return stops


@pytest.mark.parametrize("width", WIDTHS)
def test_the_closed_drawer_takes_no_tab_stops(sites: dict[str, str], new_page: NewPage, width: str) -> None:
    page = open_page(sized(new_page, width), sites["real"] + REAL_CASE)
    stops = tab_stops(page, 25)
    drawer = [s for s in stops if s.startswith("drawer:")]
    if width == "phone":
        assert drawer == [], f"invisible focus on the closed menu: {drawer}"
        # Tabbing reached the search field, and Material opened its search overlay over the header: close it.
        page.keyboard.press("Escape")
        page.evaluate("() => { document.getElementById('__search').checked = false; document.activeElement.blur(); }")
        page.click("label.md-header__button[for='__drawer']")
        page.wait_for_timeout(300)
        assert page.locator(".md-sidebar--primary[inert]").count() == 0, "the open menu is usable"
        page.keyboard.press("Escape")
    else:
        assert drawer, "on a desktop the sidebar navigation is in view and reachable"


@pytest.mark.parametrize("width", WIDTHS)
def test_the_skip_link_goes_to_the_page_title(sites: dict[str, str], new_page: NewPage, width: str) -> None:
    page = open_page(sized(new_page, width), sites["real"] + REAL_CASE)
    page.keyboard.press("Tab")
    skip = page.locator("a.md-skip")
    assert skip.evaluate("a => a === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.tagName") == "H1"
    assert page.inner_text("h1").startswith(test_browser.REAL_META["title"])


@pytest.mark.parametrize("width", WIDTHS)
def test_citations_are_named_big_enough_and_their_preview_stays_on_screen(
    sites: dict[str, str], new_page: NewPage, width: str
) -> None:
    page = open_page(sized(new_page, width), sites["real"] + REAL_CASE)
    page.click(SUMMARY)
    cites = page.locator("a.casebook-cite")
    assert cites.count() >= 2
    for i in range(cites.count()):
        cite = cites.nth(i)
        assert cite.get_attribute("aria-label") == f"Reference {cite.inner_text().strip()}"
        box = cite.bounding_box()
        assert box and box["width"] >= 24 and box["height"] >= 24, f"citation {i + 1} target is {box}"
    viewport = page.viewport_size
    for i in (0, cites.count() - 1):
        cite = cites.nth(i)
        cite.focus()
        tip = page.locator("#" + cite.get_attribute("aria-describedby"))
        tip_box = tip.bounding_box()
        assert tip_box and tip_box["x"] >= 0 and tip_box["x"] + tip_box["width"] <= viewport["width"], tip_box


@pytest.mark.parametrize("width", WIDTHS)
def test_the_lightbox_is_a_named_modal_dialog_that_keeps_the_focus(
    sites: dict[str, str], new_page: NewPage, width: str
) -> None:
    page = open_page(sized(new_page, width), sites["synthetic"] + TEEN_CASE)
    alt = page.get_attribute("#figure-1 img", "alt")
    page.get_by_role("link", name="Enlarge Figure 1").click()
    dialog = page.locator("#glightbox-body")
    dialog.wait_for(state="visible")
    assert dialog.get_attribute("role") == "dialog" and dialog.get_attribute("aria-modal") == "true"
    assert dialog.get_attribute("aria-label") == "Figure 1"
    page.locator("#glightbox-body .gslide.current img").wait_for(state="visible")
    assert page.get_attribute("#glightbox-body .gslide.current img", "alt") == alt
    for _ in range(6):
        page.keyboard.press("Tab")
        assert page.evaluate("() => !!document.activeElement.closest('#glightbox-body')"), "Tab stays in the dialog"
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("() => !!document.activeElement.closest('#glightbox-body')")
    page.keyboard.press("Escape")
    dialog.wait_for(state="detached")


# axe on every page type ------------------------------------------------------------------

PAGE_TYPES = [
    ("real", "", False, "home"),
    ("real", "cases/", False, "case-index"),
    ("real", REAL_CASE, False, "case"),
    ("real", REAL_CASE, True, "case-revealed"),
    ("synthetic", QUIZ_CASE, False, "quiz-case"),
    ("real", "bibliography/", False, "bibliography"),
    ("real", "browse/diagnoses/", False, "browse-diagnoses"),
    ("real", "browse/etiology/", False, "browse-etiology"),
    ("real", "reading/", False, "readers-page"),
    ("real", "authoring/", False, "authors-page"),
    ("real", "theme/", False, "authors-page-code"),
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("site", "path", "reveal", "label"), PAGE_TYPES, ids=[p[-1] for p in PAGE_TYPES])
def test_every_page_type_passes_axe(
    sites: dict[str, str], new_page: NewPage, site: str, path: str, reveal: bool, label: str, width: str, scheme: str
) -> None:
    page = open_page(sized(new_page, width, scheme=scheme), sites[site] + path)
    # The palette follows the reader's system setting: the page really is in the scheme under test.
    assert page.get_attribute("body", "data-md-color-scheme") == {"light": "default", "dark": "slate"}[scheme]
    if reveal:
        page.click(SUMMARY)
    assert_no_axe_violations(page, f"{label} at {WIDTHS[width]} px, {scheme}")
