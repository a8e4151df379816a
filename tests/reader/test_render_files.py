"""Rendering keeps a file open between pages; a file changed or gone since is not drawn from
what was open."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from reader.render import RenderError, render_page


def one_page_pdf(path: Path, colour: tuple[float, float, float]) -> None:
    with pymupdf.open() as pdf:
        page = pdf.new_page(width=200, height=200)
        page.draw_rect(page.rect, color=colour, fill=colour)
        pdf.save(path)


def centre_pixel(path: Path) -> bytes:
    rendered = render_page(path, 1, dpi=36)
    row = rendered.height // 2
    at = row * rendered.stride + (rendered.width // 2) * 3
    return rendered.samples[at : at + 3]


def test_a_file_replaced_or_removed_since_its_last_page_is_not_drawn_from_the_old_one(
    tmp_path: Path,
) -> None:
    path = tmp_path / "scan.pdf"
    one_page_pdf(path, (1, 0, 0))
    assert centre_pixel(path) == b"\xff\x00\x00"
    replacement = tmp_path / "new.pdf"
    one_page_pdf(replacement, (0, 0, 1))
    replacement.replace(path)
    assert centre_pixel(path) == b"\x00\x00\xff"
    path.unlink()
    with pytest.raises(RenderError):
        render_page(path, 1, dpi=36)
