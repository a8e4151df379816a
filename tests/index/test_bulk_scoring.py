"""Queries scored a posting list at a time (index.bulk_scoring, index.phrase_scoring), from
blocks laid out as arrays (index.codec) or Whoosh's own (index.posting_blocks): the same
pages, the same totals, the same scores and order as Whoosh's own collector on the same
index."""

from __future__ import annotations

import pickle
import random
from dataclasses import replace
from pathlib import Path
from unittest import mock

import numpy as np
import pytest

from index import bulk_scoring
from index.codec import BLOCK_FORMAT
from index.folding import terms_of
from index.pagetext import word_postings
from index.phrase_scoring import Joined, flat_positions
from index.posting_blocks import ids_and_weights
from index.schema import create_index
from index.scoring import PageWeighting
from index.search import search
from index.writer import PageRecord, update_pages

WORDS = ["the", "of", "convoy", "night", "road", "column", "moved", "by", "day", "valley",
         "Südost", "Suedost", "Sudost", "Михаиловић", "Mihailovic", "četnici", "brigade"]  # fmt: skip


@pytest.mark.parametrize("protocol", [2, 4])
def test_a_blocks_numbers_and_weights_are_read_as_pickle_reads_them(protocol: int) -> None:
    rng = random.Random(protocol)
    shapes = 0
    for _ in range(400):
        count = rng.choice([1, 2, 3, 4, 5, 60, 128])
        first = rng.choice([0, 7, 255, 256, 40_000, 70_000, 3_000_000])
        wide = rng.random() < 0.2  # gaps past one byte: another opcode, another shape
        gaps = [first] + [rng.randint(1, 900 if wide else 255) for _ in range(count - 1)]
        weights: object = rng.choice(
            [None, 2.0, tuple(float(rng.randint(1, 9)) for _ in range(count))]
        )
        values = tuple(rng.randbytes(rng.randint(1, 30)) for _ in range(count))
        raw = pickle.dumps((tuple(gaps), weights, values), protocol)
        ids, read_weights = ids_and_weights(raw, count)
        expected_ids = np.cumsum(gaps)
        expected = (
            [1.0] * count
            if weights is None
            else [weights] * count
            if isinstance(weights, float)
            else list(weights)  # type: ignore[call-overload]
        )
        assert ids.tolist() == expected_ids.tolist()
        assert read_weights.tolist() == expected
        shapes += 1
    assert shapes == 400


def records(rng: random.Random) -> list[PageRecord]:
    return [
        PageRecord(doc=doc, page=page, text=" ".join(rng.choices(WORDS, k=rng.randint(3, 90))),
                   title=" ".join(rng.choices(WORDS, k=3)) if page == 1 else "",
                   kind=rng.choice(["primary", "secondary"]), collection="",
                   identifiers=(f"NOKW-{doc}",), authors=(), date=f"194{doc % 5}-0{page}",
                   source="embedded", confidence=None, languages=(rng.choice(["de", "sr"]),))
        for doc in range(1, 200) for page in range(1, 5)
    ]  # fmt: skip


QUERIES = [
    "convoy", "night road", "convoy OR valley", "road NOT day", "road -day -night",
    '"the convoy"', '"valley of the"', '"convoy moved"', '"of the"', '"moved by day"',
    "colum~", "mov*", "Südost", "Suedost", "Mihailovic", "Михаиловић", "cetnici",
    "date:1943", "date:1942-02", "convoy date:[1941-01 TO 1942-12]", "lang:de",
    "convoy lang:sr", "kind:secondary valley", "id:NOKW-17", "title:brigade",
    "(convoy OR column) AND (night OR day)", "the", "nothing-of-the-sort", "source:embedded",
]  # fmt: skip


def test_every_query_ranks_as_whoosh_ranks_it(tmp_path: Path) -> None:
    rng = random.Random(11)
    pages = records(rng)
    ix = create_index(tmp_path / "index")
    update_pages(ix, pages)
    # Rewritten pages leave deleted ones in the first segment: neither counted nor found.
    update_pages(ix, [replace(p, text="the road by day Südost") for p in pages[::5]], merge=False)
    # Phrases of two to four words, common and not: beside a common word, or checked by place.
    phrases = ['"' + " ".join(rng.choices(WORDS, k=rng.randint(2, 4))) + '"' for _ in range(60)]
    compared = 0
    with ix.searcher(weighting=PageWeighting()) as searcher:
        assert len(searcher.reader().leaf_readers()) == 2
        assert searcher.reader().has_deletions()
        for text in QUERIES + phrases:
            for options in ({}, {"kind": "primary"}, {"within": "lang:de"}):
                ours = search(searcher, text, limit=15, **options)  # type: ignore[arg-type]
                with mock.patch.object(bulk_scoring, "rank", return_value=None):
                    whoosh = search(searcher, text, limit=15, **options)  # type: ignore[arg-type]
                assert ours.total == whoosh.total, (text, options)
                assert [(h.doc, h.page, h.score) for h in ours.hits] == [
                    (h.doc, h.page, h.score) for h in whoosh.hits
                ], (text, options)
                compared += bool(whoosh.total)
    assert compared > 100  # most queries found pages to compare


def test_every_query_shape_is_ranked_by_the_bulk_path(tmp_path: Path) -> None:
    ix = create_index(tmp_path / "index")
    update_pages(ix, records(random.Random(3)))
    with ix.searcher(weighting=PageWeighting()) as searcher:
        for text in QUERIES:
            with mock.patch.object(searcher, "search_with_collector", side_effect=AssertionError):
                search(searcher, text, limit=5)  # Whoosh's collector is never asked


def test_posting_blocks_are_arrays_and_whoosh_reads_them_as_written(tmp_path: Path) -> None:
    pages = records(random.Random(4))
    ix = create_index(tmp_path / "index")
    update_pages(ix, pages)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        by_page = {(p.doc, p.page): p for p in pages}
        written: dict[bytes, list[tuple[int, float, bytes]]] = {}
        for docnum in range(reader.doc_count_all()):
            fields = reader.stored_fields(docnum)
            text = by_page[fields["doc"], fields["page"]].text
            for word, _count, weight, value in word_postings(terms_of(text)):
                written.setdefault(word, []).append((docnum, weight, value))
        for word in (b"the", b"convoy", b"sudost", b"mihailovic"):
            matcher = reader.postings("content", word)
            read = []
            while matcher.is_active():
                read.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            assert read == written[word], word
        matcher = reader._terms.matcher("content", b"the", reader.schema["content"].format)
        raw = matcher._postfile.get(matcher._dataoffset, matcher._nextoffset - matcher._dataoffset)
        assert pickle.loads(raw)[0] == BLOCK_FORMAT


def test_positions_are_read_from_postings_as_their_pickles_say() -> None:
    # As index.pagetext writes them: one position, several (gaps of one byte or more, a first
    # position past 255), the common words beside the word after them.
    rng = random.Random(8)
    values, expected = [], []
    for case in range(1500):
        top = 70_000 if case % 300 == 0 else rng.choice([40, 300, 2_000])
        count = min(rng.choice([1, 1, 1, 2, 3, 7, 40]), top)
        positions = sorted(rng.sample(range(top), count))
        words = ["the" if rng.random() < 0.2 else "road" for _ in range(positions[-1] + 2)]
        for position in positions:
            words[position] = "convoy"
        (value,) = [v for word, _, _, v in word_postings(words) if word == b"convoy"]
        values.append(value)
        expected.append(positions)
    owners, found = flat_positions(Joined.of(values))
    read: list[list[int]] = [[] for _ in values]
    for owner, position in zip(owners.tolist(), found.tolist(), strict=True):
        read[owner].append(position)
    assert [sorted(r) for r in read] == expected


def test_date_filters_are_read_from_the_date_column(tmp_path: Path) -> None:
    ix = create_index(tmp_path / "index")
    pages = records(random.Random(6))
    update_pages(ix, pages)
    expected = {(p.doc, p.page) for p in pages if p.date.startswith("1943")}
    with (
        ix.searcher(weighting=PageWeighting()) as searcher,
        mock.patch.object(bulk_scoring, "word_postings", side_effect=AssertionError),
    ):
        found = search(searcher, "date:1943", limit=len(pages))
    assert found.total == len(expected) > 100
    assert {(hit.doc, hit.page) for hit in found.hits} == expected
