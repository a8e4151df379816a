"""Figures measured in a fresh process, so that nothing an earlier figure loaded or cached
helps the next one: `python -m MODULE PROBE ARG...` runs one probe of that module and prints
its result as one JSON line."""

from __future__ import annotations

import compileall
import json
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, NoReturn

Probe = Callable[..., Mapping[str, Any]]


ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("archive_reader", "reader", "index", "ui", "bench")


@cache
def compile_sources() -> None:
    """The program's modules compiled once, as an installation has them (pip compiles them
    on install). Where the environment says not to write bytecode (PYTHONDONTWRITEBYTECODE),
    each probe would compile every module again at its start."""
    for package in PACKAGES:
        compileall.compile_dir(ROOT / package, quiet=1)


def run_probe(module: str, *args: object) -> dict[str, Any]:
    """A probe of `module` run in a fresh process (Qt offscreen); what it printed."""
    compile_sources()
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", module, *map(str, args)],
        capture_output=True, text=True, check=True, env=environment,
    )  # fmt: skip
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def probe_main(probes: Mapping[str, Probe], argv: list[str]) -> NoReturn:
    """The probe `argv` names, run with the rest of `argv`; its result printed."""
    name, *args = argv
    if name not in probes:
        raise SystemExit(f"unknown probe {name}; the probes are {', '.join(probes)}")
    print(json.dumps(probes[name](*args)))
    sys.stdout.flush()
    os._exit(0)  # the window and its threads need no orderly teardown here
