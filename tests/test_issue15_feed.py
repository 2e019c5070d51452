"""The Atom feed of the published cases (issue 15, item 10), checked against RFC 4287.

lxml (and so a RELAX NG validator) is not among the test dependencies, so `atom_problems`
checks the feed against the constraints of RFC 4287 section 4 (the normative text behind its
RELAX NG schema, appendix B) element by element: which Atom elements may appear where and how
often, the required ones, text constructs, person constructs, links, absolute IRIs for ids and
RFC 3339 dates. It has its own negative controls, so it can fail. The feed itself is then held
to the spoiler rule: nothing of an answer, only what a case card shows.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from casebook.cases.loader import load_case
from casebook.cases.model import Case
from casebook.render.feed import ATOM_NS, atom_feed
from casebook.render.urls import SiteUrls
from reader_sites import ALL_SPOILERS, CASES, ETIOLOGY_BODY
from sitebuilder import PNG_1X1, case_text, synthetic_front_matter

A = f"{{{ATOM_NS}}}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
TEXT_CONSTRUCTS = {"title", "subtitle", "summary", "rights"}
PERSON_CONSTRUCTS = {"author", "contributor"}
DATE_CONSTRUCTS = {"updated", "published"}
#: element -> (children that must appear exactly once, children allowed at most once, repeatable children)
SHAPES: dict[str, tuple[set[str], set[str], set[str]]] = {
    "feed": (
        {"id", "title", "updated"},
        {"generator", "icon", "logo", "rights", "subtitle"},
        {"author", "category", "contributor", "link", "entry"},
    ),
    "entry": (
        {"id", "title", "updated"},
        {"content", "published", "rights", "source", "summary"},
        {"author", "category", "contributor", "link"},
    ),
}


def _local(element: ET.Element) -> str | None:
    return element.tag[len(A) :] if element.tag.startswith(A) else None


def _is_absolute_iri(value: str) -> bool:
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", value)) and " " not in value


def _check_children(element: ET.Element, where: str, problems: list[str]) -> None:
    once, optional, repeatable = SHAPES[_local(element) or ""]
    names = [n for child in element if (n := _local(child)) is not None]
    for name in once:
        if names.count(name) != 1:
            problems.append(f"{where}: atom:{name} must appear exactly once, found {names.count(name)}")
    for name in optional:
        if names.count(name) > 1:
            problems.append(f"{where}: atom:{name} may appear at most once")
    for name in set(names) - once - optional - repeatable:
        problems.append(f"{where}: atom:{name} is not allowed here")


def _check_construct(child: ET.Element, where: str, problems: list[str]) -> None:
    name = _local(child)
    if name in TEXT_CONSTRUCTS:
        kind = child.get("type", "text")
        if kind not in {"text", "html", "xhtml"}:
            problems.append(f"{where}/{name}: type {kind!r} is not text, html or xhtml")
        if kind != "xhtml" and len(child):
            problems.append(f"{where}/{name}: a {kind} construct has no child elements")
    elif name in DATE_CONSTRUCTS:
        if not RFC3339.match(child.text or ""):
            problems.append(f"{where}/{name}: {child.text!r} is not an RFC 3339 date-time")
    elif name in PERSON_CONSTRUCTS:
        parts = [_local(p) for p in child]
        if parts.count("name") != 1 or not (child.find(f"{A}name") is not None and child.find(f"{A}name").text):
            problems.append(f"{where}/{name}: a person has exactly one non-empty atom:name")
        if parts.count("uri") > 1 or parts.count("email") > 1 or set(parts) - {"name", "uri", "email", None}:
            problems.append(f"{where}/{name}: a person has name, at most one uri and at most one email")
    elif name == "id":
        if not _is_absolute_iri((child.text or "").strip()):
            problems.append(f"{where}/id: {child.text!r} is not an absolute IRI")
    elif name == "link":
        if not child.get("href"):
            problems.append(f"{where}/link: href is required")
    elif name == "category" and not child.get("term"):
        problems.append(f"{where}/category: term is required")


def _alternates(element: ET.Element, where: str, problems: list[str]) -> int:
    """Count rel=alternate links; two with the same type and hreflang are not allowed."""
    seen: set[tuple[str | None, str | None]] = set()
    count = 0
    for link in element.findall(f"{A}link"):
        if link.get("rel", "alternate") == "alternate":
            count += 1
            key = (link.get("type"), link.get("hreflang"))
            if key in seen:
                problems.append(f"{where}: two alternate links with the same type and hreflang")
            seen.add(key)
    return count


def atom_problems(xml_text: str) -> list[str]:
    """What in `xml_text` breaks RFC 4287 (empty when it is a valid Atom feed document)."""
    try:
        root = ET.fromstring(xml_text)
    except ET.ParseError as error:
        return [f"not well-formed XML: {error}"]
    if root.tag != f"{A}feed":
        return [f"the root element is {root.tag}, not atom:feed"]
    problems: list[str] = []
    _check_children(root, "feed", problems)
    for child in root:
        _check_construct(child, "feed", problems)
    _alternates(root, "feed", problems)
    entries = root.findall(f"{A}entry")
    feed_has_author = root.find(f"{A}author") is not None
    seen_ids: set[tuple[str, str]] = set()
    for n, entry in enumerate(entries, start=1):
        where = f"entry {n}"
        _check_children(entry, where, problems)
        for child in entry:
            _check_construct(child, where, problems)
        has_content = entry.find(f"{A}content") is not None
        if not has_content and _alternates(entry, where, problems) == 0:
            problems.append(f"{where}: without atom:content an entry needs an alternate link")
        if not has_content and entry.find(f"{A}summary") is None:
            problems.append(f"{where}: without atom:content an entry should have an atom:summary")
        if not feed_has_author and entry.find(f"{A}author") is None and entry.find(f"{A}source/{A}author") is None:
            problems.append(f"{where}: an author is required in the entry when the feed has none")
        key = (entry.findtext(f"{A}id", ""), entry.findtext(f"{A}updated", ""))
        if key in seen_ids:
            problems.append(f"{where}: two entries with the same id and updated")
        seen_ids.add(key)
    return problems


# --------------------------------------------------------------------------- the validator can fail

VALID = (
    f'<feed xmlns="{ATOM_NS}"><id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id><title>T</title>'
    "<updated>2026-01-01T00:00:00Z</updated><author><name>A</name></author>"
    "<entry><id>https://example.org/a</id><title>E</title><updated>2026-01-01T00:00:00Z</updated>"
    '<link href="https://example.org/a"/><summary>S</summary></entry></feed>'
)


@pytest.mark.parametrize(
    ("broken", "problem"),
    [
        (VALID.replace("<title>T</title>", ""), "feed: atom:title must appear exactly once, found 0"),
        (VALID.replace("2026-01-01T00:00:00Z</updated><author>", "2026-01-01</updated><author>"), "not an RFC 3339"),
        (VALID.replace("<author><name>A</name></author>", ""), "an author is required in the entry"),
        (VALID.replace('<link href="https://example.org/a"/>', ""), "needs an alternate link"),
        (VALID.replace("<id>https://example.org/a</id>", "<id>cases/a/</id>"), "not an absolute IRI"),
        (VALID.replace("<summary>S</summary>", "<summary>S</summary><diagnosis>D</diagnosis>"), "not allowed here"),
        (VALID.replace("<title>E</title>", '<title type="markdown">E</title>'), "is not text, html or xhtml"),
        (VALID.replace(f'<feed xmlns="{ATOM_NS}">', "<feed>"), "not atom:feed"),
    ],
)
def test_the_validator_finds_each_kind_of_mistake(broken: str, problem: str) -> None:
    assert atom_problems(VALID) == []
    found = atom_problems(broken)
    assert any(problem in p for p in found), found


# --------------------------------------------------------------------------- the feed


def reader_cases(root: Path) -> list[Case]:
    """The synthetic reader site's cases (tests/reader_sites.py), loaded as the build loads them."""
    cases = []
    for slug, overrides in CASES.items():
        folder = root / "cases" / slug
        folder.mkdir(parents=True)
        (folder / "index.md").write_text(case_text(synthetic_front_matter(**overrides), ETIOLOGY_BODY), "utf-8")
        for image in ("figure-one.png", "figure-two.png"):
            (folder / image).write_bytes(PNG_1X1)
        case, findings = load_case(folder / "index.md", root)
        assert case is not None, [f.text() for f in findings]
        cases.append(case)
    return cases


@pytest.mark.parametrize("site_url", ["https://cases.example.org/teaching/", None], ids=["site_url", "no-site_url"])
def test_the_feed_is_valid_atom_newest_first_with_title_summary_date_and_link(tmp_path: Path, site_url: str | None):
    cases = reader_cases(tmp_path)
    xml_text = atom_feed(cases, site_name="Synthetic & <test> site", site_url=site_url, index_uri="cases/index.md")
    assert atom_problems(xml_text) == []
    root = ET.fromstring(xml_text)
    entries = root.findall(f"{A}entry")
    by_date = sorted(CASES.items(), key=lambda kv: kv[1]["date"], reverse=True)
    assert [e.findtext(f"{A}title") for e in entries] == [fm["title"] for _, fm in by_date]
    assert [e.findtext(f"{A}summary") for e in entries] == [fm["summary"] for _, fm in by_date]
    assert [e.findtext(f"{A}updated") for e in entries] == [f"{fm['date']}T00:00:00Z" for _, fm in by_date]
    assert root.findtext(f"{A}title") == "Synthetic & <test> site", "escaped, and read back as written"
    assert root.findtext(f"{A}updated") == f"{by_date[0][1]['date']}T00:00:00Z", "the newest case's date"
    links = [e.find(f"{A}link").get("href") for e in entries]
    self_link = root.find(f"{A}link[@rel='self']").get("href")
    if site_url:
        assert links == [f"{site_url}cases/{slug}/" for slug, _ in by_date]
        assert self_link == site_url + "feed.xml"
        assert [e.findtext(f"{A}id") for e in entries] == links
    else:
        assert links == [f"cases/{slug}/" for slug, _ in by_date], "relative to the feed at the site's root"
        assert all(urlsplit(e.findtext(f"{A}id")).scheme == "urn" for e in entries)
    # Stable: the same cases give the same feed, ids included.
    assert atom_feed(cases, site_name="Synthetic & <test> site", site_url=site_url, index_uri="cases/index.md") == (
        xml_text
    )


def test_the_feed_is_spoiler_free(tmp_path: Path) -> None:
    cases = reader_cases(tmp_path)
    xml_text = atom_feed(cases, site_name="Synthetic test site", site_url="https://cases.example.org/")
    lowered = xml_text.lower()
    assert [term for term in ALL_SPOILERS if term.lower() in lowered] == []
    for case in cases:
        for figure in case.meta.figures:
            assert figure.alt not in xml_text and figure.caption not in xml_text, "no figure text"
    assert "Synthetic discussion paragraph" not in xml_text and "Group one" not in xml_text, "nothing of the answer"
    # Positive control: the cases loaded do carry the terms the feed leaves out.
    assert all(case.meta.diagnosis in ALL_SPOILERS for case in cases)


def test_the_feed_follows_the_sites_urls(tmp_path: Path) -> None:
    """`use_directory_urls: false` and a feed in a folder: links still reach the case pages."""
    cases = reader_cases(tmp_path)
    urls = SiteUrls(use_directory_urls=False)
    xml_text = atom_feed(cases, site_name="S", urls=urls, feed_uri="feeds/cases.xml")
    assert atom_problems(xml_text) == []
    links = [e.get("href") for e in ET.fromstring(xml_text).findall(f"{A}entry/{A}link")]
    assert links and all(re.fullmatch(r"\.\./cases/synthetic-[a-z-]+/index\.html", link) for link in links), links


def test_an_empty_site_has_a_valid_empty_feed() -> None:
    assert atom_problems(atom_feed([], site_name="S")) == []


# --------------------------------------------------------------------------- the published feed

FEED_HEAD_LINK = re.compile(r'<link rel="alternate" type="application/atom\+xml" href="([^"]+)"')


def test_the_built_site_publishes_the_feed_and_every_head_links_it(tmp_path: Path) -> None:
    from sitebuilder import new_project

    project = new_project(tmp_path)
    project.add_case("synthetic-case", case_text(synthetic_front_matter(title="Synthetic published title")))
    project.add_case("synthetic-draft", case_text(synthetic_front_matter(draft=True, title="Synthetic draft title")))
    result = project.build()
    assert result.ok, result.log
    feed = result.site / "feed.xml"
    assert feed.is_file(), "feed.xml is published at the site's root"
    xml_text = feed.read_text(encoding="utf-8")
    assert atom_problems(xml_text) == []
    titles = [e.findtext(f"{A}title") for e in ET.fromstring(xml_text).findall(f"{A}entry")]
    assert titles == ["Synthetic published title"], "published cases only: no draft"
    for page in ("index.html", "cases/index.html", "cases/synthetic-case/index.html"):
        links = FEED_HEAD_LINK.findall((result.site / page).read_text(encoding="utf-8"))
        depth = page.count("/")
        assert links == ["../" * depth + "feed.xml" if depth else "feed.xml"], f"{page}: {links}"


def test_pages_feed_empty_publishes_no_feed_and_links_none(tmp_path: Path) -> None:
    from sitebuilder import new_project

    project = new_project(tmp_path)
    project.add_case("synthetic-case", case_text(synthetic_front_matter()))
    project.extra_config["plugins"] = ["search", {"casebook": {"pages": {"feed": ""}}}]
    result = project.build()
    assert result.ok, result.log
    assert not (result.site / "feed.xml").exists()
    assert FEED_HEAD_LINK.findall((result.site / "index.html").read_text(encoding="utf-8")) == []


def test_a_feed_at_another_path_is_linked_there(tmp_path: Path) -> None:
    from sitebuilder import new_project

    project = new_project(tmp_path)
    project.add_case("synthetic-case", case_text(synthetic_front_matter()))
    project.extra_config["plugins"] = ["search", {"casebook": {"pages": {"feed": "news/cases.atom"}}}]
    result = project.build()
    assert result.ok, result.log
    feed = ET.fromstring((result.site / "news" / "cases.atom").read_bytes())
    self_link = [link.get("href") for link in feed.findall(f"{A}link") if link.get("rel") == "self"]
    assert self_link == ["cases.atom"], "relative to the feed's own address"
    entry_links = [link.get("href") for link in feed.iter(f"{A}link") if link.get("rel") == "alternate"]
    assert "../cases/synthetic-case/" in entry_links
    links = FEED_HEAD_LINK.findall((result.site / "cases/synthetic-case/index.html").read_text(encoding="utf-8"))
    assert links == ["../../news/cases.atom"]


def test_a_summary_naming_another_cases_diagnosis_fails_the_build_on_the_feed(tmp_path: Path) -> None:
    """Judged on the feed as written, as on the case lists: any published case's diagnosis, any spelling."""
    from sitebuilder import new_project

    project = new_project(tmp_path)
    project.add_case("synthetic-case", case_text(synthetic_front_matter()))
    other = synthetic_front_matter(
        title="Synthetic second case",
        diagnosis="Synthetic disorder gamma",
        synonyms=[],
        date="2026-02-01",
        # Case one's diagnosis, with a soft hyphen and full-width letters inside it.
        summary="A synthetic follow-up to syn\u00adthetic condition \uff41lpha.",
    )
    project.add_case("synthetic-second", case_text(other))
    project.extra_config["nav"] = [{"Home": "index.md"}]  # keep the case index out: the feed alone is judged
    project.write("docs/cases/index.md", "# Cases\n\nNo list here.\n")
    result = project.build()
    assert not result.ok
    assert [m for m in result.messages if "[output-spoiler]" in m] == [
        "cases/synthetic-second/index.md:3:1: error: the feed (feed.xml) entry of this case names a diagnosis "
        "('Synthetic condition alpha'): feed readers show a case's title and summary, so keep every case's "
        "diagnosis out of them [output-spoiler]"
    ], result.log
