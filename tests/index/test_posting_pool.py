"""A segment written a posting list at a time (index.posting_pool), from pages analysed
beforehand (index.page_analysis), holds exactly what Whoosh's own writer writes through the
same codec, analysing each field itself: the same terms with the same entries, the same
postings byte for byte, for new pages and for segments merged."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter

from index import writer
from index.analysis import common_pairs
from index.codec import PageCodec
from index.folding import terms_of
from index.schema import create_index, open_index
from index.writer import NoteRecord, PageRecord

WORDS = ["the", "of", "convoy", "night", "road", "column", "moved", "by", "day", "valley",
         "Südost", "Suedost", "Михаиловић", "Mihailović", "četnici", "Straße", "Brigade"]  # fmt: skip


def entries(rng: random.Random, docs: range) -> list[PageRecord | NoteRecord]:
    pages: list[PageRecord | NoteRecord] = [
        PageRecord(doc=doc, page=page, text=" ".join(rng.choices(WORDS, k=rng.randint(0, 300))),
                   title=" ".join(rng.choices(WORDS, k=3)) if page == 1 else "",
                   kind=rng.choice(["primary", "secondary"]), collection=rng.choice(["", "T-78"]),
                   identifiers=(f"NOKW-{doc}",), authors=("Tomasevich",) if doc % 3 else (),
                   date=rng.choice(["", f"194{doc % 5}-0{page}"]), source="embedded",
                   confidence=rng.choice([None, 0.8]), row=doc * 10 + page, revision=1,
                   archive=("NARA", "RG 238") if doc % 2 else (),
                   languages=rng.choice([(), ("de",), ("sr", "hr")]))
        for doc in docs for page in range(1, rng.randint(2, 6))
    ]  # fmt: skip
    notes = [
        NoteRecord(annotation=number, page=page, shared=number % 2 == 0, owner="ana")  # type: ignore[arg-type]
        for number, page in enumerate(pages[::7], start=1)
    ]
    return pages + notes


def written(ix: Any) -> tuple[list[tuple[bytes, bytes]], bytes]:
    """Every term's key and entry in the index's one segment, and its postings file."""
    with ix.reader() as reader:
        terms = reader._terms
        return list(terms._tindex.items()), terms._postfile.read()


class WhooshWriter(SegmentWriter):  # type: ignore[misc]
    """Whoosh's own writer and codec, given each field's value to analyse itself: the page's
    folded words and its common pairs as text, not our postings made beforehand."""

    def add_document(self, **fields: Any) -> None:
        if "content" in fields:
            text = fields.pop("text")
            words = terms_of(text)
            fields |= {"content": words, "pairs": " ".join(common_pairs(words))}
        super().add_document(**fields)


def whoosh_writer(ix: Any) -> SegmentWriter:
    return WhooshWriter(ix, codec=PageCodec())


def add_all(segment_writer: SegmentWriter, records: list[PageRecord | NoteRecord]) -> None:
    for record in records:
        fields = writer._entry_fields(record)
        if isinstance(segment_writer, WhooshWriter):
            page = record.page if isinstance(record, NoteRecord) else record
            fields["text"] = page.text
        segment_writer.add_document(**fields)


def test_new_pages_are_written_as_whooshs_writer_writes_them(tmp_path: Path) -> None:
    records = entries(random.Random(5), range(1, 400))  # "the" past a block of 128 pages
    results = []
    for name, make in (("whoosh", whoosh_writer), ("ours", writer.writer_for)):
        ix = create_index(tmp_path / name)
        segment_writer = make(ix)
        add_all(segment_writer, records)
        segment_writer.commit()
        results.append(written(open_index(tmp_path / name)))
    (whoosh_terms, whoosh_postings), (our_terms, our_postings) = results
    assert len(our_terms) > 1000
    assert our_terms == whoosh_terms
    assert len(our_postings) > 100_000
    assert our_postings == whoosh_postings


def test_merged_segments_are_written_as_whooshs_writer_merges_them(tmp_path: Path) -> None:
    rng = random.Random(8)
    first, second = entries(rng, range(1, 150)), entries(rng, range(150, 300))
    results = []
    for name, make in (("whoosh", whoosh_writer), ("ours", writer.writer_for)):
        ix = create_index(tmp_path / name)
        for batch in (first, second):
            batch_writer = whoosh_writer(ix)
            add_all(batch_writer, batch)
            batch_writer.commit(mergetype=lambda _writer, segments: segments)
        deleting = whoosh_writer(ix)
        for record in [*first[::9], *second[::4]]:
            deleting.delete_by_term("pageid", writer._entry_id(record))
        deleting.commit(mergetype=lambda _writer, segments: segments)
        merging = make(ix)
        merging.commit(mergetype=_merge_all)
        results.append(written(open_index(tmp_path / name)))
    assert results[1][0] == results[0][0]
    assert len(results[1][1]) > 50_000
    assert results[1][1] == results[0][1]


def _merge_all(merging: SegmentWriter, segments: list[Any]) -> list[Any]:
    for segment in segments:
        merging.add_reader(SegmentReader(merging.storage, merging.schema, segment))
    return []
