"""Property tests: no front matter, case text or BibTeX text makes the parsers or the check raise.

Whatever an author writes, the answer is findings (each a located `path:line:col` line)
or a valid model, never an exception.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casebook.cases.loader import load_case
from casebook.cases.schema import validate_case_meta
from casebook.checks.run import check_project
from casebook.findings import Finding
from casebook.references.bibtex import parse_bib_text
from casebook.text.frontmatter import split_front_matter
from casebook.text.textlint import lint_front_matter

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
FIELDS = [
    "title",
    "summary",
    "date",
    "authors",
    "specialty",
    "patient",
    "presenting_complaint",
    "question",
    "diagnosis",
    "synonyms",
    "figures",
    "body_sites",
    "learning_objectives",
    "key_points",
    "differential",
    "age",
    "sex",
    "file",
    "alt",
    "caption",
    "in_answer",
    "option",
    "correct",
    "explanation",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.dates(),
    st.sampled_from(["Synthetic condition alpha", "<script>x</script>", "javascript:x"]),
)
yaml_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=10)), children, max_size=5),
    ),
    max_leaves=20,
)
front_matter_data = st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=12)), yaml_values, max_size=10)
#: Text that looks a little like front matter and Markdown, plus anything at all.
yaml_ish = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "---",
                "title: x",
                "  - a",
                "\t",
                ":",
                "- [",
                "&a",
                "*a",
                "? ",
                "/// answer",
                "///",
                "[@key]",
                "![](x.png)",
                "\r\n",
                "\ufeff",
            ]
        ),
        st.text(max_size=20),
    ),
    max_size=20,
).map("\n".join)
random_bytes = st.binary(max_size=400).map(lambda b: b.decode("utf-8", errors="replace"))


def assert_located(findings: list[Finding]) -> None:
    for f in findings:
        assert f.line >= 1 and f.col >= 1 and f.level in ("error", "warning") and f.rule and f.message


def check_front_matter(text: str) -> None:
    fm = split_front_matter(text, "cases/synthetic/index.md")
    meta, schema_findings = validate_case_meta(fm, "cases/synthetic/index.md")
    lint = lint_front_matter(fm.data, "cases/synthetic/index.md", fm.line_of)
    assert_located(fm.findings + schema_findings + lint)
    if meta is not None:
        assert not fm.findings and not schema_findings and meta.title.strip()
    elif fm.data is not None:
        assert schema_findings or fm.findings, "no model without a reason"


@FAST
@given(front_matter_data)
def test_random_front_matter_structures(data):
    text = "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n\nBody.\n"
    check_front_matter(text)


@FAST
@given(st.one_of(yaml_ish, random_bytes))
def test_random_front_matter_text(body):
    check_front_matter("---\n" + body + "\n---\n" + body)
    check_front_matter(body)


@FAST
@given(st.one_of(yaml_ish, random_bytes, st.binary(max_size=300)))
def test_random_case_file_never_raises(tmp_path_factory, content):
    folder = tmp_path_factory.mktemp("cases") / "synthetic-case"
    folder.mkdir()
    path = folder / "index.md"
    path.write_bytes(content if isinstance(content, bytes) else ("---\n" + content).encode("utf-8", "surrogatepass"))
    case, findings = load_case(path, folder.parent.parent)
    assert_located(findings)
    assert case is not None or any(f.is_error for f in findings)


bib_tokens = st.sampled_from(
    [
        "@article{",
        "@string{",
        "@comment{",
        "@misc(",
        "synthetic2020,",
        "}",
        "{",
        '"',
        "author = {Author, Synthetic}",
        "title = ",
        "doi = {10.5555/x}",
        "url = {",
        "#",
        ",",
        "=",
        "\\'e",
        "%",
        "crossref = {x}",
        "\n",
        "and others",
        "month = jan",
    ]
)
bib_text = st.one_of(st.lists(st.one_of(bib_tokens, st.text(max_size=8)), max_size=40).map("".join), random_bytes)


@FAST
@given(bib_text)
def test_random_bibtex_never_raises(text):
    refs, _broken, findings = parse_bib_text(text, "bib/random.bib")
    assert_located(findings)
    for ref in refs:
        assert ref.key and ref.line >= 1


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=st.one_of(yaml_ish, random_bytes), bib=bib_text)
def test_random_project_check_never_reports_an_internal_error(tmp_path_factory, case, bib):
    root: Path = tmp_path_factory.mktemp("project")
    (root / "cases/synthetic-case").mkdir(parents=True)
    (root / "bib").mkdir()
    (root / "docs").mkdir()
    (root / "cases/synthetic-case/index.md").write_text("---\n" + case, encoding="utf-8", errors="surrogatepass")
    (root / "bib/random.bib").write_text(bib, encoding="utf-8", errors="surrogatepass")
    (root / "docs/index.md").write_text(case, encoding="utf-8", errors="surrogatepass")
    report = check_project(root)
    assert not [f.text() for f in report.findings if f.rule == "internal-error"]
    assert_located(report.findings)
