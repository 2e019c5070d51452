"""Casebook's stylesheets and scripts as one hashed file each (issue 16, reader weight).

Four render-blocking stylesheets became one, two scripts one; the names carry a content hash
so a host may cache them forever. A site's own extra_css comes after Casebook's and wins at
equal specificity without listing Casebook's file; a site that still lists the old names
(as the theme contract once said) builds strict, with a note.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from casebook.mkdocs.lightbox import script_after_content
from casebook.mkdocs.plugin import ASSETS
from casebook.render.assets import SCRIPTS, STYLESHEETS, bundle, package_bundles
from sitebuilder import case_text, new_project, synthetic_front_matter

HASHED = re.compile(r"^casebook\.[0-9a-f]{10}\.(css|js)$")


def test_the_name_changes_with_the_content_and_only_with_it() -> None:
    one = bundle("casebook", ".css", [("a.css", "p { color: red; }")])
    again = bundle("casebook", ".css", [("a.css", "p { color: red; }")])
    other = bundle("casebook", ".css", [("a.css", "p { color: blue; }")])
    assert one == again
    assert HASHED.match(one.name) and HASHED.match(other.name)
    assert one.name != other.name


def test_the_bundle_keeps_every_source_in_cascade_order() -> None:
    css, js = package_bundles(ASSETS)
    positions = [css.content.index(f"/* {name} */\n") for name in STYLESHEETS]
    assert positions == sorted(positions)
    for name in STYLESHEETS:
        assert (ASSETS / name).read_text(encoding="utf-8").rstrip() in css.content
    for name in SCRIPTS:
        assert (ASSETS / name).read_text(encoding="utf-8").rstrip() in js.content


def _without_comments(css: str) -> str:
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S)


def test_the_print_rules_stay_inside_media_print() -> None:
    """Joined into one file, a print rule outside `@media print` would restyle the screen."""
    text = _without_comments((ASSETS / "casebook-print.css").read_text(encoding="utf-8"))
    text = re.sub(r"@page\s*\{[^{}]*\}", "", text).strip()  # page boxes exist only when printing
    assert text.startswith("@media print {")
    depth = 0
    for i, char in enumerate(text):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0 and char == "}":
            assert text[i + 1 :].strip() == "", "every print rule is inside the one @media print block"
            break


def _linked(html: str, tag: str, attr: str) -> list[str]:
    return re.findall(rf'<{tag}\b[^>]*\b{attr}="([^"]+)"', html)


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    project = new_project(tmp_path)
    project.add_case("synthetic-case", case_text(synthetic_front_matter()))
    project.write("docs/assets/site.css", "/* synthetic site stylesheet */\n")
    project.extra_config["extra_css"] = ["assets/site.css"]
    result = project.build()
    assert result.ok, result.log
    return project.root, result.site


def test_the_site_publishes_one_hashed_stylesheet_and_script_and_links_them_first(built: tuple[Path, Path]) -> None:
    _, site = built
    css, js = package_bundles(ASSETS)
    published = sorted(p.name for p in (site / "assets").glob("casebook*"))
    assert published == sorted([css.name, js.name])
    assert (site / "assets" / css.name).read_text(encoding="utf-8") == css.content
    page = (site / "cases/synthetic-case/index.html").read_text(encoding="utf-8")
    sheets = [h for h in _linked(page, "link", "href") if re.match(r"\.\./\.\./assets/(casebook|site)", h)]
    assert sheets == [f"../../assets/{css.name}", "../../assets/site.css"], "Casebook's first: the site's wins"
    scripts = [s for s in _linked(page, "script", "src") if "/assets/casebook" in s]
    assert scripts == [f"../../assets/{js.name}"]


def test_a_site_listing_the_old_file_names_builds_strict_with_a_note(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    project.add_case("synthetic-case", case_text(synthetic_front_matter()))
    project.extra_config["extra_css"] = ["assets/casebook.css", "assets/casebook-print.css"]
    project.extra_config["extra_javascript"] = ["assets/casebook-reader.js"]
    result = project.build()
    assert result.ok, result.log
    css, js = package_bundles(ASSETS)
    notes = [r.getMessage() for r in result.records if r.levelno == logging.INFO and "now one file" in r.getMessage()]
    assert notes == [
        f"mkdocs.yml lists assets/casebook.css, assets/casebook-print.css, assets/casebook-reader.js: Casebook's "
        f"stylesheets and scripts are now one file each (assets/{css.name}, assets/{js.name}), added by the "
        "plugin; remove these from extra_css and extra_javascript"
    ]
    page = (result.site / "index.html").read_text(encoding="utf-8")
    assert "assets/casebook.css" not in page and "assets/casebook-reader.js" not in page
    assert f"assets/{css.name}" in page


def test_a_docs_file_at_an_old_name_is_the_sites_own_stylesheet(tmp_path: Path) -> None:
    """A site that replaced casebook-print.css with its own file keeps it, after Casebook's bundle."""
    project = new_project(tmp_path)
    project.add_case("synthetic-case", case_text(synthetic_front_matter()))
    project.write("docs/assets/casebook-print.css", "/* synthetic site print rules */\n")
    project.extra_config["extra_css"] = ["assets/casebook-print.css"]
    result = project.build()
    assert result.ok, result.log
    css, _ = package_bundles(ASSETS)
    page = (result.site / "index.html").read_text(encoding="utf-8")
    sheets = [h for h in _linked(page, "link", "href") if h.startswith("assets/casebook")]
    assert sheets == [f"assets/{css.name}", "assets/casebook-print.css"]
    assert (result.site / "assets/casebook-print.css").read_text(
        encoding="utf-8"
    ) == "/* synthetic site print rules */\n"


# --------------------------------------------------------------------------- the lightbox script leaves the head

LIGHTBOX_TAG = '<script src="../../assets/javascripts/glightbox.min.js"></script>'


def test_the_lightbox_script_moves_to_just_before_its_starter() -> None:
    page = f'<html><head>{LIGHTBOX_TAG}</head><body><p>x</p><script id="init-glightbox">GLightbox()</script></body>'
    moved = script_after_content(page, "cases/synthetic-case/")
    assert moved == (
        f'<html><head></head><body><p>x</p>{LIGHTBOX_TAG}<script id="init-glightbox">GLightbox()</script></body>'
    )


@pytest.mark.parametrize(
    "page",
    [
        f"<html><head>{LIGHTBOX_TAG}</head><body>no starter</body>",  # nothing would start it: leave it
        f'<html><head></head><body>{LIGHTBOX_TAG}<script id="init-glightbox"></script></body>',  # not in the head
        f'<html><head>{LIGHTBOX_TAG}{LIGHTBOX_TAG}</head><body><script id="init-glightbox"></script></body>',
        '<html><head><script src="../../assets/javascripts/glightbox.min.js" defer></script></head>'
        '<body><script id="init-glightbox"></script></body>',  # markup mkdocs-glightbox did not write
    ],
)
def test_markup_other_than_mkdocs_glightbox_writes_is_left_alone(page: str) -> None:
    assert script_after_content(page, "cases/synthetic-case/") == page


def test_a_built_case_page_starts_the_lightbox_after_its_content(built: tuple[Path, Path]) -> None:
    _, site = built
    page = (site / "cases/synthetic-case/index.html").read_text(encoding="utf-8")
    head, body = page.split("</head>", 1)
    assert "glightbox.min.js" not in head
    assert body.count(LIGHTBOX_TAG + '<script id="init-glightbox">') == 1
    assert body.index("</article>") < body.index(LIGHTBOX_TAG)
