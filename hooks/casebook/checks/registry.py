"""Every rule Casebook reports, defined once.

Both front ends — `mkdocs build --strict` (through the plugin) and
`casebook check` — run the same rule functions on the same project model
(`casebook.checks.run`) and keep the findings whose rule lists them here, so
they agree by construction. A rule that only one front end runs says why.
docs/checks.md documents each rule; a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from casebook.findings import Finding, Level

FrontEnd = Literal["build", "check"]
BOTH: frozenset[FrontEnd] = frozenset({"build", "check"})
CHECK_ONLY: frozenset[FrontEnd] = frozenset({"check"})
BUILD_ONLY: frozenset[FrontEnd] = frozenset({"build"})


@dataclass(frozen=True)
class Rule:
    id: str
    level: Level
    summary: str
    front_ends: frozenset[FrontEnd] = BOTH
    #: Why a rule runs in one front end only (required when it does).
    reason: str = ""


def _rules(*rules: Rule) -> dict[str, Rule]:
    table: dict[str, Rule] = {}
    for rule in rules:
        if rule.id in table:
            raise ValueError(f"rule {rule.id} is defined twice")
        if rule.front_ends != BOTH and not rule.reason:
            raise ValueError(f"rule {rule.id} runs in one front end only and needs a reason")
        table[rule.id] = rule
    return table


_ONLINE = "needs the network; the build stays offline and reproducible (`casebook check --online`)"

RULES: dict[str, Rule] = _rules(
    # files and front matter
    Rule("file-unreadable", "error", "the file cannot be read"),
    Rule("not-utf8", "error", "the file is not UTF-8"),
    Rule("byte-order-mark", "warning", "the file starts with a byte-order mark"),
    Rule("front-matter-missing", "error", "a case must start with YAML front matter"),
    Rule("front-matter-unclosed", "error", "the front matter has no closing ---"),
    Rule("front-matter-not-mapping", "error", "the front matter is not `field: value` lines"),
    Rule("yaml-tab", "error", "YAML indented with a tab"),
    Rule("yaml-syntax", "error", "the front matter is not valid YAML"),
    Rule("yaml-duplicate-key", "error", "a front-matter field is given twice"),
    Rule("field-unknown", "error", "a front-matter field Casebook does not know"),
    Rule("field-missing", "error", "a required front-matter field is missing"),
    Rule("field-type", "error", "a front-matter field has the wrong kind of value"),
    Rule("field-empty", "error", "a front-matter field is empty"),
    Rule("field-value", "error", "a front-matter field has a value outside its allowed set"),
    Rule("differential-size", "error", "a differential needs 2 to 6 options"),
    Rule("differential-correct", "error", "exactly one differential option is correct"),
    Rule("markup-in-text", "warning", "HTML or a script URL in a plain-text field"),
    # cases and blocks
    Rule("case-slug", "error", "the case folder name is not a valid URL slug"),
    Rule("case-no-index", "warning", "a case folder without index.md"),
    Rule("case-shadows-docs", "warning", "a case file and a docs/ file have the same site path"),
    Rule("bib-stray-text", "warning", "braces or '=' between BibTeX entries, which BibTeX ignores"),
    Rule("cite-malformed", "error", "a '[@...' group the citation grammar cannot read (printed literally)"),
    Rule("cite-outside-text", "error", "a citation in the title or summary, where citations are not rendered"),
    Rule("cite-in-heading", "error", "a citation in a heading (it would enter the anchor and the table of contents)"),
    Rule("html-unbalanced", "error", "raw HTML that closes or swallows the answer (stray </details>, open <textarea>)"),
    Rule("html-tag-unclosed", "error", "an HTML start tag never closed by '>' (a typo, and slow to render in bulk)"),
    Rule("block-nested-too-deep", "error", "'///' blocks nested more deeply than a case needs"),
    Rule("case-extra-page", "error", "a second Markdown file in a case folder (it would be a page of its own)"),
    Rule("case-file-active", "error", "an HTML or script file in a case folder (served as active content)"),
    Rule("case-file-symlink", "error", "a symbolic link in a case folder to a file outside the project, or broken"),
    Rule("case-todo", "error", "a `TODO` placeholder from `casebook new` in a case that is not a draft"),
    Rule("answer-missing", "error", "a case has no `/// answer` block"),
    Rule("answer-duplicate", "error", "a case has more than one answer block"),
    Rule("answer-nested", "error", "the answer block is inside another block"),
    Rule("block-unclosed", "error", "a `/// name` block is never closed"),
    Rule("etiology-caption", "error", "an etiology table without a caption"),
    Rule("etiology-yaml", "error", "an etiology table's data is not valid YAML"),
    Rule("etiology-shape", "error", "an etiology table is not `columns` and `rows`"),
    Rule("etiology-row-length", "error", "an etiology row has the wrong number of cells"),
    Rule("figure-missing", "error", "a figure's file does not exist or is not an image"),
    Rule("image-alt", "error", "an image without alt text"),
    Rule("image-missing", "error", "an image that points to a missing file"),
    # photographs and drawings (casebook.checks.images)
    Rule("image-unreadable", "error", "an image that is empty, damaged, mislabelled or too many pixels to decode"),
    Rule("image-gps", "error", "a source photo records where it was taken (GPS)"),
    Rule("image-metadata", "warning", "a source photo carries identifying metadata (date, serial, owner, comment)"),
    Rule("image-large", "warning", "a source image larger than the configured limit (the published copy is resized)"),
    Rule("svg-unsafe", "error", "an SVG drawing with script, event attributes, external references or embeds"),
    Rule("spoiler", "error", "the diagnosis appears before the answer"),
    # patient privacy (casebook.privacy; `privacy: {level: error}` makes them errors)
    Rule("phi-date", "warning", "a full date (day, month and year) in a case"),
    Rule("phi-age", "warning", "an age over 89 in a case"),
    Rule("phi-phone", "warning", "a telephone or fax number in a case"),
    Rule("phi-email", "warning", "an e-mail address in a case"),
    Rule("phi-id-number", "warning", "a social security, medical record, health plan or account number in a case"),
    Rule("phi-postal-code", "warning", "a postal code in a case"),
    Rule("phi-address", "warning", "a street address in a case"),
    Rule("phi-ip", "warning", "an IP address in a case"),
    Rule("phi-url", "warning", "a web address in a case's history (before the answer)"),
    Rule("phi-name", "warning", "a personal name with a title (Mrs, Dr) that is not an author's"),
    Rule("phi-optout", "warning", "a privacy opt-out comment without a reason or naming no privacy rule"),
    # BibTeX
    Rule("bib-missing", "error", "a bibliography file named in the plugin settings does not exist"),
    Rule("bib-syntax", "error", "a BibTeX entry cannot be read"),
    Rule("bib-duplicate-key", "error", "two BibTeX entries share a key"),
    Rule("bib-duplicate-field", "error", "a BibTeX entry sets a field twice"),
    Rule("bib-key-form", "warning", "a BibTeX key that cannot be cited as [@key]"),
    Rule("bib-key-case", "warning", "two BibTeX keys differ only in case"),
    Rule("bib-entry-type", "warning", "an entry type formatted like @misc"),
    Rule("bib-missing-field", "error", "a field the citation style needs is missing"),
    Rule("bib-malformed-doi", "error", "the doi field is not a DOI"),
    Rule("bib-malformed-url", "error", "the url field is not an http(s) address"),
    Rule("bib-malformed-pmid", "error", "a PubMed ID that is not digits"),
    Rule("bib-malformed-pmcid", "error", "a PubMed Central ID that is not PMC digits"),
    Rule("bib-malformed-date", "error", "urldate is not YYYY-MM-DD"),
    Rule("bib-year", "warning", "the year is not four digits"),
    Rule("bib-name", "error", "an author or editor name cannot be read"),
    Rule("bib-empty", "warning", "a .bib file without entries"),
    Rule("bib-string-undefined", "warning", "an undefined @string macro"),
    Rule("bib-crossref", "warning", "a crossref whose fields are not copied"),
    Rule("bib-latex-undecoded", "warning", "LaTeX in a printed field that cannot be turned into text"),
    Rule(
        "bib-field-ignored",
        "warning",
        "a field no reference style prints and Casebook does not knowingly leave out (once per file)",
        CHECK_ONLY,
        "reference managers export many such fields; they must not fail the site, so the build logs a note",
    ),
    Rule(
        "bib-journal-not-abbreviated",
        "warning",
        "a journal written out where AMA and Vancouver cite its NLM abbreviation",
        CHECK_ONLY,
        "the name is still printed as written, so the site must not fail; the build logs a note",
    ),
    Rule(
        "bib-uncited",
        "warning",
        "a BibTeX entry no page cites",
        CHECK_ONLY,
        "a .bib file shared with other projects must not fail the site; the build logs it as a note",
    ),
    # citations
    Rule("cite-unknown-key", "error", "a citation names no BibTeX entry"),
    Rule("spoiler-reference", "error", "a reference listed before the answer names the diagnosis"),
    # links
    Rule("link-missing", "error", "a link to a page or file that is not in the site"),
    Rule("link-absolute", "error", "a link that starts with /"),
    Rule("anchor-missing", "error", "a link to an #anchor the target page does not have"),
    Rule("link-unsafe", "error", "a link with a scheme other than http(s) or mailto"),
    Rule("html-unsafe", "error", "raw HTML that runs script"),
    # the rendered output
    Rule(
        "output-unsafe",
        "error",
        "the published page has HTML that runs script or an unsafe URL",
        BUILD_ONLY,
        "it is judged on the rendered HTML with an HTML5 parser; casebook check reports the source forms it "
        "recognises as html-unsafe and link-unsafe",
    ),
    Rule(
        "output-spoiler",
        "error",
        "the published page or search index names the diagnosis outside the answer",
        BUILD_ONLY,
        "it is judged on the rendered page (text, head, attributes, comments, URLs) and on the "
        "search index; casebook check reports what it finds in the sources as spoiler",
    ),
    Rule(
        "output-marker",
        "error",
        "a casebook: marker survived into the published HTML",
        BUILD_ONLY,
        "it is judged on the rendered HTML, which only the build produces",
    ),
    Rule(
        "output-image-metadata",
        "error",
        "a published image still carries metadata",
        BUILD_ONLY,
        "it is judged on the image files the build writes, read back from the site folder",
    ),
    # online
    Rule("doi-malformed", "error", "a DOI the handle API cannot look up", CHECK_ONLY, _ONLINE),
    Rule("doi-unregistered", "error", "a DOI that is not registered", CHECK_ONLY, _ONLINE),
    Rule("doi-unverified", "warning", "a DOI that could not be verified", CHECK_ONLY, _ONLINE),
    Rule("url-broken", "error", "an external link that is gone", CHECK_ONLY, _ONLINE),
    Rule("url-redirect", "warning", "an external link that moved permanently", CHECK_ONLY, _ONLINE),
    Rule("url-unverified", "warning", "an external link that could not be verified", CHECK_ONLY, _ONLINE),
    Rule("online-cache", "warning", "the link cache could not be read or written", CHECK_ONLY, _ONLINE),
    # Casebook itself
    Rule("internal-error", "error", "Casebook failed on a file (a bug); the other checks still ran"),
)


def runs_in(finding: Finding, front_end: FrontEnd) -> bool:
    """Whether `front_end` reports `finding` (unknown rules are reported everywhere, so none is lost)."""
    rule = RULES.get(finding.rule)
    return rule is None or front_end in rule.front_ends


def for_front_end(findings: list[Finding], front_end: FrontEnd) -> list[Finding]:
    return [f for f in findings if runs_in(f, front_end)]
