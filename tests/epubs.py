"""Small EPUBs written by tests: the parts every EPUB has, and a one-chapter package."""

from __future__ import annotations

import zipfile

CONTAINER = (
    '<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
    '<rootfile full-path="OEBPS/content.opf"/></rootfiles></container>'
)
# A package whose one chapter is OEBPS/one.xhtml.
ONE_CHAPTER = (
    '<package xmlns="http://www.idpf.org/2007/opf"'
    ' xmlns:dc="http://purl.org/dc/elements/1.1/"><metadata><dc:title>Memoir</dc:title>'
    '</metadata><manifest><item id="a" href="one.xhtml"/></manifest>'
    '<spine><itemref idref="a"/></spine></package>'
)


def write_frame(epub: zipfile.ZipFile, package: str) -> None:
    """The mimetype (stored, as EPUB asks), the container and the package `package`; the
    chapters are the test's own."""
    epub.writestr("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
    epub.writestr("META-INF/container.xml", CONTAINER)
    epub.writestr("OEBPS/content.opf", package)
