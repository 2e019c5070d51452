"""The `casebook` command line (also `python -m casebook`).

Subcommands are thin: they parse arguments, call the engine, and turn a
CasebookError into one line on stderr. Exit codes: 0 success, 1 errors or
findings, 2 usage errors (argparse's own convention).

Adding a subcommand:
- built in here: write `_add_<name>(subparsers)` that sets `run=` and list it
  in `_BUILTIN`;
- in its own module (like `check`): add it to `_MODULES`. The module exposes
  `main(argv: list[str]) -> int` and parses its own arguments; it is imported
  only when that subcommand runs, and the CLI works while it does not exist yet.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from casebook import __version__
from casebook.errors import CasebookError

PROG = "casebook"

# Subcommands that live in their own module: name -> (module, one-line help).
_MODULES: dict[str, tuple[str, str]] = {
    "check": ("casebook.cli.check", "check cases and bibliography without building the site"),
}


def _add_new(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "new",
        help="scaffold a new case in cases/<slug>/index.md",
        description="Create cases/<slug>/index.md with every field and a commented skeleton. "
        "Never overwrites: an existing folder is an error.",
    )
    p.add_argument("title", help='spoiler-free title, in quotes: "Infant with a nodule on the heel"')
    p.add_argument("--slug", help="folder name (default: made from the title)")
    p.add_argument("--cases-dir", type=Path, default=Path("cases"), help="cases folder (default: cases)")
    p.set_defaults(run=_run_new)


def _run_new(args: argparse.Namespace) -> int:
    from casebook.authoring.scaffold import new_case

    path = new_case(args.cases_dir, args.title, slug=args.slug)
    print(f"created {path.as_posix()}: replace every TODO, add figures next to it, then build the site")
    return 0


def _add_cite(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from casebook.authoring.cite import DEFAULT_BIB, DEFAULT_TIMEOUT, DOI_BASE_ENV, EUTILS_BASE_ENV

    p = subparsers.add_parser(
        "cite",
        help="add references to the bibliography by DOI (or PubMed ID)",
        description="Fetch each reference's metadata by DOI (doi.org content negotiation) or PMID "
        "(NCBI E-utilities) and append a normalised BibTeX entry. All or nothing: "
        "on any error the .bib file is left exactly as it was.",
    )
    p.add_argument("ids", nargs="+", metavar="DOI", help="DOI (10.NNNN/..., doi:..., https://doi.org/...) or PubMed ID")
    p.add_argument("--bib", type=Path, default=DEFAULT_BIB, help=f"BibTeX file to append to (default: {DEFAULT_BIB})")
    p.add_argument("--key", help="citation key to use instead of the automatic firstauthorYEARword")
    p.add_argument("--dry-run", action="store_true", help="print the entries, write nothing")
    p.add_argument("--doi-base", help=f"DOI resolver URL (default: ${DOI_BASE_ENV} or https://doi.org)")
    p.add_argument("--eutils-base", help=f"NCBI E-utilities URL (default: ${EUTILS_BASE_ENV} or NCBI's)")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds to wait for an answer")
    p.set_defaults(run=_run_cite)


def _run_cite(args: argparse.Namespace) -> int:
    from casebook.authoring.cite import Sources, add_references

    sources = Sources.from_env(args.doi_base, args.eutils_base, args.timeout)
    references = add_references(args.ids, args.bib, sources, key=args.key, dry_run=args.dry_run)
    for reference in references:
        if args.dry_run:
            print(reference.bibtex())
        for note in reference.notes:
            print(f"note: {note}")
        verb = "would add" if args.dry_run else "added"
        print(f"{verb} [@{reference.key}] {reference.describe()} to {args.bib.as_posix()}")
    return 0


_BUILTIN: tuple[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None], ...] = (_add_new, _add_cite)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="Casebook: write and publish medical teaching cases.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add in _BUILTIN:
        add(subparsers)
    for name, (module, help_text) in _MODULES.items():
        if _module_exists(module):  # listed in --help; run through _run_module
            subparsers.add_parser(name, help=help_text, add_help=False)
    return parser


def _module_exists(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ImportError:
        return False


def _run_module(name: str, argv: list[str]) -> int:
    module_name, _ = _MODULES[name]
    if not _module_exists(module_name):
        print(f"{PROG}: error: '{name}' is not available in this version of Casebook", file=sys.stderr)
        return 2
    module = importlib.import_module(module_name)
    return int(module.main(argv) or 0)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `casebook` console script; returns the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    command = args_list[0] if args_list else None
    try:
        if command in _MODULES:
            return _run_module(command, args_list[1:])
        parser = build_parser()
        args = parser.parse_args(args_list)
        if args.command is None:
            parser.print_help(sys.stderr)
            return 2
        return int(args.run(args))
    except CasebookError as exc:
        print(f"{PROG} {command}: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # e.g. a permission problem on a file the author named
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"{PROG} {command}: error: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; nothing was written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
