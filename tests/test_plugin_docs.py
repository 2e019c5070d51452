"""docs/plugin.md tells the truth about the plugin: every option with its default, a minimal site that builds.

The options table is compared with the typed config itself (`CasebookConfig`,
walked through MkDocs' `_schema` and each `SubConfig`'s `config_class`), so an
option added to the code without a line in the docs, or a default changed in
one place only, fails here. The minimal `mkdocs.yml` of the page is built, as
it is written, in a fresh folder with a synthetic case.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from html import escape
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import config_options, load_config
from mkdocs.config.base import Config
from mkdocs.exceptions import Abort, MkDocsException

from casebook.checks.registry import BOTH, RULES
from casebook.mkdocs.config import CasebookConfig
from casebook.mkdocs.plugin import ASSETS, REQUIRED_EXTENSIONS
from casebook.render.assets import package_bundles
from sitebuilder import PNG_1X1, REPO, case_text

DOCS = REPO / "docs"
PLUGIN_PAGE = DOCS / "plugin.md"
ROW_RE = re.compile(r"^\| `(?P<name>[a-z_.]+)` \| (?P<type>[^|]+) \| `(?P<default>[^`]*)` \| (?P<meaning>[^|]+) \|$")
FENCE_RE = re.compile(r'^```(?P<lang>[a-z]+)(?: title="(?P<title>[^"]*)")?\n(?P<body>.*?)^```$', re.S | re.M)


def walk_options(config_class: type[Config] = CasebookConfig, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted name, option) for every leaf option, nested SubConfigs included."""
    for name, option in config_class._schema:
        if isinstance(option, config_options.SubConfig):
            yield from walk_options(option.config_class, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", option


def page_section(title: str) -> str:
    """The text of the `## title` section of docs/plugin.md (down to the next `## ` heading)."""
    text = PLUGIN_PAGE.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def documented_options() -> dict[str, re.Match[str]]:
    rows = [ROW_RE.match(line) for line in page_section("Options").split("\n") if line.startswith("| `")]
    assert all(rows), "every row of the options table reads | `name` | type | `default` | meaning |"
    found = {m["name"]: m for m in rows if m}
    assert len(found) == len(rows), "an option is listed twice"
    return found


def type_word(option: Any) -> str:
    """How the table names an option's type."""
    if isinstance(option, config_options.ListOfItems):
        return "list of strings"
    if isinstance(option, config_options.Choice):
        return " or ".join(f"`{choice}`" for choice in option.choices)
    expected = option._type if isinstance(option._type, tuple) else (option._type,)
    words = {(str,): "string", (int,): "integer", (bool,): "boolean", (int, float): "number"}
    return words[expected]


def default_matches(written: str, default: Any) -> bool:
    """A string default is written as it is (the empty one as `""`); others as YAML (`true`, `[bib]`, `10.0`)."""
    if isinstance(default, str):
        return written == (default or '""')
    return yaml.safe_load(written) == default and type(yaml.safe_load(written)) is type(default)


def test_the_walk_finds_the_nested_options():
    names = dict(walk_options())
    assert {"cases_dir", "pages.bibliography", "labels.show_answer", "online.timeout", "lightbox"} <= set(names)
    assert not any(isinstance(o, config_options.SubConfig) for o in names.values())


@pytest.mark.parametrize("name, option", list(walk_options()), ids=[n for n, _ in walk_options()])
def test_every_option_is_in_the_table_with_its_default(name: str, option: Any):
    rows = documented_options()
    assert name in rows, f"docs/plugin.md: the options table has no row for `{name}`"
    row = rows[name]
    assert default_matches(row["default"], option.default), (
        f"docs/plugin.md: `{name}` is documented with default `{row['default']}`, the code says {option.default!r}"
    )
    assert row["type"].strip() == type_word(option), f"docs/plugin.md: `{name}` is a {type_word(option)}"
    assert row["meaning"].strip(), f"docs/plugin.md: `{name}` says nothing about what it does"


def test_the_table_lists_no_option_the_code_does_not_have():
    assert sorted(set(documented_options()) - {name for name, _ in walk_options()}) == []


def test_the_page_names_every_extension_the_plugin_adds():
    section = page_section("What the plugin adds to your configuration")
    assert [name for name in REQUIRED_EXTENSIONS if f"`{name}`" not in section] == []


def test_the_strict_build_section_names_every_rule_one_front_end_skips():
    text = (DOCS / "checks.md").read_text(encoding="utf-8")
    section = text[text.index("## What the strict build does") : text.index("## Rules")]
    one_front_end = sorted(rule.id for rule in RULES.values() if rule.front_ends != BOTH)
    assert one_front_end and [rule for rule in one_front_end if f"`{rule}`" not in section] == []


# --------------------------------------------------------------------------- the minimal site, built

BIB = """@article{synthetic2021plugin,
  author = {Synthetic, Author},
  title = {A synthetic article for the plugin page test},
  journal = {Synthetic Journal},
  year = {2021},
  volume = {1},
  pages = {1--2},
  doi = {10.5555/casebook.plugin-docs.1},
}
"""


def minimal_config() -> str:
    section = page_section("The minimal mkdocs.yml")
    (fence,) = [m for m in FENCE_RE.finditer(section) if m["lang"] == "yaml" and m["title"] == "mkdocs.yml"]
    return fence["body"]


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_the_minimal_config_is_minimal():
    data = yaml.safe_load(minimal_config())
    assert data["theme"] == "material"
    assert data["plugins"] == ["search", "casebook"]
    assert set(data) == {"site_name", "theme", "plugins"}


def write_site(root: Path, config: str) -> Path:
    """A site of a department: `config` as its mkdocs.yml, two pages, a reference and a synthetic case."""
    (root / "docs").mkdir(parents=True)
    (root / "bib").mkdir()
    case = root / "cases" / "synthetic-case"
    case.mkdir(parents=True)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    (root / "docs/index.md").write_text("# Synthetic cases\n\n<!-- casebook:latest-cases -->\n", encoding="utf-8")
    (root / "docs/all-cases.md").write_text("# All cases\n\n<!-- casebook:case-index -->\n", encoding="utf-8")
    (root / "bib/synthetic.bib").write_text(BIB, encoding="utf-8")
    (case / "figure-one.png").write_bytes(PNG_1X1)
    (case / "index.md").write_text(
        case_text(
            body=("Synthetic presentation [@synthetic2021plugin].\n\n/// answer\n\nSynthetic discussion.\n\n///\n")
        ),
        encoding="utf-8",
    )
    return root / "mkdocs.yml"


def build_strict(config_file: Path) -> Path:
    """Build with --strict; fail on any warning. Returns the site folder."""
    handler = _Warnings()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        build(load_config(str(config_file), strict=True))
    except (Abort, MkDocsException) as exc:
        pytest.fail(f"{config_file} does not build strict: {exc}\n{handler.messages}")
    finally:
        logger.removeHandler(handler)
    assert handler.messages == []
    return config_file.parent / "site"


def test_the_minimal_config_builds_a_site_strict(tmp_path: Path):
    site = build_strict(write_site(tmp_path / "site-of-a-department", minimal_config()))
    page = (site / "cases/synthetic-case/index.html").read_text(encoding="utf-8")
    assert '<details class="casebook-answer success" data-search-exclude="" id="answer">' in page
    assert "doi.org/10.5555/casebook.plugin-docs.1" in page
    assert 'class="casebook-case-card"' in (site / "all-cases/index.html").read_text(encoding="utf-8")
    assert 'class="casebook-case-card"' in (site / "index.html").read_text(encoding="utf-8")
    # What the page says the plugin adds: the generated pages, its stylesheets and scripts, the lightbox.
    for path in (
        "bibliography/index.html",
        "browse/diagnoses/index.html",
        "browse/etiology/index.html",
        *(f"assets/{bundle.name}" for bundle in package_bundles(ASSETS)),
        "assets/javascripts/glightbox.min.js",
    ):
        assert (site / path).is_file(), path
    assert "<!-- casebook:" not in "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))


def page_configs() -> list[tuple[int, str]]:
    """(line, body) of every mkdocs.yml example of docs/plugin.md."""
    text = PLUGIN_PAGE.read_text(encoding="utf-8")
    return [
        (text.count("\n", 0, m.start()) + 1, m["body"])
        for m in FENCE_RE.finditer(text)
        if m["lang"] == "yaml" and m["title"] == "mkdocs.yml"
    ]


@pytest.mark.parametrize("line, body", page_configs(), ids=[f"docs/plugin.md:{n}" for n, _ in page_configs()])
def test_every_config_example_builds_strict_on_the_minimal_site(tmp_path: Path, line: int, body: str):
    """Each example on its own, over the minimal mkdocs.yml (test_docs_examples merges them all into one site)."""
    config = {**yaml.safe_load(minimal_config()), **yaml.safe_load(body)}
    site = build_strict(write_site(tmp_path / "site", yaml.safe_dump(config, allow_unicode=True, sort_keys=False)))
    page = (site / "cases/synthetic-case/index.html").read_text(encoding="utf-8")
    (options,) = [
        p.get("casebook") or {} if isinstance(p, dict) else {}
        for p in config["plugins"]
        if p == "casebook" or (isinstance(p, dict) and "casebook" in p)
    ]
    labels = options.get("labels") or {}
    for name in ("show_answer", "question", "the_case", "references"):  # each is a text node of this case page
        if name in labels:
            assert f">{escape(labels[name])}<" in page, f"docs/plugin.md:{line}: labels.{name} is not on the page"


# --------------------------------------------------------------------------- nothing of the hooks era is left


@pytest.mark.parametrize("stale", ["hooks/casebook_", "docs/assets/casebook"])
def test_no_page_mentions_the_files_of_the_hooks_era(stale: str):
    mentions = [
        f"{page.relative_to(REPO)}:{number}"
        for page in sorted(DOCS.rglob("*.md"))
        for number, line in enumerate(page.read_text(encoding="utf-8").split("\n"), start=1)
        if stale in line
    ]
    assert mentions == [], f"{stale} is gone (the plugin adds its own files): {mentions}"
