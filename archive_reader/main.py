"""`archive-reader [COMMAND]`: the desktop app for `gui` (or no command), a command of
reader.cli for the rest. Qt is loaded only for the desktop app."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from reader.cli import parse_arguments, quiet_when_stdout_closes, run_command


def main(argv: Sequence[str] | None = None) -> int:
    def dispatch() -> int:
        args = parse_arguments(argv)
        if args.command == "gui":
            return run_app(args)
        return run_command(args)

    return quiet_when_stdout_closes(dispatch)


def run_app(args: argparse.Namespace) -> int:
    from ui.app import run  # Qt and the window, only for the desktop app

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
