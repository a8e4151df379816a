"""References as reference managers read them: RIS, CSL-JSON, and a readable line.

RIS uses the tags Zotero's RIS translator maps to a manuscript's fields (RIS.js in
zotero/translators): TY MANSCPT is a manuscript, DB its archive, AN its location in the archive,
CN its call number, DA its date, AU an author ("Family, Given"), LA its language, and each N1 a
child note. Zotero's manuscript has no page field and reads SP as its number of pages, so the
page a reference is for is written into the location in the archive ("Box 7, p. 5").
CSL-JSON is what citeproc (pandoc, Zotero's CSL-JSON import) reads; the page goes into `page`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import rispy

from reader.references import Reference, page_label

FORMATS = ("ris", "csljson")
SUFFIXES = {"ris": ".ris", "csljson": ".json"}
RIS_MIME = "application/x-research-info-systems"
CSL_JSON_MIME = "application/vnd.citationstyles.csl+json"
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip
# Tesseract's language codes (what `import --lang` takes) as the IETF tags CSL and Zotero
# read: a title in another language than English is then not title-cased by the style.
_LANGUAGE_TAGS = {
    "deu": "de", "ger": "de", "eng": "en", "fra": "fr", "fre": "fr", "ita": "it", "spa": "es",
    "nld": "nl", "pol": "pl", "ces": "cs", "slk": "sk", "slv": "sl", "hrv": "hr", "bos": "bs",
    "srp": "sr-Cyrl", "srp_latn": "sr-Latn", "mkd": "mk", "bul": "bg", "rus": "ru", "ukr": "uk",
    "hun": "hu", "ron": "ro", "ell": "el", "sqi": "sq", "tur": "tr", "heb": "he", "yid": "yi",
}  # fmt: skip


class _RisWriter(rispy.RisWriter):  # type: ignore[misc]
    """rispy's writer without the "1." it puts before each record (no RIS tag)."""

    def set_header(self, count: int) -> str:
        return ""


def render(references: Sequence[Reference], fmt: str) -> str:
    if fmt == "ris":
        return as_ris(references)
    if fmt == "csljson":
        return as_csl_json(references)
    raise ValueError(f"references are written as {' or '.join(FORMATS)}, not {fmt!r}")


# RIS


def as_ris(references: Sequence[Reference]) -> str:
    if not references:
        return ""
    text: str = rispy.dumps([ris_entry(r) for r in references], implementation=_RisWriter)
    return text


def ris_entry(reference: Reference) -> dict[str, Any]:
    """The reference as rispy's fields; each value one line (a line break in a value would
    start a line that RIS readers take for a tag or for another note)."""
    location = ", ".join(
        part for part in (reference.archive_location, _pages_locator(reference.pages)) if part
    )
    entry: dict[str, Any] = {
        "type_of_reference": "MANSCPT" if _is_manuscript(reference) else "GEN",
        "title": reference.title,
        "authors": reference.authors,
        "date": _ris_date(reference.date),
        "year": reference.date[:4],
        "name_of_database": reference.archive,
        "accession_number": location,
        "call_number": reference.call_number,
        "language": _language(reference.languages),
        "notes": reference.notes,
    }
    return {key: _one_line(value) for key, value in entry.items() if value}


def _one_line(value: str | list[str]) -> str | list[str]:
    if isinstance(value, list):
        return [" ".join(v.split()) for v in value if v.strip()]
    return " ".join(value.split())


def _ris_date(date: str) -> str:
    """RIS's YYYY/MM/DD/ with the parts not known left empty: "1943/03//"."""
    if not date:
        return ""
    parts = [*date.split("-"), "", ""]
    return f"{parts[0]}/{parts[1]}/{parts[2]}/"


# CSL-JSON


def as_csl_json(references: Sequence[Reference]) -> str:
    return json.dumps([csl_item(r) for r in references], ensure_ascii=False, indent=2) + "\n"


def csl_item(reference: Reference) -> dict[str, Any]:
    """The reference as a CSL-JSON item (the variables of CSL 1.0.2)."""
    item: dict[str, Any] = {
        "id": f"archive-reader-{reference.doc}",
        "type": "manuscript" if _is_manuscript(reference) else "document",
        "title": reference.title,
        "author": [csl_name(a) for a in reference.authors],
        "issued": {"date-parts": [[int(p) for p in reference.date.split("-")]]}
        if reference.date
        else None,
        "archive": reference.archive,
        "archive_location": reference.archive_location,
        "call-number": reference.call_number,
        "page": page_label(reference.pages, "-"),
        "language": _language(reference.languages),
        "note": "\n".join(reference.notes),
    }
    return {key: value for key, value in item.items() if value}


def csl_name(name: str) -> dict[str, str]:
    """A name written "Family, Given" as CSL's parts; any other (a person given name first,
    an office, a unit) as written, since its family name cannot be told from it safely."""
    family, comma, given = name.partition(",")
    if comma and family.strip() and given.strip():
        return {"family": family.strip(), "given": given.strip()}
    return {"literal": name}


# A readable line


def readable(reference: Reference) -> str:
    """A Chicago-like note for pasting into a text: author, “title,” date, call number,
    place in the archive, page, archive."""
    title = f"“{reference.title},”"
    head = f"{_names(reference.authors)}, {title}" if reference.authors else title
    parts = [
        head,
        _readable_date(reference.date),
        reference.call_number,
        reference.archive_location,
        _pages_locator(reference.pages),
        reference.archive,
    ]
    line = " ".join(parts[:2]) + "".join(f", {p}" for p in parts[2:] if p)
    return line if line.endswith(".") else line + "."


def _names(authors: Sequence[str]) -> str:
    if len(authors) <= 2:
        return " and ".join(authors)
    return ", ".join(authors[:-1]) + ", and " + authors[-1]


def _readable_date(date: str) -> str:
    parts = [int(p) for p in date.split("-") if p.isdigit()]
    if not parts:
        return "n.d."
    if len(parts) == 1:
        return str(parts[0])
    month = _MONTHS[parts[1] - 1] if 1 <= parts[1] <= 12 else str(parts[1])
    return f"{month} {parts[2]}, {parts[0]}" if len(parts) == 3 else f"{month} {parts[0]}"


# Shared


def _is_manuscript(reference: Reference) -> bool:
    return reference.kind == "primary"


def _pages_locator(pages: Sequence[int]) -> str:
    if not pages:
        return ""
    label = page_label(pages)
    return f"pp. {label}" if "," in label or "–" in label else f"p. {label}"


def _language(languages: Sequence[str]) -> str:
    """The first language as an IETF tag ("deu" is "de"; "deu_frak", German in Fraktur,
    too); a tag already written so, or a code not known here, as it is."""
    if not languages:
        return ""
    code = languages[0].strip()
    return _LANGUAGE_TAGS.get(code, _LANGUAGE_TAGS.get(code.split("_")[0], code))
