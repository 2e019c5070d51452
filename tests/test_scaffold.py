"""`casebook new`: the scaffold is complete, valid as written, builds strict once filled, never overwrites."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casebook.authoring.scaffold import case_template, new_case, slugify
from casebook.cases.loader import SLUG_RE, load_case
from casebook.cases.schema import FIELDS
from casebook.cli import main as cli
from casebook.cli.main import main
from casebook.errors import CasebookError
from casebook.text.frontmatter import split_front_matter
from sitebuilder import PNG_1X1, SYNTHETIC_DIAGNOSIS, Project, outside_answer

TITLE = "Synthetic case: a test patient with a pearl-like test sign"
SLUG = "synthetic-case-a-test-patient-with-a-pearl-like-test-sign"
REPO = Path(__file__).resolve().parent.parent


def fill(text: str) -> str:
    """Do what an author does: uncomment the examples, replace every TODO with (synthetic) content, and
    delete the `draft: true` line once the case is ready."""
    lines = [line for line in text.split("\n") if not line.startswith("draft:")]
    for name in ("figures", "differential", "consent"):
        if not any(line.startswith(f"# {name}:") for line in lines):
            continue
        start = lines.index(next(line for line in lines if line.startswith(f"# {name}:")))
        end = start + 1
        while lines[end].startswith("#   "):
            end += 1
        lines[start:end] = [line[2:] for line in lines[start:end]]
    text = "\n".join(lines)
    text = text.replace('"TODO: final diagnosis"', f'"{SYNTHETIC_DIAGNOSIS}"')
    text = re.sub(r'"TODO: another name[^"]*"', '"Synthetic syndrome beta"', text)
    text = text.replace("TODO: Caption of the table", "Synthetic causes table")
    counter = iter(range(1, 1000))
    text = re.sub(r'"TODO:[^"]*"', lambda m: f'"Synthetic text {next(counter)}"', text)
    text = re.sub(r"TODO:[^\n]*", lambda m: f"Synthetic paragraph {next(counter)}.", text)
    return text


# --------------------------------------------------------------------------- the template


def test_scaffold_has_every_schema_field_with_its_help():
    text = case_template(TITLE, dt.date(2026, 1, 15))
    fm = split_front_matter(text, "index.md")
    for field in FIELDS:
        assert re.search(rf"^(# )?{field.name}:", fm_text(text), re.M), f"{field.name} missing from the scaffold"
        assert field.help in text
    assert fm.data is not None
    assert {f.name for f in FIELDS if f.required} <= set(fm.data) <= {f.name for f in FIELDS}
    assert "figures" not in fm.data  # a commented example: its files do not exist yet


def fm_text(text: str) -> str:
    return text.split("\n---\n", 1)[0]


def test_scaffold_is_a_valid_case_as_written(tmp_path):
    path = new_case(tmp_path, TITLE, today=dt.date(2026, 1, 15))
    assert path == tmp_path / SLUG / "index.md"
    case, findings = load_case(path, tmp_path)
    assert findings == []
    assert case is not None
    assert case.meta.title == TITLE
    assert case.meta.date == dt.date(2026, 1, 15)
    assert case.meta.diagnosis.startswith("TODO")


def test_scaffold_skeleton_parts_and_no_live_citations():
    text = case_template(TITLE)
    body = text.split("\n---\n", 1)[1]
    for part in (
        "PRESENTATION",
        "FIGURES",
        "/// answer",
        "/// etiology-table | ",
        "columns: [",
        "rows:",
        "REFERENCES",
        "make cite DOI=",
    ):
        assert part in body
    assert "key_points:" in text and "question:" in text
    outside_comments = re.sub(r"<!--.*?-->", "", body, flags=re.S)
    assert "[@" not in outside_comments  # an example citation would be an unknown key


@pytest.mark.parametrize(
    "title",
    [
        'He said: "ouch" # not a comment',
        "Ärger — a title with ‘quotes’, colons: and [brackets]",
        "- starts like a list item",
        "yes",
    ],
)
def test_hostile_titles_survive_yaml(tmp_path, title):
    path = new_case(tmp_path, title)
    case, findings = load_case(path, tmp_path)
    assert findings == [] and case is not None
    assert case.meta.title == title


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Infant with a pearl-like nodule on the heel", "infant-with-a-pearl-like-nodule-on-the-heel"),
        ("  Ärger über Ödeme: “quoted” — 2024 ", "arger-uber-odeme-quoted-2024"),
        ("The patient's rash", "the-patients-rash"),
        ("A " + "verylongword " * 10, "a-verylongword-verylongword-verylongword-verylongword"),
    ],
)
def test_slugify(title, slug):
    assert slugify(title) == slug
    assert len(slugify(title)) <= 60


# --------------------------------------------------------------------------- refusals


def test_new_refuses_an_existing_folder_and_leaves_it_alone(tmp_path):
    first = new_case(tmp_path, TITLE)
    first.write_text("an author's work in progress", encoding="utf-8")
    with pytest.raises(CasebookError) as error:
        new_case(tmp_path, TITLE)
    assert str(tmp_path / SLUG) in str(error.value) and "already exists" in str(error.value)
    assert first.read_text(encoding="utf-8") == "an author's work in progress"
    assert sorted(p.name for p in (tmp_path / SLUG).iterdir()) == ["index.md"]


def test_new_refuses_an_existing_empty_folder(tmp_path):
    (tmp_path / "taken").mkdir()
    with pytest.raises(CasebookError, match="taken already exists"):
        new_case(tmp_path, "Another title", slug="taken")
    assert list((tmp_path / "taken").iterdir()) == []


@pytest.mark.parametrize(
    ("title", "slug", "message"),
    [
        ("   ", None, "the case needs a title"),
        ("ЖЖЖ", None, "gives no usable folder name; pass one with --slug"),
        ("Fine title", "Not A Slug", "must be lower-case letters, digits and hyphens"),
    ],
)
def test_new_refuses_bad_titles_and_slugs(tmp_path, title, slug, message):
    with pytest.raises(CasebookError, match=message):
        new_case(tmp_path, title, slug=slug)
    assert list(tmp_path.iterdir()) == []


def test_new_removes_its_folder_when_the_file_cannot_be_written(tmp_path, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(CasebookError, match=r"cannot write .*index\.md: Permission denied"):
        new_case(tmp_path, TITLE)
    assert list(tmp_path.iterdir()) == []


def test_scaffold_front_matter_follows_the_schema_order_with_required_fields_active():
    text = fm_text(case_template(TITLE, dt.date(2026, 1, 15)))
    active = re.findall(r"^([a-z_]+):", text, re.M)
    commented = re.findall(r"^# ([a-z_]+):", text, re.M)
    order = [f.name for f in FIELDS]
    assert sorted(active, key=order.index) == active  # schema order, so the guide and scaffold read alike
    assert {f.name for f in FIELDS if f.required} <= set(active)
    assert {"figures", "differential"} <= set(commented)  # examples to uncomment: their files do not exist yet


def test_new_needs_the_cases_folder(tmp_path):
    with pytest.raises(CasebookError, match="there is no cases folder"):
        new_case(tmp_path / "cases", TITLE)


def test_cli_new_creates_then_refuses(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cases").mkdir()
    assert main(["new", TITLE]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"created cases/{SLUG}/index.md") and err == ""
    before = (tmp_path / "cases" / SLUG / "index.md").read_bytes()
    assert main(["new", TITLE]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"casebook new: error: cases/{SLUG} already exists; nothing was changed. Choose another title or pass --slug "
        "(SLUG= with make new)\n"
    )
    assert (tmp_path / "cases" / SLUG / "index.md").read_bytes() == before


def test_python_dash_m_casebook(tmp_path):
    (tmp_path / "cases").mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "casebook", "new", "Synthetic title", "--slug", "synthetic-one"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert (tmp_path / "cases" / "synthetic-one" / "index.md").is_file()
    usage = subprocess.run(
        [sys.executable, "-m", "casebook", "new"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert usage.returncode == 2 and "Traceback" not in usage.stderr


# --------------------------------------------------------------------------- scaffold -> fill -> build


@pytest.mark.slow
def test_scaffold_builds_strict_as_written(project: Project, clean_build):
    new_case(project.root / "cases", TITLE)
    clean_build()


@pytest.mark.slow
def test_scaffold_fill_build_strict(project: Project, clean_build):
    path = new_case(project.root / "cases", TITLE)
    filled = fill(path.read_text(encoding="utf-8"))
    assert "TODO" not in filled
    path.write_text(filled, encoding="utf-8")
    for image in ("figure-1.jpg", "figure-2.jpg"):
        project.write(f"cases/{SLUG}/{image}", PNG_1X1)
    case, findings = load_case(path, project.root)
    assert findings == [] and case is not None
    assert len(case.meta.figures) == 2 and len(case.meta.differential) == 2

    result = clean_build()
    html = result.html(f"cases/{SLUG}")
    before = outside_answer(html)
    assert SYNTHETIC_DIAGNOSIS in html and SYNTHETIC_DIAGNOSIS not in before
    assert "Synthetic syndrome beta" not in before
    assert '<table class="casebook-etiology">' in html and "Synthetic causes table" in html
    assert '<figure class="casebook-figure" id="figure-1">' in before
    assert 'id="figure-2"' in html and 'id="figure-2"' not in before  # the in_answer figure
    assert "TODO" not in re.sub(r"<!--.*?-->", "", html, flags=re.S)


# --------------------------------------------------------------------------- properties


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=80))
def test_any_title_gives_a_url_safe_slug_and_round_trips_through_yaml(title):
    slug = slugify(title)
    assert slug == "" or SLUG_RE.match(slug)
    assert len(slug) <= 60
    shown = " ".join(title.split())
    if shown:
        fm = split_front_matter(case_template(shown), "index.md")
        assert fm.findings == []
        assert fm.data is not None and fm.data["title"] == shown


# --------------------------------------------------------------------------- the command line's structure


def test_cli_runs_a_subcommand_from_its_own_module(tmp_path, monkeypatch, capsys):
    """How `check` plugs in: a module with main(argv) -> int, imported only when it runs."""
    (tmp_path / "casebook_synthetic_command.py").write_text(
        "def main(argv):\n    print('synthetic command got', argv)\n    return 1\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(cli._MODULES, "synthetic", ("casebook_synthetic_command", "a synthetic command"))
    assert main(["synthetic", "--flag", "value"]) == 1
    assert capsys.readouterr().out == "synthetic command got ['--flag', 'value']\n"
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "a synthetic command" in capsys.readouterr().out


def test_cli_missing_module_is_a_usage_error(monkeypatch, capsys):
    monkeypatch.setitem(cli._MODULES, "absent", ("casebook_no_such_module_anywhere", "not there"))
    assert main(["absent"]) == 2
    assert capsys.readouterr().err == "casebook: error: 'absent' is not available in this version of Casebook\n"
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "absent" not in capsys.readouterr().out


def test_cli_without_a_command_prints_help(capsys):
    assert main([]) == 2
    assert "COMMAND" in capsys.readouterr().err
