"""Build tiny Casebook sites in a temporary folder, the way a user would.

Each test project inherits the repository's mkdocs.yml (so tests exercise the
real configuration, with the installed Casebook plugin), and fails on any
MkDocs warning the test did not explicitly expect.
"""

from __future__ import annotations

import logging
import re
import shutil
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, MkDocsException

REPO = Path(__file__).resolve().parent.parent
SYNTHETIC_DIAGNOSIS = "Synthetic condition alpha"

# A tiny 1x1 grey PNG, for figures in synthetic cases (a valid one: published figures are decoded).
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b55"
    "0000000a49444154789c636800000082008177cd72b60000000049454e44ae426082"
)


def synthetic_front_matter(**overrides: Any) -> dict[str, Any]:
    """Front matter of an obviously synthetic, valid case."""
    data: dict[str, Any] = {
        "title": "Synthetic case: a test patient with a test sign",
        "summary": "A synthetic test case used by Casebook's test suite.",
        "date": "2026-01-15",
        "authors": ["Synthetic Author"],
        "specialty": "Synthetic specialty",
        "patient": {"age": "40 years", "sex": "female"},
        "presenting_complaint": "Synthetic complaint",
        "diagnosis": SYNTHETIC_DIAGNOSIS,
        "synonyms": ["Synthetic syndrome beta"],
        "figures": [
            {
                "file": "figure-one.png",
                "alt": "Synthetic image one, a single grey pixel.",
                "caption": "Synthetic caption one.",
                "credit": "Synthetic credit.",
            },
        ],
        "key_points": ["Synthetic key point."],
        # The figure is a PNG, which Casebook treats as a photograph: the case says it shows no one.
        "consent": "not-identifiable",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


SYNTHETIC_BODY = textwrap.dedent("""\
    Synthetic presentation paragraph: a test patient with a test sign.

    /// answer

    ## Synthetic discussion heading

    Synthetic discussion paragraph.

    /// etiology-table | Synthetic causes
    columns: [Group, Mechanism, Examples]
    rows:
      - [Group one, "Mechanism *one*", "Example one"]
      - [Group two, Mechanism two, "Example two"]
    ///

    ///
    """)


def case_text(front_matter: dict[str, Any] | None = None, body: str = SYNTHETIC_BODY) -> str:
    fm = synthetic_front_matter() if front_matter is None else front_matter
    return "---\n" + yaml.safe_dump(fm, sort_keys=False, allow_unicode=True) + "---\n\n" + body


@dataclass
class BuildResult:
    ok: bool
    records: list[logging.LogRecord]
    site: Path
    error: str | None = None

    @property
    def messages(self) -> list[str]:
        return [r.getMessage() for r in self.records if r.levelno >= logging.WARNING]

    @property
    def log(self) -> str:
        return "\n".join(self.messages + ([self.error] if self.error else []))

    def html(self, url_path: str) -> str:
        return (self.site / url_path / "index.html").read_text(encoding="utf-8")


@dataclass
class Project:
    root: Path
    extra_config: dict[str, Any] = field(default_factory=dict)

    def write(self, relpath: str, content: str | bytes) -> Path:
        path = self.root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    def add_case(
        self, slug: str = "synthetic-case", text: str | None = None, images: tuple[str, ...] = ("figure-one.png",)
    ) -> Path:
        for image in images:
            self.write(f"cases/{slug}/{image}", PNG_1X1)
        return self.write(f"cases/{slug}/index.md", case_text() if text is None else text)

    def build(self, strict: bool = True) -> BuildResult:
        config_path = self.root / "mkdocs.yml"
        config = {
            "INHERIT": str(REPO / "mkdocs.yml"),
            "site_name": "Synthetic test site",
            "nav": [{"Home": "index.md"}, {"Cases": "cases/index.md"}],
            **self.extra_config,
        }
        config_path.write_text(yaml.safe_dump(config), encoding="utf-8")
        records: list[logging.LogRecord] = []
        handler = _ListHandler(records)
        logger = logging.getLogger("mkdocs")
        logger.addHandler(handler)
        level = logger.level
        logger.setLevel(logging.INFO)  # as `mkdocs build` does: Casebook's notes are INFO records
        site = self.root / "site"
        try:
            cfg = load_config(str(config_path), strict=strict, site_dir=str(site))
            build(cfg)
            return BuildResult(True, records, site)
        except (Abort, MkDocsException) as exc:
            return BuildResult(False, records, site, str(exc))
        finally:
            logger.removeHandler(handler)
            logger.setLevel(level)

    def serve_build(self) -> Path:
        """What `mkdocs serve` does before serving: on_startup(command="serve"), then a build; the site's folder."""
        self.build()  # writes the test site's mkdocs.yml
        out = self.root / "served"
        config = load_config(str(self.root / "mkdocs.yml"), site_dir=str(out))
        config.plugins.on_startup(command="serve", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
        return out


class _ListHandler(logging.Handler):
    def __init__(self, records: list[logging.LogRecord]) -> None:
        super().__init__(logging.INFO)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


#: The case this repository ships; tests of "the real site" build it alone, so an author's
#: new case is judged by `make check` and `make site`, never by `make test`.
SEED_CASE = "pearl-like-heel-nodule"


def require_seed() -> None:
    """Skip a test of the shipped sample case (and its bib/seed.bib) where a site has replaced them."""
    for path in (REPO / "cases" / SEED_CASE / "index.md", REPO / "bib" / "seed.bib"):
        if not path.is_file():
            import pytest

            pytest.skip(f"{path.relative_to(REPO)} was removed (docs/own-site.md): the sample case is not tested")


def shipped_site(tmp_path: Path) -> Path:
    """A copy of this repository's site with only the shipped seed case; returns its mkdocs.yml.

    A site that has replaced the sample case (docs/own-site.md) has nothing of it to test: skipped.
    """
    require_seed()
    root = tmp_path / "shipped"
    root.mkdir(parents=True)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for folder in ("docs", "bib"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copytree(REPO / "cases" / SEED_CASE, root / "cases" / SEED_CASE)
    return root / "mkdocs.yml"


def without_quiz_options(html: str) -> str:
    """`html` without the quiz's options: the one place the diagnosis may appear before the answer."""
    return re.sub(r'<ul class="casebook-quiz-options">.*?</ul>', "", html, flags=re.S)


def new_project(tmp_path: Path) -> Project:
    """A project with the repository's configuration and a minimal docs/."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "bib").mkdir()
    (root / "cases").mkdir()
    project = Project(root)
    project.write("docs/index.md", "# Synthetic test site\n\nA site built by the test suite.\n")
    project.write("docs/cases/index.md", "# Cases\n\n<!-- casebook:case-index -->\n")
    return project


def assert_clean(result: BuildResult, expected: tuple[str, ...] = ()) -> None:
    """Fail on any warning or error that the test did not name (regular expressions)."""
    unexpected = [m for m in result.messages if not any(re.search(p, m) for p in expected)]
    assert result.ok and not unexpected, f"unexpected MkDocs warnings:\n{result.log}"


def outside_answer(html: str) -> str:
    """The page's HTML with the answer's <details> element cut out."""
    return re.sub(r'<details class="casebook-answer.*?</details>', "", html, flags=re.S)
