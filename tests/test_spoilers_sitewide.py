"""Site-wide spoiler audit: no diagnosis or synonym anywhere a reader meets before the reveal.

Two sites are audited: the synthetic reader site (several cases, a quiz, an answer-only
figure) and the repository's real site, built read-only into a temporary folder. Every
check also has a positive control (the term *is* in the answer, the revealing pages *do*
name it), so a check that silently matches nothing cannot pass.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

from reader_sites import CASES, QUIZ_OPTIONS, QUIZ_SLUG, build_reader_site
from sitebuilder import outside_answer, shipped_site, without_quiz_options

#: Pages that list every case with its answer, by design (revision aids).
REVEALING = ("browse/diagnoses/index.html", "browse/etiology/index.html")
BIBLIOGRAPHY = "bibliography/index.html"
REAL_SITE_URL = "https://casebook.example.org/"

_ANSWER_RE = re.compile(r'<details class="casebook-answer[^"]*"[^>]*>(.*?)</details>', re.S)
_BIB_ANSWERS_RE = re.compile(r'<section class="casebook-bibliography-answers"([^>]*)>(.*?)</section>', re.S)


@dataclass(frozen=True)
class Site:
    """A built site and, for each case, the terms that give its answer away."""

    name: str
    root: Path
    spoilers: dict[str, tuple[str, ...]]
    diagnoses: dict[str, str]

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(sorted({t for terms in self.spoilers.values() for t in terms}))

    def read(self, relpath: str) -> str:
        return (self.root / relpath).read_text(encoding="utf-8")

    def html_pages(self) -> list[str]:
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*.html"))


def _front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---", 2)[1])


def _synthetic_site(tmp: Path) -> Site:
    _, site = build_reader_site(tmp)
    spoilers = {slug: (fm["diagnosis"], *fm["synonyms"]) for slug, fm in CASES.items()}
    return Site("synthetic", site, spoilers, {slug: fm["diagnosis"] for slug, fm in CASES.items()})


def _real_site(tmp: Path) -> Site:
    """The repository's own site with its shipped case, with a site_url so the sitemap, og:url and JSON-LD
    are complete. Authors' other cases are not built here: `make site` judges them."""
    site = tmp / "site"
    config = shipped_site(tmp)
    build(load_config(config_file=str(config), site_dir=str(site), site_url=REAL_SITE_URL))
    metas = {p.parent.name: _front_matter(p) for p in sorted((config.parent / "cases").glob("*/index.md"))}
    assert metas, "the real site has no cases to audit"
    spoilers = {slug: (fm["diagnosis"], *fm.get("synonyms", ())) for slug, fm in metas.items()}
    return Site("real", site, spoilers, {slug: fm["diagnosis"] for slug, fm in metas.items()})


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return _synthetic_site(tmp_path_factory.mktemp("synthetic"))


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return _real_site(tmp_path_factory.mktemp("real"))


@pytest.fixture(params=["synthetic_site", "real_site"])
def site(request: pytest.FixtureRequest) -> Site:
    """Each audit runs on both sites; each site is built once per module."""
    return request.getfixturevalue(request.param)


def _plain(text: str) -> str:
    """Text as a reader or a crawler sees it: entities decoded, tags dropped, spaces collapsed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", text))).lower()


def leaks(text: str, terms: tuple[str, ...]) -> list[str]:
    """The terms found in `text`, case-insensitively, in its markup or in its plain text."""
    raw, plain = unescape(text).lower(), _plain(text)
    return [t for t in terms if t.lower() in raw or t.lower() in plain]


def _slug(term: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")


def _answer(html: str) -> str:
    match = _ANSWER_RE.search(html)
    assert match, "a case page must have its answer <details>"
    return match.group(1)


def _chrome(html: str) -> str:
    """Everything but the article: head, header, nav, table of contents, footer."""
    start, end = html.index('<article class="md-content__inner'), html.index("</article>")
    return html[:start] + html[end:]


def _case_page(slug: str) -> str:
    return f"cases/{slug}/index.html"


def test_leak_finder_can_fail() -> None:
    """The audit's matcher sees a term in any case, through entities and inline tags."""
    terms = ("Synthetic condition alpha",)
    assert leaks("<p>synthetic CONDITION alpha</p>", terms) == list(terms)
    assert leaks("<p>Synthetic&#32;condition <em>alpha</em></p>", terms) == list(terms)
    assert leaks('<img alt="Synthetic condition&nbsp;alpha">', terms) == []  # nbsp is not a space
    assert leaks("<p>Synthetic condition beta</p>", terms) == []


def test_answers_name_the_diagnosis_and_synonyms(site: Site) -> None:
    """Positive control: every term the audit looks for is really on the site, inside the answer."""
    for slug, terms in site.spoilers.items():
        answer = _answer(site.read(_case_page(slug)))
        assert f'<span class="casebook-diagnosis-name">{site.diagnoses[slug]}</span>' in answer
        assert leaks(answer, terms) == list(terms), f"{slug}: the answer must name {terms}"


def test_case_pages_hide_every_term_before_the_answer(site: Site) -> None:
    for slug in site.spoilers:
        before = without_quiz_options(outside_answer(site.read(_case_page(slug))))
        assert not leaks(before, site.terms), f"{site.name} {slug}: {leaks(before, site.terms)} outside the answer"


def test_the_quiz_options_are_the_one_place_the_diagnosis_may_appear(synthetic_site: Site) -> None:
    """Positive control for the exception: the correct option names the diagnosis, outside the answer."""
    html = outside_answer(synthetic_site.read(_case_page(QUIZ_SLUG)))
    assert leaks(html, synthetic_site.spoilers[QUIZ_SLUG]) == ["Synthetic condition gamma"]
    assert not leaks(without_quiz_options(html), synthetic_site.terms)


def test_titles_meta_tags_nav_and_footer_never_name_a_diagnosis(site: Site) -> None:
    """`<title>`, description, Open Graph/Twitter tags, JSON-LD, nav, TOC and footer of every page."""
    checked_og = 0
    for page in site.html_pages():
        html = site.read(page)
        chrome = _chrome(html)
        assert not leaks(chrome, site.terms), f"{site.name} {page}: {leaks(chrome, site.terms)} in head/nav/footer"
        for tag in re.findall(r"<title>.*?</title>|<meta\b[^>]*>", html, re.S):
            assert not leaks(tag, site.terms), f"{site.name} {page}: {tag}"
        checked_og += len(re.findall(r'<meta (?:property|name)="(?:og|twitter):', html))
    assert checked_og, "no Open Graph tags were found to audit"


def test_case_pages_head_uses_the_spoiler_free_title(site: Site) -> None:
    for slug in site.spoilers:
        html = site.read(_case_page(slug))
        title = unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1))
        og_title = unescape(re.search(r'<meta property="og:title" content="([^"]*)"', html).group(1))
        assert title.startswith(og_title + " - "), (title, og_title)
        assert re.search(r'<meta name="description" content="[^"]+"', html)


def test_json_ld_is_valid_and_spoiler_free(site: Site) -> None:
    found = 0
    for page in site.html_pages():
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', site.read(page), re.S):
            data = json.loads(block)
            dump = json.dumps(data, ensure_ascii=False)
            assert not leaks(dump, site.terms), f"{site.name} {page}: JSON-LD names {leaks(dump, site.terms)}"
            found += 1
    assert found == len(site.spoilers), "every case page (and only case pages) carries JSON-LD"


def test_figures_before_the_answer_reveal_nothing(site: Site) -> None:
    """Alt text, captions and the lightbox's title/description of every figure shown before the answer."""
    checked = 0
    for slug in site.spoilers:
        before = outside_answer(site.read(_case_page(slug)))
        for part in re.findall(r'<img\b[^>]*>|<figcaption>.*?</figcaption>|<a class="glightbox"[^>]*>', before, re.S):
            assert not leaks(part, site.terms), f"{site.name} {slug}: {part}"
            checked += 1
    assert checked >= 3 * len(site.spoilers), "each case shows at least one figure (img, link, caption)"


def test_answer_only_figures_stay_inside_the_answer(synthetic_site: Site) -> None:
    slug = "synthetic-teen-case"
    caption = next(f["caption"] for f in CASES[slug]["figures"] if f.get("in_answer"))
    html = synthetic_site.read(_case_page(slug))
    assert leaks(caption, synthetic_site.spoilers[slug]), "the fixture's answer figure names the diagnosis"
    answer = _answer(html)
    assert 'id="figure-2"' in answer and caption in answer
    assert 'id="figure-2"' not in outside_answer(html) and "figure-two.png" not in outside_answer(html)


def test_case_index_and_home_cards_are_spoiler_free(site: Site) -> None:
    for page in ("cases/index.html", "index.html"):
        html = site.read(page)
        cards = re.findall(r'<li class="casebook-case-card".*?</li>', html, re.S)
        if page == "cases/index.html":
            assert len(cards) == len(site.spoilers), "the case index lists every case"
        for card in cards:
            assert not leaks(card, site.terms), f"{site.name} {page}: {card}"
        assert not leaks(html, site.terms), f"{site.name} {page}: {leaks(html, site.terms)}"


def test_search_index_is_spoiler_free_and_skips_revealing_pages(site: Site) -> None:
    index = json.loads(site.read("search/search_index.json"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    for slug in site.spoilers:
        assert f"cases/{slug}/" in locations, f"the case {slug} itself is searchable"
    for page in REVEALING:
        assert page.removesuffix("index.html") not in locations, f"{page} reveals answers; keep it out of search"
    for doc in index["docs"]:
        text = " ".join(str(doc.get(k, "")) for k in ("location", "title", "text"))
        assert not leaks(text, site.terms), f"{site.name} search entry {doc['location']}: {leaks(text, site.terms)}"


def test_sitemaps_and_feeds_are_spoiler_free(site: Site) -> None:
    sitemap = site.read("sitemap.xml")
    assert gzip.decompress((site.root / "sitemap.xml.gz").read_bytes()).decode("utf-8") == sitemap
    if site.name == "real":
        assert f"<loc>{REAL_SITE_URL}cases/" in sitemap, "with a site_url the sitemap lists the cases"
    feeds = [p for p in site.root.rglob("*") if p.suffix in {".xml", ".rss", ".atom"} or "feed" in p.name]
    for feed in feeds:
        text = feed.read_text(encoding="utf-8", errors="replace")
        assert not leaks(text, site.terms), f"{site.name} {feed.name}: {leaks(text, site.terms)}"


def test_urls_and_file_names_are_spoiler_free(site: Site) -> None:
    paths = [p.relative_to(site.root).as_posix().lower() for p in site.root.rglob("*")]
    assert len(paths) > 10
    for term in site.terms:
        forms = {term.lower(), _slug(term), _slug(term).replace("-", "_"), term.lower().replace(" ", "%20")}
        bad = [p for p in paths if any(form in p for form in forms)]
        assert not bad, f"{site.name}: {term!r} in file names {bad}"
    for page in site.html_pages():
        if page in REVEALING:
            continue
        before = outside_answer(site.read(page))
        for url in re.findall(r'(?:href|src)="([^"]*)"', before):
            assert not any(_slug(t) in url.lower() for t in site.terms), f"{site.name} {page}: link {url}"


def test_revealing_pages_warn_first_and_are_excluded_from_search(site: Site) -> None:
    index = site.read("search/search_index.json").lower()
    for page in REVEALING:
        html = site.read(page)
        article = html[html.index('<article class="md-content__inner') : html.index("</article>")]
        after_h1 = article[article.index("</h1>") + len("</h1>") :].lstrip()
        assert after_h1.startswith(
            '<div class="admonition warning">\n<p class="admonition-title">This page reveals the answers</p>'
        ), page
        assert f'"location":"{page.removesuffix("index.html")}' not in index.replace(" ", "")
        assert '<meta name="robots" content="noindex">' in html, f"{page}: search engines must not index it"
    # Positive control: they do name every diagnosis, which is why they are fenced off.
    diagnoses = site.read(REVEALING[0])
    for slug, terms in site.spoilers.items():
        assert leaks(diagnoses, terms) == list(terms), f"{REVEALING[0]} lists {slug}'s diagnosis and synonyms"


def test_bibliography_names_diagnoses_only_behind_a_spoiler_disclosure(site: Site) -> None:
    """Reference titles cited only in answers may name a diagnosis: they sit in a closed, unsearchable section."""
    html = site.read(BIBLIOGRAPHY)
    section = _BIB_ANSWERS_RE.search(html)
    rest = _BIB_ANSWERS_RE.sub("", html)
    assert not leaks(rest, site.terms), f"{site.name}: {leaks(rest, site.terms)} on the bibliography page"
    if site.name == "real":
        assert section, "the real site cites references inside its answer"
        attrs, inner = section.groups()
        assert "data-search-exclude" in attrs
        assert re.match(r"<details><summary>[^<]*spoilers", inner), "closed, and says it holds spoilers"
        assert leaks(inner, site.terms), "positive control: the titles do name the diagnosis"


def test_quiz_markup_does_not_say_which_option_is_correct(synthetic_site: Site) -> None:
    """Before the answer the options differ only in number and label; correctness lives in the answer."""
    html = synthetic_site.read(_case_page(QUIZ_SLUG))
    before = outside_answer(html)
    form = re.search(r'<form class="casebook-quiz"([^>]*)>(.*?)</form>', before, re.S)
    assert form and "data-search-exclude" in form.group(1)
    items = re.findall(r'<li class="casebook-quiz-option".*?</li>', form.group(2), re.S)
    labels = [re.search(r"<label[^>]*>(.*?)</label>", li).group(1) for li in items]
    assert labels == [o["option"] for o in QUIZ_OPTIONS], "options keep the author's order"
    shapes = {re.sub(r">[^<]*</label>", "></label>", re.sub(r'"\d+"|-\d+"', '"N"', li)) for li in items}
    assert len(shapes) == 1, f"the options' markup differs beyond number and label: {shapes}"
    assert not re.search(r"<input[^>]*\bchecked", form.group(2)), "no option is pre-selected"
    for hint in ("correct", "verdict", "data-answer", "is-right", *(o["explanation"] for o in QUIZ_OPTIONS)):
        assert not re.search(rf"\b{re.escape(hint)}\b", before, re.I), f"{hint!r} before the answer"
    # Positive control: the answer holds the verdicts, with exactly the fixture's correct option.
    answer = _answer(html)
    correct = re.findall(r'data-option="(\d+)" data-verdict="correct"', answer)
    assert correct == [str(1 + next(i for i, o in enumerate(QUIZ_OPTIONS) if o.get("correct")))]
