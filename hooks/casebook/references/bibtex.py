"""Read `bib/*.bib` into validated references, reporting every problem with file and line.

bibtexparser 2 never raises on bad input: syntax errors, duplicate keys and
duplicate fields become `failed_blocks` that are easy to lose. This module
turns each of them (and every check of our own: required fields, DOI, URL,
dates) into a `Finding`, and decodes LaTeX for display itself so that
`url`/`doi` stay raw (LaTeX decoding cuts a URL at its first `%`) and braced
corporate authors (`{World Health Organization}`) stay whole.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import functools
import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
from bibtexparser import model as bm
from bibtexparser.library import Library as _BpLibrary
from bibtexparser.middlewares import RemoveEnclosingMiddleware
from bibtexparser.middlewares.names import (
    InvalidNameError,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from casebook.references.doi import DOI_FORM, normalize_doi
from casebook.findings import Finding, relative
from casebook.text.frontmatter import read_source

#: What a citation key may look like; `[@key]` in Markdown uses the same pattern.
KEY_PATTERN = r"[^\W_](?:[\w:./+-]*\w)?"
KEY_RE = re.compile(rf"^{KEY_PATTERN}$")

#: Fields kept exactly as written (decoding LaTeX would mangle them).
RAW_FIELDS = frozenset({"url", "doi", "pmid", "pmcid", "eprint", "file", "isbn", "issn"})
NAME_FIELDS = ("author", "editor")

#: Field groups each entry type needs (any one field of a group will do), after BibTeX's own rules.
_YEAR = ("year", "date")
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "article": (("author",), ("title",), ("journal", "journaltitle", "shortjournal"), _YEAR),
    "book": (("author", "editor"), ("title",), ("publisher",), _YEAR),
    "incollection": (("author",), ("title",), ("booktitle",), ("publisher",), _YEAR),
    "inbook": (("author", "editor"), ("title",), ("publisher",), _YEAR),
    "inproceedings": (("author",), ("title",), ("booktitle",), _YEAR),
    "phdthesis": (("author",), ("title",), ("school", "institution"), _YEAR),
    "mastersthesis": (("author",), ("title",), ("school", "institution"), _YEAR),
    "thesis": (("author",), ("title",), ("school", "institution"), _YEAR),
    "techreport": (("author",), ("title",), ("institution",), _YEAR),
    "misc": (("title",),),
    "online": (("title",), ("url",), ("urldate",)),
}
#: Other spellings of the types above.
TYPE_ALIASES = {
    "conference": "inproceedings",
    "report": "techreport",
    "electronic": "online",
    "webpage": "online",
    "www": "online",
}

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_PMID_RE = re.compile(r"^\d{1,9}$")
_PMCID_RE = re.compile(r"^PMC\d+$")
_URLDATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_YEAR_RE = re.compile(r"^(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?")
_BLOCK_KEY_RE = re.compile(r"@\s*\w+\s*[{(]\s*([^,\s{}()=]+)\s*,")
_UNESCAPED_PERCENT_RE = re.compile(r"(?<!\\)%")
_URL_MACRO_RE = re.compile(r"\\url\{([^{}]*)\}")
_WS_RE = re.compile(r"\s+")
_NEEDS_DECODING_RE = re.compile(r"[\\{}$~]|--|``|''")
# Letters, digits, spaces, dashes, plain punctuation: pylatexenc would only turn -- and --- into dashes.
_PLAIN_DASHES_RE = re.compile(r"[A-Za-z0-9 .,:;()/+\-]*")


@dataclass(frozen=True)
class Person:
    """One author or editor, decoded for display."""

    family: str  # "de la Fontaine" (von part + last name)
    given: str = ""  # "Jean-Paul"
    suffix: str = ""  # "Jr", "III"
    corporate: bool = False  # a braced group such as {World Health Organization}

    @property
    def initials(self) -> str:
        """AMA initials: "Jean-Paul" -> "J-P", "W. D." -> "WD", already-initials "SU" -> "SU"."""
        return initials(self.given)


@dataclass(frozen=True)
class Reference:
    """One BibTeX entry, validated; display fields are decoded, link fields are raw."""

    key: str
    entry_type: str  # lower-case, aliases resolved (`conference` -> `inproceedings`)
    path: str
    line: int
    authors: tuple[Person, ...] = ()
    authors_truncated: bool = False  # the list ended with "and others"
    editors: tuple[Person, ...] = ()
    editors_truncated: bool = False
    fields: tuple[tuple[str, str], ...] = ()  # decoded display fields, lower-case names
    doi: str | None = None  # bare `10.NNNN/...`, validated
    url: str | None = None  # http(s) only, validated, as written
    pmid: str | None = None
    pmcid: str | None = None
    field_lines: tuple[tuple[str, int], ...] = ()  # lower-case field name -> line, for findings

    def line_of(self, name: str) -> int:
        """The line where field `name` is written (the entry's line if unknown)."""
        return next((line for key, line in self.field_lines if key == name), self.line)

    def get(self, name: str, default: str = "") -> str:
        for key, value in self.fields:
            if key == name:
                return value
        return default

    def first(self, *names: str) -> str:
        """The first non-empty field among `names` (e.g. journal, journaltitle)."""
        for name in names:
            if value := self.get(name):
                return value
        return ""

    @property
    def year(self) -> str:
        if year := self.get("year"):
            return year
        m = _YEAR_RE.match(self.get("date"))
        return m.group(1) if m else ""


@dataclass
class Library(Mapping[str, Reference]):
    """Every usable reference by key, plus the keys of blocks that failed to parse."""

    references: dict[str, Reference] = field(default_factory=dict)
    broken: dict[str, tuple[str, int]] = field(default_factory=dict)  # key -> (path, line) of a failed block
    paths: tuple[str, ...] = ()

    def __getitem__(self, key: str) -> Reference:
        return self.references[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.references)

    def __len__(self) -> int:
        return len(self.references)

    def unknown_key_message(self, key: str) -> str:
        """What to tell an author who cited `key`: why it is unknown and what to do."""
        if key in self.broken:
            path, line = self.broken[key]
            return (f"citation [@{key}]: the BibTeX entry '{key}' at {path}:{line} could not be read; "
                    "fix the error reported there")
        hint = ""
        folded = {k.lower(): k for k in self.references}
        if key.lower() in folded:
            hint = f"; keys are case-sensitive, did you mean '{folded[key.lower()]}'?"
        else:
            import difflib

            close = difflib.get_close_matches(key, list(self.references), n=1, cutoff=0.75)
            if close:
                hint = f"; did you mean '{close[0]}'?"
        where = ", ".join(self.paths) if self.paths else "bib/*.bib"
        return f"citation [@{key}]: no BibTeX entry has this key (looked in {where}){hint}"


def load_library(paths: list[Path], root: Path | None = None) -> tuple[Library, list[Finding]]:
    """Parse every .bib file once; later duplicates of a key are reported, the first one wins."""
    library = Library(paths=tuple(relative(p, root) for p in paths))
    findings: list[Finding] = []
    seen_folded: dict[str, Reference] = {}
    for path in paths:
        shown = relative(path, root)
        text, read_findings = read_source(path)
        findings += [dataclasses.replace(f, path=shown) for f in read_findings]
        if text is None:
            continue
        refs, broken, file_findings = _parse_bib_text_cached(text, shown)
        findings += file_findings
        for key, where in broken.items():
            library.broken.setdefault(key, where)
        for ref in refs:
            if ref.key in library.references:
                first = library.references[ref.key]
                findings.append(Finding.error(
                    shown, ref.line, "bib-duplicate-key",
                    f"duplicate BibTeX key '{ref.key}': already defined at {first.path}:{first.line}; "
                    "rename one of them or delete the copy"))
                continue
            folded = seen_folded.get(ref.key.lower())
            if folded is not None:
                findings.append(Finding.warning(
                    shown, ref.line, "bib-key-case",
                    f"BibTeX key '{ref.key}' differs only in upper/lower case from '{folded.key}' at "
                    f"{folded.path}:{folded.line}; BibTeX tools treat them as the same key, rename one"))
            seen_folded.setdefault(ref.key.lower(), ref)
            library.references[ref.key] = ref
    return library, findings


def _parse_bib_text_cached(text: str, path: str
                           ) -> tuple[list[Reference], dict[str, tuple[str, int]], list[Finding]]:
    """parse_bib_text, memoised on the exact text: several hooks (and serve rebuilds) load the same .bib."""
    refs, broken, findings = _parse_bib_text_memo(text, path)
    return list(refs), dict(broken), list(findings)


@functools.lru_cache(maxsize=16)
def _parse_bib_text_memo(text: str, path: str
                         ) -> tuple[tuple[Reference, ...], tuple[tuple[str, tuple[str, int]], ...], tuple[Finding, ...]]:
    refs, broken, findings = parse_bib_text(text, path)
    return tuple(refs), tuple(broken.items()), tuple(findings)


def _repeated_field_line(entry: bm.Entry, names: set[str]) -> int | None:
    """The 1-based line of the first repeated field, where the author has to look."""
    seen: set[str] = set()
    for f in entry.fields:
        if f.key in names and f.key in seen and f.start_line is not None:
            return f.start_line + 1
        seen.add(f.key)
    return None


def parse_bib_text(text: str, path: str) -> tuple[list[Reference], dict[str, tuple[str, int]], list[Finding]]:
    """Parse one file's text: its references, keys of failed blocks, and findings."""
    refs: list[Reference] = []
    broken: dict[str, tuple[str, int]] = {}
    findings: list[Finding] = []
    try:
        with _quiet_bibtexparser():
            parsed = bibtexparser.parse_string(text)
    except Exception as exc:  # bibtexparser raises only on its own internal errors; still never a traceback
        return refs, broken, [Finding.error(
            path, 1, "bib-syntax",
            f"bibtexparser could not read this file ({type(exc).__name__}: {exc}); look for unbalanced "
            "braces or quotes, or split the file to find the entry that causes it")]
    for block in parsed.blocks:
        line = _line(block)
        if isinstance(block, bm.DuplicateBlockKeyBlock):
            previous = _line(block.previous_block)
            findings.append(Finding.error(
                path, line, "bib-duplicate-key",
                f"duplicate BibTeX key '{block.key}': already defined on line {previous} of this file; "
                "rename one of them or delete the copy"))
        elif isinstance(block, bm.DuplicateFieldKeyBlock):
            entry = block.ignore_error_block
            assert isinstance(entry, bm.Entry)
            names = ", ".join(sorted(block.duplicate_keys))
            findings.append(Finding.error(
                path, _repeated_field_line(entry, block.duplicate_keys) or line, "bib-duplicate-field",
                f"entry '{entry.key}' sets {names} more than once; keep one (the first one is used)"))
            unenclosed = RemoveEnclosingMiddleware().transform(_BpLibrary([entry])).entries
            if unenclosed:
                ref, ref_findings = _reference(unenclosed[0], path)
                findings += ref_findings
                if ref is not None:
                    refs.append(ref)
        elif isinstance(block, bm.ParsingFailedBlock):
            raw = block.raw or ""
            key_match = _BLOCK_KEY_RE.match(raw.lstrip())
            what = f"entry '{key_match.group(1)}'" if key_match else "this block"
            if key_match:
                broken.setdefault(key_match.group(1), (path, line))
            reason = getattr(block.error, "abort_reason", "") or str(block.error) or "syntax error"
            end = getattr(block.error, "end_index", None)
            stop = ""
            if isinstance(end, int):
                stop_line = text.count("\n", 0, max(end, 0)) + 1
                if stop_line != line:
                    stop = f" (noticed on line {stop_line})"
            findings.append(Finding.error(
                path, line, "bib-syntax",
                f"BibTeX syntax error in {what}{stop}: {reason.strip()}; the entry is skipped until it is fixed"))
        elif isinstance(block, bm.Entry):
            ref, ref_findings = _reference(block, path)
            findings += ref_findings
            if ref is not None:
                refs.append(ref)
    return refs, broken, findings


def _line(block: bm.Block) -> int:
    """bibtexparser counts lines from 0; editors and Findings from 1."""
    return (block.start_line or 0) + 1


@contextlib.contextmanager
def _quiet_bibtexparser() -> Iterator[None]:
    """bibtexparser logs each syntax error itself; we report them as Findings instead."""
    logger = logging.getLogger("bibtexparser")
    old = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(old)


def _reference(entry: bm.Entry, path: str) -> tuple[Reference | None, list[Finding]]:
    """Validate and decode one entry; problems become findings, usable parts are kept."""
    findings: list[Finding] = []
    line = _line(entry)
    key = entry.key.strip()
    if not key:
        return None, [Finding.error(path, line, "bib-syntax", "entry has no key; write @type{key, ...}")]
    if not KEY_RE.match(key):
        findings.append(Finding.warning(
            path, line, "bib-key-form",
            f"key '{key}' cannot be cited as [@{key}]: use letters, digits and : . / + - _ "
            "(starting and ending with a letter or digit)"))
    raw_type = entry.entry_type.strip().lower()
    entry_type = TYPE_ALIASES.get(raw_type, raw_type)
    if entry_type not in REQUIRED:
        findings.append(Finding.warning(
            path, line, "bib-entry-type",
            f"entry '{key}' has type @{raw_type}, which Casebook formats like @misc; use one of "
            f"{', '.join('@' + t for t in sorted(REQUIRED))}"))
        entry_type = "misc"

    values: dict[str, str] = {}
    lines: dict[str, int] = {}
    for f in entry.fields:
        name = f.key.strip().lower()
        if name in values:  # duplicate field (reported by the caller): the first one wins
            continue
        value = f.value if isinstance(f.value, str) else str(f.value)
        values[name] = value
        lines[name] = (f.start_line or entry.start_line or 0) + 1

    decoded: dict[str, str] = {}
    for name, value in values.items():
        if name in RAW_FIELDS or name in NAME_FIELDS:
            continue
        text = decode_latex(value)
        if name == "pages":
            text = re.sub(r"\s*[–—-]+\s*", "-", text)
        if name == "month":
            text = month_name(text) or text
        if text:
            decoded[name] = text

    people: dict[str, tuple[tuple[Person, ...], bool]] = {}
    for name in NAME_FIELDS:
        if name in values:
            persons, truncated, name_findings = parse_names(values[name], path, lines[name], key, name)
            findings += name_findings
            people[name] = (persons, truncated)

    doi = None
    if "doi" in values and values["doi"].strip():
        doi = normalize_doi(_unescape_raw(values["doi"]))
        if doi is None:
            findings.append(Finding.error(
                path, lines["doi"], "bib-malformed-doi",
                f"entry '{key}': '{values['doi'].strip()}' is not a DOI; write it as {DOI_FORM}"))
    url = None
    raw_url = values.get("url", "").strip()
    if not raw_url:
        # `howpublished = {\url{...}}` is the classic BibTeX way to give a web address.
        m = _URL_MACRO_RE.search(values.get("howpublished", ""))
        if m:
            raw_url = m.group(1).strip()
            lines["url"] = lines["howpublished"]
            decoded.pop("howpublished", None)
    if raw_url:
        url = _unescape_raw(raw_url)
        if not is_web_url(url):
            findings.append(Finding.error(
                path, lines.get("url", line), "bib-malformed-url",
                f"entry '{key}': url '{raw_url}' is not a web address; only http:// and https:// links are "
                "shown (write the full address, without spaces)"))
            url = None
    pmid = values.get("pmid", "").strip() or None
    if pmid is not None and not _PMID_RE.match(pmid):
        findings.append(Finding.error(
            path, lines["pmid"], "bib-malformed-pmid",
            f"entry '{key}': PMID '{pmid}' must be the PubMed number only, digits (e.g. pmid = {{12345678}})"))
        pmid = None
    pmcid = values.get("pmcid", "").strip().upper() or None
    if pmcid is not None and not _PMCID_RE.match(pmcid):
        findings.append(Finding.error(
            path, lines["pmcid"], "bib-malformed-pmcid",
            f"entry '{key}': PMCID '{pmcid}' must look like PMC1234567"))
        pmcid = None
    if "urldate" in decoded and parse_iso_date(decoded["urldate"]) is None:
        findings.append(Finding.error(
            path, lines["urldate"], "bib-malformed-date",
            f"entry '{key}': urldate '{decoded['urldate']}' must be a date written YYYY-MM-DD "
            "(the day you last opened the page)"))
        decoded.pop("urldate")
    if "year" in decoded and not re.fullmatch(r"\d{4}[a-z]?", decoded["year"]):
        findings.append(Finding.warning(
            path, lines["year"], "bib-year",
            f"entry '{key}': year '{decoded['year']}' is not a four-digit year; it is shown as written"))

    present = set(decoded) | {n for n in ("author", "editor") if people.get(n, ((), False))[0]}
    if url:
        present.add("url")
    groups = list(REQUIRED[entry_type])
    if entry_type == "misc" and url:
        groups.append(("urldate",))  # a web page: AMA needs the date it was accessed
    for group in groups:
        if not present.intersection(group):
            wanted = " or ".join(f"'{g}'" for g in group)
            findings.append(Finding.error(
                path, line, "bib-missing-field",
                f"@{raw_type}{{{key}}} needs {wanted} for an AMA reference; add "
                f"{group[0]} = {{...}} to the entry" + (" (the date you accessed the page, YYYY-MM-DD)"
                                                        if group == ("urldate",) else "")))

    authors, authors_truncated = people.get("author", ((), False))
    editors, editors_truncated = people.get("editor", ((), False))
    ref = Reference(
        key=key, entry_type=entry_type, path=path, line=line,
        authors=authors, authors_truncated=authors_truncated,
        editors=editors, editors_truncated=editors_truncated,
        fields=tuple(decoded.items()), doi=doi, url=url, pmid=pmid, pmcid=pmcid,
        field_lines=tuple(lines.items()),
    )
    return ref, findings


def parse_names(value: str, path: str, line: int, key: str, field_name: str
                ) -> tuple[tuple[Person, ...], bool, list[Finding]]:
    """Split `A and B and others` into people; braced groups stay whole (corporate authors)."""
    findings: list[Finding] = []
    persons: list[Person] = []
    truncated = False
    for raw in split_multiple_persons_names(value):
        raw = raw.strip()
        if raw.lower() == "others":
            truncated = True
            continue
        if raw.startswith("{") and raw.endswith("}") and _balanced_group(raw):
            persons.append(Person(family=decode_latex(raw), corporate=True))
            continue
        try:
            parts = parse_single_name_into_parts(raw, strict=True)
        except InvalidNameError as exc:
            findings.append(Finding.error(
                path, line, "bib-name",
                f"entry '{key}': cannot read the {field_name} name '{raw}' ({exc.reason}); write each name as "
                "'Last, First' and separate names with ' and '"))
            parts = parse_single_name_into_parts(raw, strict=False)
        family = decode_latex(" ".join(parts.von + parts.last))
        given = decode_latex(" ".join(parts.first))
        suffix = decode_latex(" ".join(parts.jr)).replace(".", "")
        if not family:
            family, given = given, ""
        persons.append(Person(family=family, given=given, suffix=suffix))
    return tuple(persons), truncated, findings


def _balanced_group(text: str) -> bool:
    """True if `text` is one `{...}` group (not `{A} and {B}` or `{Van} Gogh`)."""
    depth = 0
    for i, ch in enumerate(text):
        if ch == "{" and (i == 0 or text[i - 1] != "\\"):
            depth += 1
        elif ch == "}" and text[i - 1] != "\\":
            depth -= 1
            if depth == 0 and i != len(text) - 1:
                return False
    return depth == 0


def initials(given: str) -> str:
    """AMA initials without periods or spaces; hyphenated given names keep the hyphen (J-P)."""
    out = []
    for token in re.split(r"[\s.]+", given):
        if not token:
            continue
        letters = re.sub(r"[^\w-]", "", token)
        if 2 <= len(letters) <= 3 and letters.isalpha() and letters.isupper():
            out.append(letters)  # already initials, e.g. "WD" or "SU"
            continue
        pieces = [p for p in letters.split("-") if p]
        out.append("-".join(_initial(p) for p in pieces if _initial(p)))
    return "".join(out)


def _initial(word: str) -> str:
    for ch in word:
        if ch.isalpha():
            return ch.upper()
    return ""


_DECODER: LatexNodes2Text | None = None


def _decoder() -> LatexNodes2Text:
    global _DECODER
    if _DECODER is None:
        db = get_default_latex_context_db()
        db.add_context_category("casebook", prepend=True, macros=[MacroTextSpec("url", simplify_repl="%s")])
        _DECODER = LatexNodes2Text(latex_context=db, math_mode="text", strict_latex_spaces=False)
    return _DECODER


def decode_latex(value: str) -> str:
    """LaTeX -> Unicode for display ({\\"u} -> ü, -- -> en dash); a bare % is text, not a comment."""
    text = _UNESCAPED_PERCENT_RE.sub(r"\\%", value)
    if _PLAIN_DASHES_RE.fullmatch(text):  # e.g. `pages = {12--19}`: skip pylatexenc, same result
        text = text.replace("---", "\u2014").replace("--", "\u2013")
    elif _NEEDS_DECODING_RE.search(text):
        try:
            text = _decoder().latex_to_text(text)
        except Exception:  # pylatexenc is tolerant; never let one odd title stop the build
            text = value.replace("{", "").replace("}", "")
    text = text.replace("\u00a0", " ")
    return _WS_RE.sub(" ", text).strip()


def _unescape_raw(value: str) -> str:
    """Raw fields: only undo the escapes BibTeX exporters add (\\_ \\% \\& \\#), and braces."""
    value = re.sub(r"\\([_%&#$])", r"\1", value.strip())
    return value.replace("{", "").replace("}", "").strip()


def is_web_url(url: str) -> bool:
    from urllib.parse import urlsplit

    if any(ch.isspace() for ch in url) or any(ch in url for ch in '"<>'):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.netloc)


def month_name(value: str) -> str | None:
    """`jan`, `January`, `1` -> `January`; None if it is not a month."""
    v = value.strip().rstrip(".").lower()
    if v.isdigit() and 1 <= int(v) <= 12:
        return _MONTHS[int(v) - 1]
    for name in _MONTHS:
        if len(v) >= 3 and name.lower().startswith(v):
            return name
    return None


def parse_iso_date(value: str) -> _dt.date | None:
    m = _URLDATE_RE.match(value.strip())
    if not m:
        return None
    try:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
