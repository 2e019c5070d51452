"""Smoke test for the build benchmark (benchmarks/): never timed, only "does it still work".

`make bench` takes many minutes, so nothing in `make test` runs it; this test
catches a generator or harness that has rotted (a Casebook schema change, a
renamed hook) by generating a 5-case site and building it strictly the way the
benchmark does: `benchmarks/buildrun.py` in a fresh process.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

import generate  # noqa: E402

N = 5
BIB_ENTRIES = 200  # the benchmark uses 2,000 (generate.BIB_ENTRIES); fewer keeps this test quick
CITE_RE = re.compile(r"@(synthetic\d{4})")


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate.generate(N, tmp_path_factory.mktemp("bench") / "work", n_entries=BIB_ENTRIES)


def _case_files(work: Path) -> list[Path]:
    return sorted((work / "casebook" / "cases").glob("*/index.md"))


def _build(project: Path) -> subprocess.CompletedProcess[str]:
    """The benchmark's own build path (buildrun.py, one process), plus --strict."""
    report = project / "report.json"
    cmd = [
        sys.executable,
        str(REPO / "benchmarks" / "buildrun.py"),
        "--json",
        str(report),
        "--",
        "build",
        "--strict",
        "-q",
        "-f",
        "mkdocs.yml",
        "-d",
        "site",
    ]
    env = {"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"}
    return subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True, timeout=120)


def test_generated_site_is_obviously_synthetic(work: Path) -> None:
    assert generate.SYNTHETIC_NOTE in (work / "README.txt").read_text()
    for variant in generate.VARIANTS:
        assert (work / variant / "mkdocs.yml").read_text().startswith(f"# {generate.SYNTHETIC_NOTE}")
    for path in _case_files(work):
        text = path.read_text()
        front = yaml.safe_load(text.split("---\n")[1])
        assert front["title"].startswith("Synthetic case ")
        assert front["diagnosis"].startswith("Synthetic condition ")
        assert all(a.startswith("Synthetic ") for a in front["authors"])
        assert generate.SYNTHETIC_NOTE in text
    bib = (work / "casebook" / "bib" / "synthetic.bib").read_text()
    dois = re.findall(r"doi = \{([^}]*)\}", bib)
    assert dois and all(d.startswith("10.5555/") for d in dois), "DOIs must use the 10.5555 test prefix"


def test_the_work_directory_is_git_ignored() -> None:
    ignored = (REPO / ".gitignore").read_text().split()
    assert "benchmarks/.work/" in ignored and "benchmarks/results/" in ignored


def test_generated_cases_have_the_benchmark_shape(work: Path) -> None:
    cases = _case_files(work)
    assert len(cases) == N
    bib = (work / "casebook" / "bib" / "synthetic.bib").read_text()
    keys = set(re.findall(r"@article\{(synthetic\d{4}),", bib))
    assert len(keys) == BIB_ENTRIES
    for path in cases:
        text = path.read_text()
        body = text.split("---\n", 2)[2]
        words = len(re.sub(r"\[@[^\]]*\]|<!--.*?-->|\|", " ", body).split())
        assert 450 <= words <= 800, f"{path.parent.name}: {words} words, expected about 600"
        assert sorted(p.name for p in path.parent.glob("figure-*.svg")) == ["figure-1.svg", "figure-2.svg"]
        assert body.count("/// answer") == 1 and body.count("/// etiology-table |") == 1
        cited = CITE_RE.findall(body)
        assert len(set(cited)) == generate.CITES_PER_CASE and set(cited) <= keys
    for variant in ("floor", "bibtex"):
        floor_cases = sorted((work / variant / "docs" / "cases").glob("*/index.md"))
        assert [p.parent.name for p in floor_cases] == [p.parent.name for p in cases]
        assert "hooks" not in yaml.safe_load((work / variant / "mkdocs.yml").read_text())


def test_casebook_variant_builds_strict_with_every_feature(work: Path) -> None:
    project = work / "casebook"
    run = _build(project)
    assert run.returncode == 0, run.stderr[-3000:]
    assert not re.search(r"^(WARNING|ERROR)", run.stderr, re.M), run.stderr[-3000:]
    slug = _case_files(work)[0].parent.name
    html = (project / "site" / "cases" / slug / "index.html").read_text()
    assert 'class="casebook-answer' in html
    assert 'class="casebook-etiology"' in html
    assert html.count('class="casebook-cite-item"') >= generate.CITES_PER_CASE
    assert 'class="casebook-references"' in html
    assert html.count('<figure class="casebook-figure"') == 2


def test_floor_variant_builds_without_casebook(work: Path) -> None:
    run = _build(work / "floor")
    assert run.returncode == 0, run.stderr[-3000:]
    slug = _case_files(work)[0].parent.name
    html = (work / "floor" / "site" / "cases" / slug / "index.html").read_text()
    assert "casebook-answer" not in html and "[@synthetic" in html  # citations stay literal text
