"""What photographs add to a warm build (issue 14: under 5 % for 1,000 cases with two photos each).

Builds an existing project in-process (by default the photo site `reader.py` writes, 50 cases
with two 4000 x 3000 photos each), once untimed so the image cache under
`.cache/plugin/casebook/images/` is full, then `--repeats` times with timers around the three
things photographs cost a build whose cache is warm:

- `publish_images`: finding each figure's derivatives in the cache (no photo decoded);
- `verify_published`: reading every published image back for metadata, after the build;
- putting the derivatives from the cache into the site (`copy_file` of image files: a hard link, or
  MkDocs' copy where the site is on another file system).

It prints each as a share of the whole build. Every one of them is a cost per photo, and the
rest of the build a cost per case, so the share is the same at 1,000 cases with two photos
each as here, with 50.

    .venv/bin/python benchmarks/reader.py --no-lighthouse        # once: writes and builds the project
    .venv/bin/python benchmarks/photo_overhead.py --repeats 3

`--cases N` measures the issue's own figure directly instead: the build benchmark's synthetic
N-case site (benchmarks/generate.py) twice, once with its two figures per case replaced by two
synthetic 1,600 x 1,200 JPEG photographs and once with no figures, each built once to fill its
cache and then `--repeats` times in turn as whole `mkdocs build` processes; the share is the
difference of the median warm builds over the one without photographs.

    .venv/bin/python benchmarks/photo_overhead.py --cases 1000 --repeats 3
"""

from __future__ import annotations

import argparse
import logging
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.structure.files import File

import casebook.mkdocs.plugin as plugin
from casebook.mkdocs.linked_file import LinkedFile

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_PROJECT = HERE / ".work" / "reader" / "project"
SCALE_PHOTO_SIZE = (1600, 1200)  # wider than every display size: the same nine files as a phone photo
MKDOCS = REPO / ".venv" / "bin" / "mkdocs"
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif"}


def _timed(totals: dict[str, float], name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            totals[name] += time.perf_counter() - start

    return wrapper


def _timed_copy(totals: dict[str, float], copy_file: Callable[..., None]) -> Callable[..., None]:
    def copy(self: File, dirty: bool = False) -> None:
        if Path(self.dest_uri).suffix.lower() in IMAGE_SUFFIXES and self.dest_uri.startswith("cases/"):
            start = time.perf_counter()
            try:
                copy_file(self, dirty)
            finally:
                totals["copy"] += time.perf_counter() - start
                totals["images"] += 1
        else:
            copy_file(self, dirty)

    return copy


def measure(project: Path, repeats: int) -> list[dict[str, float]]:
    totals: dict[str, float] = defaultdict(float)
    plugin.publish_images = _timed(totals, "publish", plugin.publish_images)  # type: ignore[assignment]
    plugin.verify_published = _timed(totals, "verify", plugin.verify_published)  # type: ignore[assignment]
    for cls in (File, LinkedFile):  # MkDocs' copy, and the link Casebook's published images use
        cls.copy_file = _timed_copy(totals, cls.copy_file)  # type: ignore[method-assign]
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    runs = []
    with tempfile.TemporaryDirectory(prefix="casebook-photo-overhead-") as out:
        for i in range(repeats + 1):
            totals.clear()
            start = time.perf_counter()
            build(load_config(str(project / "mkdocs.yml"), site_dir=out))
            totals["build"] = time.perf_counter() - start
            if i:  # the first build fills the cache (and is a cold one if it was empty)
                runs.append(dict(totals))
    return runs


def _without_figures(text: str) -> str:
    """The case text with its front matter's `figures:` block taken out (edited as text: no YAML round trip)."""
    return re.sub(r"^figures:\n(?:[ -].*\n)+", "", text, count=1, flags=re.M)


def scale_projects(n: int, work: Path) -> tuple[Path, Path]:
    """The N-case benchmark site with two synthetic JPEG photos per case, and without figures."""
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(REPO / "tests"))
    import generate
    from reader import synthetic_photo

    from synthetic_images import gradient

    generate.generate(n, work, seed=1, variants=("casebook",))
    source = work / "casebook"
    photos, plain = work / "photos", work / "plain"
    for target in (photos, plain):
        shutil.copytree(source, target, symlinks=True)
    base = gradient(SCALE_PHOTO_SIZE, noise=0.3, grain=16)
    for number, case in enumerate(sorted((photos / "cases").iterdir()), start=1):
        index = case / "index.md"
        text = index.read_text(encoding="utf-8")
        for svg in sorted(case.glob("figure-*.svg")):
            k = int(svg.stem.split("-")[1])
            svg.unlink()
            (case / f"photo-{k}.jpg").write_bytes(synthetic_photo(2 * number + k, base))
            text = text.replace(f"file: {svg.name}\n", f"file: photo-{k}.jpg\n")
        text = re.sub(r"^(date: .*\n)", r"\1consent: not-identifiable\n", text, count=1, flags=re.M)
        index.write_text(text, encoding="utf-8")
        plain_case = plain / "cases" / case.name
        for svg in plain_case.glob("figure-*.svg"):
            svg.unlink()
        plain_index = plain_case / "index.md"
        plain_index.write_text(_without_figures(plain_index.read_text(encoding="utf-8")), encoding="utf-8")
        print(f"\rphotographs for case {number}/{n}", end="", flush=True)
    print()
    return photos, plain


def whole_build(project: Path) -> float:
    with tempfile.TemporaryDirectory(prefix="casebook-photo-share-") as out:
        start = time.perf_counter()
        subprocess.run([str(MKDOCS), "build", "-q", "-d", out], cwd=project, check=True, capture_output=True)
        return time.perf_counter() - start


def measure_at_scale(n: int, repeats: int, work: Path, reuse: bool = False) -> None:
    photos, plain = (work / "photos", work / "plain") if reuse else scale_projects(n, work)
    for project in (photos, plain):
        print(f"{project.name}: first build {whole_build(project):.1f} s (fills the caches)", flush=True)
    times: dict[str, list[float]] = {"photos": [], "plain": []}
    for _ in range(repeats):
        for project in (plain, photos):
            times[project.name].append(whole_build(project))
    with_photos, without = statistics.median(times["photos"]), statistics.median(times["plain"])
    print(f"N={n}, {repeats} warm builds each, alternating (median, whole mkdocs build processes):")
    print(f"  no figures          {without:7.2f} s   {times['plain']}")
    print(f"  two photos per case {with_photos:7.2f} s   {times['photos']}")
    print(f"  photographs add     {with_photos - without:7.2f} s = {100 * (with_photos - without) / without:.1f} %")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--project", type=Path, default=DEFAULT_PROJECT)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cases", type=int, default=0, help="measure at this many synthetic cases instead")
    parser.add_argument("--work", type=Path, default=HERE / ".work" / "photo-share")
    parser.add_argument("--reuse", action="store_true", help="with --cases: keep the projects already written")
    args = parser.parse_args()
    if args.cases:
        measure_at_scale(args.cases, args.repeats, args.work, args.reuse)
        return
    runs = measure(args.project, args.repeats)
    images = int(runs[0].get("images", 0))
    print(f"{args.project}: {images} image files copied per build, {args.repeats} warm builds (median)")
    build_s = statistics.median(r["build"] for r in runs)
    photo = 0.0
    for name in ("publish", "verify", "copy"):
        value = statistics.median(r.get(name, 0.0) for r in runs)
        photo += value
        print(f"  {name:8} {value:7.3f} s  {100 * value / build_s:5.1f} % of the build")
    print(f"  photos   {photo:7.3f} s  {100 * photo / build_s:5.1f} % of a {build_s:.2f} s build")


if __name__ == "__main__":
    main()
