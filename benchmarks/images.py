"""Cold and warm cost of publishing photographs (casebook.images), outside MkDocs.

Writes N synthetic photos (a grainy colour gradient with synthetic EXIF, by default
3000 x 2000 pixels, obviously not clinical), then times `publish_images` with an empty
cache (cold: every photo decoded and re-encoded) and again with the cache filled (warm:
nothing is read but the digest index and the manifests), and `verify_published` on a
site folder holding every output (what each build pays after writing). Usage:

    .venv/bin/python benchmarks/images.py --photos 100 --work /tmp/casebook-images-bench
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import time
from pathlib import Path

from PIL import Image

from casebook.images.cache import Cache
from casebook.images.publish import publish_images, verify_published

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
from synthetic_images import exif, gradient  # noqa: E402  (the tests' generator, shared on purpose)


def photos(folder: Path, count: int, size: tuple[int, int]) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    base = gradient(size, noise=0.3, grain=16)
    found = {}
    for i in range(count):
        path = folder / f"synthetic-{i:04d}.jpg"
        if not path.exists():
            img = base.rotate(i % 4 * 90, expand=True) if i % 4 else base
            buffer = io.BytesIO()
            img.point(lambda v, i=i: (v + i) % 256).save(buffer, "JPEG", quality=90, exif=exif())
            path.write_bytes(buffer.getvalue())
        found[f"cases/synthetic-{i // 2:04d}/{path.name}"] = path
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--photos", type=int, default=100)
    parser.add_argument("--size", default="3000x2000")
    parser.add_argument("--work", type=Path, default=HERE / ".work" / "images")
    parser.add_argument("--warm-only", action="store_true", help="keep the cache of an earlier run (no cold run)")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    sources = photos(args.work / "sources", args.photos, (width, height))
    total_mb = sum(p.stat().st_size for p in sources.values()) / 1e6
    cache_dir = args.work / "cache"
    if not args.warm_only:
        shutil.rmtree(cache_dir, ignore_errors=True)
    start = time.perf_counter()
    cold = publish_images(sources, {}, Cache(cache_dir), 2500)
    cold_s = time.perf_counter() - start
    assert not cold.findings, cold.findings
    start = time.perf_counter()
    warm = publish_images(sources, {}, Cache(cache_dir), 2500)
    warm_s = time.perf_counter() - start
    site = args.work / "site"
    shutil.rmtree(site, ignore_errors=True)
    for uri, path in warm.files.items():
        (site / uri).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, site / uri)
    start = time.perf_counter()
    problems = verify_published(site, warm, {})
    verify_s = time.perf_counter() - start
    assert not problems, problems
    outputs = sum(1 for _ in warm.files)
    out_mb = sum((site / uri).stat().st_size for uri in warm.files) / 1e6
    with Image.open(next(iter(sources.values()))) as img:
        shown = f"{img.width}x{img.height}"
    print(f"{args.photos} photos ({shown}, {total_mb:.1f} MB in all) -> {outputs} files ({out_mb:.1f} MB)")
    label = "publish with the cache kept" if args.warm_only else "cold publish"
    print(f"{label}: {cold_s:.2f} s ({cold_s / args.photos * 1000:.0f} ms a photo)")
    print(f"warm publish: {warm_s:.3f} s ({warm_s / args.photos * 1000:.2f} ms a photo)")
    print(f"verify (every build): {verify_s:.3f} s ({verify_s / args.photos * 1000:.2f} ms a photo)")


if __name__ == "__main__":
    main()
