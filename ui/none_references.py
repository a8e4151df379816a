"""Giving back the references to None that PySide6 takes.

PySide6 6.12 on Python 3.11 drops a reference to None at each call of a Qt method that returns
nothing (QPainter.drawRect, QLabel.setText, …). None's count is near 40,000 once the window is
up; a view that makes a few hundred such calls a frame brings it to zero within minutes of
scrolling, and Python aborts ("none_dealloc: deallocating None"). Python 3.12 made None
immortal. Until then, code that makes many such calls gives back what they took:

    before = none_references()
    ...  # paint
    give_back_none(before)
"""

from __future__ import annotations

import ctypes
import sys

NEEDED = sys.version_info < (3, 12)
_increase = ctypes.pythonapi.Py_IncRef
_increase.argtypes = [ctypes.py_object]
_increase.restype = None


def none_references() -> int:
    return sys.getrefcount(None) if NEEDED else 0


def give_back_none(before: int) -> int:
    """None's references back to `before` (counted in the same frame, by none_references)
    where fewer; never more taken away. Another thread that let go of a None meanwhile only
    leaves it one more, which is harmless. Returns how many were given back."""
    if not NEEDED:
        return 0
    lost = before - sys.getrefcount(None)
    for _ in range(lost):
        _increase(None)
    return max(lost, 0)
