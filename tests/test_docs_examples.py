"""Every fenced code example in docs/ is tested: built, parsed, run or matched against the engine.

A fence is classified by its info string (language, and `title="…"` where it
matters). A fence no rule knows fails `test_every_fence_is_classified`, so an
untested example cannot be added by accident:

| Fence | What the test does |
|---|---|
| ```markdown title="cases/<slug>/index.md"``` | a whole case file: built in a tiny site with --strict |
| ```markdown``` | a case body or a part of it: built as a case (wrapped in an answer if it has none) |
| ```yaml``` | front matter fields: merged into a synthetic case and built |
| ```yaml title="mkdocs.yml"``` | site configuration: merged into the tiny site's mkdocs.yml and built |
| ```css title="docs/…css"``` | a theme stylesheet: written there, linked, and every casebook-* class in it is real |
| ```bibtex``` | read by the site's BibTeX reader with no findings; its keys can be cited by the other examples |
| ```text title="As rendered"``` | exactly the AMA text of the entries in the bibtex fence just above |
| ```text``` | finding lines: real rule ids, messages in a format the engine produces |
| ```tree``` | a case folder layout: valid slugs, an index.md, images |
| ```html``` | HTML contract snippets: every tag, with its attributes, is in a page of the built site |
| ```sh``` | commands: real make targets and variables, or casebook commands the CLI accepts |
| ```console``` | `$ casebook …` run in a fresh project against a local DOI server; output compared exactly |
| ```json``` | parsed; a link cache example is read by the online checker's cache loader |
| ```python``` | parsed; its imports exist and its calls use real keyword arguments |

docs/checks.md is skipped here: its bad and good examples are tested, rule by rule, by the checks' own tests.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import inspect
import io
import json
import re
import shlex
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from casebook.cases.loader import SLUG_RE
from casebook.checks.online import _load_cache
from casebook.cli import check as check_module
from casebook.cli import main as cli
from casebook.references.ama import format_reference_text
from casebook.references.bibtex import parse_bib_text
from local_http import QuietHandler, serve
from sitebuilder import (
    REPO,
    BuildResult,
    Project,
    assert_clean,
    case_text,
    new_project,
    synthetic_front_matter,
)

DOCS = REPO / "docs"
# Pages whose examples another test file owns (every other page must pass every rule here).
SKIPPED = frozenset({"checks.md"})
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")
RULE_RE = re.compile(r"[a-z]+(?:-[a-z]+)*")
# Every finding is made by a function of this name: Finding.error/warning and the checkers' helpers.
FINDING_MAKERS = frozenset({"error", "warning"})
FINDING_RE = re.compile(
    r"^(?P<path>[^\s:]+):(?P<line>\d+):(?P<col>\d+): (?P<level>error|warning): "
    r"(?P<message>.+) \[(?P<rule>[a-z-]+)\]$"
)
_OPEN_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


# --------------------------------------------------------------------------- reading the fences


@dataclass(frozen=True)
class Fence:
    page: str  # relative to docs/
    line: int  # of the opening fence, 1-based
    lang: str
    title: str | None
    body: str

    @property
    def where(self) -> str:
        return f"docs/{self.page}:{self.line}"

    @property
    def slug(self) -> str:
        """A case folder name for this example, unique in the docs."""
        return re.sub(r"[^a-z0-9]+", "-", f"docs-{self.page[:-3]}-{self.line}".lower()).strip("-")


def read_fences(path: Path) -> list[Fence]:
    return parse_fences(path.read_text(encoding="utf-8"), path.relative_to(DOCS).as_posix())


def parse_fences(text: str, page: str) -> list[Fence]:
    """The fenced code blocks of one Markdown page (also inside admonitions), dedented."""
    lines = text.split("\n")
    fences: list[Fence] = []
    index = 0
    while index < len(lines):
        m = _OPEN_RE.match(lines[index])
        if not m or (m.group("fence")[0] == "`" and "`" in m.group("info")):
            index += 1
            continue
        indent, fence, info = m.group("indent"), m.group("fence"), m.group("info").strip()
        body: list[str] = []
        end = index + 1
        while end < len(lines) and not re.fullmatch(rf"[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*", lines[end]):
            body.append(lines[end][len(indent) :] if lines[end].startswith(indent) else lines[end].lstrip())
            end += 1
        lang, _, rest = info.partition(" ")
        title = re.search(r'title="([^"]*)"', rest)
        fences.append(Fence(page, index + 1, lang, title.group(1) if title else None, "\n".join(body) + "\n"))
        index = end + 1
    return fences


def doc_pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if p.relative_to(DOCS).as_posix() not in SKIPPED)


ALL_FENCES = [fence for page in doc_pages() for fence in read_fences(page)]


def kind(fence: Fence) -> str | None:
    """The rule that tests this fence, or None (which fails the suite)."""
    lang, title = fence.lang, fence.title
    if lang == "markdown":
        if title is None:
            return "case-fragment"
        return "case-file" if re.fullmatch(r"cases/[a-z0-9-]+/index\.md", title) else None
    if lang == "yaml":
        return {None: "front-matter", "mkdocs.yml": "site-config"}.get(title)
    if lang == "css":
        return "stylesheet" if title and title.startswith("docs/") and title.endswith(".css") else None
    if lang == "text":
        rendered = {"As rendered": "rendered-references", "As rendered in Vancouver": "rendered-references"}
        return {None: "findings", **rendered}.get(title)
    simple = {
        "bibtex": "bibtex",
        "tree": "tree",
        "html": "html",
        "sh": "commands",
        "console": "console",
        "json": "json",
        "python": "python",
    }
    return simple.get(lang) if title is None else None


def of_kind(name: str) -> list[Fence]:
    return [f for f in ALL_FENCES if kind(f) == name]


def ids(fences: list[Fence]) -> list[str]:
    return [f.where for f in fences]


def test_every_fence_is_classified():
    unknown = [
        f"{f.where}: ```{f.lang}" + (f' title="{f.title}"' if f.title else "") for f in ALL_FENCES if kind(f) is None
    ]
    assert not unknown, (
        "fenced examples no test knows how to check; give them a language this test "
        "classifies (see its docstring) or teach it a new one:\n" + "\n".join(unknown)
    )


def test_the_fence_reader_finds_fences_in_admonitions_and_long_fences():
    text = (
        "Text\n\n!!! note\n    ```yaml\n    title: x\n    ```\n\n````markdown\n```sh\nmake site\n```\n````\n"
        "\n```unknown-language\nx\n```\n"
    )
    fences = parse_fences(text, "synthetic.md")
    assert [(f.line, f.lang, f.body) for f in fences] == [
        (4, "yaml", "title: x\n"),
        (8, "markdown", "```sh\nmake site\n```\n"),
        (14, "unknown-language", "x\n"),
    ]
    assert kind(fences[2]) is None


# --------------------------------------------------------------------------- bibtex and rendered references


def docs_bibtex() -> str:
    return "\n".join(f.body for f in of_kind("bibtex"))


@pytest.mark.parametrize("fence", of_kind("bibtex"), ids=ids(of_kind("bibtex")))
def test_bibtex_examples_read_without_findings(fence: Fence):
    refs, broken, findings = parse_bib_text(fence.body, fence.where)
    assert refs and not broken
    assert [f.text() for f in findings] == []


def test_bibtex_example_keys_are_unique_across_the_docs():
    refs, _, findings = parse_bib_text(docs_bibtex(), "docs")
    assert [f.text() for f in findings] == []
    assert len({r.key for r in refs}) == len(refs)


@pytest.mark.parametrize("fence", of_kind("rendered-references"), ids=ids(of_kind("rendered-references")))
def test_rendered_examples_are_what_the_ama_formatter_writes(fence: Fence):
    page = [f for f in ALL_FENCES if f.page == fence.page]
    previous = page[page.index(fence) - 1]
    assert kind(previous) == "bibtex", f"{fence.where}: an 'As rendered' block must follow a bibtex block"
    refs, _, _ = parse_bib_text(previous.body, previous.where)
    expected = [line for line in fence.body.split("\n") if line.strip()]
    style = "vancouver" if fence.title == "As rendered in Vancouver" else "ama"
    assert expected == [format_reference_text(r, style) for r in refs]


# --------------------------------------------------------------------------- the docs site: every case example built


def _front_matter_and_body(text: str) -> tuple[dict[str, Any], str]:
    _, fm, body = text.split("---\n", 2)
    return yaml.safe_load(fm), body


def _case_for(fence: Fence) -> tuple[str, str, tuple[str, ...]]:
    """(slug, index.md text, image files) of the case that tests `fence`."""
    name = kind(fence)
    if name == "case-file":
        assert fence.body.startswith("---\n"), f"{fence.where}: a case file starts with its front matter"
        data, _ = _front_matter_and_body(fence.body)
        images = tuple(f["file"] for f in data.get("figures") or [])
        return fence.title.split("/")[1], fence.body, images  # type: ignore[union-attr]
    if name == "front-matter":
        data = synthetic_front_matter(**yaml.safe_load(fence.body))
        images = tuple(f["file"] for f in data.get("figures") or [])
        return fence.slug, case_text(data), images
    body = fence.body
    if "/// answer" not in body:
        body = f"Synthetic presentation paragraph.\n\n/// answer\n\n{body}\n///\n"
    return fence.slug, case_text(body=body), ("figure-one.png",)


@dataclass
class DocsSite:
    project: Project
    result: BuildResult

    def page(self, url_path: str) -> str:
        return self.result.html(url_path)

    def pages(self) -> dict[str, str]:
        site = self.result.site
        return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


@pytest.fixture(scope="module")
def docs_site(tmp_path_factory: pytest.TempPathFactory) -> DocsSite:
    """One tiny site with every case, front-matter, config and stylesheet example of the docs."""
    project = new_project(tmp_path_factory.mktemp("docs-examples"))
    project.write("bib/docs-examples.bib", docs_bibtex())
    for fence in of_kind("case-file") + of_kind("case-fragment") + of_kind("front-matter"):
        slug, text, images = _case_for(fence)
        assert not (project.root / "cases" / slug).exists(), f"{fence.where}: two examples use cases/{slug}"
        project.add_case(slug, text, images=images)
    for fence in of_kind("stylesheet"):
        project.write(fence.title, fence.body)  # type: ignore[arg-type]
    for fence in of_kind("site-config"):
        project.extra_config.update(yaml.safe_load(fence.body))
    return DocsSite(project, project.build())


def test_every_case_example_builds_strict_without_warnings(docs_site: DocsSite):
    assert_clean(docs_site.result)


@pytest.mark.parametrize("fence", of_kind("case-file"), ids=ids(of_kind("case-file")))
def test_full_case_example_is_published_with_its_parts(docs_site: DocsSite, fence: Fence):
    data, _ = _front_matter_and_body(fence.body)
    html = docs_site.page(fence.title.rsplit("/", 1)[0])  # type: ignore[union-attr]
    before, answer = html.split('<details class="casebook-answer', 1)
    # The multiple-choice options name it by design (that form is left out of the search index).
    before = re.sub(r'<form class="casebook-quiz".*?</form>', "", before, flags=re.S)
    assert data["diagnosis"] in answer and data["diagnosis"] not in before
    assert '<p class="casebook-diagnosis">' in answer
    for number, figure in enumerate(data.get("figures") or [], start=1):
        held = "data-casebook-id" if figure.get("in_answer") else "id"  # no fragment may open the answer
        assert f'<figure class="casebook-figure" {held}="figure-{number}">' in (
            answer if figure.get("in_answer") else before
        )
    for point in data.get("key_points") or []:
        assert f"<li>{point}</li>" in answer
    if "/// etiology-table" in fence.body:
        assert '<table class="casebook-etiology">' in answer


# --------------------------------------------------------------------------- the HTML contract


class _Tags(HTMLParser):
    """Start tags as (name, {attribute: value}), in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def start_tags(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def _value_matches(documented: str, actual: str) -> bool:
    """Exact, except that `…` in a documented value stands for any text."""
    pattern = ".*".join(re.escape(part) for part in documented.split("…"))
    return re.fullmatch(pattern, actual, re.S) is not None


def _has_tag(tags: list[tuple[str, dict[str, str]]], name: str, attrs: dict[str, str]) -> bool:
    return any(
        tag == name and all(k in actual and _value_matches(v, actual[k]) for k, v in attrs.items())
        for tag, actual in tags
    )


@pytest.mark.parametrize("fence", of_kind("html"), ids=ids(of_kind("html")))
def test_html_contract_snippets_are_in_a_built_page(docs_site: DocsSite, fence: Fence):
    wanted = start_tags(fence.body)
    assert wanted, f"{fence.where}: no HTML tags"
    pages = {url: start_tags(html) for url, html in docs_site.pages().items()}
    matching = [url for url, tags in pages.items() if all(_has_tag(tags, n, a) for n, a in wanted)]
    missing = [f"<{n} {a}>" for n, a in wanted if not any(_has_tag(t, n, a) for t in pages.values())]
    assert matching, f"{fence.where}: no built page has all of these tags; not found anywhere: {missing}"


CONTRACT_CLASS_RE = re.compile(r"\bcasebook-[a-z0-9]+(?:-[a-z0-9]+)*(?:--[a-z0-9-]+)?\b")


def emitted_classes(docs_site: DocsSite) -> set[str]:
    """casebook-* classes in the built pages and the ones the scripts add."""
    found = {
        c
        for html in docs_site.pages().values()
        for _, attrs in start_tags(html)
        for c in attrs.get("class", "").split()
        if c.startswith("casebook-")
    }
    for script in (REPO / "hooks" / "casebook" / "assets").glob("*.js"):
        text = script.read_text(encoding="utf-8")
        found |= set(re.findall(r'classList\.add\(\s*"(casebook-[a-z0-9-]+)"', text))
        found |= set(re.findall(r'var DISMISSED = "(casebook-[a-z0-9-]+)"', text))
    return found


def test_theme_page_documents_every_class_the_site_emits(docs_site: DocsSite):
    documented = set(CONTRACT_CLASS_RE.findall((DOCS / "theme.md").read_text(encoding="utf-8")))
    assert sorted(emitted_classes(docs_site) - documented) == []


def test_theme_page_documents_no_class_the_engine_does_not_have():
    files = [
        p for p in [*(REPO / "hooks").rglob("*.py"), *(REPO / "hooks" / "casebook" / "assets").iterdir()] if p.is_file()
    ]
    sources = "\n".join([p.name for p in files] + [p.read_text(encoding="utf-8") for p in files])
    text = (DOCS / "theme.md").read_text(encoding="utf-8")
    # ids such as casebook-quiz-1 are made up from a prefix and a number; classes are written out whole.
    text = re.sub(r'\b(?:id|for|aria-describedby)="[^"]*"', "", text)
    # A numbered class (casebook-caption-1, one per figure) is written as its prefix and the number.
    made_up = {c for c in CONTRACT_CLASS_RE.findall(text) if re.sub(r"-\d+$", "-", c) + "{" in sources}
    assert sorted(c for c in set(CONTRACT_CLASS_RE.findall(text)) - made_up if c not in sources) == []


@pytest.mark.parametrize("fence", of_kind("stylesheet"), ids=ids(of_kind("stylesheet")))
def test_theme_stylesheet_example_is_linked_and_uses_real_classes(docs_site: DocsSite, fence: Fence):
    href = fence.title.removeprefix("docs/")  # type: ignore[union-attr]
    assert re.search(rf'<link [^>]*href="[./]*{re.escape(href)}"', docs_site.page("cases")), (
        f"{fence.where}: the stylesheet is not linked (add it to extra_css in the mkdocs.yml example)"
    )
    used = set(CONTRACT_CLASS_RE.findall(fence.body))
    assert used and sorted(used - emitted_classes(docs_site)) == []
    assert fence.body.count("{") == fence.body.count("}")


# --------------------------------------------------------------------------- folder layouts


@pytest.mark.parametrize("fence", of_kind("tree"), ids=ids(of_kind("tree")))
def test_folder_layouts_are_valid_cases(fence: Fence):
    lines = [line for line in fence.body.split("\n") if line.strip()]
    assert lines[0] == "cases/"
    folders: dict[str, list[str]] = {}
    folder = None
    for line in lines[1:]:
        name = line.strip()
        if name.endswith("/"):
            folder = name[:-1]
            assert SLUG_RE.match(folder), f"{fence.where}: {folder} is not a valid case folder name"
            folders[folder] = []
        else:
            assert folder is not None
            folders[folder].append(name)
    for name, files in folders.items():
        assert "index.md" in files, f"{fence.where}: {name}/ has no index.md"
        assert all(f == "index.md" or f.endswith(IMAGE_SUFFIXES) for f in files)


# --------------------------------------------------------------------------- finding messages


def _message_pattern(node: ast.expr) -> str:
    """A regular expression for the strings an expression in the engine can produce."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return re.escape(node.value)
    if isinstance(node, ast.JoinedStr):
        return "".join(_message_pattern(v) if isinstance(v, ast.Constant) else ".+?" for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _message_pattern(node.left) + _message_pattern(node.right)
    if isinstance(node, ast.IfExp):
        return f"(?:{_message_pattern(node.body)}|{_message_pattern(node.orelse)})"
    return ".*?"


def _called_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def engine_message_templates() -> dict[str, list[str]]:
    """Rule id -> patterns of its messages, read from the engine's source (calls and log strings)."""
    templates: dict[str, list[str]] = {}
    for path in (REPO / "hooks").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _called_name(node) in FINDING_MAKERS:
                for rule, message in zip(node.args, node.args[1:], strict=False):
                    if isinstance(rule, ast.Constant) and isinstance(rule.value, str) and RULE_RE.fullmatch(rule.value):
                        templates.setdefault(rule.value, []).append(_message_pattern(message))
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                m = re.search(r"%s:%d: (?:error|warning): (.+) \[([a-z-]+)\]$", node.value)
                if m:
                    pattern = re.sub(r"%[sdr]", ".+?", re.escape(m.group(1)).replace(r"\%", "%"))
                    templates.setdefault(m.group(2), []).append(pattern)
    return templates


TEMPLATES = engine_message_templates()


@pytest.mark.parametrize("fence", of_kind("findings"), ids=ids(of_kind("findings")))
def test_documented_findings_use_real_rules_and_message_formats(fence: Fence):
    for line in (line for line in fence.body.split("\n") if line.strip()):
        m = FINDING_RE.match(line)
        assert m, f"{fence.where}: not a finding line (path:line:col: level: message [rule]): {line}"
        rule, message = m.group("rule"), m.group("message")
        assert rule in TEMPLATES, f"{fence.where}: [{rule}] is not a rule the engine reports"
        assert any(re.fullmatch(p, message, re.S) for p in TEMPLATES[rule]), (
            f"{fence.where}: the engine never writes this [{rule}] message: {message}"
        )


def test_message_templates_are_read_from_the_engine():
    """Guards the reader above: known rules and a known message shape must be found."""
    assert {"yaml-syntax", "field-unknown", "spoiler", "cite-unknown-key", "bib-uncited"} <= set(TEMPLATES)
    assert any(
        re.fullmatch(p, "the 'title' reveals the diagnosis ('x'); reword it so the answer stays hidden")
        for p in TEMPLATES["spoiler"]
    )
    assert not any(re.fullmatch(p, "the title is fine") for p in TEMPLATES["spoiler"])


# --------------------------------------------------------------------------- shell commands


def make_targets() -> dict[str, str]:
    """Makefile target -> its recipe text."""
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    targets = {}
    for m in re.finditer(r"^([a-z][\w-]*):[^\n=]*\n((?:\t[^\n]*\n?)*)", text, re.M):
        targets[m.group(1)] = m.group(2)
    return targets


def check_casebook_command(argv: list[str], where: str) -> None:
    """The CLI accepts these arguments, and every --option is in the subcommand's --help."""
    command, rest = argv[0], argv[1:]
    if command == "check":
        parser = check_module.build_parser()
    else:
        sub = cli.build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
        assert command in sub, f"{where}: casebook has no '{command}' command"
        parser = sub[command]
    try:
        parser.parse_args(rest)
    except SystemExit as exc:
        pytest.fail(f"{where}: casebook {' '.join(argv)} is rejected by the CLI (exit {exc.code})")
    help_text = parser.format_help()
    for option in (a.split("=")[0] for a in rest if a.startswith("--")):
        assert option in help_text, f"{where}: {option} is not in `casebook {command} --help`"


def check_make_command(argv: list[str], where: str) -> None:
    targets = make_targets()
    variables = [a.split("=", 1)[0] for a in argv if "=" in a]
    names = [a for a in argv if "=" not in a]
    assert names, f"{where}: make without a target"
    for name in names:
        assert name in targets, f"{where}: the Makefile has no '{name}' target"
        for variable in variables:
            assert re.search(rf"\$\$?\(?{variable}\b", targets[name]), f"{where}: make {name} does not use {variable}"


def shell_lines(body: str) -> Iterator[str]:
    for line in body.split("\n"):
        line = re.sub(r"\s+#\s.*$", "", line).strip()
        if line and not line.startswith("#"):
            yield line


@pytest.mark.parametrize("fence", of_kind("commands"), ids=ids(of_kind("commands")))
def test_shell_examples_are_real_commands(fence: Fence):
    for line in shell_lines(fence.body):
        argv = shlex.split(line)
        if argv[0] == "make":
            check_make_command(argv[1:], fence.where)
        elif argv[0] == "casebook":
            check_casebook_command(argv[1:], fence.where)
        else:
            pytest.fail(f"{fence.where}: only make and casebook commands can be tested: {line}")


# --------------------------------------------------------------------------- console sessions, run for real

# Recorded answers of a DOI resolver for the docs' examples (synthetic, under the 10.5555 test prefix).
EXAMPLE_CSL = {
    "/10.5555/example.2020": {
        "type": "article-journal",
        "DOI": "10.5555/example.2020",
        "title": "An illustrative article about an example condition",
        "author": [{"family": "Example", "given": "Author"}, {"family": "Sample", "given": "Second"}],
        "container-title": "Example J Med",
        "issued": {"date-parts": [[2020, 5, 1]]},
        "volume": "12",
        "issue": "3",
        "page": "101-109",
    },
}
SERVER_ERRORS = {"/10.5555/example.server-error": 500}


class _ExampleResolver(QuietHandler):
    def do_GET(self) -> None:
        path = self.path.lower()
        if path in SERVER_ERRORS:
            return self.send_body(SERVER_ERRORS[path], "text/plain", b"Server error")
        record = EXAMPLE_CSL.get(path)
        if record is None:
            return self.send_body(404, "text/html", b"DOI Not Found")
        if "application/vnd.citationstyles.csl+json" not in self.headers.get("Accept", ""):
            return self.send_body(406, "text/plain", b"Not Acceptable")
        self.send_body(200, "application/vnd.citationstyles.csl+json", json.dumps(record).encode())


@pytest.fixture()
def resolver() -> Iterator[str]:
    with serve(_ExampleResolver) as httpd:
        yield f"127.0.0.1:{httpd.server_address[1]}"


def sessions(body: str) -> list[tuple[str, str]]:
    """(command, expected output) pairs of a console block."""
    pairs: list[tuple[str, list[str]]] = []
    for line in body.rstrip("\n").split("\n"):
        if line.startswith("$ "):
            pairs.append((line[2:], []))
        else:
            assert pairs, f"output before the first command: {line}"
            pairs[-1][1].append(line)
    return [(command, "\n".join(out)) for command, out in pairs]


def run_casebook(argv: list[str]) -> str:
    """Run the CLI in-process; stdout and stderr interleaved as a terminal shows them."""
    buffer = io.StringIO()
    # argparse usage errors exit; the output is what the test wants.
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer), contextlib.suppress(SystemExit):
        cli.main(argv)
    return buffer.getvalue().rstrip("\n")


@pytest.mark.parametrize("fence", of_kind("console"), ids=ids(of_kind("console")))
def test_console_sessions_print_what_the_docs_show(fence: Fence, tmp_path, monkeypatch, resolver):
    project = new_project(tmp_path)
    monkeypatch.chdir(project.root)
    monkeypatch.setenv("CASEBOOK_DOI_BASE", f"http://{resolver}")
    monkeypatch.setenv("CASEBOOK_EUTILS_BASE", f"http://{resolver}/eutils")
    for command, expected in sessions(fence.body):
        argv = shlex.split(command)
        assert argv[0] == "casebook", f"{fence.where}: only casebook commands are run: {command}"
        shown = run_casebook(argv[1:]).replace(resolver, "doi.org")
        assert shown == expected, f"{fence.where}: $ {command}"


# --------------------------------------------------------------------------- json and python


@pytest.mark.parametrize("fence", of_kind("json"), ids=ids(of_kind("json")))
def test_json_examples_parse(fence: Fence, tmp_path):
    data = json.loads(fence.body)
    if isinstance(data, dict) and "entries" in data:  # the online checks' link cache
        path = tmp_path / "links.json"
        path.write_text(fence.body, encoding="utf-8")
        entries, findings = _load_cache(path)
        assert findings == [] and set(entries) == set(data["entries"])


def _signatures(tree: ast.Module, where: str) -> dict[str, Callable[..., Any]]:
    """Names imported from casebook modules; every one must exist."""
    names: dict[str, Callable[..., Any]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("casebook"):
            module = importlib.import_module(node.module)  # type: ignore[arg-type]
            for alias in node.names:
                assert hasattr(module, alias.name), f"{where}: {node.module} has no {alias.name}"
                names[alias.asname or alias.name] = getattr(module, alias.name)
    return names


@pytest.mark.parametrize("fence", of_kind("python"), ids=ids(of_kind("python")))
def test_python_examples_use_the_real_api(fence: Fence):
    tree = ast.parse(fence.body)
    names = _signatures(tree, fence.where)
    assert names, f"{fence.where}: imports nothing from casebook"
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names:
            target = names[node.func.id]
            if not callable(target):
                continue
            parameters = inspect.signature(target).parameters
            for keyword in node.keywords:
                assert keyword.arg in parameters, f"{fence.where}: {node.func.id}() has no {keyword.arg}="
