"""Run one `mkdocs` command in-process and report what the benchmark needs.

Used by benchmarks/run.py as `python buildrun.py --json OUT -- build ...`, with
whichever virtualenv's Python the variant needs (the project's .venv, or the
benchmark's own venv for mkdocs-bibtex). Only the standard library, MkDocs and
(optionally) pyinstrument are imported, so it works in both.

It reports:
- `events`: wall time spent inside each plugin's / hook's event handlers,
  keyed by the plugin name MkDocs knows them by (a perf_counter pair per
  handler call, so the overhead is negligible);
- `maxrss_kb`: this process's own peak resident set size;
- with `--profile FILE`: a pyinstrument session (sampling, 1 ms), and for each
  `--attr NAME=SUBSTR[,SUBSTR...]` the *inclusive* time of samples whose call
  stack contains a frame from a file whose path contains one of the substrings.
  Inclusive attribution counts everything the citation code calls (regex,
  string building, the BibTeX parser), so it compares two citation engines
  fairly whatever they are built from (hooks, plugins or Markdown extensions).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections import defaultdict


def _patch_events(totals: dict[str, float], counts: dict[str, int]) -> None:
    from mkdocs.plugins import PluginCollection

    def run_event(self, name, item=None, **kwargs):  # mirrors mkdocs 1.6 PluginCollection.run_event
        pass_item = item is not None
        for method in self.events[name]:
            origin = self._event_origins.get(method, "<unknown>")
            self._current_plugin = origin
            start = time.perf_counter()
            result = method(item, **kwargs) if pass_item else method(**kwargs)
            key = f"{origin}:{name}"
            totals[key] += time.perf_counter() - start
            counts[key] += 1
            if result is not None:
                item = result
        self._current_plugin = None
        return item

    PluginCollection.run_event = run_event  # type: ignore[method-assign]


def _attribute(session, groups: dict[str, list[str]]) -> dict[str, float]:
    out = {name: 0.0 for name in groups}
    for stack, seconds in session.frame_records:
        files = [frame.split("\x00")[1] if "\x00" in frame else "" for frame in stack]
        for name, subs in groups.items():
            if any(sub in f for f in files for sub in subs):
                out[name] += seconds
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", required=True, help="where to write the report")
    parser.add_argument("--profile", help="write a pyinstrument session here (.pyisession)")
    parser.add_argument("--profile-text", help="write pyinstrument's text report here")
    parser.add_argument("--attr", action="append", default=[], help="NAME=SUBSTR[,SUBSTR]")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="-- then mkdocs arguments")
    opts = parser.parse_args(argv)
    args = opts.args[1:] if opts.args[:1] == ["--"] else opts.args
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

    totals: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    _patch_events(totals, counts)
    from mkdocs.__main__ import cli

    profiler = None
    if opts.profile or opts.profile_text or opts.attr:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.001)
        profiler.start()
    start = time.perf_counter()
    code = 0
    try:
        cli.main(args=args, prog_name="mkdocs", standalone_mode=False)
    except SystemExit as exc:  # click may still exit on usage errors
        code = exc.code if isinstance(exc.code, int) else 1
    except Exception as exc:  # report, do not hide: the harness prints stderr
        print(f"buildrun: {type(exc).__name__}: {exc}", file=sys.stderr)
        code = 1
    inner = time.perf_counter() - start
    report: dict = {"exit": code, "inner_seconds": inner, "events": dict(totals), "event_calls": dict(counts)}
    if profiler is not None:
        session = profiler.stop()
        if opts.profile:
            session.save(opts.profile)
        if opts.profile_text:
            from pyinstrument.renderers import ConsoleRenderer

            text = ConsoleRenderer(unicode=False, color=False, show_all=False, short_mode=True).render(session)
            with open(opts.profile_text, "w", encoding="utf-8") as fh:
                fh.write(text)
        groups = {}
        for spec in opts.attr:
            name, _, subs = spec.partition("=")
            groups[name] = [s for s in subs.split(",") if s]
        report["profile_seconds"] = session.duration
        report["attributed_seconds"] = _attribute(session, groups)
    report["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with open(opts.json, "w", encoding="utf-8") as fh:
        json.dump(report, fh, indent=1)
    return code


if __name__ == "__main__":
    sys.exit(main())
