"""Every real file is imported or reported with a reason; originals are never written to."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from reader.library import Library


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_every_real_file_is_imported_or_reported(library: Library, realdata: Path) -> None:
    before = _digests(realdata)
    report = library.import_paths([realdata])

    accounted = (
        [Path(d.path).name for d in report.imported]
        + [Path(s.path).name for s in report.skipped]
        + [Path(f.path).name for f in report.failed]
    )
    assert sorted(accounted) == sorted(before)
    reasons = {Path(s.path).name: s.reason for s in report.skipped}
    errors = {Path(f.path).name: f.error for f in report.failed}
    assert "damaged" in errors["invalid.pdf"]
    assert "encrypted" in reasons["skew-encrypted.pdf"]
    assert "password" in reasons["skew-encrypted.pdf"]
    assert "too large to decode safely" in reasons["hugemono.pdf"]
    assert "35000×35000" in reasons["hugemono.pdf"]
    assert _digests(realdata) == before

    imported = {Path(d.path).name: d for d in report.imported}
    assert imported["cardinal.pdf"].pages == 4
    assert imported["cardinal.pdf"].pages_needing_ocr == 4
    assert imported["encrypted_algo4.pdf"].pages == 1  # opens without a user password
    assert imported["typewriter.png"].pages_needing_ocr == 1
    assert imported["trivial.pdf"].pages_needing_ocr == 0
    linn_text = library.page_texts(imported["linn.txt"].id)
    assert "LinnSequencer" in "".join(linn_text)


def test_nothing_half_written_for_reported_files(library: Library, realdata: Path) -> None:
    library.import_paths([realdata / "invalid.pdf", realdata / "skew-encrypted.pdf"])
    assert library.documents() == []
    assert library.check().ok


@pytest.mark.slow
def test_decompression_bombs_neither_exhaust_memory_nor_hang(
    tmp_path: Path, realdata: Path
) -> None:
    # Under a 1.5 GB address-space limit, decoding hugemono.pdf's 35000x35000 image would fail;
    # the import must report it without decoding, and handle enormous.pdf within the budget.
    script = (
        "import resource, sys, json\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024**2, 1536 * 1024**2))\n"
        "from pathlib import Path\n"
        "from reader.library import Library\n"
        "lib = Library(Path(sys.argv[1]))\n"
        "r = lib.import_paths([Path(p) for p in sys.argv[2:]])\n"
        "print(json.dumps(r.as_json()))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "lib"),
         str(realdata / "hugemono.pdf"), str(realdata / "enormous.pdf")],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [Path(d["path"]).name for d in report["imported"]] == ["enormous.pdf"]
    assert [Path(s["path"]).name for s in report["skipped"]] == ["hugemono.pdf"]
    assert "too large to decode safely" in report["skipped"][0]["reason"]
