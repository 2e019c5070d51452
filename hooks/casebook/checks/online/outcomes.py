"""What a check found out (`Outcome`), and the words of the finding it becomes.

The finding is made from the outcome, not from the HTTP exchange, so an
answer read from the cache is reported with exactly the same words as a
fresh one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from casebook.checks.online.targets import Target
from casebook.findings import Finding

__all__ = ["CACHEABLE", "Outcome", "Status", "findings_for"]

Status = Literal["ok", "broken", "redirect", "unverified", "malformed"]
#: Definitive verdicts: worth keeping in the cache until they age.
CACHEABLE: frozenset[str] = frozenset({"ok", "broken", "redirect"})


@dataclass(frozen=True)
class Outcome:
    """What one check found out; cached when definitive."""

    status: Status
    detail: str = ""
    location: str = ""  # new address of a permanently moved link
    keep: bool = True  # False: a verdict we show but do not trust enough to cache

    @property
    def cacheable(self) -> bool:
        """Whether the next run may reuse this verdict instead of asking again."""
        return self.keep and self.status in CACHEABLE

    def to_json(self, checked: float) -> dict[str, Any]:
        """The cache entry: the verdict and when it was `checked` (seconds since the epoch)."""
        entry: dict[str, Any] = {"status": self.status, "checked": checked, "detail": self.detail}
        if self.location:
            entry["location"] = self.location
        return entry


def findings_for(target: Target, outcome: Outcome) -> list[Finding]:
    """The finding for one occurrence: same words whether fresh or from the cache."""
    where = f" ({target.context})" if target.context else ""
    path, line, col = target.path, target.line, target.col
    if target.kind == "doi" or target.key.startswith("doi:"):
        doi = target.doi
        if outcome.status == "broken":
            return [
                Finding.error(
                    path,
                    line,
                    "doi-unregistered",
                    f"DOI {doi}{where} is not registered at doi.org ({outcome.detail}); "
                    "check it for typos against the article, or remove it",
                    col,
                )
            ]
        if outcome.status == "malformed":
            return [
                Finding.error(
                    path, line, "doi-malformed", f"'{doi}'{where} is not a DOI; write it as {outcome.detail}", col
                )
            ]
        if outcome.status == "unverified":
            return [
                Finding.warning(
                    path,
                    line,
                    "doi-unverified",
                    f"could not verify DOI {doi}{where} at doi.org ({outcome.detail}); "
                    "run the online check again later",
                    col,
                )
            ]
        return []
    url = target.value
    if outcome.status == "broken":
        return [
            Finding.error(
                path, line, "url-broken", f"link {url}{where} is broken ({outcome.detail}); fix or remove it", col
            )
        ]
    if outcome.status == "malformed":
        return [
            Finding.error(
                path, line, "url-broken", f"link {url}{where} is not a valid URL ({outcome.detail}); fix it", col
            )
        ]
    if outcome.status == "redirect":
        return [
            Finding.warning(
                path,
                line,
                "url-redirect",
                f"link {url}{where} has moved permanently to {outcome.location} ({outcome.detail}); update the link",
                col,
            )
        ]
    if outcome.status == "unverified":
        return [
            Finding.warning(
                path,
                line,
                "url-unverified",
                f"could not verify link {url}{where} ({outcome.detail}); check it by hand in a browser",
                col,
            )
        ]
    return []
