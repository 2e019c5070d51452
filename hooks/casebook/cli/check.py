"""`casebook check` (and `make check`): every rule, offline, in seconds, without a build.

It reads the site's mkdocs.yml the way MkDocs does (`casebook.mkdocs.config.
settings_from_mkdocs_yml`), so a site with its own folders checks the right
files, loads the same project model the plugin loads, and runs the same rules
(`casebook.checks.run`). It reports everything at once, one line per finding
(`path:line:col: level: message [rule]`), for editors, CI annotations
(`--format github`) and tools (`--format json`).

Exit status: 0 no errors, 1 errors (or warnings with `--strict`), 2 usage error.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from casebook.checks import cache as check_cache
from casebook.findings import Finding, format_findings

PROG = "casebook check"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=PROG,
        description="Check cases, BibTeX, citations, links and spoilers without building the site. "
        "Prints one line per finding (path:line:col: level: message [rule]) and a summary; "
        "exits 1 if there is an error. Rules: docs/checks.md.",
    )
    p.add_argument("--root", type=Path, default=Path("."), help="project folder (default: the current folder)")
    p.add_argument(
        "-f",
        "--config-file",
        type=Path,
        metavar="FILE",
        help="the site's MkDocs config, whose casebook plugin settings say which folders to check "
        "(default: mkdocs.yml in the project folder)",
    )
    p.add_argument(
        "--format",
        choices=("text", "github", "json"),
        default="text",
        help="text (default), github (GitHub Actions annotations) or json",
    )
    p.add_argument("--strict", action="store_true", help="warnings fail the check too (exit 1)")
    online = p.add_argument_group("online checks (off by default)")
    online.add_argument(
        "--online",
        action="store_true",
        help="also check that DOIs are registered (doi.org handle API) and external links work",
    )
    online.add_argument(
        "--max-cache-age",
        default="7d",
        metavar="AGE",
        help="re-check cached results older than this: seconds or 30m, 12h, 7d, 2w (default 7d; "
        "0 re-checks everything)",
    )
    online.add_argument(
        "--doi-api-base",
        metavar="URL",
        help="DOI handle API (default: $CASEBOOK_DOI_API_BASE or https://doi.org/api/handles/)",
    )
    online.add_argument(
        "--cache",
        type=Path,
        metavar="FILE",
        help="link cache file (default: links.json in the plugin's online cache_dir, .cache/plugin/casebook/)",
    )
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write a cache: the results of an unchanged project "
        "(.cache/plugin/casebook/check-results.json) or, with --online, the link cache",
    )
    online.add_argument(
        "--timeout", type=float, metavar="SECONDS", help="per request (default: the plugin's online timeout, 10)"
    )
    online.add_argument(
        "--retries",
        type=int,
        metavar="N",
        help="extra attempts after a transient failure (default: the plugin's online retries, 2)",
    )
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """`casebook check ...`: returns the exit status (0 clean, 1 errors, 2 usage)."""
    parser = build_parser()
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return int(exc.code or 0)
    root = args.root
    if not root.is_dir():
        print(f"{PROG}: error: --root {root} is not a folder", file=sys.stderr)
        return 2
    config_file = args.config_file or root / "mkdocs.yml"
    if args.config_file is None and not any((root / n).exists() for n in ("mkdocs.yml", "cases", "bib", "docs")):
        print(
            f"{PROG}: error: {root.resolve()} is not a Casebook project (no mkdocs.yml, cases/, bib/ or docs/); "
            "run it in the project folder or pass --root",
            file=sys.stderr,
        )
        return 2
    started = time.monotonic()
    use_cache = not args.no_cache and not args.online
    if use_cache and (hit := check_cache.lookup(root.resolve(), config_file)) is not None:
        return _print(args, hit.findings, hit.summary, hit.errors, hit.warnings, started)
    # Imported only now: a cache hit needs neither MkDocs nor the project model.
    from casebook.checks.registry import for_front_end
    from casebook.checks.run import OnlineOptions, check_project
    from casebook.mkdocs.config import SettingsError, settings_from_mkdocs_yml

    try:
        settings = settings_from_mkdocs_yml(config_file, root.resolve(), required=args.config_file is not None)
    except SettingsError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    options = None
    if args.online:
        from casebook.checks.online import DEFAULT_DOI_API_BASE, DOI_API_ENV, parse_duration

        try:
            max_age = parse_duration(args.max_cache_age)
        except ValueError as exc:
            print(f"{PROG}: error: --max-cache-age: {exc}", file=sys.stderr)
            return 2
        base = args.doi_api_base or os.environ.get(DOI_API_ENV) or DEFAULT_DOI_API_BASE
        if not re.match(r"^https?://", base):
            print(f"{PROG}: error: --doi-api-base must be an http(s) URL, not {base!r}", file=sys.stderr)
            return 2
        cache = None if args.no_cache else (args.cache or settings.root / settings.online.cache_dir / "links.json")
        timeout = args.timeout if args.timeout is not None else settings.online.timeout
        retries = args.retries if args.retries is not None else settings.online.retries
        options = OnlineOptions(
            max_cache_age=max_age,
            doi_api_base=base,
            cache_path=cache,
            timeout=timeout,
            retries=max(0, retries),
            per_host=max(1, settings.online.per_host),
        )
    prepared = check_cache.prepare(settings, config_file, root.resolve()) if use_cache else None
    if prepared is not None and (hit := prepared.cached()) is not None:
        return _print(args, hit.findings, hit.summary, hit.errors, hit.warnings, started)
    try:
        report = check_project(settings, online=options)
        report.findings = for_front_end(report.findings, "check")
    except Exception as exc:  # last resort: still one line, never a traceback
        print(f"{PROG}: internal error: {type(exc).__name__}: {exc}; please report it", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    if prepared is not None:
        check_cache.store(prepared, check_cache.CachedReport(report.findings, report.summary_line()))
    return _print(args, report.findings, report.summary_line(), report.errors, report.warnings, started)


def _print(
    args: argparse.Namespace, findings: list[Finding], summary: str, errors: int, warnings: int, started: float
) -> int:
    """The findings, the summary line and the exit status: the same for a fresh and a cached result."""
    elapsed = time.monotonic() - started
    output = format_findings(findings, args.format)
    if output:
        print(output)
    line = f"{summary} ({elapsed:.1f} s)"
    print(line, file=sys.stderr if args.format == "json" else sys.stdout)
    failed = errors > 0 or (args.strict and warnings > 0)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
