"""Casebook as another department uses it: its own mkdocs.yml, folders, labels and URL style.

These sites do not inherit this repository's mkdocs.yml: they have only
`plugins: [search, casebook: {...}]`, so they prove the plugin brings
everything it needs and honours every setting.
"""

from __future__ import annotations

import logging
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError

from casebook.checks.registry import BOTH, RULES
from casebook.cli.check import main as check_main
from casebook.mkdocs.plugin import ASSETS
from casebook.render.assets import package_bundles
from sitebuilder import PNG_1X1, SYNTHETIC_DIAGNOSIS, case_text, synthetic_front_matter

FINDING_RE = re.compile(r"^(?P<at>\S+:\d+:\d+): (?P<level>error|warning): .* \[(?P<rule>[a-z0-9-]+)\]$")

BIB = """@article{synthetic2020alpha,
  author = {Synthetic, Alpha},
  title = {A synthetic article for the plugin test},
  journal = {Synthetic Journal},
  year = {2020},
  volume = {1},
  pages = {1--2},
  doi = {10.5555/casebook.plugin.1},
}
"""

PLUGIN = {
    "cases_dir": "teaching",
    "bibliography": ["refs/department.bib"],
    "pages": {"bibliography": "sources.md", "diagnoses": "answers/by-diagnosis.md", "etiology": ""},
    "latest_cases": 1,
    "labels": {
        "show_answer": "Antwort zeigen",
        "answer_seen": "Antwort gesehen",
        "question": "Frage",
        "references": "Literatur",
    },
}


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            self.messages.append(record.getMessage())


def write_site(root: Path, plugin: dict | None = None, **config: object) -> Path:
    (root / "docs").mkdir(parents=True)
    (root / "docs/index.md").write_text("# Department cases\n\n<!-- casebook:latest-cases -->\n", encoding="utf-8")
    (root / "docs/library.md").write_text("# All cases\n\n<!-- casebook:case-index -->\n", encoding="utf-8")
    data = {
        "site_name": "Synthetic department",
        "theme": {"name": "material"},
        "plugins": ["search", {"casebook": PLUGIN if plugin is None else plugin}],
        **config,
    }
    path = root / "mkdocs.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def add_case(root: Path, slug: str, text: str | None = None) -> None:
    folder = root / "teaching" / slug
    folder.mkdir(parents=True)
    (folder / "figure-one.png").write_bytes(PNG_1X1)
    body = "Synthetic presentation [@synthetic2020alpha].\n\n/// answer\n\nSynthetic discussion.\n\n///\n"
    (folder / "index.md").write_text(text or case_text(body=body), encoding="utf-8")


def run_build(config_file: Path, strict: bool = True) -> tuple[bool, list[str]]:
    handler = _Records()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        build(load_config(str(config_file), strict=strict))
        return True, handler.messages
    except (Abort, ConfigurationError) as exc:
        return False, [*handler.messages, str(exc)]
    finally:
        logger.removeHandler(handler)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"href", "src"} and value:
                self.urls.append(value)


def broken_links(site: Path) -> list[str]:
    """Every relative href/src of every page that does not lead to a file of the built site."""
    broken = []
    for page in site.rglob("*.html"):
        if page.name == "404.html":  # MkDocs writes it with absolute URLs, for any depth
            continue
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for url in parser.urls:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(site)} -> {url}")
    return broken


@pytest.fixture
def department(tmp_path: Path) -> Path:
    root = tmp_path / "department"
    config = write_site(root, use_directory_urls=False)
    (root / "refs").mkdir()
    (root / "refs/department.bib").write_text(BIB, encoding="utf-8")
    add_case(root, "synthetic-case-one")
    fm = synthetic_front_matter(title="Synthetic case two: another test sign", date="2026-02-01")
    add_case(root, "synthetic-case-two", case_text(fm))
    return config


def test_a_department_site_builds_strict_with_its_own_folders_labels_and_urls(department: Path) -> None:
    ok, messages = run_build(department)
    assert ok and messages == [], messages
    site = department.parent / "site"
    page = (site / "teaching/synthetic-case-one/index.html").read_text(encoding="utf-8")
    assert '<span class="casebook-reveal-label">Antwort zeigen</span>' in page
    assert '<p class="admonition-title">Frage</p>' in page
    assert ">Literatur</h2>" in page
    assert "Show the answer" not in page
    index = (site / "library.html").read_text(encoding="utf-8")
    assert 'href="teaching/synthetic-case-one/index.html"' in index
    assert '<span class="casebook-badge">Antwort gesehen</span>' in index
    home = (site / "index.html").read_text(encoding="utf-8")
    assert home.count('class="casebook-case-card"') == 1  # latest_cases: 1
    assert (site / "sources.html").is_file() and (site / "answers/by-diagnosis.html").is_file()
    assert not (site / "browse").exists()  # the etiology page is turned off, the default paths unused
    assert 'href="../teaching/synthetic-case-two/index.html"' in (site / "answers/by-diagnosis.html").read_text(
        encoding="utf-8"
    )
    assert "<!-- casebook:" not in "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    assert broken_links(site) == []
    # Casebook brought its own stylesheets, scripts and lightbox.
    css, js = package_bundles(ASSETS)
    assert (site / "assets" / css.name).is_file() and (site / "assets" / js.name).is_file()
    assert (site / "assets/javascripts/glightbox.min.js").is_file()


def test_check_reads_the_plugin_settings_and_agrees_with_the_build(department: Path, capsys) -> None:
    root = department.parent
    fm = synthetic_front_matter(body_sites=[f"{SYNTHETIC_DIAGNOSIS} region"])
    (root / "teaching/synthetic-case-one/index.md").write_text(
        case_text(fm, body="Synthetic [@synthetic2020zzz].\n\n/// answer\n\nSynthetic.\n\n///\n"), encoding="utf-8"
    )
    ok, messages = run_build(department)
    assert not ok
    capsys.readouterr()
    assert check_main(["--root", str(root)]) == 1
    printed = capsys.readouterr().out.splitlines()

    def keys(lines: list[str]) -> set[tuple[str, str]]:
        found = {(m["at"], m["rule"]) for m in map(FINDING_RE.match, lines) if m}
        return {(at, rule) for at, rule in found if RULES[rule].front_ends == BOTH}

    assert keys(printed) == keys(messages)
    assert any(
        at.startswith("teaching/synthetic-case-one/index.md:") and rule == "spoiler" for at, rule in keys(printed)
    )
    assert "refs/department.bib:1:1: warning: " in "\n".join(printed)  # bib-uncited: check only
    assert any(rule == "cite-unknown-key" and at.startswith("teaching/") for at, rule in keys(printed))


def test_a_site_with_only_search_and_casebook_gets_the_whole_feature_set(tmp_path: Path) -> None:
    root = tmp_path / "minimal"
    config = write_site(root, plugin={})
    (root / "bib").mkdir()
    (root / "bib/references.bib").write_text(BIB, encoding="utf-8")
    folder = root / "cases/synthetic-case"
    folder.mkdir(parents=True)
    (folder / "figure-one.png").write_bytes(PNG_1X1)
    (folder / "index.md").write_text(
        case_text(
            body=(
                "Synthetic [@synthetic2020alpha].\n\n/// answer\n\n/// etiology-table | Synthetic causes\n"
                "columns: [Group, Examples]\nrows:\n  - [Group one, Example one]\n///\n\n///\n"
            )
        ),
        encoding="utf-8",
    )
    ok, messages = run_build(config)
    assert ok and messages == [], messages
    page = (root / "site/cases/synthetic-case/index.html").read_text(encoding="utf-8")
    assert '<details class="casebook-answer success" data-search-exclude="" id="answer">' in page
    assert '<table class="casebook-etiology">' in page
    assert 'class="casebook-cite"' in page and "doi.org/10.5555/casebook.plugin.1" in page
    assert 'data-gallery="casebook-case"' in page and "glightbox" in page


@pytest.mark.parametrize(
    "plugin, message",
    [
        ({"case_dir": "teaching"}, "case_dir"),
        ({"latest_cases": "three"}, "latest_cases"),
        ({"labels": {"show_answr": "x"}}, "show_answr"),
        ({"citation_style": "harvard"}, "citation_style"),
        ({"cases_dir": "docs/cases"}, "must not be inside docs_dir"),
    ],
)
def test_a_mistyped_option_fails_the_strict_build_with_mkdocs_config_errors(tmp_path, plugin, message) -> None:
    config = write_site(tmp_path / "site", plugin=plugin)
    ok, messages = run_build(config)
    assert not ok
    assert any(message in m for m in messages), messages


def test_a_marker_that_survives_into_the_html_fails_the_build(tmp_path: Path) -> None:
    root = tmp_path / "marker"
    config = write_site(root, plugin={})
    (root / "docs/library.md").write_text(
        "# All cases\n\n<div markdown>\n<!-- casebook:case-index --> here\n</div>\n", encoding="utf-8"
    )
    ok, messages = run_build(config)
    assert not ok
    assert (
        "docs/library.md:1:1: error: the published page still contains '<!-- casebook:case-index -->': "
        "Casebook did not replace it (is it inside raw HTML or indented?); put the marker alone on its own "
        "line [output-marker]"
    ) in messages


def test_the_plugin_is_registered_as_an_entry_point() -> None:
    from importlib.metadata import entry_points

    (found,) = [ep for ep in entry_points(group="mkdocs.plugins") if ep.name == "casebook"]
    assert found.value == "casebook.mkdocs.plugin:CasebookPlugin"


def test_relative_urls_match_mkdocs() -> None:
    from mkdocs.structure.files import File
    from mkdocs.utils import get_relative_url

    from casebook.render.urls import SiteUrls

    pairs = [
        ("index.md", "teaching/a/index.md"),
        ("answers/x.md", "teaching/a/index.md"),
        ("teaching/a/index.md", "sources.md"),
        ("library.md", "teaching/a/f.png"),
    ]
    for directory_urls in (True, False):
        urls = SiteUrls(directory_urls, "teaching")
        for src, dest in pairs:

            def url(uri: str, directory_urls: bool = directory_urls) -> str:
                return File(uri, "/docs", "/site", use_directory_urls=directory_urls).url

            assert urls.href(src, dest) == get_relative_url(url(dest), url(src)), (src, dest, directory_urls)
            assert posixpath.normpath(urls.href(src, dest)) != ""


@pytest.mark.parametrize(
    "plugin, message",
    [
        ({"case_dir": "teaching"}, "case_dir"),
        ({"latest_cases": "three"}, "latest_cases"),
        ({"cases_dir": "docs/cases"}, "must not be inside docs_dir"),
    ],
)
def test_check_refuses_a_config_the_build_would_refuse(tmp_path, capsys, plugin, message):
    config = write_site(tmp_path / "site", plugin=plugin)
    assert check_main(["--root", str(config.parent)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("casebook check: error: ") and message in err, err


def test_check_refuses_a_config_file_that_is_not_there(tmp_path, capsys):
    assert check_main(["--root", str(tmp_path), "-f", str(tmp_path / "missing.yml")]) == 2
    assert "missing.yml: no such config file" in capsys.readouterr().err
