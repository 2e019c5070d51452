"""The performance features of issue 16 do what they promise, and change nothing else.

No timings here (those are benchmark figures, benchmarks/README.md): each test
asserts on built files, the search index or exact findings.

- Search sees only what it may index (casebook/mkdocs/search_view.py): the
  search index and every page are byte-identical with and without it, and the
  search plugin never parsed the answer.
- Pages without an image load no lightbox script (mkdocs-glightbox's own
  `glightbox: false` page switch, set by the plugin).
- `casebook check`'s result cache (casebook/checks/cache.py): a cached run
  prints the same findings as `--no-cache` on the bad-input corpus, a change
  is noticed, and the cache is written only under `.cache/`.
"""

from __future__ import annotations

import filecmp
import functools
import http.server
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import textwrap
import threading
import time
import unicodedata
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from material.plugins.search import plugin as material_search

import casebook.mkdocs.plugin as plugin_module
from casebook.cases import spoilers
from casebook.checks import cache as check_cache
from casebook.cli.check import main as check_main
from sitebuilder import SYNTHETIC_DIAGNOSIS, Project, assert_clean, case_text, new_project, synthetic_front_matter

BAD = Path(__file__).parent / "bad"
ORIGINAL_ADD_ENTRY = material_search.SearchIndex.add_entry_from_context

SYNTHETIC_BIB = textwrap.dedent("""\
    % Synthetic test references; the DOIs use the 10.5555 test prefix and resolve to nothing.
    @article{synthetic2026a,
      author = {Synthetic, A. and Synthetic, B.},
      title = {Synthetic test reference one},
      journal = {J Synth Test},
      year = {2026},
      volume = {1},
      pages = {1--9},
      doi = {10.5555/synthetic.1}
    }
    @article{synthetic2026b,
      author = {Synthetic, C.},
      title = {Synthetic test reference two},
      journal = {J Synth Test},
      year = {2026},
      volume = {2},
      pages = {10--19},
      doi = {10.5555/synthetic.2}
    }
""")

CITED_BODY = textwrap.dedent("""\
    Synthetic presentation paragraph: a test patient with a test sign [@synthetic2026a].

    ## Synthetic findings

    Synthetic examination paragraph.

    /// answer

    ## Synthetic discussion heading

    Synthetic discussion paragraph naming Synthetic condition alpha [@synthetic2026b].

    /// etiology-table | Synthetic causes
    columns: [Group, Mechanism, Examples]
    rows:
      - [Group one, "Mechanism *one*", "Example one"]
      - [Group two, Mechanism two, "Example two"]
    ///

    ///

    Synthetic closing paragraph after the answer.
    """)


def cited_project(tmp_path: Path) -> Project:
    project = new_project(tmp_path)
    project.write("bib/synthetic.bib", SYNTHETIC_BIB)
    project.add_case("synthetic-cited-case", case_text(synthetic_front_matter(figures=[]), CITED_BODY), images=())
    no_figures = synthetic_front_matter(title="Synthetic case without figures: a test sign", figures=[])
    project.add_case("synthetic-plain-case", case_text(no_figures, CITED_BODY), images=())
    return project


def _build_recording(project: Project, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict[str, str]]:
    """Build; return the site and what Material's search indexer was handed per page."""
    parsed: dict[str, str] = {}
    original = ORIGINAL_ADD_ENTRY

    def recording(self: material_search.SearchIndex, page: object) -> None:
        parsed[page.file.src_uri] = page.content  # type: ignore[attr-defined]
        original(self, page)

    monkeypatch.setattr(material_search.SearchIndex, "add_entry_from_context", recording)
    result = project.build()
    assert_clean(result)
    return result.site, parsed


def test_search_index_and_pages_identical_without_the_answer_parsed(tmp_path, monkeypatch):
    project = cited_project(tmp_path)
    site_cut, parsed_cut = _build_recording(project, monkeypatch)
    kept = tmp_path / "site-cut"
    shutil.copytree(site_cut, kept)
    monkeypatch.setattr(plugin_module, "is_material_search", lambda plugin: False)
    site_full, parsed_full = _build_recording(project, monkeypatch)

    case_uri = "cases/synthetic-cited-case/index.md"
    # Without the search view the indexer parses the answer (and skips it): the test can tell.
    assert 'class="casebook-answer' in parsed_full[case_uri]
    assert SYNTHETIC_DIAGNOSIS in parsed_full[case_uri]
    # With it, the indexer never sees the answer, its reference list or the etiology table.
    assert 'class="casebook-answer' not in parsed_cut[case_uri]
    assert SYNTHETIC_DIAGNOSIS not in parsed_cut[case_uri]
    assert "Synthetic test reference two" not in parsed_cut[case_uri]
    assert "Synthetic closing paragraph after the answer." in parsed_cut[case_uri]

    index_cut = (kept / "search" / "search_index.json").read_bytes()
    index_full = (site_full / "search" / "search_index.json").read_bytes()
    assert index_cut == index_full
    assert b"Synthetic closing paragraph after the answer." in index_cut
    # Every published page is byte-identical (the answer is restored before the template renders).
    compare = filecmp.dircmp(kept, site_full)
    assert not compare.diff_files and not compare.left_only and not compare.right_only
    for name in ("synthetic-cited-case", "synthetic-plain-case"):
        page = (kept / "cases" / name / "index.html").read_text(encoding="utf-8")
        assert page == (site_full / "cases" / name / "index.html").read_text(encoding="utf-8")
        assert 'data-search-exclude="" id="answer"' in page  # the second guard stays
        assert "casebook-search-cut" not in page


# --------------------------------------------------------------------------- check cache

BAD_ITEMS = sorted(p.name for p in BAD.iterdir() if p.is_dir()) if BAD.is_dir() else []


@pytest.fixture
def stable_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache key without the Casebook modules' mtimes (edited meanwhile in a shared tree); the rest stays."""

    def code(h: Any) -> None:
        h.update(f"casebook-check-cache {check_cache.FORMAT} {check_cache.casebook.__version__}\n".encode())
        h.update(check_cache.registry_fingerprint().encode())

    monkeypatch.setattr(check_cache, "_code", code)


def _check(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, list[str]]:
    status = check_main(["--root", str(root), *extra])
    out = capsys.readouterr().out.splitlines()
    # The last line is the summary with the time; the findings and counts must agree exactly.
    assert out and out[-1].endswith(" s)")
    return status, [*out[:-1], out[-1].rsplit(" (", 1)[0]]


@pytest.mark.parametrize("name", BAD_ITEMS)
def test_cached_check_gives_the_same_findings_as_no_cache(name, tmp_path, capsys, stable_code):
    root = new_project(tmp_path).root  # as tests/test_bad_corpus.py materialises an item
    shutil.copytree(BAD / name, root, dirs_exist_ok=True)
    before = {p.relative_to(root) for p in root.rglob("*")}
    fresh = _check(root, capsys, "--no-cache")
    assert not (root / ".cache").exists(), "--no-cache wrote a cache"
    first = _check(root, capsys)  # computes and stores
    cache_file = check_cache.cache_path(root)
    assert cache_file.is_file()
    stored = cache_file.read_text(encoding="utf-8")
    second = _check(root, capsys)  # served from the cache
    assert fresh == first == second
    assert cache_file.read_text(encoding="utf-8") == stored, "a cache hit rewrote the cache"
    after = {p.relative_to(root) for p in root.rglob("*")}
    assert {p for p in after - before if p.parts[0] != ".cache"} == set(), "the cache wrote outside .cache/"


def test_cache_hit_is_served_and_a_change_is_noticed(tmp_path, capsys, monkeypatch, stable_code):
    project = cited_project(tmp_path)
    root = project.root
    first = _check(root, capsys)
    assert first[0] == 0

    # A hit does not load the project: make loading fail loudly, and the cached run still answers.
    import casebook.checks.run as run_module

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the project was loaded although nothing changed")

    with monkeypatch.context() as patched:
        patched.setattr(run_module, "check_project", refuse)
        assert _check(root, capsys) == first

    # One edited case: the same size and the same mtime would be missed only by a racy stat; the text differs.
    case = root / "cases" / "synthetic-plain-case" / "index.md"
    case.write_text(case.read_text(encoding="utf-8").replace("[@synthetic2026a]", "[@synthetic2026x]"), "utf-8")
    status, lines = _check(root, capsys)
    assert status == 1
    assert any(
        line.startswith("cases/synthetic-plain-case/index.md:") and line.endswith("[cite-unknown-key]")
        for line in lines
    ), lines
    assert (status, lines) == _check(root, capsys, "--no-cache")


def test_rule_change_invalidates(tmp_path, capsys, monkeypatch, stable_code):
    project = cited_project(tmp_path)
    root = project.root
    _check(root, capsys)
    key = check_cache.lookup(root.resolve(), root / "mkdocs.yml")
    assert key is not None
    from casebook.checks import registry

    changed = dict(registry.RULES)
    changed.pop(next(iter(changed)))
    monkeypatch.setattr(check_cache, "RULES", changed)
    assert check_cache.lookup(root.resolve(), root / "mkdocs.yml") is None
    monkeypatch.setattr(check_cache.casebook, "__version__", "0.0.0-synthetic")
    assert check_cache.lookup(root.resolve(), root / "mkdocs.yml") is None


def test_cache_key_is_the_same_in_every_process(tmp_path):
    """A rule's front ends are a frozenset: hashing its repr() made the key follow PYTHONHASHSEED.

    Two `casebook check` runs of an unchanged project then missed each other about half the time.
    """
    project = cited_project(tmp_path)
    script = (
        "import sys; from pathlib import Path; from casebook.checks import cache as c; "
        "root = Path(sys.argv[1]); print(c.config_key(root, root / 'mkdocs.yml')[0])"
    )
    keys = {
        subprocess.run(
            [sys.executable, "-c", script, str(project.root.resolve())],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("0", "1", "2", "3")
    }
    assert len(keys) == 1 and len(next(iter(keys))) == 64, keys


def test_registry_fingerprint_names_every_rule_with_its_front_ends_in_order():
    lines = check_cache.registry_fingerprint().splitlines()
    assert len(lines) == len(check_cache.RULES)
    assert "file-unreadable\0error\0the file cannot be read\0build,check\0" in lines


# --------------------------------------------------------------------------- live preview (make serve)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Serve:
    """`mkdocs serve --dirty -v` in a subprocess, its log collected line by line."""

    def __init__(self, root: Path) -> None:
        self.port = _free_port()
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        cmd = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-v", "--dev-addr", f"127.0.0.1:{self.port}"]
        self.proc = subprocess.Popen(
            cmd, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
        )
        self.lines: list[str] = []
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self.cond:
                self.lines.append(line.rstrip())
                self.cond.notify_all()

    def wait_for(self, pattern: str, after: int, timeout: float = 240) -> int:
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for i in range(after, len(self.lines)):
                    if re.search(pattern, self.lines[i]):
                        return i
                left = deadline - time.monotonic()
                assert left > 0 and self.proc.poll() is None, "\n".join(self.lines[-30:])
                self.cond.wait(min(left, 1.0))

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{path}", timeout=30) as response:
            return bytes(response.read())

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def test_dirty_serve_rebuilds_the_case_and_its_dependents_and_keeps_the_search_index_whole(tmp_path):
    project = cited_project(tmp_path)
    project.write("docs/index.md", "# Synthetic test site\n\n<!-- casebook:latest-cases -->\n")
    project.write("docs/about.md", "# About\n\nA synthetic page that lists no case.\n")
    other = synthetic_front_matter(
        title="Synthetic unrelated case: a test limp",
        specialty="Synthetic unrelated specialty",
        diagnosis="Synthetic condition omega",
        synonyms=[],
        figures=[],
        date="2025-01-01",
    )
    project.add_case("synthetic-unrelated-case", case_text(other, CITED_BODY.replace("alpha", "omega")), images=())
    project.extra_config["nav"] = [{"Home": "index.md"}, {"Cases": "cases/index.md"}, {"About": "about.md"}]
    assert_clean(project.build())  # writes mkdocs.yml; the serve below uses it
    edited = project.root / "cases" / "synthetic-cited-case" / "index.md"
    serve = _Serve(project.root)
    try:
        serve.wait_for(r"Serving on", 0)
        time.sleep(1.5)  # past the mtime of the first build's outputs
        with serve.cond:
            seen = len(serve.lines)
        edited.write_text(
            edited.read_text(encoding="utf-8").replace("Synthetic case: a test patient", "Synthetic retitled case"),
            encoding="utf-8",
        )
        edit_time = time.time()
        serve.wait_for(r"Documentation built in", seen)
        site_dir = Path(re.search(r"'site_dir' = '([^']+)'", "\n".join(serve.lines)).group(1))  # type: ignore[union-attr]
        # A page was rebuilt if its output was written after the edit (MkDocs skips the others).
        rebuilt = {
            "" if html.parent == site_dir else html.parent.relative_to(site_dir).as_posix() + "/"
            for html in site_dir.rglob("index.html")
            if html.stat().st_mtime >= edit_time - 0.5
        }
        served_index = serve.get("search/search_index.json")
        served_related = serve.get("cases/synthetic-plain-case/").decode("utf-8")
    finally:
        serve.stop()
    # The edited case, the pages listing cases, the case whose "Related cases" names it, the case whose
    # "Newer case" link names it (the unrelated one, dated before it), the generated pages...
    assert {
        "cases/synthetic-cited-case/",
        "cases/synthetic-plain-case/",
        "cases/synthetic-unrelated-case/",
        "cases/",
        "",
        "bibliography/",
    } <= rebuilt, rebuilt
    # ...and not the pages that do not show it.
    assert "about/" not in rebuilt, rebuilt
    assert "Synthetic retitled case" in served_related
    # The search index is the one a full build writes, not only the rebuilt pages' entries.
    full = project.build()
    assert_clean(full)
    assert served_index == (full.site / "search" / "search_index.json").read_bytes()
    assert b"A synthetic page that lists no case." in served_index


# --------------------------------------------------------------------------- reader weight

SVG_PIXEL = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>\n'


def test_glightbox_only_on_pages_with_images(tmp_path):
    """A case page without figures loads no lightbox; a page with an image still does (in a browser)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (Python) is not installed")
    if not Path("/usr/bin/chromium").is_file():
        pytest.skip("Debian chromium (/usr/bin/chromium) is not installed")
    project = cited_project(tmp_path)
    project.write("docs/pictures.md", "# Pictures\n\n![Synthetic grey square](pixel.svg)\n")
    project.write("docs/pixel.svg", SVG_PIXEL)
    project.extra_config["nav"] = [{"Home": "index.md"}, {"Cases": "cases/index.md"}, {"Pictures": "pictures.md"}]
    result = project.build()
    assert_clean(result)
    plain_html = result.html("cases/synthetic-plain-case")
    assert "glightbox" not in plain_html
    assert "glightbox.min.js" in result.html("pictures")

    from local_http import base_url, serve

    handler = functools.partial(_QuietFiles, directory=str(result.site))
    with serve(handler) as server, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            loaded: dict[str, list[str]] = {}
            for name, path in (("plain", "cases/synthetic-plain-case/"), ("pictures", "pictures/")):
                page = browser.new_page()
                requests: list[str] = []
                page.on("request", lambda request, requests=requests: requests.append(request.url))
                page.goto(f"{base_url(server)}/{path}", wait_until="load")
                loaded[name] = requests
                page.close()
        finally:
            browser.close()
    assert not [url for url in loaded["plain"] if "glightbox" in url], loaded["plain"]
    assert [url for url in loaded["pictures"] if url.endswith("glightbox.min.js")], loaded["pictures"]


class _QuietFiles(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


# --------------------------------------------------------------------------- per-page work


def _normalise_by_translate(text: str) -> str:
    """The spoiler normaliser as it was before the regex short-cut: translate every text."""
    folded = text
    if not text.isascii():
        folded = unicodedata.normalize("NFKD", text.translate(spoilers._INVISIBLE))
        folded = spoilers._COMBINING.sub("", folded).casefold().translate(spoilers._CONFUSABLES)
    return " " + spoilers._NON_WORD.sub(" ", folded.lower()).strip() + " "


def test_spoiler_normalise_short_cut_changes_no_result():
    """`normalise` skips str.translate when no character of its tables occurs: same output on any text."""
    rng = random.Random(16)
    table_chars = [chr(c) for c in (*spoilers._INVISIBLE, *spoilers._CONFUSABLES)]
    alphabet = [*table_chars, *"abcXYZ 09-–—éÉßﬁΣσς·↩\u0301\u00a0", "Synthetic", "condition"]
    samples = ["Synthetic condition alpha", "Synthetic соndition аlpha", "Synthe\u00adtic", "Ｓynthetic"]
    samples += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(5000)]
    for text in samples:
        assert spoilers.normalise.__wrapped__(text) == _normalise_by_translate(text), repr(text)
    # Each table still applies where its characters occur.
    assert spoilers.normalise("Synthe\u00adtic соndition") == " synthetic condition "
