"""The entry points: check every distinct target once, then report at every place it occurs.

`check_online` gives full control (the tests pass a fake clock and a local
server); `run_online` is what `casebook check --online` uses, with the
project's cache and the handle API from the environment.  Work is spread over
a thread pool, interleaved by host, and answers are merged with the cache.
"""

from __future__ import annotations

import os
import time
import urllib.parse
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from casebook.checks.online.cache import default_cache_path, fresh, load_cache, write_cache
from casebook.checks.online.checker import Checker
from casebook.checks.online.outcomes import Outcome, findings_for
from casebook.checks.online.settings import (
    DEFAULT_BACKOFF,
    DEFAULT_DOI_API_BASE,
    DEFAULT_MAX_CACHE_AGE,
    DEFAULT_MAX_RETRY_AFTER,
    DEFAULT_PER_HOST,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    DEFAULT_TOTAL_WORKERS,
    DOI_API_ENV,
    parse_duration,
)
from casebook.checks.online.targets import Target
from casebook.findings import Finding

__all__ = ["check_online", "interleave_hosts", "run_online"]


def check_online(
    targets: Iterable[Target],
    *,
    doi_api_base: str = DEFAULT_DOI_API_BASE,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    backoff: float = DEFAULT_BACKOFF,
    per_host: int = DEFAULT_PER_HOST,
    total_workers: int = DEFAULT_TOTAL_WORKERS,
    cache_path: Path | None = None,
    max_cache_age: float = DEFAULT_MAX_CACHE_AGE,
    max_retry_after: float = DEFAULT_MAX_RETRY_AFTER,
    now: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Finding]:
    """Check every distinct DOI and URL once; report a finding at each place it occurs.

    `retries` is the number of *extra* attempts after a transient failure
    (429, 408, 5xx, timeout, connection problems); waits follow `Retry-After`
    when the server sends one (up to `max_retry_after` seconds, else we give up
    at once, as asked) and `backoff * 2**n` otherwise.  At most `per_host`
    requests run against one host at a time, `total_workers` overall.
    """
    targets = list(targets)
    by_key: dict[str, Target] = {}
    for target in targets:
        by_key.setdefault(target.key, target)

    findings: list[Finding] = []
    problems: list[Finding] = []
    cache: dict[str, dict[str, Any]] = {}
    if cache_path is not None:
        cache, problems = load_cache(Path(cache_path))
        findings.extend(problems)
    start = now()
    cache = {key: entry for key, entry in cache.items() if fresh(entry, start, max_cache_age)}

    outcomes: dict[str, Outcome] = {}
    todo: list[tuple[str, Target]] = []
    for key, target in by_key.items():
        entry = cache.get(key)
        if entry is not None:
            outcomes[key] = Outcome(entry["status"], str(entry.get("detail", "")), str(entry.get("location", "")))
        else:
            todo.append((key, target))

    checker = Checker(
        doi_api_base=doi_api_base,
        timeout=timeout,
        retries=retries,
        backoff=backoff,
        per_host=per_host,
        max_retry_after=max_retry_after,
        now=now,
        sleep=sleep,
    )

    def run(target: Target) -> Outcome:
        if target.key.startswith("doi:"):
            return checker.check_doi(target.doi)
        return checker.check_url(target.value)

    if todo:
        todo = interleave_hosts(todo, doi_api_base)
        with ThreadPoolExecutor(max_workers=max(1, total_workers), thread_name_prefix="casebook-link") as pool:
            futures = {key: pool.submit(run, target) for key, target in todo}
            for key, future in futures.items():
                try:
                    outcomes[key] = future.result()
                except Exception as error:  # a bug here must not hide every other result
                    outcomes[key] = Outcome("unverified", f"internal error: {error!r}")

    if cache_path is not None:
        checked = now()
        for key, _target in todo:
            if outcomes[key].cacheable:
                cache[key] = outcomes[key].to_json(checked)
        if todo or problems:
            write_cache(Path(cache_path), cache)

    seen: set[Finding] = set()
    for target in targets:
        for finding in findings_for(target, outcomes[target.key]):
            if finding not in seen:
                seen.add(finding)
                findings.append(finding)
    return sorted(findings)


def interleave_hosts(todo: list[tuple[str, Target]], doi_api_base: str) -> list[tuple[str, Target]]:
    """Round-robin over hosts, so workers waiting on one busy host's slots do not starve the others."""
    api_host = urllib.parse.urlsplit(doi_api_base).netloc.lower()
    queues: dict[str, list[tuple[str, Target]]] = {}
    for key, target in todo:
        host = api_host if key.startswith("doi:") else urllib.parse.urlsplit(target.value).netloc.lower()
        queues.setdefault(host, []).append((key, target))
    ordered: list[tuple[str, Target]] = []
    for round_ in range(max(len(q) for q in queues.values())):
        ordered.extend(q[round_] for q in queues.values() if round_ < len(q))
    return ordered


def run_online(
    targets: Iterable[Target],
    root: str | Path,
    *,
    max_cache_age: float | str = DEFAULT_MAX_CACHE_AGE,
    use_cache: bool = True,
    doi_api_base: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    per_host: int = DEFAULT_PER_HOST,
) -> list[Finding]:
    """What `casebook check --online` calls: the defaults of a real run.

    Cache at `<root>/.cache/plugin/casebook/links.json`; the handle API from
    `doi_api_base`, else `$CASEBOOK_DOI_API_BASE`, else doi.org.  Raises
    ValueError for a bad `max_cache_age` string (a usage error for the CLI).
    """
    base = doi_api_base or os.environ.get(DOI_API_ENV) or DEFAULT_DOI_API_BASE
    return check_online(
        targets,
        doi_api_base=base,
        timeout=timeout,
        retries=retries,
        per_host=per_host,
        cache_path=default_cache_path(root) if use_cache else None,
        max_cache_age=parse_duration(max_cache_age),
    )
