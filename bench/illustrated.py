"""An illustrated book for the benchmark, made from a seed so anyone can re-create it.

Modelled on Standard Ebooks' *Alice's Adventures in Wonderland* (Tenniel): 42 traced line
drawings as SVG, 65 MB in all, each a few `<path>` elements whose `d` holds tens of thousands
of relative cubic curves in compact (svgo) notation. Here: 40 chapters of nonsense prose
(~700 words each), one SVG per chapter and a second in two of them (≈ 60 MB of SVG), and four
large photographs (two JPEG of 3 MB, two PNG of 6 MB) in four chapters. The same seed writes the same bytes.

    .venv/bin/python bench/illustrated.py OUT_DIR [--seed N]
"""

from __future__ import annotations

import argparse
import io
import random
from pathlib import Path

CHAPTERS = 40
WORDS_PER_CHAPTER = 700
SVG_BYTES = 1_450_000  # average; each picture gets 0.55–1.45× this
EXTRA_SVG_IN = (7, 23)  # chapters with a second picture
RASTERS = {5: "jpg", 15: "png", 25: "jpg", 35: "png"}  # chapter → a photograph's format
RASTER_SIZE = {"jpg": (3600, 2700), "png": (2400, 1800)}  # 9.7 and 4.3 megapixels
SEED = 1865

_SYLLABLES = (
    "a al an ar as at be ca ce de di do el en er es fe ga he hi in is it la le li lo ma me mi "
    "mo na ne no of on or pa pe ra re ri ro sa se so ta te ti to un ve wa we wi"
)
SYLLABLES = _SYLLABLES.split()
_COMMON = "the and of to a in was she it said that her as you at on had with all"
COMMON = _COMMON.split()


def word(rng: random.Random) -> str:
    if rng.random() < 0.35:
        return rng.choice(COMMON)
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((1, 2, 2, 3, 3, 4))))


def sentence(rng: random.Random) -> str:
    words = [word(rng) for _ in range(rng.randint(6, 24))]
    for i in range(2, len(words) - 2, 7):
        if rng.random() < 0.4:
            words[i] += ","
    text = " ".join(words)
    text = text[0].upper() + text[1:] + rng.choice(".....?!")
    return f"“{text}” said Alice." if rng.random() < 0.12 else text


def paragraphs(rng: random.Random, words: int) -> list[str]:
    out: list[str] = []
    count = 0
    while count < words:
        para = " ".join(sentence(rng) for _ in range(rng.randint(1, 6)))
        count += len(para.split())
        out.append(para)
    return out


def svg(rng: random.Random, size: int) -> str:
    """A line drawing of about `size` bytes: a few long paths of small relative curves,
    written the way svgo writes Standard Ebooks' traced illustrations."""
    width, height = 640, rng.randint(700, 960)
    head = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}">\n'
        "\t<title>A drawing made by bench/illustrated.py.</title>\n"
    )
    parts = [head]
    written = len(head)
    while written < size:
        chunk = _path(rng, width, height, min(size - written, rng.randint(150_000, 400_000)))
        parts.append(chunk)
        written += len(chunk)
    parts.append("</svg>\n")
    return "".join(parts)


def _path(rng: random.Random, width: int, height: int, size: int) -> str:
    x, y = rng.uniform(20, width - 20), rng.uniform(20, height - 20)
    pieces = [f'\t<path d="M{x:.3f} {y:.3f}']
    written = 0
    while written < size:
        # a curve of three small relative points, kept inside the picture by a pull to centre
        pull_x, pull_y = (width / 2 - x) * 0.002, (height / 2 - y) * 0.002
        numbers = [rng.gauss(0, 1.6) + (pull_x if i % 2 == 0 else pull_y) for i in range(6)]
        x, y = x + numbers[4], y + numbers[5]
        piece = "c" + "".join(_compact(n) for n in numbers)
        pieces.append(piece)
        written += len(piece)
        if rng.random() < 0.002:  # close a stroke now and then, as traced shapes are
            pieces.append("z")
    pieces.append('"/>\n')
    return "".join(pieces)


def _compact(n: float) -> str:
    """svgo's number style: 3 decimals, no leading zero, the sign doubles as separator."""
    text = f"{n:.3f}".rstrip("0").rstrip(".")
    text = text.replace("0.", ".", 1) if text.startswith(("0.", "-0.")) else text
    return text if text.startswith("-") else " " + text


def raster(rng: random.Random, fmt: str) -> bytes:
    """A large photograph-like picture: smooth colour with grain, which compresses as a
    photograph does (a few MB), not as flat colour (nothing) or pure noise (everything)."""
    from PIL import Image

    width, height = RASTER_SIZE[fmt]
    small = Image.frombytes("RGB", (48, 36), rng.randbytes(48 * 36 * 3))
    picture = small.resize((width, height), Image.Resampling.BICUBIC)
    grain = Image.frombytes("L", (width, height), rng.randbytes(width * height))
    picture = Image.blend(picture, Image.merge("RGB", (grain, grain, grain)), 0.05)
    out = io.BytesIO()
    if fmt == "jpg":
        picture.save(out, "JPEG", quality=92)
    else:
        picture.save(out, "PNG", compress_level=6)
    return out.getvalue()


def chapter(rng: random.Random, number: int, images: list[tuple[str, str]]) -> str:
    text = paragraphs(rng, WORDS_PER_CHAPTER)
    blocks = [f"# Chapter {number}", ""]
    slots = sorted(rng.sample(range(1, len(text)), min(len(images), len(text) - 1)))
    for i, para in enumerate(text):
        for slot, (alt, href) in zip(slots, images, strict=False):
            if slot == i:
                blocks += [f"![{alt}]({href})", ""]
        blocks += [para, ""]
    return "\n".join(blocks)


def make(out: Path, seed: int = SEED) -> Path:
    """Write the book folder `out` (book.toml, manuscript/, manuscript/images/); return it."""
    rng = random.Random(seed)
    images = out / "manuscript" / "images"
    images.mkdir(parents=True, exist_ok=True)
    (out / "book.toml").write_text(
        'title = "An Illustrated Benchmark"\nauthor = "bench/illustrated.py"\n'
        'language = "en-GB"\ndate = "2026-01-01"\n',
        "utf-8",
    )
    for number in range(1, CHAPTERS + 1):
        pictures: list[tuple[str, str]] = []
        for extra in range(2 if number in EXTRA_SVG_IN else 1):
            name = f"drawing-{number:02d}{'ab'[extra]}.svg"
            size = int(SVG_BYTES * rng.uniform(0.55, 1.45))
            (images / name).write_text(svg(rng, size), "utf-8")
            pictures.append((f"Drawing {number}{'ab'[extra]}", f"images/{name}"))
        if number in RASTERS:
            name = f"photograph-{number:02d}.{RASTERS[number]}"
            (images / name).write_bytes(raster(rng, RASTERS[number]))
            pictures.append((f"Photograph {number}", f"images/{name}"))
        text = chapter(rng, number, pictures)
        (out / "manuscript" / f"{number:02d}-chapter.md").write_text(text, "utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the book folder to write (created)")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    book = make(args.out, args.seed)
    svgs = sum(p.stat().st_size for p in book.rglob("*.svg"))
    rasters = sum(p.stat().st_size for p in book.rglob("photograph-*"))
    print(f"{book}: {CHAPTERS} chapters, SVG {svgs / 1e6:.1f} MB, rasters {rasters / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
