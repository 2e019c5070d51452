"""`casebook check`: output formats, summary, exit codes, read-only, the real repository, docs/checks.md."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from casebook.checks.run import check_project
from casebook.cli.check import main
from casebook.findings import Finding
from sitebuilder import PNG_1X1, REPO, Project, new_project, shipped_site
from synthetic_images import from_exiftool

FINDING_RE = re.compile(
    r"^(?P<path>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<level>error|warning): (?P<message>.+) "
    r"\[(?P<rule>[a-z0-9]+(?:-[a-z0-9]+)*)\]$"
)
SUMMARY_RE = re.compile(
    r"^(?P<errors>\d+) errors?, (?P<warnings>\d+) warnings? in (?P<cases>\d+) cases?, "
    r"(?P<refs>\d+) references?, (?P<pages>\d+) other pages? \(\d+\.\d s\)$"
)

EXAMPLE_BIB = """\
@article{example2020,
  author = {Author, Example},
  title = {An example article},
  journal = {Example Journal},
  year = {2020},
  doi = {10.5555/example.2020},
}

@article{example2021review,
  author = {Author, Example},
  title = {Example condition: an example review},
  journal = {Example Journal},
  year = {2021},
  doi = {10.5555/example.2021},
}
"""
FRONT_MATTER = {  # field -> its YAML lines, in order
    "title": "title: Example case title",
    "summary": "summary: An example case.",
    "date": "date: 2026-01-15",
    "authors": "authors: [Example Author]",
    "specialty": "specialty: Example specialty",
    "patient": "patient:\n  age: 40 years\n  sex: female",
    "presenting_complaint": "presenting_complaint: Example complaint",
    "diagnosis": "diagnosis: Example condition",
}
BODY = "Example presentation.\n\n/// answer\n\nExample discussion [@example2020] [@example2021review].\n\n///\n"


def front_matter(replace: str = "") -> str:
    """The example front matter, with the fields `replace` writes taking the place of the example's."""
    given = set(re.findall(r"^([A-Za-z_][\w-]*)[ \t]*:", replace, re.M))
    kept = [lines for name, lines in FRONT_MATTER.items() if name not in given]
    return "---\n" + "\n".join(kept + ([replace.rstrip("\n")] if replace else [])) + "\n---\n\n"


def example_project(tmp_path: Path) -> Project:
    """A valid project: one case citing both entries of bib/example.bib, with an image."""
    project = new_project(tmp_path)
    project.write("bib/example.bib", EXAMPLE_BIB)
    project.write("cases/example-case/example.png", PNG_1X1)
    project.write("cases/example-case/index.md", front_matter() + BODY)
    return project


def rules(findings: list[Finding]) -> list[str]:
    return sorted(f.rule for f in findings)


def run_main(root: Path, *args: str, capsys) -> tuple[int, str, str]:
    status = main(["--root", str(root), *args])
    out, err = capsys.readouterr()
    return status, out, err


# --------------------------------------------------------------------------- output and exit status


def test_clean_project_has_no_findings_and_exits_0(tmp_path, capsys):
    project = example_project(tmp_path)
    status, out, err = run_main(project.root, capsys=capsys)
    assert (status, err) == (0, "")
    assert SUMMARY_RE.match(out.strip()).groupdict() == {  # type: ignore[union-attr]
        "errors": "0",
        "warnings": "0",
        "cases": "1",
        "refs": "2",
        "pages": "2",
    }


def error_and_warning_project(tmp_path: Path) -> Project:
    """One error (an unknown field on line 12) and one warning (an uncited entry on line 1 of bib/more.bib)."""
    project = example_project(tmp_path)
    project.write("cases/example-case/index.md", front_matter("diagnoses: Example condition\n") + BODY)
    project.write("bib/more.bib", "@misc{example2022,\n  title = {Example uncited},\n}\n")
    return project


def test_text_output_is_one_line_per_finding_then_the_summary(tmp_path, capsys):
    project = error_and_warning_project(tmp_path)
    status, out, err = run_main(project.root, capsys=capsys)
    lines = out.splitlines()
    assert status == 1 and err == ""
    assert [FINDING_RE.match(line).groupdict() for line in lines[:-1]] == [  # type: ignore[union-attr]
        {
            "path": "bib/more.bib",
            "line": "1",
            "col": "1",
            "level": "warning",
            "rule": "bib-uncited",
            "message": "BibTeX entry 'example2022' is never cited; cite it as [@example2022] or remove it",
        },
        {
            "path": "cases/example-case/index.md",
            "line": "12",
            "col": "1",
            "level": "error",
            "rule": "field-unknown",
            "message": "unknown front matter field 'diagnoses' (did you mean 'diagnosis'?); see docs/authoring.md for "
            "the fields a case may have",
        },
    ]
    assert SUMMARY_RE.match(lines[-1]).group("errors", "warnings", "refs") == ("1", "1", "3")  # type: ignore[union-attr]


def test_warnings_pass_unless_strict(tmp_path, capsys):
    project = example_project(tmp_path)
    project.write("bib/more.bib", "@misc{example2022,\n  title = {Example uncited},\n}\n")
    assert run_main(project.root, capsys=capsys)[0] == 0
    status, out, _ = run_main(project.root, "--strict", capsys=capsys)
    assert status == 1
    assert "bib/more.bib:1:1: warning: BibTeX entry 'example2022' is never cited" in out


@pytest.mark.parametrize(
    "args,message",
    [
        (["--no-such-option"], "unrecognized arguments: --no-such-option"),
        (["--format", "xml"], "invalid choice: 'xml'"),
        (["--online", "--max-cache-age", "soon"], "--max-cache-age"),
        (["--online", "--doi-api-base", "ftp://example.org/"], "--doi-api-base must be an http(s) URL"),
    ],
)
def test_usage_errors_exit_2(tmp_path, capsys, args, message):
    project = example_project(tmp_path)
    status, out, err = run_main(project.root, *args, capsys=capsys)
    assert status == 2 and out == ""
    assert message in err


def test_root_that_is_not_a_project_or_not_a_folder_exits_2(tmp_path, capsys):
    assert main(["--root", str(tmp_path / "missing")]) == 2
    assert "is not a folder" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert main(["--root", str(tmp_path / "empty")]) == 2
    assert "is not a Casebook project" in capsys.readouterr().err


def test_github_format_annotations(tmp_path, capsys):
    project = error_and_warning_project(tmp_path)
    status, out, _ = run_main(project.root, "--format", "github", capsys=capsys)
    lines = out.splitlines()
    assert status == 1
    assert lines[0] == (
        "::warning file=bib/more.bib,line=1,col=1,title=bib-uncited::BibTeX entry 'example2022' is "
        "never cited; cite it as [@example2022] or remove it [bib-uncited]"
    )
    assert lines[1].startswith("::error file=cases/example-case/index.md,line=12,col=1,title=field-unknown::unknown ")
    assert SUMMARY_RE.match(lines[-1])
    assert (
        Finding.error("a.md", 2, "r", "50% done\nnext").github()
        == "::error file=a.md,line=2,col=1,title=r::50%25 done%0Anext [r]"
    )


def test_json_format_is_valid_json_with_every_field(tmp_path, capsys):
    project = error_and_warning_project(tmp_path)
    status, out, err = run_main(project.root, "--format", "json", capsys=capsys)
    data = json.loads(out)
    assert status == 1
    assert [sorted(item) for item in data] == [["col", "level", "line", "message", "path", "rule"]] * 2
    assert [(d["path"], d["line"], d["col"], d["level"], d["rule"]) for d in data] == [
        ("bib/more.bib", 1, 1, "warning", "bib-uncited"),
        ("cases/example-case/index.md", 12, 1, "error", "field-unknown"),
    ]
    assert SUMMARY_RE.match(err.strip()), "the summary goes to stderr so stdout stays JSON"


def test_uncited_entry_is_a_warning(tmp_path):
    project = example_project(tmp_path)
    project.write("cases/example-case/index.md", front_matter() + BODY.replace(" [@example2021review]", ""))
    report = check_project(project.root)
    assert [f.text() for f in report.findings] == [
        "bib/example.bib:9:1: warning: BibTeX entry 'example2021review' is never cited; cite it as "
        "[@example2021review] or remove it [bib-uncited]"
    ]
    assert report.errors == 0


# --------------------------------------------------------------------------- read-only


def snapshot(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "hooks" not in p.relative_to(root).parts
    }


def test_check_writes_and_deletes_nothing(tmp_path, capsys):
    project = error_and_warning_project(tmp_path)
    project.write("docs/example.md", "# Example\n\n[broken](nowhere.md)\n\n<script>alert(1)</script>\n")
    before = snapshot(project.root)
    for fmt in ("text", "github", "json"):
        run_main(project.root, "--format", fmt, capsys=capsys)
    after = snapshot(project.root)
    # The one file a check writes is its result cache under .cache/ (casebook/checks/cache.py).
    assert {k: v for k, v in after.items() if not k.startswith(".cache/")} == before
    assert sorted(k for k in after if k.startswith(".cache/")) == [".cache/plugin/casebook/check-results.json"]
    for path in list(after):
        if path.startswith(".cache/"):
            (project.root / path).unlink()
    run_main(project.root, "--no-cache", capsys=capsys)
    assert not (project.root / ".cache" / "plugin" / "casebook" / "check-results.json").exists()


# --------------------------------------------------------------------------- the real repository


def test_real_repository_passes(tmp_path):
    """`make check` on this repository's configuration, docs and shipped case: 0 errors, 0 warnings.

    An author's own cases are judged by `make check` itself, never by `make test` (sitebuilder.shipped_site).
    """
    run = subprocess.run(
        [sys.executable, "-m", "casebook", "check", "--root", str(shipped_site(tmp_path).parent)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO / "hooks")},
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert SUMMARY_RE.match(run.stdout.strip()).group("errors", "warnings") == ("0", "0"), run.stdout  # type: ignore[union-attr]
    assert run.stderr == ""


# --------------------------------------------------------------------------- check and the strict build agree


def test_check_and_strict_build_report_the_same_lines(tmp_path):
    """Several kinds of error at once: each line the build prints as a finding, check prints too, and back."""
    project = example_project(tmp_path)
    project.write(
        "cases/example-case/index.md",
        front_matter()
        + BODY.replace("Example presentation.", "Example presentation [@example2099].\n\n<script>alert(1)</script>"),
    )
    project.write("bib/more.bib", "@misc{example2022,\n  title = {Example},\n  doi = {10.55/x},\n}\n")
    project.write(
        "docs/example.md",
        "# Example\n\n![](cases/example-case/example.png)\n\n[x](javascript:alert(1))\n\n[@example2022]\n",
    )
    check_lines = {f.text() for f in check_project(project.root).findings}
    result = project.build(strict=True)
    build_lines = {m for m in result.messages if FINDING_RE.match(m)}
    assert not result.ok
    assert build_lines == check_lines, result.log
    assert {FINDING_RE.match(line).group("rule") for line in check_lines} == {  # type: ignore[union-attr]
        "cite-unknown-key",
        "html-unsafe",
        "bib-malformed-doi",
        "image-alt",
        "link-unsafe",
    }


# --------------------------------------------------------------------------- docs/checks.md

CHECKS_PAGE = REPO / "docs" / "checks.md"
EXAMPLE_RE = re.compile(
    r"<!-- example: (?P<kind>bad|good) (?P<attrs>[^>]*?) -->\n```[a-z]*\n(?P<body>.*?)\n```\n", re.S
)
#: Rules documented without an example here: tested in tests/test_online.py, or not producible from a file.
NO_EXAMPLE = {
    "file-unreadable",
    "internal-error",
    "bib-missing",
    "case-shadows-docs",
    "output-marker",
    "output-unsafe",
    "output-spoiler",
    "output-image-metadata",
    "doi-unregistered",
    "doi-malformed",
    "doi-unverified",
    "url-broken",
    "url-redirect",
    "url-unverified",
    "online-cache",
    "case-file-symlink",  # a symbolic link is not a file a fence can describe: tests/test_safety_sources.py
}


@dataclass(frozen=True)
class DocExample:
    bad: bool
    attrs: dict[str, str]
    body: str
    line: int

    @property
    def rule(self) -> str:
        return self.attrs["rule"]

    def __str__(self) -> str:
        return f"docs/checks.md:{self.line} ({'bad' if self.bad else 'good'} {self.rule})"


def doc_examples() -> list[DocExample]:
    text = CHECKS_PAGE.read_text(encoding="utf-8")
    return [
        DocExample(
            m.group("kind") == "bad",
            dict(a.split("=", 1) for a in m.group("attrs").split()),
            m.group("body") + "\n",
            text.count("\n", 0, m.start()) + 1,
        )
        for m in EXAMPLE_RE.finditer(text)
    ]


def apply_example(project: Project, example: DocExample) -> None:
    """Put the example into the valid example project, the way its marker says."""
    kind, attrs = example.attrs["kind"], example.attrs
    slug = attrs.get("slug", "example-case")
    if slug != "example-case":
        (project.root / "cases/example-case").rename(project.root / "cases" / slug)
    case = f"cases/{slug}/index.md"
    if kind == "front-matter":
        text = front_matter(example.body) + BODY
    elif kind == "body":
        text = front_matter() + example.body
    elif kind == "case":
        text = example.body
    elif kind == "image":  # an image the fence describes (an exiftool listing, or SVG source)
        path = attrs["path"]
        project.write(path, from_exiftool(example.body, Path(path).suffix))
        return
    else:
        assert kind == "file", example
        case, text = attrs["path"], example.body
    data = text.encode(attrs.get("encoding", "utf-8"))
    project.write(case, (b"\xef\xbb\xbf" if attrs.get("bom") == "yes" else b"") + data)


def engine_rules() -> set[str]:
    """Every rule id the engine can emit: the id literal in each Finding.error/warning-style call."""
    found: set[str] = set()
    for path in (REPO / "hooks").rglob("*.py"):
        code = path.read_text(encoding="utf-8")
        for call in re.finditer(r"\b(?:error|warning|Refusal)\(", code):  # Refusal: cases/publishing.py
            head = re.split(r"\bf[\"']", code[call.end() : call.end() + 200])[0]
            found.update(re.findall(r"\"([a-z][a-z0-9]*(?:-[a-z0-9]+)+|spoiler)\"", head))
        for pair in re.findall(r"\brule = \"([a-z0-9-]+)\" if .* else \"([a-z0-9-]+)\"", code):
            found.update(pair)  # checks/links/rules.py: `rule = "image-missing" if link.image else "link-missing"`
    # casebook.privacy makes its findings from its table of rules (each one tested in tests/test_privacy.py).
    from casebook.privacy import OPTOUT_RULE
    from casebook.privacy import RULES as PRIVACY_RULES

    found.update({*PRIVACY_RULES, OPTOUT_RULE})
    return found - {"utf-8", "utf-8-sig"}


def documented_rules() -> list[str]:
    return re.findall(r"^#### `([a-z0-9-]+)`$", CHECKS_PAGE.read_text(encoding="utf-8"), re.M)


def test_checks_page_documents_every_rule_the_engine_emits():
    documented = documented_rules()
    online = set(
        re.findall(r"`([a-z]+-[a-z]+)`", CHECKS_PAGE.read_text(encoding="utf-8").split("### Online checks")[1])
    )
    assert len(documented) == len(set(documented)), "each rule has one section"
    assert engine_rules() == set(documented) | (online & NO_EXAMPLE)


def test_registry_is_the_one_list_of_rules():
    """Every rule the engine emits is registered, documented, and at the level the Checks page gives."""
    from casebook.checks.registry import RULES

    assert engine_rules() <= set(RULES), "an emitted rule is missing from casebook.checks.registry"
    text = CHECKS_PAGE.read_text(encoding="utf-8")
    levels = dict(re.findall(r"^#### `([a-z0-9-]+)`\n\n\*\*(error|warning)\*\*", text, re.M))
    online = set(re.findall(r"`([a-z]+-[a-z]+)`", text.split("### Online checks")[1]))
    for rule in RULES.values():
        assert rule.id in levels or rule.id in online, f"{rule.id} is not on docs/checks.md"
        if rule.id in levels:
            assert levels[rule.id] == rule.level, f"{rule.id}: registry says {rule.level}, docs {levels[rule.id]}"
        if rule.front_ends != {"build", "check"}:
            assert rule.reason, f"{rule.id} runs in one front end and must say why"


def test_every_rule_has_a_bad_example_except_the_listed_ones():
    with_example = {e.rule for e in doc_examples() if e.bad}
    assert with_example == set(documented_rules()) - NO_EXAMPLE


@pytest.mark.parametrize("example", doc_examples(), ids=str)
def test_checks_page_example(example: DocExample, tmp_path):
    """A bad example yields exactly its rule (plus bib-uncited for new entries); a good one nothing."""
    project = example_project(tmp_path)
    assert check_project(project.root).findings == []
    apply_example(project, example)
    findings = check_project(project.root).findings
    found = {f.rule for f in findings if f.rule != "bib-uncited" or example.rule == "bib-uncited"}
    if example.bad:
        assert found == {example.rule}, [f.text() for f in findings]
    else:
        assert found == set(), [f.text() for f in findings]


# --------------------------------------------------------------------------- the workflow for users of the template

WORKFLOW = REPO / ".github" / "workflows" / "site.yml"


def test_workflow_checks_builds_tests_deploys_and_checks_online_weekly():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert {"push", "pull_request", "schedule", "workflow_dispatch"} <= set(triggers)
    assert triggers["schedule"][0]["cron"]
    jobs = workflow["jobs"]

    def runs(job: str) -> str:
        return "\n".join(step.get("run", "") + " " + step.get("uses", "") for step in jobs[job]["steps"])

    build = runs("build")
    # Debian (as .ci/run) so `apt-get install chromium` gives /usr/bin/chromium for the browser tests.
    assert jobs["build"]["container"] == "python:3.11-bookworm"
    for command in (
        "apt-get install -y -qq chromium",
        ".venv/bin/casebook check --format github",
        "make site",
        "make test",
        "actions/upload-pages-artifact",
    ):
        assert command in build, command
    assert build.index("casebook check") < build.index("make site") < build.index("make test")
    assert jobs["build"]["if"] == "github.event_name != 'schedule'"

    deploy = jobs["deploy"]
    assert deploy["needs"] == "build"
    assert "refs/heads/main" in deploy["if"] and "push" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert "actions/deploy-pages" in runs("deploy")

    online = jobs["online"]
    assert "schedule" in online["if"]
    assert "casebook check --online" in runs("online")
    cache = next(s for s in online["steps"] if "actions/cache" in s.get("uses", ""))
    assert cache["with"]["path"] == ".cache/plugin/casebook/"
    assert workflow["permissions"] == {"contents": "read"}
