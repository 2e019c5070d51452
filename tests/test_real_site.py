"""The repository's own site builds with --strict and keeps the seed case's answer hidden."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from sitebuilder import REPO, outside_answer

SEED_TERMS = ("milia-like idiopathic calcinosis cutis", "milia-like calcinosis cutis", "calcinosis")


def test_real_site_builds_strict_and_hides_the_seed_diagnosis(tmp_path: Path):
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                         cwd=REPO, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "WARNING" not in run.stderr and "ERROR" not in run.stderr, run.stderr
    html = (site / "cases/pearl-like-heel-nodule/index.html").read_text()
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
