"""Reader-side weight and Lighthouse scores of a synthetic photo site (issues 14 and 16).

Writes a small synthetic Casebook project (default `benchmarks/.work/reader/`): 50 cases
with two phone-sized synthetic JPEG photographs each (one with the question, one in the
answer) and two cases without figures. Everything in it is obviously synthetic
("Synthetic case 0042", lorem ipsum, DOIs under 10.5555, gradients with noise for photos).
It is built with `mkdocs build --strict`, served from 127.0.0.1 by a standard-library HTTP
server that gzips text responses, and then measured:

- with Playwright + Debian's Chromium: the bytes received on first view (no scroll) of
  the case index, a case page with two photos and a case page without figures, at
  390 x 844 (phone, device pixel ratio 3) and 1280 x 800 (desktop, ratio 1): images
  (encoded body bytes of image responses) and everything (encoded bytes on the wire);
- with Lighthouse 12 (mobile form factor, default simulated throttling, performance and
  accessibility) on the home page, the case index, both case pages, the bibliography and a
  browse page, each `--runs` times: score, total byte weight, LCP, CLS, TBT.

Lighthouse comes from npm, installed once into `benchmarks/.work/node/`:

    npm install --prefix benchmarks/.work/node lighthouse@12

Usage:

    .venv/bin/python benchmarks/reader.py            # generate, build, measure
    .venv/bin/python benchmarks/reader.py --reuse    # keep the generated project and its image cache

The Lighthouse reports are kept in `benchmarks/.work/reader/lighthouse/`, the summary in
`benchmarks/results/reader-<time>.json` (both git-ignored). Chromium is never downloaded:
Playwright and Lighthouse both run /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "tests"))
from generate import SYNTHETIC_NOTE, bib_text, casebook_markdown, make_case  # noqa: E402

from synthetic_images import gradient  # noqa: E402  (the tests' generator, shared on purpose)

DEFAULT_WORK = HERE / ".work" / "reader"
RESULTS = HERE / "results"
NODE = HERE / ".work" / "node"
LIGHTHOUSE = NODE / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu"]
MKDOCS = REPO / ".venv" / "bin" / "mkdocs"

PHOTO_CASES = 50
PLAIN_CASES = 2
PHOTO_SIZE = (4000, 3000)
BIB_ENTRIES = 200

#: Targets: issue 14 (photographs) and issue 16 (performance).
IMAGES_FIRST_VIEW_MAX = 1_000_000  # bytes of images on first view of the 50-photo case index
PHOTO_CASE_LIGHTHOUSE_MIN = 90
EVERY_PAGE_LIGHTHOUSE_MIN = 95
CASE_PAGE_GZIP_MAX = 100 * 1024

VIEWPORTS = {
    "phone 390x844 @3x": dict(
        viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True, has_touch=True
    ),
    "desktop 1280x800 @1x": dict(viewport={"width": 1280, "height": 800}, device_scale_factor=1),
}


def photo_slug(i: int) -> str:
    return f"synthetic-case-{i:04d}"


def plain_slug(i: int) -> str:
    return f"synthetic-case-{PHOTO_CASES + i:04d}"


# --------------------------------------------------------------------------- the synthetic project


def synthetic_photo(index: int, base: object) -> bytes:
    """A phone-sized JPEG (no metadata): the shared noisy gradient, shifted in colour per photo."""
    from PIL import Image

    assert isinstance(base, Image.Image)
    img = base.point(lambda v: (v + index * 7) % 256)
    if index % 2:
        img = img.transpose(Image.Transpose.ROTATE_180)
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def generate(work: Path) -> Path:
    """Write the synthetic project under `work/project`; return it."""
    project = work / "project"
    if project.exists():
        shutil.rmtree(project)
    (project / "docs" / "cases").mkdir(parents=True)
    (project / "bib").mkdir()
    config = {
        "INHERIT": str(REPO / "mkdocs.yml"),
        "site_name": f"Synthetic Casebook reader benchmark ({PHOTO_CASES} photo cases)",
        "nav": [{"Home": "index.md"}, {"Cases": "cases/index.md"}],
    }
    (project / "mkdocs.yml").write_text(f"# {SYNTHETIC_NOTE}\n" + yaml.safe_dump(config), encoding="utf-8")
    (project / "docs" / "index.md").write_text(
        f"# Synthetic reader benchmark\n\n{SYNTHETIC_NOTE}\n\nLorem ipsum dolor sit amet.\n\n"
        "<!-- casebook:latest-cases -->\n",
        encoding="utf-8",
    )
    (project / "docs" / "cases" / "index.md").write_text(
        f"# Cases\n\n{SYNTHETIC_NOTE}\n\n<!-- casebook:case-index -->\n", encoding="utf-8"
    )
    (project / "bib" / "synthetic.bib").write_text(bib_text(BIB_ENTRIES), encoding="utf-8")
    base = gradient(PHOTO_SIZE, noise=0.3, grain=16)
    for i in range(1, PHOTO_CASES + PLAIN_CASES + 1):
        case = make_case(i, seed=1, n_entries=BIB_ENTRIES)
        folder = project / "cases" / case.slug
        folder.mkdir(parents=True)
        if i <= PHOTO_CASES:
            for k, figure in enumerate(case.figures, start=1):
                figure["file"] = f"photo-{k}.jpg"
                figure["alt"] = f"Synthetic photograph {k} of synthetic case {i:04d}: a noisy colour gradient"
                figure["caption"] = f"Synthetic photograph {k} (generated noise) for case {i:04d}."
                (folder / figure["file"]).write_bytes(synthetic_photo(2 * i + k, base))
            case.front["consent"] = "not-identifiable"
        else:
            del case.front["figures"]
            case.figures = []
        (folder / "index.md").write_text(casebook_markdown(case), encoding="utf-8")
        print(f"\rgenerated case {i}/{PHOTO_CASES + PLAIN_CASES}", end="", flush=True)
    print()
    return project


def build(project: Path) -> float:
    start = time.perf_counter()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([str(MKDOCS), "build", "--strict", "-q", "-f", str(project / "mkdocs.yml")], check=True, env=env)
    return time.perf_counter() - start


# --------------------------------------------------------------------------- the HTTP server

GZIP_TYPES = ("text/html", "text/css", "text/javascript", "application/javascript", "application/json",
              "image/svg+xml", "application/xml", "text/xml", "text/plain")  # fmt: skip


class GzipHandler(SimpleHTTPRequestHandler):
    """Static files; text types gzipped (level 6, as nginx's and most hosts' default) when the client accepts it."""

    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".json": "application/json",
        ".svg": "image/svg+xml",
        ".webp": "image/webp",
        ".xml": "application/xml",
    }
    _cache: ClassVar[dict[str, bytes]] = {}

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's URL
            path = path / "index.html"
        if not path.is_file():
            return super().send_head()
        ctype = self.guess_type(str(path))
        data = path.read_bytes()
        encoding = None
        if ctype.split(";")[0] in GZIP_TYPES and "gzip" in self.headers.get("Accept-Encoding", ""):
            key = str(path)
            if key not in self._cache:
                self._cache[key] = gzip.compress(data, compresslevel=6, mtime=0)
            data, encoding = self._cache[key], "gzip"
        self.send_response(200)
        self.send_header("Content-Type", ctype + ("; charset=utf-8" if ctype.startswith("text/") else ""))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "public, max-age=600")
        self.end_headers()
        return io.BytesIO(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    handler = lambda *a, **k: GzipHandler(*a, directory=str(site), **k)  # noqa: E731
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# --------------------------------------------------------------------------- first view in Chromium


def first_view(pages: dict[str, str], base: str) -> list[dict]:
    """Bytes received by a fresh Chromium for each page and viewport, before any scroll."""
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_FLAGS)
        try:
            for label, path in pages.items():
                for view, options in VIEWPORTS.items():
                    context = browser.new_context(**options)  # a fresh context: empty cache
                    page = context.new_page()
                    cdp = context.new_cdp_session(page)
                    cdp.send("Network.enable")
                    types: dict[str, str] = {}
                    sizes: dict[str, int] = {}
                    urls: dict[str, str] = {}
                    cdp.on("Network.responseReceived", lambda e, types=types: types.update({e["requestId"]: e["type"]}))
                    cdp.on(
                        "Network.requestWillBeSent",
                        lambda e, urls=urls: urls.update({e["requestId"]: e["request"]["url"]}),
                    )
                    cdp.on(
                        "Network.loadingFinished",
                        lambda e, sizes=sizes: sizes.update({e["requestId"]: e["encodedDataLength"]}),
                    )
                    page.goto(base + path, wait_until="load")
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(500)
                    images = {r: n for r, n in sizes.items() if types.get(r) == "Image"}
                    by_type: dict[str, int] = {}
                    for r, n in sizes.items():
                        by_type[types.get(r, "Other")] = by_type.get(types.get(r, "Other"), 0) + n
                    rows.append(
                        {
                            "page": label,
                            "path": path,
                            "viewport": view,
                            "requests": len(sizes),
                            "image_requests": len(images),
                            "image_bytes": sum(images.values()),
                            "total_bytes": sum(sizes.values()),
                            "bytes_by_type": by_type,
                            "largest": sorted(
                                ((n, urls.get(r, "?").removeprefix(base)) for r, n in sizes.items()), reverse=True
                            )[:5],
                        }
                    )
                    context.close()
        finally:
            browser.close()
    return rows


# --------------------------------------------------------------------------- Lighthouse


def lighthouse(url: str, out: Path) -> dict:
    """One Lighthouse mobile run (default simulated throttling); the figures that matter from its report."""
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    load_before = Path("/proc/loadavg").read_text().split()[0]
    subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
         "--only-categories=performance,accessibility", "--form-factor=mobile",
         f"--chrome-flags={' '.join(CHROME_FLAGS)}"],
        check=True, env=env, timeout=300,
    )  # fmt: skip
    report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]

    def value(name: str) -> float | None:
        return audits.get(name, {}).get("numericValue")

    losing = sorted(
        (
            (ref["weight"] * (1 - (audits[ref["id"]].get("score") or 0)), ref["id"])
            for ref in report["categories"]["performance"]["auditRefs"]
            if ref["weight"] and ref["id"] in audits
        ),
        reverse=True,
    )
    return {
        "performance": round(100 * (report["categories"]["performance"]["score"] or 0)),
        "accessibility": round(100 * (report["categories"]["accessibility"]["score"] or 0)),
        "total_byte_weight": value("total-byte-weight"),
        "fcp_ms": value("first-contentful-paint"),
        "lcp_ms": value("largest-contentful-paint"),
        "speed_index_ms": value("speed-index"),
        "cls": value("cumulative-layout-shift"),
        "tbt_ms": value("total-blocking-time"),
        "losing_weight": [(round(w, 2), name) for w, name in losing if w > 0][:4],
        "loadavg_before": float(load_before),
        "report": str(out.relative_to(REPO)),
    }


def run_lighthouse(pages: dict[str, str], base: str, runs: int, out_dir: Path) -> dict[str, list[dict]]:
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: npm install --prefix {NODE.relative_to(REPO)} lighthouse@12")
    out_dir.mkdir(parents=True, exist_ok=True)
    results: dict[str, list[dict]] = {label: [] for label in pages}
    for run in range(1, runs + 1):  # round-robin, so a burst of load elsewhere spreads over the pages
        for label, path in pages.items():
            name = path.strip("/").replace("/", "_") or "home"
            result = lighthouse(base + path, out_dir / f"{name}.run{run}.json")
            results[label].append(result)
            print(f"  lighthouse {label:28} run {run}: performance {result['performance']:3}, "
                  f"LCP {result['lcp_ms']:.0f} ms, load {result['loadavg_before']}", flush=True)  # fmt: skip
    return results


# --------------------------------------------------------------------------- main


def summarise(views: list[dict], lh: dict[str, list[dict]]) -> tuple[list[str], list[tuple[str, str, str]]]:
    lines = ["", "First view in Chromium (no scroll; encoded bytes, gzip for text)", ""]
    lines.append(f"{'page':28} {'viewport':22} {'requests':>8} {'images':>12} {'all':>12}")
    for row in views:
        lines.append(f"{row['page']:28} {row['viewport']:22} {row['requests']:8} "
                     f"{row['image_bytes'] / 1024:9.1f} KiB {row['total_bytes'] / 1024:9.1f} KiB")  # fmt: skip
    lines += ["", "Lighthouse 12, mobile, simulated throttling (min / median of runs)", ""]
    lines.append(f"{'page':28} {'perf':>9} {'a11y':>5} {'bytes KiB':>10} {'LCP ms':>7} {'CLS':>6} {'TBT ms':>7}")
    for label, runs in lh.items():
        perf = [r["performance"] for r in runs]
        lines.append(
            f"{label:28} {min(perf):3} / {statistics.median(perf):3.0f} {min(r['accessibility'] for r in runs):5} "
            f"{statistics.median(r['total_byte_weight'] for r in runs) / 1024:10.1f} "
            f"{statistics.median(r['lcp_ms'] for r in runs):7.0f} "
            f"{statistics.median(r['cls'] for r in runs):6.3f} {statistics.median(r['tbt_ms'] for r in runs):7.0f}"
        )
    verdicts: list[tuple[str, str, str]] = []

    def verdict(target: str, ok: bool, measured: str) -> None:
        verdicts.append((target, measured, "PASS" if ok else "FAIL"))

    index_views = [r for r in views if r["page"] == "case index"]
    if index_views:
        worst = max(index_views, key=lambda r: r["image_bytes"])
        verdict("images on first view of the 50-photo case index < 1 MB", worst["image_bytes"] < IMAGES_FIRST_VIEW_MAX,
                f"{worst['image_bytes'] / 1e6:.3f} MB max ({worst['viewport']})")  # fmt: skip
    if lh:
        photo = [r["performance"] for r in lh.get("case page, two photos", [])]
        if photo:
            verdict(f"case page with 2 photos: Lighthouse mobile >= {PHOTO_CASE_LIGHTHOUSE_MIN}",
                    min(photo) >= PHOTO_CASE_LIGHTHOUSE_MIN,
                    f"min {min(photo)}, median {statistics.median(photo):.0f}")  # fmt: skip
        low = {label: min(r["performance"] for r in runs) for label, runs in lh.items()}
        verdict(f"every page type: Lighthouse mobile >= {EVERY_PAGE_LIGHTHOUSE_MIN}",
                min(low.values()) >= EVERY_PAGE_LIGHTHOUSE_MIN,
                ", ".join(f"{label} {score}" for label, score in low.items()))  # fmt: skip
    phone_cases = [r for r in views if r["page"].startswith("case page") and r["viewport"].startswith("phone")]
    for row in phone_cases:
        verdict(f"{row['page']}: transferred on a phone (gzip) <= 100 KiB", row["total_bytes"] <= CASE_PAGE_GZIP_MAX,
                f"{row['total_bytes'] / 1024:.1f} KiB")  # fmt: skip
    lines += ["", "Targets", ""]
    lines += [f"{v:4}  {target:60} {measured}" for target, measured, v in verdicts]
    return lines, verdicts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    parser.add_argument("--reuse", action="store_true", help="keep a project already generated under --work")
    parser.add_argument("--no-build", action="store_true", help="measure the site already built (with --reuse)")
    parser.add_argument("--runs", type=int, default=2, help="Lighthouse runs per page (min and median reported)")
    parser.add_argument("--no-lighthouse", action="store_true")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing: apt-get install chromium")
    project = args.work / "project"
    if not (args.reuse and (project / "mkdocs.yml").exists()):
        generate(args.work)
    build_s = None
    if not args.no_build:
        build_s = build(project)
        print(f"built in {build_s:.1f} s")
    site = project / "site"
    browse = next(p for p in ("browse/diagnoses/", "browse/etiology/") if (site / p / "index.html").exists())
    pages = {
        "home": "/",
        "case index": "/cases/",
        "case page, two photos": f"/cases/{photo_slug(1)}/",
        "case page, no figures": f"/cases/{plain_slug(1)}/",
        "bibliography": "/bibliography/",
        "browse page": f"/{browse}",
    }
    loads = [Path("/proc/loadavg").read_text().strip()]
    with serve(site) as base:
        views = first_view(
            {k: pages[k] for k in ("case index", "case page, two photos", "case page, no figures")}, base
        )
        lh = {} if args.no_lighthouse else run_lighthouse(pages, base, args.runs, args.work / "lighthouse")
    loads.append(Path("/proc/loadavg").read_text().strip())
    lines, verdicts = summarise(views, lh)
    lines.append("")
    lines.append(f"load average at start / end: {loads[0]} / {loads[1]}")
    print("\n".join(lines))
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    summary = {
        "when": stamp,
        "machine": {"cpus": os.cpu_count(), "loadavg": loads},
        "site": {"photo_cases": PHOTO_CASES, "plain_cases": PLAIN_CASES, "photo_size": PHOTO_SIZE, "build_s": build_s},
        "first_view": views,
        "lighthouse": lh,
        "targets": [{"target": t, "measured": m, "verdict": v} for t, m, v in verdicts],
    }
    out = RESULTS / f"reader-{stamp}.json"
    out.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    print(f"summary: {out.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
