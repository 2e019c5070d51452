"""`add_references`: the whole `casebook cite` run, all or nothing.

Every identifier is parsed, checked against the bibliography (already
there? key taken?) and fetched before anything is written; one failure, and
the .bib file is left exactly as it was.
"""

from __future__ import annotations

from pathlib import Path

from casebook.authoring.cite.bibfile import Bibliography, append_entries, read_bibliography
from casebook.authoring.cite.convert import reference_from_esummary
from casebook.authoring.cite.entry import NewEntry
from casebook.authoring.cite.fetch import Sources, fetch_doi, fetch_pubmed_summary
from casebook.authoring.cite.identifiers import Identifier, parse_identifier
from casebook.authoring.cite.keys import assign_key, check_requested_key
from casebook.errors import CasebookError
from casebook.findings import relative
from casebook.references.doi import doi_key

__all__ = ["add_references"]


def add_references(
    identifiers: list[str], bib_path: Path, sources: Sources, key: str | None = None, dry_run: bool = False
) -> list[NewEntry]:
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
    if bib_path.suffix.lower() != ".bib" or bib_path.resolve().suffix.lower() != ".bib":
        # A typo such as `--bib cases/x/index.md` would append BibTeX into a case.
        raise CasebookError(f"{shown} is not a .bib file; --bib names the BibTeX file to add to (bib/references.bib)")
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
        append_entries(target, original, [r.bibtex() for r in references], shown)
    return references


def _refuse_duplicate(ident: Identifier, bib: Bibliography) -> None:
    """Stop with the existing key when the bibliography already has this DOI or PMID."""
    known = bib.dois.get(doi_key(ident.value)) if ident.kind == "doi" else bib.pmids.get(ident.value)
    if known:
        key, where = known
        raise CasebookError(f"{ident} is already in {where} as [@{key}]; cite it with that key. Nothing was written")
