"""An export made inert: whatever an untrusted original carried into it (its pages' annotations,
links, form fields), the PDF written starts no program, runs no script, sends no form, opens
no other file and holds no embedded file. What may stay is decided by allowlists, object by
object over the whole document, so that a kind of content nobody thought of is left out too:
the only actions are jumps inside the document and http(s)/mailto addresses, and the only
annotations are passive markup (notes, highlights, shapes, stamps, links, form fields)."""

from __future__ import annotations

import pymupdf
from pymupdf import mupdf

# Keys whose value runs, or carries, something: triggered actions, the action run on opening,
# an action's follow-up, scripts, embedded (and related) files, XFA forms (scripted XML).
ACTIVE_KEYS = frozenset(
    {"AA", "OpenAction", "Next", "JS", "JavaScript", "EF", "RF", "EmbeddedFiles", "XFA"}
)
SAFE_ACTIONS = ("GoTo", "URI")
SAFE_URI_SCHEMES = ("http://", "https://", "mailto:")
# Annotations that only show something; the others play media or hold files (FileAttachment,
# Sound, Movie, Screen, RichMedia, 3D and what a later PDF version may add).
PASSIVE_ANNOTATIONS = frozenset(
    {"Text", "Link", "FreeText", "Line", "Square", "Circle", "Polygon", "PolyLine", "Highlight",
     "Underline", "Squiggly", "StrikeOut", "Caret", "Ink", "Popup", "Stamp", "Redact", "Widget"}
)  # fmt: skip


def make_inert(pdf: pymupdf.Document) -> None:
    """Strip every object of `pdf` of what is not allowed, in place; objects left unreferenced
    go when the document is saved with garbage collection."""
    document = mupdf.pdf_specifics(pdf.this)
    for xref in range(1, mupdf.pdf_xref_len(document)):
        _clean(mupdf.pdf_load_object(document, xref))


def _clean(obj: mupdf.PdfObj) -> None:
    """One object and the objects written inside it (indirect ones are cleaned on their own)."""
    if mupdf.pdf_is_indirect(obj):
        return
    if mupdf.pdf_is_array(obj):
        for index in range(mupdf.pdf_array_len(obj)):
            _clean(mupdf.pdf_array_get(obj, index))
    elif mupdf.pdf_is_dict(obj):
        _clean_dict(obj)


def _clean_dict(obj: mupdf.PdfObj) -> None:
    # Backwards: deleting a key shifts only the keys after it.
    for index in reversed(range(mupdf.pdf_dict_len(obj))):
        key = mupdf.pdf_to_name(mupdf.pdf_dict_get_key(obj, index))
        value = mupdf.pdf_dict_get_val(obj, index)
        if key in ACTIVE_KEYS or (key == "A" and not _is_safe_action(value)):
            mupdf.pdf_dict_dels(obj, key)
            continue
        if key == "Annots" and mupdf.pdf_is_array(value):
            _keep_passive_annotations(value)
        _clean(value)


def _is_safe_action(action: mupdf.PdfObj) -> bool:
    kind = mupdf.pdf_to_name(mupdf.pdf_dict_gets(action, "S"))
    if kind not in SAFE_ACTIONS:
        return False
    if kind == "URI":
        uri = mupdf.pdf_to_text_string(mupdf.pdf_dict_gets(action, "URI"))
        return bool(uri.strip().lower().startswith(SAFE_URI_SCHEMES))
    return True


def _keep_passive_annotations(annotations: mupdf.PdfObj) -> None:
    for index in reversed(range(mupdf.pdf_array_len(annotations))):
        if not _is_kept(mupdf.pdf_array_get(annotations, index)):
            mupdf.pdf_array_delete(annotations, index)


def _is_kept(annotation: mupdf.PdfObj) -> bool:
    """A passive annotation; a link only if it still leads somewhere allowed."""
    subtype = mupdf.pdf_to_name(mupdf.pdf_dict_gets(annotation, "Subtype"))
    if subtype != "Link":
        return subtype in PASSIVE_ANNOTATIONS
    action = mupdf.pdf_dict_gets(annotation, "A")
    destination = mupdf.pdf_dict_gets(annotation, "Dest")
    return bool(destination.m_internal) or (bool(action.m_internal) and _is_safe_action(action))
