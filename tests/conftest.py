"""Shared fixtures: the real files in ../shared/realdata and fresh libraries."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.library import Library

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
REALDATA = ROOT.parent / "shared" / "realdata"
SAMPLE = ROOT / "resources" / "sample"


@pytest.fixture(autouse=True)
def clipboard_left_empty() -> Iterator[None]:
    """Qt's offscreen platform crashes the process at exit (SIGSEGV, after every test passed)
    when its clipboard still holds mime data set from Python; the xcb platform does not. A
    test that copies leaves the clipboard empty."""
    yield
    if "PySide6.QtGui" in sys.modules:
        from PySide6.QtGui import QGuiApplication

        if QGuiApplication.instance() is not None:
            QGuiApplication.clipboard().clear()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test on the OCR'd sample collection is slow, marked or not: the quick run
    (`-m "not slow"`) never waits for the sample's OCR."""
    for item in items:
        if "sample_library" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def realdata() -> Path:
    if not REALDATA.is_dir():
        pytest.fail(f"the real test files are missing: expected them at {REALDATA}")
    return REALDATA


POSTGRES_ENV = "ARCHIVE_READER_TEST_POSTGRES"  # a server URL; ./dev test starts one
REQUIRE_POSTGRES_ENV = "ARCHIVE_READER_REQUIRE_POSTGRES"  # CI: its absence is a failure


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    with Library(tmp_path / "library") as opened:
        yield opened


@pytest.fixture(params=["sqlite", "postgresql"])
def catalog_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str | None]:
    """A fresh, empty catalog on each backend: SQLite in the library folder (None), and a
    new database on the PostgreSQL server named by $ARCHIVE_READER_TEST_POSTGRES."""
    if request.param == "sqlite":
        yield None
        return
    server = os.environ.get(POSTGRES_ENV)
    if not server:
        if os.environ.get(REQUIRE_POSTGRES_ENV):
            pytest.fail(f"no PostgreSQL server: ${POSTGRES_ENV} is not set")
        pytest.skip(f"no PostgreSQL server (set ${POSTGRES_ENV}; ./dev test starts one)")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"archive_reader_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def backend_library(tmp_path: Path, catalog_url: str | None) -> Iterator[Library]:
    """A fresh library whose catalog is on each backend in turn."""
    with Library(tmp_path / "library", catalog_url) as opened:
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
