"""`casebook cite`: add references to the bibliography by DOI (or PMID), never by hand.

Metadata comes from doi.org content negotiation: CSL-JSON first (structured,
so the entry is written the same way whatever the publisher), BibTeX as a
fallback. PMIDs are looked up in NCBI E-utilities and then fetched by their
DOI when they have one. Each entry gets a stable `firstauthorYEARword` key.

The bibliography is the author's file: every identifier is fetched and checked
before anything is written, and the file is replaced atomically (temporary
file in the same folder, then rename), so a failed run leaves it byte for byte
as it was.
"""

from __future__ import annotations

import html
import http.client
import json
import os
import re
import socket
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casebook import __version__
from casebook.references.bibtex import KEY_RE, RAW_FIELDS, parse_bib_text
from casebook.references.doi import DOI_FORM, doi_key, doi_path, normalize_doi
from casebook.errors import CasebookError
from casebook.findings import relative
from casebook.authoring.scaffold import fold_ascii

DEFAULT_DOI_BASE = "https://doi.org"
DEFAULT_EUTILS_BASE = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
DOI_BASE_ENV = "CASEBOOK_DOI_BASE"
EUTILS_BASE_ENV = "CASEBOOK_EUTILS_BASE"
DEFAULT_BIB = Path("bib/references.bib")
DEFAULT_TIMEOUT = 20.0
CSL_JSON = "application/vnd.citationstyles.csl+json"
BIBTEX = "application/x-bibtex"
MAX_RESPONSE_BYTES = 2_000_000

_PMID_RE = re.compile(r"^(?:pmid:?\s*)?(\d{1,9})$", re.I)
# Problems in the target .bib that would hide a duplicate: refuse to append until they are fixed.
_BLOCKING_RULES = frozenset({"bib-syntax", "bib-duplicate-key", "bib-duplicate-field"})
# Field order of every entry Casebook writes, so diffs of the .bib stay small.
FIELD_ORDER = ("author", "editor", "title", "journal", "booktitle", "publisher", "school", "institution",
               "year", "volume", "number", "pages", "doi", "pmid")
_CSL_TYPES = {
    "article-journal": "article", "article": "article", "review": "article", "journal-article": "article",
    "book": "book", "monograph": "book", "chapter": "incollection", "book-chapter": "incollection",
    "paper-conference": "inproceedings", "proceedings-article": "inproceedings",
    "report": "techreport", "thesis": "phdthesis", "dissertation": "phdthesis",
}
_CONTAINER_FIELD = {"article": "journal", "incollection": "booktitle", "inproceedings": "booktitle"}
_STOPWORDS = frozenset(
    "a an the and or of on in at to for from with by as is are be its into about over under "
    "vs versus part".split())


@dataclass(frozen=True)
class Sources:
    """Where metadata comes from; tests point these at a server on 127.0.0.1."""

    doi_base: str = DEFAULT_DOI_BASE
    eutils_base: str = DEFAULT_EUTILS_BASE
    timeout: float = DEFAULT_TIMEOUT

    @classmethod
    def from_env(cls, doi_base: str | None = None, eutils_base: str | None = None,
                 timeout: float | None = None) -> "Sources":
        """Command-line flags win over environment variables, which win over the defaults."""
        return cls(
            doi_base=(doi_base or os.environ.get(DOI_BASE_ENV) or DEFAULT_DOI_BASE).rstrip("/"),
            eutils_base=(eutils_base or os.environ.get(EUTILS_BASE_ENV) or DEFAULT_EUTILS_BASE).rstrip("/"),
            timeout=DEFAULT_TIMEOUT if timeout is None else timeout,
        )


@dataclass
class Reference:
    """One BibTeX entry as Casebook writes it."""

    entry_type: str
    fields: dict[str, str]
    key: str = ""
    notes: list[str] = field(default_factory=list)  # what the author should know (e.g. a renamed key)

    @property
    def doi(self) -> str | None:
        return self.fields.get("doi")

    def bibtex(self) -> str:
        """The entry, fields in FIELD_ORDER, every value in braces."""
        lines = [f"@{self.entry_type}{{{self.key},"]
        for name in FIELD_ORDER:
            if value := self.fields.get(name):
                lines.append(f"  {name} = {{{value if name in RAW_FIELDS else latex_escape(value)}}},")
        lines.append("}")
        return "\n".join(lines) + "\n"

    def describe(self) -> str:
        """`Reiter et al. 2011, "Calcinosis cutis…"` for the author's terminal."""
        names = self.fields.get("author") or self.fields.get("editor") or ""
        first = _first_family(names) or "Anonymous"
        more = " et al." if " and " in names else ""
        year = self.fields.get("year", "n.d.")
        return f'{first}{more} {year}, "{self.fields.get("title", "untitled")}"'


@dataclass
class Identifier:
    kind: str  # "doi" | "pmid"
    value: str

    def __str__(self) -> str:
        return self.value if self.kind == "doi" else f"PMID {self.value}"


def parse_identifier(text: str) -> Identifier:
    """A DOI in any pasted form, or a PMID (`12345678`, `pmid:12345678`)."""
    if m := _PMID_RE.match(text.strip()):
        return Identifier("pmid", str(int(m.group(1))))
    doi = normalize_doi(text)
    if doi is None:
        raise CasebookError(f"{text.strip()!r} is not a DOI: expected {DOI_FORM}, or a PubMed ID (digits only)")
    return Identifier("doi", doi)


# --------------------------------------------------------------------------- fetching


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).netloc or url


def _get(url: str, accept: str, sources: Sources, what: str) -> bytes:
    """GET `url`; HTTP errors propagate as HTTPError, everything else becomes a CasebookError."""
    request = urllib.request.Request(url, headers={
        "Accept": accept, "User-Agent": f"casebook/{__version__} (reference import for a teaching site)"})
    host = _host(url)
    try:
        with urllib.request.urlopen(request, timeout=sources.timeout) as response:
            body = response.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError:
        raise
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise CasebookError(f"{host} did not answer within {sources.timeout:g} s for {what}; "
                                "try again later") from None
        raise CasebookError(f"cannot reach {host} for {what} ({reason}); "
                            "check the internet connection") from None
    except (TimeoutError, socket.timeout):
        raise CasebookError(f"{host} did not answer within {sources.timeout:g} s for {what}; "
                            "try again later") from None
    except (OSError, http.client.HTTPException) as exc:
        raise CasebookError(f"the connection to {host} failed for {what} ({exc!r}); try again later") from None
    if len(body) > MAX_RESPONSE_BYTES:
        raise CasebookError(f"{host} sent an unexpectedly large answer for {what}; nothing was written")
    return body


def _http_error(exc: urllib.error.HTTPError, host: str, ident: Identifier) -> CasebookError:
    if exc.code == 404:
        if ident.kind == "doi":
            return CasebookError(f"DOI {ident.value} is not registered at {host} (HTTP 404); "
                                 "check it for typos against the article page")
        return CasebookError(f"PMID {ident.value} was not found at {host} (HTTP 404)")
    if exc.code == 429:
        return CasebookError(f"{host} is limiting requests (HTTP 429) for {ident}; wait a minute and try again")
    if exc.code >= 500:
        return CasebookError(f"{host} answered with a server error (HTTP {exc.code}) for {ident}; "
                             "try again later")
    return CasebookError(f"{host} refused the request for {ident} (HTTP {exc.code} {exc.reason})")


def fetch_doi(doi: str, sources: Sources) -> Reference:
    """Metadata for `doi`: CSL-JSON if the registration agency offers it, else its BibTeX."""
    ident = Identifier("doi", doi)
    url = f"{sources.doi_base}/{doi_path(doi)}"
    host = _host(url)
    try:
        body = _get(url, CSL_JSON, sources, f"DOI {doi}")
        reference = reference_from_csl(json.loads(body.decode("utf-8")))
    except urllib.error.HTTPError as exc:
        if exc.code in (404, 429) or exc.code >= 500:
            raise _http_error(exc, host, ident) from None
        reference = None  # e.g. 406: this agency has no CSL-JSON; ask for BibTeX
    except (ValueError, UnicodeDecodeError, TypeError, AttributeError):
        reference = None  # not CSL-JSON after all (e.g. a landing page)
    if reference is None:
        try:
            body = _get(url, BIBTEX, sources, f"DOI {doi}")
            reference = reference_from_bibtex(body.decode("utf-8", errors="replace"))
        except urllib.error.HTTPError as exc:
            if exc.code not in (406, 415):  # 406/415: no BibTeX either, said below
                raise _http_error(exc, host, ident) from None
    if reference is None:
        raise CasebookError(f"{host} has no citation metadata for DOI {doi} (neither CSL-JSON nor BibTeX); "
                            "add this reference to the .bib file by hand")
    reference.fields["doi"] = doi  # the DOI asked for, whatever form the agency echoes
    return reference


def fetch_pubmed_summary(pmid: str, sources: Sources) -> tuple[dict[str, Any], str | None]:
    """PubMed's esummary record of `pmid` and the DOI it lists, if any."""
    ident = Identifier("pmid", pmid)
    query = urllib.parse.urlencode({"db": "pubmed", "id": pmid, "retmode": "json"})
    url = f"{sources.eutils_base}/esummary.fcgi?{query}"
    not_found = CasebookError(f"PMID {pmid} was not found in PubMed ({_host(url)}); check the number")
    try:
        body = _get(url, "application/json", sources, f"PMID {pmid}")
    except urllib.error.HTTPError as exc:
        raise _http_error(exc, _host(url), ident) from None
    try:
        record = json.loads(body.decode("utf-8"))["result"][pmid]
    except (ValueError, UnicodeDecodeError, KeyError, TypeError):
        raise not_found from None
    if not isinstance(record, dict) or record.get("error") or not record.get("title"):
        raise not_found
    doi = next((normalize_doi(str(a.get("value", ""))) for a in record.get("articleids", [])
                if isinstance(a, dict) and a.get("idtype") == "doi"), None)
    return record, doi


# --------------------------------------------------------------------------- normalising


def clean(value: Any) -> str:
    """Plain one-line text: no JATS/HTML markup, entities decoded, no braces or backslashes."""
    if isinstance(value, list):
        value = value[0] if value else ""
    text = html.unescape(re.sub(r"<[^>]+>", "", str(value)))
    text = text.replace("{", "").replace("}", "").replace("\\", "")
    return " ".join(text.split())


def latex_escape(text: str) -> str:
    """Escape what LaTeX would misread (`50%` would start a comment), so the file works in LaTeX too.

    Casebook's own reader (bibtex.decode_latex) turns these back into the plain characters.
    """
    return re.sub(r"[&%$#_]", lambda m: "\\" + m.group(), text).replace("~", "{\\textasciitilde}")


def _pages(value: Any) -> str:
    return re.sub(r"\s*[-\u2010-\u2015\u2212]+\s*", "--", clean(value))


def _name(family: str, given: str = "", suffix: str = "", corporate: bool = False) -> str | None:
    """One BibTeX name, `Family, Suffix, Given`; organisations in braces so they stay whole."""
    family, given, suffix = clean(family), clean(given), clean(suffix)
    if not family:
        return None
    if corporate or " and " in f" {family} ":
        return "{" + family + "}"
    return ", ".join([family] + ([suffix] if suffix else []) + ([given] if given else []))


def _csl_name(person: Any) -> str | None:
    if not isinstance(person, dict):
        return None
    if person.get("literal") or person.get("name"):
        return _name(str(person.get("literal") or person.get("name")), corporate=True)
    return _name(" ".join(str(person.get(p, "")) for p in ("non-dropping-particle", "family")),
                 " ".join(str(person.get(p, "")) for p in ("given", "dropping-particle")),
                 str(person.get("suffix", "")))


def _csl_year(data: dict[str, Any]) -> str:
    for name in ("issued", "published-print", "published-online", "created"):
        try:
            year = data[name]["date-parts"][0][0]
        except (KeyError, IndexError, TypeError):
            continue
        if year:
            return str(int(year))
    return ""


def reference_from_csl(data: Any) -> Reference | None:
    """A Reference from one CSL-JSON item (as doi.org returns it), or None if it is not one."""
    if isinstance(data, list):
        data = data[0] if data else None
    if not isinstance(data, dict) or not data.get("title"):
        return None
    entry_type = _CSL_TYPES.get(str(data.get("type", "")), "misc")
    fields: dict[str, str] = {}
    for role in ("author", "editor"):
        names = [n for n in (_csl_name(p) for p in data.get(role) or []) if n]
        if names:
            fields[role] = " and ".join(names)
    fields["title"] = clean(data["title"]).rstrip(".")
    container = clean(data.get("container-title", ""))
    if container:
        fields[_CONTAINER_FIELD.get(entry_type, "journal" if entry_type == "misc" else "booktitle")] = container
    publisher = clean(data.get("publisher", ""))
    if publisher and entry_type not in ("article",):
        fields["school" if entry_type == "phdthesis" else "institution" if entry_type == "techreport"
               else "publisher"] = publisher
    fields["year"] = _csl_year(data)
    fields["volume"] = clean(data.get("volume", ""))
    fields["number"] = clean(data.get("issue", ""))
    fields["pages"] = _pages(data.get("page", ""))
    fields["doi"] = normalize_doi(clean(data.get("DOI", ""))) or ""
    return Reference(entry_type, {k: v for k, v in fields.items() if v})


def reference_from_bibtex(text: str) -> Reference | None:
    """A Reference from the first entry of a BibTeX answer, read by the site's own BibTeX reader."""
    if "@" not in text:
        return None
    entries, _, _ = parse_bib_text(text, "BibTeX from the DOI resolver")
    if not entries or not entries[0].get("title"):
        return None
    entry = entries[0]
    fields = {name: clean(entry.get(name)) for name in FIELD_ORDER if entry.get(name)}
    for role, people in (("author", entry.authors), ("editor", entry.editors)):
        names = [n for n in (_name(p.family, p.given, p.suffix, p.corporate) for p in people) if n]
        fields[role] = " and ".join(names)
    fields["title"] = fields["title"].rstrip(".")
    fields["pages"] = _pages(fields.get("pages", ""))
    fields["doi"] = entry.doi or ""
    fields["pmid"] = entry.pmid or ""
    return Reference(entry.entry_type, {k: v for k, v in fields.items() if v})


def reference_from_esummary(record: dict[str, Any]) -> Reference:
    """A Reference from a PubMed esummary record (used when PubMed has no DOI for it)."""
    names = []
    for author in record.get("authors") or []:
        name = clean(author.get("name", "")) if isinstance(author, dict) else ""
        if not name:
            continue
        family, _, initials = name.rpartition(" ")
        names.append((_name(family, initials) if family and initials.isupper() else _name(name, corporate=True))
                     or name)
    fields = {
        "author": " and ".join(names),
        "title": clean(record.get("title", "")).rstrip("."),
        "journal": clean(record.get("fulljournalname") or record.get("source") or ""),
        "year": (re.match(r"\d{4}", clean(record.get("pubdate", ""))) or [""])[0],
        "volume": clean(record.get("volume", "")),
        "number": clean(record.get("issue", "")),
        "pages": _pages(record.get("pages", "")),
    }
    return Reference("article", {k: v for k, v in fields.items() if v})


def _ascii_word(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold_ascii(text).lower())


def _first_family(names: str) -> str:
    first = re.split(r"\s+and\s+", names.strip(), maxsplit=1)[0].strip()
    if first.startswith("{") and first.endswith("}"):
        return first.strip("{}").split()[0] if first.strip("{}").split() else ""
    if "," in first:
        return first.split(",", 1)[0].strip()
    return first.split()[-1] if first.split() else ""


def base_key(reference: Reference) -> str:
    """`firstauthorYEARword`: ASCII, lower case, first significant word of the title."""
    names = reference.fields.get("author") or reference.fields.get("editor") or ""
    family = _ascii_word(_first_family(names)) or "anon"
    year = reference.fields.get("year", "") or "nd"
    words = [_ascii_word(w) for w in re.split(r"[\s\-\u2010-\u2015/]+", reference.fields.get("title", ""))]
    word = next((w for w in words if w and w not in _STOPWORDS), "")
    if family[0].isdigit():
        family = "ref" + family
    return f"{family}{year}{word}"


# --------------------------------------------------------------------------- the bibliography


@dataclass
class Bibliography:
    """Keys and DOIs already used by the site's .bib files (the target and its neighbours)."""

    keys: dict[str, str] = field(default_factory=dict)  # lower-case key -> "file"
    dois: dict[str, tuple[str, str]] = field(default_factory=dict)  # doi_key -> (key, file)
    pmids: dict[str, tuple[str, str]] = field(default_factory=dict)


def read_bibliography(target: Path, shown: str) -> tuple[bytes, Bibliography]:
    """The target's exact bytes, plus the keys and DOIs of every .bib file next to it.

    Parsed by the same reader as the build (bibtex.parse_bib_text), so "already
    there" means what the citation engine will see.
    """
    original = target.read_bytes() if target.exists() else b""
    bib = Bibliography()
    files = sorted({target, *target.parent.glob("*.bib")})
    for path in files:
        label = shown if path == target else relative(path, Path.cwd())
        try:
            text = (original if path == target else path.read_bytes()).decode("utf-8-sig")
        except UnicodeDecodeError:
            if path == target:
                raise CasebookError(f"{shown} is not UTF-8 text; save it as UTF-8 and try again") from None
            continue
        references, broken, findings = parse_bib_text(text, label)
        blocking = [f for f in findings if f.is_error and f.rule in _BLOCKING_RULES]
        if path == target and blocking:
            first = blocking[0]
            raise CasebookError(f"{first.path}:{first.line}: {first.message}. Fix it before adding references "
                                "(so duplicates can be found); nothing was written")
        for key in [r.key for r in references] + list(broken):
            bib.keys.setdefault(key.lower(), label)
        for ref in references:
            if ref.doi:
                bib.dois.setdefault(doi_key(ref.doi), (ref.key, label))
            if ref.pmid:
                bib.pmids.setdefault(ref.pmid.strip(), (ref.key, label))
    return original, bib


def check_requested_key(requested: str, bib: Bibliography) -> None:
    """Refuse a --key that cannot be cited or that a .bib file already uses (keys are compared ignoring case)."""
    if not KEY_RE.match(requested):
        raise CasebookError(f"--key {requested!r} cannot be cited as [@{requested}]: use letters, digits "
                            "and : . / + - _ (starting and ending with a letter or digit)")
    if requested.lower() in bib.keys:
        raise CasebookError(f"the key {requested!r} is already used in {bib.keys[requested.lower()]}; "
                            "choose another --key. Nothing was written")


def assign_key(reference: Reference, bib: Bibliography, requested: str | None = None) -> None:
    """Give `reference` a key no .bib file uses yet; refuse a requested key that is taken."""
    if requested is not None:
        check_requested_key(requested, bib)
        reference.key = requested
        return
    base = base_key(reference)
    key = base
    for suffix in "bcdefghijklmnopqrstuvwxyz":
        if key.lower() not in bib.keys:
            break
        key = base + suffix
    else:
        raise CasebookError(f"too many references already use the key {base!r}; pass --key")
    if key != base:
        reference.notes.append(f"the key {base} is already used by another reference "
                               f"(in {bib.keys[base.lower()]}), so this one is {key}")
    reference.key = key


def add_references(identifiers: list[str], bib_path: Path, sources: Sources,
                   key: str | None = None, dry_run: bool = False) -> list[Reference]:
    """Fetch every identifier, check all of them, then append them to `bib_path` in one atomic write."""
    if not identifiers:
        raise CasebookError("give at least one DOI (or PubMed ID) to cite")
    if key is not None and len(identifiers) != 1:
        raise CasebookError("--key names one reference; give exactly one DOI with it")
    parsed = [parse_identifier(text) for text in identifiers]  # every syntax error before any request
    seen: set[tuple[str, str]] = set()
    for ident in parsed:
        marker = (ident.kind, ident.value.lower())
        if marker in seen:
            raise CasebookError(f"{ident} is given twice; nothing was written")
        seen.add(marker)
    shown = relative(bib_path, Path.cwd())
    if not bib_path.parent.is_dir():
        raise CasebookError(f"the folder of {shown} does not exist; check --bib")
    target = bib_path.resolve()
    original, bib = read_bibliography(target, shown)
    for ident in parsed:  # refuse known duplicates before asking the network
        _refuse_duplicate(ident, bib)
    if key is not None:  # a taken or unusable --key, too
        check_requested_key(key, bib)

    references = []
    for ident in parsed:
        if ident.kind == "doi":
            reference = fetch_doi(ident.value, sources)
        else:  # by DOI when PubMed knows it (fuller metadata), else from PubMed's summary
            record, doi = fetch_pubmed_summary(ident.value, sources)
            if doi:
                _refuse_duplicate(Identifier("doi", doi), bib)
            reference = fetch_doi(doi, sources) if doi else reference_from_esummary(record)
            reference.fields["pmid"] = ident.value
        assign_key(reference, bib, key)
        bib.keys[reference.key.lower()] = shown
        if reference.doi:
            bib.dois[doi_key(reference.doi)] = (reference.key, shown)
        references.append(reference)
    if not dry_run:
        _append_atomically(target, original, [r.bibtex() for r in references], shown)
    return references


def _refuse_duplicate(ident: Identifier, bib: Bibliography) -> None:
    known = bib.dois.get(doi_key(ident.value)) if ident.kind == "doi" else bib.pmids.get(ident.value)
    if known:
        key, where = known
        raise CasebookError(f"{ident} is already in {where} as [@{key}]; cite it with that key. "
                            "Nothing was written")


def _append_atomically(target: Path, original: bytes, entries: list[str], shown: str) -> None:
    """Write original + entries to a temporary file beside `target`, then rename it over `target`."""
    newline = "\r\n" if b"\r\n" in original else "\n"
    addition = ""
    if original and not original.endswith(b"\n"):
        addition += newline
    if original.strip():
        addition += newline
    addition += newline.join(entry.replace("\n", newline) for entry in entries)
    data = original + addition.encode("utf-8")
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if target.exists():
            os.chmod(temp, target.stat().st_mode & 0o7777)
            if target.read_bytes() != original:
                raise CasebookError(f"{shown} changed while the references were being fetched; "
                                    "run the command again. Nothing was written")
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise CasebookError(f"cannot write {shown}: {exc.strerror or exc}; nothing was written") from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
