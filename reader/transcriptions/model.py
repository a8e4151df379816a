"""A transcription as plain data: pages of lines of words with boxes, in the units of the file
it came from (or goes to). Readers and writers of every format meet here."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @staticmethod
    def around(boxes: list[Box]) -> Box:
        """The smallest box holding all of `boxes` (at least one)."""
        return Box(
            min(b.x0 for b in boxes),
            min(b.y0 for b in boxes),
            max(b.x1 for b in boxes),
            max(b.y1 for b in boxes),
        )


@dataclass(frozen=True)
class Word:
    text: str
    box: Box
    # 0..1 (ALTO's WC); None when the file does not say.
    confidence: float | None = None


@dataclass(frozen=True)
class Line:
    """A line of text. A file that gives only lines (PAGE XML from handwriting recognition
    often does) has a line of no words but its text and box."""

    text: str
    box: Box
    words: tuple[Word, ...] = ()
    # 0..1, of a line read whole (PAGE XML's line TextEquiv conf); None when not said.
    confidence: float | None = None


@dataclass(frozen=True)
class Block:
    lines: tuple[Line, ...]
    box: Box | None = None


@dataclass(frozen=True)
class TranscribedPage:
    """One page: its size in the file's units, and the image it describes when the file names
    one (its base name, as Transkribus, eScriptorium and Tesseract write it)."""

    width: float
    height: float
    blocks: tuple[Block, ...]
    image_name: str = ""
    # Units the file measures in ("pixel", "mm10", "inch1200"), for messages.
    unit: str = "pixel"
    # What a reader put right (coordinates outside the page, clipped), to be reported.
    warnings: tuple[str, ...] = field(default=())
    # The page's number in its document (1-based; 0 when the file does not say).
    number: int = 0
    # How its text was made: "ocr", "embedded" (a PDF's own text), "transcription", or "".
    source: str = ""
    # The OCR's mean confidence on the page, 0..1; None when not known.
    confidence: float | None = None

    @property
    def lines(self) -> list[Line]:
        return [line for block in self.blocks for line in block.lines]

    @property
    def text(self) -> str:
        """The page's text: lines joined by newlines, blocks by blank lines."""
        return "\n\n".join("\n".join(line.text for line in block.lines) for block in self.blocks)
