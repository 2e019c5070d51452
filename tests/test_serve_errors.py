"""Previewing with `mkdocs serve`: a case with an error shows its findings at its own address.

The build is what `mkdocs serve` runs (on_startup(command="serve"), then build),
so the pages are the ones it serves; one test runs the real `mkdocs serve` and
follows a fix through live reload. The strict build still fails as before.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from sitebuilder import REPO, Project, case_text, new_project, synthetic_front_matter

SHOWN = "cases/broken-case/index.md"
MISSING = f"{SHOWN}:1:1: error: required front matter field 'specialty' is missing: e.g. Dermatology [field-missing]"


@pytest.fixture
def broken(tmp_path: Path) -> Project:
    project = new_project(tmp_path)
    project.add_case("good-case")
    project.add_case("broken-case", case_text(synthetic_front_matter(specialty=None)))
    return project


def test_serve_shows_the_findings_at_the_cases_address(broken: Project):
    served = broken.serve_build()
    html = (served / "cases" / "broken-case" / "index.html").read_text(encoding="utf-8")
    assert '<div class="admonition failure casebook-preview-errors" role="alert">' in html
    assert (
        f"<li><code>{SHOWN}:1:1</code> error: required front matter field 'specialty' is missing: e.g. Dermatology "
        "<code>[field-missing]</code></li>"
    ) in html
    assert f"<title>Errors in {SHOWN}" in html
    assert (served / "cases" / "good-case" / "index.html").is_file()
    # The error page is not a case: not listed, not searchable.
    assert "broken-case" not in (served / "cases" / "index.html").read_text(encoding="utf-8")
    assert "broken-case" not in (served / "search" / "search_index.json").read_text(encoding="utf-8")


def test_the_strict_build_still_fails_and_publishes_no_error_page(broken: Project):
    result = broken.build()
    assert not result.ok and result.error == "Aborted with 1 errors in strict mode!"
    assert MISSING in result.messages
    assert not (result.site / "cases" / "broken-case").exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError:
        return 0, ""


def _wait_for(url: str, text: str, seconds: float = 90.0) -> str:
    """The page once it contains `text` (a deadline for a hung server, not a timing assertion)."""
    deadline = time.monotonic() + seconds
    body = ""
    while time.monotonic() < deadline:
        status, body = _get(url)
        if status == 200 and text in body:
            return body
        time.sleep(0.5)
    raise AssertionError(f"{url} never showed {text!r}; last body: {body[:500]}")


@pytest.mark.slow
def test_mkdocs_serve_shows_the_error_then_the_case_once_fixed(broken: Project):
    broken.build()  # writes mkdocs.yml
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(REPO / "hooks")}
    for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        env.pop(name, None)
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=broken.root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/cases/broken-case/"
        page = _wait_for(url, "casebook-preview-errors")
        assert f"<code>{SHOWN}:1:1</code> error: required front matter field 'specialty' is missing" in page
        broken.add_case("broken-case", case_text(synthetic_front_matter()))
        fixed = _wait_for(url, "Synthetic presentation paragraph")
        assert "casebook-preview-errors" not in fixed
    finally:
        server.terminate()
        server.wait(timeout=30)
