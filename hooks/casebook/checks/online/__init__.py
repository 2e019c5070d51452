"""Online checks (`casebook check --online`): are the DOIs registered, do the links work?

Projects that publish references usually give up on checking DOIs in CI,
because resolving a DOI ends at a publisher's page and publishers answer bots
with 403/429.  Casebook asks where a DOI is *registered* instead: the DOI
handle API (`https://doi.org/api/handles/<doi>`, `responseCode` 1 = found,
100 = not found, HTTP 404 when not found).  No publisher is involved, so a
DOI either is registered or is not, and the answer can be cached.

External URLs get HEAD (then GET when HEAD is refused), retries with backoff,
a per-host concurrency limit and timeouts.  A host that refuses bots
(403/429) makes the link *unverified* (a warning), never *broken* (an error):
the build must not fail because a web site dislikes CI.  Permanent redirects
are reported with their new location, so authors can update the link.

Definitive answers (registered / not found / gone / moved permanently) go into
a small JSON cache with the time they were checked, so repeated CI runs do not
ask again until `max_cache_age` has passed.  Transient answers (429,
timeouts, 5xx) are never cached.

Only the standard library is used (urllib, a thread pool, one semaphore per
host): see docs/checks-online.md for why not lychee.

One concern per module:

- `targets`: the DOIs and links written in the project's files (no network).
- `settings`: defaults of a run, and `parse_duration` for `--max-cache-age`.
- `exchange`: one HTTP request as a `Reply` (through casebook.net.http).
- `checker`: how one DOI or URL is judged: retries, redirects, per-host limits.
- `outcomes`: the verdict of a check, and the words of its finding.
- `cache`: the JSON link cache.
- `runner`: `check_online` and `run_online`, which tie the above together.

This package re-exports the names callers use, so they import from
`casebook.checks.online` and the layout inside can change.
"""

from __future__ import annotations

from casebook.checks.online.cache import CACHE_VERSION, DEFAULT_CACHE_PATH, default_cache_path
from casebook.checks.online.cache import load_cache as _load_cache  # noqa: F401 (tests and docs tests)
from casebook.checks.online.exchange import classify_error as _classify_error  # noqa: F401 (tests)
from casebook.checks.online.runner import check_online, run_online
from casebook.checks.online.runner import interleave_hosts as _interleave_hosts  # noqa: F401 (tests)
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
from casebook.checks.online.targets import (
    Target,
    collect_targets_from_bib,
    collect_targets_from_text,
    doi_from_url,
)
from casebook.net.http import USER_AGENT

__all__ = [
    "CACHE_VERSION",
    "DEFAULT_BACKOFF",
    "DEFAULT_CACHE_PATH",
    "DEFAULT_DOI_API_BASE",
    "DEFAULT_MAX_CACHE_AGE",
    "DEFAULT_MAX_RETRY_AFTER",
    "DEFAULT_PER_HOST",
    "DEFAULT_RETRIES",
    "DEFAULT_TIMEOUT",
    "DEFAULT_TOTAL_WORKERS",
    "DOI_API_ENV",
    "USER_AGENT",
    "Target",
    "check_online",
    "collect_targets_from_bib",
    "collect_targets_from_text",
    "default_cache_path",
    "doi_from_url",
    "parse_duration",
    "run_online",
]
