"""No network, and no crash or hang on arbitrary text in the citation and query parsers."""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.corpus import born_digital_pdf, save_png, typewritten_image
from index.query import QueryError, parse_query
from index.schema import page_schema
from reader.citations.detect import detect_citations
from reader.library import Library

FORBID_SOCKETS = """
import socket

class _NoNetwork(OSError):
    pass

def _refuse(*args, **kwargs):
    raise _NoNetwork("Archive Reader must never open a socket")

socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
socket.socket.bind = _refuse
socket.create_connection = _refuse
socket.getaddrinfo = _refuse
"""


@pytest.fixture
def no_network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Sockets refused in this process and, through sitecustomize, in every process it starts
    (the OCR workers); the list collects every attempt."""
    attempts: list[str] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(repr(args))
        raise OSError("Archive Reader must never open a socket")

    for name in ("connect", "connect_ex", "bind"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(FORBID_SOCKETS)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(site), *sys.path]))
    yield attempts


@pytest.mark.slow
def test_import_ocr_search_cite_and_export_without_a_network(
    no_network: list[str], tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    save_png(typewritten_image("The bridge at Mostar was repaired by the engineers.", seed=5),
             folder / "NOKW-3001.png")  # fmt: skip
    born_digital_pdf(folder / "NO-4000.pdf", ["Minutes of the conference at Zagreb."])
    (folder / "article.html").write_text(
        "<html><body><p>The report (NOKW 3001) says that “the bridge at Mostar was repaired "
        "by the engineers.” See also NO-4000.</p>"
        '<img src="http://example.org/track.png"><script src="http://example.org/x.js">'
        "</script></body></html>"
    )
    with Library(tmp_path / "library") as library:
        report = library.import_paths([folder / "NOKW-3001.png", folder / "NO-4000.pdf"])
        assert len(report.imported) == 2
        assert library.run_ocr().pages_done == 1
        library.import_paths([folder / "article.html"], kind="secondary")
        assert [h.title for h in library.search("engineers~ kind:primary").hits] == ["NOKW-3001"]
        cited = library.cite("article.html").citations
        assert {c.target.doc for c in cited if c.target} == {
            library.resolve("NOKW-3001"), library.resolve("NO-4000"),
        }  # fmt: skip
        library.annotate("NOKW-3001", 1, quote="bridge at Mostar", note="ok")
        out = tmp_path / "out.pdf"
        library.export("article.html", out, with_cited=True)
        with pymupdf.open(out) as pdf:
            assert pdf.page_count == 3
    assert no_network == []


def test_the_socket_guard_itself_works(no_network: list[str]) -> None:
    with pytest.raises(OSError, match="never open a socket"):
        socket.create_connection(("127.0.0.1", 9))
    assert len(no_network) == 1


SCHEMA = page_schema()
ARCHIVAL_TEXT = st.text(
    alphabet=st.sampled_from(list("NOKWPSRGTDUC -–.,;:“”\"'‘’…[]()0123456789abcdeflnorstuvy\n> ")),
    max_size=300,
)


@settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=400), ARCHIVAL_TEXT))
def test_citation_detection_never_fails_on_any_text(text: str) -> None:
    for found in detect_citations(text):
        assert 0 <= found.start < found.end <= len(text)
        assert found.kind in ("identifier", "quote", "work")


QUERY_TEXT = st.text(
    alphabet=st.sampled_from(list('abcNOKW-1088 "*~?:()[]{}^!+-&|\\/ANDORNOT date:kind:id:')),
    max_size=120,
)


@settings(max_examples=300, deadline=2000)
@given(st.one_of(st.text(max_size=200), QUERY_TEXT))
def test_query_parsing_never_fails_but_with_a_message(text: str) -> None:
    try:
        parse_query(text, SCHEMA)
    except QueryError as exc:
        assert str(exc)


@pytest.fixture(scope="module")
def small_library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "a.txt").write_text("The supply columns moved by day to Nevesinje. NOKW-1088.")
    with Library(folder / "library") as library:
        library.import_paths([folder / "a.txt"])
        yield library


@settings(
    max_examples=150, deadline=3000, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(QUERY_TEXT)
def test_searching_any_query_returns_hits_or_a_message(small_library: Library, text: str) -> None:
    try:
        result = small_library.search(text)
    except QueryError as exc:
        assert str(exc)
    else:
        assert result.total >= len(result.hits)


def test_odd_file_names_and_long_paths_import(tmp_path: Path) -> None:
    deep = tmp_path / ("Nachlass Glaise-Horstenau – Kopien (1943) " * 3).strip()
    for level in range(4):
        deep = deep / f"Ordner {level} · Mappe #{level} «Akten» ü 日本"
    deep.mkdir(parents=True)
    names = ["NOKW 1088 – Bericht (Kopie) #2 ü.txt", "'quoted' & \"double\" $HOME;.txt",
             " leading and trailing .txt", "Mihailović\nnewline.txt"]  # fmt: skip
    for number, name in enumerate(names):
        (deep / name).write_text(f"Note {number} about the bridge at Mostar.")
    assert len(str(deep / names[0])) > 300
    with Library(tmp_path / "library") as library:
        report = library.import_paths([tmp_path])
        assert sorted(Path(d.path).name for d in report.imported) == sorted(names)
        assert library.search("Mostar").total == len(names)
        nokw = next(d for d in report.imported if Path(d.path).name == names[0])
        assert nokw.identifiers == ["NOKW-1088"]  # found in the file name
        assert library.check().ok


def test_a_pdf_with_javascript_and_launch_actions_is_read_not_run(tmp_path: Path) -> None:
    pdf = pymupdf.open()
    page = pdf.new_page()
    page.insert_text((72, 72), "A report with active content.")
    page.insert_link({"kind": pymupdf.LINK_LAUNCH, "from": pymupdf.Rect(72, 100, 200, 120),
                      "file": "/bin/sh"})  # fmt: skip
    page.insert_link({"kind": pymupdf.LINK_URI, "from": pymupdf.Rect(72, 130, 200, 150),
                      "uri": "javascript:app.alert('x')"})  # fmt: skip
    page.insert_link({"kind": pymupdf.LINK_URI, "from": pymupdf.Rect(72, 160, 200, 180),
                      "uri": "https://example.org/source"})  # fmt: skip
    pdf.set_metadata({"title": "Active report"})
    catalog = pdf.pdf_catalog()
    pdf.xref_set_key(catalog, "OpenAction", "<</S/JavaScript/JS(app.alert\\('opened'\\))>>")
    pdf.save(tmp_path / "active.pdf")
    with Library(tmp_path / "library") as library:
        (imported,) = library.import_paths([tmp_path / "active.pdf"]).imported
        assert library.search("active content").total == 1
        library.export(imported.id, tmp_path / "out.pdf")
    with pymupdf.open(tmp_path / "out.pdf") as exported:
        kinds = [link["kind"] for link in exported[0].get_links()]
        assert kinds == [pymupdf.LINK_URI]  # the plain web address stays, nothing active
        assert "JavaScript" not in exported.xref_object(exported.pdf_catalog())
