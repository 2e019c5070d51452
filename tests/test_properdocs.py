"""The repository's site builds the same with ProperDocs as with MkDocs.

ProperDocs (PyPI `properdocs`) is the maintained fork of MkDocs 1.6. It installs
beside `mkdocs` as its own package and command; when `properdocs` runs, imports of
`mkdocs.*` (Material's, the hooks', Casebook's) are redirected to `properdocs.*`.
It reads `properdocs.yml` and falls back to `mkdocs.yml`, and finds plugins in the
`mkdocs.plugins` entry-point group as well as its own `properdocs.plugins`.

The test keeps ProperDocs in a virtualenv of its own, cached in
`.cache/properdocs-venv` (git-ignored) and rebuilt when pyproject.toml or
requirements.lock changes. Casebook is installed there in editable mode, so the
code under test is always the working tree's.
"""

from __future__ import annotations

import contextlib
import difflib
import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitebuilder import REPO, SEED_CASE, shipped_site

VENV = REPO / ".cache" / "properdocs-venv"
STAMP = VENV / ".casebook-stamp"
PROPERDOCS = "properdocs==1.6.*"
# The seed case; its slug is spoiler-free (the diagnosis is not in the URL).
SEED_PAGE = f"cases/{SEED_CASE}/index.html"
# The only line that may differ: `<meta name="generator" content="mkdocs-1.6.1, ...">`
# against `content="mkdocs-ProperDocs 1.6.7, ..."`. Build dates cannot differ: both
# builds get the same SOURCE_DATE_EPOCH.
GENERATOR = re.compile(r'<meta name="generator" content="[^"]*">')
# pip's words when the index cannot be reached (no network): skip, don't fail. "versions:
# none" is what an unreachable or absent index leaves; a wrong pin lists the versions there are.
OFFLINE = re.compile(
    r"NewConnectionError|Temporary failure in name resolution|Network is unreachable|"
    r"Failed to establish a new connection|ConnectTimeoutError|ProxyError|\(from versions: none\)",
    re.I,
)

pytestmark = pytest.mark.slow


def _stamp() -> str:
    digest = hashlib.sha256()
    for part in (REPO / "pyproject.toml", REPO / "requirements.lock"):
        digest.update(part.read_bytes())
    # The editable install points at this checkout: a moved checkout needs a new venv.
    digest.update(f"{PROPERDOCS}\n{sys.version}\n{REPO}".encode())
    return digest.hexdigest()


@contextlib.contextmanager
def _locked() -> Iterator[None]:
    """Two test runs in one checkout must not build the cached venv at the same time."""
    VENV.parent.mkdir(parents=True, exist_ok=True)
    with open(VENV.parent / "properdocs-venv.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, stdin=subprocess.DEVNULL, **kwargs)


def _tail(run: subprocess.CompletedProcess[str], lines: int = 25) -> str:
    return "\n".join((run.stdout + run.stderr).splitlines()[-lines:])


@pytest.fixture(scope="module")
def properdocs_venv() -> Path:
    """The cached virtualenv with ProperDocs and Casebook; its `bin` folder."""
    bin_dir = VENV / "bin"
    with _locked():
        stamp = _stamp()
        if STAMP.is_file() and STAMP.read_text() == stamp and (bin_dir / "properdocs").exists():
            return bin_dir
        shutil.rmtree(VENV, ignore_errors=True)
        base = getattr(sys, "_base_executable", sys.executable)
        made = _run([base, "-m", "venv", str(VENV)], timeout=300)
        if made.returncode != 0:
            pytest.skip(f"cannot create a virtualenv for ProperDocs with {base}:\n{_tail(made)}")
        pip = [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        install = _run([*pip, "-c", str(REPO / "requirements.lock"), PROPERDOCS, "-e", str(REPO)], timeout=900)
        if install.returncode != 0:
            shutil.rmtree(VENV, ignore_errors=True)
            if OFFLINE.search(install.stdout + install.stderr):
                pytest.skip(f"ProperDocs cannot be installed (package index unreachable):\n{_tail(install)}")
            pytest.fail(f"installing {PROPERDOCS} and Casebook failed:\n{_tail(install)}")
        STAMP.write_text(stamp)
    return bin_dir


def _build(command: list[str], config: Path, site: Path, env: dict[str, str]) -> None:
    run = _run(
        [*command, "build", "--strict", "--config-file", str(config), "--site-dir", str(site)],
        cwd=config.parent,
        env=env,
        timeout=600,
    )
    assert run.returncode == 0, f"{' '.join(command)} build --strict failed:\n{run.stdout}{run.stderr}"


def _normalised(page: Path) -> list[str]:
    return [line for line in page.read_text(encoding="utf-8").splitlines() if not GENERATOR.search(line)]


def test_properdocs_discovers_the_casebook_plugin_entry_point(properdocs_venv: Path):
    """Listing entry points loads nothing, so this holds before the plugin class exists."""
    code = (
        "from properdocs.plugins import get_plugins; ep = get_plugins().get('casebook'); "
        "print(ep.value if ep else 'missing')"
    )
    run = _run([str(properdocs_venv / "python"), "-c", code], timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "casebook.mkdocs.plugin:CasebookPlugin"


def test_site_is_the_same_built_with_properdocs_and_mkdocs(properdocs_venv: Path, tmp_path: Path):
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "DISABLE_MKDOCS_2_WARNING": "true",
        "SOURCE_DATE_EPOCH": str(int(time.time())),
    }
    with_mkdocs, with_properdocs = tmp_path / "mkdocs", tmp_path / "properdocs"
    config = shipped_site(tmp_path)
    _build([sys.executable, "-m", "mkdocs"], config, with_mkdocs, env)
    _build([str(properdocs_venv / "properdocs")], config, with_properdocs, env)

    # ProperDocs really built it (its mkdocs.* imports were not MkDocs').
    seed_pd = (with_properdocs / SEED_PAGE).read_text(encoding="utf-8")
    assert re.search(r'<meta name="generator" content="mkdocs-ProperDocs 1\.6\.', seed_pd), GENERATOR.findall(seed_pd)

    def files(site: Path) -> list[str]:
        return sorted(str(path.relative_to(site)) for path in site.rglob("*") if path.is_file())

    assert files(with_properdocs) == files(with_mkdocs)

    expected, actual = _normalised(with_mkdocs / SEED_PAGE), _normalised(with_properdocs / SEED_PAGE)
    diff = "\n".join(list(difflib.unified_diff(expected, actual, "mkdocs", "properdocs", lineterm=""))[:80])
    assert actual == expected, f"{SEED_PAGE} differs between MkDocs and ProperDocs:\n{diff}"
