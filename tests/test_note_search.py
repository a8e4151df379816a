"""The researchers' notes are searched beside the pages: an annotation's note and the text it
highlights, found by the same query language, each hit marked as a note with its annotation;
edits and deletions reach the index as page edits do; another reader's notes are found only
where they may be seen (shared)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from reader.annotations import AnnotationError
from reader.cli import main as cli_main
from reader.library import Library
from reader.models import Annotation

# Words of linn.txt (the real brochure page's text): "composition and performance tool".
QUOTE = "composition and performance tool"


Room = Callable[[str], Library]


def fill(folder: Path, catalog_url: str | None, realdata: Path) -> Room:
    """A library holding the real brochure page, and a way to open it as one reader."""

    def room(user: str) -> Library:
        # Notes are in the Whoosh index only: a reading room on PostgreSQL finds them with
        # --search whoosh (PostgreSQL search refuses in:notes and says that notes were not
        # searched: tests/test_search_backends.py).
        return Library(folder, catalog_url, user=user, search="whoosh")

    with room("ana") as library:
        report = library.import_paths([realdata / "linn.txt"], kind="primary")
        assert [d.title for d in report.imported] == ["The LinnSequencer"]
    return room


@pytest.fixture
def room(tmp_path: Path, realdata: Path, catalog_url: str | None) -> Room:
    """On each catalog backend in turn: SQLite, and a reading room's PostgreSQL."""
    return fill(tmp_path / "library", catalog_url, realdata)


@pytest.fixture
def folder(tmp_path: Path, realdata: Path) -> Path:
    fill(tmp_path / "library", None, realdata)
    return tmp_path / "library"


def layers(library: Library, query: str) -> list[tuple[str, int | None]]:
    return sorted((hit.layer, hit.annotation) for hit in library.search(query).hits)


def test_notes_are_found_beside_the_pages_and_marked_as_notes(room: Room) -> None:
    with room("ana") as library:
        made = library.annotate(1, 1, quote=QUOTE, note="Compare the Horstenau diary")
        # A word only the note has: the note alone, opening on its page.
        [hit] = library.search("Horstenau").hits
        assert (hit.layer, hit.annotation, hit.doc, hit.page) == ("notes", made.id, 1, 1)
        assert "<b>Horstenau</b>" in hit.snippet and hit.note_author == "ana"
        # A word of the highlighted passage: the page and the note, each marked.
        assert layers(library, "performance") == [("notes", made.id), ("pages", None)]
        assert layers(library, "in:notes performance") == [("notes", made.id)]
        assert layers(library, "in:pages performance") == [("pages", None)]
        # The same query language: phrases, fuzzy words, the document's fields.
        assert layers(library, '"Horstenau diary"') == [("notes", made.id)]
        assert layers(library, "Horstenaw~ in:notes") == [("notes", made.id)]
        assert layers(library, "kind:primary in:notes diary") == [("notes", made.id)]
        assert layers(library, "kind:secondary in:notes diary") == []
        # A bookmark without a note has no words, but in:notes lists it with the others.
        mark = library.annotate(1, 1, kind="bookmark")
        assert layers(library, "in:notes") == [("notes", made.id), ("notes", mark.id)]


def test_a_note_edited_or_deleted_is_searched_as_it_now_is(room: Room) -> None:
    with room("ana") as library:
        made = library.annotate(1, 1, note="ask about Glaise")
        assert layers(library, "Glaise") == [("notes", made.id)]
        library.update_annotation(made.id, note="ask about Jodl")
        assert layers(library, "Glaise") == []
        assert layers(library, "Jodl") == [("notes", made.id)]
        removed = library.delete_annotation(made.id)
        assert layers(library, "Jodl") == []
        library.restore_annotation(removed)  # undo
        assert layers(library, "Jodl") == [("notes", made.id)]
        assert library.check().problems == []
        assert library.take_notices() == []
    # A fresh index, rebuilt from the catalog, holds the notes too.
    with room("ana") as library:
        library.reindex()
        assert layers(library, "Jodl") == [("notes", made.id)]


def test_a_note_deleted_elsewhere_leaves_the_index_when_it_is_next_opened(room: Room) -> None:
    """Another program (a second workstation) deletes a note this index holds: the index
    is brought back in step, never showing a note the catalog no longer has."""
    with room("ana") as library:
        made = library.annotate(1, 1, note="ask about Glaise")
        assert layers(library, "Glaise") == [("notes", made.id)]
    with room("ana") as other, other.session() as session, session.begin():
        session.delete(session.get(Annotation, made.id))
    with room("ana") as library:
        assert layers(library, "Glaise") == []


def test_another_readers_private_note_is_neither_shown_nor_found(room: Room) -> None:
    with room("ana") as ana:
        private = ana.annotate(1, 1, quote=QUOTE, note="my own lead: Glaise")
        shared = ana.annotate(1, 1, note="for everyone: Jodl", shared=True)
        assert layers(ana, "Glaise") == [("notes", private.id)]
    with room("ben") as ben:
        assert layers(ben, "Glaise") == []
        assert layers(ben, "Jodl") == [("notes", shared.id)]
        # What the app and the exports list follows the same rule.
        assert [a.id for a in ben.annotations()] == [shared.id]
        assert [row.note for row in ben.notes()] == ["for everyone: Jodl"]
        with pytest.raises(AnnotationError, match=f"no annotation {private.id}"):
            ben.annotation(private.id)
        with pytest.raises(AnnotationError, match=f"no annotation {private.id}"):
            ben.update_annotation(private.id, note="changed by another")
        with pytest.raises(AnnotationError, match="only the reader who made it"):
            ben.share_annotation(shared.id, False)
        # A passage of the page: ben finds the page, not ana's private highlight on it.
        assert layers(ben, "performance") == [("pages", None)]
    with room("ana") as ana:
        ana.share_annotation(private.id)
    with room("ben") as ben:
        assert layers(ben, "Glaise") == [("notes", private.id)]
        assert {a.id for a in ben.annotations()} == {private.id, shared.id}


def test_signing_with_another_name_keeps_the_annotation_its_makers(room: Room) -> None:
    """`annotate --author` signs a note; it is still the reader's who made it."""
    with room("ana") as ana:
        made = ana.annotate(1, 1, note="Glaise", author="Ana Čolić")
        assert (made.author, made.owner, made.shared) == ("Ana Čolić", "ana", False)
        assert layers(ana, "Glaise") == [("notes", made.id)]
    with room("Ana Čolić") as namesake:
        assert layers(namesake, "Glaise") == [] and namesake.annotations() == []


def test_the_command_line_marks_note_hits_and_shares_notes(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    common = ["--library", str(folder), "--json"]
    monkeypatch.setenv("ARCHIVE_READER_AUTHOR", "ana")
    assert cli_main(["annotate", "1", "--page", "1", "--note", "see Glaise", *common]) == 0
    private = json.loads(capsys.readouterr().out)
    assert (private["owner"], private["shared"]) == ("ana", False)
    args = ["annotate", "1", "--page", "1", "--quote", QUOTE, "--note", "Jodl", "--shared"]
    assert cli_main([*args, *common]) == 0
    shared = json.loads(capsys.readouterr().out)
    assert shared["shared"] is True
    assert cli_main(["search", "performance", *common]) == 0
    found = json.loads(capsys.readouterr().out)
    assert sorted((h["layer"], h["annotation"]) for h in found["hits"]) == [
        ("notes", shared["id"]),
        ("pages", None),
    ]
    assert cli_main(["search", "performance", "--library", str(folder)]) == 0
    assert f"note @{shared['id']} by ana:" in capsys.readouterr().out

    monkeypatch.setenv("ARCHIVE_READER_AUTHOR", "ben")
    assert cli_main(["search", "Glaise OR Jodl", *common]) == 0
    assert [h["annotation"] for h in json.loads(capsys.readouterr().out)["hits"]] == [shared["id"]]
    assert cli_main(["share", str(private["id"]), *common]) == 1  # not his to see, or share
    assert f"no annotation {private['id']}" in capsys.readouterr().err

    monkeypatch.setenv("ARCHIVE_READER_AUTHOR", "ana")
    assert cli_main(["share", str(private["id"]), *common]) == 0
    assert json.loads(capsys.readouterr().out)["shared"] is True
    monkeypatch.setenv("ARCHIVE_READER_AUTHOR", "ben")
    assert cli_main(["search", "Glaise", *common]) == 0
    assert [h["annotation"] for h in json.loads(capsys.readouterr().out)["hits"]] == [private["id"]]


def test_annotations_made_before_sharing_existed_stay_seen_by_all(room: Room) -> None:
    """A catalog's annotations from before this version (the migration shares them, their
    author their owner) and rows another program wrote with no owner are seen by everyone."""
    with room("ana") as library, library.session() as session, session.begin():
        session.add(Annotation(document_id=1, page=1, kind="note", note="Glaise", author="x"))
    with room("ben") as ben:
        assert [a.note for a in ben.annotations()] == ["Glaise"]
        assert len(layers(ben, "Glaise")) == 1
        with ben.session() as session:
            assert session.scalars(select(Annotation.owner)).all() == [""]


def test_a_query_naming_no_layer_is_refused(folder: Path) -> None:
    from index.api import QueryError

    with Library(folder, user="ana") as library, pytest.raises(QueryError, match="in:notes"):
        library.search("in:margins diary")


def test_check_names_a_note_missing_from_the_index(folder: Path) -> None:
    from index.writer import note_id, remove_pages

    with Library(folder, user="ana") as library:
        made = library.annotate(1, 1, note="ask about Glaise")
        assert layers(library, "Glaise") == [("notes", made.id)]
        remove_pages(library.index, [note_id(made.id)])  # the index's files lost it
        problems = [p.problem for p in library.check().problems]
        assert problems == ["index: 1 notes are not in the search index as the catalog has them"]
        library.reindex()
        assert library.check().problems == []
        assert layers(library, "Glaise") == [("notes", made.id)]


def test_a_note_quoting_a_passage_is_no_page_a_quotation_comes_from(
    folder: Path, tmp_path: Path
) -> None:
    """Citations look for the pages a quoted passage stands on: a note that copies the
    passage onto another document's page must not be taken for one."""
    from index.folding import terms_of
    from index.search import candidate_pages

    passage = "eleven supply columns crossed the Neretva bridge under the guns of Jablanica"
    (tmp_path / "other.txt").write_text("A page about something else entirely.\n")
    with Library(folder, user="ana") as library:
        [other] = library.import_paths([tmp_path / "other.txt"]).imported
        (tmp_path / "source.txt").write_text(f"The diary says that {passage}.\n")
        [source] = library.import_paths([tmp_path / "source.txt"]).imported
        library.annotate(other.id, 1, note=f"cf. “{passage}”")
        assert {hit.doc for hit in library.search(f'"{passage}"').hits} == {source.id, other.id}
        with library.index.searcher() as searcher:
            found = candidate_pages(searcher, terms_of(passage))
        assert found == [(source.id, 1)]
