"""Found with issue #22, defect 4: HTML whose <blockquote>s are never closed is read in time
linear in its length (each unclosed quotation used to be searched to the end of the text)."""

from __future__ import annotations

import time

from reader.ingest.html import html_to_text


def _unclosed_quotes(count: int) -> str:
    return "<body>" + "<blockquote>A quoted word or two, never closed. " * count + "</body>"


def _cpu_seconds(markup: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        html_to_text(markup)
        best = min(best, time.process_time() - start)
    return best


def test_unclosed_blockquotes_are_read_in_linear_time() -> None:
    text = html_to_text(_unclosed_quotes(8000)).text
    assert text.count("never closed.") == 8000
    assert "\x02" not in text and ">" not in text  # no quotation closes: none is set as one
    ratio = _cpu_seconds(_unclosed_quotes(8000)) / _cpu_seconds(_unclosed_quotes(1000))
    assert ratio < 18, f"8x the quotations took {ratio:.1f}x the time"  # quadratic: 64


def test_closed_blockquotes_are_still_set_as_block_quotes() -> None:
    text = html_to_text(
        "<p>Before.</p><blockquote><p>The order stood.</p></blockquote><blockquote>Open"
    ).text
    assert text == "Before.\n\n> The order stood.\n\nOpen"
