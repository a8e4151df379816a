"""What every helper process the library starts does first: it ends when its parent does."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def exit_with_parent() -> None:
    """A helper must not outlive the run that started it: killed (SIGKILL, a crash), the parent
    never shuts the pool down, and its helpers would wait for work forever (and the resource
    tracker, which lives as long as they do)."""
    parent = multiprocessing.parent_process()
    if parent is None:  # not started by multiprocessing: nothing to follow
        return
    _kill_on_parent_death()
    # Everywhere, and for a parent gone before the line above: the pipe multiprocessing keeps
    # from the parent to each child (a handle to the parent on Windows) ends when it dies.
    threading.Thread(target=_exit_when_gone, args=(parent,), daemon=True).start()


def _kill_on_parent_death() -> None:
    """Linux: the kernel kills this process the moment its parent dies, in the middle of a task
    too. Strictly, when the parent's thread that spawned it ends: the pools are made, used and
    closed by one thread, which outlives their helpers."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl (an odd libc): the watch thread still works
        pass


def _exit_when_gone(parent: multiprocessing.process.BaseProcess) -> None:
    parent.join()
    os._exit(1)
