"""What readers get in the built HTML and search index: the etiology index, the facts, the cards, the search note.

Built from synthetic projects (tests/sitebuilder.py); the browser-side behaviour is in test_reader_ui.py.
"""

from __future__ import annotations

import json
import re
import textwrap

from sitebuilder import Project, case_text, synthetic_front_matter

POLKA_BODY = textwrap.dedent("""\
    Synthetic presentation paragraph.

    /// answer

    Synthetic discussion paragraph.

    /// etiology-table | Synthetic causes
    columns: [Type, Associated conditions]
    rows:
      - [Synthetic group, "*Synthetic polka-dot erythema*, **Synthetic strong sign** and `code` <b>raw</b>"]
    ///

    ///
    """)


def build(project: Project, **front: object) -> tuple[str, dict]:
    project.add_case(text=case_text(synthetic_front_matter(**front), POLKA_BODY))
    result = project.build()
    assert result.ok and not result.messages, result.log
    index = json.loads((result.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return result.html("browse/etiology"), index


def test_the_etiology_index_renders_inline_markdown_and_keeps_raw_html_as_text(project: Project) -> None:
    html, _ = build(project)
    assert "<em>Synthetic polka-dot erythema</em>" in html
    assert "<strong>Synthetic strong sign</strong>" in html and "<code>code</code>" in html
    assert "*Synthetic polka-dot erythema*" not in html and "**Synthetic" not in html
    assert "&lt;b&gt;raw&lt;/b&gt;" in html and "<b>raw</b>" not in html


def test_sex_unspecified_reads_naturally(project: Project) -> None:
    build(project, patient={"age": "34 years", "sex": "unspecified"})
    html = (project.root / "site" / "cases" / "synthetic-case" / "index.html").read_text(encoding="utf-8")
    assert "<dd>34 years, sex not stated</dd>" in html
    assert "unspecified" not in re.sub(r"<[^>]+>", " ", html.split('<dl class="casebook-facts">', 1)[1][:600])


def test_search_snippets_separate_labels_from_values_and_leave_out_the_badge(project: Project) -> None:
    _, index = build(project, patient={"age": "12 months", "sex": "female"})
    text = " ".join(doc["text"] for doc in index["docs"])
    assert "Patient 12 months, female" in text, "the case page's facts"
    assert "Patient12" not in text and "Specialty Synthetic specialty" in text
    assert "Answer seen" not in text, "the card badge is this browser's state, not content"
    assert "Search needs JavaScript" not in text and "kept out of the search" not in text


def test_index_thumbnails_have_empty_alt(project: Project) -> None:
    build(project)
    html = (project.root / "site" / "cases" / "index.html").read_text(encoding="utf-8")
    thumbs = re.findall(r'<img class="casebook-card-thumb[^>]*>', html)
    assert thumbs and all(' alt=""' in t for t in thumbs), thumbs


def test_every_page_has_the_search_note_with_the_browse_links(project: Project) -> None:
    build(project)
    html = (project.root / "site" / "cases" / "synthetic-case" / "index.html").read_text(encoding="utf-8")
    note = re.search(r'<div class="casebook-search-note".*?</div>', html, re.S)
    assert note, "the note under the header"
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', note.group(0))
    assert ("../", "Cases") in links
    assert ("../../browse/diagnoses/", "Browse by diagnosis") in links
    assert ("../../browse/etiology/", "Etiology index") in links
    assert '<p class="casebook-search-none" hidden' in note.group(0)


def test_case_pages_link_the_newer_and_older_case_after_the_answer(project: Project) -> None:
    dates = {"synthetic-new": "2026-03-01", "synthetic-mid": "2026-02-01", "synthetic-old": "2026-01-01"}
    for slug, date in dates.items():
        title = f"Synthetic title {slug.removeprefix('synthetic-')}"
        project.add_case(slug, case_text(synthetic_front_matter(title=title, date=date), POLKA_BODY))
    result = project.build()
    assert result.ok and not result.messages, result.log

    def nav(slug: str) -> list[tuple[str, str, str, str]]:
        html = result.html(f"cases/{slug}")
        assert html.index('<nav class="casebook-case-nav"') > html.index("</details>"), "after the answer"
        found = re.search(r'<nav class="casebook-case-nav" aria-label="Other cases">(.*?)</nav>', html, re.S)
        assert found, slug
        return re.findall(
            r'<a class="casebook-case-nav-\w+" rel="(\w+)" href="([^"]+)"><span class="casebook-case-nav-word">'
            r'([^<]+)</span> <span class="casebook-case-nav-title">([^<]+)</span></a>',
            found.group(1),
        )

    assert nav("synthetic-mid") == [
        ("prev", "../synthetic-new/", "Newer case:", "Synthetic title new"),
        ("next", "../synthetic-old/", "Older case:", "Synthetic title old"),
    ]
    assert nav("synthetic-new") == [("next", "../synthetic-mid/", "Older case:", "Synthetic title mid")]
    assert nav("synthetic-old") == [("prev", "../synthetic-mid/", "Newer case:", "Synthetic title mid")]
