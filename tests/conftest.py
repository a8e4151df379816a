"""Shared fixtures: the real files in ../shared/realdata and fresh libraries."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.library import Library

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
REALDATA = ROOT.parent / "shared" / "realdata"
SAMPLE = ROOT / "resources" / "sample"


@pytest.fixture(scope="session")
def realdata() -> Path:
    if not REALDATA.is_dir():
        pytest.fail(f"the real test files are missing: expected them at {REALDATA}")
    return REALDATA


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    with Library(tmp_path / "library") as opened:
        yield opened


@pytest.fixture(scope="session")
def sample_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample collection imported and OCR'd once; copy it before changing it."""
    from reader.sample import import_sample

    folder = tmp_path_factory.mktemp("sample") / "library"
    with Library(folder) as library:
        report = import_sample(library)
        assert report.ocr is not None and report.ocr.pages_failed == 0
    return folder
