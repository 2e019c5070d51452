"""Navigation that does not lead into the answers by accident (issue 15, item 10), in the built HTML.

The repository's own site is built once: its nav puts the browse pages (which list every
diagnosis) right after the case index, so Material's footer made "Next: By diagnosis" the
case index's last link. Ordinary pages no longer link a revealing page from their footer, and
the browse pages keep their lists behind a click (a closed <details>, which needs no JavaScript).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from sitebuilder import REPO, SEED_CASE, shipped_site

REVEALING = ("browse/diagnoses/", "browse/etiology/")
FOOTER_LINK = re.compile(r'<a href="([^"]*)" class="md-footer__link md-footer__link--(prev|next)" aria-label="([^"]*)"')


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("navigation") / "site"
    build(load_config(config_file=str(shipped_site(tmp_path_factory.mktemp("shipped"))), site_dir=str(root)))
    yield root


def footer_links(site: Path, page: str) -> list[tuple[str, str, str]]:
    return FOOTER_LINK.findall((site / page / "index.html").read_text(encoding="utf-8"))


def test_the_case_index_footer_does_not_lead_on_to_the_diagnoses(site: Path) -> None:
    assert footer_links(site, "cases") == [("..", "prev", "Previous: Home")]


def test_no_ordinary_page_links_a_revealing_page_from_its_footer(site: Path) -> None:
    pages = [p.parent.relative_to(site).as_posix() for p in site.rglob("index.html")]
    ordinary = [p for p in pages if p + "/" not in REVEALING and p != "."]
    assert "cases" in ordinary and "bibliography" in ordinary
    for page in ordinary:
        for href, _, label in footer_links(site, page):
            assert not href.rstrip("/").endswith(("browse/diagnoses", "browse/etiology")), f"{page}: {label}"
    # The browse pages still lead on to each other and back, as Material's footer does.
    assert footer_links(site, "browse/diagnoses") == [
        ("../../cases/", "prev", "Previous: Cases"),
        ("../etiology/", "next", "Next: Etiology index (reveals answers)"),
    ]


@pytest.mark.parametrize(
    ("page", "summary"),
    [
        ("browse/diagnoses", "Show the diagnoses and their cases (this reveals the answers)"),
        ("browse/etiology", "Show the causes and their cases (this reveals the answers)"),
    ],
)
def test_the_browse_pages_list_the_answers_only_behind_a_click(site: Path, page: str, summary: str) -> None:
    html = (site / page / "index.html").read_text(encoding="utf-8")
    article = html[html.index('<article class="md-content__inner') : html.index("</article>")]
    before, _, rest = article.partition("<details>")
    assert rest.startswith(f'<summary>{summary}</summary><dl class="casebook-browse'), rest[:200]
    assert "This page reveals the answers" in before, "the warning comes first"
    diagnosis = (REPO / "cases" / SEED_CASE / "index.md").read_text(encoding="utf-8")
    name = re.search(r"^diagnosis: *(.+)$", diagnosis, re.M)
    assert name, "the shipped case has a diagnosis"
    term = name.group(1).strip().strip("'\"")
    assert term.lower() not in before.lower(), "nothing before the click names a diagnosis"
    assert term.lower() in rest.lower(), "positive control: the list behind it does"
