"""A guard against a defect of PySide6 6.12 on CPython 3.11: a bound C++ method that returns
void hands None back to Python without counting the reference it gives, so every such call
(label.setText, painter.fillRect, format.setBackground …) takes one reference away from None.
On CPython 3.12 and later None is immortal and nothing happens; on 3.11 a session that makes
more such calls than None has references (some tens of thousands: a few minutes of scrolling a
synced article) ends with "Fatal Python error: none_dealloc". Until the bindings count it,
None is given references enough for any session, once, when the Qt layer is imported."""

from __future__ import annotations

import ctypes
import sys

SPARE_REFERENCES = 1 << 40  # far more void calls than any session makes


def keep_none_alive() -> bool:
    """True when None was given the spare references (CPython before 3.12 only)."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False
    before = sys.getrefcount(None)
    # CPython's object header starts with the reference count (a Py_ssize_t).
    count = ctypes.c_ssize_t.from_address(id(None))
    count.value += SPARE_REFERENCES
    # Other objects come and go meanwhile: the count is off by a little, not by the spare.
    if abs(sys.getrefcount(None) - before - SPARE_REFERENCES) > 100_000:  # another layout
        count.value -= SPARE_REFERENCES  # put it back
        return False
    return True
