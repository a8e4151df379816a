"""A quoted title is no passage to look for: a work citation of the catalog document with that
title, or an unresolved work; never a quote."""

from __future__ import annotations

from pathlib import Path

from bench.corpus import born_digital_pdf
from reader.library import Library

ARTICLE = (
    "Andrew's “The Sword and the Shield” says little of Bosnia, and the regimental history "
    "“Gebirgsjäger im Balkan” is silent on Nevesinje. The division's war diary, quoted in "
    "full by Schmider, records that “the columns were to move only by day under escort.”\n"
)


def test_quoted_titles_are_works_found_by_title_or_gaps(tmp_path: Path) -> None:
    born_digital_pdf(
        tmp_path / "sword.pdf",
        ["The Sword and the Shield. The Mitrokhin Archive and the secret history of the KGB."],
        title="The Sword and the Shield",
        author="Christopher Andrew",
    )
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    with Library(tmp_path / "library") as library:
        (book,) = library.import_paths([tmp_path / "sword.pdf"], kind="secondary").imported
        library.import_paths([tmp_path / "article.txt"], kind="secondary")
        found = library.cite(library.resolve("article.txt")).citations
        by_text = {c.text.strip("“”"): c for c in found}
        sword = by_text["The Sword and the Shield"]
        assert sword.kind == "work" and sword.target is not None and sword.target.doc == book.id
        history = by_text["Gebirgsjäger im Balkan"]
        assert history.kind == "work" and history.target is None  # an unresolved work
        quotes = [c for c in found if c.kind == "quote"]
        assert [q.text for q in quotes] == ["the columns were to move only by day under escort."]
