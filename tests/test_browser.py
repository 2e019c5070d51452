"""Reader features in a real browser: Debian's chromium driven by Playwright.

The static HTML tests cannot see what a reader sees: whether the answer is rendered before
the reveal, what the keyboard does, what the scripts change, what prints, what axe-core
finds. One browser and two built sites (the synthetic reader site and the repository's real
site) serve the whole module; every page gets a fresh context, so storage never leaks between
tests. Requests that leave 127.0.0.1 (web fonts) are aborted: the tests run offline.
Screenshots of the states checked are written to tests/artifacts/.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

from local_http import base_url, serve
from reader_sites import CASES, QUIZ_OPTIONS, QUIZ_SLUG, build_reader_site
from sitebuilder import (
    PNG_1X1,
    REPO,
    SEED_CASE,
    SYNTHETIC_BODY,
    case_text,
    new_project,
    shipped_site,
    synthetic_front_matter,
)

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (Python) is not installed")
Axe = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python missing").Axe
Browser, Page = sync_api.Browser, sync_api.Page
NewPage = Callable[..., Page]

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
OFFSITE = re.compile(r"^(?!http://127\.0\.0\.1[:/])")
#: WCAG 2.2 A and AA, and axe's best practices (issue 15: landmarks, headings, one main, ...).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
STORE_KEY = "casebook:revealed"
TIMEOUT_MS = 10_000

SUMMARY = "details.casebook-answer > summary"
DIAGNOSIS = ".casebook-diagnosis"
REAL_CASE_DIR = REPO / "cases" / SEED_CASE
REAL_CASE = f"cases/{REAL_CASE_DIR.name}/"
# A site that replaced the sample case skips its tests (sitebuilder.require_seed); collecting them must not fail.
_SEED_SOURCE = REAL_CASE_DIR / "index.md"
REAL_META = (
    yaml.safe_load(_SEED_SOURCE.read_text(encoding="utf-8").split("---", 2)[1]) if _SEED_SOURCE.is_file() else {}
)
QUIZ_CASE = f"cases/{QUIZ_SLUG}/"
CORRECT = next(n for n, o in enumerate(QUIZ_OPTIONS, start=1) if o.get("correct"))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # keep the test output readable
        pass


@contextmanager
def serve_site(root: Path) -> Iterator[str]:
    """Serve a built site on 127.0.0.1 (a free port) from a thread; yield its base URL."""
    with serve(functools.partial(_QuietHandler, directory=str(root))) as server:
        yield base_url(server) + "/"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Both sites built once and served; maps "synthetic"/"real" to base URLs."""
    _, synthetic = build_reader_site(tmp_path_factory.mktemp("browser-synthetic"))
    real = tmp_path_factory.mktemp("browser-real") / "site"
    build(load_config(config_file=str(shipped_site(tmp_path_factory.mktemp("browser-shipped"))), site_dir=str(real)))
    with serve_site(synthetic) as synthetic_url, serve_site(real) as real_url:
        yield {"synthetic": synthetic_url, "real": real_url}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser: Browser) -> Iterator[NewPage]:
    """Make a page in a fresh context (light scheme, no network beyond 127.0.0.1)."""
    contexts = []

    def make(javascript: bool = True, scheme: str = "light") -> Page:
        context = browser.new_context(
            java_script_enabled=javascript,
            color_scheme=scheme,
            reduced_motion="reduce",
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.route(OFFSITE, lambda route: route.abort())
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def open_page(page: Page, url: str) -> Page:
    page.goto(url, wait_until="load")
    return page


def settle(page: Page) -> None:
    """Wait for running CSS transitions (Material's header title fades), at most a second."""
    page.evaluate("""() => Promise.race([
        Promise.all(document.getAnimations().map(a => a.finished.catch(() => null))),
        new Promise(resolve => setTimeout(resolve, 1000))])""")


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def answer_open(page: Page) -> bool:
    return page.eval_on_selector("details.casebook-answer", "d => d.open")


def body_text(page: Page) -> str:
    """The rendered text (innerText leaves out what a closed <details> hides)."""
    return page.inner_text("body")


def seen(page: Page) -> list[str]:
    return json.loads(page.evaluate(f"() => localStorage.getItem('{STORE_KEY}') || '[]'"))


def visible_cards(page: Page) -> set[str]:
    return {c.get_attribute("data-casebook-case") for c in page.locator(".casebook-case-card:visible").all()}


def assert_no_axe_violations(page: Page, label: str) -> None:
    """axe-core with the WCAG 2.2 AA and best-practice tags; the message lists each rule, its targets and help."""
    settle(page)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    violations = results.response["violations"]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {n['target']}: {' '.join(n.get('failureSummary', '').split())[:240]}" for n in v["nodes"])
        for v in violations
    )
    assert not violations, f"axe-core found WCAG 2.2 AA violations on {label}:\n{report}"


# The reveal --------------------------------------------------------------------------------


def test_answer_is_hidden_until_the_summary_is_clicked(sites: dict[str, str], new_page: NewPage) -> None:
    page = open_page(new_page(), sites["real"] + REAL_CASE)
    diagnosis = REAL_META["diagnosis"]
    assert not answer_open(page)
    assert not page.locator(DIAGNOSIS).is_visible()
    assert diagnosis.lower() not in body_text(page).lower()
    assert page.locator(".casebook-question").is_visible()
    shot(page, "case-before-reveal")
    page.click(SUMMARY)
    assert answer_open(page)
    assert page.locator(DIAGNOSIS).is_visible()
    assert diagnosis in page.inner_text(DIAGNOSIS)
    shot(page, "case-after-reveal")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("key", ["Enter", "Space"])
def test_keyboard_reveals_and_hides_the_answer(
    sites: dict[str, str], new_page: NewPage, key: str, javascript: bool
) -> None:
    page = open_page(new_page(javascript), sites["real"] + REAL_CASE)
    summary = page.locator(SUMMARY)
    # Reach the summary with the keyboard (Tab from the control before it).
    summary.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert summary.evaluate("s => s === document.activeElement && s.matches(':focus-visible')")
    outline = summary.evaluate("s => [getComputedStyle(s).outlineStyle, parseFloat(getComputedStyle(s).outlineWidth)]")
    assert outline[0] != "none" and outline[1] >= 2, f"the focused summary shows a focus ring: {outline}"
    page.keyboard.press(key)
    assert answer_open(page) and page.locator(DIAGNOSIS).is_visible()
    page.keyboard.press(key)
    assert not answer_open(page) and not page.locator(DIAGNOSIS).is_visible()


def test_click_reveals_the_answer_without_javascript(sites: dict[str, str], new_page: NewPage) -> None:
    page = open_page(new_page(javascript=False), sites["real"] + REAL_CASE)
    assert page.evaluate("() => document.documentElement.classList.contains('no-js')"), "JavaScript is really off"
    assert not page.locator(DIAGNOSIS).is_visible()
    page.click(SUMMARY)
    assert answer_open(page) and page.locator(DIAGNOSIS).is_visible()
    shot(page, "case-after-reveal-no-js")


# The quiz ----------------------------------------------------------------------------------


def quiz_option(page: Page, n: int):
    return page.locator(f'.casebook-quiz-option[data-option="{n}"]')


def test_quiz_marks_the_pick_and_explains_every_option(sites: dict[str, str], new_page: NewPage) -> None:
    page = open_page(new_page(), sites["synthetic"] + QUIZ_CASE)
    check = page.get_by_role("button", name="Check my answer")
    assert check.is_visible() and check.is_enabled()
    check.click()
    assert page.inner_text("[data-casebook-quiz-result]") == "Pick one of the options first."
    assert not answer_open(page)

    page.get_by_label(QUIZ_OPTIONS[0]["option"]).check()
    check.click()
    assert answer_open(page), "checking opens the answer"
    for n, option in enumerate(QUIZ_OPTIONS, start=1):
        classes = quiz_option(page, n).get_attribute("class").split()
        right = n == CORRECT
        assert ("casebook-quiz-option--correct" in classes) == right
        assert ("casebook-quiz-option--incorrect" in classes) == (not right)
        assert ("casebook-quiz-option--picked" in classes) == (n == 1)
        feedback = quiz_option(page, n).locator("[data-option-feedback]")
        assert feedback.is_visible()
        verdict = "Correct. " if right else "Not the best answer. "
        assert feedback.inner_text() == ("Your pick. " if n == 1 else "") + verdict + option["explanation"]
    correct_name = QUIZ_OPTIONS[CORRECT - 1]["option"]
    assert page.inner_text("[data-casebook-quiz-result]").startswith(f"Not quite. The best answer is {correct_name}.")
    shot(page, "quiz-checked-wrong")
    assert_no_axe_violations(page, "the quiz case after checking a wrong pick")

    page.get_by_role("button", name="Try again").click()  # the pick is locked until then
    page.get_by_label(correct_name).check()
    check.click()
    assert page.inner_text("[data-casebook-quiz-result]").startswith(f"Correct: {correct_name}.")
    assert "casebook-quiz-option--picked" in quiz_option(page, CORRECT).get_attribute("class")
    assert "casebook-quiz-option--picked" not in quiz_option(page, 1).get_attribute("class")


#: A site in (synthetic) German: the script's words come from mkdocs.yml too.
GERMAN = {
    "quiz_check": "Antwort prüfen",
    "quiz_pick_first": "Bitte zuerst eine Option wählen.",
    "quiz_result_wrong": "Leider nicht. Richtig ist {answer}.",
    "quiz_your_pick": "Ihre Wahl.",
    "quiz_not_best": "Nicht die beste Antwort.",
}


def test_the_quiz_speaks_the_sites_language(tmp_path_factory: pytest.TempPathFactory, new_page: NewPage) -> None:
    _, site = build_reader_site(tmp_path_factory.mktemp("browser-german"), plugin={"labels": GERMAN})
    with serve_site(site) as url:
        page = open_page(new_page(), url + QUIZ_CASE)
        check = page.get_by_role("button", name="Antwort prüfen")
        check.click()
        assert page.inner_text("[data-casebook-quiz-result]") == "Bitte zuerst eine Option wählen."
        page.get_by_label(QUIZ_OPTIONS[0]["option"]).check()
        check.click()
        correct = QUIZ_OPTIONS[CORRECT - 1]["option"]
        assert page.inner_text("[data-casebook-quiz-result]") == f"Leider nicht. Richtig ist {correct}."
        feedback = page.inner_text('[data-option-feedback="1"]')
        assert feedback.startswith("Ihre Wahl. Nicht die beste Antwort. "), feedback


def test_quiz_without_javascript_is_the_plain_reveal(sites: dict[str, str], new_page: NewPage) -> None:
    page = open_page(new_page(javascript=False), sites["synthetic"] + QUIZ_CASE)
    assert not page.locator(".casebook-quiz-check").is_visible(), "no button that would do nothing"
    for option in QUIZ_OPTIONS:
        assert page.get_by_label(option["option"]).is_visible()
    assert not page.locator("[data-option-feedback]:visible").count()
    page.click(SUMMARY)
    verdicts = page.locator("[data-casebook-verdicts] li")
    assert verdicts.count() == len(QUIZ_OPTIONS)
    correct = page.locator('[data-casebook-verdicts] li[data-verdict="correct"]')
    assert correct.inner_text().startswith(QUIZ_OPTIONS[CORRECT - 1]["option"] + " Correct.")
    shot(page, "quiz-no-js-revealed")


# Figures -----------------------------------------------------------------------------------


def test_figure_zooms_and_escape_returns_focus(sites: dict[str, str], new_page: NewPage) -> None:
    page = open_page(new_page(), sites["real"] + REAL_CASE)
    link = page.locator("#figure-1 a.glightbox")
    first = next(f for f in REAL_META["figures"] if not f.get("in_answer"))
    link.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("#glightbox-body")
    dialog.wait_for(state="visible")
    slides = page.locator("#glightbox-body .gslide")
    assert slides.count() == 1, "the lightbox of a case figure must not page on to the answer's figures"
    assert page.locator(".gslide.current img").get_attribute("src").endswith("/" + first["file"])
    assert page.inner_text(".gslide.current .gslide-title") == "Figure 1"
    assert page.evaluate("() => !!document.activeElement.closest('#glightbox-body')"), "the dialog takes the focus"
    assert_no_axe_violations(page, "the case with a figure zoomed")
    shot(page, "figure-zoomed")
    page.keyboard.press("Escape")
    dialog.wait_for(state="detached")
    assert link.evaluate("a => a === document.activeElement"), "focus goes back to the figure"
    assert not answer_open(page)
    # And with the mouse.
    link.click()
    dialog.wait_for(state="visible")
    page.keyboard.press("Escape")
    dialog.wait_for(state="detached")


def test_answer_figure_has_its_own_lightbox(sites: dict[str, str], new_page: NewPage) -> None:
    page = open_page(new_page(), sites["synthetic"] + "cases/synthetic-teen-case/")
    page.click("#figure-1 a.glightbox")
    page.locator("#glightbox-body").wait_for(state="visible")
    assert page.locator("#glightbox-body .gslide").count() == 1
    assert "Synthetic condition zeta" not in page.inner_text("#glightbox-body")
    page.keyboard.press("Escape")
    page.locator("#glightbox-body").wait_for(state="detached")


# The case index ----------------------------------------------------------------------------


def test_index_filters_narrow_the_cards_and_keep_the_query(sites: dict[str, str], new_page: NewPage) -> None:
    base = sites["synthetic"] + "cases/"
    page = open_page(new_page(), base)
    everything = set(CASES)
    assert page.locator("form[data-casebook-filters]").is_visible()
    assert visible_cards(page) == everything
    page.select_option("#casebook-filter-specialty", "synthetic-pulmonology")
    assert visible_cards(page) == {"synthetic-adult-case", "synthetic-teen-case"}
    assert page.inner_text("[data-casebook-filter-status]") == "Showing 2 of 4 cases."
    assert page.url.endswith("?specialty=synthetic-pulmonology")
    page.select_option("#casebook-filter-age-group", "adolescent")
    assert visible_cards(page) == {"synthetic-teen-case"}
    shot(page, "index-filtered")
    page.select_option("#casebook-filter-specialty", "")
    page.select_option("#casebook-filter-age-group", "")
    page.select_option("#casebook-filter-body-site", "synthetic-arm")
    assert visible_cards(page) == {QUIZ_SLUG, "synthetic-teen-case"}
    page.reload(wait_until="load")
    assert page.input_value("#casebook-filter-body-site") == "synthetic-arm", "filters come back from the URL"
    assert visible_cards(page) == {QUIZ_SLUG, "synthetic-teen-case"}
    page.get_by_role("button", name="Show all cases").click()
    assert visible_cards(page) == everything and page.url == base
    assert_no_axe_violations(page, "the synthetic case index with its filters")


def test_index_without_javascript_lists_every_case(sites: dict[str, str], new_page: NewPage) -> None:
    page = open_page(new_page(javascript=False), sites["synthetic"] + "cases/")
    assert not page.locator("form[data-casebook-filters]").is_visible(), "controls that would do nothing are hidden"
    assert visible_cards(page) == set(CASES)
    shot(page, "index-no-js")
    page.get_by_role("link", name=CASES["synthetic-adult-case"]["title"]).click()
    page.wait_for_url("**/cases/synthetic-adult-case/")
    assert page.locator(".casebook-question").is_visible()


# Progress ----------------------------------------------------------------------------------


def test_progress_persists_across_reloads_and_shows_on_the_index(sites: dict[str, str], new_page: NewPage) -> None:
    base = sites["synthetic"]
    page = open_page(new_page(), base + "cases/")
    assert not page.locator("[data-casebook-progress]").is_visible()
    assert not page.locator("[data-casebook-seen]:visible").count()
    open_page(page, base + "cases/synthetic-infant-case/")
    page.click(SUMMARY)
    assert seen(page) == ["synthetic-infant-case"]
    page.reload(wait_until="load")
    assert seen(page) == ["synthetic-infant-case"] and not answer_open(page)
    for url in (base + "cases/", base):
        open_page(page, url)
        page.reload(wait_until="load")
        badges = page.locator(".casebook-case-card:has([data-casebook-seen]:visible)")
        assert [b.get_attribute("data-casebook-case") for b in badges.all()] == ["synthetic-infant-case"], url
        assert (
            page.inner_text("[data-casebook-progress]")
            == "You have revealed the answer of 1 of 4 cases on this device."
        ), url
    shot(page, "home-with-progress")


# Printing ----------------------------------------------------------------------------------


def assert_handout(page: Page) -> None:
    """Question on page one, the whole answer from a new page, no screen-only parts."""
    page.emulate_media(media="print")
    assert page.locator(".casebook-question").is_visible()
    assert page.locator(DIAGNOSIS).is_visible(), "the answer prints even when it was not opened"
    breaks = page.eval_on_selector(
        "details.casebook-answer", "d => [getComputedStyle(d).breakBefore, getComputedStyle(d).pageBreakBefore]"
    )
    assert breaks == ["page", "always"], breaks
    assert page.locator(SUMMARY).inner_text().strip() == "Answer", "paper has nothing to click: no 'Show the answer'"
    for hidden in (
        ".md-header",
        ".md-sidebar--primary",
        ".md-footer",
        ".casebook-quiz-check",
        "[data-casebook-quiz-result]",
        "[data-option-feedback]",
    ):
        assert not page.locator(f"{hidden}:visible").count(), f"{hidden} must not print"


def test_print_shows_question_then_answer_on_a_new_page(sites: dict[str, str], new_page: NewPage) -> None:
    page = open_page(new_page(), sites["real"] + REAL_CASE)
    assert_handout(page)
    assert not answer_open(page)
    shot(page, "case-print")


def test_print_without_javascript_still_has_the_answer_page(sites: dict[str, str], new_page: NewPage) -> None:
    page = open_page(new_page(javascript=False), sites["real"] + REAL_CASE)
    assert_handout(page)


def test_printed_quiz_is_unmarked(sites: dict[str, str], new_page: NewPage) -> None:
    page = open_page(new_page(), sites["synthetic"] + QUIZ_CASE)
    page.get_by_label(QUIZ_OPTIONS[0]["option"]).check()
    page.get_by_role("button", name="Check my answer").click()
    page.click(SUMMARY)  # close the answer the check opened: the print CSS must show it anyway
    assert not answer_open(page)
    assert_handout(page)
    styles = page.eval_on_selector_all(
        ".casebook-quiz-option",
        """els => els.map(e => [
        getComputedStyle(e).backgroundColor,
        getComputedStyle(e.querySelector('label')).fontWeight,
        getComputedStyle(e.querySelector('input')).appearance])""",
    )
    assert styles == [["rgba(0, 0, 0, 0)", "400", "none"]] * len(QUIZ_OPTIONS), "no marks on the printed options"
    shot(page, "quiz-print")


def test_printing_opens_the_answer_only_for_the_printout(sites: dict[str, str], new_page: NewPage) -> None:
    """Material and the reader script open every <details> before printing; that is not a reveal."""
    page = open_page(new_page(), sites["real"] + REAL_CASE)
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    assert answer_open(page)
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    page.wait_for_timeout(100)  # the toggle events are queued
    assert not answer_open(page), "the answer is closed again after printing"
    assert seen(page) == [], "printing does not count as revealing the answer"


# Citations ---------------------------------------------------------------------------------


def test_citation_preview_shows_on_focus_and_hover_and_escape_dismisses_it(
    sites: dict[str, str], new_page: NewPage
) -> None:
    page = open_page(new_page(), sites["real"] + REAL_CASE)
    page.click(SUMMARY)
    cites = page.locator("a.casebook-cite")
    assert cites.count() >= 2
    first, second = cites.nth(0), cites.nth(1)
    preview = page.locator("#" + first.get_attribute("aria-describedby"))
    assert preview.get_attribute("role") == "tooltip"
    assert not preview.is_visible(), "previews are hidden until asked for"
    first.focus()
    assert preview.is_visible(), "keyboard focus shows the preview"
    assert preview.inner_text().strip() == preview.text_content().strip() != ""
    shot(page, "citation-preview-focus")
    page.keyboard.press("Escape")
    assert not preview.is_visible(), "Escape dismisses the preview (WCAG 1.4.13)"
    other = page.locator("#" + second.get_attribute("aria-describedby"))
    second.hover()
    assert other.is_visible(), "hovering another citation shows its preview"
    page.mouse.move(0, 0)
    first.blur()
    assert not other.is_visible() and not preview.is_visible()


# Accessibility -----------------------------------------------------------------------------

AXE_PAGES = [
    ("real", "", False, "light", "home"),
    ("real", "cases/", False, "light", "case-index"),
    ("real", REAL_CASE, False, "light", "case-before-reveal"),
    ("real", REAL_CASE, True, "light", "case-after-reveal"),
    ("real", "bibliography/", False, "light", "bibliography"),
    ("real", "browse/etiology/", False, "light", "etiology-index"),
    ("synthetic", QUIZ_CASE, False, "light", "quiz-case-before-reveal"),
    # The dark scheme follows the reader's system setting, so it is a page readers get too.
    ("synthetic", "cases/", False, "dark", "case-index-dark"),
    ("real", REAL_CASE, True, "dark", "case-after-reveal-dark"),
]


@pytest.mark.parametrize(("site", "path", "reveal", "scheme", "label"), AXE_PAGES, ids=[p[-1] for p in AXE_PAGES])
def test_pages_have_no_wcag_22_aa_violations(
    sites: dict[str, str], new_page: NewPage, site: str, path: str, reveal: bool, scheme: str, label: str
) -> None:
    page = open_page(new_page(scheme=scheme), sites[site] + path)
    if reveal:
        page.click(SUMMARY)
        assert answer_open(page)
    assert_no_axe_violations(page, f"{label} ({path or 'home'})")
    shot(page, f"axe-{site}-{label}")


def test_a_body_image_opens_itself_and_a_hostile_caption_stays_text(
    tmp_path_factory: pytest.TempPathFactory, new_page: NewPage
) -> None:
    """Issue 12: a Markdown image in the case text threw in GLightbox ("reading 'create'") and showed nothing;
    a caption starting with "." was read as a CSS selector, and markup in it was inserted as HTML."""
    project = new_project(tmp_path_factory.mktemp("lightbox"))
    caption = ".casebook-answer <img/src=x/onerror=window.__pwned=1>"
    figures = [{"file": "figure-one.png", "alt": "Synthetic grey pixel one.", "caption": caption}]
    body = (
        "Synthetic presentation.\n\n![Synthetic body image, a grey pixel](body-image.png)\n\n"
        + (SYNTHETIC_BODY.split("\n", 1)[1])
    )
    project.add_case("synthetic-case", case_text(synthetic_front_matter(figures=figures), body))
    project.write("cases/synthetic-case/body-image.png", PNG_1X1)
    result = project.build()
    assert result.ok, result.log
    with serve_site(result.site) as url:
        page = new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        open_page(page, url + "cases/synthetic-case/")
        page.click("article p a.glightbox")  # the body image's zoom link
        page.locator("#glightbox-body").wait_for(state="visible")
        assert page.locator(".gslide.current img").get_attribute("src").endswith("body-image.png")
        # One gallery for the images before the answer: the figure and the body image, none of the answer's.
        assert page.locator("#glightbox-body .gslide").count() == 2
        page.keyboard.press("Escape")
        page.locator("#glightbox-body").wait_for(state="detached")
        page.click("#figure-1 a.glightbox")
        page.locator("#glightbox-body").wait_for(state="visible")
        assert page.inner_text(".gslide.current .gslide-desc") == caption, "the caption is shown as its own text"
        assert page.evaluate("() => window.__pwned") is None
        assert page.locator("#glightbox-body img[src='x']").count() == 0
        assert not answer_open(page)
        assert errors == []


def test_a_case_without_figures_loads_no_lightbox_and_casebook_assets_are_hashed(
    tmp_path: Path, new_page: NewPage
) -> None:
    """Issue 16: what a reader downloads. One hashed stylesheet and script of Casebook's, no glightbox."""
    project = new_project(tmp_path)
    project.add_case("synthetic-plain", case_text(synthetic_front_matter(figures=None, consent=None)), images=())
    project.add_case("synthetic-photo", case_text(synthetic_front_matter(date="2026-02-01")))
    result = project.build()
    assert result.ok, result.log
    hashed = re.compile(r"/assets/casebook\.[0-9a-f]{10}\.(css|js)$")
    with serve_site(result.site) as url:
        loaded: dict[str, list[str]] = {}
        for slug in ("synthetic-plain", "synthetic-photo"):
            page = new_page()
            requests: list[str] = []
            page.on("requestfinished", lambda request, seen=requests: seen.append(request.url))
            open_page(page, f"{url}cases/{slug}/")
            page.wait_for_load_state("networkidle")
            loaded[slug] = requests
        plain, photo = loaded["synthetic-plain"], loaded["synthetic-photo"]
        assert not [u for u in plain if "glightbox" in u], plain
        assert [u for u in photo if u.endswith("/glightbox.min.js")], "a page with a figure has its lightbox"
        for requests in (plain, photo):
            own = sorted(u for u in requests if "/assets/casebook" in u)
            assert len(own) == 2 and all(hashed.search(u) for u in own), own
        page = new_page()
        open_page(page, f"{url}cases/synthetic-photo/")
        page.click("#figure-1 a.glightbox")
        page.locator("#glightbox-body").wait_for(state="visible")  # its script now runs after the content
