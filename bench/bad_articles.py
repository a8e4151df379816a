"""Articles of bad input for citing: 5 MB whose quote marks never balance, or nest 1,000 deep."""

from __future__ import annotations

import random
from collections.abc import Callable

from bench.corpus import filler_text

SIZE = 5_000_000
NEST = "“‘" * 500 + "words in the middle of it all" + "’”" * 500


def _marked(marks: str, seed: int) -> str:
    """Prose with a mark from `marks` before 8% of its words, and a paragraph break now and then."""
    rng = random.Random(seed)
    out = []
    for word in filler_text(seed, SIZE // 5).split():
        out.append(rng.choice(marks) + word if rng.random() < 0.08 else word)
        if rng.random() < 0.01:
            out.append("\n\n")
    return " ".join(out)[:SIZE]


def _nest_in_prose(seed: int) -> str:
    prose = filler_text(seed, SIZE // 5)
    half = SIZE // 2
    return prose[:half] + " " + NEST + " " + prose[half : SIZE - len(NEST) - 2]


def _repeated(piece: str) -> str:
    return (piece * (SIZE // len(piece) + 1))[:SIZE]


def bad_articles() -> dict[str, Callable[[], str]]:
    """Each kind of bad input by name, made when called."""
    return {
        "opening marks only, before 8% of words": lambda: _marked('“‘„‚«‹"', 11),
        "closing marks only, before 8% of words": lambda: _marked("”’»›", 12),
        "bare closing marks": lambda: _repeated("” ’ » › "),
        "bare opening marks": lambda: _repeated("“a ‘b „c «d "),
        "one 1,000-deep nest in prose": lambda: _nest_in_prose(13),
        "nothing but 1,000-deep nests": lambda: _repeated(NEST + "\n\n"),
    }
