"""Placing a quoted passage on a page, through elisions, insertions and OCR errors.

The quote is cut at its elisions (". . .", "…") and bracketed insertions ("[the general]"); each
remaining segment is aligned against the page's folded words with rapidfuzz's partial-ratio
alignment, and the page's score is the segments' scores weighted by their length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from reader.citations.textmap import WordText, word_text

_CUTS = re.compile(r"\.\s?\.\s?\.|…|\[[^\]]*\]")
MIN_SEGMENT_CHARS = 8
SEGMENT_CUTOFF = 60.0
# Words of the quote offered to the index, which keeps the rarest to find candidate pages.
CANDIDATE_TERMS = 40
# An alignment this good (0..1) is taken as the quoted passage.
QUOTE_THRESHOLD = 0.8


@dataclass(frozen=True)
class Alignment:
    score: float  # 0..1
    start: int  # offsets in the page's original text
    end: int


def quote_segments(quote: str) -> list[str]:
    segments = [word_text(part).text for part in _CUTS.split(quote)]
    return [s for s in segments if len(s) >= MIN_SEGMENT_CHARS]


def candidate_terms(segments: list[str]) -> list[str]:
    """The quote's longest distinct words: rare enough to find its page among many."""
    words = {word for segment in segments for word in segment.split() if len(word) >= 4}
    return sorted(words, key=lambda w: (-len(w), w))[:CANDIDATE_TERMS]


def align(segments: list[str], page: WordText) -> Alignment | None:
    if not segments or not page.text:
        return None
    weighted = 0.0
    starts, ends = [], []
    for segment in segments:
        found = fuzz.partial_ratio_alignment(segment, page.text, score_cutoff=SEGMENT_CUTOFF)
        if found is None or found.score < SEGMENT_CUTOFF:
            continue
        weighted += found.score * len(segment)
        starts.append(found.dest_start)
        ends.append(found.dest_end)
    if not starts:
        return None
    score = weighted / sum(len(s) for s in segments) / 100
    start, end = page.original_span(min(starts), max(ends))
    return Alignment(round(score, 4), start, end)
