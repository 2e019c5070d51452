"""The repository's own site builds with --strict and keeps the seed case's answer hidden."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from sitebuilder import SEED_CASE, outside_answer, shipped_site

SEED_TERMS = ("milia-like idiopathic calcinosis cutis", "milia-like calcinosis cutis", "calcinosis")


def test_real_site_builds_strict_and_hides_the_seed_diagnosis(tmp_path: Path):
    """This repository's configuration and docs with the shipped case (authors' new cases: `make site`)."""
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    config = shipped_site(tmp_path)
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=config.parent,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "WARNING" not in run.stderr and "ERROR" not in run.stderr, run.stderr
    html = (site / f"cases/{SEED_CASE}/index.html").read_text()
    assert "Milia-like idiopathic calcinosis cutis" in html
    before = outside_answer(html).lower()
    for term in SEED_TERMS:
        assert term not in before
    assert 'class="casebook-etiology"' in html
    assert len(re.findall(r'<th scope="row">', html)) == 4, "dystrophic, metastatic, iatrogenic, idiopathic"
    index = json.dumps(json.loads((site / "search/search_index.json").read_text())).lower()
    for term in SEED_TERMS:
        assert term not in index
    theme = (site / "theme/index.html").read_text()
    # The docs quote the page markers in code: they are shown, not replaced by the case list.
    assert "<code>&lt;!-- casebook:case-index --&gt;</code>" in theme
    assert "<code>&lt;!-- casebook:latest-cases --&gt;</code>" in theme
    assert '<form class="casebook-filters"' not in theme and "casebook:html" not in theme
    assert '<form class="casebook-filters"' in (site / "cases/index.html").read_text()
    for page in site.rglob("*.html"):
        text = page.read_text().lower()
        titles = " ".join(re.findall(r"<title>.*?</title>|<meta[^>]+>", text, re.S))
        assert "calcinosis" not in titles, page


def test_no_test_reads_the_authors_cases_beyond_the_shipped_one():
    """`make test` tests Casebook: a valid case an author adds must not be able to turn it red."""
    here = Path(__file__).parent
    offenders = []
    for path in sorted(p for p in here.glob("*.py") if p.name != "sitebuilder.py"):  # it defines shipped_site
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            reads_cases = re.search(r'REPO\s*/\s*"cases"(?!\s*/\s*SEED_CASE)', line)
            builds_repo = re.search(r'REPO\s*/\s*"mkdocs\.yml"', line) and "INHERIT" not in line
            runs_repo = "cwd=REPO" in line and "mkdocs" in line  # the pattern itself, not a use
            checks_repo = re.search(r'"--root",\s*str\(REPO\)', line)  # `casebook check` on the authors' cases
            if (
                (reads_cases or builds_repo or runs_repo or checks_repo)
                and "re.search" not in line
                and "the pattern itself" not in line
            ):
                offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert offenders == [], "use sitebuilder.shipped_site() instead:\n" + "\n".join(offenders)
