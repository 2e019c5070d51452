"""The bad-input corpus (tests/bad/): each item gives exactly the findings its manifest lists.

For every item, `casebook check` (the engine, the command in-process, and for a
few items the real command in a subprocess) must report each expected rule at
its file, line and column and nothing else, never an `internal-error` and never
a traceback; then the strict MkDocs build of the same project must fail (or
pass, for items whose findings are warning-only-in-check) and name the file and
line (or, for MkDocs' own link validation, the file).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from casebook.checks.registry import BOTH, RULES
from casebook.checks.registry import BUILD_ONLY as BUILD_ONLY_RULE
from casebook.checks.run import check_project
from casebook.cli.check import main as check_main
from casebook.references.bibtex import load_library
from sitebuilder import REPO, Project, case_text, new_project

BAD = Path(__file__).parent / "bad"
MANIFEST: dict[str, dict[str, Any]] = yaml.safe_load((BAD / "manifest.yml").read_text(encoding="utf-8"))
ITEMS = sorted(name for name, spec in MANIFEST.items() if not spec.get("generated"))
CHECK_ONLY = "check-only"
#: Judged on the rendered page (`output-*` rules): the strict build reports it at the line, check cannot.
BUILD_ONLY = "build-only"
#: A build log line that is a Casebook finding.
FINDING_LINE_RE = re.compile(r"^(?P<at>\S+:\d+:\d+): (?P<level>error|warning): .* \[(?P<rule>[a-z0-9-]+)\]$", re.S)


@dataclass(frozen=True)
class Expected:
    """One finding an item must produce, and how the strict build shows it."""

    level: str
    rule: str
    at: str  # path:line:col
    build: str | None  # None: the same finding line; CHECK_ONLY; BUILD_ONLY; or a regex of MkDocs' own message

    @property
    def path(self) -> str:
        return self.at.rsplit(":", 2)[0]

    def key(self) -> tuple[str, str, str]:
        return (self.at, self.level, self.rule)


def expected_findings(name: str, front_end: str = "check") -> list[Expected]:
    """The item's findings that `front_end` ("check" or "build") reports."""
    out = []
    for raw in MANIFEST[name].get("findings") or []:
        level = "error" if "error" in raw else "warning"
        out.append(Expected(level, raw[level], raw["at"], raw.get("build")))
    skip = BUILD_ONLY if front_end == "check" else None
    return [e for e in out if skip is None or e.build != skip]


def materialise(name: str, tmp_path: Path) -> Project:
    """A fresh test project (the repository's configuration) with the item's files copied in."""
    project = new_project(tmp_path)
    shutil.copytree(BAD / name, project.root, dirs_exist_ok=True)
    return project


def finding_key(text: str) -> tuple[str, str, str] | None:
    m = FINDING_LINE_RE.match(text)
    return (m.group("at"), m.group("level"), m.group("rule")) if m else None


# --------------------------------------------------------------------------- the manifest itself


def test_manifest_lists_every_folder_and_enough_items():
    folders = {p.name for p in BAD.iterdir() if p.is_dir()}
    assert folders == set(ITEMS), "every folder of tests/bad/ has a manifest entry, and vice versa"
    assert len(MANIFEST) >= 40
    for name, spec in MANIFEST.items():
        assert spec["strict_build"] in ("fail", "pass"), name
        assert spec["about"].strip(), name
        findings = expected_findings(name) if not spec.get("generated") else []
        if spec["strict_build"] == "pass":
            assert all(f.build == CHECK_ONLY for f in findings), f"{name}: a passing build reports nothing"


def test_fixtures_keep_their_bytes():
    """The BOM, CRLF and Latin-1 items test nothing if an editor or git normalises them."""
    case = "cases/synthetic-case/index.md"
    assert (BAD / "byte-order-mark" / case).read_bytes().startswith(b"\xef\xbb\xbf---\n")
    assert (BAD / "bib-byte-order-mark/bib/references.bib").read_bytes().startswith(b"\xef\xbb\xbf@article")
    crlf = (BAD / "crlf-line-endings" / case).read_bytes()
    assert crlf.count(b"\r\n") == crlf.count(b"\n") > 20
    assert b"\r\n" in (BAD / "bib-crlf-line-endings/bib/references.bib").read_bytes()
    for path in (BAD / "not-utf8" / case, BAD / "bib-not-utf8/bib/references.bib"):
        with pytest.raises(UnicodeDecodeError):
            path.read_bytes().decode("utf-8")
    assert "\t" in (BAD / "yaml-tab" / case).read_text(encoding="utf-8")


def test_synthetic_data_only():
    """Corpus content is obviously synthetic: diagnoses and DOIs come from the test suite's own namespace."""
    for path in BAD.rglob("*"):
        if path.suffix not in (".md", ".bib"):
            continue
        text = path.read_bytes().decode("utf-8", errors="replace")
        for doi in re.findall(r"\b10\.\d{2,9}/", text):
            assert doi in ("10.5555/", "10.55/"), f"{path}: DOIs in the corpus are under 10.5555/"
        for diagnosis in re.findall(r"^diagnosis: *(.*)$", text, re.M):
            assert "Synthetic" in diagnosis, path


# --------------------------------------------------------------------------- casebook check


@pytest.mark.parametrize("name", ITEMS)
def test_check_reports_exactly_the_expected_findings(name, tmp_path, capsys):
    project = materialise(name, tmp_path)
    expected = expected_findings(name)
    report = check_project(project.root)
    got = sorted((f"{f.path}:{f.line}:{f.col}", f.level, f.rule) for f in report.findings)
    assert got == sorted(e.key() for e in expected), "\n".join(f.text() for f in report.findings)
    assert not any(f.rule == "internal-error" for f in report.findings)

    # The command itself, in-process: the same lines, a summary, the exit status.
    status = check_main(["--root", str(project.root)])
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[:-1] == [f.text() for f in report.findings]
    assert re.match(rf"^{report.errors} errors?, {report.warnings} warnings? in ", lines[-1])
    assert status == (1 if report.errors else 0)
    assert "Traceback" not in out + err and err == ""


#: The real command in a subprocess, for a few items of each kind (a process per item would be slow).
CLI_ITEMS = [
    "yaml-alias-bomb",
    "not-utf8",
    "bib-unterminated-entry",
    "broken-anchor",
    "script-in-every-front-matter-field",
    "bib-uncited-entry",
]


@pytest.mark.parametrize("name", CLI_ITEMS)
def test_real_command_in_a_subprocess(name, tmp_path):
    project = materialise(name, tmp_path)
    expected = expected_findings(name)
    run = subprocess.run(
        [sys.executable, "-m", "casebook", "check", "--root", str(project.root)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO / "hooks")},
    )
    assert "Traceback" not in run.stdout + run.stderr
    assert run.stderr == ""
    keys = [finding_key(line) for line in run.stdout.splitlines()[:-1]]
    assert sorted(keys) == sorted(e.key() for e in expected)  # type: ignore[type-var]
    errors = sum(e.level == "error" for e in expected)
    assert run.returncode == (1 if errors else 0)


# --------------------------------------------------------------------------- the strict build


@pytest.mark.parametrize("name", ITEMS)
def test_strict_build_agrees_with_check(name, tmp_path):
    project = materialise(name, tmp_path)
    spec = MANIFEST[name]
    expected = expected_findings(name, "build")
    result = project.build(strict=True)
    log = result.log
    assert "Traceback" not in log
    assert result.ok == (spec["strict_build"] == "pass"), log
    messages = result.messages
    for e in expected:
        if e.build in (None, BUILD_ONLY):
            assert any(finding_key(m) == e.key() for m in messages), f"the build does not report {e}:\n{log}"
        elif e.build == CHECK_ONLY:
            assert not any(f"[{e.rule}]" in m for m in messages), f"{e.rule} is documented as check-only:\n{log}"
        else:
            assert any(re.search(e.build, m) for m in messages), f"MkDocs does not report {e}:\n{log}"
    # ... and the build reports no finding that check does not.
    reported = {k for k in map(finding_key, messages) if k is not None}
    assert reported <= {e.key() for e in expected}, log
    assert all(RULES[e.rule].front_ends == BUILD_ONLY_RULE for e in expected if e.build == BUILD_ONLY)


@pytest.mark.parametrize("name", ITEMS)
def test_check_and_strict_build_find_the_same_file_line_rule(name, tmp_path, capsys):
    """Agreement by construction: what `casebook check` prints, the strict build logs, and vice versa.

    Compared on the real outputs (not on the manifest); only rules the registry
    marks as run by one front end (with its reason) may differ.
    """
    project = materialise(name, tmp_path)
    result = project.build(strict=True)
    capsys.readouterr()
    check_main(["--root", str(project.root), "--format", "text"])
    printed = capsys.readouterr().out.splitlines()

    def keys(lines, front_end):
        found = {k for k in map(finding_key, lines) if k is not None}
        return {k for k in found if front_end in RULES[k[2]].front_ends and RULES[k[2]].front_ends == BOTH}

    from_check, from_build = keys(printed, "check"), keys(result.messages, "build")
    assert from_check == from_build, f"check:\n{chr(10).join(printed)}\nbuild:\n{result.log}"
    assert all(k[2] in RULES for k in map(finding_key, printed + result.messages) if k), "every rule is registered"


# --------------------------------------------------------------------------- inputs that are fine


def test_latex_accents_are_decoded_for_display():
    root = BAD / "bib-latex-accents"
    library, findings = load_library([root / "bib/references.bib"], root)
    ref = library["synthetic2020alpha"]
    assert findings == []
    assert ref.get("title") == "Étude synthétique: naïve café — 5–10 cases"
    assert [(p.family, p.given) for p in ref.authors] == [("Synthëtic", "Jérôme"), ("Tøst", "Åsa Synthetic")]


def test_defined_string_macro_and_month_macro_are_resolved():
    root = BAD / "bib-string-macro-defined"
    library, findings = load_library([root / "bib/references.bib"], root)
    ref = library["synthetic2020alpha"]
    assert findings == []
    assert (ref.get("journal"), ref.get("month")) == ("Synthetic Journal", "February")


# --------------------------------------------------------------------------- generated: a 5 MB .bib

_BIG_ENTRY = """\
@article{{synthetic{n:05d},
  author = {{Author, Synthetic and Writer, Test}},
  title = {{Synthetic title number {n} about a test sign}},
  journal = {{Synthetic Journal}},
  year = {{2020}},
  pages = {{1--2}},
  doi = {{{doi}}},
  abstract = {{{abstract}}},
}}

"""


def five_megabyte_bib(size: int = 5 * 1024 * 1024) -> tuple[str, int, int]:
    """(text, number of entries, line of the one malformed DOI, in the last entry)."""
    abstract = "Synthetic abstract text. " * 12
    parts: list[str] = []
    total = n = 0
    while total < size:
        part = _BIG_ENTRY.format(n=n, doi=f"10.5555/synthetic.{n}", abstract=abstract)
        parts.append(part)
        total += len(part)
        n += 1
    parts[-1] = parts[-1].replace(f"10.5555/synthetic.{n - 1}", "10.55/not a doi")
    text = "".join(parts)
    bad_line = text[: text.index("10.55/not a doi")].count("\n") + 1
    return text, n, bad_line


def test_five_megabyte_bib(tmp_path):
    assert MANIFEST["bib-five-megabytes"]["generated"] is True
    text, entries, bad_line = five_megabyte_bib()
    assert len(text.encode()) >= 5 * 1024 * 1024
    project = new_project(tmp_path)
    project.write("bib/big.bib", text)
    project.write(
        "cases/synthetic-case/index.md",
        case_text(body="Synthetic presentation.\n\n/// answer\n\nSynthetic discussion [@synthetic00000].\n\n///\n"),
    )
    project.write(
        "cases/synthetic-case/figure-one.png",
        (REPO / "tests/bad/figure-without-alt/cases/synthetic-case/figure-one.png").read_bytes(),
    )

    report = check_project(project.root)
    others = [f for f in report.findings if f.rule != "bib-uncited"]
    assert [f.text()[: f.text().index(": error:")] + f" [{f.rule}]" for f in others] == [
        f"bib/big.bib:{bad_line}:1 [bib-malformed-doi]"
    ]
    assert sum(f.rule == "bib-uncited" for f in report.findings) == entries - 1
    assert report.references == entries

    result = project.build(strict=True)
    assert not result.ok
    assert any(
        m.startswith(f"bib/big.bib:{bad_line}:1: error:") and m.endswith("[bib-malformed-doi]") for m in result.messages
    ), result.log
    assert "Traceback" not in result.log
