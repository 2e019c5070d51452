"""An author's day: `make new`, the guide's quiz case, drafts, and the TODOs a scaffold leaves.

End to end, the way an author works: the Makefile's `new` target in a copy of
the repository's configuration, the example case of docs/authoring.md (with its
multiple-choice question) over the scaffold, then `casebook check` and
`mkdocs build --strict` as `make check` and `make site` run them. `make test`
cannot run inside a test; what it would judge is stated instead: no test reads
an author's cases beyond the shipped one (tests/test_real_site.py).
"""

from __future__ import annotations

import inspect
import json
import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import test_docs_examples as docs_examples
import test_spoilers_sitewide as sitewide
from casebook.authoring.scaffold import new_case
from casebook.cases.loader import load_case
from casebook.references.bibtex import parse_bib_text
from sitebuilder import (
    PNG_1X1,
    REPO,
    SEED_CASE,
    Project,
    assert_clean,
    case_text,
    new_project,
    outside_answer,
    shipped_site,
    synthetic_front_matter,
    without_quiz_options,
)
from test_real_site import test_no_test_reads_the_authors_cases_beyond_the_shipped_one as no_test_reads_authors_cases

GUIDE = docs_examples.of_kind("case-file")[0]  # docs/authoring.md, "A complete example"
SLUG = GUIDE.title.split("/")[1]  # type: ignore[union-attr]
TITLE = "Example case: an adult with a painless lump on the forearm"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(REPO / "hooks")}
TODO_MESSAGE = (
    "a 'TODO' placeholder from `casebook new` is still here; replace it with the case's own text, "
    "or add 'draft: true' to the front matter to keep the case out of the site until it is ready"
)


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=300, check=False)


def make_new(root: Path, *variables: str) -> subprocess.CompletedProcess[str]:
    """`make new ...` with this repository's Makefile and the running virtual environment, in `root`.

    The install step is not remade (`-o`): the environment running the tests is the one to use.
    """
    stamp = str(REPO / "Makefile")
    args = ["make", "-s", "-f", stamp, "-o", stamp, "new", *variables, f"BIN={Path(sys.executable).parent}"]
    return _run([*args, f"STAMP={stamp}"], root)


def check(root: Path) -> subprocess.CompletedProcess[str]:
    """`make check`."""
    return _run([sys.executable, "-m", "casebook", "check"], root)


def site(root: Path) -> subprocess.CompletedProcess[str]:
    """`make site`: the strict build into site/."""
    return _run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", "site"], root)


def guide_project(tmp_path: Path) -> Project:
    """A site with the repository's configuration and the references the guide's case cites."""
    project = new_project(tmp_path)
    (project.root / "mkdocs.yml").write_text(
        f"INHERIT: {REPO / 'mkdocs.yml'}\nsite_name: Synthetic test site\n"
        "nav:\n  - Home: index.md\n  - Cases: cases/index.md\n",
        encoding="utf-8",
    )
    cited = set(re.findall(r"@([\w:-]+)", GUIDE.body))
    entries = re.split(r"\n(?=@)", docs_examples.docs_bibtex())
    keep = "\n".join(e for e in entries if (key := re.match(r"\s*@\w+\{([^,]+),", e)) and key.group(1) in cited)
    refs, _, _ = parse_bib_text(keep, "docs")
    assert {r.key for r in refs} == cited, "the guide's case cites a reference the Cite page does not give"
    project.write("bib/guide.bib", keep)
    return project


def run_sitewide_audit(site_dir: Path, case_file: Path) -> int:
    """Run every site-level check of tests/test_spoilers_sitewide.py on `site_dir`; return how many ran.

    Those are the checks `make test` makes of the shipped site; here they judge the author's
    site with the guide's case (its diagnosis and synonyms are the spoiler terms).
    """
    case, findings = load_case(case_file, site_dir.parent)
    assert case is not None, [f.text() for f in findings]
    meta = case.meta
    site = sitewide.Site("guide", site_dir, {case.slug: meta.spoiler_terms}, {case.slug: meta.diagnosis})
    audits = [
        check
        for name, check in vars(sitewide).items()
        if name.startswith("test_") and list(inspect.signature(check).parameters) == ["site"]
    ]
    for audit in audits:
        audit(site)
    return len(audits)


def test_make_new_then_the_guides_quiz_case_passes_check_and_the_strict_build(tmp_path):
    project = guide_project(tmp_path)
    root = project.root
    made = make_new(root, f"TITLE={TITLE}", f"SLUG={SLUG}")
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith(f"created cases/{SLUG}/index.md"), made.stdout
    scaffold = root / "cases" / SLUG / "index.md"
    assert re.search(r"^draft: true\b", scaffold.read_text(encoding="utf-8"), re.M)

    # The unedited scaffold is a draft: checked, not published, nothing fails.
    assert check(root).returncode == 0
    built = site(root)
    assert built.returncode == 0, built.stderr
    assert not (root / "site" / "cases" / SLUG).exists()

    # The author writes the case the guide shows, quiz included, and publishes it.
    scaffold.write_text(GUIDE.body, encoding="utf-8")
    for figure in ("forearm-at-presentation.png", "forearm-at-follow-up.png"):
        project.write(f"cases/{SLUG}/{figure}", PNG_1X1)
    checked = check(root)
    assert checked.returncode == 0 and checked.stdout.startswith("0 errors, 0 warnings"), checked.stdout
    built = site(root)
    assert built.returncode == 0 and "WARNING" not in built.stderr and "ERROR" not in built.stderr, built.stderr
    html = (root / "site" / "cases" / SLUG / "index.html").read_text(encoding="utf-8")
    assert '<form class="casebook-quiz"' in html and "Example look-alike A" in html
    # The sitewide spoiler audit of `make test` reads pages this way: the quiz's options are allowed
    # before the answer, nothing else of the quiz (not which one is right, not the explanations).
    before = outside_answer(without_quiz_options(html))
    assert "Example condition" in html and "Example condition" not in before
    assert "Placeholder for why this is the best answer." not in before
    assert "data-correct" not in before
    # And `make test`'s own sitewide audit passes on this site: every check of test_spoilers_sitewide.
    assert run_sitewide_audit(root / "site", scaffold) >= 10

    # Back to a draft: the case leaves the site, the index, search, the browse pages and the bibliography.
    scaffold.write_text(GUIDE.body.replace("---\n", "---\ndraft: true\n", 1), encoding="utf-8")
    assert check(root).returncode == 0
    built = site(root)
    assert built.returncode == 0, built.stderr
    published = root / "site"
    assert not (published / "cases" / SLUG).exists()
    every_page = "\n".join(p.read_text(encoding="utf-8") for p in published.rglob("*.html"))
    assert SLUG not in every_page and TITLE not in every_page
    index = json.loads((published / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [doc["location"] for doc in index["docs"] if SLUG in doc["location"]]
    assert "INFO    -  cases/example-forearm-lump/index.md: draft (draft: true), left out of the site" in built.stderr


def test_make_test_does_not_judge_an_authors_cases():
    """What `make test` reads of cases/: only the shipped case (the detector itself lives in test_real_site)."""
    no_test_reads_authors_cases()


# --------------------------------------------------------------------------- TODO placeholders


def test_an_unedited_scaffold_that_is_no_draft_is_an_error_at_each_todo(tmp_path):
    project = new_project(tmp_path)
    path = new_case(project.root / "cases", "Synthetic scaffold title", slug="synthetic-scaffold")
    text = "\n".join(line for line in path.read_text(encoding="utf-8").split("\n") if not line.startswith("draft:"))
    path.write_text(text, encoding="utf-8")
    lines = text.split("\n")
    summary = next(i for i, line in enumerate(lines, 1) if line.startswith("summary:"))
    body = next(i for i, line in enumerate(lines, 1) if line.startswith("TODO: Describe the patient"))
    commented = next(i for i, line in enumerate(lines, 1) if line.startswith('#     alt: "TODO'))
    case, findings = load_case(path, project.root)
    assert case is None
    texts = [f.text() for f in findings]
    shown = "cases/synthetic-scaffold/index.md"
    assert f"{shown}:{summary}:11: error: {TODO_MESSAGE} [case-todo]" in texts
    assert f"{shown}:{body}:1: error: {TODO_MESSAGE} [case-todo]" in texts
    assert not any(f"{shown}:{commented}:" in t for t in texts), "a TODO in a YAML comment is no placeholder"
    assert {f.rule for f in findings} == {"case-todo"}
    result = project.build()
    assert not result.ok and f"{shown}:{summary}:11: error: {TODO_MESSAGE} [case-todo]" in result.messages
    assert not (result.site / "cases" / "synthetic-scaffold").exists()


def test_a_todo_in_code_or_a_comment_is_not_a_placeholder(tmp_path):
    project = new_project(tmp_path)
    body = "Synthetic presentation `TODO` in code.\n\n<!-- TODO: a note -->\n\n/// answer\n\nSynthetic.\n\n///\n"
    path = project.add_case(text=case_text(body=body))
    _, findings = load_case(path, project.root)
    assert [f.text() for f in findings] == []


def test_a_draft_may_keep_its_todos(tmp_path):
    project = new_project(tmp_path)
    path = project.add_case(text=case_text(synthetic_front_matter(draft=True, specialty="TODO: specialty")))
    case, findings = load_case(path, project.root)
    assert findings == [] and case is not None and case.meta.draft


def test_draft_must_be_true_or_false(tmp_path):
    project = new_project(tmp_path)
    path = project.add_case(text=case_text(synthetic_front_matter(draft="maybe")))
    _, findings = load_case(path, project.root)
    line = path.read_text(encoding="utf-8").split("\n").index("draft: maybe") + 1
    assert [f.text() for f in findings] == [
        f"cases/synthetic-case/index.md:{line}:1: error: field 'draft' must be true or false, not 'maybe' [field-type]"
    ]


# --------------------------------------------------------------------------- drafts: build and preview


SYNTHETIC_BIB = """@book{synthetic2026,
  author = {Synthetic, Author},
  title = {Synthetic book},
  publisher = {Synthetic Press},
  address = {Synthetic City},
  year = {2026}
}
"""


@pytest.fixture
def draft_project(tmp_path: Path) -> Project:
    project = new_project(tmp_path)
    project.write("bib/synthetic.bib", SYNTHETIC_BIB)
    project.add_case("published-case")
    body = case_text().split("---\n\n", 1)[1].replace("Synthetic discussion paragraph.", "Synthetic [@synthetic2026].")
    draft = synthetic_front_matter(draft=True, title="Synthetic draft: a second test patient", specialty="Draftology")
    project.add_case("draft-case", case_text(draft, body=body))
    return project


def test_a_draft_is_left_out_of_the_built_site(draft_project: Project, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.INFO, logger="mkdocs")
    result = draft_project.build()
    assert_clean(result)
    site_dir = result.site
    assert (site_dir / "cases" / "published-case" / "index.html").is_file()
    assert not (site_dir / "cases" / "draft-case").exists()
    pages = {p.relative_to(site_dir).as_posix(): p.read_text(encoding="utf-8") for p in site_dir.rglob("*.html")}
    for name, html in pages.items():
        assert "draft-case" not in html and "Synthetic draft" not in html and "Draftology" not in html, name
    assert "synthetic2026" not in pages["bibliography/index.html"], "cited only by the draft"
    search = (site_dir / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "draft-case" not in search and "Synthetic draft" not in search
    assert any(
        r.getMessage() == "cases/draft-case/index.md: draft (draft: true), left out of the site" for r in result.records
    )


def test_serve_shows_a_draft_with_a_draft_banner(draft_project: Project):
    served = draft_project.serve_build()
    html = (served / "cases" / "draft-case" / "index.html").read_text(encoding="utf-8")
    assert '<div class="admonition warning casebook-draft" role="note">' in html
    assert '<p class="admonition-title">Draft</p>' in html
    assert "Synthetic draft: a second test patient" in (served / "cases" / "index.html").read_text(encoding="utf-8")
    published = (served / "cases" / "published-case" / "index.html").read_text(encoding="utf-8")
    assert "casebook-draft" not in published
    # The next build of the same process is a build again: the draft is left out.
    after = draft_project.build()
    assert after.ok and not (after.site / "cases" / "draft-case").exists()


# --------------------------------------------------------------------------- docs/own-site.md, followed


def test_the_make_it_your_own_steps_give_a_site_that_passes(tmp_path):
    """Rename, set site_url, replace the sample case and bib/seed.bib, hide the authors' pages: all as the page says."""
    own = [f for f in docs_examples.of_kind("site-config") if f.page == "own-site.md"]
    assert len(own) == 2, "own-site.md: the name-and-address and the nav examples"
    root = shipped_site(tmp_path).parent  # this repository's site, with its sample case
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    for fence in own:
        config.update(yaml.safe_load(fence.body))
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    shutil.rmtree(root / "cases" / SEED_CASE)  # "Delete the sample case ... and its references"
    (root / "bib" / "seed.bib").unlink()
    project = Project(root)
    project.add_case("synthetic-own-case")
    checked = check(root)
    assert checked.returncode == 0 and checked.stdout.startswith("0 errors, 0 warnings"), checked.stdout
    built = site(root)
    assert built.returncode == 0 and "WARNING" not in built.stderr, built.stderr
    home = (root / "site" / "index.html").read_text(encoding="utf-8")
    # The home page keeps its own title ("Casebook") until it is rewritten, as the page says.
    assert "<title>Casebook - Teaching cases of the Example Department</title>" in home
    assert '<link rel="canonical" href="https://example.org/teaching-cases/">' in home
    nav = set(re.findall(r'<a href="([^"#]+)" class="md-nav__link', home))
    assert nav == {".", "cases/", "browse/diagnoses/", "browse/etiology/", "bibliography/"}
    assert (root / "site" / "authoring" / "index.html").is_file(), "still published, for the authors"
    assert (root / "site" / "cases" / "synthetic-own-case" / "index.html").is_file()
    assert not (root / "site" / "cases" / "pearl-like-heel-nodule").exists()
