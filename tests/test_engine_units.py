"""Pure engine functions: front matter, block scanning, spoiler matching."""

from __future__ import annotations

from casebook.cases.spoilers import leaked_term, normalise
from casebook.text.blocks import normalise_fences, scan_blocks
from casebook.text.frontmatter import read_source, split_front_matter


def test_front_matter_keeps_line_numbers_of_nested_keys():
    fm = split_front_matter("---\ntitle: a\nfigures:\n  - file: x\n    alt: y\n---\nbody\n", "f.md")
    assert fm.data == {"title": "a", "figures": [{"file": "x", "alt": "y"}]}
    assert fm.line_of("figures", 0, "alt") == 5
    assert fm.line_of("figures", 0, "caption") == 4, "a missing key points at its parent"
    assert fm.body == "body\n" and fm.body_line == 7


def test_bom_and_crlf_are_read_like_mkdocs_reads_them(tmp_path):
    path = tmp_path / "index.md"
    path.write_bytes(b"\xef\xbb\xbf---\r\ntitle: a\r\n---\r\nbody\r\n")
    text, findings = read_source(path)
    assert text == "---\ntitle: a\n---\nbody\n"
    assert [f.rule for f in findings] == ["byte-order-mark"]


def test_invalid_utf8_is_a_finding_not_a_crash(tmp_path):
    path = tmp_path / "index.md"
    path.write_bytes(b"---\ntitle: \xff\n---\n")
    text, findings = read_source(path)
    assert text is None and findings[0].rule == "not-utf8" and findings[0].line == 2


def test_blocks_nest_and_skip_code_fences():
    body = "x\n/// answer\na\n/// etiology-table | Cap\nk: v\n///\n```\n/// fake\n```\n///\n"
    blocks = scan_blocks(body)
    assert [(b.name, b.start, b.end) for b in blocks] == [("answer", 2, 10), ("etiology-table", 4, 6)]
    assert blocks[1].parent is blocks[0] and blocks[1].argument == "Cap" and blocks[1].content == "k: v\n"


def test_normalise_fences_makes_outer_blocks_longer_and_keeps_lines():
    body = "/// answer\n/// etiology-table | Cap\nk: v\n///\n///\n"
    out = normalise_fences(body)
    assert out.split("\n")[:5] == ["//// answer", "/// etiology-table | Cap", "k: v", "///", "////"]


def test_spoiler_matching_ignores_case_accents_and_hyphens():
    assert normalise("Milia-like  CALCINOSIS, cutis") == " milia like calcinosis cutis "
    assert leaked_term("a case of milia like calcinosis cutis", ["Milia-like calcinosis cutis"])
    assert leaked_term("Café au lait", ["cafe au lait"]) == "cafe au lait"
    assert leaked_term("wartime stories", ["wart"]) is None, "whole words only"


def test_case_citations_from_a_loaded_case_equal_those_from_the_source():
    """The build and `casebook check` reuse the loaded case instead of parsing its front matter again."""
    from pathlib import Path

    from casebook.cases.loader import discover_cases, load_case
    from casebook.references.bibliography import collect_case_citations

    root = Path(__file__).resolve().parent.parent
    paths = discover_cases(root / "cases")
    loaded = {p: load_case(p, root)[0] for p in paths}
    assert paths and all(loaded.values())
    assert collect_case_citations(paths, root, loaded) == collect_case_citations(paths, root)
    assert any(c.answer and c.spoiler_terms for c in collect_case_citations(paths, root, loaded))
