"""Nothing Casebook runs writes into, deletes or publishes from outside an author's files.

A build empties its site_dir first, so a site_dir that is (or holds) the
sources would delete them; a symbolic link in a case folder would copy a file
from elsewhere on the machine into the site.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from casebook.checks.run import check_project
from casebook.cli.check import main as check_main
from casebook.project.site_dir import unsafe_site_dir
from sitebuilder import Project, new_project

pytestmark = pytest.mark.skipif(os.name == "nt", reason="symbolic links")


def source_digests(root: Path) -> dict[str, str]:
    """Every file an author owns (all but the build's output and caches), by content."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if rel.split("/")[0] in ("site", ".cache") or not path.is_file() or rel == "mkdocs.yml":
            continue
        out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.fixture
def project(tmp_path) -> Project:
    project = new_project(tmp_path)
    project.add_case()
    return project


def test_a_build_and_a_check_leave_every_source_file_as_it_was(project):
    before = source_digests(project.root)
    assert len(before) >= 4
    result = project.build()
    assert result.ok, result.log
    check_main(["--root", str(project.root)])
    assert source_digests(project.root) == before


def test_site_dir_that_is_a_link_to_the_cases_is_refused_before_anything_is_deleted(project):
    (project.root / "site").symlink_to(project.root / "cases")
    before = source_digests(project.root)
    result = project.build()
    assert not result.ok
    assert "is a symbolic link (to " in result.log
    assert "building empties it first, which would delete what it points to" in result.log
    assert source_digests(project.root) == before
    assert (project.root / "cases/synthetic-case/index.md").is_file()


@pytest.mark.parametrize(
    ("site", "says"),
    [
        (".", "would hold"),  # site_dir: . would empty the repository
        ("..", "would hold"),
        ("cases/site", "is inside"),  # writing into the cases
        ("bib/out", "is inside"),
    ],
)
def test_site_dirs_that_hold_or_sit_in_the_sources_are_refused(tmp_path, site, says):
    root = tmp_path / "repo"
    for folder in ("cases", "docs", "bib"):
        (root / folder).mkdir(parents=True)
    why = unsafe_site_dir(root / site, root, (root / "cases", root / "docs", root / "bib"))
    assert why is not None and says in why
    assert "choose" in why


def test_an_ordinary_site_dir_is_allowed(tmp_path):
    root = tmp_path / "repo"
    (root / "cases").mkdir(parents=True)
    assert unsafe_site_dir(root / "site", root, (root / "cases",)) is None
    assert unsafe_site_dir(tmp_path / "elsewhere", root, (root / "cases",)) is None


def test_a_link_to_a_system_file_in_a_case_folder_is_refused_and_not_published(project, tmp_path):
    outside = tmp_path / "private.txt"
    outside.write_text("a file elsewhere on the machine\n", encoding="utf-8")
    (project.root / "cases/synthetic-case/notes.txt").symlink_to(outside)
    expected = "cases/synthetic-case/notes.txt:1:1: error: 'notes.txt' is a symbolic link to a file outside the project"
    texts = [f.text() for f in check_project(project.root).findings]
    assert any(t.startswith(expected) and t.endswith("[case-file-symlink]") for t in texts), texts
    result = project.build()
    assert not result.ok
    assert any(m.startswith(expected) for m in result.messages), result.log
    assert not list(project.root.glob("site/**/notes.txt"))


def test_a_broken_link_in_a_case_folder_is_reported(project):
    (project.root / "cases/synthetic-case/gone.png").symlink_to(project.root / "nowhere.png")
    texts = [f.text() for f in check_project(project.root).findings]
    assert (
        "cases/synthetic-case/gone.png:1:1: error: 'gone.png' is a broken symbolic link; replace it with the file "
        "[case-file-symlink]"
    ) in texts


def test_a_link_to_a_file_inside_the_project_is_fine(project):
    (project.root / "cases/synthetic-case/handout.pdf").write_bytes(b"%PDF-1.4 synthetic\n")
    (project.root / "cases/synthetic-case/copy.pdf").symlink_to(project.root / "cases/synthetic-case/handout.pdf")
    assert [f.text() for f in check_project(project.root).findings if f.rule == "case-file-symlink"] == []
