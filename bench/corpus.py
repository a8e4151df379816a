"""Generated corpora for tests, benchmarks and the sample collection.

Typewritten-looking scans are drawn with Courier (the base-14 font that PyMuPDF ships, so no
system font is needed), each character slightly off its line and unevenly inked, on speckled
paper; born-digital PDFs are written with PyMuPDF. Everything is deterministic for a seed.
"""

from __future__ import annotations

import io
import random
import textwrap
from functools import cache
from pathlib import Path

import pymupdf
from PIL import Image, ImageDraw, ImageFilter, ImageFont

LETTER_INCHES = (8.5, 11.0)
TYPE_POINTS = 12
LINE_CHARS = 64

_WORDS = """
report division regiment battalion company staff command headquarters order orders telegram
supply supplies column columns ammunition rations fuel transport railway station bridge road
village villages town district valley mountain mountains river forest pass border frontier
operation operations situation enemy bands partisans troops units patrol patrols reserve officer
officers general colonel major captain lieutenant sergeant commander liaison adjutant
intelligence reconnaissance losses casualties prisoners hostages civilians population refugees
measures reprisal reprisals requisition requisitions evacuation shelter winter spring summer
autumn morning evening night dawn march attack defence retreat advance position positions sector
front line lines north south east west northern southern eastern western coastal inland area
areas zone zones route routes convoy convoys vehicles horses wagons lorries fuel telephone
wireless message messages copy copies file files annex enclosure signed initialled received
forwarded confidential secret urgent immediately herewith reference previous request
instructions directive decree proclamation notice announcement arrangement agreement dispute
according following concerning regarding pending further until since during against within
without toward near beyond between among after before because however therefore meanwhile the of
and to in on at by for with from that this which was were has have had been is are be not no all
some several many few each every other same such only also again still already first second
third fourth fifth sixth seventh eighth ninth tenth twelfth hundred thousand new old large small
heavy light strong weak poor rich long short high low full empty whole reported ordered
requested received stated noted observed confirmed denied assigned attached moved withdrew
arrived departed crossed burned destroyed repaired occupied surrendered fled Mostar Sarajevo
Nevesinje Foca Visegrad Zagreb Belgrade Kraljevo Valjevo Uzice Nis Bihac Livno Glamoc Knin Split
Dubrovnik Trebinje Gacko Kalinovik Rogatica Zvornik Tuzla Banja Luka Doboj
"""
_VOCABULARY = tuple(_WORDS.split())


_SYLLABLES = tuple(c + v for c in "bdklmnrstvz" for v in "aeiou")
_COMMONEST = "the of and to in on at by for with from that this which was were has had"
_FUNCTION_WORDS = tuple(_COMMONEST.split())


@cache
def zipf_vocabulary(size: int = 30_000) -> tuple[str, ...]:
    """Words by rank: function words, then the archival vocabulary, then invented names and
    rare words, so that word frequencies fall off as in real text (Zipf's law)."""
    rng = random.Random(1943)
    words = list(dict.fromkeys([*_FUNCTION_WORDS, *rng.sample(_VOCABULARY, len(_VOCABULARY))]))
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return tuple(words)


@cache
def _zipf_weights(size: int) -> list[float]:
    total = 0.0
    cumulative = []
    for rank in range(1, size + 1):
        total += 1 / rank**1.07
        cumulative.append(total)
    return cumulative


def filler_text(seed: int, words: int) -> str:
    """Pseudo-archival prose with Zipf-distributed words, deterministic for `seed`."""
    rng = random.Random(seed)
    vocabulary = zipf_vocabulary()
    weights = _zipf_weights(len(vocabulary))
    sentences: list[str] = []
    count = 0
    while count < words:
        length = rng.randint(8, 18)
        sentence = " ".join(rng.choices(vocabulary, cum_weights=weights, k=length))
        sentences.append(sentence[0].upper() + sentence[1:] + ".")
        count += length
    return " ".join(sentences)


@cache
def _courier(pixels: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(io.BytesIO(pymupdf.Font("cour").buffer), pixels)


def typewritten_image(
    text: str, *, dpi: int = 300, seed: int = 0, noise: float = 0.5, skew_degrees: float = 0.0
) -> Image.Image:
    """A US-letter page of `text` as a typewriter would have put it, scanned at `dpi`."""
    rng = random.Random(seed)
    width, height = int(LETTER_INCHES[0] * dpi), int(LETTER_INCHES[1] * dpi)
    page = Image.new("L", (width, height), 250)
    draw = ImageDraw.Draw(page)
    font = _courier(round(TYPE_POINTS * dpi / 72))
    advance = font.getlength("M")
    line_height = round(TYPE_POINTS * 1.5 * dpi / 72)
    y = dpi  # one-inch margins
    for line in _typed_lines(text):
        x = dpi + rng.uniform(-2, 2) * noise
        for char in line:
            if char != " ":
                # Worn ribbon: now and then a character comes out faint.
                faint = rng.random() < 0.04 * noise
                ink = int(rng.uniform(110, 170) if faint else rng.uniform(0, 90) * noise)
                jitter = rng.uniform(-1.5, 1.5) * noise * dpi / 150
                draw.text((x, y + jitter), char, font=font, fill=ink)
            x += advance
        y += line_height
        if y > height - dpi:
            break
    _speckle(page, rng, noise)
    _break_type(page, rng, noise, dpi)
    if noise:
        page = page.filter(ImageFilter.GaussianBlur(0.4 + 0.6 * noise))
    if skew_degrees:
        page = page.rotate(skew_degrees, resample=Image.Resampling.BICUBIC, fillcolor=250)
    return page


def _typed_lines(text: str) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(textwrap.wrap(paragraph, LINE_CHARS) or [""])
    return lines


def _speckle(page: Image.Image, rng: random.Random, noise: float) -> None:
    draw = ImageDraw.Draw(page)
    for _ in range(int(3000 * noise)):
        x, y = rng.randrange(page.width), rng.randrange(page.height)
        radius = rng.choice((0, 0, 1))
        draw.ellipse((x, y, x + radius, y + radius), fill=rng.randint(120, 200))


def _break_type(page: Image.Image, rng: random.Random, noise: float, dpi: int) -> None:
    """Small paper-coloured nicks across the text: worn type and a tired photostat."""
    draw = ImageDraw.Draw(page)
    size = max(1, dpi // 100)
    for _ in range(int(18000 * noise * noise)):
        x, y = rng.randrange(dpi, page.width - dpi), rng.randrange(dpi, page.height - dpi)
        draw.rectangle((x, y, x + size * rng.randint(1, 3), y + size), fill=245)


def save_png(image: Image.Image, path: Path, dpi: int = 300) -> Path:
    image.save(path, dpi=(dpi, dpi), optimize=True)
    return path


def save_tiff(images: list[Image.Image], path: Path, dpi: int = 300) -> Path:
    first, *rest = images
    first.save(path, save_all=True, append_images=rest, compression="tiff_lzw", dpi=(dpi, dpi))
    return path


def scanned_pdf(path: Path, images: list[Image.Image], dpi: int = 300) -> Path:
    """An image-only PDF (no text layer), one page per scan."""
    pdf = pymupdf.open()
    for image in images:
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        page = pdf.new_page(width=image.width * 72 / dpi, height=image.height * 72 / dpi)
        page.insert_image(page.rect, stream=buffer.getvalue())
    pdf.save(path, garbage=3, deflate=True)
    return path


def born_digital_pdf(
    path: Path, pages: list[str], *, title: str = "", author: str = "", unicode: bool = True
) -> Path:
    """A text PDF, one page per item. With `unicode`, MuPDF's built-in Unicode font (subset)
    carries any script; without, Helvetica is faster for large ASCII corpora."""
    pdf = pymupdf.open()
    font = pymupdf.Font("cjk") if unicode else pymupdf.Font("helv")
    for text in pages:
        page = pdf.new_page()
        writer = pymupdf.TextWriter(page.rect)
        y = 72.0
        for line in _typed_lines(text):
            writer.append((72, y), line, font=font, fontsize=10.5)
            y += 15
            if y > page.rect.height - 72:
                break
        writer.write_text(page)
    pdf.set_metadata({"title": title, "author": author})
    if unicode:
        pdf.subset_fonts()
    pdf.save(path, garbage=3, deflate=True)
    return path


def large_pdf_corpus(
    folder: Path,
    *,
    documents: int,
    pages_per_document: int,
    seed: int = 0,
    first_number: int = 1000,
) -> list[Path]:
    """Many born-digital PDFs named NOKW-<n>.pdf, each page a few hundred words of filler."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(documents):
        number = first_number + index
        path = folder / f"NOKW-{number}.pdf"
        pdf = pymupdf.open()
        for page_number in range(pages_per_document):
            text = filler_text(seed * 1_000_003 + index * 1009 + page_number, 300)
            if page_number == 0:
                text = f"Document NOKW-{number}. {text}"
            page = pdf.new_page()
            page.insert_textbox(pymupdf.Rect(60, 60, 552, 732), text, fontsize=9)
        pdf.save(path, garbage=1, deflate=True)
        paths.append(path)
    return paths


def typewritten_corpus(folder: Path, *, count: int, seed: int = 0) -> list[Path]:
    """`count` 300-dpi typewritten PNG scans of filler text."""
    folder.mkdir(parents=True, exist_ok=True)
    return [
        save_png(
            typewritten_image(filler_text(seed + index, 220), seed=seed + index),
            folder / f"scan-{seed + index:05d}.png",
        )
        for index in range(count)
    ]
